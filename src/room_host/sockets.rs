//! The pages' live connections (WebSockets): admission within the budgets of each kind of page,
//! one driver for every page (push an update after every change, answer requests within a rate),
//! and what each kind of page is sent and may ask.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::budget::Kind;
use super::codes::same;
use super::console_view::console_view;
use super::forms::PageForm;
use super::protocol::{ClientMessage, MAX_MESSAGE_BYTES, ServerMessage, parse};
use super::site::{LiveMark, Site, feed_of, not_found, seat_lost};
use super::state::{Accepted, Caller, Refusal, SEAT_LOST, seat_by_id, seat_of};
use crate::engine::room::{FeedKind, seat_view};

/// A client that cannot take an update within this long is dropped (it reconnects and catches
/// up), so it never holds anything up.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// Requests a connection may make in a burst, and how many more it earns each second.
const BURST: f64 = 20.0;
const PER_SECOND: f64 = 5.0;

/// Query of a seat's WebSocket: the seat the page shows and the last feed position it has.
#[derive(serde::Deserialize)]
pub(super) struct After {
    after: Option<usize>,
    seat: Option<String>,
}

/// Upgrades to a WebSocket within the host's limits (message size, connections of its kind) and
/// runs `serve` on it; the connection holds its place until it ends or its upgrade is abandoned.
fn upgrade<F, Fut>(
    site: Arc<Site>,
    (ws, headers): (WebSocketUpgrade, HeaderMap),
    kind: Kind,
    serve: F,
) -> Response
where
    F: FnOnce(Arc<Site>, WebSocket) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    if !same_origin(&headers) {
        return (
            StatusCode::FORBIDDEN,
            "another site's page cannot join this room",
        )
            .into_response();
    }
    let Some(place) = site.sockets.admit(kind) else {
        return too_busy();
    };
    ws.max_message_size(MAX_MESSAGE_BYTES)
        .max_frame_size(MAX_MESSAGE_BYTES)
        .on_upgrade(move |socket| async move {
            let _place = place;
            serve(site, socket).await;
        })
}

/// Whether a connection comes from one of the room's own pages: a browser names the page's origin,
/// which must be the host the request was sent to. A page on another site (which could otherwise
/// open a socket with codes it learned) is turned away; clients that are not browsers send no
/// origin.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let origin_host = origin.to_str().ok().and_then(|o| {
        o.strip_prefix("http://")
            .or_else(|| o.strip_prefix("https://"))
    });
    matches!((origin_host, host), (Some(o), Some(h)) if o.eq_ignore_ascii_case(h))
}

fn too_busy() -> Response {
    (StatusCode::SERVICE_UNAVAILABLE, "the room is full").into_response()
}

pub(super) async fn seat_ws(
    State(site): State<Arc<Site>>,
    Path(token): Path<String>,
    Query(after): Query<After>,
    ws: WebSocketUpgrade,
    headers: HeaderMap,
) -> Response {
    let seat =
        site.read_blocking(|hosted| seat_of(hosted, &token).map(|seat| seat.seat.id.clone()));
    let Ok(seat) = seat else {
        return seat_lost();
    };
    upgrade(
        site,
        (ws, headers),
        Kind::Device(token.clone()),
        move |site, socket| async move {
            // Only a device counts as the seat being connected; the facilitator's view does not.
            let connection = SeatConnection {
                caller: Caller::Device(token),
                live: Some(LiveMark::new(&site, &seat)),
                shown: after.seat.unwrap_or(seat),
                after: after.after,
                adhoc_sent: 0,
            };
            run_connection(&site, socket, connection).await;
        },
    )
}

pub(super) async fn console_seat_ws(
    State(site): State<Arc<Site>>,
    Path((code, seat)): Path<(String, String)>,
    Query(after): Query<After>,
    ws: WebSocketUpgrade,
    headers: HeaderMap,
) -> Response {
    if !same(&code, &site.console)
        || site
            .read_blocking(|hosted| seat_by_id(hosted, &seat))
            .is_none()
    {
        return not_found();
    }
    upgrade(
        site,
        (ws, headers),
        Kind::Console,
        move |site, socket| async move {
            let connection = SeatConnection {
                caller: Caller::ForSeat(seat.clone()),
                live: None,
                shown: seat,
                after: after.after,
                adhoc_sent: 0,
            };
            run_connection(&site, socket, connection).await;
        },
    )
}

