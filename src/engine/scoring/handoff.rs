//! Handoffs: complete and accurate across the five elements, and present whenever work that changes
//! systems moves away from the team holding the investigation's context.

use std::collections::BTreeSet;

use super::grader::{FindingDraft, Grader};
use crate::engine::model::id::{ActionId, RoleId, TriggerId};
use crate::engine::model::intent::{Handoff, Intent, Urgency};
use crate::engine::model::matrix::{Dimension, Phase};

/// An observation shorter than this says nothing a receiving team can act on.
const MIN_OBSERVED_CHARS: usize = 12;

pub(super) fn grade(g: &mut Grader<'_>) {
    let entries = &g.session.log().entries;
    // A copy of the grader's per-entry severities: grading a handoff records findings on `g`.
    let severities = g.severities.clone();
    for ((index, entry), severity) in entries.iter().enumerate().zip(severities) {
        if let Intent::Handoff(h) = &entry.intent {
            grade_handoff(g, index, (entry.minute, severity), h);
        }
    }
    missing_handoffs(g);
}

/// Whether `role` carries out a system-changing task at or after log entry `from`.
fn changes_systems_later(g: &Grader<'_>, role: &RoleId, from: usize) -> bool {
    g.session.performed().iter().any(|(action, p)| {
        p.role == *role
            && p.entry > from
            && task_phase(g, action.as_str()).is_some_and(Phase::changes_systems)
    })
}

fn task_phase(g: &Grader<'_>, action: &str) -> Option<Phase> {
    let (_, _, option) = g.session.scenario().action(action)?;
    g.session
        .matrix()
        .task(option.task.as_str())
        .map(|t| t.phase)
}

