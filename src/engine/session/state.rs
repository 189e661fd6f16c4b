//! The session state machine: a scenario played against a matrix with a seed. Intents go in, are
//! checked against the current state ([`super::checks`]), and either change it (returning events)
//! or are rejected with a reason and change nothing. The log replays to the identical state.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rand::{RngExt as _, SeedableRng as _};
use rand_chacha::ChaCha8Rng;
use thiserror::Error;

use crate::engine::model::id::{
    ActionId, AssetId, AudienceId, DecisionId, FlagId, InjectId, MessageId, RoleId, TriggerId,
    VariantId, VariationId,
};
use crate::engine::model::intent::{Event, Intent};
use crate::engine::model::matrix::Matrix;
use crate::engine::model::scenario::Scenario;

use super::log::{LOG_FORMAT_VERSION, LogEntry, PlanStamp, RULES_VERSION, ReplayError, SessionLog};
use super::release::{Clock, ReleasePlan};

/// Matrix task id graded for [`Intent::ClassifySeverity`].
pub const TASK_CLASSIFY: &str = "classify_severity";
/// Matrix task id graded for [`Intent::DeclareIncident`].
pub const TASK_DECLARE: &str = "declare_incident";
/// The first grading rules under which declaring or classifying carries out a decision option of
/// that task.
const DECLARE_SATISFIES_OPTIONS: u32 = 6;

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

/// A request to approve a message for an audience, and whether it was granted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageApprovalRecord {
    /// Which message.
    pub message: MessageId,
    /// For which audience.
    pub audience: AudienceId,
    /// Who asked.
    pub requested_by: RoleId,
    /// Who was asked.
    pub approver: RoleId,
    /// When it was asked.
    pub requested_at: u32,
    /// When it was granted (minute, log entry).
    pub granted: Option<Granted>,
}

impl MessageApprovalRecord {
    /// Whether this is the request `approver` has yet to grant for `message` to `audience`.
    pub fn awaits(&self, message: &MessageId, audience: &AudienceId, approver: &RoleId) -> bool {
        self.message == *message
            && self.audience == *audience
            && self.approver == *approver
            && self.granted.is_none()
    }
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
    pub(super) message_approvals: Vec<MessageApprovalRecord>,
    /// Owners recorded during play, by asset.
    pub(super) owners: BTreeMap<AssetId, RoleId>,
    pub(super) expired: BTreeSet<DecisionId>,
    pub(super) declared_at: Option<u32>,
    pub(super) log: SessionLog,
    /// The plan and scenario this session grades with, as they are now (a replayed log keeps the
    /// stamp it was recorded under in `log.plan`).
    pub(super) graded_under: PlanStamp,
    pub(super) clock: Clock,
    /// The options the Declare and Classify controls can carry out (found once: a long exercise
    /// classifies often).
    pub(super) control_options: Vec<ActionId>,
}

impl Session {
    /// Starts a session: draws the variations from the seed and releases the minute-0 injects.
    pub fn new(scenario: Arc<Scenario>, matrix: Arc<Matrix>, seed: u64) -> Self {
        Self::unopened(scenario, matrix, seed).opened()
    }

    /// Releases the minute-0 injects, recording what that did as the log's opening.
    pub(super) fn opened(mut self) -> Self {
        let mut opening = Vec::new();
        self.settle(&mut opening);
        self.log.opening = opening;
        self
    }

