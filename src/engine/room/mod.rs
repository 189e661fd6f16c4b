//! Seats of a multi-seat room: who a seat is, what it may send and what it sees. The host keeps
//! one session and applies every seat's intents to it in order; this module decides, from the
//! session alone, which intents a seat may make and which items of the shared log reach it, so
//! the rules hold whatever carries them (a console, a browser page, a test).
//!
//! A seat sees the injects addressed to the room or to its roles, and the handoffs, escalations,
//! approvals, messages and informing it sends or receives. It never sees scores, expectations,
//! facilitator notes or other seats' exchanges.

mod record;
mod view;

pub use record::{ChatLine, Device, MAX_DEVICES_PER_SEAT, RoomRecord, SeatRecord};
pub use view::{ActionChoice, Named, Pending, SeatChoices, SeatView, seat_view};

use serde::{Deserialize, Serialize};

use crate::engine::exercise::RoomArtifact;
use crate::engine::model::id::{InjectId, RoleId};
use crate::engine::model::intent::{Event, Intent};
use crate::engine::session::{Rejected, Session, reject};

/// A seat of the room: one role, or a team holding several.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seat {
    /// Stable id, unique in the room.
    pub id: String,
    /// What the seat is called ("Legal Counsel", "Comms and Legal").
    pub name: String,
    /// The roles it plays.
    pub roles: Vec<RoleId>,
}

impl Seat {
    /// One seat per role of the scenario's cast (every matrix role when it names none).
    pub fn per_role(session: &Session) -> Vec<Self> {
        let matrix = session.matrix();
        let cast: Vec<&RoleId> = if session.scenario().cast.is_empty() {
            matrix.roles.iter().map(|r| &r.id).collect()
        } else {
            session.scenario().cast.iter().collect()
        };
        cast.into_iter()
            .map(|role| Self {
                id: role.to_string(),
                name: matrix.role_name(role.as_str()).to_owned(),
                roles: vec![role.clone()],
            })
            .collect()
    }

    /// Whether the seat plays `role`.
    pub fn plays(&self, role: &RoleId) -> bool {
        self.roles.contains(role)
    }

