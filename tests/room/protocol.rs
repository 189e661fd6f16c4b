//! The room's protocol without a browser: pages and codes over raw HTTP, seats and the console
//! over a Rust WebSocket client.

use std::sync::Arc;

use futures_util::SinkExt as _;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use warroom::engine::content::library::{default_matrix_path, load_matrix};
use warroom::engine::content::load::Source;
use warroom::engine::content::script::{self, Decisions};
use warroom::engine::scoring::score;

use super::support::{
    address_of, block_on, connect, http, intent, next, next_of, raw_request, request, start,
};

#[test]
fn a_wrong_or_missing_code_gets_a_refusal_and_no_scenario_content() {
    let dir = tempfile::tempdir().unwrap();
    let room = start("ransomware-file-server", dir.path());
    let addr = room.addr();
    let title = "Ransomware on the operations file server";
    let join = http(addr, "GET", &room.join_path(), "");
    assert_eq!(join.status, 200);
    assert!(join.body.contains(title));
    for path in [
        "/",
        "/room/",
        "/room/00000000000000000000000000000000",
        "/room/00000000000000000000000000000000/projector",
        "/room/00000000000000000000000000000000/projector/view",
        "/console/00000000000000000000000000000000",
        "/console/00000000000000000000000000000000/seat/soc",
        "/static/../Cargo.toml",
        "/static/secret.ron",
    ] {
        let answer = http(addr, "GET", path, "");
        assert_eq!(answer.status, 404, "{path}");
        assert!(!answer.body.contains(title), "{path} shows the scenario");
    }
    let lost = http(addr, "GET", "/seat/00000000000000000000000000000000", "");
    assert_eq!(lost.status, 403);
    assert!(!lost.body.contains(title));
    // The join code does not open the console, nor the console code the join page.
    let console_code = room.console_path().rsplit('/').next().unwrap().to_owned();
    assert_eq!(
        http(addr, "GET", &format!("/room/{console_code}"), "").status,
        404
    );
    // Every answer carries the policy that forbids inline script.
    let csp = join.header("content-security-policy").unwrap();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
    assert_eq!(join.header("x-content-type-options").unwrap(), "nosniff");
}

#[test]
fn devices_share_a_seat_up_to_a_limit_and_names_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let room = start("ransomware-file-server", dir.path());
    room.take("legal", "%3Cscript%3Ealert(1)%3C%2Fscript%3E");
    let seat = room.take("soc", "Ana");
    assert!(seat.starts_with("/seat/") && seat.len() == "/seat/".len() + 32);
    let others: Vec<String> = (2..=warroom::engine::room::MAX_DEVICES_PER_SEAT)
        .map(|n| room.take("soc", &format!("Analyst{n}")))
        .collect();
    assert!(!others.contains(&seat), "every device has its own token");
    let full = http(
        room.addr(),
        "POST",
        &format!("{}/take", room.join_path()),
        "seat=soc&person=Bo",
    );
    assert_eq!(full.status, 409);
    assert!(
        full.body.contains("this seat already has 8 devices"),
        "{}",
        full.body
    );
    let nameless = http(
        room.addr(),
        "POST",
        &format!("{}/take", room.join_path()),
        "seat=legal&person=",
    );
    assert_eq!(nameless.status, 409);
    let join = http(room.addr(), "GET", &room.join_path(), "");
    assert!(join.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!join.body.contains("<script>alert"));
    // The seat page loads its scripts from files (the shared helpers, then its own), never inline.
    let page = http(room.addr(), "GET", &seat, "");
    assert_eq!(page.status, 200);
    assert!(page.body.contains(
        r#"<script src="/static/common.js" defer></script><script src="/static/seat.js" defer>"#
    ));
    assert_eq!(page.body.matches("<script").count(), 2);
    let common = http(room.addr(), "GET", "/static/common.js", "");
    assert_eq!(common.status, 200);
    assert!(common.body.contains("window.Warroom"));
    // The seat is saved with the exercise, so a restarted host knows the device.
    let saved = room.saved();
    let room_record = saved.room.unwrap();
    assert_eq!(
        Some(room_record.by_id("soc").unwrap().devices[0].token.as_str()),
        seat.strip_prefix("/seat/")
    );
    // An oversized form is refused before it is read.
    let big = http(
        room.addr(),
        "POST",
        &format!("{}/take", room.join_path()),
        &format!("seat=it_ops&person={}", "x".repeat(10_000)),
    );
    assert_eq!(big.status, 413);
    assert!(
        room.saved()
            .room
            .unwrap()
            .by_id("it_ops")
            .unwrap()
            .devices
            .is_empty()
    );
}

