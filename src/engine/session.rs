//! The session state machine: a scenario played against a matrix with a seed. Intents go in, are
//! validated against the current state, and either change it (returning events) or are rejected
//! with a reason and change nothing. The log replays to the identical state.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rand::{RngExt as _, SeedableRng as _};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::id::{
    ActionId, ArtifactId, DecisionId, FlagId, InjectId, MessageId, RoleId, ScenarioId, TriggerId,
    VariantId, VariationId,
};
use super::intent::{Event, Handoff, Intent};
use super::matrix::{ASSET_OWNER, Matrix};
use super::scenario::{Condition, DecisionPoint, Inject, Release, Scenario};

/// Version of the session-log format; bumped when old logs can no longer be replayed.
pub const LOG_FORMAT_VERSION: u32 = 1;

/// Matrix task id graded for [`Intent::ClassifySeverity`].
pub const TASK_CLASSIFY: &str = "classify_severity";
/// Matrix task id graded for [`Intent::DeclareIncident`].
pub const TASK_DECLARE: &str = "declare_incident";

/// Why an intent was refused. The session is unchanged.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("{reason}")]
pub struct Rejected {
    /// A sentence for the player.
    pub reason: String,
}

pub(crate) fn reject<T>(reason: impl Into<String>) -> Result<T, Rejected> {
    Err(Rejected {
        reason: reason.into(),
    })
}

/// One accepted intent with the minute it was made and what it caused.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogEntry {
    /// Scenario minute when it was accepted.
    pub minute: u32,
    /// What the player did.
    pub intent: Intent,
    /// What followed.
    pub events: Vec<Event>,
}

/// Everything needed to rebuild a session: saved, loaded and replayed to the identical result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionLog {
    /// Log format version.
    pub format_version: u32,
    /// Scenario played.
    pub scenario: ScenarioId,
    /// Matrix graded against (its `id`).
    pub matrix: String,
    /// RNG seed.
    pub seed: u64,
    /// Events at minute 0, before any intent.
    pub opening: Vec<Event>,
    /// Accepted intents in order.
    pub entries: Vec<LogEntry>,
}

/// An action that was carried out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Performed {
    /// Who did it.
    pub role: RoleId,
    /// When.
    pub minute: u32,
    /// Index of the log entry.
    pub entry: usize,
}

/// An approval request and whether it was granted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApprovalRecord {
    /// For which action.
    pub action: ActionId,
    /// Who asked.
    pub requested_by: RoleId,
    /// Who was asked.
    pub approver: RoleId,
    /// When it was asked.
    pub requested_at: u32,
    /// When it was granted (minute, log entry).
    pub granted: Option<(u32, usize)>,
}

/// A playing session.
#[derive(Clone, Debug)]
pub struct Session {
    scenario: Arc<Scenario>,
    matrix: Arc<Matrix>,
    seed: u64,
    minute: u32,
    ended: bool,
    variants: BTreeMap<VariationId, VariantId>,
    released: BTreeMap<InjectId, u32>,
    release_order: Vec<InjectId>,
    held: BTreeSet<InjectId>,
    flags: BTreeSet<FlagId>,
    severity: u8,
    severity_reached: BTreeMap<u8, u32>,
    business_impact: u8,
    revealed: BTreeMap<TriggerId, u32>,
    performed: BTreeMap<ActionId, Performed>,
    engaged: BTreeMap<RoleId, u32>,
    approvals: Vec<ApprovalRecord>,
    expired: BTreeSet<DecisionId>,
    declared_at: Option<u32>,
    log: SessionLog,
}

impl Session {
    /// Starts a session: draws the variations from the seed and releases the minute-0 injects.
    pub fn new(scenario: Arc<Scenario>, matrix: Arc<Matrix>, seed: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut variants = BTreeMap::new();
        for variation in &scenario.variations {
            let total: u32 = variation.options.iter().map(|o| o.weight).sum();
            if total == 0 {
                continue;
            }
            let mut pick = rng.random_range(0..total);
            for option in &variation.options {
                if pick < option.weight {
                    variants.insert(variation.id.clone(), option.id.clone());
                    break;
                }
                pick -= option.weight;
            }
        }
        let log = SessionLog {
            format_version: LOG_FORMAT_VERSION,
            scenario: scenario.id.clone(),
            matrix: matrix.id.clone(),
            seed,
            opening: Vec::new(),
            entries: Vec::new(),
        };
        let mut session = Self {
            scenario,
            matrix,
            seed,
            minute: 0,
            ended: false,
            variants,
            released: BTreeMap::new(),
            release_order: Vec::new(),
            held: BTreeSet::new(),
            flags: BTreeSet::new(),
            severity: 1,
            severity_reached: BTreeMap::from([(1, 0)]),
            business_impact: 0,
            revealed: BTreeMap::new(),
            performed: BTreeMap::new(),
            engaged: BTreeMap::new(),
            approvals: Vec::new(),
            expired: BTreeSet::new(),
            declared_at: None,
            log,
        };
        let mut opening = Vec::new();
        session.settle(&mut opening);
        session.log.opening = opening;
        session
    }