    /// Whether the seat may send `intent`: it acts only as one of its own roles, and the clock and
    /// the injects are the facilitator's. (The session still checks the intent itself.)
    pub fn may_send(&self, session: &Session, intent: &Intent) -> Result<(), Rejected> {
        let Some(acting) = intent.actor() else {
            return reject("only the facilitator moves the clock and releases or holds injects");
        };
        if self.plays(acting) {
            Ok(())
        } else {
            reject(format!(
                "this seat plays {}, not {}",
                crate::engine::session::names_list(
                    self.roles
                        .iter()
                        .map(|r| session.matrix().role_name(r.as_str()).to_owned())
                        .collect()
                ),
                session.matrix().role_name(acting.as_str())
            ))
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
}

/// The feed as `seat` receives it, after log position `after` (everything when `None`).
pub fn seat_feed(session: &Session, seat: &Seat, after: Option<usize>) -> Vec<FeedItem> {
    let log = session.log();
    let opening = std::iter::once((0, 0, None, log.opening.as_slice()));
    let entries = log
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| (i + 1, e.minute, Some(&e.intent), e.events.as_slice()));
    let mut feed = Vec::new();
    for (seq, minute, intent, events) in opening.chain(entries) {
        if after.is_some_and(|a| seq <= a) {
            continue;
        }
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::engine::content::load::Source;
    use crate::engine::content::shipped;
    use crate::engine::model::intent::Handoff;

    fn ransomware() -> Session {
        Session::new(
            shipped::scenario("ransomware-file-server"),
            shipped::matrix(),
            4,
        )
    }

    fn seat(session: &Session, role: &str) -> Seat {
        Seat::per_role(session)
            .into_iter()
            .find(|s| s.id == role)
            .unwrap()
    }

    #[test]
    fn each_cast_role_has_a_seat_named_after_it() {
        let session = ransomware();
        let seats = Seat::per_role(&session);
        assert_eq!(seats.len(), session.scenario().cast.len());
        assert_eq!(seat(&session, "legal").name, "Legal Counsel");
    }

    #[test]
    fn a_seat_acts_only_as_its_own_roles_and_never_steers() {
        let session = ransomware();
        let soc = seat(&session, "soc");
        let assign = |role: &str| Intent::AssignAction {
            action: "triage-fs01".into(),
            role: role.into(),
        };
        assert!(soc.may_send(&session, &assign("soc")).is_ok());
        let refused = soc.may_send(&session, &assign("legal")).unwrap_err();
        assert_eq!(
            refused.reason,
            "this seat plays Security Operations Center, not Legal Counsel"
        );
        assert!(
            soc.may_send(&session, &Intent::Advance { minutes: 5 })
                .is_err()
        );
        let team = Seat {
            id: "comms-legal".into(),
            name: "Comms and Legal".into(),
            roles: vec!["pr_comms".into(), "legal".into()],
        };
        assert!(team.may_send(&session, &assign("legal")).is_ok());
    }

    #[test]
    fn a_seat_sees_what_it_sends_and_receives_and_catches_up_from_where_it_was() {
        let mut session = ransomware();
        let handoff = Intent::Handoff(Handoff {
            from: "soc".into(),
            to: "it_ops".into(),
            observed: "Mass renames on FS-01".into(),
            facts: vec![],
            evidence: vec![],
            actions_taken: vec![],
            recommended: vec![],
            urgency: None,
        });
        session.apply(handoff).unwrap();
        let (soc, it, legal) = (
            seat(&session, "soc"),
            seat(&session, "it_ops"),
            seat(&session, "legal"),
        );
        let exchanges = |s: &Seat, after| {
            seat_feed(&session, s, after)
                .into_iter()
                .filter(|i| i.kind == FeedKind::Exchange)
                .count()
        };
        assert_eq!(exchanges(&soc, None), 1);
        assert_eq!(exchanges(&it, None), 1);
        assert_eq!(exchanges(&legal, None), 0, "not Legal's business");
        // Every seat got the opening inject; after the opening, only the handoff is new.
        assert!(
            seat_feed(&session, &legal, None)
                .iter()
                .any(|i| matches!(i.kind, FeedKind::Inject(_)) && i.seq == 0)
        );
        let since = seat_feed(&session, &it, Some(0));
        assert_eq!(since.len(), 1);
        assert_eq!(since[0].seq, 1);
        assert!(
            since[0].text.contains("hands off to IT Operations"),
            "{}",
            since[0].text
        );
        assert!(seat_feed(&session, &it, Some(1)).is_empty());
    }

    #[test]
    fn an_inject_addressed_to_a_role_reaches_only_its_seat() {
        let text = r#"Scenario(id: "letter", title: "T", summary: "s", difficulty: Introductory,
            modes: [Practice], duration_mins: 30, objectives: [], flags: [], assets: [],
            cast: ["soc", "legal"],
            injects: [
                Inject(id: "alert", title: "An alert", release: At(0), narrative: "n"),
                Inject(id: "letter", title: "A lawyer's letter", release: At(0), narrative: "n", to: ["legal"]),
            ])"#;
        let scenario = Arc::new(Source::from_text("letter.ron", text).parse().unwrap());
        let session = Session::new(scenario, shipped::matrix(), 0);
        let injects = |role: &str| {
            seat_feed(&session, &seat(&session, role), None)
                .into_iter()
                .filter_map(|i| match i.kind {
                    FeedKind::Inject(id) => Some(id.to_string()),
                    FeedKind::Exchange => None,
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(injects("legal"), ["alert", "letter"]);
        assert_eq!(injects("soc"), ["alert"]);
    }
}
