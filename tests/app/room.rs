//! The console's room: opened from the app, following what the seats do, opened again on resume.

use super::support::*;

/// One HTTP/1.1 exchange on loopback, read to the end.
#[cfg(feature = "room")]
fn http_exchange(addr: &str, request: &str) -> String {
    use std::io::{Read as _, Write as _};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

/// Starts a facilitated exercise in `app`, which can open rooms, and opens one for this
/// computer; returns the join address's `host:port` and path.
#[cfg(feature = "room")]
/// The app's rooms prefer one port (8470): the tests that open one take turns, so that a room
/// opened again finds its port free.
static ROOM_PORT: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn open_a_room(app: &mut App) -> (String, String) {
    app.insert_resource(warroom::app::exercise::RoomService(Some(
        warroom::room_host::opener(),
    )));
    start(app, "ransomware-file-server", Mode::Facilitated);
    send(
        app,
        UiCommand::Exercise(ExerciseCommand::OpenRoom {
            local_network: false,
        }),
    );
    let join = active(app)
        .room()
        .expect("the room is open")
        .link
        .addresses()
        .join;
    assert!(join.starts_with("http://127.0.0.1:"), "{join}");
    let rest = join.strip_prefix("http://").unwrap();
    let (addr, path) = rest.split_at(rest.find('/').unwrap());
    (addr.to_owned(), path.to_owned())
}

/// Takes a seat through the join form, as a browser would; returns the seat page's path.
#[cfg(feature = "room")]
fn take_seat(addr: &str, join_path: &str, seat: &str, person: &str) -> String {
    let body = format!("seat={seat}&person={person}");
    let answer = http_exchange(
        addr,
        &format!(
            "POST {join_path}/take HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ),
    );
    answer
        .lines()
        .find_map(|l| l.strip_prefix("location: "))
        .unwrap_or_else(|| panic!("no seat: {answer}"))
        .trim()
        .to_owned()
}

/// The console opens a room: a seat's device acts from a browser's protocol, the app shows what
/// it did, the console's own intents and notes go through the host, and everything is in the save;
/// closed again, the exercise goes on at the console.
#[cfg(feature = "room")]
#[test]
fn the_console_opens_a_room_and_follows_what_the_seats_do() {
    use futures_util::{SinkExt as _, StreamExt as _};
    let _port = ROOM_PORT
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);

    let mut app = headless_app();
    let (addr, path) = open_a_room(&mut app);
    // A device takes the SOC's seat through the join form.
    let seat = take_seat(&addr, &path, "soc", "Ana");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let (mut ws, _) = tokio_tungstenite::connect_async(format!("ws://{addr}{seat}/ws"))
            .await
            .unwrap();
        let handoff = serde_json::json!({"t": "intent", "id": 1, "intent":
            {"Handoff": {"from": "soc", "to": "it_ops", "observed": "Renames on FS-01"}}});
        ws.send(tokio_tungstenite::tungstenite::Message::Text(
            handoff.to_string().into(),
        ))
        .await
        .unwrap();
        loop {
            let message = ws.next().await.unwrap().unwrap();
            if message.to_text().unwrap().contains(r#""t":"ack""#) {
                break;
            }
        }
    });
    // The console shows it within a few frames.
    for _ in 0..100 {
        app.update();
        if active(&app).session().log().entries.len() == 1 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(matches!(
        active(&app).session().log().entries[0].intent,
        Intent::Handoff(_)
    ));
    assert_eq!(
        app.world()
            .resource::<warroom::app::exercise::BoardArrows>()
            .0
            .len(),
        1,
        "the handoff is drawn on the board"
    );
    // The console's own intent and a note go through the host, which saves them with the seat's.
    send(
        &mut app,
        UiCommand::Exercise(ExerciseCommand::Intent(Intent::Advance { minutes: 3 })),
    );
    facilitate(
        &mut app,
        FacilitatorCommand::Note {
            role: None,
            dimension: None,
            text: "SOC handed off fast".into(),
        },
    );
    send(
        &mut app,
        UiCommand::Exercise(ExerciseCommand::ChatToSeat {
            seat: "soc".into(),
            text: "Good handoff.".into(),
        }),
    );
    app.update();
    assert_eq!(active(&app).session().minute(), 3);
    let saved = load(&save_path(&app));
    assert_eq!(saved.log.entries.len(), 2);
    assert_eq!(saved.notes[0].text, "SOC handed off fast");
    let room = saved.room.as_ref().unwrap();
    assert_eq!(room.by_id("soc").unwrap().devices[0].person, "Ana");
    assert_eq!(room.chat[0].text, "Good handoff.");
    // The console manages the seats: Legal and PR become one team seat.
    send(
        &mut app,
        UiCommand::Exercise(ExerciseCommand::ManageSeat(
            warroom::engine::room::SeatChange::Combine {
                into: "legal".into(),
                from: "pr_comms".into(),
            },
        )),
    );
    app.update();
    let seats = &active(&app).record().room.as_ref().unwrap().seats;
    assert!(seats.iter().any(|s| s.seat.roles.len() == 2));
    // A refusal from the host says why.
    send(
        &mut app,
        UiCommand::Exercise(ExerciseCommand::Intent(Intent::Advance { minutes: 0 })),
    );
    assert!(matches!(
        app.world().resource::<LastOutcome>(),
        LastOutcome::Rejected { .. }
    ));
    // Closed, the exercise goes on at the console and keeps the seats in its record.
    send(&mut app, UiCommand::Exercise(ExerciseCommand::CloseRoom));
    assert!(active(&app).room().is_none());
    send(
        &mut app,
        UiCommand::Exercise(ExerciseCommand::Intent(Intent::Advance { minutes: 1 })),
    );
    let saved = load(&save_path(&app));
    assert_eq!(saved.log.entries.len(), 3);
    assert_eq!(saved.notes.len(), 1);
    assert!(saved.room.is_some());
    assert!(
        std::net::TcpStream::connect(&addr).is_err(),
        "the host stopped"
    );
}

