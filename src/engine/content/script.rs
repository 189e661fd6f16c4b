//! Scripted playthroughs (`Decisions( … )` files): the intents a player makes, each at a scenario minute.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::engine::content::load::{LineIndex, Source, field_offsets};
use crate::engine::content::validate::suggest;
use crate::engine::diagnostic::{Code, Diagnostic, Level};
use crate::engine::model::id::{InjectId, RoleId, ScenarioId};
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

impl Decisions {
    /// The script as RON, one step to a line, readable and diffable beside hand-written ones;
    /// it parses back to the same steps.
    pub fn to_ron(&self) -> String {
        use std::fmt::Write as _;
        let config = ron::ser::PrettyConfig::new()
            .struct_names(true)
            .compact_structs(true)
            .compact_arrays(true);
        let quoted = |s: &str| ron::to_string(s).unwrap_or_else(|_| format!("{s:?}"));
        // Writing to a String cannot fail.
        let mut out = String::from("Decisions(\n");
        let _ = writeln!(out, "    scenario: {},", quoted(self.scenario.as_str()));
        let _ = writeln!(out, "    description: {},", quoted(&self.description));
        if let Some(seed) = self.seed {
            let _ = writeln!(out, "    seed: {seed},");
        }
        out.push_str("    steps: [\n");
        for step in &self.steps {
            let intent = ron::ser::to_string_pretty(&step.intent, config.clone())
                .unwrap_or_else(|e| format!("/* {e} */"));
            let when = match (&step.at, &step.after) {
                (Some(minute), _) => format!("at: {minute}"),
                (None, Some((inject, minutes))) => {
                    format!("after: ({}, {minutes})", quoted(inject.as_str()))
                }
                (None, None) => String::new(),
            };
            let _ = writeln!(out, "        Step({when}, intent: {intent}),");
        }
        out.push_str("    ],\n)\n");
        out
    }
}

/// One scripted intent, at a scenario minute (`at: 12`) or a number of minutes after an inject
/// came in (`after: ("ransom-note", 2)`): a script written the second way still plays when the
/// inject is moved.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Scenario minute; the clock is advanced to it first.
    #[serde(default)]
    pub at: Option<u32>,
    /// Minutes after an inject's release; the clock is advanced to then first.
    #[serde(default)]
    pub after: Option<(InjectId, u32)>,
    /// What is done.
    pub intent: Intent,
}

impl Step {
    /// A step at a fixed minute.
    pub fn at(minute: u32, intent: Intent) -> Self {
        Self {
            at: Some(minute),
            after: None,
            intent,
        }
    }

    /// The minute the step is played at in `session`: its own, or its inject's release plus its
    /// minutes; an inject not in yet counts from the minute it would come in if nothing else were
    /// done first.
    pub fn minute(&self, session: &Session) -> Result<u32, String> {
        match (self.at, &self.after) {
            (Some(minute), None) => Ok(minute),
            (None, Some((inject, minutes))) => {
                if session.scenario().inject(inject.as_str()).is_none() {
                    return Err(format!("there is no inject `{inject}` in this scenario"));
                }
                match session.release_minute_if_left_alone(inject.as_str()) {
                    Some(at) => Ok(at.saturating_add(*minutes)),
                    None => Err(format!(
                        "inject `{inject}` is not in by T+{:02} and would not come in before the end, so there is nothing to count from",
                        session.minute()
                    )),
                }
            }
            (Some(_), Some(_)) => Err("a step has `at` or `after`, not both".to_owned()),
            (None, None) => {
                Err("a step needs `at: <minute>` or `after: (\"inject-id\", <minutes>)`".to_owned())
            }
        }
    }
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
    run_resolved(scenario, matrix, decisions, seed, source, after_each).map(|(session, _)| session)
}

