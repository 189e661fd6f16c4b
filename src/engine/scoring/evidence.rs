//! Evidence preservation: nothing that destroys evidence runs on an asset before its evidence is preserved.

use super::grader::{FindingDraft, Grader};
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
            g.credit(draft(message, "Preserve first, then remediate.".into()));
        } else {
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
}
