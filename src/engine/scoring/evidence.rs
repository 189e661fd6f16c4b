//! Evidence preservation: nothing that destroys evidence runs on an asset before its evidence is preserved.

use std::collections::BTreeSet;

use super::grader::{Due, FindingDraft, Grader};
use crate::engine::model::id::AssetId;
use crate::engine::model::matrix::Dimension;

pub(super) fn grade(g: &mut Grader<'_>) {
    let session = g.session;
    let matrix = session.matrix();
    let preserve_citation = matrix
        .tasks
        .iter()
        .find(|t| t.preserves_evidence)
        .map(|t| t.citation.clone());
    let mut performed: Vec<_> = session.performed().iter().collect();
    performed.sort_by_key(|(_, p)| p.entry);
    // Evidence is destroyed once: a later power-off or restore of an asset already wiped loses
    // nothing more, and charging it again would punish one mistake three times.
    let mut lost: BTreeSet<&AssetId> = BTreeSet::new();
    for (action_id, done) in &performed {
        let Some((_, _, option)) = session.scenario().action(action_id.as_str()) else {
            continue;
        };
        let Some(task) = matrix.task(option.task.as_str()) else {
            continue;
        };
        let Some(target) = &option.target else {
            continue;
        };
        if !task.destroys_evidence {
            continue;
        }
        let preserved_before = performed.iter().find(|(other, p)| {
            p.entry < done.entry
                && session
                    .scenario()
                    .action(other.as_str())
                    .and_then(|(_, _, o)| {
                        (o.target.as_ref() == Some(target)).then_some(o.task.as_str())
                    })
                    .and_then(|t| matrix.task(t))
                    .is_some_and(|t| t.preserves_evidence)
        });
        let asset = session
            .scenario()
            .asset(target.as_str())
            .map_or(target.as_str(), |a| a.name.as_str());
        let draft = |message: String, advice: String| FindingDraft {
            dimension: Dimension::Evidence,
            rule: format!("evidence:{}", task.id),
            citation: preserve_citation
                .clone()
                .unwrap_or_else(|| task.citation.clone()),
            minute: done.minute,
            entry: Some(done.entry),
            role: Some(done.role.clone()),
            message,
            advice,
        };
        if let Some((_, preserved)) = preserved_before {
            let message = format!(
                "Evidence on {asset} was preserved at minute {} before \"{}\".",
                preserved.minute, option.label
            );
            g.credit(
                matrix.scoring.penalties.evidence_destroyed,
                draft(message, "Preserve first, then remediate.".into()),
            );
        } else if lost.insert(target) {
            let message = format!(
                "\"{}\" ran on {asset} before its evidence was preserved; what it held is gone.",
                option.label
            );
            let advice = format!(
                "Preserve evidence on {asset} (disk and memory images, logs) before {}; separate investigation from remediation.",
                task.name.to_lowercase()
            );
            g.deduct(
                matrix.scoring.penalties.evidence_destroyed,
                draft(message, advice),
            );
        }
    }
    required_preservations(g);
}

/// A released decision that offers to preserve evidence on an asset makes preserving it a check,
/// due when the decision closes.
fn required_preservations(g: &mut Grader<'_>) {
    let session = g.session;
    let matrix = session.matrix();
    let worth = matrix.scoring.penalties.evidence_unpreserved;
    let mut seen: BTreeSet<&AssetId> = BTreeSet::new();
    for inject in &session.scenario().injects {
        let released = session.released_at(inject.id.as_str());
        for decision in &inject.decisions {
            for offer in &decision.actions {
                let Some(task) = matrix.task(offer.task.as_str()) else {
                    continue;
                };
                let Some(target) = offer.target.as_ref() else {
                    continue;
                };
                if released.is_none() && !g.ended_early() {
                    continue;
                }
                if !task.preserves_evidence || !seen.insert(target) {
                    continue;
                }
                let asset = session
                    .scenario()
                    .asset(target.as_str())
                    .map_or(target.as_str(), |a| a.name.as_str());
                let draft = |minute: u32, entry: Option<usize>, role, message: String| {
                    FindingDraft {
                        dimension: Dimension::Evidence,
                        rule: format!("evidence:{}", task.id),
                        citation: task.citation.clone(),
                        minute,
                        entry,
                        role,
                        message,
                        advice: format!(
                            "Preserve evidence on {asset} (disk and memory images, logs) while it still exists."
                        ),
                    }
                };
                let Some(released) = released else {
                    if g.ended_early() {
                        g.not_reached(draft(
                            session.minute(),
                            None,
                            None,
                            format!(
                                "Not reached: preserving evidence on {asset} (\"{}\") was still to come when the exercise ended at minute {}.",
                                decision.prompt,
                                session.minute()
                            ),
                        ));
                    }
                    continue;
                };
                let preserved = session
                    .performed()
                    .iter()
                    .filter(|(action, _)| preserves_on(g, action.as_str(), target))
                    .map(|(_, p)| p)
                    .min_by_key(|p| p.entry);
                if let Some(done) = preserved {
                    g.credit(
                        worth,
                        draft(
                            done.minute,
                            Some(done.entry),
                            Some(done.role.clone()),
                            format!(
                                "Evidence on {asset} was preserved at minute {}.",
                                done.minute
                            ),
                        ),
                    );
                    continue;
                }
                let (deadline, due) = g.decision_due(decision, released);
                match due {
                    Due::Passed => g.deduct(
                        worth,
                        draft(
                            deadline.min(session.minute()),
                            None,
                            None,
                            format!(
                                "Evidence on {asset} was never preserved, though \"{}\" (minute {released}) called for it.",
                                decision.prompt
                            ),
                        ),
                    ),
                    Due::NotReached => g.not_reached(draft(
                        session.minute(),
                        None,
                        None,
                        format!(
                            "Not reached: evidence on {asset} was still to be preserved when the exercise ended at minute {}.",
                            session.minute()
                        ),
                    )),
                    Due::Pending => {}
                }
            }
        }
    }
}

/// Whether an action preserves evidence on `target`.
fn preserves_on(g: &Grader<'_>, action: &str, target: &AssetId) -> bool {
    g.session
        .scenario()
        .action(action)
        .filter(|(_, _, o)| o.target.as_ref() == Some(target))
        .and_then(|(_, _, o)| g.session.matrix().task(o.task.as_str()))
        .is_some_and(|t| t.preserves_evidence)
}
