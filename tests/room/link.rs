//! The room as the desktop app drives it, through its link: woken after every change, and a copy
//! of the exercise that follows the host by what changed.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use warroom::hosting::{OpenRequest, RoomLink};

use super::support::{address_of, http};

/// A room opened as the app opens one, on a free port.
fn open_link(saves: &std::path::Path) -> Arc<dyn RoomLink> {
    let hosted = warroom::room_host::host_exercise(&super::support::options(
        "ransomware-file-server",
        saves,
        None,
    ))
    .unwrap();
    warroom::room_host::opener()(OpenRequest {
        session: hosted.session,
        record: hosted.record,
        save_path: hosted.save_path,
        bind: std::net::Ipv4Addr::LOCALHOST.into(),
        port: 0,
    })
    .unwrap()
}

/// The app sleeps until something happens: the host wakes it after every change, from its own
/// thread, including a seat's.
#[test]
fn the_host_wakes_whoever_asked_after_every_change() {
    let dir = tempfile::tempdir().unwrap();
    let link = open_link(dir.path());
    let wakes = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&wakes);
    link.on_change(Box::new(move || {
        counter.fetch_add(1, Ordering::SeqCst);
    }));
    let wait_for = |n: usize| {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while wakes.load(Ordering::SeqCst) < n {
            assert!(std::time::Instant::now() < deadline, "no wake");
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    };
    link.submit(warroom::engine::Intent::Advance { minutes: 1 })
        .unwrap();
    wait_for(1);
    // A device taking a seat is a change too.
    let join = link.addresses().join;
    let (addr, path) = address_of(&join);
    let taken = http(addr, "POST", &format!("{path}/take"), "seat=soc&person=Ana");
    assert_eq!(taken.status, 303);
    wait_for(2);
}

/// The app's copy follows the host by what changed only (log entries, chat lines, the rest of
/// the record when it moved), and ends up equal to what the host holds and what it saved:
/// through the app's own intents and edits, a device's intent, chat, seat changes, and a long
/// run of changes between two looks.
#[test]
fn the_apps_copy_follows_the_host_by_what_changed() {
    let dir = tempfile::tempdir().unwrap();
    let link = open_link(dir.path());
    let (mut session, mut record) = link.start_following();
    let same_as_host = |session: &warroom::engine::Session,
                        record: &warroom::engine::exercise::ExerciseRecord| {
        let (host_session, host_record) = link.start_following();
        assert_eq!(session.log(), host_session.log());
        assert_eq!(session.minute(), host_session.minute());
        assert_eq!(
            warroom::engine::score(session),
            warroom::engine::score(&host_session)
        );
        assert_eq!(record, &host_record);
    };
    // A device takes a seat and acts; the facilitator chats, edits and acts.
    let (addr, path) = address_of(&link.addresses().join);
    let taken = http(addr, "POST", &format!("{path}/take"), "seat=soc&person=Ana");
    assert_eq!(taken.status, 303);
    link.submit(warroom::engine::Intent::Advance { minutes: 2 })
        .unwrap();
    link.chat("soc", "Who owns FS-01?").unwrap();
    link.edit(&mut |record, session| {
        record.add_note(warroom::engine::exercise::ObserverNote {
            minute: session.minute(),
            role: None,
            dimension: None,
            text: "Quiet start".into(),
            after_intents: Some(session.log().entries.len()),
        })
    })
    .unwrap();
    link.manage(&warroom::engine::room::SeatChange::Combine {
        into: "legal".into(),
        from: "pr_comms".into(),
    })
    .unwrap();
    link.follow(&mut session, &mut record);
    assert_eq!(session.minute(), 2);
    assert_eq!(record.notes[0].text, "Quiet start");
    same_as_host(&session, &record);

    // Many changes between two looks (the window asleep) arrive together.
    for _ in 0..40 {
        link.submit(warroom::engine::Intent::Advance { minutes: 1 })
            .unwrap();
        link.chat("soc", "Still here").unwrap();
    }
    link.follow(&mut session, &mut record);
    assert_eq!(session.minute(), 42);
    same_as_host(&session, &record);
    // A refused edit changes nothing, anywhere.
    let refused = link.edit(&mut |record, session| {
        record.add_note(warroom::engine::exercise::ObserverNote {
            minute: session.minute(),
            role: None,
            dimension: None,
            text: "  ".into(),
            after_intents: None,
        })
    });
    assert!(refused.is_err());
    link.follow(&mut session, &mut record);
    same_as_host(&session, &record);
    assert_eq!(record.notes.len(), 1);
    // An edit of the record cannot take the room away from under its seats: the room is not
    // the record's to edit while it is hosted.
    link.edit(&mut |record, _| {
        record.room = None;
        Ok(())
    })
    .unwrap();
    link.follow(&mut session, &mut record);
    let room = record.room.as_ref().expect("the room is still there");
    assert_eq!(room.by_id("soc").unwrap().devices[0].person, "Ana");
    same_as_host(&session, &record);
}