#[test]
fn an_acknowledged_intent_is_on_disk_and_reaches_the_seats_it_concerns() {
    let dir = tempfile::tempdir().unwrap();
    let room = start("ransomware-file-server", dir.path());
    let soc = room.take("soc", "Ana");
    let it = room.take("it_ops", "Bo");
    let legal = room.take("legal", "Cy");
    block_on(async {
        let mut soc_ws = connect(&room.ws_url(&format!("{soc}/ws"))).await;
        let mut it_ws = connect(&room.ws_url(&format!("{it}/ws"))).await;
        let mut legal_ws = connect(&room.ws_url(&format!("{legal}/ws"))).await;
        for ws in [&mut soc_ws, &mut it_ws, &mut legal_ws] {
            let first = next_of(ws, "update").await;
            assert_eq!(first["feed"][0]["seq"], 0, "the opening inject comes first");
            assert!(first["feed"][0]["kind"]["inject"].is_string(), "{first}");
            assert!(first["view"].get("score").is_none());
        }
        let handoff =
            json!({"Handoff": {"from": "soc", "to": "it_ops", "observed": "FS-01 renames files"}});
        let ack = intent(&mut soc_ws, 1, handoff).await;
        assert_eq!(ack["t"], "ack", "{ack}");
        let seq = ack["seq"].as_u64().unwrap() as usize;
        // Acknowledged means saved.
        assert_eq!(room.saved().log.entries.len(), seq);
        // Pages connecting push updates too; the handoff comes with the first that has news.
        let it_update = loop {
            let update = next_of(&mut it_ws, "update").await;
            if !update["feed"].as_array().unwrap().is_empty() {
                break update;
            }
        };
        let text = it_update["feed"][0]["text"].as_str().unwrap();
        assert!(text.contains("hands off to IT Operations"), "{text}");
        assert_eq!(
            it_update["feed"][0]["details"][0],
            "Observed: FS-01 renames files"
        );
        assert_eq!(it_update["feed"][0]["seq"], seq);
        // Legal is told nothing of it: its next update (after the clock moves) has no exchange.
        let mut console = connect(&room.ws_url(&format!("{}/ws", room.console_path()))).await;
        next_of(&mut console, "console").await;
        let advanced = intent(&mut console, 1, json!({"Advance": {"minutes": 1}})).await;
        assert_eq!(advanced["t"], "ack", "{advanced}");
        loop {
            let update = next_of(&mut legal_ws, "update").await;
            assert!(
                update["feed"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|i| i["kind"] != "exchange"),
                "{update}"
            );
            if update["view"]["minute"] == 1 {
                break;
            }
        }
    });
}

#[test]
fn refused_requests_say_why_and_record_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let room = start("ransomware-file-server", dir.path());
    let soc = room.take("soc", "Ana");
    block_on(async {
        let mut ws = connect(&room.ws_url(&format!("{soc}/ws"))).await;
        next_of(&mut ws, "update").await;
        let before = room.saved().log.entries.len();
        let as_legal = intent(&mut ws, 1, json!({"DeclareIncident": {"by": "legal"}})).await;
        assert_eq!(as_legal["t"], "refused");
        assert_eq!(
            as_legal["reason"],
            "this seat plays Security Operations Center, not Legal Counsel"
        );
        let clock = intent(&mut ws, 2, json!({"Advance": {"minutes": 30}})).await;
        assert_eq!(
            clock["reason"],
            "only the facilitator moves the clock and releases or holds injects"
        );
        let ended = intent(&mut ws, 3, json!("EndExercise")).await;
        assert_eq!(ended["t"], "refused");
        let unknown = intent(&mut ws, 4, json!({"WipeServer": {"by": "soc"}})).await;
        assert!(
            unknown["reason"]
                .as_str()
                .unwrap()
                .starts_with("not something the room understands"),
            "{unknown}"
        );
        let garbage = request(&mut ws, 5, json!({"t": "nonsense"})).await;
        assert_eq!(garbage["t"], "refused");
        ws.send(Message::Text("{not json".into())).await.unwrap();
        let malformed = next_of(&mut ws, "refused").await;
        assert!(
            malformed["reason"]
                .as_str()
                .unwrap()
                .starts_with("the message could not be read")
        );
        ws.send(Message::Binary(vec![1, 2, 3].into()))
            .await
            .unwrap();
        assert_eq!(
            next_of(&mut ws, "refused").await["reason"],
            "send JSON text, not binary"
        );
        let engine_says = intent(
            &mut ws,
            6,
            json!({"AssignAction": {"action": "no-such-action", "role": "soc"}}),
        )
        .await;
        assert_eq!(engine_says["t"], "refused");
        assert_eq!(
            room.saved().log.entries.len(),
            before,
            "nothing refused is saved"
        );
        // A seat cannot manage seats either.
        let manage = request(
            &mut ws,
            7,
            json!({"t": "device", "device": 1, "to": "legal"}),
        )
        .await;
        assert_eq!(manage["reason"], "only the facilitator manages seats");
        // An oversized frame closes the connection without recording anything.
        let huge = json!({"t": "chat", "id": 8, "text": "x".repeat(40_000)}).to_string();
        let _ = ws.send(Message::Text(huge.into())).await;
        let mut close_code = None;
        while let Some(Ok(message)) = futures_util::StreamExt::next(&mut ws).await {
            match message {
                Message::Close(frame) => close_code = frame.map(|f| u16::from(f.code)),
                Message::Text(text) => assert!(!text.contains("\"ack\""), "{text}"),
                _ => {}
            }
        }
        assert_eq!(
            close_code,
            Some(1009),
            "the page is told the message was too big"
        );
        assert!(room.saved().room.unwrap().chat.is_empty());
        assert_eq!(room.saved().log.entries.len(), before);
    });
}

