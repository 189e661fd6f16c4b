//! Facilitator control of a session: releasing an inject early, holding one back, the room's view
//! of the injects, live obligations, and the facilitator's own records.

use warroom::engine::exercise::{ExerciseRecord, HotwashList, ObserverNote, inject_feed};
use warroom::engine::model::matrix::Dimension;
use warroom::engine::model::scenario::Mode;
use warroom::engine::reports::scorecard::timeline;
use warroom::engine::scoring::{obligations, score};
use warroom::engine::{Event, Intent, Session};

use crate::support::{matrix, scenario};

const SCENARIO: &str = "ransomware-file-server";

fn session() -> Session {
    Session::new(scenario(SCENARIO), matrix(), 0)
}

fn inject(id: &str) -> warroom::engine::model::id::InjectId {
    id.into()
}

#[test]
fn releasing_early_brings_an_inject_and_its_clocks_forward() {
    let mut s = session();
    s.apply(Intent::Advance { minutes: 2 }).unwrap();
    assert_eq!(
        s.next_scheduled().map(|(i, m)| (i.id.as_str(), m)),
        Some(("ransom-note", 10))
    );

    let events = s
        .apply(Intent::ReleaseInject {
            inject: inject("ransom-note"),
        })
        .unwrap();
    assert!(events.contains(&Event::InjectReleased {
        inject: inject("ransom-note"),
        minute: 2
    }));
    assert_eq!(s.released_at("ransom-note"), Some(2));
    assert_eq!(s.revealed().get("extortion"), Some(&2));
    // Legal and leadership are now due 30 minutes after the early reveal, not after minute 10.
    let due: Vec<(String, u32)> = obligations(&s)
        .into_iter()
        .filter(|o| o.because.contains("payment"))
        .map(|o| (o.role.to_string(), o.deadline))
        .collect();
    assert!(due.contains(&("legal".into(), 32)), "{due:?}");
    assert!(due.contains(&("exec".into(), 32)), "{due:?}");

    // Reaching minute 10 later does not release it a second time.
    let later = s.apply(Intent::Advance { minutes: 10 }).unwrap();
    assert!(!later.iter().any(
        |e| matches!(e, Event::InjectReleased { inject, .. } if inject.as_str() == "ransom-note")
    ));
}

#[test]
fn a_held_inject_waits_past_its_minute_until_put_back_on_schedule() {
    let mut s = session();
    s.apply(Intent::HoldInject {
        inject: inject("ransom-note"),
    })
    .unwrap();
    assert!(s.held().contains("ransom-note"));
    // The next timed inject is now the one after it.
    assert_ne!(
        s.next_scheduled().map(|(i, _)| i.id.as_str()),
        Some("ransom-note")
    );
    s.apply(Intent::Advance { minutes: 15 }).unwrap();
    assert_eq!(s.released_at("ransom-note"), None);
    assert!(
        s.pending_injects()
            .iter()
            .any(|i| i.id.as_str() == "ransom-note")
    );

    let events = s
        .apply(Intent::UnholdInject {
            inject: inject("ransom-note"),
        })
        .unwrap();
    assert_eq!(
        events.first(),
        Some(&Event::InjectUnheld {
            inject: inject("ransom-note")
        })
    );
    // Already due, so back on schedule means released now, at minute 15.
    assert_eq!(s.released_at("ransom-note"), Some(15));
    assert!(s.held().is_empty());
}

#[test]
fn releasing_a_held_inject_releases_it_and_forgets_the_hold() {
    let mut s = session();
    s.apply(Intent::HoldInject {
        inject: inject("ransom-note"),
    })
    .unwrap();
    s.apply(Intent::ReleaseInject {
        inject: inject("ransom-note"),
    })
    .unwrap();
    assert_eq!(s.released_at("ransom-note"), Some(0));
    assert!(s.held().is_empty());
}