    /// Rebuilds a session from a log, checking each step reproduces the recorded events.
    pub fn replay(
        scenario: Arc<Scenario>,
        matrix: Arc<Matrix>,
        log: &SessionLog,
    ) -> Result<Self, ReplayError> {
        if log.format_version != LOG_FORMAT_VERSION {
            return Err(ReplayError::Version(log.format_version));
        }
        if log.scenario != scenario.id {
            return Err(ReplayError::WrongScenario {
                expected: log.scenario.clone(),
                found: scenario.id.clone(),
            });
        }
        let mut session = Self::new(scenario, matrix, log.seed);
        if session.log.opening != log.opening {
            return Err(ReplayError::Diverged { entry: 0 });
        }
        for (index, entry) in log.entries.iter().enumerate() {
            if session.minute != entry.minute {
                return Err(ReplayError::Diverged { entry: index + 1 });
            }
            let events =
                session
                    .apply(entry.intent.clone())
                    .map_err(|rejected| ReplayError::Rejected {
                        entry: index + 1,
                        reason: rejected.reason,
                    })?;
            if events != entry.events {
                return Err(ReplayError::Diverged { entry: index + 1 });
            }
        }
        Ok(session)
    }

    /// Applies an intent. On success the state changed and the events say how; on rejection nothing changed.
    pub fn apply(&mut self, intent: Intent) -> Result<Vec<Event>, Rejected> {
        if self.ended {
            return reject("the exercise has ended");
        }
        self.check(&intent)?;
        let entry = self.log.entries.len();
        let minute = self.minute;
        let mut events = Vec::new();
        match &intent {
            Intent::AssignAction { action, role } => {
                self.performed.insert(
                    action.clone(),
                    Performed {
                        role: role.clone(),
                        minute,
                        entry,
                    },
                );
                events.push(Event::ActionPerformed {
                    action: action.clone(),
                    role: role.clone(),
                });
                // Giving a role work brings it into the response.
                self.engage(std::slice::from_ref(role), &mut events);
                if let Some((_, _, option)) = self.scenario.action(action.as_str()) {
                    for flag in option.sets.clone() {
                        self.set_flag(flag, &mut events);
                    }
                }
            }
            Intent::ClassifySeverity { level, .. } => {
                events.push(Event::SeverityClassified { level: *level });
            }
            Intent::DeclareIncident { .. } => {
                self.declared_at = Some(minute);
                events.push(Event::IncidentDeclared);
            }
            Intent::Escalate { to, .. } => self.engage(to, &mut events),
            Intent::Handoff(handoff) => {
                events.push(Event::HandoffRecorded {
                    from: handoff.from.clone(),
                    to: handoff.to.clone(),
                });
                self.engage(std::slice::from_ref(&handoff.to), &mut events);
            }
            Intent::Communicate {
                audience, message, ..
            } => events.push(Event::MessageSent {
                message: message.clone(),
                audience: audience.clone(),
            }),
            Intent::RequestApproval {
                action,
                requested_by,
                approver,
            } => {
                self.approvals.push(ApprovalRecord {
                    action: action.clone(),
                    requested_by: requested_by.clone(),
                    approver: approver.clone(),
                    requested_at: minute,
                    granted: None,
                });
                events.push(Event::ApprovalRequested {
                    action: action.clone(),
                    approver: approver.clone(),
                });
                self.engage(std::slice::from_ref(approver), &mut events);
            }
            Intent::GrantApproval { action, approver } => {
                if let Some(record) = self
                    .approvals
                    .iter_mut()
                    .find(|r| r.action == *action && r.approver == *approver && r.granted.is_none())
                {
                    record.granted = Some((minute, entry));
                }
                events.push(Event::ApprovalGranted {
                    action: action.clone(),
                    approver: approver.clone(),
                });
            }
            Intent::Advance { minutes } => {
                let target = minute
                    .saturating_add(*minutes)
                    .min(self.scenario.duration_mins);
                while self.minute < target {
                    self.minute += 1;
                    self.settle(&mut events);
                }
                events.push(Event::ClockAdvanced {
                    minute: self.minute,
                });
                if self.minute >= self.scenario.duration_mins {
                    self.finish(&mut events);
                }
            }
            Intent::EndExercise => self.finish(&mut events),
            Intent::ReleaseInject { inject } => {
                self.held.remove(inject);
                self.release(inject, &mut events);
            }
            Intent::HoldInject { inject } => {
                self.held.insert(inject.clone());
                events.push(Event::InjectHeld {
                    inject: inject.clone(),
                });
            }
            Intent::UnholdInject { inject } => {
                self.held.remove(inject);
                events.push(Event::InjectUnheld {
                    inject: inject.clone(),
                });
            }
        }
        if !matches!(intent, Intent::Advance { .. } | Intent::EndExercise) {
            self.settle(&mut events);
        }
        self.log.entries.push(LogEntry {
            minute,
            intent,
            events: events.clone(),
        });
        Ok(events)
    }