#[test]
fn a_flood_of_requests_is_slowed_without_stalling_the_host() {
    let dir = tempfile::tempdir().unwrap();
    let room = start("ransomware-file-server", dir.path());
    let soc = room.take("soc", "Ana");
    block_on(async {
        let mut ws = connect(&room.ws_url(&format!("{soc}/ws"))).await;
        next_of(&mut ws, "update").await;
        for id in 1..=40 {
            let text = json!({"t": "chat", "id": id, "text": format!("line {id}")}).to_string();
            ws.send(Message::Text(text.into())).await.unwrap();
        }
        let mut acked = 0;
        let mut slowed = 0;
        while acked + slowed < 40 {
            let message = next(&mut ws).await.unwrap();
            match message["t"].as_str() {
                Some("ack") => acked += 1,
                Some("refused") => {
                    assert_eq!(
                        message["reason"],
                        "too many requests at once; wait a moment"
                    );
                    slowed += 1;
                }
                _ => {}
            }
        }
        assert!(
            slowed > 0,
            "a burst of 40 is more than a seat may send at once"
        );
        assert_eq!(room.saved().room.unwrap().chat.len(), acked);
        // Another seat is served meanwhile.
        let it = room.take("it_ops", "Bo");
        let mut other = connect(&room.ws_url(&format!("{it}/ws"))).await;
        next_of(&mut other, "update").await;
    });
}

#[test]
fn a_dropped_seat_catches_up_from_the_last_item_it_saw() {
    let dir = tempfile::tempdir().unwrap();
    let room = start("ransomware-file-server", dir.path());
    let soc = room.take("soc", "Ana");
    let it = room.take("it_ops", "Bo");
    block_on(async {
        let mut it_ws = connect(&room.ws_url(&format!("{it}/ws"))).await;
        let first = next_of(&mut it_ws, "update").await;
        let seen = first["feed"].as_array().unwrap().last().unwrap()["seq"]
            .as_u64()
            .unwrap();
        drop(it_ws);
        let mut soc_ws = connect(&room.ws_url(&format!("{soc}/ws"))).await;
        next_of(&mut soc_ws, "update").await;
        for (id, observed) in [(1, "first"), (2, "second")] {
            let handoff = json!({"Handoff": {"from": "soc", "to": "it_ops", "observed": observed}});
            assert_eq!(intent(&mut soc_ws, id, handoff).await["t"], "ack");
        }
        let mut back = connect(&room.ws_url(&format!("{it}/ws?after={seen}"))).await;
        let update = next_of(&mut back, "update").await;
        let feed = update["feed"].as_array().unwrap();
        assert_eq!(feed.len(), 2, "{update}");
        assert!(feed.iter().all(|i| i["seq"].as_u64().unwrap() > seen));
        assert_eq!(feed[1]["details"][0], "Observed: second");
    });
}

