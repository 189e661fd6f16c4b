//! The session state machine: a scenario played against a matrix with a seed. Intents go in, are
//! checked against the current state ([`super::checks`]), and either change it (returning events)
//! or are rejected with a reason and change nothing. The log replays to the identical state.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use rand::{RngExt as _, SeedableRng as _};
use rand_chacha::ChaCha8Rng;
use thiserror::Error;

use crate::engine::model::id::{
    ActionId, DecisionId, FlagId, InjectId, RoleId, TriggerId, VariantId, VariationId,
};
use crate::engine::model::intent::{Event, Intent};
use crate::engine::model::matrix::Matrix;
use crate::engine::model::scenario::{Condition, Release, Scenario};

use super::log::{LOG_FORMAT_VERSION, LogEntry, RULES_VERSION, ReplayError, SessionLog};
use super::release::{ReleasePlan, lasting, reads_clock};

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
    pub(super) clock: Clock,
}

/// Where the session stands on its release plan: derived state, rebuilt by replaying the log.
#[derive(Clone, Debug)]
pub(super) struct Clock {
    plan: Arc<ReleasePlan>,
    /// How far into `plan.scheduled` the clock has come.
    next_scheduled: usize,
    /// How far into `plan.conditional` the clock has come.
    next_conditional: usize,
    /// Timed injects whose minute has come, not released yet (held ones wait here).
    overdue: BTreeSet<usize>,
    /// Conditional injects whose earliest minute has come, not released yet.
    waiting: BTreeSet<usize>,
    /// Decision windows of released injects, by closing minute: (inject, decision) positions.
    closing: BTreeMap<u32, Vec<(usize, usize)>>,
    /// Something besides the clock changed since the last settle: read every waiting condition.
    read_all: bool,
    /// For `When(All([...]))` injects, how many leading items are known to hold for good.
    proven: HashMap<usize, usize>,
    /// Waiting injects to re-read when the clock moves: those reading it, unless an item that
    /// does not read it holds them back (then only that item's change can release them).
    on_tick: BTreeSet<usize>,
    /// Likewise for a change of severity.
    on_severity_change: BTreeSet<usize>,
    /// Tests only: settle the way the clock first did, every inject every minute, as a reference.
    #[cfg(test)]
    pub(super) naive: bool,
}

