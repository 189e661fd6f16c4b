//! What grading produces: findings (credits, deductions and what the run left ungraded, each
//! citing the matrix) and the scorecard that gathers them.

use std::collections::BTreeMap;
use std::fmt::Write as _;

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
    /// What the failed checks cost the total, in points of the total: the sum of this
    /// dimension's deductions as the findings show them.
    #[serde(default)]
    pub cost: u64,
}

impl Points {
    /// 100 less what the dimension's deductions cost the total (0 at the least), or `None` when
    /// nothing in it was put to the test: the same arithmetic as the total, so a dimension's
    /// score follows from the deductions listed under it.
    pub fn score(self) -> Option<u32> {
        (self.at_stake > 0).then(|| 100u64.saturating_sub(self.cost) as u32)
    }

    /// Whether the deductions add up to more than 100, so the score stopped at 0.
    pub fn floored(self) -> bool {
        self.cost > 100
    }
}

/// The cap on the total when required decisions went unanswered: a run that left half the
/// incident's decisions unmade scores at most half, however clean the rest. A decision answered
/// by a wrong approach counts as acted on here; its own deduction charges the approach.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionCap {
    /// Required decisions someone acted on.
    pub acted: u32,
    /// Required decisions graded: acted on, or past their deadline.
    pub required: u32,
    /// The most the total can be: the share acted on, rounded to the nearest point.
    pub at_most: u32,
}

impl DecisionCap {
    /// The cap for `acted` of `required` decisions, or `None` when every one was acted on.
    pub fn of(acted: u32, required: u32) -> Option<Self> {
        (acted < required).then(|| Self {
            acted,
            required,
            at_most: ((u64::from(acted) * 200 + u64::from(required)) / (u64::from(required) * 2))
                as u32,
        })
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
    /// The plan and scenario that graded the run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub graded_under: Option<crate::engine::session::PlanStamp>,
    /// The plan and scenario the run was recorded under, when they are not the ones that graded
    /// it (a replay under an edited plan): the grades follow the plan in force now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_under_plan: Option<crate::engine::session::PlanStamp>,
    /// 0–100: 100 less what every deduction cost (`deducted`, 0 at the least), and no more than
    /// `decision_cap` allows; 0 when nothing was graded yet.
    pub total: u32,
    /// What the deductions cost together, in points of the total: the sum of every deduction's
    /// `points`.
    #[serde(default)]
    pub deducted: u64,
    /// Set when required decisions went unanswered: the total is at most the share of them
    /// someone acted on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_cap: Option<DecisionCap>,
    /// Score per dimension, 0–100, or `None` (JSON `null`) when the run did not test it.
    pub dimensions: BTreeMap<Dimension, Option<u32>>,
    /// Points at stake and lost per dimension: what each score is the share of.
    #[serde(default)]
    pub points: BTreeMap<Dimension, Points>,
    /// Every finding, in dimension order then minute order.
    pub findings: Vec<Finding>,
}

impl Scorecard {
    /// Whether anything has been graded yet: a card with nothing tested has no score to show
    /// ("not graded yet", never a zero).
    pub fn graded(&self) -> bool {
        self.dimensions.values().any(Option::is_some)
    }

    /// How the total follows from the findings, in words: "100 − 24 = 76", with the floor at 0
    /// and the decision cap when they applied.
    pub fn total_explained(&self) -> String {
        if !self.graded() {
            return "Not graded yet: nothing has been put to the test.".into();
        }
        let mut out = if self.deducted == 0 {
            "100: nothing deducted".to_owned()
        } else if self.deducted > 100 {
            format!("100 − {} stops at 0", self.deducted)
        } else {
            format!("100 − {} = {}", self.deducted, 100 - self.deducted)
        };
        if let Some(cap) = self.decision_cap
            && u64::from(cap.at_most) < 100u64.saturating_sub(self.deducted)
        {
            let _ = write!(
                out,
                "; at most {} because nobody acted on {} of {} required decisions",
                cap.at_most,
                cap.required - cap.acted,
                cap.required
            );
        }
        out
    }

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
    use super::{DecisionCap, Points};

    #[test]
    fn a_dimension_score_is_100_less_what_its_deductions_cost() {
        assert_eq!(Points::default().score(), None);
        let points = |at_stake, cost| Points {
            at_stake,
            cost,
            ..Points::default()
        };
        assert_eq!(points(30, 0).score(), Some(100));
        assert_eq!(points(30, 24).score(), Some(76));
        assert_eq!(points(30, 130).score(), Some(0));
        assert!(points(30, 130).floored() && !points(30, 100).floored());
    }

    #[test]
    fn the_decision_cap_is_the_share_acted_on() {
        assert_eq!(DecisionCap::of(3, 3), None);
        assert_eq!(DecisionCap::of(0, 1).map(|c| c.at_most), Some(0));
        assert_eq!(DecisionCap::of(1, 2).map(|c| c.at_most), Some(50));
        assert_eq!(DecisionCap::of(2, 3).map(|c| c.at_most), Some(67));
    }
}
