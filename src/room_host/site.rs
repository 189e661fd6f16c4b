//! What every endpoint of one room shares: the hosted exercise, the room's codes and addresses,
//! the devices connected to each seat, the live connections' budgets and the teams' overview; and
//! the answers every endpoint may give (not found, seat not held).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use super::budget::Budget;
use super::pages;
use super::state::{Hosted, SEAT_LOST, Shared};
use super::teams::TeamEntry;
use crate::engine::exercise::seat_adhoc_feed;
use crate::engine::room::{FeedItem, FeedKind, Seat, seat_feed};

/// Everything the endpoints of one room share.
pub struct Site {
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
    pub(super) sockets: Arc<Budget>,
    /// Every team's exercise, when several teams play at once (`serve --teams`).
    pub(super) teams: OnceLock<Vec<TeamEntry>>,
}

impl Site {
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

    /// Runs `view` with the hosted exercise read, on a worker allowed to block: a read may wait for
    /// a change in progress and then draws a page, and the other connections served by this async
    /// worker must not wait behind it (tokio moves them to another thread meanwhile).
    pub fn read_blocking<T>(&self, view: impl FnOnce(&Hosted) -> T) -> T {
        tokio::task::block_in_place(|| view(&self.shared.read()))
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
    pub(super) fn set_live(&self, seat: &str, delta: isize) {
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
        self.shared.changed();
    }
}

/// A device's page counted as connected to its seat for as long as it lives; it follows the
/// device when the facilitator moves it.
pub(super) struct LiveMark {
    site: Arc<Site>,
    seat: String,
}

impl LiveMark {
    pub(super) fn new(site: &Arc<Site>, seat: &str) -> Self {
        site.set_live(seat, 1);
        Self {
            site: Arc::clone(site),
            seat: seat.to_owned(),
        }
    }

    pub(super) fn move_to(&mut self, seat: &str) {
        if self.seat != seat {
            self.site.set_live(&self.seat, -1);
            self.site.set_live(seat, 1);
            seat.clone_into(&mut self.seat);
        }
    }
}

impl Drop for LiveMark {
    fn drop(&mut self) {
        self.site.set_live(&self.seat, -1);
    }
}

pub(super) fn not_found() -> Response {
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

pub(super) fn seat_lost() -> Response {
    (
        StatusCode::FORBIDDEN,
        Html(pages::notice("Seat not held", SEAT_LOST).into_string()),
    )
        .into_response()
}

pub(super) fn html(markup: maud::Markup) -> Response {
    Html(markup.into_string()).into_response()
}

/// A seat's feed after log position `after`, with the facilitator's ad-hoc injects to it from
/// the `adhoc_from`-th on, in the order things happened.
pub(super) fn feed_of(
    hosted: &Hosted,
    seat: &Seat,
    after: Option<usize>,
    adhoc_from: usize,
) -> Vec<FeedItem> {
    let mut feed = seat_feed(&hosted.session, seat, after);
    feed.extend(
        seat_adhoc_feed(&hosted.record.adhoc_injects, seat)
            .into_iter()
            .filter(|i| matches!(i.kind, FeedKind::FromFacilitator(n) if n >= adhoc_from)),
    );
    feed.sort_by_key(|i| i.seq);
    feed
}