#[test]
fn impossible_facilitator_intents_are_refused_and_change_nothing() {
    let mut s = session();
    s.apply(Intent::HoldInject {
        inject: inject("ransom-note"),
    })
    .unwrap();
    let before = s.log().clone();
    let cases = [
        (
            Intent::ReleaseInject {
                inject: inject("no-such"),
            },
            "there is no inject `no-such` in this scenario",
        ),
        (
            Intent::ReleaseInject {
                inject: inject("alert"),
            },
            "inject `alert` was already released at minute 0",
        ),
        (
            Intent::HoldInject {
                inject: inject("ransom-note"),
            },
            "inject `ransom-note` is already being held",
        ),
        (
            Intent::UnholdInject {
                inject: inject("alert"),
            },
            "inject `alert` was already released at minute 0",
        ),
        (
            Intent::UnholdInject {
                inject: inject("hr-data"),
            },
            "inject `hr-data` is not being held",
        ),
    ];
    for (intent, reason) in cases {
        let rejected = s.apply(intent.clone()).unwrap_err();
        assert_eq!(rejected.reason, reason, "{intent:?}");
    }
    assert_eq!(s.log(), &before);
}

#[test]
fn facilitation_is_never_graded_and_replays_exactly() {
    let mut s = session();
    s.apply(Intent::HoldInject {
        inject: inject("ransom-note"),
    })
    .unwrap();
    s.apply(Intent::Advance { minutes: 12 }).unwrap();
    s.apply(Intent::ReleaseInject {
        inject: inject("ransom-note"),
    })
    .unwrap();
    s.apply(Intent::Escalate {
        from: "soc".into(),
        to: vec!["legal".into()],
        reason: "extortion".into(),
    })
    .unwrap();
    let card = score(&s);
    let facilitation: Vec<usize> = s
        .log()
        .entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.intent.is_facilitation())
        .map(|(i, _)| i)
        .collect();
    assert_eq!(facilitation.len(), 3);
    assert!(
        card.findings
            .iter()
            .all(|f| f.entry.is_none_or(|e| !facilitation.contains(&e))),
        "{:#?}",
        card.findings
    );

    let rows = timeline(&s);
    let held = rows
        .iter()
        .find(|r| r.actual.starts_with("Facilitator held back"))
        .unwrap();
    assert!(!held.by_player);
    assert!(held.actual.contains("Ransom note"), "{}", held.actual);
    assert!(
        rows.iter()
            .any(|r| r.actual.starts_with("Facilitator released early") && r.minute == 12)
    );

    let replayed = Session::replay(scenario(SCENARIO), matrix(), s.log()).unwrap();
    assert_eq!(replayed.released_at("ransom-note"), Some(12));
    assert_eq!(score(&replayed), card);
}

#[test]
fn obligations_show_who_is_due_and_who_was_engaged_in_time() {
    let mut s = session();
    s.apply(Intent::Advance { minutes: 10 }).unwrap();
    let legal = |s: &Session| {
        obligations(s)
            .into_iter()
            .find(|o| o.role.as_str() == "legal" && o.deadline == 40)
            .unwrap()
    };
    assert_eq!(legal(&s).engaged_at, None);
    assert!(!legal(&s).citation.is_empty());
    s.apply(Intent::Advance { minutes: 3 }).unwrap();
    s.apply(Intent::Escalate {
        from: "soc".into(),
        to: vec!["legal".into()],
        reason: "extortion".into(),
    })
    .unwrap();
    assert_eq!(legal(&s).engaged_at, Some(13));
    let all = obligations(&s);
    assert!(all.windows(2).all(|w| w[0].deadline <= w[1].deadline));
}