pub(super) async fn projector_ws(
    State(site): State<Arc<Site>>,
    Path(code): Path<String>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    ws: WebSocketUpgrade,
    headers: HeaderMap,
) -> Response {
    if !same(&code, &site.code) {
        return not_found();
    }
    upgrade(
        site,
        (ws, headers),
        Kind::Projector(peer.ip()),
        |site, socket| async move {
            run_connection(&site, socket, ProjectorConnection).await;
        },
    )
}

pub(super) async fn console_ws(
    State(site): State<Arc<Site>>,
    Path(code): Path<String>,
    ws: WebSocketUpgrade,
    headers: HeaderMap,
) -> Response {
    if !same(&code, &site.console) {
        return not_found();
    }
    upgrade(
        site,
        (ws, headers),
        Kind::Console,
        |site, socket| async move {
            run_connection(&site, socket, ConsoleConnection).await;
        },
    )
}

/// Sends a text frame; `false` when the client is gone or too slow to take it.
async fn send(socket: &mut WebSocket, text: &str) -> bool {
    matches!(
        tokio::time::timeout(SEND_TIMEOUT, socket.send(Message::Text(text.into()))).await,
        Ok(Ok(()))
    )
}

/// A connection's allowance of requests.
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    fn new() -> Self {
        Self {
            tokens: BURST,
            at: Instant::now(),
        }
    }

    fn take(&mut self) -> bool {
        let now = Instant::now();
        self.tokens =
            (self.tokens + now.duration_since(self.at).as_secs_f64() * PER_SECOND).min(BURST);
        self.at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// What arrived on a socket, read as a request or refused.
enum Incoming {
    Request(ClientMessage),
    Refuse(u64, String),
    Closed,
    /// A frame past the size limit: the connection closes, saying why (close code 1009).
    TooBig,
    Ignore,
}

fn read(message: Option<Result<Message, axum::Error>>, bucket: &mut Bucket) -> Incoming {
    match message {
        Some(Ok(Message::Text(text))) => {
            if !bucket.take() {
                return Incoming::Refuse(0, "too many requests at once; wait a moment".into());
            }
            match parse(text.as_str()) {
                Ok(request) => Incoming::Request(request),
                Err(reason) => Incoming::Refuse(0, reason),
            }
        }
        Some(Ok(Message::Binary(_))) => Incoming::Refuse(0, "send JSON text, not binary".into()),
        Some(Ok(Message::Ping(_) | Message::Pong(_))) => Incoming::Ignore,
        // A frame over the size limit ends the stream with an error: the connection closes.
        Some(Err(e)) if is_too_big(&e) => Incoming::TooBig,
        Some(Ok(Message::Close(_)) | Err(_)) | None => Incoming::Closed,
    }
}

/// Whether a read failed on a message past the size limit (the WebSocket library says so in its
/// capacity error, which axum does not expose as a type).
fn is_too_big(error: &axum::Error) -> bool {
    let text = error.to_string();
    text.contains("too long") || text.contains("Space limit")
}

fn reply(id: u64, result: Result<Option<Accepted>, Refusal>) -> String {
    match result {
        Ok(accepted) => ServerMessage::Ack {
            id,
            seq: accepted.map(|a| a.seq),
            rev: accepted.map(|a| a.revision),
        },
        Err(Refusal(reason)) => ServerMessage::Refused { id, reason },
    }
    .to_text()
}

/// Runs blocking work (the engine and the disk) off the async workers.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, Refusal> + Send + 'static,
) -> Result<T, Refusal> {
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|_| Err(Refusal("the host failed on this request".into())))
}

/// What a page's connection pushes after a change.
enum Push {
    /// This message.
    Send(String),
    /// Nothing more: the connection ends, after this last message if any.
    End(Option<String>),
}