    fn finish(&mut self, events: &mut Vec<Event>) {
        self.ended = true;
        events.push(Event::ExerciseEnded {
            minute: self.minute,
        });
    }

    fn engage(&mut self, roles: &[RoleId], events: &mut Vec<Event>) {
        let fresh: Vec<RoleId> = roles
            .iter()
            .filter(|r| !self.engaged.contains_key(*r))
            .cloned()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        for role in &fresh {
            self.engaged.insert(role.clone(), self.minute);
        }
        if !fresh.is_empty() {
            events.push(Event::RolesEngaged { roles: fresh });
        }
    }

    fn set_flag(&mut self, flag: FlagId, events: &mut Vec<Event>) {
        if self.flags.insert(flag.clone()) {
            events.push(Event::FlagSet { flag });
        }
    }

    /// Releases every inject whose time or condition has come, until nothing more changes,
    /// and closes decision points whose time is up.
    fn settle(&mut self, events: &mut Vec<Event>) {
        loop {
            let due: Vec<InjectId> = self
                .scenario
                .injects
                .iter()
                .filter(|i| !self.released.contains_key(&i.id) && !self.held.contains(&i.id))
                .filter(|i| match &i.release {
                    Release::At(m) => *m <= self.minute,
                    Release::When(c) => self.holds(c),
                })
                .map(|i| i.id.clone())
                .collect();
            if due.is_empty() {
                break;
            }
            for id in due {
                self.release(&id, events);
            }
        }
        let minute = self.minute;
        let newly_expired: Vec<DecisionId> = self
            .scenario
            .injects
            .iter()
            .filter_map(|i| self.released.get(&i.id).map(|at| (i, *at)))
            .flat_map(|(i, at)| i.decisions.iter().map(move |d| (d, at)))
            .filter(|(d, at)| {
                d.expires_after_mins
                    .is_some_and(|after| minute >= at.saturating_add(after))
            })
            .map(|(d, _)| d.id.clone())
            .filter(|id| !self.expired.contains(id))
            .collect();
        for decision in newly_expired {
            self.expired.insert(decision.clone());
            events.push(Event::DecisionExpired { decision });
        }
    }

    fn release(&mut self, id: &InjectId, events: &mut Vec<Event>) {
        let scenario = Arc::clone(&self.scenario);
        let Some(inject) = scenario.inject(id.as_str()) else {
            return;
        };
        self.released.insert(id.clone(), self.minute);
        self.release_order.push(id.clone());
        events.push(Event::InjectReleased {
            inject: id.clone(),
            minute: self.minute,
        });
        if let Some(level) = inject.severity
            && level != self.severity
        {
            self.severity = level;
            for reached in 1..=level {
                self.severity_reached.entry(reached).or_insert(self.minute);
            }
            events.push(Event::SeverityChanged { level });
        }
        if let Some(impact) = inject.business_impact
            && impact != self.business_impact
        {
            self.business_impact = impact;
            events.push(Event::ImpactChanged { impact });
        }
        for trigger in &inject.reveals {
            if !self.revealed.contains_key(trigger) {
                self.revealed.insert(trigger.clone(), self.minute);
                events.push(Event::FactRevealed {
                    trigger: trigger.clone(),
                });
            }
        }
        for flag in inject.sets.clone() {
            self.set_flag(flag, events);
        }
    }