/// Grades one handoff against what was known at its minute, at the severity of that moment.
fn grade_handoff(g: &mut Grader<'_>, index: usize, (minute, at_severity): (u32, u8), h: &Handoff) {
    let session = g.session;
    let matrix = session.matrix();
    let penalties = &matrix.scoring.penalties;
    let to_name = g.name(h.to.as_str());
    let draft = |message: String, advice: String| FindingDraft {
        dimension: Dimension::Handoffs,
        rule: "handoff:elements".into(),
        citation: matrix.handoffs.citation.clone(),
        minute,
        entry: Some(index),
        role: Some(h.from.clone()),
        message,
        advice,
    };
    let mut faults = 0;
    // Points of the checks this handoff passed, at stake beside its deductions.
    let mut kept = 0;
    let missing = penalties.handoff_missing_element;
    let inaccurate = penalties.handoff_inaccurate;

    // The observation is graded on the facts it cites against what was known at that minute:
    // once facts are established, a handoff cites them; a fact not yet established is speculation.
    let fact = |id: &TriggerId| {
        matrix
            .triggers
            .iter()
            .find(|t| t.id == *id)
            .map_or_else(|| id.to_string(), |t| t.description.clone())
    };
    let known: Vec<&TriggerId> = session
        .revealed()
        .iter()
        .filter(|(_, at)| **at <= minute)
        .map(|(id, _)| id)
        .collect();
    let (cited, speculated): (Vec<&TriggerId>, Vec<&TriggerId>) =
        h.facts.iter().partition(|f| known.contains(f));
    let described = h.observed.trim().chars().count() >= MIN_OBSERVED_CHARS;
    if !cited.is_empty() || (known.is_empty() && described) {
        kept += missing;
    } else if known.is_empty() {
        faults += 1;
        g.deduct(
            missing,
            draft(
                format!("The handoff to {to_name} does not say what was observed."),
                "Describe what was seen, where and when, in a sentence or two.".into(),
            ),
        );
    } else {
        faults += 1;
        let names: Vec<String> = known.iter().map(|f| fact(f)).collect();
        g.deduct(
            missing,
            draft(
                format!(
                    "The handoff to {to_name} cites none of the facts established by minute {minute}: {}.",
                    names.join("; ")
                ),
                "Cite the established facts the receiving team must act on, not only a description.".into(),
            ),
        );
    }
    if speculated.is_empty() {
        kept += inaccurate;
    } else {
        faults += 1;
        let names: Vec<String> = speculated.iter().map(|f| fact(f)).collect();
        g.deduct(
            inaccurate,
            draft(
                format!(
                    "The handoff states as established what was not known at minute {minute}: {}.",
                    names.join("; ")
                ),
                "State only what the evidence has established; call a hypothesis a hypothesis."
                    .into(),
            ),
        );
    }
    let remediates = changes_systems_later(g, &h.to, index);
    if h.evidence.is_empty() {
        faults += 1;
        let points = if remediates {
            penalties.handoff_missing_element * 2
        } else {
            penalties.handoff_missing_element
        };
        let message = if remediates {
            format!(
                "{to_name} was handed work with no supporting evidence and then changed systems without the investigation's context."
            )
        } else {
            format!("The handoff to {to_name} cites no supporting evidence.")
        };
        g.deduct(
            points,
            draft(
                message,
                "Attach the alerts, log lines or messages that support the observation, so the receiving team knows what must be preserved.".into(),
            ),
        );
    } else {
        kept += if remediates { missing * 2 } else { missing };
    }

    let done_before: BTreeSet<&str> = session
        .performed()
        .iter()
        .filter(|(_, p)| p.entry < index)
        .map(|(a, _)| a.as_str())
        .collect();
    let from_did_something = session
        .performed()
        .values()
        .any(|p| p.entry < index && p.role == h.from);
    let claimed_not_done: Vec<&str> = h
        .actions_taken
        .iter()
        .map(ActionId::as_str)
        .filter(|a| !done_before.contains(a))
        .collect();
    let actions_worth = missing.max(inaccurate);
    if !claimed_not_done.is_empty() {
        faults += 1;
        g.deduct_part(
            actions_worth,
            inaccurate,
            draft(
                format!(
                    "The handoff claims actions that had not been taken: {}.",
                    claimed_not_done.join(", ")
                ),
                "List only what was actually done; a receiving team acts on your word.".into(),
            ),
        );
    } else if h.actions_taken.is_empty() && from_did_something {
        faults += 1;
        g.deduct_part(
            actions_worth,
            missing,
            draft(
                format!(
                    "The handoff to {to_name} leaves out the actions {} had already taken.",
                    g.name(h.from.as_str())
                ),
                "Say what has been done so work is not repeated or undone.".into(),
            ),
        );
    } else {
        kept += actions_worth;
    }

    if h.recommended.is_empty() {
        faults += 1;
        g.deduct(
            penalties.handoff_missing_element,
            draft(
                format!("The handoff to {to_name} recommends nothing."),
                "Recommend the next actions you expect the receiving team to take.".into(),
            ),
        );
    } else {
        kept += missing;
    }
    for action in &h.recommended {
        let Some((_, _, option)) = session.scenario().action(action.as_str()) else {
            continue;
        };
        let Some(task) = matrix.task(option.task.as_str()) else {
            continue;
        };
        let target = option.target_id();
        let responsible = session.resolve_roles(&task.responsible, target);
        if done_before.contains(action.as_str()) {
            faults += 1;
            g.deduct(
                penalties.handoff_inaccurate,
                draft(
                    format!(
                        "The handoff recommends \"{}\", which was already done.",
                        option.label
                    ),
                    "Recommend what is still to do.".into(),
                ),
            );
        } else if !responsible.contains(&h.to) {
            faults += 1;
            let mut f = draft(
                format!(
                    "The handoff asks {to_name} to \"{}\", but {} Responsible for {}.",
                    option.label,
                    g.names_are(&responsible),
                    task.name
                ),
                format!("Hand that work to {} instead.", g.names(&responsible)),
            );
            f.rule = format!("raci:{}", task.id);
            f.citation.clone_from(&task.citation);
            g.deduct(penalties.handoff_inaccurate, f);
        } else {
            kept += inaccurate;
        }
    }

    let urgency_worth = missing.max(inaccurate);
    match h.urgency {
        None => {
            faults += 1;
            g.deduct_part(
                urgency_worth,
                missing,
                draft(
                    format!("The handoff to {to_name} gives no urgency."),
                    "State how urgent the work is so the receiving team can prioritise.".into(),
                ),
            );
        }
        Some(urgency) => {
            let severity = Urgency::for_severity(at_severity, matrix.max_severity()).as_level();
            if urgency.as_level().abs_diff(severity) < 2 {
                kept += urgency_worth;
            } else {
                faults += 1;
                g.deduct_part(
                    urgency_worth,
                    inaccurate,
                    draft(
                        format!(
                            "The handoff says urgency {} while the incident is at severity {}.",
                            urgency.label(),
                            at_severity
                        ),
                        "Match the urgency to the current severity.".into(),
                    ),
                );
            }
        }
    }

    if faults == 0 {
        g.credit(kept, draft(
            format!(
                "Complete handoff from {} to {to_name}: observation, evidence, actions taken, recommendations and urgency.",
                g.name(h.from.as_str())
            ),
            "This is the standard every handoff should meet.".into(),
        ));
    } else {
        g.keep(Dimension::Handoffs, kept);
    }
}

