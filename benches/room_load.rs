//! Load on the room host: many devices on loopback, each sending an intent every few seconds.
//!
//! ```sh
//! cargo bench --no-default-features --features room --bench room_load
//! ROOM_LOAD_SECS=30 cargo bench --no-default-features --features room --bench room_load
//! ```
//!
//! It starts `warroom serve` as its own process, takes `ROOM_LOAD_DEVICES` (40) devices into the
//! scenario's seats through the join form, and has each send a handoff every
//! `ROOM_LOAD_PERIOD_MS` (2000) for `ROOM_LOAD_SECS` (300) seconds, first ones spread over the
//! period. For every intent it measures the time from sending it to its acknowledgement (saved on
//! disk) and to the moment every device has received an update showing it. It reports lost
//! intents (sent but not acknowledged, or missing from the save), the latency percentiles, and the
//! host's CPU time and peak memory read from `/proc`. The acknowledgement's p99 is also given for
//! 200 intents around the 100th, the 1,000th and the 5,000th and at the end, to show whether saving
//! costs more as the exercise grows. A minute of 100 devices:
//!
//! ```sh
//! ROOM_LOAD_DEVICES=100 ROOM_LOAD_SECS=60 cargo bench --no-default-features --features room --bench room_load
//! ```
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    missing_docs,
    reason = "a measuring script: fail loudly, print the figures"
)]

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The seats the join page offers, in its order.
fn seats_of(addr: SocketAddr, join_path: &str) -> Vec<String> {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET {join_path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut page = String::new();
    stream.read_to_string(&mut page).unwrap();
    page.split("name=\"seat\" value=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

/// Takes a seat through the join form; returns the device's token.
fn take(addr: SocketAddr, join_path: &str, seat: &str, person: &str) -> String {
    let body = format!("seat={seat}&person={person}");
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "POST {join_path}/take HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let location = answer
        .lines()
        .find_map(|l| l.strip_prefix("location: "))
        .unwrap_or_else(|| panic!("no seat: {answer}"));
    location.trim().trim_start_matches("/seat/").to_owned()
}

/// What one device saw.
#[derive(Default)]
struct DeviceLog {
    /// (sent, acknowledged, change number) of each of its intents.
    intents: Vec<(Instant, Instant, u64)>,
    /// Intents sent and not acknowledged.
    unanswered: usize,
    /// Refusals.
    refused: Vec<String>,
    /// (change number, arrival) of each update, in arrival order.
    updates: Vec<(u64, Instant)>,
}

async fn device(
    url: String,
    from: String,
    to: String,
    start_after: Duration,
    period: Duration,
    until: Instant,
) -> DeviceLog {
    let (mut socket, _) = tokio_tungstenite::connect_async(&url).await.unwrap();
    let mut log = DeviceLog::default();
    let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + start_after, period);
    let mut pending: Vec<(u64, Instant)> = Vec::new();
    let mut next_id = 1_u64;
    let drain_until = until + Duration::from_secs(3);
    loop {
        tokio::select! {
            _ = ticks.tick(), if Instant::now() < until => {
                let intent = json!({"Handoff": {"from": from, "to": to, "observed": format!("load {next_id}")}});
                let text = json!({"t": "intent", "id": next_id, "intent": intent}).to_string();
                pending.push((next_id, Instant::now()));
                socket.send(Message::Text(text.into())).await.unwrap();
                next_id += 1;
            }
            message = socket.next() => {
                let Some(Ok(Message::Text(text))) = message else { break };
                let now = Instant::now();
                let message: Value = serde_json::from_str(&text).unwrap();
                match message["t"].as_str() {
                    Some("update") => log.updates.push((message["rev"].as_u64().unwrap(), now)),
                    Some("ack") => {
                        let id = message["id"].as_u64().unwrap();
                        let at = pending.iter().position(|(p, _)| *p == id).unwrap();
                        let (_, sent) = pending.remove(at);
                        log.intents.push((sent, now, message["rev"].as_u64().unwrap()));
                    }
                    Some("refused") => {
                        let id = message["id"].as_u64().unwrap();
                        pending.retain(|(p, _)| *p != id);
                        log.refused.push(message["reason"].as_str().unwrap_or("").to_owned());
                    }
                    _ => {}
                }
            }
            () = tokio::time::sleep_until(drain_until.into()) => break,
        }
    }
    log.unanswered = pending.len();
    log
}

/// A projector: sends nothing, and notes when each change reaches it.
/// A projector from its own loopback address (the host takes only a few from one address).
async fn projector(url: String, from: std::net::IpAddr, until: Instant) -> DeviceLog {
    let host: SocketAddr = url
        .trim_start_matches("ws://")
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind(SocketAddr::new(from, 0)).unwrap();
    let stream = socket.connect(host).await.unwrap();
    let (mut socket, _) = tokio_tungstenite::client_async(&url, stream).await.unwrap();
    let mut log = DeviceLog::default();
    let drain_until = until + Duration::from_secs(3);
    loop {
        tokio::select! {
            message = socket.next() => {
                let Some(Ok(Message::Text(text))) = message else { break };
                let message: Value = serde_json::from_str(&text).unwrap();
                if message["t"] == "changed" {
                    log.updates.push((message["rev"].as_u64().unwrap(), Instant::now()));
                }
            }
            () = tokio::time::sleep_until(drain_until.into()) => break,
        }
    }
    log
}

fn proc_cpu_secs(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let after = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line (11 and 12 after the name).
    let ticks: f64 = fields[11].parse::<f64>().unwrap() + fields[12].parse::<f64>().unwrap();
    ticks / 100.0
}

fn proc_memory_kib(pid: u32, key: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// Intents in each window of the exercise whose acknowledgement times are compared.
const WINDOW: usize = 200;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let devices = env_or("ROOM_LOAD_DEVICES", 40) as usize;
    let secs = env_or("ROOM_LOAD_SECS", 300);
    let period = Duration::from_millis(env_or("ROOM_LOAD_PERIOD_MS", 2000));
    let saves = tempfile::tempdir().unwrap();
    let mut host = Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args(["serve", "ransomware-file-server", "--port", "0", "--saves"])
        .arg(saves.path())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = host.id();
    let mut lines = BufReader::new(host.stdout.take().unwrap()).lines();
    let join = lines.next().unwrap().unwrap();
    let url = join.strip_prefix("join: http://").unwrap().to_owned();
    let (addr, join_path) = url.split_at(url.find('/').unwrap());
    let addr: SocketAddr = addr.parse().unwrap();
    // Eight seats of the scenario's cast; more when more devices need places (at most eight a
    // seat, the room's limit), and any devices beyond those watch as projectors.
    let cast = seats_of(addr, join_path);
    let per_seat = warroom::engine::room::MAX_DEVICES_PER_SEAT;
    let seats: Vec<&str> = cast
        .iter()
        .map(String::as_str)
        .take(8.max(devices.div_ceil(per_seat)))
        .collect();
    let at_seats = devices.min(seats.len() * per_seat);
    let plan: Vec<(String, String, String)> = (0..at_seats)
        .map(|n| {
            let seat = seats[n % seats.len()];
            let next = seats[(n + 1) % seats.len()];
            let token = take(addr, join_path, seat, &format!("Device{n}"));
            (token, seat.to_owned(), next.to_owned())
        })
        .collect();
    let projectors = devices - at_seats;
    let cpu_before = proc_cpu_secs(pid);
    let started = Instant::now();
    let until = started + Duration::from_secs(secs);
    println!(
        "{devices} devices ({at_seats} at seats, one handoff each every {} ms; {projectors} projectors) for {secs} s, host pid {pid}",
        period.as_millis()
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let logs: Vec<DeviceLog> = runtime.block_on(async {
        let tasks: Vec<_> = plan
            .iter()
            .enumerate()
            .map(|(n, (token, from, to))| {
                let offset = period.mul_f64(n as f64 / devices as f64);
                tokio::spawn(device(
                    format!("ws://{addr}/seat/{token}/ws"),
                    from.clone(),
                    to.clone(),
                    offset,
                    period,
                    until,
                ))
            })
            .chain((0..projectors).map(|n| {
                let from = std::net::Ipv4Addr::new(127, 0, 1, u8::try_from(1 + n / 4).unwrap());
                tokio::spawn(projector(
                    format!("ws://{addr}{join_path}/projector/ws"),
                    from.into(),
                    until,
                ))
            }))
            .collect();
        let mut logs = Vec::new();
        for task in tasks {
            logs.push(task.await.unwrap());
        }
        logs
    });
    let wall = started.elapsed().as_secs_f64();
    let cpu = proc_cpu_secs(pid) - cpu_before;
    let peak_kib = proc_memory_kib(pid, "VmHWM:");
    let rss_kib = proc_memory_kib(pid, "VmRSS:");
    Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    host.wait().unwrap();

    let sent: usize = logs
        .iter()
        .map(|l| l.intents.len() + l.unanswered + l.refused.len())
        .sum();
    let acked: usize = logs.iter().map(|l| l.intents.len()).sum();
    let refused: Vec<&String> = logs.iter().flat_map(|l| &l.refused).collect();
    let unanswered: usize = logs.iter().map(|l| l.unanswered).sum();
    let save_path = saves.path().join("ransomware-file-server-room.ron");
    let save_bytes = std::fs::metadata(&save_path).unwrap().len();
    let in_save = warroom::store::saves::load(&save_path)
        .unwrap()
        .log
        .entries
        .iter()
        .filter(|e| matches!(e.intent, warroom::engine::Intent::Handoff(_)))
        .count();

    let mut to_ack = Vec::new();
    let mut to_everyone = Vec::new();
    // (change number, time to acknowledgement): how the cost of saving moves along the exercise.
    let mut along: Vec<(u64, Duration)> = Vec::new();
    for log in &logs {
        for &(sent_at, acked_at, rev) in &log.intents {
            to_ack.push(acked_at - sent_at);
            along.push((rev, acked_at - sent_at));
            let everyone = logs
                .iter()
                .map(|other| {
                    // Change numbers only grow along a connection: the first update showing
                    // the intent is found by bisection.
                    let first = other.updates.partition_point(|(r, _)| *r < rev);
                    other.updates.get(first).map(|(_, at)| *at)
                })
                .collect::<Option<Vec<_>>>()
                .and_then(|arrivals| arrivals.into_iter().max());
            match everyone {
                Some(at) => to_everyone.push(at - sent_at),
                None => to_everyone.push(Duration::MAX),
            }
        }
    }
    to_ack.sort();
    to_everyone.sort();
    let never = to_everyone.iter().filter(|d| **d == Duration::MAX).count();
    let ms = |d: Duration| {
        if d == Duration::MAX {
            "never".to_owned()
        } else {
            format!("{:.1} ms", d.as_secs_f64() * 1000.0)
        }
    };
    println!(
        "intents sent {sent}, acknowledged {acked}, saved {in_save}, refused {}, unanswered {unanswered}",
        refused.len()
    );
    println!("lost: {}", sent - acked.min(in_save) + never);
    for reason in refused.iter().take(3) {
        println!("  refused: {reason}");
    }
    println!(
        "to acknowledgement (saved): p50 {}, p99 {}, max {}",
        ms(percentile(&to_ack, 50.0)),
        ms(percentile(&to_ack, 99.0)),
        ms(percentile(&to_ack, 100.0))
    );
    along.sort();
    let window_p99 = |around: usize| {
        let from = around
            .saturating_sub(WINDOW / 2)
            .min(along.len().saturating_sub(WINDOW));
        let mut window: Vec<Duration> = along
            .iter()
            .skip(from)
            .take(WINDOW)
            .map(|(_, d)| *d)
            .collect();
        window.sort();
        percentile(&window, 99.0)
    };
    for around in [100, 1_000, 5_000] {
        if around + WINDOW / 2 <= along.len() {
            println!(
                "to acknowledgement around intent {around} ({WINDOW} intents): p99 {}",
                ms(window_p99(around))
            );
        }
    }
    println!(
        "to acknowledgement at the end (last {WINDOW} of {}): p99 {}",
        along.len(),
        ms(window_p99(along.len()))
    );
    println!(
        "to every device's update:   p50 {}, p99 {}, max {} ({never} never shown)",
        ms(percentile(&to_everyone, 50.0)),
        ms(percentile(&to_everyone, 99.0)),
        ms(percentile(&to_everyone, 100.0))
    );
    println!(
        "host: {:.1} s of CPU in {wall:.0} s ({:.0}% of one core), peak memory {} MiB (resident at the end {} MiB), save file {} KiB",
        cpu,
        cpu / wall * 100.0,
        peak_kib / 1024,
        rss_kib / 1024,
        save_bytes / 1024
    );
}