    /// A session before its opening settle.
    pub(super) fn unopened(scenario: Arc<Scenario>, matrix: Arc<Matrix>, seed: u64) -> Self {
        // The scenario's own tasks are graded as the matrix's are.
        let matrix = crate::engine::model::local_task::with_local_tasks(matrix, &scenario.tasks);
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut variants = BTreeMap::new();
        for variation in &scenario.variations {
            // Saturating: an unvalidated file with huge weights must not overflow (same draws otherwise).
            let total = variation
                .options
                .iter()
                .fold(0u32, |sum, o| sum.saturating_add(o.weight));
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
        let graded_under = PlanStamp::of(&matrix, &scenario);
        let log = SessionLog {
            format_version: LOG_FORMAT_VERSION,
            scenario: scenario.id.clone(),
            matrix: matrix.id.clone(),
            seed,
            rules: RULES_VERSION,
            plan: Some(graded_under.clone()),
            opening: Vec::new(),
            entries: Vec::new(),
        };
        let plan = Arc::new(ReleasePlan::of(&scenario));
        let clock = Clock::new(plan, &variants);
        let control_options = scenario
            .actions()
            .filter(|(_, _, option)| {
                matches!(option.task.as_str(), TASK_CLASSIFY | TASK_DECLARE)
                    && option.misdirected.is_none()
            })
            .map(|(_, _, option)| option.id.clone())
            .collect();
        Self {
            control_options,
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
            message_approvals: Vec::new(),
            owners: BTreeMap::new(),
            expired: BTreeSet::new(),
            declared_at: None,
            log,
            graded_under,
            clock,
        }
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
        // A log recorded under another matrix may name roles this one knows by an alias.
        let resolved;
        let log = if matrix.aliases.is_empty() {
            log
        } else {
            resolved = matrix.resolve_roles(log.clone());
            &resolved
        };
        let mut session = Self::new(scenario, matrix, log.seed);
        if session.log.opening != log.opening {
            return Err(ReplayError::Diverged { entry: 0 });
        }
        // It stays an exercise recorded under the rules and the plan of its time, however it goes
        // on; grading says when the plan in force now is another.
        session.log.rules = log.rules;
        session.log.plan.clone_from(&log.plan);
        session.follow(&log.entries)?;
        Ok(session)
    }

    /// Brings the session up to `entries`, a log this session's own log begins (a copy of a
    /// session kept elsewhere, following it): applies the entries past its own, checking each
    /// reproduces its recorded events. On an error the session holds the entries before the one
    /// named.
    pub fn follow(&mut self, entries: &[LogEntry]) -> Result<(), ReplayError> {
        let done = self.log.entries.len();
        if entries.len() < done {
            return Err(ReplayError::Diverged {
                entry: entries.len(),
            });
        }
        for (index, entry) in entries.iter().enumerate().skip(done) {
            if self.minute != entry.minute {
                return Err(ReplayError::Diverged { entry: index + 1 });
            }
            let events =
                self.apply(entry.intent.clone())
                    .map_err(|rejected| ReplayError::Rejected {
                        entry: index + 1,
                        reason: rejected.reason,
                    })?;
            if events != entry.events {
                return Err(ReplayError::Diverged { entry: index + 1 });
            }
        }
        Ok(())
    }

    /// `role` carries out `action`: recorded, its flags set, its owner recorded, the role brought
    /// into the response.
    fn perform(&mut self, action: &ActionId, role: &RoleId, entry: usize, events: &mut Vec<Event>) {
        self.performed.insert(
            action.clone(),
            Performed {
                role: role.clone(),
                minute: self.minute,
                entry,
            },
        );
        events.push(Event::ActionPerformed {
            action: action.clone(),
            role: role.clone(),
        });
        self.action_done(action);
        // Giving a role work brings it into the response.
        self.engage(std::slice::from_ref(role), events);
        let scenario = Arc::clone(&self.scenario);
        if let Some((_, _, option)) = scenario.action(action.as_str()) {
            for flag in option.sets.clone() {
                self.set_flag(flag, events);
            }
            if let (Some(owner), Some(asset)) = (&option.records_owner, &option.target) {
                self.owners.insert(asset.clone(), owner.clone());
                events.push(Event::OwnerRecorded {
                    asset: asset.clone(),
                    owner: owner.clone(),
                });
            }
        }
    }

    /// Declaring or classifying with the board's own control also carries out an open decision
    /// option of that task (a scenario asking "who declares?" is answered by declaring). Not under
    /// rules older than 6, so that an exercise recorded before keeps its events on replay.
    fn perform_offered(
        &mut self,
        task: &str,
        role: &RoleId,
        entry: usize,
        events: &mut Vec<Event>,
    ) {
        if self.log.rules < DECLARE_SATISFIES_OPTIONS {
            return;
        }
        let scenario = Arc::clone(&self.scenario);
        let offered = self.control_options.iter().find_map(|id| {
            let (inject, decision, option) = scenario.action(id.as_str())?;
            (option.task.as_str() == task
                && self.released.contains_key(&inject.id)
                && !self.expired.contains(&decision.id)
                && !self.performed.contains_key(&option.id))
            .then_some(option)
        });
        if let Some(option) = offered {
            self.perform(&option.id, role, entry, events);
        }
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
                self.perform(action, role, entry, &mut events);
            }
            Intent::ClassifySeverity { level, by } => {
                events.push(Event::SeverityClassified { level: *level });
                self.perform_offered(TASK_CLASSIFY, by, entry, &mut events);
            }
            Intent::DeclareIncident { by } => {
                self.declared_at = Some(minute);
                events.push(Event::IncidentDeclared);
                self.perform_offered(TASK_DECLARE, by, entry, &mut events);
            }
            Intent::Escalate { to, .. } => self.engage(to, &mut events),
            Intent::Inform { to, about, .. } => events.push(Event::RolesInformed {
                roles: to.clone(),
                about: about.clone(),
            }),
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
            Intent::RequestMessageApproval {
                message,
                audience,
                requested_by,
                approver,
            } => {
                self.message_approvals.push(MessageApprovalRecord {
                    message: message.clone(),
                    audience: audience.clone(),
                    requested_by: requested_by.clone(),
                    approver: approver.clone(),
                    requested_at: minute,
                    granted: None,
                });
                events.push(Event::MessageApprovalRequested {
                    message: message.clone(),
                    audience: audience.clone(),
                    approver: approver.clone(),
                });
                self.engage(std::slice::from_ref(approver), &mut events);
            }
            Intent::GrantMessageApproval {
                message,
                audience,
                approver,
            } => {
                if let Some(record) = self
                    .message_approvals
                    .iter_mut()
                    .find(|r| r.awaits(message, audience, approver))
                {
                    record.granted = Some(Granted { minute, entry });
                }
                events.push(Event::MessageApprovalGranted {
                    message: message.clone(),
                    audience: audience.clone(),
                    approver: approver.clone(),
                });
            }
            Intent::Advance { minutes } => {
                let target = minute
                    .saturating_add(*minutes)
                    .min(self.scenario.duration_mins);
                // Straight to the next minute anything can happen: the same events as stepping
                // minute by minute, in time proportional to what happens rather than to the span.
                while self.minute < target {
                    self.minute = self.next_event_minute().min(target);
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
                self.hold(inject, true);
                events.push(Event::InjectHeld {
                    inject: inject.clone(),
                });
            }
            Intent::UnholdInject { inject } => {
                self.hold(inject, false);
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
            self.literals_hold(|plan| plan.on_engaged.get(role.as_str()));
        }
        if !fresh.is_empty() {
            events.push(Event::RolesEngaged { roles: fresh });
        }
    }

    pub(super) fn set_flag(&mut self, flag: FlagId, events: &mut Vec<Event>) {
        if self.flags.insert(flag.clone()) {
            self.literals_hold(|plan| plan.on_flag.get(flag.as_str()));
            events.push(Event::FlagSet { flag });
        }
    }
}