    /// Evaluates a scenario condition against the current state.
    pub fn holds(&self, condition: &Condition) -> bool {
        match condition {
            Condition::MinuteAtLeast(m) => self.minute >= *m,
            Condition::MinuteBefore(m) => self.minute < *m,
            Condition::Flag(f) => self.flags.contains(f),
            Condition::Released(i) => self.released.contains_key(i),
            Condition::ActionDone(a) => self.performed.contains_key(a),
            Condition::TaskDone(task, asset) => self.performed.keys().any(|id| {
                self.scenario.action(id.as_str()).is_some_and(|(_, _, a)| {
                    a.task == *task && asset.as_ref().is_none_or(|x| a.target.as_ref() == Some(x))
                })
            }),
            Condition::Engaged(r) => self.engaged.contains_key(r),
            Condition::SeverityAtLeast(level) => self.severity >= *level,
            Condition::Variant(v, o) => self.variants.get(v) == Some(o),
            Condition::All(items) => items.iter().all(|c| self.holds(c)),
            Condition::Any(items) => items.iter().any(|c| self.holds(c)),
            Condition::Not(inner) => !self.holds(inner),
        }
    }

    fn known_role(&self, role: &RoleId) -> Result<(), Rejected> {
        if self.matrix.role(role.as_str()).is_some() {
            Ok(())
        } else {
            reject(format!(
                "there is no role `{role}` in the matrix `{}`",
                self.matrix.name
            ))
        }
    }

    /// The decision point offering an action, if the action is currently available.
    fn available_action(&self, action: &ActionId) -> Result<&DecisionPoint, Rejected> {
        let Some((inject, decision, _)) = self.scenario.action(action.as_str()) else {
            return reject(format!("there is no action `{action}` in this scenario"));
        };
        if !self.released.contains_key(&inject.id) {
            return reject(format!(
                "action `{action}` is not available yet: its inject has not been released"
            ));
        }
        if self.expired.contains(&decision.id) {
            return reject(format!(
                "action `{action}` is no longer available: its decision point has closed"
            ));
        }
        if let Some(done) = self.performed.get(action) {
            return reject(format!(
                "action `{action}` was already carried out by {} at minute {}",
                done.role, done.minute
            ));
        }
        Ok(decision)
    }

    fn check_artifact(&self, artifact: &ArtifactId) -> Result<(), Rejected> {
        match self.scenario.artifact(artifact.as_str()) {
            None => reject(format!(
                "there is no artifact `{artifact}` in this scenario"
            )),
            Some((inject, _)) if !self.released.contains_key(&inject.id) => reject(format!(
                "artifact `{artifact}` has not been seen yet: its inject has not been released"
            )),
            Some(_) => Ok(()),
        }
    }

    fn check_message(&self, message: &MessageId) -> Result<(), Rejected> {
        match self.scenario.message(message.as_str()) {
            None => reject(format!("there is no message `{message}` in this scenario")),
            Some((inject, _)) if !self.released.contains_key(&inject.id) => reject(format!(
                "message `{message}` is not available yet: its inject has not been released"
            )),
            Some(_) => Ok(()),
        }
    }

    fn check_handoff(&self, h: &Handoff) -> Result<(), Rejected> {
        self.known_role(&h.from)?;
        self.known_role(&h.to)?;
        if h.from == h.to {
            return reject("a handoff needs two different roles");
        }
        for artifact in &h.evidence {
            self.check_artifact(artifact)?;
        }
        for action in h.actions_taken.iter().chain(&h.recommended) {
            if self.scenario.action(action.as_str()).is_none() {
                return reject(format!("there is no action `{action}` in this scenario"));
            }
        }
        Ok(())
    }