#[test]
fn the_console_manages_seats_and_chats_with_them() {
    let dir = tempfile::tempdir().unwrap();
    let room = start("ransomware-file-server", dir.path());
    let soc = room.take("soc", "Ana");
    block_on(async {
        let mut ws = connect(&room.ws_url(&format!("{soc}/ws"))).await;
        next_of(&mut ws, "update").await;
        let mut console = connect(&room.ws_url(&format!("{}/ws", room.console_path()))).await;
        let view = loop {
            let view = next_of(&mut console, "console").await;
            if view["seats"][0]["connected"] == 1 {
                break view;
            }
        };
        assert_eq!(view["seats"][0]["devices"][0]["person"], "Ana");
        assert!(view.get("score").is_none());
        let asked = request(
            &mut ws,
            1,
            json!({"t": "chat", "text": "Do we call the police?"}),
        )
        .await;
        assert_eq!(asked["t"], "ack");
        let answered = request(
            &mut console,
            1,
            json!({"t": "chat", "seat": "soc", "text": "Legal decides that."}),
        )
        .await;
        assert_eq!(answered["t"], "ack");
        let update = loop {
            let update = next_of(&mut ws, "update").await;
            if update["chat"].as_array().unwrap().len() == 2 {
                break update;
            }
        };
        assert_eq!(update["chat"][1]["from_facilitator"], true);
        // Another seat never sees that chat.
        let it = room.take("it_ops", "Bo");
        let mut it_ws = connect(&room.ws_url(&format!("{it}/ws"))).await;
        assert!(
            next_of(&mut it_ws, "update").await["chat"]
                .as_array()
                .unwrap()
                .is_empty()
        );
        // Moving a person: their page now plays the other seat.
        let moved = request(
            &mut console,
            2,
            json!({"t": "device", "device": 2, "to": "legal"}),
        )
        .await;
        assert_eq!(moved["t"], "ack", "{moved}");
        let as_legal = intent(&mut it_ws, 3, json!({"DeclareIncident": {"by": "legal"}})).await;
        assert_eq!(as_legal["t"], "ack", "{as_legal}");
        // Removing the device takes the seat from it.
        let removed = request(&mut console, 3, json!({"t": "device", "device": 1})).await;
        assert_eq!(removed["t"], "ack");
        let gone = next_of(&mut ws, "gone").await;
        assert_eq!(
            gone["rejoin"],
            room.join_path(),
            "the page says where to join again"
        );
        assert_eq!(http(room.addr(), "GET", &soc, "").status, 403);
        // Closing a seat pauses its devices; opening it again brings them back where they were.
        let closed = request(
            &mut console,
            4,
            json!({"t": "seat", "seat": "legal", "op": "close"}),
        )
        .await;
        assert_eq!(closed["t"], "ack");
        let paused = loop {
            let update = next_of(&mut it_ws, "update").await;
            if update["paused"] == true {
                break update;
            }
        };
        assert_eq!(paused["view"]["seat_id"], "legal");
        let while_closed = intent(
            &mut it_ws,
            4,
            json!({"ClassifySeverity": {"level": 2, "by": "legal"}}),
        )
        .await;
        assert!(
            while_closed["reason"]
                .as_str()
                .unwrap()
                .starts_with("the facilitator has closed this seat for now"),
            "{while_closed}"
        );
        let chat = request(&mut it_ws, 5, json!({"t": "chat", "text": "hello?"})).await;
        assert_eq!(chat["t"], "refused");
        let opened = request(
            &mut console,
            5,
            json!({"t": "seat", "seat": "legal", "op": "open"}),
        )
        .await;
        assert_eq!(opened["t"], "ack");
        loop {
            let update = next_of(&mut it_ws, "update").await;
            if update.get("paused").is_none() {
                break;
            }
        }
        let back = intent(
            &mut it_ws,
            6,
            json!({"ClassifySeverity": {"level": 2, "by": "legal"}}),
        )
        .await;
        assert_eq!(back["t"], "ack", "{back}");
        // The facilitator enters a decision for a seat with no device, held to that seat's role.
        let for_seat = format!("{}/seat/soc/ws", room.console_path());
        let mut proxy = connect(&room.ws_url(&for_seat)).await;
        next_of(&mut proxy, "update").await;
        let declared = intent(
            &mut proxy,
            1,
            json!({"ClassifySeverity": {"level": 2, "by": "soc"}}),
        )
        .await;
        assert_eq!(declared["t"], "ack", "{declared}");
        let as_other = intent(&mut proxy, 2, json!({"DeclareIncident": {"by": "legal"}})).await;
        assert_eq!(as_other["t"], "refused");
    });
    let saved = room.saved().room.unwrap();
    assert_eq!(saved.chat.len(), 2);
    assert!(saved.by_id("soc").unwrap().devices.is_empty());
    assert_eq!(
        saved.by_id("legal").unwrap().devices.len(),
        1,
        "kept while closed"
    );
}

