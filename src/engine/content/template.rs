//! The Author screen's *New scenario*: a small scenario that validates under the folder's plan,
//! for an author to grow in the forms: one inject, one decision, one option the plan assigns.

use crate::engine::model::id::{ActionId, DecisionId};
use crate::engine::model::matrix::{Dimension, Matrix, Phase};
use crate::engine::model::scenario::{
    ActionOption, DecisionPoint, Inject, Objective, Release, Scenario,
};

/// A new scenario with id `id`, its first inject offering the plan's first analysis
/// task to whoever the plan makes Responsible for it.
pub fn new_scenario(id: &str, matrix: &Matrix) -> Scenario {
    let mut scenario = Scenario::blank(id, "New scenario", 60);
    scenario.summary =
        "What happens, in a paragraph: what is hit, how it shows itself and what is at stake."
            .into();
    let first_look = matrix
        .tasks
        .iter()
        .find(|t| t.phase == Phase::Analyze && !t.preserves_evidence)
        .or(matrix.tasks.first());
    scenario.objectives.push(Objective {
        id: "first-owner".into(),
        text: "Give the first report an owner the plan makes Responsible for it.".into(),
        dimensions: vec![Dimension::Ownership],
    });
    let decisions = first_look
        .map(|task| DecisionPoint {
            id: DecisionId::from("d-first-report"),
            prompt: "Who looks into it first?".into(),
            actions: vec![ActionOption {
                id: ActionId::from("first-look"),
                label: task.name.clone(),
                task: task.id.clone(),
                target: None,
                sets: Vec::new(),
                misdirected: None,
                records_owner: None,
            }],
            expires_after_mins: None,
            required: true,
        })
        .into_iter()
        .collect();
    let mut first = Inject::new(
        "first-report",
        "First report",
        Release::At(0),
        "Someone notices something wrong: say who, what they saw, where and when.",
    );
    first.to = first_look
        .and_then(|t| t.responsible.first().cloned())
        .into_iter()
        .collect();
    first.decisions = decisions;
    scenario.injects.push(first);
    scenario
}
