//! A seat's feed: the injects addressed to it and the exchanges it sends or receives, numbered by
//! their place in the shared log.

use serde::Serialize;

use super::seat::Seat;
use crate::engine::model::id::InjectId;
use crate::engine::model::intent::{Event, Intent};
use crate::engine::model::scenario::ArtifactKind;
use crate::engine::session::Session;

/// An artifact as shown to the room.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RoomArtifact {
    /// What kind of thing it is (as its label, for pages).
    #[serde(serialize_with = "kind_label")]
    pub kind: ArtifactKind,
    /// Its title.
    pub title: String,
    /// Its text, with the drawn variations filled in.
    pub body: String,
}

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's serialize_with passes a reference"
)]
fn kind_label<S: serde::Serializer>(kind: &ArtifactKind, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(kind.label())
}

impl RoomArtifact {
    /// An artifact of the scenario as the room reads it, variations filled in.
    pub fn of(session: &Session, artifact: &crate::engine::model::scenario::Artifact) -> Self {
        Self {
            kind: artifact.kind,
            title: artifact.title.clone(),
            body: session.render_text(&artifact.body),
        }
    }
}

/// One item of a seat's feed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FeedItem {
    /// Where it stands in the shared log: 0 for the opening, `n` for log entry `n` (1-based).
    /// A seat that has seen up to `seq` asks for what comes after it.
    pub seq: usize,
    /// Scenario minute.
    pub minute: u32,
    /// What it is.
    pub kind: FeedKind,
    /// In plain words, as the seat reads it: an inject's title, or what was done.
    pub text: String,
    /// An inject's narrative, with the drawn variations filled in (empty for an exchange).
    pub narrative: String,
    /// What an exchange carries, line by line: a handoff's observation, facts, evidence, work
    /// done and recommended and urgency; an escalation's reason; a message's text.
    pub details: Vec<String>,
    /// An inject's attached artifacts.
    pub artifacts: Vec<RoomArtifact>,
}

/// What a feed item is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FeedKind {
    /// An inject reached the seat.
    Inject(InjectId),
    /// Something a role did that concerns the seat: sent by it, or addressed to it.
    Exchange,
    /// An inject the facilitator wrote during the exercise, by its place among them.
    FromFacilitator(usize),
}

/// The feed as `seat` receives it, after log position `after` (everything when `None`).
pub fn seat_feed(session: &Session, seat: &Seat, after: Option<usize>) -> Vec<FeedItem> {
    let log = session.log();
    let opening = std::iter::once((0, 0, None, log.opening.as_slice())).filter(|_| after.is_none());
    // Entry `n` is at index `n - 1`: a seat that saw up to `after` reads only what follows.
    let entries = log
        .entries
        .iter()
        .enumerate()
        .skip(after.unwrap_or(0))
        .map(|(i, e)| (i + 1, e.minute, Some(&e.intent), e.events.as_slice()));
    let mut feed = Vec::new();
    for (seq, minute, intent, events) in opening.chain(entries) {
        if let Some(intent) = intent
            && concerns(session, seat, intent)
        {
            feed.push(FeedItem {
                seq,
                minute,
                kind: FeedKind::Exchange,
                text: session.describe(intent),
                narrative: String::new(),
                details: details(session, intent),
                artifacts: Vec::new(),
            });
        }
        for event in events {
            let Event::InjectReleased { inject, minute } = event else {
                continue;
            };
            let Some(found) = session.scenario().inject(inject.as_str()) else {
                continue;
            };
            if found.to.is_empty() || found.to.iter().any(|r| seat.plays(r)) {
                feed.push(FeedItem {
                    seq,
                    minute: *minute,
                    kind: FeedKind::Inject(inject.clone()),
                    text: format!("T+{minute:02} \u{b7} {}", found.title),
                    narrative: session.render_text(&found.narrative),
                    details: Vec::new(),
                    artifacts: found
                        .artifacts
                        .iter()
                        .map(|a| RoomArtifact::of(session, a))
                        .collect(),
                });
            }
        }
    }
    feed
}

/// The content of an exchange, as the receiving seat reads it.
fn details(session: &Session, intent: &Intent) -> Vec<String> {
    let scenario = session.scenario();
    let line = |label: &str, items: Vec<String>| {
        (!items.is_empty()).then(|| format!("{label}: {}", items.join("; ")))
    };
    let actions = |ids: &[crate::engine::model::id::ActionId]| {
        ids.iter()
            .map(|a| {
                scenario
                    .action(a.as_str())
                    .map_or_else(|| a.to_string(), |(_, _, o)| o.label.clone())
            })
            .collect::<Vec<_>>()
    };
    match intent {
        Intent::Handoff(h) => [
            line(
                "Observed",
                std::iter::once(h.observed.trim().to_owned())
                    .filter(|o| !o.is_empty())
                    .collect(),
            ),
            line(
                "Facts",
                h.facts
                    .iter()
                    .map(|f| {
                        session
                            .matrix()
                            .triggers
                            .iter()
                            .find(|t| t.id == *f)
                            .map_or_else(|| f.to_string(), |t| t.description.clone())
                    })
                    .collect(),
            ),
            line(
                "Evidence",
                h.evidence
                    .iter()
                    .map(|e| {
                        scenario
                            .artifact(e.as_str())
                            .map_or_else(|| e.to_string(), |(_, a)| a.title.clone())
                    })
                    .collect(),
            ),
            line("Already done", actions(&h.actions_taken)),
            line("Recommended", actions(&h.recommended)),
            line(
                "Urgency",
                h.urgency
                    .map(|u| u.label().to_owned())
                    .into_iter()
                    .collect(),
            ),
        ]
        .into_iter()
        .flatten()
        .collect(),
        Intent::Escalate { reason, .. } if !reason.trim().is_empty() => {
            vec![format!("Why: {}", reason.trim())]
        }
        Intent::Communicate { message, .. } => scenario
            .message(message.as_str())
            .map(|(_, m)| session.render_text(&m.text))
            .into_iter()
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether an intent concerns a seat: made as one of its roles, or addressed to one. A message
/// reaches every seat when its audience is inside the organisation.
fn concerns(session: &Session, seat: &Seat, intent: &Intent) -> bool {
    if intent.actor().is_some_and(|r| seat.plays(r)) {
        return true;
    }
    match intent {
        Intent::Escalate { to, .. } | Intent::Inform { to, .. } => to.iter().any(|r| seat.plays(r)),
        Intent::Handoff(h) => seat.plays(&h.to),
        Intent::RequestApproval { approver, .. }
        | Intent::RequestMessageApproval { approver, .. } => seat.plays(approver),
        // The requester hears that its request was granted.
        Intent::GrantApproval { action, approver } => session
            .approvals()
            .iter()
            .any(|r| r.action == *action && r.approver == *approver && seat.plays(&r.requested_by)),
        Intent::GrantMessageApproval {
            message,
            audience,
            approver,
        } => session.message_approvals().iter().any(|r| {
            r.message == *message
                && r.audience == *audience
                && r.approver == *approver
                && seat.plays(&r.requested_by)
        }),
        Intent::Communicate { audience, .. } => session
            .audience(audience.as_str())
            .is_some_and(|a| !a.external),
        Intent::DeclareIncident { .. } => true,
        _ => false,
    }
}
