//! Ownership: the role that does the work is one the matrix makes Responsible for it.

use super::grader::{Due, FindingDraft, Grader};
use crate::engine::model::id::RoleId;
use crate::engine::model::intent::{Event, Intent};
use crate::engine::model::matrix::{Dimension, TaskKind};
use crate::engine::model::scenario::ActionOption;
use crate::engine::session::{TASK_CLASSIFY, TASK_DECLARE};

pub(super) fn grade(g: &mut Grader<'_>) {
    let session = g.session;
    let penalties = &session.matrix().scoring.penalties;
    for (index, entry) in session.log().entries.iter().enumerate() {
        let (task_id, role, target, what) = match &entry.intent {
            Intent::AssignAction { action, role } => {
                let Some((_, _, option)) = session.scenario().action(action.as_str()) else {
                    continue;
                };
                (
                    option.task.as_str(),
                    role,
                    option.target_id(),
                    option.label.clone(),
                )
            }
            Intent::ClassifySeverity { by, level } => (
                TASK_CLASSIFY,
                by,
                None,
                format!("classify severity {level}"),
            ),
            Intent::DeclareIncident { by } => {
                (TASK_DECLARE, by, None, "declare an incident".into())
            }
            _ => continue,
        };
        let Some(task) = session.matrix().task(task_id) else {
            continue;
        };
        let responsible = session.resolve_roles(&task.responsible, target);
        let accountable = session.resolve_role(&task.accountable, target).cloned();
        let draft = |message: String, advice: String| FindingDraft {
            dimension: Dimension::Ownership,
            rule: format!("raci:{}", task.id),
            citation: task.citation.clone(),
            minute: entry.minute,
            entry: Some(index),
            role: Some(role.clone()),
            message,
            advice,
        };
        if responsible.contains(role) {
            let message = format!(
                "{} did \"{what}\": the matrix makes it Responsible for \"{}\".",
                g.name(role.as_str()),
                task.name
            );
            let advice = consult_advice(g, task);
            g.credit(penalties.wrong_owner, draft(message, advice));
        } else if accountable.as_ref() == Some(role) {
            let message = format!(
                "{} did \"{what}\" itself; it is Accountable for \"{}\", not Responsible.",
                g.name(role.as_str()),
                task.name
            );
            let advice = format!(
                "Have {} do the work and keep {} answerable for the outcome.",
                g.names(&responsible),
                g.name(role.as_str())
            );
            g.deduct_part(
                penalties.wrong_owner.max(penalties.accountable_did_work),
                penalties.accountable_did_work,
                draft(message, advice),
            );
        } else {
            let message = format!(
                "{} did \"{what}\", but {} Responsible for \"{}\".",
                g.name(role.as_str()),
                g.names_are(&responsible),
                task.name
            );
            let advice = format!(
                "Assign it to {}{}.",
                g.names(&responsible),
                role_relation(task, role)
            );
            g.deduct(penalties.wrong_owner, draft(message, advice));
        }
    }

    required_decisions(g);
    ownership_gaps(g);
}

/// Every required decision is a check once it falls due: someone must have acted on it.
fn required_decisions(g: &mut Grader<'_>) {
    let session = g.session;
    let worth = session.matrix().scoring.penalties.decision_unowned;
    for inject in &session.scenario().injects {
        let released = session.released_at(inject.id.as_str());
        for decision in inject.decisions.iter().filter(|d| d.required) {
            let tasks: Vec<&TaskKind> = decision
                .actions
                .iter()
                .filter_map(|a| session.matrix().task(a.task.as_str()))
                .collect();
            let Some(first) = tasks.first() else {
                continue;
            };
            let draft = |minute: u32, message: String, advice: String| FindingDraft {
                dimension: Dimension::Ownership,
                rule: format!("decision:{}", decision.id),
                citation: first.citation.clone(),
                minute,
                entry: None,
                role: None,
                message,
                advice,
            };
            let Some(released) = released else {
                // What lay ahead when the exercise was stopped early.
                if g.ended_early() {
                    g.not_reached(draft(
                        session.minute(),
                        format!(
                            "Not reached: \"{}\" (inject \"{}\") was still to come when the exercise ended at minute {}.",
                            decision.prompt,
                            inject.title,
                            session.minute()
                        ),
                        "Play the scenario to its end to be graded on it.".into(),
                    ));
                }
                continue;
            };
            // Only an option that resolves the situation owns the decision; a wrong approach
            // (a ticket to the provider for the customer's own configuration) costs as much as
            // leaving it, whoever took it.
            let acted = decision
                .actions
                .iter()
                .filter(|a| a.misdirected.is_none())
                .find_map(|a| {
                    session
                        .performed()
                        .get(&a.id)
                        .map(|p| (a.label.as_str(), p))
                });
            let mut misdirected = false;
            for action in &decision.actions {
                let (Some(wrong), Some(done)) =
                    (&action.misdirected, session.performed().get(&action.id))
                else {
                    continue;
                };
                misdirected = true;
                let instead = decision.actions.iter().find(|a| a.id == wrong.instead);
                let task = instead.and_then(|a| session.matrix().task(a.task.as_str()));
                let mut finding = draft(
                    done.minute,
                    format!(
                        "\"{}\" does not resolve \"{}\": {}",
                        action.label, decision.prompt, wrong.why
                    ),
                    match (instead, task) {
                        (Some(a), Some(t)) => {
                            format!("Instead: \"{}\", by {}.", a.label, g.names(&t.responsible))
                        }
                        _ => wrong.why.clone(),
                    },
                );
                if let Some(task) = task {
                    finding.citation.clone_from(&task.citation);
                }
                finding.entry = Some(done.entry);
                finding.role = Some(done.role.clone());
                g.deduct(worth, finding);
            }
            let (deadline, due) = g.decision_due(decision, released);
            if let Some((label, done)) = acted {
                let message = format!(
                    "\"{}\" had an owner: {} took \"{label}\" at minute {}.",
                    decision.prompt,
                    g.name(done.role.as_str()),
                    done.minute
                );
                let mut credit = draft(
                    done.minute,
                    message,
                    "Every decision needs an owner; this one had one.".into(),
                );
                credit.entry = Some(done.entry);
                g.credit(worth, credit);
                g.decisions.graded += 1;
                g.decisions.acted += 1;
                continue;
            }
            let owners: Vec<String> = tasks
                .iter()
                .map(|t| format!("{} ({})", t.name, g.names(&t.responsible)))
                .collect();
            match due {
                Due::Pending => {}
                // A wrong approach was already charged: the same miss is not charged twice, and
                // an attempt is no absence, so the cap on the total leaves it to that charge.
                Due::Passed if misdirected => {
                    g.decisions.graded += 1;
                    g.decisions.acted += 1;
                }
                Due::Passed => {
                    g.decisions.graded += 1;
                    let message = format!(
                        "Nobody acted on \"{}\" (released at minute {released}).",
                        decision.prompt
                    );
                    let advice = format!(
                        "Every decision needs an owner. The matrix assigns: {}.",
                        owners.join("; ")
                    );
                    g.deduct(
                        worth,
                        draft(deadline.min(session.minute()), message, advice),
                    );
                }
                Due::NotReached => g.not_reached(draft(
                    session.minute(),
                    format!(
                        "Not reached: \"{}\" was still open when the exercise ended at minute {}.",
                        decision.prompt,
                        session.minute()
                    ),
                    format!("The matrix assigns: {}.", owners.join("; ")),
                )),
            }
        }
    }
}