#[test]
fn a_restarted_host_brings_every_seat_back() {
    let dir = tempfile::tempdir().unwrap();
    let room = start("ransomware-file-server", dir.path());
    let soc = room.take("soc", "Ana");
    block_on(async {
        let mut ws = connect(&room.ws_url(&format!("{soc}/ws"))).await;
        next_of(&mut ws, "update").await;
        let ack = intent(
            &mut ws,
            1,
            json!({"ClassifySeverity": {"level": 2, "by": "soc"}}),
        )
        .await;
        assert_eq!(ack["t"], "ack");
    });
    let (id, saves) = (room.id.clone(), room.saves.clone());
    let port = room.addr().port();
    room.host.stop();
    let again = super::support::start_on("ransomware-file-server", &saves, Some(&id), port);
    assert_eq!(again.id, id);
    assert_eq!(http(again.addr(), "GET", &soc, "").status, 200);
    block_on(async {
        let mut ws = connect(&again.ws_url(&format!("{soc}/ws?after=0"))).await;
        let update = next_of(&mut ws, "update").await;
        let feed = update["feed"].as_array().unwrap();
        assert!(
            feed.iter()
                .any(|i| i["text"].as_str().unwrap().contains("classifies")),
            "{update}"
        );
        assert_eq!(update["view"]["severity"], "3 \u{b7} High");
    });
}

/// Sends an intent, waiting and sending it again while the page is over its rate: a script clicks
/// faster than the five requests a second a page may make.
async fn paced_intent(socket: &mut super::support::Socket, id: u64, sent: Value) -> Value {
    loop {
        let answer = intent(socket, id, sent.clone()).await;
        let over_rate = answer["reason"]
            .as_str()
            .is_some_and(|r| r.starts_with("too many requests"));
        if !over_rate {
            return answer;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
}

/// Plays the exemplary script through the seats (each intent from the seat of the role that
/// makes it, the clock from the console) and checks the host's scorecard against `warroom play`.
#[test]
fn a_session_played_through_the_seats_scores_as_the_same_script_played_headless() {
    let dir = tempfile::tempdir().unwrap();
    let room = start("ransomware-file-server", dir.path());
    let path = "tests/fixtures/decisions/ransomware-file-server/exemplary.ron";
    let source = Source::read(std::path::Path::new(path)).unwrap();
    let decisions: Decisions = source.parse().unwrap();
    let seats: Vec<(String, String)> = room
        .saved()
        .room
        .unwrap()
        .seats
        .iter()
        .map(|s| (s.seat.id.clone(), room.take(&s.seat.id, &s.seat.name)))
        .collect();
    block_on(async {
        let mut console = connect(&room.ws_url(&format!("{}/ws", room.console_path()))).await;
        let mut sockets = Vec::new();
        for (role, page) in &seats {
            let mut ws = connect(&room.ws_url(&format!("{page}/ws"))).await;
            next_of(&mut ws, "update").await;
            sockets.push((role.clone(), ws));
        }
        let mut minute = 0;
        for (n, step) in decisions.steps.iter().enumerate() {
            let id = n as u64 + 1;
            // The fixtures time their steps by minute.
            let at = step.at.unwrap();
            if at > minute {
                let wait = json!({"Advance": {"minutes": at - minute}});
                let answer = paced_intent(&mut console, id, wait).await;
                assert_eq!(answer["t"], "ack", "{answer}");
                minute = at;
            }
            let actor = step.intent.actor().unwrap().to_string();
            let ws = &mut sockets.iter_mut().find(|(r, _)| *r == actor).unwrap().1;
            let answer = intent(ws, id, serde_json::to_value(&step.intent).unwrap()).await;
            assert_eq!(answer["t"], "ack", "step {}: {answer}", n + 1);
        }
        let end: Value = json!({"Advance": {"minutes": 60 - minute}});
        assert_eq!(paced_intent(&mut console, 999, end).await["t"], "ack");
    });
    let matrix = load_matrix(&default_matrix_path()).unwrap().matrix;
    let scenario = room.host.shared().read().session.scenario_arc();
    let headless = script::run(scenario, Arc::clone(&matrix), &decisions, 4, &source).unwrap();
    let hosted = score(&room.host.shared().read().session);
    assert_eq!(hosted.to_json(), score(&headless).to_json());
    assert!(
        hosted.total > 90,
        "the exemplary run scores well: {}",
        hosted.total
    );
    // And the saved record replays to the same scorecard.
    let saved = room.saved();
    let session = saved
        .resume(room.host.shared().read().session.scenario_arc(), matrix)
        .unwrap();
    assert_eq!(score(&session).to_json(), hosted.to_json());
}

#[test]
fn a_broken_request_or_a_plain_get_of_a_socket_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let room = start("ransomware-file-server", dir.path());
    let broken = raw_request(room.addr(), b"GARBAGE\r\n\r\n");
    assert!(
        broken.status == 400 || broken.status == 0,
        "{}",
        broken.head
    );
    let upgrade_without_key = http(
        room.addr(),
        "GET",
        &format!("{}/projector/ws", room.join_path()),
        "",
    );
    assert!(
        upgrade_without_key.status >= 400,
        "{}",
        upgrade_without_key.head
    );
}

#[test]
fn serve_prints_its_addresses_and_stops_cleanly_on_sigterm() {
    use std::io::{BufRead as _, BufReader};
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args(["serve", "ransomware-file-server", "--port", "0", "--saves"])
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut next_line = || lines.next().unwrap().unwrap();
    let join = next_line();
    let projector = next_line();
    let console = next_line();
    let session = next_line();
    assert!(join.starts_with("join: http://127.0.0.1:"), "{join}");
    assert!(
        projector.starts_with("projector: http://127.0.0.1:") && projector.ends_with("/projector")
    );
    assert!(console.starts_with("console: http://127.0.0.1:"));
    assert_eq!(session, "session: ransomware-file-server-room");
    let (addr, path) = address_of(join.strip_prefix("join: ").unwrap());
    let answer = http(addr, "GET", &path, "");
    assert_eq!(answer.status, 200);
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    assert!(next_line().starts_with("stopped; every change is saved"));
    assert!(dir.path().join("ransomware-file-server-room.ron").is_file());
}

#[test]
fn serve_on_a_port_taken_says_so_as_the_system_refusing() {
    let dir = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args([
            "serve",
            "ransomware-file-server",
            "--port",
            &port,
            "--saves",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3), "not a usage error");
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains(&format!("cannot listen on 127.0.0.1:{port}")),
        "{err}"
    );
}