    fn check(&self, intent: &Intent) -> Result<(), Rejected> {
        match intent {
            Intent::AssignAction { action, role } => {
                self.known_role(role)?;
                self.available_action(action).map(|_| ())
            }
            Intent::ClassifySeverity { level, by } => {
                self.known_role(by)?;
                if self.matrix.severity(*level).is_none() {
                    return reject(format!(
                        "severity {level} is not defined; the matrix has levels 1 to {}",
                        self.matrix.max_severity()
                    ));
                }
                Ok(())
            }
            Intent::DeclareIncident { by } => {
                self.known_role(by)?;
                if let Some(at) = self.declared_at {
                    return reject(format!("an incident was already declared at minute {at}"));
                }
                Ok(())
            }
            Intent::Escalate { from, to, .. } => {
                self.known_role(from)?;
                if to.is_empty() {
                    return reject("choose at least one role to escalate to");
                }
                for role in to {
                    self.known_role(role)?;
                    if role == from {
                        return reject(format!("{from} cannot escalate to itself"));
                    }
                }
                Ok(())
            }
            Intent::Handoff(h) => self.check_handoff(h),
            Intent::Communicate {
                audience,
                sender,
                message,
                approvals,
            } => {
                self.known_role(sender)?;
                if self.matrix.audience(audience.as_str()).is_none() {
                    return reject(format!("there is no audience `{audience}` in the matrix"));
                }
                self.check_message(message)?;
                for approver in approvals {
                    self.known_role(approver)?;
                    if approver != sender && !self.engaged.contains_key(approver) {
                        return reject(format!(
                            "{} has not been engaged, so it cannot have approved this message",
                            self.matrix.role_name(approver.as_str())
                        ));
                    }
                }
                Ok(())
            }
            Intent::RequestApproval {
                action,
                requested_by,
                approver,
            } => {
                self.known_role(requested_by)?;
                self.known_role(approver)?;
                self.available_action(action)?;
                if self
                    .approvals
                    .iter()
                    .any(|r| r.action == *action && r.approver == *approver)
                {
                    return reject(format!(
                        "{approver} has already been asked to approve `{action}`"
                    ));
                }
                Ok(())
            }
            Intent::GrantApproval { action, approver } => {
                self.known_role(approver)?;
                if self.performed.contains_key(action) {
                    return reject(format!("`{action}` was already carried out"));
                }
                if self
                    .approvals
                    .iter()
                    .any(|r| r.action == *action && r.approver == *approver && r.granted.is_none())
                {
                    Ok(())
                } else {
                    reject(format!("nobody has asked {approver} to approve `{action}`"))
                }
            }
            Intent::Advance { minutes } => {
                if *minutes == 0 {
                    reject("wait at least one minute")
                } else {
                    Ok(())
                }
            }
            Intent::EndExercise => Ok(()),
            Intent::ReleaseInject { inject } => self.unreleased(inject).map(|_| ()),
            Intent::HoldInject { inject } => {
                self.unreleased(inject)?;
                if self.held.contains(inject) {
                    return reject(format!("inject `{inject}` is already being held"));
                }
                Ok(())
            }
            Intent::UnholdInject { inject } => {
                self.unreleased(inject)?;
                if self.held.contains(inject) {
                    Ok(())
                } else {
                    reject(format!("inject `{inject}` is not being held"))
                }
            }
        }
    }

    fn unreleased(&self, inject: &InjectId) -> Result<&Inject, Rejected> {
        let Some(found) = self.scenario.inject(inject.as_str()) else {
            return reject(format!("there is no inject `{inject}` in this scenario"));
        };
        if let Some(at) = self.released.get(inject) {
            return reject(format!(
                "inject `{inject}` was already released at minute {at}"
            ));
        }
        Ok(found)
    }

    /// Replaces `{variation}` placeholders with the drawn options' text.
    pub fn render_text(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for variation in &self.scenario.variations {
            let Some(chosen) = self.variants.get(&variation.id) else {
                continue;
            };
            if let Some(option) = variation.options.iter().find(|o| o.id == *chosen) {
                out = out.replace(&format!("{{{}}}", variation.id), &option.text);
            }
        }
        out
    }