fn consult_advice(g: &Grader<'_>, task: &TaskKind) -> String {
    if task.consulted.is_empty() {
        format!("{} is Accountable.", g.name(task.accountable.as_str()))
    } else {
        format!(
            "Keep consulting {}; {} is Accountable.",
            g.names(&task.consulted),
            g.name(task.accountable.as_str())
        )
    }
}

fn role_relation(task: &TaskKind, role: &RoleId) -> &'static str {
    if task.consulted.contains(role) {
        "; your role is to be Consulted on it"
    } else if task.informed.contains(role) {
        "; your role only needs to be Informed"
    } else if task.approvals.contains(role) {
        "; your role approves it rather than doing it"
    } else {
        ""
    }
}

/// Assets nobody owned when the scenario began, brought into play by a released action: an owner
/// must be established and recorded, or every decision about them lacks one.
fn ownership_gaps(g: &mut Grader<'_>) {
    let session = g.session;
    let scenario = session.scenario();
    let matrix = session.matrix();
    let worth = matrix.scoring.penalties.unowned_asset;
    for asset in scenario.assets.iter().filter(|a| a.owner.is_none()) {
        let targets = |a: &&ActionOption| a.target.as_ref() == Some(&asset.id);
        let in_play = scenario
            .injects
            .iter()
            .filter(|i| session.released_at(i.id.as_str()).is_some())
            .flat_map(|i| i.decisions.iter().flat_map(|d| &d.actions))
            .any(|a| targets(&a));
        // The task that records its owner, for the citation and who should do it.
        let recording = scenario
            .actions()
            .map(|(_, _, a)| a)
            .find(|a| targets(a) && a.records_owner.is_some());
        let (Some(recording), true) = (recording, in_play) else {
            continue;
        };
        let task = matrix.task(recording.task.as_str());
        let draft = |minute: u32, entry: Option<usize>, message: String| FindingDraft {
            dimension: Dimension::Ownership,
            rule: format!("ownership:unowned:{}", asset.id),
            citation: task.map(|t| t.citation.clone()).unwrap_or_default(),
            minute,
            entry,
            role: None,
            message,
            advice: format!(
                "Have {} establish and record who owns \u{201c}{}\u{201d}: \"not my system\" is never an answer.",
                g.names(task.map_or(&[][..], |t| &t.responsible)),
                asset.name
            ),
        };
        if let Some(owner) = session.recorded_owners().get(&asset.id) {
            let recorded = session.log().entries.iter().enumerate().find(|(_, e)| {
                e.events
                    .iter()
                    .any(|ev| matches!(ev, Event::OwnerRecorded { asset: a, .. } if *a == asset.id))
            });
            let (entry, minute) =
                recorded.map_or((None, session.minute()), |(i, e)| (Some(i), e.minute));
            g.credit(
                worth,
                draft(
                    minute,
                    entry,
                    format!(
                        "\u{201c}{}\u{201d} had no recorded owner; {} is now recorded as its owner.",
                        asset.name,
                        g.name(owner.as_str())
                    ),
                ),
            );
            continue;
        }
        match g.due(scenario.duration_mins) {
            Due::Passed => g.deduct(
                worth,
                draft(
                    session.minute(),
                    None,
                    format!(
                        "Nobody established who owns \u{201c}{}\u{201d}; every decision about it went without an owner.",
                        asset.name
                    ),
                ),
            ),
            Due::NotReached => g.not_reached(draft(
                session.minute(),
                None,
                format!(
                    "Not reached: \u{201c}{}\u{201d} still had no recorded owner when the exercise ended at minute {}.",
                    asset.name,
                    session.minute()
                ),
            )),
            Due::Pending => {}
        }
    }
}