/// One kind of page's connection: what it is sent after every change, and how its requests are
/// answered. [`run_connection`] does the rest, the same for every page.
trait Connection {
    /// The page's update showing change `rev`.
    fn push(&mut self, site: &Site, rev: u64) -> Push;
    /// The answer to a request.
    async fn answer(&mut self, site: &Site, request: ClientMessage) -> String;
}

/// Keeps a page current and answers it: pushes an update at once (so a reconnecting page catches
/// up) and after every change, answers each request in turn, and ends when the page goes, is too
/// slow, or its connection has nothing more to show. Requests beyond the rate are refused unread.
async fn run_connection(site: &Site, mut socket: WebSocket, mut connection: impl Connection) {
    let mut changes = site.shared.subscribe();
    let mut bucket = Bucket::new();
    let mut dirty = true;
    loop {
        if dirty {
            dirty = false;
            let rev = *changes.borrow_and_update();
            // The update reads the exercise and draws: off the async workers, as every page read.
            match tokio::task::block_in_place(|| connection.push(site, rev)) {
                Push::Send(text) => {
                    if !send(&mut socket, &text).await {
                        break;
                    }
                }
                Push::End(last) => {
                    if let Some(text) = last {
                        send(&mut socket, &text).await;
                    }
                    break;
                }
            }
        }
        tokio::select! {
            news = changes.changed() => {
                if news.is_err() {
                    break;
                }
                dirty = true;
            }
            incoming = socket.recv() => {
                let text = match read(incoming, &mut bucket) {
                    Incoming::Closed => break,
                    Incoming::TooBig => {
                        let frame = axum::extract::ws::CloseFrame {
                            code: axum::extract::ws::close_code::SIZE,
                            reason: format!("a message is at most {MAX_MESSAGE_BYTES} bytes").into(),
                        };
                        let _ = tokio::time::timeout(
                            SEND_TIMEOUT,
                            socket.send(Message::Close(Some(frame))),
                        )
                        .await;
                        break;
                    }
                    Incoming::Ignore => continue,
                    Incoming::Refuse(id, reason) => reply(id, Err(Refusal(reason))),
                    Incoming::Request(request) => connection.answer(site, request).await,
                };
                if !send(&mut socket, &text).await {
                    break;
                }
            }
        }
    }
}

/// A seat's page: a device's, or the facilitator's acting for the seat.
struct SeatConnection {
    caller: Caller,
    /// The seat whose feed and title the page shows: the one it acts for, once the first update
    /// has brought a page moved elsewhere up to date.
    shown: String,
    /// A device's page, counted as connected to its seat.
    live: Option<LiveMark>,
    /// The last feed position the page has.
    after: Option<usize>,
    /// How many of the facilitator's ad-hoc injects it was sent.
    adhoc_sent: usize,
}

impl Connection for SeatConnection {
    fn push(&mut self, site: &Site, rev: u64) -> Push {
        let hosted = site.shared.read();
        let held = match &self.caller {
            Caller::Device(token) => seat_of(&hosted, token).ok(),
            Caller::ForSeat(_) | Caller::Facilitator => hosted.room().by_id(&self.shown),
        };
        let Some(held) = held else {
            let gone = ServerMessage::Gone {
                reason: SEAT_LOST.into(),
                rejoin: matches!(self.caller, Caller::Device(_))
                    .then(|| format!("/room/{}", site.code)),
            };
            return Push::End(Some(gone.to_text()));
        };
        // Only a device is paused by a closed seat; the facilitator still acts for it.
        let paused = !held.open && matches!(self.caller, Caller::Device(_));
        let seat = held.seat.clone();
        // Moved to another seat: the count, the feed and the title follow the device.
        let reset = self.shown != seat.id;
        if reset {
            self.after = None;
            self.adhoc_sent = 0;
            seat.id.clone_into(&mut self.shown);
            if let Some(live) = &mut self.live {
                live.move_to(&seat.id);
            }
        }
        let feed = feed_of(&hosted, &seat, self.after, self.adhoc_sent);
        self.adhoc_sent = hosted.record.adhoc_injects.len();
        self.after = feed
            .iter()
            .filter(|i| !matches!(i.kind, FeedKind::FromFacilitator(_)))
            .map(|i| i.seq)
            .max()
            .or(self.after);
        Push::Send(
            {
                let view = seat_view(&hosted.session, &seat);
                let chat: Vec<_> = hosted.room().chat_of(&seat.id).collect();
                let page = super::seat_page::SeatParts::new(&view, &feed, &chat);
                ServerMessage::Update {
                    rev,
                    reset,
                    paused,
                    view,
                    feed,
                    chat,
                    page,
                }
            }
            .to_text(),
        )
    }

