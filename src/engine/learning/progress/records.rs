//! What progress is computed from: stored runs and answers, the areas they score, and the
//! catalogue of scenarios and question sets that suggestions draw on.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::engine::content::library::Library;
use crate::engine::model::id::{QuestionId, RoleId};
use crate::engine::model::matrix::{Dimension, Matrix};
use crate::engine::model::scenario::{Difficulty, Scenario};
use crate::engine::scoring::{FindingKind, Scorecard};

/// Recent points averaged to rate an area.
pub const RECENT: usize = 3;

/// Areas averaging below this are reported as weak.
pub const WEAK_BELOW: u32 = 80;

/// One finished scenario run, as stored.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunRecord {
    /// Scenario id.
    pub scenario: String,
    /// Unix seconds when it finished.
    pub at: i64,
    /// Weighted total.
    pub total: u32,
    /// Score per dimension.
    pub dimensions: BTreeMap<Dimension, u32>,
    /// Per role: findings in the role's favour and against it.
    pub roles: BTreeMap<RoleId, RoleTally>,
}

/// Credits and deductions attributed to one role in a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RoleTally {
    /// Findings that credited a choice involving the role.
    pub credits: u32,
    /// Findings that deducted for a choice involving the role.
    pub deductions: u32,
}

impl RoleTally {
    /// Share of the role's graded choices that were right, 0–100.
    pub fn score(self) -> Option<u32> {
        let all = self.credits + self.deductions;
        (all > 0).then(|| self.credits * 100 / all)
    }
}

impl RunRecord {
    /// The record of a scorecard.
    pub fn from_scorecard(card: &Scorecard, at: i64) -> Self {
        let mut roles: BTreeMap<RoleId, RoleTally> = BTreeMap::new();
        for finding in &card.findings {
            if let Some(role) = &finding.role {
                let tally = roles.entry(role.clone()).or_default();
                match finding.kind {
                    FindingKind::Credit => tally.credits += 1,
                    FindingKind::Deduction => tally.deductions += 1,
                    FindingKind::NotReached | FindingKind::NotTested => {}
                }
            }
        }
        Self {
            scenario: card.scenario.0.clone(),
            at,
            total: card.total,
            // Progress tracks what was graded; an untested dimension says nothing of skill.
            dimensions: card.tested().collect(),
            roles,
        }
    }
}

/// One quiz answer, as stored.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AnswerRecord {
    /// The sitting it was given in.
    pub sitting: u32,
    /// The question.
    pub question: QuestionId,
    /// The question's dimension.
    pub dimension: Dimension,
    /// The question's roles.
    pub roles: Vec<RoleId>,
    /// Whether it was right.
    pub correct: bool,
    /// Whether it was the question's first asking in its sitting.
    pub first_try: bool,
    /// Unix seconds.
    pub at: i64,
}

/// Something progress is tracked for.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Area {
    /// A scoring dimension.
    Dimension(Dimension),
    /// A role.
    Role(RoleId),
}

impl Area {
    /// Human label.
    pub fn label(&self, matrix: Option<&Matrix>) -> String {
        match self {
            Self::Dimension(d) => d.label().to_owned(),
            Self::Role(r) => {
                matrix.map_or_else(|| r.0.clone(), |m| m.role_name(r.as_str()).to_owned())
            }
        }
    }
}

/// Where a point came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AttemptKind {
    /// A scenario run.
    Scenario,
    /// A quiz sitting.
    Quiz,
}

/// One score of an area at one attempt.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Point {
    /// 1-based attempt number (scenario runs and quiz sittings, in time order).
    pub attempt: usize,
    /// Unix seconds.
    pub at: i64,
    /// 0–100.
    pub score: u32,
    /// Run or sitting.
    pub source: AttemptKind,
}

/// The scores of one area over time.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Series {
    /// The area.
    pub area: Area,
    /// Its label.
    pub label: String,
    /// Points in attempt order.
    pub points: Vec<Point>,
}

impl Series {
    /// Mean of the last [`RECENT`] points.
    pub fn recent(&self) -> u32 {
        let tail: Vec<u32> = self
            .points
            .iter()
            .rev()
            .take(RECENT)
            .map(|p| p.score)
            .collect();
        if tail.is_empty() {
            return 100;
        }
        tail.iter().sum::<u32>() / tail.len() as u32
    }
}