    /// The role expected to own a task on a target, resolving `owner` to the asset's owner.
    pub fn resolve_role<'r>(
        &'r self,
        role: &'r RoleId,
        target: Option<&str>,
    ) -> Option<&'r RoleId> {
        if role.as_str() == ASSET_OWNER {
            target
                .and_then(|t| self.scenario.asset(t))
                .map(|a| &a.owner)
        } else {
            Some(role)
        }
    }

    // --- read access for scoring, views and reports ---

    /// The scenario.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Shared handle to the scenario.
    pub fn scenario_arc(&self) -> Arc<Scenario> {
        Arc::clone(&self.scenario)
    }

    /// The matrix.
    pub fn matrix(&self) -> &Matrix {
        &self.matrix
    }

    /// Shared handle to the matrix.
    pub fn matrix_arc(&self) -> Arc<Matrix> {
        Arc::clone(&self.matrix)
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Current scenario minute.
    pub fn minute(&self) -> u32 {
        self.minute
    }

    /// Whether the exercise is over.
    pub fn ended(&self) -> bool {
        self.ended
    }

    /// Current true severity.
    pub fn severity(&self) -> u8 {
        self.severity
    }

    /// Minute each severity level was first reached.
    pub fn severity_reached(&self) -> &BTreeMap<u8, u32> {
        &self.severity_reached
    }

    /// Current business impact (0–100).
    pub fn business_impact(&self) -> u8 {
        self.business_impact
    }

    /// Drawn variation options.
    pub fn variants(&self) -> &BTreeMap<VariationId, VariantId> {
        &self.variants
    }

    /// Released injects in release order.
    pub fn released(&self) -> &[InjectId] {
        &self.release_order
    }

    /// Minute an inject was released.
    pub fn released_at(&self, inject: &str) -> Option<u32> {
        self.released.get(inject).copied()
    }

    /// Injects the facilitator is holding back.
    pub fn held(&self) -> &BTreeSet<InjectId> {
        &self.held
    }

    /// Injects not yet released, in scenario order.
    pub fn pending_injects(&self) -> Vec<&Inject> {
        self.scenario
            .injects
            .iter()
            .filter(|i| !self.released.contains_key(&i.id))
            .collect()
    }

    /// The next inject due on the clock (not held), with its minute: what "release the next
    /// inject early" brings forward.
    pub fn next_scheduled(&self) -> Option<(&Inject, u32)> {
        self.pending_injects()
            .into_iter()
            .filter(|i| !self.held.contains(&i.id))
            .filter_map(|i| match i.release {
                Release::At(minute) => Some((i, minute)),
                Release::When(_) => None,
            })
            .min_by_key(|(_, minute)| *minute)
    }

    /// Facts revealed and when.
    pub fn revealed(&self) -> &BTreeMap<TriggerId, u32> {
        &self.revealed
    }

    /// Flags set.
    pub fn flags(&self) -> &BTreeSet<FlagId> {
        &self.flags
    }

    /// Actions carried out.
    pub fn performed(&self) -> &BTreeMap<ActionId, Performed> {
        &self.performed
    }

    /// Roles engaged and when first.
    pub fn engaged(&self) -> &BTreeMap<RoleId, u32> {
        &self.engaged
    }

    /// Approval requests.
    pub fn approvals(&self) -> &[ApprovalRecord] {
        &self.approvals
    }

    /// Minute the incident was declared, if it was.
    pub fn declared_at(&self) -> Option<u32> {
        self.declared_at
    }

    /// Decision points that closed.
    pub fn expired(&self) -> &BTreeSet<DecisionId> {
        &self.expired
    }

    /// The log so far.
    pub fn log(&self) -> &SessionLog {
        &self.log
    }

    /// Decision points currently open: released, not expired, with an action not yet taken.
    pub fn open_decisions(&self) -> Vec<&DecisionPoint> {
        self.release_order
            .iter()
            .filter_map(|id| self.scenario.inject(id.as_str()))
            .flat_map(|i| i.decisions.iter())
            .filter(|d| !self.expired.contains(&d.id))
            .filter(|d| {
                d.actions
                    .iter()
                    .any(|a| !self.performed.contains_key(&a.id))
            })
            .collect()
    }
}

/// Why a saved log could not be replayed.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ReplayError {
    /// Written by an incompatible version.
    #[error(
        "session log format {0} is not supported (this build reads format {LOG_FORMAT_VERSION})"
    )]
    Version(u32),
    /// For another scenario.
    #[error("the log is for scenario `{expected}`, not `{found}`")]
    WrongScenario {
        /// In the log.
        expected: ScenarioId,
        /// Given.
        found: ScenarioId,
    },
    /// An intent was refused on replay.
    #[error("entry {entry} of the log is rejected on replay: {reason}")]
    Rejected {
        /// 1-based entry.
        entry: usize,
        /// Why.
        reason: String,
    },
    /// The replay produced different events (the scenario or matrix changed since).
    #[error(
        "entry {entry} of the log no longer replays the same way; the scenario or matrix changed since it was recorded"
    )]
    Diverged {
        /// 1-based entry (0 = the opening).
        entry: usize,
    },
}
