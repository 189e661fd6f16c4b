//! The session state machine: a scenario played against a matrix with a seed. Intents go in, are
//! checked against the current state ([`super::checks`]), and either change it (returning events)
//! or are rejected with a reason and change nothing. The log replays to the identical state.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rand::{RngExt as _, SeedableRng as _};
use rand_chacha::ChaCha8Rng;
use thiserror::Error;

use crate::engine::model::id::{
    ActionId, DecisionId, FlagId, InjectId, RoleId, TriggerId, VariantId, VariationId,
};
use crate::engine::model::intent::{Event, Intent};
use crate::engine::model::matrix::Matrix;
use crate::engine::model::scenario::{Release, Scenario};

use super::log::{LOG_FORMAT_VERSION, LogEntry, ReplayError, SessionLog};

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
    pub granted: Option<Granted>,
}

/// When an approval was granted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Granted {
    /// Scenario minute.
    pub minute: u32,
    /// 0-based log entry of the grant.
    pub entry: usize,
}

/// A playing session.
#[derive(Clone, Debug)]
pub struct Session {
    pub(super) scenario: Arc<Scenario>,
    pub(super) matrix: Arc<Matrix>,
    pub(super) seed: u64,
    pub(super) minute: u32,
    pub(super) ended: bool,
    pub(super) variants: BTreeMap<VariationId, VariantId>,
    pub(super) released: BTreeMap<InjectId, u32>,
    pub(super) release_order: Vec<InjectId>,
    pub(super) held: BTreeSet<InjectId>,
    pub(super) flags: BTreeSet<FlagId>,
    pub(super) severity: u8,
    pub(super) severity_reached: BTreeMap<u8, u32>,
    pub(super) business_impact: u8,
    pub(super) revealed: BTreeMap<TriggerId, u32>,
    pub(super) performed: BTreeMap<ActionId, Performed>,
    pub(super) engaged: BTreeMap<RoleId, u32>,
    pub(super) approvals: Vec<ApprovalRecord>,
    pub(super) expired: BTreeSet<DecisionId>,
    pub(super) declared_at: Option<u32>,
    pub(super) log: SessionLog,
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
                    record.granted = Some(Granted { minute, entry });
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
}