/// A weak area.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Weakness {
    /// The area.
    pub area: Area,
    /// Its label.
    pub label: String,
    /// Mean of its recent points.
    pub recent: u32,
    /// How many points it has.
    pub samples: usize,
}

/// What to practise next.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Suggestion {
    /// `scenario`, `question_set` or `review`.
    pub kind: &'static str,
    /// Scenario or question-set id (empty for a review).
    pub id: String,
    /// Its title.
    pub title: String,
    /// Why.
    pub reason: String,
}

/// A scenario as the suggestion rules see it.
#[derive(Clone, Debug)]
pub struct ScenarioInfo {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Difficulty.
    pub difficulty: Difficulty,
    /// Dimensions its decisions exercise.
    pub dimensions: BTreeSet<Dimension>,
    /// Roles seated at its board.
    pub roles: BTreeSet<RoleId>,
}

/// A question set as the suggestion rules see it.
#[derive(Clone, Debug)]
pub struct SetInfo {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Questions per dimension.
    pub dimensions: BTreeMap<Dimension, usize>,
    /// Questions per role.
    pub roles: BTreeMap<RoleId, usize>,
}

/// What can be suggested.
#[derive(Clone, Debug, Default)]
pub struct Catalogue {
    /// Scenarios.
    pub scenarios: Vec<ScenarioInfo>,
    /// Question sets.
    pub sets: Vec<SetInfo>,
}

impl Catalogue {
    /// The catalogue of a loaded library.
    pub fn of(library: &Library) -> Self {
        let Some(matrix) = &library.matrix else {
            return Self::default();
        };
        let scenarios = library
            .scenarios
            .iter()
            .map(|s| ScenarioInfo {
                id: s.scenario.id.0.clone(),
                title: s.scenario.title.clone(),
                difficulty: s.scenario.difficulty,
                dimensions: exercised_dimensions(&s.scenario, &matrix.matrix),
                roles: if s.scenario.cast.is_empty() {
                    matrix.matrix.roles.iter().map(|r| r.id.clone()).collect()
                } else {
                    s.scenario.cast.iter().cloned().collect()
                },
            })
            .collect();
        let sets = library
            .question_sets
            .iter()
            .map(|l| {
                let mut dimensions = BTreeMap::new();
                let mut roles = BTreeMap::new();
                for q in &l.set.questions {
                    *dimensions.entry(q.dimension).or_default() += 1;
                    for r in &q.roles {
                        *roles.entry(r.clone()).or_default() += 1;
                    }
                }
                SetInfo {
                    id: l.set.id.clone(),
                    title: l.set.title.clone(),
                    dimensions,
                    roles,
                }
            })
            .collect();
        Self { scenarios, sets }
    }
}

/// The dimensions a scenario's decisions can be graded on, read from its content: every scenario
/// grades ownership; evidence needs a task that preserves or destroys evidence; separation of
/// duties needs a task behind an approval or a privileged one; communication needs messages;
/// escalation needs a severity or a trigger; handoffs need work that changes systems.
pub fn exercised_dimensions(scenario: &Scenario, matrix: &Matrix) -> BTreeSet<Dimension> {
    let mut out = BTreeSet::from([Dimension::Ownership]);
    for inject in &scenario.injects {
        if !inject.messages.is_empty() {
            out.insert(Dimension::Communication);
        }
        if inject.severity.is_some() || !inject.reveals.is_empty() {
            out.insert(Dimension::Escalation);
        }
        for action in inject.decisions.iter().flat_map(|d| &d.actions) {
            let Some(task) = matrix.task(action.task.as_str()) else {
                continue;
            };
            if task.preserves_evidence || task.destroys_evidence {
                out.insert(Dimension::Evidence);
            }
            if !task.approvals.is_empty() || task.privileged {
                out.insert(Dimension::SeparationOfDuties);
            }
            if task.phase.changes_systems() {
                out.insert(Dimension::Handoffs);
            }
        }
    }
    out
}
