//! What grading produces: findings (credits and deductions, each citing the matrix) and the
//! scorecard that gathers them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::engine::model::id::{RoleId, ScenarioId};
use crate::engine::model::matrix::Dimension;

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
