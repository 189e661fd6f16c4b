//! Scoring: grades a session against the responsibility matrix and explains every point.
//!
//! Each dimension starts at 100 and loses the points of its deductions (never below 0); credits
//! explain what went right and cost nothing. The total is the matrix-weighted mean of the dimensions.

mod communication;
mod escalation;
mod evidence;
mod handoff;
mod ownership;
mod separation;

pub use escalation::{Obligation, obligations};

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::id::{RoleId, ScenarioId};
use super::matrix::Dimension;
use super::session::Session;

/// Whether a finding takes points or explains credit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FindingKind {
    /// Something done right.
    Credit,
    /// Something that cost points.
    Deduction,
}

/// One graded observation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The dimension it belongs to.
    pub dimension: Dimension,
    /// Credit or deduction.
    pub kind: FindingKind,
    /// Points taken (negative) or 0 for credit.
    pub points: i32,
    /// The matrix rule it applies (`raci:isolate_host`, `escalation:personal_data_legal`, …).
    pub rule: String,
    /// The responsibility the rule rests on, quoted from the matrix.
    pub citation: String,
    /// Scenario minute of the intent (or deadline) that caused it.
    pub minute: u32,
    /// 1-based log entry of the intent, when one caused it.
    pub entry: Option<usize>,
    /// The intent, summarised.
    pub intent: Option<String>,
    /// The role whose choice it grades, for per-role reports.
    pub role: Option<RoleId>,
    /// What happened.
    pub message: String,
    /// What to do instead (or why it was right).
    pub advice: String,
}

/// The grade of a session.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scorecard {
    /// Scenario id.
    pub scenario: ScenarioId,
    /// Matrix id.
    pub matrix: String,
    /// Seed.
    pub seed: u64,
    /// Minute the grade was taken at.
    pub minute: u32,
    /// Whether the exercise had ended (omissions only count then, or past their deadline).
    pub complete: bool,
    /// Weighted total, 0–100.
    pub total: u32,
    /// Score per dimension, 0–100.
    pub dimensions: BTreeMap<Dimension, u32>,
    /// Every finding, in dimension order then minute order.
    pub findings: Vec<Finding>,
}

impl Scorecard {
    /// The score of one dimension.
    pub fn dimension(&self, dimension: Dimension) -> u32 {
        self.dimensions.get(&dimension).copied().unwrap_or(100)
    }

    /// Findings of one dimension.
    pub fn findings_in(&self, dimension: Dimension) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(move |f| f.dimension == dimension)
    }

    /// Deductions only.
    pub fn deductions(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.kind == FindingKind::Deduction)
    }

    /// Pretty JSON, the documented `warroom play --format json` shape.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }
}

/// Shared context for the rule families.
pub(crate) struct Grader<'s> {
    pub session: &'s Session,
    pub findings: Vec<Finding>,
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

    /// Records a deduction of `points` caused by log entry `entry` (0-based).
    pub fn deduct(&mut self, points: u32, f: FindingDraft) {
        self.push(FindingKind::Deduction, -(points as i32), f);
    }

    /// Records a credit.
    pub fn credit(&mut self, f: FindingDraft) {
        self.push(FindingKind::Credit, 0, f);
    }

    fn push(&mut self, kind: FindingKind, points: i32, f: FindingDraft) {
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
        let names: Vec<String> = roles.into_iter().map(|r| self.name(r.as_str())).collect();
        match names.as_slice() {
            [] => "nobody".into(),
            [one] => one.clone(),
            [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        }
    }
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

/// Grades a session as it stands (a live scorecard mid-exercise, or the final one).
pub fn score(session: &Session) -> Scorecard {
    let mut grader = Grader {
        session,
        findings: Vec::new(),
    };
    ownership::grade(&mut grader);
    handoff::grade(&mut grader);
    escalation::grade(&mut grader);
    communication::grade(&mut grader);
    evidence::grade(&mut grader);
    separation::grade(&mut grader);

    let mut findings = grader.findings;
    findings.sort_by_key(|f| (f.dimension, f.minute, f.entry));

    let mut dimensions = BTreeMap::new();
    for dimension in Dimension::ALL {
        let lost: i64 = findings
            .iter()
            .filter(|f| f.dimension == dimension)
            .map(|f| i64::from(f.points))
            .sum();
        let score = (100 + lost).clamp(0, 100) as u32;
        dimensions.insert(dimension, score);
    }
    let weights = &session.matrix().scoring.weights;
    let weight_sum: u32 = Dimension::ALL.iter().map(|d| weights.of(*d)).sum();
    let weighted: u32 = Dimension::ALL
        .iter()
        .map(|d| weights.of(*d) * dimensions.get(d).copied().unwrap_or(100))
        .sum();
    // Rounded to the nearest point; a matrix with all weights 0 is refused by validation.
    let total = (weighted + weight_sum / 2)
        .checked_div(weight_sum)
        .unwrap_or(0);

    Scorecard {
        scenario: session.scenario().id.clone(),
        matrix: session.matrix().id.clone(),
        seed: session.seed(),
        minute: session.minute(),
        complete: session.ended(),
        total,
        dimensions,
        findings,
    }
}
