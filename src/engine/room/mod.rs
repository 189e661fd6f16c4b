//! Seats of a multi-seat room: who a seat is, what it may send and what it sees. The host keeps
//! one session and applies every seat's intents to it in order; this module decides, from the
//! session alone, which intents a seat may make and which items of the shared log reach it, so
//! the rules hold whatever carries them (a console, a browser page, a test).
//!
//! A seat sees the injects addressed to the room or to its roles, and the handoffs, escalations,
//! approvals, messages and informing it sends or receives. It never sees scores, expectations,
//! facilitator notes or other seats' exchanges.

mod change;
mod feed;
mod record;
mod seat;
mod view;

pub use change::SeatChange;
pub use feed::{FeedItem, FeedKind, RoomArtifact, seat_feed};
pub use record::{ChatLine, Device, MAX_DEVICES_PER_SEAT, RoomRecord, SeatRecord};
pub use seat::Seat;
pub use view::{ActionChoice, Named, Pending, SeatChoices, SeatView, seat_view};

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::engine::content::load::Source;
    use crate::engine::content::shipped;
    use crate::engine::model::intent::{Handoff, Intent};
    use crate::engine::session::Session;

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
    fn a_seat_naming_what_the_room_has_not_had_learns_nothing_of_it() {
        let mut session = ransomware();
        let soc = seat(&session, "soc");
        // The ransom note (T+10) carries imaging; nobody at T+00 can name it.
        let crafted = [
            Intent::AssignAction {
                action: "image-fs01".into(),
                role: "soc".into(),
            },
            Intent::Handoff(Handoff {
                from: "soc".into(),
                to: "it_ops".into(),
                observed: "Renames".into(),
                facts: vec![],
                evidence: vec!["fw-log".into()],
                actions_taken: vec![],
                recommended: vec![],
                urgency: None,
            }),
        ];
        for intent in &crafted {
            let refused = soc.may_send(&session, intent).unwrap_err();
            assert_eq!(refused.reason, "that is not available yet");
        }
        session.apply(Intent::Advance { minutes: 10 }).unwrap();
        assert!(
            soc.may_send(&session, &crafted[0]).is_ok(),
            "once the inject is in"
        );
        // What people reach through the page is said in words, not ids.
        session.apply(crafted[0].clone()).unwrap();
        let again = session.apply(crafted[0].clone()).unwrap_err();
        assert_eq!(
            again.reason,
            "\u{201c}Capture memory and disk images of FS-01\u{201d} was already done by \
             Security Operations Center at T+10"
        );
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
                    FeedKind::Exchange | FeedKind::FromFacilitator(_) => None,
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(injects("legal"), ["alert", "letter"]);
        assert_eq!(injects("soc"), ["alert"]);
    }
}
