//! The room's HTTP endpoints: the router, with the limits and headers every answer carries, and
//! the pages. Every address carries a code: the room's join code (join page, projector), a seat's
//! token (its page) or the console's code. A wrong one gets a plain 403 or 404 page that says
//! nothing about the exercise. The pages' live connections are in [`super::sockets`].

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Form, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

use super::codes::same;
use super::pages;
use super::site::{Site, feed_of, html, not_found, seat_lost};
use super::sockets::{console_seat_ws, console_ws, projector_ws, seat_ws};
use super::state::{Refusal, seat_by_id, seat_of};
use super::teams::TeamEntry;
use crate::engine::room::seat_view;

/// Largest request body (the join form): a name and a seat id.
const MAX_BODY_BYTES: usize = 4 * 1024;
/// Longest an HTTP request may take to arrive and be answered.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// Every endpoint, with the limits and headers every answer carries.
pub fn router(site: Arc<Site>) -> Router {
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
    router.with_state(site)
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
        "common.js" => (
            include_str!("../../assets/room/common.js"),
            "text/javascript",
        ),
        _ => return not_found(),
    };
    ([(header::CONTENT_TYPE, kind)], body).into_response()
}

async fn join_page(State(site): State<Arc<Site>>, Path(code): Path<String>) -> Response {
    if !same(&code, &site.code) {
        return not_found();
    }
    html(site.read_blocking(|hosted| pages::join(hosted, &code, None)))
}

#[derive(serde::Deserialize)]
struct TakeForm {
    seat: String,
    #[serde(default)]
    person: String,
}

async fn take_seat(
    State(site): State<Arc<Site>>,
    Path(code): Path<String>,
    Form(form): Form<TakeForm>,
) -> Response {
    if !same(&code, &site.code) {
        return not_found();
    }
    let shared = Arc::clone(&site.shared);
    let outcome =
        tokio::task::spawn_blocking(move || shared.take_seat(&form.seat, &form.person)).await;
    match outcome {
        Ok(Ok(token)) => Redirect::to(&format!("/seat/{token}")).into_response(),
        Ok(Err(Refusal(reason))) => (
            StatusCode::CONFLICT,
            Html(
                site.read_blocking(|hosted| pages::join(hosted, &code, Some(&reason)))
                    .into_string(),
            ),
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

async fn projector_page(State(site): State<Arc<Site>>, Path(code): Path<String>) -> Response {
    if !same(&code, &site.code) {
        return not_found();
    }
    html(site.read_blocking(|hosted| pages::projector(hosted, &site.join_url())))
}

async fn projector_fragment(State(site): State<Arc<Site>>, Path(code): Path<String>) -> Response {
    if !same(&code, &site.code) {
        return not_found();
    }
    html(site.read_blocking(|hosted| pages::projector_view(hosted, &site.join_url())))
}

async fn seat_page(State(site): State<Arc<Site>>, Path(token): Path<String>) -> Response {
    site.read_blocking(|hosted| {
        let Ok(seat) = seat_of(hosted, &token) else {
            return seat_lost();
        };
        let seat = &seat.seat;
        let chat: Vec<_> = hosted.room().chat_of(&seat.id).collect();
        html(super::seat_page::seat(
            &seat_view(&hosted.session, seat),
            &feed_of(hosted, seat, None, 0),
            &chat,
            &format!("/seat/{token}/ws"),
        ))
    })
}

async fn console_seat_page(
    State(site): State<Arc<Site>>,
    Path((code, seat)): Path<(String, String)>,
) -> Response {
    if !same(&code, &site.console) {
        return not_found();
    }
    site.read_blocking(|hosted| {
        let Some(seat) = seat_by_id(hosted, &seat) else {
            return not_found();
        };
        let chat: Vec<_> = hosted.room().chat_of(&seat.id).collect();
        html(super::seat_page::seat(
            &seat_view(&hosted.session, &seat),
            &feed_of(hosted, &seat, None, 0),
            &chat,
            &format!("/console/{code}/seat/{}/ws", seat.id),
        ))
    })
}

async fn console_page(State(site): State<Arc<Site>>, Path(code): Path<String>) -> Response {
    if !same(&code, &site.console) {
        return not_found();
    }
    let teams = site.teams.get().map(|_| format!("/console/{code}/teams"));
    site.read_blocking(|hosted| {
        let view =
            super::console_view::console_view(hosted, &site.console, &|seat| site.connected(seat));
        html(pages::console(
            hosted,
            &view,
            &site.join_url(),
            &site.projector_url(),
            &format!("/console/{code}/ws"),
            teams.as_deref(),
        ))
    })
}

/// The teams' overview (several teams at once), or 404.
fn teams_of<'r>(site: &'r Site, code: &str) -> Option<&'r [TeamEntry]> {
    same(code, &site.console)
        .then(|| site.teams.get())
        .flatten()
        .map(Vec::as_slice)
}

async fn teams_page(State(site): State<Arc<Site>>, Path(code): Path<String>) -> Response {
    match teams_of(&site, &code) {
        // Each team's exercise is read in turn: off the async workers, as every page read.
        Some(teams) => html(tokio::task::block_in_place(|| pages::teams(teams))),
        None => not_found(),
    }
}

async fn teams_fragment(State(site): State<Arc<Site>>, Path(code): Path<String>) -> Response {
    match teams_of(&site, &code) {
        Some(teams) => html(tokio::task::block_in_place(|| pages::teams_view(teams))),
        None => not_found(),
    }
}