/// A facilitator's app that dies while hosting comes back with the room open, under the same
/// address, and every device keeps its seat.
#[cfg(feature = "room")]
#[test]
fn a_resumed_exercise_that_was_hosted_opens_its_room_again() {
    use warroom::app::exercise::RoomService;
    // Another test opening a room between the drop and the resume would take the port back.
    let _port = ROOM_PORT
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);

    let data = tempfile::tempdir().unwrap();
    let mut app = app_in(data.path());
    let (addr, path) = open_a_room(&mut app);
    let join = active(&app).room().unwrap().addresses.join.clone();
    let seat = take_seat(&addr, &path, "legal", "Priya");
    let saved_at = save_path(&app);
    // The app goes away without closing the room.
    drop(app);
    assert!(
        std::net::TcpStream::connect(&addr).is_err(),
        "the host went with it"
    );
    let mut app = app_in(data.path());
    app.insert_resource(RoomService(Some(warroom::room_host::opener())));
    send(
        &mut app,
        UiCommand::Exercise(ExerciseCommand::Resume(saved_at)),
    );
    let room = active(&app).room().expect("the room opened again");
    assert_eq!(room.addresses.join, join, "same codes, same port");
    let page = http_exchange(
        &addr,
        &format!("GET {seat} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"),
    );
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("Legal Counsel"));
    // Closed by the facilitator, it stays closed on the next resume.
    send(&mut app, UiCommand::Exercise(ExerciseCommand::CloseRoom));
    let saved_at = save_path(&app);
    drop(app);
    let mut app = app_in(data.path());
    app.insert_resource(RoomService(Some(warroom::room_host::opener())));
    send(
        &mut app,
        UiCommand::Exercise(ExerciseCommand::Resume(saved_at)),
    );
    assert!(active(&app).room().is_none());
}

/// What a facilitator does at the console, as they would in a session: their name, people in
/// roles (one removed again), notes, an ad-hoc inject, the projector, the clock, a hotwash.
#[cfg(feature = "room")]
fn run_the_console(app: &mut App) {
    let edits = [
        FacilitatorCommand::SetFacilitator("  Dana  ".into()),
        FacilitatorCommand::PutInRole {
            name: "Ana".into(),
            role: "soc".into(),
        },
        FacilitatorCommand::PutInRole {
            name: "Ben".into(),
            role: "legal".into(),
        },
        FacilitatorCommand::TakeOutOfRole(1),
        FacilitatorCommand::ShowProjector(true),
        FacilitatorCommand::BlankProjector(true),
        FacilitatorCommand::Note {
            role: Some("soc".into()),
            dimension: Some(Dimension::Evidence),
            text: "Imaged FS-01 before isolating it".into(),
        },
        FacilitatorCommand::AdHocInject {
            title: "CFO on the phone".into(),
            narrative: "Is payroll safe?".into(),
            to: Some("business_leadership".into()),
        },
        FacilitatorCommand::Note {
            role: None,
            dimension: None,
            text: "   ".into(),
        },
    ];
    for edit in edits {
        facilitate(app, edit);
    }
    send(
        app,
        UiCommand::Exercise(ExerciseCommand::Intent(Intent::Advance { minutes: 4 })),
    );
    facilitate(
        app,
        FacilitatorCommand::HotwashAdd {
            role: "soc".into(),
            list: HotwashList::Strengths,
            text: "Escalated within ten minutes".into(),
        },
    );
    facilitate(app, FacilitatorCommand::BlankProjector(false));
}

/// The record without what only a room or a moment gives it: its id, times and seats.
#[cfg(feature = "room")]
fn as_played(mut record: warroom::engine::exercise::ExerciseRecord) -> String {
    record.id.clear();
    record.started_at = 0;
    record.updated_at = 0;
    record.room = None;
    format!("{record:#?}")
}

/// One write path: the console's edits and intents land the same in the exercise's store and in
/// its save whether the app owns the exercise or a room's host does. No field of the record is
/// copied to the host by hand, so one added later cannot be left behind.
#[cfg(feature = "room")]
#[test]
fn the_console_records_the_same_with_a_room_open_or_not() {
    let _port = ROOM_PORT
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut local = headless_app();
    start(&mut local, "ransomware-file-server", Mode::Facilitated);
    run_the_console(&mut local);

    let mut hosted = headless_app();
    open_a_room(&mut hosted);
    run_the_console(&mut hosted);
    assert!(
        active(&hosted).room().is_some(),
        "played with the room open"
    );

    let played = as_played(active(&local).record().clone());
    assert!(played.contains("Imaged FS-01"), "{played}");
    assert!(played.contains("Dana") && !played.contains("  Dana"));
    assert_eq!(as_played(active(&hosted).record().clone()), played);
    assert_eq!(as_played(load(&save_path(&local))), played);
    assert_eq!(as_played(load(&save_path(&hosted))), played);
    assert_eq!(
        active(&hosted).session().log(),
        active(&local).session().log()
    );
    // The refused note said why, with a room open as without.
    let refused = notice(&hosted).expect("the empty note was refused in words");
    assert!(refused.is_error, "{}", refused.text);
}
