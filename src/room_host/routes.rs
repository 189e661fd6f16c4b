//! The room's HTTP and WebSocket endpoints. Every address carries a code: the room's join code
//! (join page, projector), a seat's token (its page) or the console's code. A wrong one gets a
//! plain 403 or 404 page that says nothing about the exercise.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, DefaultBodyLimit, Form, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

use super::budget::{Budget, Kind};
use super::codes::same;
use super::forms::PageForm;
use super::pages;
use super::protocol::{ClientMessage, MAX_MESSAGE_BYTES, ServerMessage, parse};
use super::state::Hosted;
use super::state::{Accepted, Caller, Refusal, SEAT_LOST, Shared, TeamEntry, seat_by_id, seat_of};
use crate::engine::exercise::seat_adhoc_feed;
use crate::engine::room::{FeedItem, FeedKind, Seat, seat_feed, seat_view};

/// Largest request body (the join form): a name and a seat id.
const MAX_BODY_BYTES: usize = 4 * 1024;
/// A client that cannot take an update within this long is dropped (it reconnects and catches
/// up), so it never holds anything up.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// Longest an HTTP request may take to arrive and be answered.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Requests a connection may make in a burst, and how many more it earns each second.
const BURST: f64 = 20.0;
const PER_SECOND: f64 = 5.0;

/// Everything the endpoints share.
pub struct Room {
    /// The hosted exercise.
    pub shared: Arc<Shared>,
    /// The address people type, `http://host:port`.
    pub base: String,
    /// The join code (fixed for the life of the room).
    pub code: String,
    /// The console's code.
    pub console: String,
    live: Mutex<BTreeMap<String, usize>>,
    /// Live connections by kind of page.
    sockets: Arc<Budget>,
    /// Every team's exercise, when several teams play at once (`serve --teams`).
    teams: OnceLock<Vec<TeamEntry>>,
}

impl Room {
    /// The endpoints' shared state.
    pub fn new(shared: Arc<Shared>, base: String) -> Self {
        let (code, console) = {
            let hosted = shared.read();
            (hosted.room().code.clone(), hosted.room().console.clone())
        };
        Self {
            shared,
            base,
            code,
            console,
            live: Mutex::new(BTreeMap::new()),
            sockets: Arc::new(Budget::default()),
            teams: OnceLock::new(),
        }
    }

    /// The join page's address.
    pub fn join_url(&self) -> String {
        format!("{}/room/{}", self.base, self.code)
    }

    /// The projector's address.
    pub fn projector_url(&self) -> String {
        format!("{}/room/{}/projector", self.base, self.code)
    }

    /// The console's address.
    pub fn console_url(&self) -> String {
        format!("{}/console/{}", self.base, self.console)
    }

    /// Makes the teams' overview available from this room's console (once).
    pub fn set_teams(&self, teams: Vec<TeamEntry>) {
        let _ = self.teams.set(teams);
    }

    /// Open connections of a seat's devices.
    pub fn connected(&self, seat: &str) -> usize {
        self.live
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(seat)
            .copied()
            .unwrap_or(0)
    }

    /// Counts a device's page connecting to or leaving a seat, and wakes whoever shows the
    /// counts (the console, the app's Room tab).
    fn set_live(&self, seat: &str, delta: isize) {
        {
            let mut live = self
                .live
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let count = live.entry(seat.to_owned()).or_insert(0);
            *count = count.saturating_add_signed(delta);
            if *count == 0 {
                live.remove(seat);
            }
        }
        self.shared.wake();
    }
}

/// A device's page counted as connected to its seat for as long as it lives; it follows the
/// device when the facilitator moves it.
struct LiveMark {
    room: App,
    seat: String,
}

impl LiveMark {
    fn new(room: &App, seat: &str) -> Self {
        room.set_live(seat, 1);
        Self {
            room: Arc::clone(room),
            seat: seat.to_owned(),
        }
    }

    fn move_to(&mut self, seat: &str) {
        if self.seat != seat {
            self.room.set_live(&self.seat, -1);
            self.room.set_live(seat, 1);
            seat.clone_into(&mut self.seat);
        }
    }
}

impl Drop for LiveMark {
    fn drop(&mut self) {
        self.room.set_live(&self.seat, -1);
    }
}

type App = Arc<Room>;