#[test]
fn the_room_feed_has_scripted_and_adhoc_injects_in_order_and_nothing_private() {
    let mut s = session();
    let mut record = ExerciseRecord::new("x", Mode::Facilitated, 0, &s);
    record
        .release_adhoc(
            0,
            0,
            "  Phone call from the CFO ",
            "She asks if payroll is safe.",
            vec![],
        )
        .unwrap();
    s.apply(Intent::Advance { minutes: 10 }).unwrap();
    record
        .release_adhoc(10, 0, "Badge reader offline", "", vec![])
        .unwrap();
    assert_eq!(
        record
            .release_adhoc(10, 0, "   ", "no title", vec![])
            .unwrap_err()
            .reason,
        "give the inject a title"
    );

    let feed = inject_feed(&s, &record.adhoc_injects);
    let titles: Vec<(u32, &str, bool)> = feed
        .iter()
        .map(|i| (i.minute, i.title.as_str(), i.adhoc))
        .collect();
    assert_eq!(
        titles,
        [
            (0, "Mass file renames on FS-01", false),
            (0, "Phone call from the CFO", true),
            (10, "Ransom note and spreading encryption", false),
            (10, "Badge reader offline", true),
        ]
    );
    // Variations are filled in; no placeholder and no facilitator guidance reaches the room.
    let everything: String = feed
        .iter()
        .flat_map(|i| {
            std::iter::once(i.narrative.clone()).chain(i.artifacts.iter().map(|a| a.body.clone()))
        })
        .collect();
    assert!(!everything.contains("{entry_vector}"));
    for inject in &s.scenario().injects {
        if !inject.facilitator_notes.is_empty() {
            assert!(!everything.contains(&inject.facilitator_notes));
        }
    }
}

#[test]
fn the_facilitator_record_validates_what_is_written_into_it() {
    let s = session();
    let m = matrix();
    let mut record = ExerciseRecord::new("x", Mode::Facilitated, 0, &s);
    record.put_in_role(" Dana ", "soc".into(), &m).unwrap();
    record
        .put_in_role("Legal team", "legal".into(), &m)
        .unwrap();
    record.put_in_role("Dana", "it_ops".into(), &m).unwrap();
    assert_eq!(record.people_in(&"it_ops".into()), ["Dana"]);
    assert!(record.people_in(&"soc".into()).is_empty());
    assert_eq!(record.participants.len(), 2);
    assert_eq!(
        record
            .put_in_role("Sam", "janitor".into(), &m)
            .unwrap_err()
            .reason,
        "there is no role `janitor` in the matrix"
    );
    assert!(record.put_in_role("  ", "soc".into(), &m).is_err());

    let note = |text: &str| ObserverNote {
        minute: 4,
        role: Some("soc".into()),
        dimension: Some(Dimension::Evidence),
        text: text.into(),
        after_intents: None,
    };
    assert!(record.add_note(note("   ")).is_err());
    record.add_note(note(" Imaged before isolating. ")).unwrap();
    assert_eq!(record.notes, [note("Imaged before isolating.")]);

    record
        .add_hotwash_item("soc".into(), HotwashList::Strengths, "Fast triage")
        .unwrap();
    record
        .add_hotwash_item(
            "soc".into(),
            HotwashList::Improvements,
            "Handoff lacked urgency",
        )
        .unwrap();
    record
        .add_hotwash_item("soc".into(), HotwashList::Strengths, "Good evidence")
        .unwrap();
    assert!(
        record
            .add_hotwash_item("soc".into(), HotwashList::Strengths, " ")
            .is_err()
    );
    assert_eq!(record.hotwash.len(), 1);
    assert_eq!(
        record.hotwash[0].strengths,
        ["Fast triage", "Good evidence"]
    );
    record.remove_hotwash_item(&"soc".into(), HotwashList::Strengths, 0);
    assert_eq!(record.hotwash[0].strengths, ["Good evidence"]);
    record.remove_hotwash_item(&"soc".into(), HotwashList::Strengths, 0);
    record.remove_hotwash_item(&"soc".into(), HotwashList::Improvements, 0);
    assert!(record.hotwash.is_empty(), "an emptied role is dropped");
}
