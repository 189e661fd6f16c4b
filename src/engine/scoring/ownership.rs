//! Ownership: the role that does the work is one the matrix makes Responsible for it.

use super::grader::{FindingDraft, Grader};
use crate::engine::model::id::{AssetId, RoleId};
use crate::engine::model::intent::Intent;
use crate::engine::model::matrix::{Dimension, TaskKind};
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
                    option.target.as_ref().map(AssetId::as_str),
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
        let responsible = resolve_all(g, &task.responsible, target);
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
                "{} did \"{what}\": it is Responsible for {}.",
                g.name(role.as_str()),
                task.name
            );
            let advice = consult_advice(g, task);
            g.credit(draft(message, advice));
        } else if accountable.as_ref() == Some(role) {
            let message = format!(
                "{} did \"{what}\" itself; it is Accountable for {}, not Responsible.",
                g.name(role.as_str()),
                task.name
            );
            let advice = format!(
                "Have {} do the work and keep {} answerable for the outcome.",
                g.names(&responsible),
                g.name(role.as_str())
            );
            g.deduct(penalties.accountable_did_work, draft(message, advice));
        } else {
            let message = format!(
                "{} did \"{what}\", but {} Responsible for {}.",
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

    // Decision points nobody acted on, once their window closed or the exercise ended.
    for inject_id in session.released() {
        let Some(inject) = session.scenario().inject(inject_id.as_str()) else {
            continue;
        };
        for decision in &inject.decisions {
            let acted = decision
                .actions
                .iter()
                .any(|a| session.performed().contains_key(&a.id));
            let closed = session.expired().contains(&decision.id) || session.ended();
            if !decision.required || acted || !closed {
                continue;
            }
            let released = session.released_at(inject_id.as_str()).unwrap_or(0);
            let minute = decision
                .expires_after_mins
                .map_or(session.minute(), |m| released.saturating_add(m))
                .min(session.minute());
            let tasks: Vec<&TaskKind> = decision
                .actions
                .iter()
                .filter_map(|a| session.matrix().task(a.task.as_str()))
                .collect();
            let Some(first) = tasks.first() else {
                continue;
            };
            let owners: Vec<String> = tasks
                .iter()
                .map(|t| format!("{} ({})", t.name, g.names(&t.responsible)))
                .collect();
            let message = format!(
                "Nobody acted on \"{}\" (released at minute {released}).",
                decision.prompt
            );
            let advice = format!(
                "Every decision needs an owner. The matrix assigns: {}.",
                owners.join("; ")
            );
            g.deduct(
                penalties.decision_unowned,
                FindingDraft {
                    dimension: Dimension::Ownership,
                    rule: format!("decision:{}", decision.id),
                    citation: first.citation.clone(),
                    minute,
                    entry: None,
                    role: None,
                    message,
                    advice,
                },
            );
        }
    }
}

fn resolve_all(g: &Grader<'_>, roles: &[RoleId], target: Option<&str>) -> Vec<RoleId> {
    roles
        .iter()
        .filter_map(|r| g.session.resolve_role(r, target).cloned())
        .collect()
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
