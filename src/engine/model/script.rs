//! Scripted playthroughs (`Decisions( … )` files): the intents a player makes, each at a scenario minute.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::engine::content::load::{Source, line_col};
use crate::engine::content::validate::suggest;
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

/// Plays a script to the end of the scenario. A step that goes back in time, comes after the end
/// or is rejected by the session is an error located at that step; the play goes on without it,
/// so every error of the script is reported at once, each with a "did you mean" where an id is
/// unknown.
pub fn run(
    scenario: Arc<Scenario>,
    matrix: Arc<Matrix>,
    decisions: &Decisions,
    seed: u64,
    source: &Source,
) -> Result<Session, Vec<Diagnostic>> {
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
) -> Result<Session, Vec<Diagnostic>> {
    if decisions.scenario != scenario.id {
        let at = source.locator().find(None, decisions.scenario.as_str());
        return Err(vec![Diagnostic {
            line: at.0,
            column: at.1,
            ..located(
                source,
                0,
                format!(
                    "this script is for scenario `{}`, not `{}`",
                    decisions.scenario, scenario.id
                ),
            )
        }]);
    }
    let mut session = Session::new(scenario, matrix, seed);
    let mut errors = Vec::new();
    for (index, step) in decisions.steps.iter().enumerate() {
        let number = index + 1;
        if session.ended() {
            errors.push(located(
                source,
                index,
                format!("step {number} comes after the exercise has ended"),
            ));
            continue;
        }
        if step.at < session.minute() {
            errors.push(located(
                source,
                index,
                format!(
                    "step {number} is at minute {}, but the clock is already at minute {}",
                    step.at,
                    session.minute()
                ),
            ));
        } else if step.at > session.minute() {
            let wait = step.at - session.minute();
            match session.apply(Intent::Advance { minutes: wait }) {
                Ok(_) => after_each(&session),
                Err(r) => errors.push(located(source, index, r.reason)),
            }
        }
        match session.apply(step.intent.clone()) {
            Ok(_) => after_each(&session),
            Err(r) => {
                let mut error = located(
                    source,
                    index,
                    format!("step {number} is rejected: {}", r.reason),
                );
                error.hint = did_you_mean(&session, &step.intent);
                errors.push(error);
            }
        }
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
        match session.apply(finish) {
            Ok(_) => after_each(&session),
            Err(r) => errors.push(located(source, decisions.steps.len(), r.reason)),
        }
    }
    if errors.is_empty() {
        Ok(session)
    } else {
        Err(errors)
    }
}

/// "did you mean" for the first id of an intent the scenario or matrix does not know.
fn did_you_mean(session: &Session, intent: &Intent) -> Option<String> {
    let scenario = session.scenario();
    let matrix = session.matrix();
    let roles = || matrix.roles.iter().map(|r| r.id.as_str());
    let actions = || scenario.actions().map(|(_, _, a)| a.id.as_str());
    let mut roles_named: Vec<&str> = Vec::new();
    let mut actions_named: Vec<&str> = Vec::new();
    let mut artifacts_named: Vec<&str> = Vec::new();
    let mut others: Vec<(&str, Vec<&str>)> = Vec::new();
    match intent {
        Intent::AssignAction { action, role } => {
            actions_named.push(action.as_str());
            roles_named.push(role.as_str());
        }
        Intent::ClassifySeverity { by, .. } | Intent::DeclareIncident { by } => {
            roles_named.push(by.as_str());
        }
        Intent::Escalate { from, to, .. } => {
            roles_named.push(from.as_str());
            roles_named.extend(to.iter().map(super::id::RoleId::as_str));
        }
        Intent::Handoff(h) => {
            roles_named.extend([h.from.as_str(), h.to.as_str()]);
            artifacts_named.extend(h.evidence.iter().map(super::id::ArtifactId::as_str));
            actions_named.extend(
                h.actions_taken
                    .iter()
                    .chain(&h.recommended)
                    .map(super::id::ActionId::as_str),
            );
        }
        Intent::Communicate {
            audience,
            sender,
            message,
            approvals,
        } => {
            roles_named.push(sender.as_str());
            roles_named.extend(approvals.iter().map(super::id::RoleId::as_str));
            let audiences = matrix.communication.audiences.iter().map(|a| a.id.as_str());
            let channels = scenario.channels.iter().map(|c| c.id.as_str());
            others.push((audience.as_str(), audiences.chain(channels).collect()));
            let messages = scenario.injects.iter().flat_map(|i| &i.messages);
            others.push((message.as_str(), messages.map(|m| m.id.as_str()).collect()));
        }
        Intent::RequestApproval {
            action,
            requested_by,
            approver,
        } => {
            actions_named.push(action.as_str());
            roles_named.extend([requested_by.as_str(), approver.as_str()]);
        }
        Intent::GrantApproval { action, approver } => {
            actions_named.push(action.as_str());
            roles_named.push(approver.as_str());
        }
        Intent::ReleaseInject { inject }
        | Intent::HoldInject { inject }
        | Intent::UnholdInject { inject } => {
            others.push((
                inject.as_str(),
                scenario.injects.iter().map(|i| i.id.as_str()).collect(),
            ));
        }
        Intent::Advance { .. } | Intent::EndExercise => {}
    }
    let artifacts = || {
        scenario
            .injects
            .iter()
            .flat_map(|i| &i.artifacts)
            .map(|a| a.id.as_str())
    };
    let groups = [
        (roles_named, roles().collect::<Vec<_>>()),
        (actions_named, actions().collect()),
        (artifacts_named, artifacts().collect()),
    ];
    groups
        .into_iter()
        .flat_map(|(named, known)| named.into_iter().map(move |id| (id, known.clone())))
        .chain(others)
        .filter(|(id, known)| !known.contains(id))
        .find_map(|(id, known)| {
            let hint = suggest(id, known.iter().copied())?;
            Some(format!("`{id}`: {hint}"))
        })
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
