//! The context every rule family grades in: the session, who took part in the response and
//! when, the findings reported so far and the points each dimension has put at stake.
//!
//! Every check is worth its matrix penalty: a check passed keeps those points, a failed one loses
//! them, and what it loses costs the total in proportion (see [`cost_of`]).

use std::collections::BTreeMap;

use super::card::{Finding, FindingKind, Points};
use crate::engine::model::id::{ActionId, RoleId};
use crate::engine::model::intent::Event;
use crate::engine::model::matrix::{Dimension, RoleKind, ScoringPolicy, TaskKind};
use crate::engine::model::scenario::{ActionOption, DecisionPoint};
use crate::engine::session::{Performed, Session, names_list};

/// Shared context for the rule families.
pub(crate) struct Grader<'s> {
    pub session: &'s Session,
    pub findings: Vec<Finding>,
    pub points: BTreeMap<Dimension, Points>,
    /// When each role first took part in the response.
    pub involved: BTreeMap<RoleId, Involvement>,
    /// Required decisions graded so far (acted on, or past their deadline) and how many of them
    /// someone acted on.
    pub decisions: DecisionTally,
    /// The true severity when each log entry was made, by 0-based entry.
    pub severities: Vec<u8>,
}

/// Required decisions graded so far and how many someone acted on.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct DecisionTally {
    pub graded: u32,
    pub acted: u32,
}

/// When a role first took part in the response: brought in by someone (escalated to, handed work,
/// asked for an approval, given a task), or acting itself (declaring, escalating, handing off,
/// approving, sending a message). Either way it is in the response from then on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Involvement {
    /// 0-based log entry.
    pub entry: usize,
    /// Scenario minute.
    pub minute: u32,
    /// Whether the role joined by acting itself rather than by being brought in.
    pub acted: bool,
}

/// When each role first took part in the response, in one pass over the log.
pub(crate) fn involvement(session: &Session) -> BTreeMap<RoleId, Involvement> {
    let mut out: BTreeMap<RoleId, Involvement> = BTreeMap::new();
    for (entry, e) in session.log().entries.iter().enumerate() {
        let at = |acted| Involvement {
            entry,
            minute: e.minute,
            acted,
        };
        for event in &e.events {
            if let Event::RolesEngaged { roles } = event {
                for role in roles {
                    out.entry(role.clone()).or_insert(at(false));
                }
            }
        }
        // Only a role that is part of the organisation's response joins it by acting: an
        // outside party is contacted, never "engaged" by its own say.
        if let Some(actor) = e.intent.actor()
            && session
                .matrix()
                .role(actor.as_str())
                .is_none_or(|r| r.kind == RoleKind::Internal)
        {
            out.entry(actor.clone()).or_insert(at(true));
        }
    }
    out
}

/// True severity at the moment each log entry was made, in one pass over the recorded events.
fn severity_per_entry(session: &Session) -> Vec<u8> {
    let log = session.log();
    let mut level = log.opening.iter().fold(1, apply_severity);
    log.entries
        .iter()
        .map(|entry| {
            let at_entry = level;
            level = entry.events.iter().fold(level, apply_severity);
            at_entry
        })
        .collect()
}

/// The true severity after `event`, from the level before it.
pub(super) fn apply_severity(level: u8, event: &Event) -> u8 {
    match event {
        Event::SeverityChanged { level: changed } => *changed,
        _ => level,
    }
}

/// Where a deadline stands when the grade is taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Due {
    /// Still ahead, the exercise running: not graded yet.
    Pending,
    /// Passed: graded.
    Passed,
    /// The exercise ended first: listed as not reached, not graded.
    NotReached,
}

/// An action carried out, with what it is by the scenario and the matrix.
pub(crate) struct Work<'s> {
    pub action: &'s ActionId,
    pub done: &'s Performed,
    pub option: &'s ActionOption,
    pub task: &'s TaskKind,
}

impl<'s> Grader<'s> {
    /// Every action carried out, in log order, with its option and the task it performs (an
    /// action the scenario or matrix does not know is left out).
    pub fn work(&self) -> Vec<Work<'s>> {
        let session = self.session;
        let mut work: Vec<Work<'s>> = session
            .performed()
            .iter()
            .filter_map(|(action, done)| {
                let (_, _, option) = session.scenario().action(action.as_str())?;
                let task = session.matrix().task(option.task.as_str())?;
                Some(Work {
                    action,
                    done,
                    option,
                    task,
                })
            })
            .collect();
        work.sort_by_key(|w| w.done.entry);
        work
    }

    pub fn new(session: &'s Session) -> Self {
        Self {
            session,
            findings: Vec::new(),
            points: BTreeMap::new(),
            involved: involvement(session),
            decisions: DecisionTally::default(),
            severities: severity_per_entry(session),
        }
    }

    /// Whether the exercise was ended before the scenario's last minute.
    pub fn ended_early(&self) -> bool {
        self.session.ended() && self.session.minute() < self.session.scenario().duration_mins
    }

    /// A released decision's deadline and where it stands: due when its window closes (at once
    /// if the session says it has), else at the scenario's end.
    pub fn decision_due(&self, decision: &DecisionPoint, released: u32) -> (u32, Due) {
        let deadline = decision
            .expires_after_mins
            .map_or(self.session.scenario().duration_mins, |m| {
                released.saturating_add(m)
            });
        let due = if self.session.expired().contains(&decision.id) {
            Due::Passed
        } else {
            self.due(deadline)
        };
        (deadline, due)
    }

    /// Where a deadline at `minute` stands. At the scenario's natural end, what falls due on its
    /// last minute is graded; anything later could never have been met.
    pub fn due(&self, deadline: u32) -> Due {
        let now = self.session.minute();
        if deadline < now || (self.session.ended() && !self.ended_early() && deadline <= now) {
            Due::Passed
        } else if self.session.ended() {
            Due::NotReached
        } else {
            Due::Pending
        }
    }
}

