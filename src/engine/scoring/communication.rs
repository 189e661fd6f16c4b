//! Communication: the right sender for the audience, the approvals it needs, and nothing it must not receive.

use super::grader::{FindingDraft, Grader};
use crate::engine::model::intent::Intent;
use crate::engine::model::matrix::{Dimension, MessageContent};

pub(super) fn grade(g: &mut Grader<'_>) {
    let session = g.session;
    let matrix = session.matrix();
    let penalties = &matrix.scoring.penalties;
    for (index, entry) in session.log().entries.iter().enumerate() {
        let Intent::Communicate {
            audience,
            sender,
            message,
            approvals,
        } = &entry.intent
        else {
            continue;
        };
        let Some(policy) = matrix.audience(audience.as_str()) else {
            continue;
        };
        let Some((_, msg)) = session.scenario().message(message.as_str()) else {
            continue;
        };
        let draft = |rule: &str, message: String, advice: String| FindingDraft {
            dimension: Dimension::Communication,
            rule: format!("communication:{}:{rule}", policy.id),
            citation: policy.citation.clone(),
            minute: entry.minute,
            entry: Some(index),
            role: Some(sender.clone()),
            message,
            advice,
        };
        let mut faults = 0;
        if !policy.senders.contains(sender) {
            faults += 1;
            g.deduct(
                penalties.wrong_sender,
                draft(
                    "sender",
                    format!(
                        "{} sent \"{}\" to {}; only {} may.",
                        g.name(sender.as_str()),
                        msg.label,
                        policy.name,
                        g.names(&policy.senders)
                    ),
                    format!(
                        "Route messages to {} through {}.",
                        policy.name,
                        g.names(&policy.senders)
                    ),
                ),
            );
        }
        for approver in &policy.approvals {
            if approver == sender || approvals.contains(approver) {
                continue;
            }
            faults += 1;
            g.deduct(
                penalties.missing_approval,
                draft(
                    "approval",
                    format!(
                        "\"{}\" went to {} without {}'s approval.",
                        msg.label,
                        policy.name,
                        g.name(approver.as_str())
                    ),
                    format!(
                        "Engage {} and get its approval before anything goes to {}.",
                        g.name(approver.as_str()),
                        policy.name
                    ),
                ),
            );
        }
        for content in msg.content.iter().filter(|c| policy.forbidden.contains(c)) {
            faults += 1;
            g.deduct(
                penalties.forbidden_content,
                draft(
                    "content",
                    format!(
                        "\"{}\" contains {} and went to {}, which must never receive it.",
                        msg.label,
                        content.label(),
                        policy.name
                    ),
                    content_advice(*content).into(),
                ),
            );
        }
        if faults == 0 {
            g.credit(draft(
                "ok",
                format!(
                    "\"{}\" went to {} from the right sender with the approvals it needs.",
                    msg.label, policy.name
                ),
                "Verified, approved, need-to-know: that is the standard.".into(),
            ));
        }
    }
}

fn content_advice(content: MessageContent) -> &'static str {
    match content {
        MessageContent::Speculation => {
            "Say only what the evidence confirms; premature claims cause harm that is hard to undo."
        }
        MessageContent::RawEvidence => {
            "Summarise findings; keep logs and samples inside the investigation, on a need-to-know basis."
        }
        MessageContent::PersonalData => {
            "Leave personal data out; sharing it widely creates a new privacy incident."
        }
        MessageContent::TechnicalDetail => "Keep technical detail for the teams that act on it.",
        MessageContent::VerifiedFacts | MessageContent::Guidance => "Check the audience's policy.",
    }
}
