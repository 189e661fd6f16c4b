//! The statements of one played exercise: launched, one per graded choice (an option taken, a
//! handoff, an escalation, a message), then completed with the total and each dimension, and
//! terminated. Each choice carries the verdict the scorecard gave it and the responsibilities it
//! cites.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::{
    Activity, Context, ContextActivities, Identity, Score, Statement, StatementResult, activity,
    adl_verb, agent, extension, statement_id, timestamp,
};
use crate::engine::Intent;
use crate::engine::exercise::ExerciseRecord;
use crate::engine::model::id::RoleId;
use crate::engine::scoring::{FindingKind, Scorecard};
use crate::engine::session::Session;

/// Every statement of `record` played by `learner`, in log order, with `session` its replay and
/// `card` its grade.
pub fn exercise_statements(
    identity: &Identity,
    learner: &str,
    record: &ExerciseRecord,
    session: &Session,
    card: &Scorecard,
) -> Vec<Statement> {
    let player = Player {
        name: learner,
        key: record.id.clone(),
        plays: None,
    };
    statements_of(identity, &player, record, session, card)
}

/// The statements of each person who held a seat of the exercise's room, each with the choices
/// made from their seat (and the team's grade); empty when the exercise had no room or nobody
/// joined it. A name that held two seats is one person with both seats' choices.
pub fn room_statements(
    identity: &Identity,
    record: &ExerciseRecord,
    session: &Session,
    card: &Scorecard,
) -> Vec<Statement> {
    let Some(room) = &record.room else {
        return Vec::new();
    };
    let mut people: BTreeMap<&str, Vec<RoleId>> = BTreeMap::new();
    for seat in &room.seats {
        for device in &seat.devices {
            let name = device.person.trim();
            if !name.is_empty() {
                people
                    .entry(name)
                    .or_default()
                    .extend(seat.seat.roles.iter().cloned());
            }
        }
    }
    people
        .into_iter()
        .flat_map(|(name, roles)| {
            let player = Player {
                name,
                key: format!("{}/person/{name}", record.id),
                plays: Some(roles),
            };
            statements_of(identity, &player, record, session, card)
        })
        .collect()
}

/// Who the statements are about.
struct Player<'a> {
    /// The name the statements carry.
    name: &'a str,
    /// What their statement ids are made from.
    key: String,
    /// The roles whose choices are theirs (`None`: every choice).
    plays: Option<Vec<RoleId>>,
}

fn statements_of(
    identity: &Identity,
    player: &Player<'_>,
    record: &ExerciseRecord,
    session: &Session,
    card: &Scorecard,
) -> Vec<Statement> {
    let scenario = session.scenario();
    let the_scenario = activity(
        identity,
        &["scenarios", scenario.id.as_str()],
        &scenario.title,
        "simulation",
    );
    let context = Context {
        registration: Some(statement_id(&record.id, 0, "registration")),
        platform: "Warroom".into(),
        context_activities: None,
        extensions: BTreeMap::from([
            (extension(identity, "scenario"), json!(scenario.id.as_str())),
            (extension(identity, "plan"), json!(session.matrix().id)),
            (
                extension(identity, "plan-version"),
                json!(session.matrix().version),
            ),
            (extension(identity, "seed"), json!(session.seed())),
            (extension(identity, "mode"), json!(record.mode.label())),
        ]),
    };
    let in_scenario = Context {
        context_activities: Some(ContextActivities {
            parent: vec![the_scenario.clone()],
        }),
        ..context.clone()
    };
    let actor = agent(identity, player.name);
    let statement = |position: usize, word: &str, object: Activity, when: i64| Statement {
        id: statement_id(&player.key, position, word),
        actor: actor.clone(),
        verb: adl_verb(word),
        object,
        result: None,
        context: Some(context.clone()),
        timestamp: timestamp(when),
    };

    let mut out = vec![statement(
        0,
        "launched",
        the_scenario.clone(),
        record.started_at,
    )];
    for (index, entry) in session.log().entries.iter().enumerate() {
        let theirs = match (&player.plays, entry.intent.actor()) {
            (None, _) => true,
            (Some(roles), Some(actor)) => roles.contains(actor),
            (Some(_), None) => false,
        };
        if !theirs {
            continue;
        }
        let Some((word, object)) = choice(identity, session, &entry.intent) else {
            continue;
        };
        // Scenario time after the start, never later than the record's last change.
        let when = record
            .started_at
            .saturating_add(i64::from(entry.minute) * 60)
            .min(record.updated_at.max(record.started_at));
        let mut s = statement(index + 1, word, object, when);
        let mut result = verdict(identity, card, index + 1);
        if let Some(actor) = entry.intent.actor() {
            result
                .extensions
                .insert(extension(identity, "role"), json!(actor.as_str()));
        }
        s.result = Some(result);
        s.context = Some(in_scenario.clone());
        out.push(s);
    }
    if session.ended() {
        let end = session.log().entries.len() + 1;
        let mut completed = statement(end, "completed", the_scenario.clone(), record.updated_at);
        completed.result = Some(StatementResult {
            score: Some(Score::of_100(card.total)),
            completion: Some(!card.ended_early),
            extensions: card
                .dimensions
                .iter()
                .map(|(d, score)| {
                    (
                        extension(identity, &format!("dimension/{}", d.key())),
                        score.map_or(Value::Null, |s| json!(s)),
                    )
                })
                .chain([(extension(identity, "deductions"), deductions(card))])
                .collect(),
            ..StatementResult::default()
        });
        out.push(completed);
        out.push(statement(
            end + 1,
            "terminated",
            the_scenario,
            record.updated_at,
        ));
    }
    out
}