#[test]
fn serve_refuses_a_scenario_not_written_for_a_room() {
    let dir = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args([
            "serve",
            "maintenance-window-false-alarm",
            "--port",
            "0",
            "--saves",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains("is not written for a facilitated room"),
        "{err}"
    );
}

#[test]
fn the_after_action_report_tells_each_seats_part_and_chat() {
    use warroom::engine::reports::aar::AfterActionReport;
    let dir = tempfile::tempdir().unwrap();
    let room = start("ransomware-file-server", dir.path());
    let soc = room.take("soc", "Ana");
    let it = room.take("it_ops", "Bo");
    block_on(async {
        let mut soc_ws = connect(&room.ws_url(&format!("{soc}/ws"))).await;
        let mut it_ws = connect(&room.ws_url(&format!("{it}/ws"))).await;
        next_of(&mut soc_ws, "update").await;
        next_of(&mut it_ws, "update").await;
        let handoff = json!({"Handoff": {"from": "soc", "to": "it_ops", "observed": "Renames on FS-01", "urgency": "High"}});
        assert_eq!(intent(&mut soc_ws, 1, handoff).await["t"], "ack");
        let chat = json!({"t": "chat", "text": "Is <b>FS-01</b> ours to isolate?"});
        assert_eq!(request(&mut it_ws, 2, chat).await["t"], "ack");
        let mut console = connect(&room.ws_url(&format!("{}/ws", room.console_path()))).await;
        let reply = json!({"t": "chat", "seat": "it_ops", "text": "Ask the business owner."});
        assert_eq!(request(&mut console, 3, reply).await["t"], "ack");
    });
    let record = room.saved();
    let session = {
        let hosted = room.host.shared().read();
        record
            .resume(hosted.session.scenario_arc(), hosted.session.matrix_arc())
            .unwrap()
    };
    let report = AfterActionReport::build(&record, &session);
    let it_row = report
        .seats
        .iter()
        .find(|s| s.seat == "IT Operations")
        .unwrap();
    assert_eq!(it_row.people, ["Bo"]);
    let kinds: Vec<&str> = it_row.entries.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, ["Received", "Chat", "Facilitator"]);
    assert!(
        it_row.entries[0]
            .text
            .contains("Observed: Renames on FS-01; Urgency: High")
    );
    let soc_row = report
        .seats
        .iter()
        .find(|s| s.seat == "Security Operations Center")
        .unwrap();
    assert_eq!(soc_row.intents, 1);
    assert_eq!(soc_row.entries[0].kind, "Sent");
    assert!(
        report.seats.iter().all(|s| s.seat != "Legal Counsel"),
        "nobody took Legal's seat and nothing reached it"
    );
    assert!(report.participants.iter().all(|p| !p.people.is_empty()));
    assert!(
        report
            .participants
            .iter()
            .any(|p| p.role == "IT Operations" && p.people == ["Bo"])
    );
    let markdown = report.markdown();
    assert!(markdown.contains("## Seat by seat"), "{markdown}");
    assert!(markdown.contains("Bo: Is"));
    let html = report.html();
    assert!(html.contains("Bo: Is &lt;b&gt;FS-01&lt;/b&gt; ours to isolate?"));
    assert!(!html.contains("<b>FS-01</b>"));
}