/// Every endpoint, with the limits and headers every answer carries.
pub fn router(room: App) -> Router {
    let headers = [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::CACHE_CONTROL, "no-store"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ];
    let mut router = Router::new()
        .route("/room/{code}", get(join_page))
        .route("/room/{code}/take", post(take_seat))
        .route("/room/{code}/projector", get(projector_page))
        .route("/room/{code}/projector/view", get(projector_fragment))
        .route("/room/{code}/projector/ws", get(projector_ws))
        .route("/seat/{token}", get(seat_page))
        .route("/seat/{token}/ws", get(seat_ws))
        .route("/console/{code}", get(console_page))
        .route("/console/{code}/ws", get(console_ws))
        .route("/console/{code}/teams", get(teams_page))
        .route("/console/{code}/teams/view", get(teams_fragment))
        .route("/console/{code}/seat/{seat}", get(console_seat_page))
        .route("/console/{code}/seat/{seat}/ws", get(console_seat_ws))
        .route("/static/{file}", get(static_file))
        .fallback(|| async { not_found() })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        // A request that trickles in is cut off rather than held open (sockets are upgraded
        // before this applies to them).
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ));
    for (name, value) in headers {
        router = router.layer(SetResponseHeaderLayer::overriding(
            name,
            HeaderValue::from_static(value),
        ));
    }
    router.with_state(room)
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        Html(
            pages::notice(
                "No room here",
                "Check the address: ask the facilitator for the room's link or QR code.",
            )
            .into_string(),
        ),
    )
        .into_response()
}

fn seat_lost() -> Response {
    (
        StatusCode::FORBIDDEN,
        Html(pages::notice("Seat not held", SEAT_LOST).into_string()),
    )
        .into_response()
}

fn html(markup: maud::Markup) -> Response {
    Html(markup.into_string()).into_response()
}

async fn static_file(Path(file): Path<String>) -> Response {
    let (body, kind) = match file.as_str() {
        "room.css" => (include_str!("../../assets/room/room.css"), "text/css"),
        "seat.js" => (include_str!("../../assets/room/seat.js"), "text/javascript"),
        "console.js" => (
            include_str!("../../assets/room/console.js"),
            "text/javascript",
        ),
        "view.js" => (include_str!("../../assets/room/view.js"), "text/javascript"),
        _ => return not_found(),
    };
    ([(header::CONTENT_TYPE, kind)], body).into_response()
}

async fn join_page(State(room): State<App>, Path(code): Path<String>) -> Response {
    if !same(&code, &room.code) {
        return not_found();
    }
    html(pages::join(&room.shared.read(), &code, None))
}

#[derive(serde::Deserialize)]
struct TakeForm {
    seat: String,
    #[serde(default)]
    person: String,
}

