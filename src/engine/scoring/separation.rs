//! Separation of duties: required approvals in place before the work, and nobody approving their own
//! request or their own privileged change.

use super::grader::{FindingDraft, Grader, Work};
use crate::engine::model::id::RoleId;
use crate::engine::model::matrix::Dimension;
use crate::engine::session::{Granted, either_list};

pub(super) fn grade(g: &mut Grader<'_>) {
    let session = g.session;
    let matrix = session.matrix();
    let policy = &matrix.separation_of_duties;
    let penalties = &matrix.scoring.penalties;

    // Self-approval on any request.
    for record in session.approvals() {
        let Some(Granted { minute, entry }) = record.granted else {
            continue;
        };
        let performer = session.performed().get(&record.action).map(|p| &p.role);
        let self_approved =
            record.approver == record.requested_by || performer == Some(&record.approver);
        if self_approved {
            let label = action_label(g, record.action.as_str());
            g.deduct(
                penalties.self_approval,
                FindingDraft {
                    dimension: Dimension::SeparationOfDuties,
                    rule: "sod:self_approval".into(),
                    citation: policy.citation.clone(),
                    minute,
                    entry: Some(entry),
                    role: Some(record.approver.clone()),
                    message: format!(
                        "{} approved \"{label}\", which it requested or carried out itself.",
                        g.name(record.approver.as_str())
                    ),
                    advice: "An approval must come from a role other than the one asking and the one doing the work.".into(),
                },
            );
        } else {
            g.keep(Dimension::SeparationOfDuties, penalties.self_approval);
        }
    }

    // Approvals required by the matrix, in place before the work. A wrong approach is charged
    // once, as the decision it failed to resolve; its missing sign-offs would charge it again.
    for Work {
        action,
        done,
        option,
        task,
    } in g.work()
    {
        if option.misdirected.is_some() {
            continue;
        }
        let target = option.target_id();
        let granted_before: Vec<&RoleId> = session
            .approvals()
            .iter()
            .filter(|r| r.action == *action && r.granted.is_some_and(|g| g.entry < done.entry))
            .map(|r| &r.approver)
            .collect();
        let draft = |message: String, advice: String| FindingDraft {
            dimension: Dimension::SeparationOfDuties,
            rule: format!("sod:{}", task.id),
            citation: if task.approvals.is_empty() && task.approvals_any_of.is_empty() {
                policy.citation.clone()
            } else {
                policy.approval_citation.clone()
            },
            minute: done.minute,
            entry: Some(done.entry),
            role: Some(done.role.clone()),
            message,
            advice,
        };
        let needed = session.resolve_roles(&task.approvals, target);
        let missing: Vec<RoleId> = needed
            .iter()
            .filter(|r| !granted_before.contains(r))
            .cloned()
            .collect();
        // One of these, beside every role above: a group check of its own.
        let any_of = session.resolve_roles(&task.approvals_any_of, target);
        let any_of_missing =
            !any_of.is_empty() && !any_of.iter().any(|r| granted_before.contains(&r));
        if any_of_missing {
            let either = either_list(any_of.iter().map(|r| g.name(r.as_str())).collect());
            g.deduct(
                penalties.unapproved_change,
                draft(
                    format!(
                        "\"{}\" was carried out without approval from {either}.",
                        option.label
                    ),
                    format!(
                        "Have {either} approve \"{}\" before it is done.",
                        option.label
                    ),
                ),
            );
        }
        let needs_independent = task.privileged || task.alters_audit_trail;
        let independent = granted_before.iter().any(|r| **r != done.role);
        // Each approver the matrix names is a check of its own: an owner's approval counts, and
        // a missing one costs what a missing leadership approval does.
        for approver in &missing {
            g.deduct(
                penalties.unapproved_change,
                draft(
                    format!(
                        "\"{}\" was carried out without approval from {}.",
                        option.label,
                        g.name(approver.as_str())
                    ),
                    format!(
                        "Request approval from {} and have it granted before \"{}\".",
                        g.name(approver.as_str()),
                        option.label
                    ),
                ),
            );
        }
        if !missing.is_empty() || any_of_missing {
            let kept =
                needed.len() - missing.len() + usize::from(!any_of.is_empty() && !any_of_missing);
            g.keep(
                Dimension::SeparationOfDuties,
                penalties
                    .unapproved_change
                    .saturating_mul(u32::try_from(kept).unwrap_or(0)),
            );
        } else if needs_independent && !independent {
            g.deduct(
                penalties.unapproved_change,
                draft(
                    format!(
                        "\"{}\" is a privileged change and nobody independent of {} approved it.",
                        option.label,
                        g.name(done.role.as_str())
                    ),
                    "Have a second role review and approve privileged changes and changes to logging.".into(),
                ),
            );
        } else if !needed.is_empty() || !any_of.is_empty() || needs_independent {
            let checks =
                u32::try_from((needed.len() + usize::from(!any_of.is_empty())).max(1)).unwrap_or(1);
            g.credit(
                penalties.unapproved_change.saturating_mul(checks),
                draft(
                    format!(
                        "\"{}\" was approved by {} before it was carried out.",
                        option.label,
                        g.names(granted_before.iter().copied())
                    ),
                    "Approvals in place before the change: separation of duties kept.".into(),
                ),
            );
        }
    }
}

fn action_label(g: &Grader<'_>, action: &str) -> String {
    g.session
        .scenario()
        .action(action)
        .map_or_else(|| action.to_owned(), |(_, _, o)| o.label.clone())
}
