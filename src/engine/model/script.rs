//! Scripted playthroughs (`Decisions( … )` files): the intents a player makes, each at a scenario minute.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::engine::content::load::{Source, line_col};
use crate::engine::diagnostic::{Code, Diagnostic, Level};
use crate::engine::model::id::ScenarioId;
use crate::engine::model::intent::Intent;
use crate::engine::model::matrix::Matrix;
use crate::engine::model::scenario::Scenario;
use crate::engine::session::Session;

/// A scripted playthrough.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decisions {
    /// The scenario it plays.
    pub scenario: ScenarioId,
    /// What the script demonstrates.
    #[serde(default)]
    pub description: String,
    /// Seed to use when the command line gives none.
    #[serde(default)]
    pub seed: Option<u64>,
    /// Intents in order.
    pub steps: Vec<Step>,
}

/// One scripted intent.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Scenario minute; the clock is advanced to it first.
    pub at: u32,
    /// What is done.
    pub intent: Intent,
}

/// Plays a script to the end of the scenario. A step that goes back in time or is rejected by the
/// session is an error located at that step in the script file.
pub fn run(
    scenario: Arc<Scenario>,
    matrix: Arc<Matrix>,
    decisions: &Decisions,
    seed: u64,
    source: &Source,
) -> Result<Session, Diagnostic> {
    run_observed(scenario, matrix, decisions, seed, source, &mut |_| {})
}

/// Like [`run`], calling `after_each` once every accepted intent has been applied (to save the
/// session as it goes).
pub fn run_observed(
    scenario: Arc<Scenario>,
    matrix: Arc<Matrix>,
    decisions: &Decisions,
    seed: u64,
    source: &Source,
    after_each: &mut dyn FnMut(&Session),
) -> Result<Session, Diagnostic> {
    if decisions.scenario != scenario.id {
        return Err(located(
            source,
            0,
            format!(
                "this script is for scenario `{}`, not `{}`",
                decisions.scenario, scenario.id
            ),
        ));
    }
    let mut session = Session::new(scenario, matrix, seed);
    for (index, step) in decisions.steps.iter().enumerate() {
        if session.ended() {
            return Err(located(
                source,
                index,
                format!("step {} comes after the exercise has ended", index + 1),
            ));
        }
        if step.at < session.minute() {
            return Err(located(
                source,
                index,
                format!(
                    "step {} is at minute {}, but the clock is already at minute {}",
                    index + 1,
                    step.at,
                    session.minute()
                ),
            ));
        }
        if step.at > session.minute() {
            let wait = step.at - session.minute();
            session
                .apply(Intent::Advance { minutes: wait })
                .map_err(|r| located(source, index, r.reason))?;
            after_each(&session);
        }
        session.apply(step.intent.clone()).map_err(|r| {
            located(
                source,
                index,
                format!("step {} is rejected: {}", index + 1, r.reason),
            )
        })?;
        after_each(&session);
    }
    if !session.ended() {
        let rest = session
            .scenario()
            .duration_mins
            .saturating_sub(session.minute());
        let finish = if rest > 0 {
            Intent::Advance { minutes: rest }
        } else {
            Intent::EndExercise
        };
        session
            .apply(finish)
            .map_err(|r| located(source, decisions.steps.len(), r.reason))?;
        after_each(&session);
    }
    Ok(session)
}

/// A diagnostic pointing at the `index`th step (its `at:` field) of a script.
fn located(source: &Source, index: usize, message: String) -> Diagnostic {
    let offset = nth_field(&source.text, "at", index).unwrap_or(0);
    let (line, column) = line_col(&source.text, offset);
    Diagnostic {
        level: Level::Error,
        code: Code::InvalidStep,
        file: source.path.clone(),
        line,
        column,
        message,
        hint: None,
    }
}

/// Byte offset of the `n`th `name:` field in a RON text, skipping string literals and comments.
fn nth_field(text: &str, name: &str, n: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut seen = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes.get(i) {
            Some(b'"') => {
                i += 1;
                while i < bytes.len() && bytes.get(i) != Some(&b'"') {
                    i += if bytes.get(i) == Some(&b'\\') { 2 } else { 1 };
                }
                i += 1;
            }
            Some(b'/') if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes.get(i) != Some(&b'\n') {
                    i += 1;
                }
            }
            _ => {
                let word_start = i == 0 || !is_ident(bytes.get(i - 1).copied());
                if word_start && text.get(i..).is_some_and(|t| t.starts_with(name)) {
                    let after = text.get(i + name.len()..).unwrap_or_default();
                    if after.trim_start().starts_with(':') && !is_ident(after.bytes().next()) {
                        if seen == n {
                            return Some(i);
                        }
                        seen += 1;
                    }
                }
                i += 1;
            }
        }
    }
    None
}

fn is_ident(b: Option<u8>) -> bool {
    b.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::nth_field;

    #[test]
    fn finds_fields_outside_strings_and_comments() {
        let text = "// at: no\n(at: 1, note: \"at: no\", at : 2, bat: 3)";
        assert_eq!(nth_field(text, "at", 0), Some(11));
        assert_eq!(nth_field(text, "at", 1), Some(34));
        assert_eq!(nth_field(text, "at", 2), None);
    }
}