    async fn answer(&mut self, site: &Site, request: ClientMessage) -> String {
        let (shared, caller) = (Arc::clone(&site.shared), self.caller.clone());
        match request {
            ClientMessage::Intent { id, intent } => reply(
                id,
                blocking(move || shared.submit(&caller, intent))
                    .await
                    .map(Some),
            ),
            ClientMessage::Form { id, acting, fields } => {
                let intent = PageForm::read(fields).and_then(|form| form.intent(acting));
                let result = match intent {
                    Ok(intent) => blocking(move || shared.submit(&caller, intent)).await,
                    Err(refusal) => Err(refusal),
                };
                reply(id, result.map(Some))
            }
            ClientMessage::Chat { id, text, .. } => {
                // The facilitator writing from a seat's page writes into that seat's chat.
                let seat = self.shown.clone();
                let result = blocking(move || shared.chat(&caller, &seat, &text)).await;
                reply(id, result.map(|()| None))
            }
            other @ (ClientMessage::Seat { .. } | ClientMessage::Device { .. }) => reply(
                other.id(),
                Err(Refusal("only the facilitator manages seats".into())),
            ),
        }
    }
}

/// The console of a headless host.
struct ConsoleConnection;

impl Connection for ConsoleConnection {
    fn push(&mut self, site: &Site, _rev: u64) -> Push {
        let view = {
            let hosted = site.shared.read();
            console_view(&hosted, &site.console, &|seat| site.connected(seat))
        };
        let page = super::pages::ConsoleParts::new(&view);
        Push::Send(ServerMessage::Console { view, page }.to_text())
    }

    async fn answer(&mut self, site: &Site, request: ClientMessage) -> String {
        let shared = Arc::clone(&site.shared);
        let id = request.id();
        match request {
            ClientMessage::Intent { intent, .. } => reply(
                id,
                blocking(move || shared.submit(&Caller::Facilitator, intent))
                    .await
                    .map(Some),
            ),
            ClientMessage::Form { acting, fields, .. } => {
                let intent = PageForm::read(fields).and_then(|form| form.intent(acting));
                let result = match intent {
                    Ok(intent) => {
                        blocking(move || shared.submit(&Caller::Facilitator, intent)).await
                    }
                    Err(refusal) => Err(refusal),
                };
                reply(id, result.map(Some))
            }
            ClientMessage::Chat { seat, text, .. } => {
                let result = blocking(move || match seat {
                    Some(seat) => shared.chat(&Caller::Facilitator, &seat, &text),
                    None => Err(Refusal("choose the seat to write to".into())),
                })
                .await;
                reply(id, result.map(|()| None))
            }
            other => match other.room_op() {
                Some(op) => reply(
                    id,
                    blocking(move || shared.manage(&op)).await.map(|()| None),
                ),
                None => reply(id, Err(Refusal("not a change to the room's seats".into()))),
            },
        }
    }
}

/// The projector: told that something changed, it fetches its view again.
struct ProjectorConnection;

impl Connection for ProjectorConnection {
    fn push(&mut self, _site: &Site, rev: u64) -> Push {
        Push::Send(ServerMessage::Changed { rev }.to_text())
    }

    async fn answer(&mut self, _site: &Site, request: ClientMessage) -> String {
        reply(
            request.id(),
            Err(Refusal("the projector only shows the room".into())),
        )
    }
}