/// Maps a severity on the matrix's scale onto the four urgency levels.
fn missing_handoffs(g: &mut Grader<'_>) {
    let session = g.session;
    let matrix = session.matrix();
    let mut performed: Vec<_> = session.performed().iter().collect();
    performed.sort_by_key(|(_, p)| p.entry);
    // One check per team: its first change after others investigated.
    let mut checked = BTreeSet::new();
    for (action, done) in &performed {
        if !task_phase(g, action.as_str()).is_some_and(Phase::changes_systems) {
            continue;
        }
        let investigators: BTreeSet<&RoleId> = performed
            .iter()
            .filter(|(a, p)| {
                p.entry < done.entry && task_phase(g, a.as_str()) == Some(Phase::Analyze)
            })
            .map(|(_, p)| &p.role)
            .collect();
        if investigators.is_empty() || investigators.contains(&done.role) {
            continue;
        }
        let handed = session.log().entries.iter().take(done.entry).position(|e| {
            matches!(&e.intent, Intent::Handoff(h) if h.to == done.role && investigators.contains(&h.from))
        });
        if !checked.insert(done.role.clone()) {
            continue;
        }
        let label = session
            .scenario()
            .action(action.as_str())
            .map_or_else(|| action.to_string(), |(_, _, o)| o.label.clone());
        let draft = |message: String, advice: String| FindingDraft {
            dimension: Dimension::Handoffs,
            rule: "handoff:context".into(),
            citation: matrix.handoffs.context_citation.clone(),
            minute: done.minute,
            entry: Some(done.entry),
            role: Some(done.role.clone()),
            message,
            advice,
        };
        if let Some(handoff) = handed {
            let message = format!(
                "{} had the investigation's context (handoff at minute {}) before \"{label}\".",
                g.name(done.role.as_str()),
                session.log().entries.get(handoff).map_or(0, |e| e.minute)
            );
            g.credit(
                matrix.scoring.penalties.missing_handoff,
                draft(
                    message,
                    "Context first, then change: that is the standard.".into(),
                ),
            );
            continue;
        }
        let message = format!(
            "{} carried out \"{label}\" with no handoff from {}, who held the investigation's context.",
            g.name(done.role.as_str()),
            g.names(investigators.iter().copied())
        );
        g.deduct(
            matrix.scoring.penalties.missing_handoff,
            draft(
                message,
                "Hand off first: what was observed, the evidence, what was done, what to do next and how urgent it is.".into(),
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::model::intent::Urgency;

    fn scaled_severity(level: u8, max: u8) -> u8 {
        Urgency::for_severity(level, max).as_level()
    }

    #[test]
    fn severity_scales_onto_four_levels() {
        assert_eq!(scaled_severity(1, 4), 1);
        assert_eq!(scaled_severity(4, 4), 4);
        assert_eq!(scaled_severity(1, 5), 1);
        assert_eq!(scaled_severity(5, 5), 4);
        assert_eq!(scaled_severity(3, 5), 3);
        assert_eq!(scaled_severity(1, 1), 1);
    }
}