/// Like [`run_observed`], also giving the minute each step was played at, by step (a step timed
/// after an inject resolves to that inject's release plus its minutes; `None` for a step the
/// exercise had ended before).
pub fn run_resolved(
    scenario: Arc<Scenario>,
    matrix: Arc<Matrix>,
    decisions: &Decisions,
    seed: u64,
    source: &Source,
    after_each: &mut dyn FnMut(&Session),
) -> Result<(Session, Vec<Option<u32>>), Vec<Diagnostic>> {
    let places = StepPlaces::new(source);
    if decisions.scenario != scenario.id {
        let at = source.locator().find(None, decisions.scenario.as_str());
        return Err(vec![Diagnostic {
            line: at.0,
            column: at.1,
            ..places.located(
                0,
                format!(
                    "this script is for scenario `{}`, not `{}`",
                    decisions.scenario, scenario.id
                ),
            )
        }]);
    }
    let merged_desks = !matrix.aliases.is_empty();
    let mut session = Session::new(scenario, matrix, seed);
    let mut errors = Vec::new();
    let mut resolved: Vec<Option<u32>> = vec![None; decisions.steps.len()];
    for (index, step) in decisions.steps.iter().enumerate() {
        let number = index + 1;
        if session.ended() {
            errors.push(places.located(
                index,
                format!("step {number} comes after the exercise has ended"),
            ));
            continue;
        }
        let at = match step.minute(&session) {
            Ok(at) => at,
            Err(why) => {
                errors.push(places.located(index, format!("step {number}: {why}")));
                continue;
            }
        };
        if let Some(slot) = resolved.get_mut(index) {
            *slot = Some(at);
        }
        if at < session.minute() {
            errors.push(places.located(
                index,
                format!(
                    "step {number} is at minute {at}, but the clock is already at minute {}",
                    session.minute()
                ),
            ));
        } else if at > session.minute() {
            let wait = at - session.minute();
            match session.apply(Intent::Advance { minutes: wait }) {
                Ok(_) => after_each(&session),
                Err(r) => errors.push(places.located(index, r.reason)),
            }
        }
        let intent = if merged_desks {
            match within_one_desk(&step.intent, &session) {
                Some(intent) => intent,
                None => continue,
            }
        } else {
            step.intent.clone()
        };
        match session.apply(intent) {
            Ok(_) => after_each(&session),
            Err(r) => {
                let mut error =
                    places.located(index, format!("step {number} is rejected: {}", r.reason));
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
            Err(r) => errors.push(places.located(decisions.steps.len(), r.reason)),
        }
    }
    if errors.is_empty() {
        Ok((session, resolved))
    } else {
        Err(errors)
    }
}

/// A step as it plays under a plan whose aliases make two of its roles one desk. Written for the
/// roles apart, it may name the desk twice: escalating to or telling itself, handing off to
/// itself, asking itself (or asking again) for an approval, granting one nobody is waiting for.
/// What is left of it is played; a step of which nothing is left is what the desk does within
/// itself, and is passed over (`None`) rather than refused.
fn within_one_desk(intent: &Intent, session: &Session) -> Option<Intent> {
    let others = |from: &RoleId, to: &[RoleId]| -> Vec<RoleId> {
        let mut out: Vec<RoleId> = Vec::new();
        for role in to {
            if role != from && !out.contains(role) {
                out.push(role.clone());
            }
        }
        out
    };
    let mut intent = intent.clone();
    match &mut intent {
        Intent::Escalate { from, to, .. } | Intent::Inform { from, to, .. } => {
            *to = others(from, to);
            if to.is_empty() {
                return None;
            }
        }
        Intent::Handoff(handoff) if handoff.from == handoff.to => return None,
        Intent::Communicate { approvals, .. } => {
            let mut seen = std::collections::BTreeSet::new();
            approvals.retain(|r| seen.insert(r.clone()));
        }
        Intent::RequestApproval {
            action,
            requested_by,
            approver,
        } => {
            let asked = session
                .approvals()
                .iter()
                .any(|r| r.action == *action && r.approver == *approver);
            if asked || requested_by == approver {
                return None;
            }
        }
        Intent::GrantApproval { action, approver } => {
            let waiting = session
                .approvals()
                .iter()
                .any(|r| r.action == *action && r.approver == *approver && r.granted.is_none());
            if !waiting {
                return None;
            }
        }
        Intent::RequestMessageApproval {
            message,
            audience,
            requested_by,
            approver,
        } => {
            let asked = session.message_approvals().iter().any(|r| {
                r.message == *message && r.audience == *audience && r.approver == *approver
            });
            if asked || requested_by == approver {
                return None;
            }
        }
        Intent::GrantMessageApproval {
            message,
            audience,
            approver,
        } => {
            let waiting = session
                .message_approvals()
                .iter()
                .any(|r| r.awaits(message, audience, approver));
            if !waiting {
                return None;
            }
        }
        _ => {}
    }
    Some(intent)
}

/// What kind of thing an id in an intent names.
#[derive(Clone, Copy)]
enum Named {
    Role,
    Action,
    Artifact,
    Audience,
    Message,
    Inject,
}

/// "did you mean" for the first id of an intent the scenario or matrix does not know.
fn did_you_mean(session: &Session, intent: &Intent) -> Option<String> {
    let scenario = session.scenario();
    let audiences = session.audiences();
    let known = |kind: Named| -> Vec<&str> {
        match kind {
            Named::Role => session
                .matrix()
                .roles
                .iter()
                .map(|r| r.id.as_str())
                .collect(),
            Named::Action => scenario.actions().map(|(_, _, a)| a.id.as_str()).collect(),
            Named::Artifact => scenario
                .injects
                .iter()
                .flat_map(|i| &i.artifacts)
                .map(|a| a.id.as_str())
                .collect(),
            Named::Audience => audiences.iter().map(|a| a.id.as_str()).collect(),
            Named::Message => scenario
                .injects
                .iter()
                .flat_map(|i| &i.messages)
                .map(|m| m.id.as_str())
                .collect(),
            Named::Inject => scenario.injects.iter().map(|i| i.id.as_str()).collect(),
        }
    };
    names_in(intent).into_iter().find_map(|(id, kind)| {
        let known = known(kind);
        if known.contains(&id) {
            return None;
        }
        suggest(id, known.iter().copied()).map(|hint| format!("`{id}`: {hint}"))
    })
}

fn role_names(ids: &[RoleId]) -> impl Iterator<Item = (&str, Named)> {
    ids.iter().map(|r| (r.as_str(), Named::Role))
}

/// Every id an intent names, with what it names, in the order the intent gives them.
fn names_in(intent: &Intent) -> Vec<(&str, Named)> {
    match intent {
        Intent::AssignAction { action, role } => {
            vec![
                (action.as_str(), Named::Action),
                (role.as_str(), Named::Role),
            ]
        }
        Intent::ClassifySeverity { by, .. } | Intent::DeclareIncident { by } => {
            vec![(by.as_str(), Named::Role)]
        }
        Intent::Escalate { from, to, .. } => {
            let mut named = vec![(from.as_str(), Named::Role)];
            named.extend(role_names(to));
            named
        }
        Intent::Inform { from, to, about } => {
            let mut named = vec![(from.as_str(), Named::Role)];
            named.extend(role_names(to));
            named.push((about.as_str(), Named::Action));
            named
        }
        Intent::Handoff(h) => {
            let mut named = vec![(h.from.as_str(), Named::Role), (h.to.as_str(), Named::Role)];
            named.extend(h.evidence.iter().map(|a| (a.as_str(), Named::Artifact)));
            let actions = h.actions_taken.iter().chain(&h.recommended);
            named.extend(actions.map(|a| (a.as_str(), Named::Action)));
            named
        }
        Intent::Communicate {
            audience,
            sender,
            message,
            approvals,
        } => {
            let mut named = vec![(sender.as_str(), Named::Role)];
            named.extend(role_names(approvals));
            named.push((audience.as_str(), Named::Audience));
            named.push((message.as_str(), Named::Message));
            named
        }
        Intent::RequestApproval {
            action,
            requested_by,
            approver,
        } => vec![
            (action.as_str(), Named::Action),
            (requested_by.as_str(), Named::Role),
            (approver.as_str(), Named::Role),
        ],
        Intent::GrantApproval { action, approver } => {
            vec![
                (action.as_str(), Named::Action),
                (approver.as_str(), Named::Role),
            ]
        }
        Intent::RequestMessageApproval {
            message,
            audience,
            requested_by,
            approver,
        } => vec![
            (message.as_str(), Named::Message),
            (audience.as_str(), Named::Audience),
            (requested_by.as_str(), Named::Role),
            (approver.as_str(), Named::Role),
        ],
        Intent::GrantMessageApproval {
            message,
            audience,
            approver,
        } => vec![
            (message.as_str(), Named::Message),
            (audience.as_str(), Named::Audience),
            (approver.as_str(), Named::Role),
        ],
        Intent::ReleaseInject { inject }
        | Intent::HoldInject { inject }
        | Intent::UnholdInject { inject } => vec![(inject.as_str(), Named::Inject)],
        Intent::Advance { .. } | Intent::EndExercise => Vec::new(),
    }
}

/// Where a script's steps stand in its file, found on the first refused step: every `at:` and
/// the line starts, once, so a script with thousands of refused steps is located in one pass.
struct StepPlaces<'s> {
    source: &'s Source,
    found: std::cell::OnceCell<(Vec<usize>, LineIndex)>,
}

impl<'s> StepPlaces<'s> {
    fn new(source: &'s Source) -> Self {
        Self {
            source,
            found: std::cell::OnceCell::new(),
        }
    }

    /// A diagnostic pointing at the `index`th step (its `at:` field).
    fn located(&self, index: usize, message: String) -> Diagnostic {
        let (steps, lines) = self.found.get_or_init(|| {
            // A step starts with `at:` or `after:`; in file order, the nth of them is step n.
            let mut starts = field_offsets(&self.source.text, "at");
            starts.extend(field_offsets(&self.source.text, "after"));
            starts.sort_unstable();
            (starts, LineIndex::new(&self.source.text))
        });
        let offset = steps.get(index).copied().unwrap_or(0);
        let (line, column) = lines.line_col(&self.source.text, offset);
        Diagnostic {
            level: Level::Error,
            code: Code::InvalidStep,
            file: self.source.path.clone(),
            line,
            column,
            message,
            hint: None,
            cell: None,
        }
    }
}