async fn take_seat(
    State(room): State<App>,
    Path(code): Path<String>,
    Form(form): Form<TakeForm>,
) -> Response {
    if !same(&code, &room.code) {
        return not_found();
    }
    let shared = Arc::clone(&room.shared);
    let outcome =
        tokio::task::spawn_blocking(move || shared.take_seat(&form.seat, &form.person)).await;
    match outcome {
        Ok(Ok(token)) => Redirect::to(&format!("/seat/{token}")).into_response(),
        Ok(Err(Refusal(reason))) => (
            StatusCode::CONFLICT,
            Html(pages::join(&room.shared.read(), &code, Some(&reason)).into_string()),
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

async fn projector_page(State(room): State<App>, Path(code): Path<String>) -> Response {
    if !same(&code, &room.code) {
        return not_found();
    }
    html(pages::projector(&room.shared.read(), &room.join_url()))
}

async fn projector_fragment(State(room): State<App>, Path(code): Path<String>) -> Response {
    if !same(&code, &room.code) {
        return not_found();
    }
    html(pages::projector_view(&room.shared.read(), &room.join_url()))
}

/// Query of a seat's WebSocket: the seat the page shows and the last feed position it has.
#[derive(serde::Deserialize)]
struct After {
    after: Option<usize>,
    seat: Option<String>,
}

async fn seat_page(State(room): State<App>, Path(token): Path<String>) -> Response {
    let hosted = room.shared.read();
    let Ok(seat) = seat_of(&hosted, &token) else {
        return seat_lost();
    };
    let seat = &seat.seat;
    html(pages::seat(
        &seat_view(&hosted.session, seat),
        &feed_of(&hosted, seat, None, 0),
        &format!("/seat/{token}/ws"),
    ))
}

async fn console_seat_page(
    State(room): State<App>,
    Path((code, seat)): Path<(String, String)>,
) -> Response {
    if !same(&code, &room.console) {
        return not_found();
    }
    let hosted = room.shared.read();
    let Some(seat) = seat_by_id(&hosted, &seat) else {
        return not_found();
    };
    html(pages::seat(
        &seat_view(&hosted.session, &seat),
        &feed_of(&hosted, &seat, None, 0),
        &format!("/console/{code}/seat/{}/ws", seat.id),
    ))
}

async fn console_page(State(room): State<App>, Path(code): Path<String>) -> Response {
    if !same(&code, &room.console) {
        return not_found();
    }
    let teams = room.teams.get().map(|_| format!("/console/{code}/teams"));
    html(pages::console(
        &room.shared.read(),
        &room.join_url(),
        &room.projector_url(),
        &format!("/console/{code}/ws"),
        teams.as_deref(),
    ))
}

/// The teams' overview (several teams at once), or 404.
fn teams_of<'r>(room: &'r Room, code: &str) -> Option<&'r [TeamEntry]> {
    same(code, &room.console)
        .then(|| room.teams.get())
        .flatten()
        .map(Vec::as_slice)
}

async fn teams_page(State(room): State<App>, Path(code): Path<String>) -> Response {
    match teams_of(&room, &code) {
        Some(teams) => html(pages::teams(teams)),
        None => not_found(),
    }
}

async fn teams_fragment(State(room): State<App>, Path(code): Path<String>) -> Response {
    match teams_of(&room, &code) {
        Some(teams) => html(pages::teams_view(teams)),
        None => not_found(),
    }
}

/// Upgrades to a WebSocket within the host's limits (message size, connections of its kind) and
/// runs `serve` on it; the connection holds its place until it ends or its upgrade is abandoned.
fn upgrade<F, Fut>(
    room: App,
    (ws, headers): (WebSocketUpgrade, HeaderMap),
    kind: Kind,
    serve: F,
) -> Response
where
    F: FnOnce(App, WebSocket) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    if !same_origin(&headers) {
        return (
            StatusCode::FORBIDDEN,
            "another site's page cannot join this room",
        )
            .into_response();
    }
    let Some(place) = room.sockets.admit(kind) else {
        return too_busy();
    };
    ws.max_message_size(MAX_MESSAGE_BYTES)
        .max_frame_size(MAX_MESSAGE_BYTES)
        .on_upgrade(move |socket| async move {
            let _place = place;
            serve(room, socket).await;
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

async fn seat_ws(
    State(room): State<App>,
    Path(token): Path<String>,
    Query(after): Query<After>,
    ws: WebSocketUpgrade,
    headers: HeaderMap,
) -> Response {
    let seat = {
        let hosted = room.shared.read();
        match seat_of(&hosted, &token) {
            Ok(seat) => seat.seat.id.clone(),
            Err(_) => return seat_lost(),
        }
    };
    upgrade(
        room,
        (ws, headers),
        Kind::Device(token.clone()),
        move |room, socket| async move {
            // Only a device counts as the seat being connected; the facilitator's view does not.
            let connection = SeatConnection {
                caller: Caller::Device(token),
                live: Some(LiveMark::new(&room, &seat)),
                shown: after.seat.unwrap_or_else(|| seat.clone()),
                seat,
                after: after.after,
                adhoc_sent: 0,
            };
            run_connection(&room, socket, connection).await;
        },
    )
}

async fn console_seat_ws(
    State(room): State<App>,
    Path((code, seat)): Path<(String, String)>,
    Query(after): Query<After>,
    ws: WebSocketUpgrade,
    headers: HeaderMap,
) -> Response {
    if !same(&code, &room.console) || seat_by_id(&room.shared.read(), &seat).is_none() {
        return not_found();
    }
    upgrade(
        room,
        (ws, headers),
        Kind::Console,
        move |room, socket| async move {
            let connection = SeatConnection {
                caller: Caller::ForSeat(seat.clone()),
                live: None,
                shown: seat.clone(),
                seat,
                after: after.after,
                adhoc_sent: 0,
            };
            run_connection(&room, socket, connection).await;
        },
    )
}

async fn projector_ws(
    State(room): State<App>,
    Path(code): Path<String>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    ws: WebSocketUpgrade,
    headers: HeaderMap,
) -> Response {
    if !same(&code, &room.code) {
        return not_found();
    }
    upgrade(
        room,
        (ws, headers),
        Kind::Projector(peer.ip()),
        |room, socket| async move {
            run_connection(&room, socket, ProjectorConnection).await;
        },
    )
}

async fn console_ws(
    State(room): State<App>,
    Path(code): Path<String>,
    ws: WebSocketUpgrade,
    headers: HeaderMap,
) -> Response {
    if !same(&code, &room.console) {
        return not_found();
    }
    upgrade(
        room,
        (ws, headers),
        Kind::Console,
        |room, socket| async move {
            run_connection(&room, socket, ConsoleConnection).await;
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
    fn push(&mut self, room: &Room, rev: u64) -> Push;
    /// The answer to a request.
    async fn answer(&mut self, room: &Room, request: ClientMessage) -> String;
}

/// Keeps a page current and answers it: pushes an update at once (so a reconnecting page catches
/// up) and after every change, answers each request in turn, and ends when the page goes, is too
/// slow, or its connection has nothing more to show. Requests beyond the rate are refused unread.
async fn run_connection(room: &Room, mut socket: WebSocket, mut connection: impl Connection) {
    let mut changes = room.shared.subscribe();
    let mut bucket = Bucket::new();
    let mut dirty = true;
    loop {
        if dirty {
            dirty = false;
            let rev = *changes.borrow_and_update();
            match connection.push(room, rev) {
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
                    Incoming::Request(request) => connection.answer(room, request).await,
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
    /// The seat it acts for (a device's: the one its token held when it connected).
    seat: String,
    /// The seat whose feed and title the page shows.
    shown: String,
    /// A device's page, counted as connected to its seat.
    live: Option<LiveMark>,
    /// The last feed position the page has.
    after: Option<usize>,
    /// How many of the facilitator's ad-hoc injects it was sent.
    adhoc_sent: usize,
}

/// A seat's feed after log position `after`, with the facilitator's ad-hoc injects to it from
/// the `adhoc_from`-th on, in the order things happened.
fn feed_of(hosted: &Hosted, seat: &Seat, after: Option<usize>, adhoc_from: usize) -> Vec<FeedItem> {
    let mut feed = seat_feed(&hosted.session, seat, after);
    feed.extend(
        seat_adhoc_feed(&hosted.record.adhoc_injects, seat)
            .into_iter()
            .filter(|i| matches!(i.kind, FeedKind::FromFacilitator(n) if n >= adhoc_from)),
    );
    feed.sort_by_key(|i| i.seq);
    feed
}

impl Connection for SeatConnection {
    fn push(&mut self, room: &Room, rev: u64) -> Push {
        let hosted = room.shared.read();
        let held = match &self.caller {
            Caller::Device(token) => seat_of(&hosted, token).ok(),
            Caller::ForSeat(_) | Caller::Facilitator => hosted.room().by_id(&self.seat),
        };
        let Some(held) = held else {
            let gone = ServerMessage::Gone {
                reason: SEAT_LOST.into(),
                rejoin: matches!(self.caller, Caller::Device(_))
                    .then(|| format!("/room/{}", room.code)),
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
            seat.id.clone_into(&mut self.seat);
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
            ServerMessage::Update {
                rev,
                reset,
                paused,
                view: seat_view(&hosted.session, &seat),
                feed,
                chat: hosted.room().chat_of(&seat.id).collect(),
            }
            .to_text(),
        )
    }

    async fn answer(&mut self, room: &Room, request: ClientMessage) -> String {
        let (shared, caller) = (Arc::clone(&room.shared), self.caller.clone());
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
                let seat = self.seat.clone();
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
    fn push(&mut self, room: &Room, _rev: u64) -> Push {
        let view = {
            let hosted = room.shared.read();
            pages::console_view(&hosted, &room.console, &|seat| room.connected(seat))
        };
        Push::Send(ServerMessage::Console(view).to_text())
    }

    async fn answer(&mut self, room: &Room, request: ClientMessage) -> String {
        let shared = Arc::clone(&room.shared);
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
    fn push(&mut self, _room: &Room, rev: u64) -> Push {
        Push::Send(ServerMessage::Changed { rev }.to_text())
    }

    async fn answer(&mut self, _room: &Room, request: ClientMessage) -> String {
        reply(
            request.id(),
            Err(Refusal("the projector only shows the room".into())),
        )
    }
}