/// What releasing a batch of injects changed, for re-reading only the conditions that read it.
#[derive(Default)]
struct Changes {
    released: Vec<InjectId>,
    flags: Vec<FlagId>,
    severity: bool,
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
        let log = SessionLog {
            format_version: LOG_FORMAT_VERSION,
            scenario: scenario.id.clone(),
            matrix: matrix.id.clone(),
            seed,
            rules: RULES_VERSION,
            opening: Vec::new(),
            entries: Vec::new(),
        };
        let plan = Arc::new(ReleasePlan::of(&scenario));
        Self {
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
            clock: Clock {
                plan,
                next_scheduled: 0,
                next_conditional: 0,
                overdue: BTreeSet::new(),
                waiting: BTreeSet::new(),
                closing: BTreeMap::new(),
                read_all: true,
                proven: HashMap::new(),
                on_tick: BTreeSet::new(),
                on_severity_change: BTreeSet::new(),
                #[cfg(test)]
                naive: false,
            },
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
        let mut session = Self::new(scenario, matrix, log.seed);
        if session.log.opening != log.opening {
            return Err(ReplayError::Diverged { entry: 0 });
        }
        // It stays an exercise recorded under the rules of its time, however it goes on.
        session.log.rules = log.rules;
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
                // Straight to the next minute anything can happen: the same events as stepping
                // minute by minute, in time proportional to what happens rather than to the span.
                while self.minute < target {
                    #[cfg(test)]
                    let next = if self.clock.naive {
                        self.minute + 1
                    } else {
                        self.next_event_minute()
                    };
                    #[cfg(not(test))]
                    let next = self.next_event_minute();
                    self.minute = next.min(target);
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
                self.release(inject, &mut events, &mut Changes::default());
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
            self.clock.read_all = true;
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
    /// and closes decision points whose time is up. Each round releases, in scenario order, every
    /// inject due in the state the round started from; a round reads only the conditions that
    /// read something the previous round changed.
    fn settle(&mut self, events: &mut Vec<Event>) {
        #[cfg(test)]
        if self.clock.naive {
            return self.settle_naive(events);
        }
        let plan = Arc::clone(&self.clock.plan);
        let minute = self.minute;
        while let Some(&(at, position)) = plan.scheduled.get(self.clock.next_scheduled)
            && at <= minute
        {
            if self.not_yet_released(position) {
                self.clock.overdue.insert(position);
            }
            self.clock.next_scheduled += 1;
        }
        while let Some(&(at, position)) = plan.conditional.get(self.clock.next_conditional)
            && at <= minute
        {
            if self.not_yet_released(position) {
                self.clock.waiting.insert(position);
                self.watch(position, true);
            }
            self.clock.next_conditional += 1;
        }
        let read_all = std::mem::take(&mut self.clock.read_all);
        let mut due: BTreeSet<usize> = self
            .clock
            .overdue
            .iter()
            .copied()
            .filter(|&p| self.pending(p))
            .collect();
        let reread: Vec<usize> = if read_all {
            self.clock.waiting.iter().copied().collect()
        } else {
            self.clock.on_tick.iter().copied().collect()
        };
        due.extend(reread.into_iter().filter(|&p| self.due(p)));
        while !due.is_empty() {
            let mut changes = Changes::default();
            let scenario = Arc::clone(&self.scenario);
            for inject in due.iter().filter_map(|&p| scenario.injects.get(p)) {
                self.release(&inject.id, events, &mut changes);
            }
            let mut reread = BTreeSet::new();
            for id in &changes.released {
                reread.extend(plan.on_release.get(id.as_str()).into_iter().flatten());
            }
            for flag in &changes.flags {
                reread.extend(plan.on_flag.get(flag.as_str()).into_iter().flatten());
            }
            if changes.severity {
                reread.extend(&self.clock.on_severity_change);
            }
            due = reread
                .into_iter()
                .filter(|p| self.clock.waiting.contains(p) && self.due(*p))
                .collect();
        }
        self.close_decisions(events);
    }

    /// The reference [`Self::settle`] is checked against: every inject read every round.
    #[cfg(test)]
    fn settle_naive(&mut self, events: &mut Vec<Event>) {
        loop {
            let due: Vec<InjectId> = (0..self.scenario.injects.len())
                .filter(|&p| self.due_plain(p))
                .map(|p| self.scenario.injects[p].id.clone())
                .collect();
            if due.is_empty() {
                break;
            }
            for id in due {
                self.release(&id, events, &mut Changes::default());
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

    /// Not released yet.
    fn not_yet_released(&self, position: usize) -> bool {
        self.scenario
            .injects
            .get(position)
            .is_some_and(|i| !self.released.contains_key(&i.id))
    }

    /// Not released and not held.
    fn pending(&self, position: usize) -> bool {
        self.not_yet_released(position)
            && self
                .scenario
                .injects
                .get(position)
                .is_some_and(|i| !self.held.contains(&i.id))
    }

    /// A pending inject whose time or condition has come. A condition `All([...])` is read from
    /// its first item not yet known to hold for good, so waiting on thousands of injects costs
    /// each item once rather than once per release.
    fn due(&mut self, position: usize) -> bool {
        let scenario = Arc::clone(&self.scenario);
        let Some(Release::When(Condition::All(items))) =
            scenario.injects.get(position).map(|i| &i.release)
        else {
            return self.due_plain(position);
        };
        if !self.pending(position) {
            return false;
        }
        let from = self.clock.proven.get(&position).copied().unwrap_or(0);
        let mut proven = from;
        while let Some(item) = items.get(proven)
            && lasting(item)
            && self.holds(item)
        {
            proven += 1;
        }
        if proven > from {
            self.clock.proven.insert(position, proven);
        }
        // Held back by an item that neither the clock nor the severity can change: only that
        // item's own change (a release, a flag, an intent) can release it, and those re-read it.
        let held_back = items
            .iter()
            .skip(proven)
            .any(|c| lasting(c) && !reads_clock(c) && !self.holds(c));
        self.watch(position, !held_back);
        !held_back && items.iter().skip(proven).all(|c| self.holds(c))
    }

    /// Puts a waiting inject on (or takes it off) the lists re-read when the clock or the
    /// severity changes, as far as its condition reads them.
    fn watch(&mut self, position: usize, on: bool) {
        let plan = Arc::clone(&self.clock.plan);
        for (reads, list) in [
            (&plan.reads_clock, &mut self.clock.on_tick),
            (&plan.reads_severity, &mut self.clock.on_severity_change),
        ] {
            if on && reads.get(position) == Some(&true) {
                list.insert(position);
            } else {
                list.remove(&position);
            }
        }
    }

    /// [`Self::due`] reading the whole condition.
    fn due_plain(&self, position: usize) -> bool {
        self.pending(position)
            && self
                .scenario
                .injects
                .get(position)
                .is_some_and(|i| match &i.release {
                    Release::When(condition) => self.holds(condition),
                    Release::At(m) => *m <= self.minute,
                })
    }

    /// Closes the decision points whose window is up, in scenario order.
    fn close_decisions(&mut self, events: &mut Vec<Event>) {
        let later = self
            .clock
            .closing
            .split_off(&(self.minute.saturating_add(1)));
        let mut closing: Vec<(usize, usize)> = std::mem::replace(&mut self.clock.closing, later)
            .into_values()
            .flatten()
            .collect();
        closing.sort_unstable();
        let scenario = Arc::clone(&self.scenario);
        let decisions = closing
            .into_iter()
            .filter_map(|(inject, decision)| scenario.injects.get(inject)?.decisions.get(decision));
        for decision in decisions {
            let id = decision.id.clone();
            if self.expired.insert(id.clone()) {
                events.push(Event::DecisionExpired { decision: id });
            }
        }
    }

    /// The next minute after now at which an inject can come due or a decision can close.
    fn next_event_minute(&self) -> u32 {
        let plan = &self.clock.plan;
        let now = self.minute;
        let clock_readers_wait = self.clock.on_tick.iter().any(|&p| self.pending(p));
        [
            plan.scheduled.get(self.clock.next_scheduled).map(|x| x.0),
            plan.conditional
                .get(self.clock.next_conditional)
                .map(|x| x.0),
            self.clock.closing.keys().next().copied(),
            clock_readers_wait
                .then(|| {
                    plan.clock_marks
                        .range(now.saturating_add(1)..)
                        .next()
                        .copied()
                })
                .flatten(),
        ]
        .into_iter()
        .flatten()
        .filter(|&m| m > now)
        .min()
        .unwrap_or(u32::MAX)
    }

    fn release(&mut self, id: &InjectId, events: &mut Vec<Event>, changes: &mut Changes) {
        let scenario = Arc::clone(&self.scenario);
        let Some((position, inject)) = scenario
            .inject_position(id.as_str())
            .and_then(|p| Some((p, scenario.injects.get(p)?)))
        else {
            return;
        };
        self.released.insert(id.clone(), self.minute);
        self.release_order.push(id.clone());
        self.clock.overdue.remove(&position);
        self.clock.waiting.remove(&position);
        self.watch(position, false);
        for (d, decision) in inject.decisions.iter().enumerate() {
            if let Some(window) = decision.expires_after_mins {
                let closes = self.minute.saturating_add(window);
                self.clock
                    .closing
                    .entry(closes)
                    .or_default()
                    .push((position, d));
            }
        }
        changes.released.push(id.clone());
        events.push(Event::InjectReleased {
            inject: id.clone(),
            minute: self.minute,
        });
        if let Some(level) = inject.severity
            && level != self.severity
        {
            self.severity = level;
            changes.severity = true;
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
        for flag in &inject.sets {
            if !self.flags.contains(flag) {
                changes.flags.push(flag.clone());
            }
            self.set_flag(flag.clone(), events);
        }
    }
}