#[test]
fn the_console_makes_a_team_seat_that_plays_both_roles() {
    let dir = tempfile::tempdir().unwrap();
    let room = start("ransomware-file-server", dir.path());
    let legal = room.take("legal", "Priya");
    block_on(async {
        let mut console = connect(&room.ws_url(&format!("{}/ws", room.console_path()))).await;
        next_of(&mut console, "console").await;
        let combine = json!({"t": "seat", "seat": "legal", "op": {"combine": "pr_comms"}});
        assert_eq!(request(&mut console, 1, combine).await["t"], "ack");
        let no_partner = json!({"t": "seat", "seat": "legal", "op": "combine"});
        assert_eq!(request(&mut console, 2, no_partner).await["t"], "refused");
        let mut ws = connect(&room.ws_url(&format!("{legal}/ws"))).await;
        let update = next_of(&mut ws, "update").await;
        assert_eq!(
            update["view"]["seat"],
            "Legal Counsel + PR and Communications"
        );
        assert_eq!(
            update["view"]["choices"]["as_roles"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
        let inform =
            json!({"Escalate": {"from": "pr_comms", "to": ["legal"], "reason": "statement"}});
        assert_eq!(intent(&mut ws, 1, inform).await["t"], "ack");
        let split = json!({"t": "seat", "seat": "legal", "op": "split"});
        assert_eq!(request(&mut console, 3, split).await["t"], "ack");
        let back = loop {
            let update = next_of(&mut ws, "update").await;
            if update["view"]["seat"] == "Legal Counsel" {
                break update;
            }
        };
        assert_eq!(
            back["view"]["choices"]["as_roles"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
    });
    let saved = room.saved().room.unwrap();
    assert!(saved.by_id("pr_comms").unwrap().devices.is_empty());
    assert_eq!(saved.by_id("legal").unwrap().devices[0].person, "Priya");
}

#[test]
fn several_teams_play_the_same_exercise_and_the_report_compares_them() {
    use std::io::{BufRead as _, BufReader};
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args([
            "serve",
            "ransomware-file-server",
            "--teams",
            "2",
            "--seed",
            "9",
        ])
        .args(["--port", "0", "--session", "drill", "--saves"])
        .arg(dir.path())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut block = |team: &str| {
        assert_eq!(lines.next().unwrap().unwrap(), format!("team: {team}"));
        let join = lines.next().unwrap().unwrap();
        let _projector = lines.next().unwrap().unwrap();
        let console = lines.next().unwrap().unwrap();
        let session = lines.next().unwrap().unwrap();
        (
            join.strip_prefix("join: http://").unwrap().to_owned(),
            session,
            console.strip_prefix("console: http://").unwrap().to_owned(),
        )
    };
    let (first, first_id, _) = block("1");
    let (second, second_id, second_console) = block("2");
    // Both rooms are served by one pool of two threads, not one pool per team.
    if let Ok(tasks) = std::fs::read_dir(format!("/proc/{}/task", child.id())) {
        let room_threads = tasks
            .filter_map(Result::ok)
            .filter_map(|t| std::fs::read_to_string(t.path().join("comm")).ok())
            .filter(|name| name.trim() == "warroom-room")
            .count();
        assert_eq!(room_threads, 2, "threads serving the rooms");
    }
    assert_eq!(first_id, "session: drill-team-1");
    assert_eq!(second_id, "session: drill-team-2");
    assert_ne!(first, second, "each team has a room of its own");
    // The teams side by side, on the first team's console.
    let teams = lines.next().unwrap().unwrap();
    let (teams_addr, teams_path) = address_of(teams.strip_prefix("teams: ").unwrap());
    let overview = http(teams_addr, "GET", &format!("{teams_path}/view"), "");
    assert_eq!(overview.status, 200);
    assert!(overview.body.contains("drill-team-1") && overview.body.contains("drill-team-2"));
    let wrong = teams_path.replace("/console/", "/console/0");
    assert_eq!(http(teams_addr, "GET", &wrong, "").status, 404);
    // Another team's console does not open the overview, which holds every team's console code.
    let (other_addr, other_console) = address_of(&second_console);
    let other = http(other_addr, "GET", &format!("{other_console}/teams"), "");
    assert_eq!(other.status, 404);
    // Team 1 takes a decision; team 2 does nothing.
    let (addr, path) = address_of(&first);
    let taken = http(addr, "POST", &format!("{path}/take"), "seat=soc&person=Ana");
    let seat = taken.header("location").unwrap();
    block_on(async {
        let mut ws = connect(&format!("ws://{addr}{seat}/ws")).await;
        next_of(&mut ws, "update").await;
        let triage = json!({"AssignAction": {"action": "triage-fs01", "role": "soc"}});
        assert_eq!(intent(&mut ws, 1, triage).await["t"], "ack");
    });
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(child.wait().unwrap().success());
    let saves = dir.path().to_path_buf();
    let report = |compare: Vec<String>| {
        let args = warroom::cli::ReportArgs {
            session: "drill-team-1".into(),
            format: warroom::cli::ReportFormat::Md,
            output: None,
            saves: Some(saves.clone()),
            compare,
            lrs: false,
            db: None,
            since: None,
        };
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = warroom::cli::run(
            &warroom::cli::Command::Report(args),
            None,
            &mut out,
            &mut err,
        );
        (
            code,
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    };
    let (code, markdown, err) = report(vec!["drill-team-2".into()]);
    assert_eq!(code, 0, "{err}");
    let section = &markdown[markdown.find("## Teams compared").expect("a comparison")..];
    let row = |team: &str| {
        section
            .lines()
            .find(|l| l.starts_with(&format!("| {team}")))
            .unwrap_or_else(|| panic!("no row for {team}:\n{section}"))
            .to_owned()
    };
    assert!(
        row("drill-team-1 (this report)").ends_with("| 1 | 0 |"),
        "{}",
        row("drill-team-1")
    );
    assert!(
        row("drill-team-2").ends_with("| 0 | 0 |"),
        "{}",
        row("drill-team-2")
    );
    // Another exercise is not a team of this one.
    let other = start("journalist-calls", dir.path());
    let other_id = other.id.clone();
    other.host.stop();
    let (code, _, err) = report(vec![other_id]);
    assert_eq!(code, 2);
    assert!(err.contains("is not the same exercise"), "{err}");
}

#[test]
fn hostile_requests_to_the_join_form_and_the_console_are_refused_and_record_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let room = start("ransomware-file-server", dir.path());
    let take = format!("{}/take", room.join_path());
    for body in [
        "",
        "seat=",
        "seat=nobody&person=Ana",
        "%%%",
        "seat=soc&seat=legal&person=x",
    ] {
        let answer = http(room.addr(), "POST", &take, body);
        assert!(
            (400..500).contains(&answer.status),
            "{body:?} got {}",
            answer.status
        );
    }
    let wrong_code = http(
        room.addr(),
        "POST",
        "/room/00000000000000000000000000000000/take",
        "seat=soc&person=Ana",
    );
    assert_eq!(wrong_code.status, 404);
    block_on(async {
        let mut console = connect(&room.ws_url(&format!("{}/ws", room.console_path()))).await;
        next_of(&mut console, "console").await;
        console.send(Message::Text("[1,2,3]".into())).await.unwrap();
        assert_eq!(next_of(&mut console, "refused").await["id"], 0);
        let no_seat = request(&mut console, 1, json!({"t": "chat", "text": "hello?"})).await;
        assert_eq!(no_seat["reason"], "choose the seat to write to");
        let unknown = request(&mut console, 2, json!({"t": "device", "device": 99})).await;
        assert_eq!(unknown["reason"], "that device is no longer in the room");
        let mut projector =
            connect(&room.ws_url(&format!("{}/projector/ws", room.join_path()))).await;
        next_of(&mut projector, "changed").await;
        let steer = request(
            &mut projector,
            3,
            json!({"t": "intent", "intent": "EndExercise"}),
        )
        .await;
        assert_eq!(steer["reason"], "the projector only shows the room");
    });
    let saved = room.saved();
    assert!(saved.log.entries.is_empty());
    assert!(
        saved
            .room
            .unwrap()
            .seats
            .iter()
            .all(|s| s.devices.is_empty())
    );
}
