//! A room host on loopback for tests, a raw HTTP client and a WebSocket client.

use std::io::{Read as _, Write as _};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use warroom::engine::content::library::default_matrix_path;
use warroom::room_host::{RoomHost, ServeOptions, host_exercise};

/// A host serving a scenario from a temporary saves folder.
pub struct TestRoom {
    pub host: RoomHost,
    pub saves: PathBuf,
    pub id: String,
}

pub fn options(scenario: &str, saves: &Path, session: Option<&str>) -> ServeOptions {
    ServeOptions {
        scenario: scenario.into(),
        matrix: default_matrix_path(),
        seed: Some(4),
        bind: Ipv4Addr::LOCALHOST.into(),
        port: 0,
        session: session.map(Into::into),
        saves: saves.to_path_buf(),
        teams: 1,
    }
}

/// Hosts `scenario` (a new exercise, or the saved `session`) on `port` (0: any).
pub fn start_on(scenario: &str, saves: &Path, session: Option<&str>, port: u16) -> TestRoom {
    let hosted = host_exercise(&options(scenario, saves, session)).unwrap();
    let id = hosted.record.id.clone();
    let host = RoomHost::start(hosted, Ipv4Addr::LOCALHOST.into(), port).unwrap();
    TestRoom {
        host,
        saves: saves.to_path_buf(),
        id,
    }
}

pub fn start(scenario: &str, saves: &Path) -> TestRoom {
    start_on(scenario, saves, None, 0)
}

impl TestRoom {
    pub fn addr(&self) -> SocketAddr {
        self.host.addr()
    }

    /// The path part of one of the host's addresses.
    pub fn path_of(url: &str) -> String {
        address_of(url).1
    }

    pub fn join_path(&self) -> String {
        Self::path_of(&self.host.join_url())
    }

    pub fn console_path(&self) -> String {
        Self::path_of(&self.host.console_url())
    }

    /// Takes a seat through the join form; returns the seat page's path.
    pub fn take(&self, seat: &str, person: &str) -> String {
        let answer = http(
            self.addr(),
            "POST",
            &format!("{}/take", self.join_path()),
            &format!("seat={seat}&person={person}"),
        );
        assert_eq!(answer.status, 303, "{}", answer.body);
        answer.header("location").unwrap()
    }

    /// The saved record, as on disk now.
    pub fn saved(&self) -> warroom::engine::exercise::ExerciseRecord {
        warroom::store::saves::load(&warroom::store::saves::path_of(&self.saves, &self.id)).unwrap()
    }

    pub fn ws_url(&self, path: &str) -> String {
        format!("ws://{}{path}", self.addr())
    }
}

pub struct Answer {
    pub status: u16,
    pub head: String,
    pub body: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name)
                .then(|| value.trim().to_owned())
        })
    }
}

/// One HTTP/1.1 request (form body for POST), read to the end.
pub fn http(addr: SocketAddr, method: &str, path: &str, body: &str) -> Answer {
    let raw = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    raw_request(addr, raw.as_bytes())
}

pub fn raw_request(addr: SocketAddr, raw: &[u8]) -> Answer {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(raw).unwrap();
    let mut text = Vec::new();
    let _ = stream.read_to_end(&mut text);
    let text = String::from_utf8_lossy(&text).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Answer {
        status,
        head: head.to_owned(),
        body: body.to_owned(),
    }
}

pub type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

pub async fn connect(url: &str) -> Socket {
    tokio_tungstenite::connect_async(url).await.unwrap().0
}

/// The next JSON message, failing after 10 s of silence.
pub async fn next(socket: &mut Socket) -> Option<Value> {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(10), socket.next())
            .await
            .expect("the host answers within 10 s")?;
        match message {
            Ok(Message::Text(text)) => return Some(serde_json::from_str(&text).unwrap()),
            Ok(Message::Close(_)) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

/// Skips to the next message of type `t`.
pub async fn next_of(socket: &mut Socket, t: &str) -> Value {
    loop {
        let message = next(socket)
            .await
            .unwrap_or_else(|| panic!("closed before a {t}"));
        if message["t"] == t {
            return message;
        }
    }
}

/// Sends an intent and waits for its answer (`ack` or `refused`), skipping updates.
pub async fn request(socket: &mut Socket, id: u64, message: Value) -> Value {
    let mut message = message;
    message["id"] = json!(id);
    socket
        .send(Message::Text(message.to_string().into()))
        .await
        .unwrap();
    loop {
        let answer = next(socket).await.expect("an answer");
        if (answer["t"] == "ack" || answer["t"] == "refused") && answer["id"] == json!(id) {
            return answer;
        }
        if answer["t"] == "refused" && answer["id"] == json!(0) {
            return answer;
        }
    }
}

pub async fn intent(socket: &mut Socket, id: u64, intent: Value) -> Value {
    request(socket, id, json!({"t": "intent", "intent": intent})).await
}

/// Runs a test's async part on a runtime of its own.
pub fn block_on<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(future)
}

/// One of the host's addresses (`http://host:port/path`, the scheme optional) as the socket
/// address to connect to and the path to ask for.
pub fn address_of(url: &str) -> (SocketAddr, String) {
    let rest = url.strip_prefix("http://").unwrap_or(url);
    let (addr, path) = rest.split_at(rest.find('/').unwrap());
    (addr.parse().unwrap(), path.to_owned())
}
