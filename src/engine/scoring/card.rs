//! What grading produces: findings (credits, deductions and what the run left ungraded, each
//! citing the matrix) and the scorecard that gathers them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::engine::model::id::{RoleId, ScenarioId};
use crate::engine::model::matrix::Dimension;

/// What a finding says about the grade.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// A check passed: its points were kept.
    Credit,
    /// A check failed: it cost points.
    Deduction,
    /// Something the scenario asks for that fell after the exercise ended: not graded.
    NotReached,
    /// Why a dimension has no score: nothing in the run put it to the test.
    NotTested,
}

/// One graded observation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The dimension it belongs to.
    pub dimension: Dimension,
    /// Credit, deduction, not reached or not tested.
    pub kind: FindingKind,
    /// Points taken (negative); 0 for the other kinds.
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

/// The points one dimension put to the test and lost.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Points {
    /// What every check of the run was worth together.
    pub at_stake: u64,
    /// What the failed checks cost.
    pub lost: u64,
    /// Checks failed outright (not merely late): mistakes, each costing at least the matrix's
    /// `mistake_floor` of the total.
    #[serde(default)]
    pub mistakes: u32,
}

impl Points {
    /// The share kept, 0–100, or `None` when nothing was at stake.
    pub fn score(self) -> Option<u32> {
        if self.at_stake == 0 {
            return None;
        }
        let kept = self.at_stake.saturating_sub(self.lost);
        // Rounded to the nearest point; at most 100 since kept <= at_stake.
        Some(((kept * 100 + self.at_stake / 2) / self.at_stake) as u32)
    }
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
    /// Whether it ended before the scenario's last minute, leaving some of it unplayed.
    #[serde(default)]
    pub ended_early: bool,
    /// The grading rules the exercise was recorded under, when older than those grading it now:
    /// its scores may differ from the ones shown at the time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_under_rules: Option<u32>,
    /// Weighted mean of the tested dimensions, 0–100 (0 when none was tested).
    pub total: u32,
    /// Score per dimension, 0–100, or `None` (JSON `null`) when the run did not test it.
    pub dimensions: BTreeMap<Dimension, Option<u32>>,
    /// Points at stake and lost per dimension: what each score is the share of.
    #[serde(default)]
    pub points: BTreeMap<Dimension, Points>,
    /// Every finding, in dimension order then minute order.
    pub findings: Vec<Finding>,
}

impl Scorecard {
    /// The score of one dimension, `None` when the run did not test it.
    pub fn dimension(&self, dimension: Dimension) -> Option<u32> {
        self.dimensions.get(&dimension).copied().flatten()
    }

    /// The dimensions the run tested, with their scores.
    pub fn tested(&self) -> impl Iterator<Item = (Dimension, u32)> + '_ {
        self.dimensions
            .iter()
            .filter_map(|(d, score)| score.map(|s| (*d, s)))
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

    /// Why a dimension was not tested, when it was not.
    pub fn not_tested_reason(&self, dimension: Dimension) -> Option<&str> {
        self.findings_in(dimension)
            .find(|f| f.kind == FindingKind::NotTested)
            .map(|f| f.message.as_str())
    }

    /// What the scenario still held when the exercise ended.
    pub fn not_reached(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.kind == FindingKind::NotReached)
    }

    /// Pretty JSON, the documented `warroom play --format json` shape.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }
}

#[cfg(test)]
mod tests {
    use super::Points;

    #[test]
    fn a_score_is_the_share_of_points_kept() {
        assert_eq!(Points::default().score(), None);
        assert_eq!(
            Points {
                at_stake: 30,
                lost: 0,
                ..Points::default()
            }
            .score(),
            Some(100)
        );
        assert_eq!(
            Points {
                at_stake: 30,
                lost: 30,
                ..Points::default()
            }
            .score(),
            Some(0)
        );
        assert_eq!(
            Points {
                at_stake: 30,
                lost: 10,
                ..Points::default()
            }
            .score(),
            Some(67)
        );
        assert_eq!(
            Points {
                at_stake: 30,
                lost: 99,
                ..Points::default()
            }
            .score(),
            Some(0)
        );
    }
}
