//! The context every rule family grades in: the session, and the findings reported so far.

use super::card::{Finding, FindingKind};
use crate::engine::model::id::RoleId;
use crate::engine::model::matrix::Dimension;
use crate::engine::session::{Session, names_list};

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
        names_list(roles.into_iter().map(|r| self.name(r.as_str())).collect())
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
