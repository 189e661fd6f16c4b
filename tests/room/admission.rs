//! Nobody who merely reaches the port can lock the room: silent and trickling clients are cut
//! off, a flood of silent connections does not keep people out, and projectors cannot crowd out
//! seats or the console.

use std::io::{ErrorKind, Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use super::support::{address_of, block_on, connect, http, next_of, start};

/// How long the host let a client that sends `send` (then, if `trickle`, a byte a second) hold a
/// connection before closing it.
fn held_open(addr: SocketAddr, send: &'static [u8], trickle: bool) -> Duration {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    let started = Instant::now();
    stream.write_all(send).unwrap();
    let mut answer = [0_u8; 1024];
    while started.elapsed() < Duration::from_secs(30) {
        match stream.read(&mut answer) {
            Ok(0) => return started.elapsed(),
            // An answer (a 408) before the close: read on.
            Ok(_) => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => return started.elapsed(),
        }
        if trickle && stream.write_all(b"X").is_err() {
            return started.elapsed();
        }
    }
    started.elapsed()
}

#[test]
fn silent_and_trickling_clients_are_closed_within_the_header_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let room = start("ransomware-file-server", dir.path());
    let addr = room.addr();
    let cases: [(&'static [u8], bool); 3] = [
        (b"", false),
        (b"GET / HTTP/1.1\r\n", false),
        (b"GET / HTTP/1.1\r\nX-Slow: ", true),
    ];
    let waits: Vec<Duration> = std::thread::scope(|scope| {
        let handles: Vec<_> = cases
            .iter()
            .map(|&(send, trickle)| scope.spawn(move || held_open(addr, send, trickle)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (wait, (send, _)) in waits.iter().zip(cases) {
        assert!(
            *wait < Duration::from_secs(13),
            "{:?} held a connection for {wait:?}",
            String::from_utf8_lossy(send)
        );
    }
}

/// Raises this process's open-file limit as far as allowed; returns it.
fn raise_own_file_limit(wanted: u64) -> u64 {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    let limit = getrlimit(Resource::Nofile);
    let target = limit.maximum.map_or(wanted, |hard| hard.min(wanted));
    let raised = Rlimit {
        current: Some(target),
        maximum: limit.maximum,
    };
    if setrlimit(Resource::Nofile, raised).is_ok() {
        target
    } else {
        limit.current.unwrap_or(u64::MAX)
    }
}

/// Stops a host process however the test ends.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn a_flood_of_silent_connections_does_not_keep_people_out() {
    use std::io::BufRead as _;
    const FLOOD: usize = 1_100;
    let own_limit = raise_own_file_limit(4_096);
    assert!(
        own_limit > FLOOD as u64 + 100,
        "this test needs {} open files and may have {own_limit}",
        FLOOD + 100
    );
    // The host as people run it, under the usual limit of 1,024 open files that it cannot raise.
    let dir = tempfile::tempdir().unwrap();
    let mut host = std::process::Command::new("sh")
        .arg("-c")
        .arg(r#"ulimit -Sn 1024 && ulimit -Hn 1024 && exec "$0" serve ransomware-file-server --port 0 --saves "$1""#)
        .arg(env!("CARGO_BIN_EXE_warroom"))
        .arg(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(host.stdout.take().unwrap()).lines();
    let join = lines.next().unwrap().unwrap();
    let (addr, join_path) = address_of(join.strip_prefix("join: ").unwrap());
    let stderr = host.stderr.take().unwrap();
    let host = KillOnDrop(host);
    let (said, warnings) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            let _ = said.send(line);
        }
    });
    let warning = warnings
        .recv_timeout(Duration::from_secs(10))
        .unwrap_or_default();
    assert!(
        warning.contains("open only 1024 files"),
        "the host says it cannot raise its limit: {warning}"
    );
    // More silent connections than the host has files.
    let silent: Vec<TcpStream> = (0..FLOOD)
        .filter_map(|_| TcpStream::connect(addr).ok())
        .collect();
    assert!(
        silent.len() >= FLOOD * 9 / 10,
        "the flood could not connect"
    );
    std::thread::sleep(Duration::from_millis(300));
    // Someone arriving now gets the join page, a seat and its live page at once.
    let started = Instant::now();
    assert_eq!(http(addr, "GET", &join_path, "").status, 200);
    let taken = http(
        addr,
        "POST",
        &format!("{join_path}/take"),
        "seat=soc&person=Ana",
    );
    let seat = taken.header("location").expect("a seat");
    block_on(async {
        let mut ws = connect(&format!("ws://{addr}{seat}/ws")).await;
        next_of(&mut ws, "update").await;
    });
    let took = started.elapsed();
    drop((silent, host));
    assert!(took < Duration::from_secs(5), "getting in took {took:?}");
}

#[test]
fn projectors_cannot_crowd_out_seats_or_the_console() {
    let dir = tempfile::tempdir().unwrap();
    let room = start("ransomware-file-server", dir.path());
    let token = room.take("soc", "Ana");
    let projector = room.ws_url(&format!("{}/projector/ws", room.join_path()));
    block_on(async {
        let mut projectors = Vec::new();
        loop {
            match tokio_tungstenite::connect_async(&projector).await {
                Ok((socket, _)) => projectors.push(socket),
                Err(tokio_tungstenite::tungstenite::Error::Http(answer)) => {
                    assert_eq!(answer.status(), 503);
                    break;
                }
                Err(e) => panic!("{e}"),
            }
            assert!(projectors.len() <= 16, "no limit on projectors");
        }
        assert!(!projectors.is_empty());
        let mut seat = connect(&room.ws_url(&format!("{token}/ws"))).await;
        next_of(&mut seat, "update").await;
        let mut console = connect(&room.ws_url(&format!("{}/ws", room.console_path()))).await;
        next_of(&mut console, "console").await;
    });
}

/// Page reads wait for a change in progress; the async workers must not wait with them. Here a
/// reader (this test) holds the exercise while a seat is being taken, so the change waits and,
/// behind it, every page read; a request that needs no exercise is still answered at once.
#[test]
fn pages_waiting_for_a_change_do_not_hold_up_the_rest_of_the_room() {
    let dir = tempfile::tempdir().unwrap();
    let room = start("ransomware-file-server", dir.path());
    let addr = room.addr();
    let join = room.join_path();
    let held = room.host.shared().read();
    let taking = {
        let path = format!("{join}/take");
        std::thread::spawn(move || http(addr, "POST", &path, "seat=soc&person=Ana").status)
    };
    std::thread::sleep(Duration::from_millis(300));
    // More waiting page reads than the host has async workers.
    let readers: Vec<_> = (0..4)
        .map(|_| {
            let path = join.clone();
            std::thread::spawn(move || http(addr, "GET", &path, "").status)
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let asked = Instant::now();
    let script = http(addr, "GET", "/static/common.js", "");
    let waited = asked.elapsed();
    drop(held);
    assert_eq!(script.status, 200, "{}", script.head);
    assert!(
        waited < Duration::from_secs(5),
        "a script took {waited:?} while page reads waited for a change"
    );
    assert_eq!(taking.join().unwrap(), 303);
    for reader in readers {
        assert_eq!(reader.join().unwrap(), 200);
    }
}