/// The verb and activity of a graded choice; `None` for what is not one (the clock, a request).
fn choice(
    identity: &Identity,
    session: &Session,
    intent: &Intent,
) -> Option<(&'static str, Activity)> {
    let scenario = session.scenario();
    let matrix = session.matrix();
    let id = scenario.id.as_str();
    let (path, name): (Vec<String>, String) = match intent {
        Intent::AssignAction { action, .. } => {
            let (inject, _, option) = scenario.action(action.as_str())?;
            let path = [
                "scenarios",
                id,
                "injects",
                inject.id.as_str(),
                "actions",
                action.as_str(),
            ];
            return Some((
                "responded",
                activity(identity, &path, &option.label, "interaction"),
            ));
        }
        Intent::Handoff(h) => (
            vec![format!("handoffs"), format!("{}-to-{}", h.from, h.to)],
            format!(
                "Handoff from {} to {}",
                matrix.role_name(h.from.as_str()),
                matrix.role_name(h.to.as_str())
            ),
        ),
        Intent::Escalate { from, to, .. } => (
            vec![
                "escalations".into(),
                format!(
                    "{from}-to-{}",
                    to.iter().map(RoleId::as_str).collect::<Vec<_>>().join("+")
                ),
            ],
            format!(
                "Escalation from {} to {}",
                matrix.role_name(from.as_str()),
                to.iter()
                    .map(|r| matrix.role_name(r.as_str()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
        Intent::Communicate {
            audience, message, ..
        } => {
            let label = scenario
                .message(message.as_str())
                .map_or_else(|| message.to_string(), |(_, m)| m.label.clone());
            (
                vec!["messages".into(), format!("{message}-to-{audience}")],
                label,
            )
        }
        _ => return None,
    };
    let mut full = vec!["scenarios", id];
    full.extend(path.iter().map(String::as_str));
    Some((
        "interacted",
        activity(identity, &full, &name, "interaction"),
    ))
}

/// Every deduction of the run (those of a choice and those of something never done), each with
/// the responsibility it cites, its dimension, the role it falls on and what it cost: what an
/// organisation's report counts.
fn deductions(card: &Scorecard) -> Value {
    Value::Array(
        card.findings
            .iter()
            .filter(|f| f.kind == FindingKind::Deduction)
            .map(|f| {
                json!({
                    "cites": f.citation,
                    "dimension": f.dimension.key(),
                    "role": f.role.as_ref().map(RoleId::as_str),
                    "points": f.points,
                })
            })
            .collect(),
    )
}

/// What the scorecard said of log entry `entry` (1-based): met or not, in words, with the
/// responsibilities a deduction cites and what it cost.
fn verdict(identity: &Identity, card: &Scorecard, entry: usize) -> StatementResult {
    let findings: Vec<_> = card
        .findings
        .iter()
        .filter(|f| f.entry == Some(entry))
        .filter(|f| matches!(f.kind, FindingKind::Deduction | FindingKind::Credit))
        .collect();
    let deductions: Vec<_> = findings
        .iter()
        .copied()
        .filter(|f| f.kind == FindingKind::Deduction)
        .collect();
    let response = deductions
        .first()
        .or(findings.first())
        .map(|f| f.message.clone());
    let mut extensions = BTreeMap::new();
    if !deductions.is_empty() {
        extensions.insert(
            extension(identity, "cites"),
            json!(
                deductions
                    .iter()
                    .map(|f| f.citation.as_str())
                    .collect::<Vec<_>>()
            ),
        );
        extensions.insert(
            extension(identity, "points"),
            json!(deductions.iter().map(|f| f.points).sum::<i32>()),
        );
        extensions.insert(
            extension(identity, "dimensions"),
            json!(
                deductions
                    .iter()
                    .map(|f| f.dimension.key())
                    .collect::<Vec<_>>()
            ),
        );
    }
    StatementResult {
        success: (!findings.is_empty()).then_some(deductions.is_empty()),
        response,
        extensions,
        ..StatementResult::default()
    }
}