impl Grader<'_> {
    /// The intent summary of a 0-based log entry.
    pub fn intent_of(&self, entry: usize) -> Option<String> {
        self.session
            .log()
            .entries
            .get(entry)
            .map(|e| e.intent.summary())
    }

    /// A check worth `points` failed: they are at stake and lost.
    pub fn deduct(&mut self, points: u32, f: FindingDraft) {
        self.deduct_part(points, points, f);
    }

    /// A check worth `worth` failed in part, losing `lost` of it (never more than it was worth).
    /// The finding carries what it costs the total.
    pub fn deduct_part(&mut self, worth: u32, lost: u32, f: FindingDraft) {
        let lost = lost.min(worth);
        let cost = cost_of(&self.session.matrix().scoring, f.dimension, worth, lost);
        let entry = self.points.entry(f.dimension).or_default();
        entry.at_stake += u64::from(worth);
        entry.lost += u64::from(lost);
        entry.cost += u64::from(cost);
        if worth > 0 && lost == worth {
            entry.mistakes += 1;
        }
        // Costs are bounded by validation; saturate rather than wrap if one is not.
        let points = i32::try_from(cost).map_or(i32::MIN, |p| -p);
        self.push(FindingKind::Deduction, points, f);
    }

    /// A check worth `worth` passed, explained by a credit.
    pub fn credit(&mut self, worth: u32, f: FindingDraft) {
        self.keep(f.dimension, worth);
        self.push(FindingKind::Credit, 0, f);
    }

    /// A check worth `worth` passed inside an item whose findings are reported otherwise (a
    /// handoff that missed one element still kept the other four).
    pub fn keep(&mut self, dimension: Dimension, worth: u32) {
        self.points.entry(dimension).or_default().at_stake += u64::from(worth);
    }

    /// Something the scenario asks for that the exercise ended before: listed, not graded.
    pub fn not_reached(&mut self, f: FindingDraft) {
        self.push(FindingKind::NotReached, 0, f);
    }

    pub fn push(&mut self, kind: FindingKind, points: i32, f: FindingDraft) {
        let intent = f.entry.and_then(|e| self.intent_of(e));
        self.findings.push(Finding {
            dimension: f.dimension,
            kind,
            points,
            rule: f.rule,
            citation: f.citation,
            minute: f.minute,
            entry: f.entry.map(|e| e + 1),
            intent,
            role: f.role,
            message: f.message,
            advice: f.advice,
        });
    }

    /// Display name of a role.
    pub fn name(&self, role: &str) -> String {
        self.session.matrix().role_name(role).to_owned()
    }

    /// "A is" or "A and B are", for sentences about who is Responsible.
    pub fn names_are<'r>(&self, roles: impl IntoIterator<Item = &'r RoleId>) -> String {
        let roles: Vec<&RoleId> = roles.into_iter().collect();
        let verb = if roles.len() > 1 { "are" } else { "is" };
        format!("{} {verb}", self.names(roles))
    }

    /// "A, B and C" from role ids.
    pub fn names<'r>(&self, roles: impl IntoIterator<Item = &'r RoleId>) -> String {
        names_list(roles.into_iter().map(|r| self.name(r.as_str())).collect())
    }
}

/// What losing `lost` of a check worth `worth` in `dimension` costs the total under `policy`, in
/// points: the loss scaled by the dimension's weight over the average weight of the six (a
/// dimension weighted 20 of 100 costs 1.2 points per matrix point), and at least the policy's
/// `mistake_floor` when the check failed outright (a partial loss costs at least 1). It depends on
/// nothing else: not on how many other checks the dimension has.
pub fn cost_of(policy: &ScoringPolicy, dimension: Dimension, worth: u32, lost: u32) -> u32 {
    let weight = u64::from(policy.weights.of(dimension));
    if lost == 0 || weight == 0 {
        return 0;
    }
    let all: u64 = Dimension::ALL
        .iter()
        .map(|d| u64::from(policy.weights.of(*d)))
        .sum();
    let dimensions = Dimension::ALL.len() as u64;
    // lost × weight ÷ (all ÷ 6), rounded to the nearest point.
    let scaled = (u64::from(lost) * weight * dimensions * 2 + all) / (all * 2);
    let outright = lost >= worth;
    let cost = if outright {
        scaled.max(u64::from(policy.mistake_floor))
    } else {
        scaled.max(1)
    };
    u32::try_from(cost).unwrap_or(u32::MAX)
}

/// What a rule family reports; the grader fills in the intent text.
pub(crate) struct FindingDraft {
    pub dimension: Dimension,
    pub rule: String,
    pub citation: String,
    pub minute: u32,
    pub entry: Option<usize>,
    pub role: Option<RoleId>,
    pub message: String,
    pub advice: String,
}
