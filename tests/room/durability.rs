//! The host killed with SIGKILL while intents stream in: every acknowledged intent is in the save
//! (snapshot and journal), and the exercise resumes from it.

use std::io::{BufRead as _, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use futures_util::SinkExt as _;
use serde_json::json;
use tokio_tungstenite::tungstenite::Message;
use warroom::engine::model::intent::Intent;
use warroom::store::saves;

use super::support::{address_of, block_on, connect, http, next};

/// `warroom serve` as its own process on a free port; returns it and its join address.
fn serve(saves: &Path, session: &str) -> (Child, SocketAddr, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args(["serve", "ransomware-file-server", "--port", "0"])
        .args(["--session", session, "--saves"])
        .arg(saves)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let join = lines.next().unwrap().unwrap();
    let (addr, path) = address_of(join.strip_prefix("join: ").unwrap());
    // The rest of what it prints is not needed; a closed pipe must not stop it.
    std::thread::spawn(move || lines.for_each(drop));
    (child, addr, path)
}

fn handoff(device: usize, n: u64) -> serde_json::Value {
    json!({"Handoff": {"from": "soc", "to": "it_ops", "observed": format!("device {device} batch {n}")}})
}

/// Devices at the SOC seat, each sending its own numbered handoffs.
const DEVICES: usize = 3;

/// Streams handoffs from several devices, two in flight on each, and kills the host with SIGKILL
/// once `kill_after` are acknowledged in all; returns how many each device had acknowledged.
fn stream_and_kill(saves: &Path, kill_after: u64) -> Vec<u64> {
    let (child, addr, join) = serve(saves, "crash");
    let seats: Vec<String> = (0..DEVICES)
        .map(|d| {
            let form = format!("seat=soc&person=Device{d}");
            let taken = http(addr, "POST", &format!("{join}/take"), &form);
            taken.header("location").expect("a seat")
        })
        .collect();
    let child = std::cell::RefCell::new(child);
    let total = std::cell::Cell::new(0);
    let device = |d: usize, seat: String| {
        let (child, total) = (&child, &total);
        async move {
            let mut ws = connect(&format!("ws://{addr}{seat}/ws")).await;
            let (mut sent, mut acked) = (0, 0);
            loop {
                while sent < acked + 2 {
                    sent += 1;
                    let message = json!({"t": "intent", "id": sent, "intent": handoff(d, sent)});
                    if ws
                        .send(Message::Text(message.to_string().into()))
                        .await
                        .is_err()
                    {
                        return acked;
                    }
                }
                let Some(answer) = next(&mut ws).await else {
                    return acked; // the host is gone
                };
                assert_ne!(answer["t"], "refused", "{answer}");
                if answer["t"] == "ack" {
                    acked += 1;
                    assert_eq!(answer["id"], json!(acked), "acknowledged in order");
                    total.set(total.get() + 1);
                    if total.get() == kill_after {
                        // SIGKILL, with intents still in flight on every device.
                        child.borrow_mut().kill().unwrap();
                    }
                }
            }
        }
    };
    let acknowledged = block_on(async {
        let (a, b, c) = tokio::join!(
            device(0, seats[0].clone()),
            device(1, seats[1].clone()),
            device(2, seats[2].clone())
        );
        vec![a, b, c]
    });
    child.borrow_mut().wait().unwrap();
    acknowledged
}

fn observed(record: &warroom::engine::exercise::ExerciseRecord) -> Vec<String> {
    record
        .log
        .entries
        .iter()
        .filter_map(|e| match &e.intent {
            Intent::Handoff(h) => Some(h.observed.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_host_killed_mid_stream_keeps_every_acknowledged_intent_and_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let save = saves::path_of(dir.path(), "crash");
    let mut saved_before = 0;
    for kill_after in [6, 45] {
        let acknowledged = stream_and_kill(dir.path(), kill_after);
        assert!(acknowledged.iter().sum::<u64>() >= kill_after);
        let record = saves::load(&save).expect("the save reads back after SIGKILL");
        let this_run = &observed(&record)[saved_before..];
        for (d, acked) in acknowledged.iter().enumerate() {
            let mine: Vec<&String> = this_run
                .iter()
                .filter(|o| o.starts_with(&format!("device {d} ")))
                .collect();
            assert!(
                mine.len() as u64 >= *acked,
                "device {d}: {acked} acknowledged, {} saved",
                mine.len()
            );
            for (n, text) in mine.iter().enumerate() {
                assert_eq!(**text, format!("device {d} batch {}", n + 1), "in order");
            }
        }
        // The next run resumes this exercise; intents in flight at the kill may have been saved.
        saved_before += this_run.len();
    }
    // Stopped cleanly, the save is one file again and holds the same.
    let (mut child, _, _) = serve(dir.path(), "crash");
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(child.wait().unwrap().success());
    assert!(!warroom::store::journal::journal_path(&save).exists());
    assert_eq!(observed(&saves::load(&save).unwrap()).len(), saved_before);
}

#[test]
fn the_apps_changes_are_saved_by_the_hosts_threads_without_making_it_wait() {
    let dir = tempfile::tempdir().unwrap();
    let room = super::support::start("ransomware-file-server", dir.path());
    let before = room.host.shared().revision();
    let triage: Intent =
        serde_json::from_value(json!({"AssignAction": {"action": "triage-fs01", "role": "soc"}}))
            .unwrap();
    // The engine's word comes at once; the host's threads wait for the disk and then wake
    // everyone, the app included.
    room.host.submit_unwaited(triage).unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while room.host.shared().revision() == before {
        assert!(std::time::Instant::now() < deadline, "never settled");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert_eq!(room.saved().log.entries.len(), 1, "on disk once settled");
    assert!(room.host.shared().save_problem().is_none());
    // A refusal is the engine's, at once, and saves nothing.
    let again: Intent =
        serde_json::from_value(json!({"AssignAction": {"action": "triage-fs01", "role": "soc"}}))
            .unwrap();
    assert!(room.host.submit_unwaited(again).is_err());
    assert_eq!(room.saved().log.entries.len(), 1);
}
