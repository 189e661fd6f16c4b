//! A hosted room as the desktop app drives it: an interface the room host implements, so the app
//! opens a room and plays through it without depending on the network code (`main` hands the app
//! the room host's opener). Open to the app and the room host alike; it is not part of the pure
//! engine, since it speaks of addresses, ports, files and threads. No I/O here.

use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;

use crate::engine::exercise::ExerciseRecord;
use crate::engine::model::intent::Intent;
use crate::engine::room::SeatChange;
use crate::engine::session::{Rejected, Session};

/// Why a request was not carried out, in words for the person who made it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Refusal(pub String);

impl From<&str> for Refusal {
    fn from(reason: &str) -> Self {
        Self(reason.to_owned())
    }
}

impl From<String> for Refusal {
    fn from(reason: String) -> Self {
        Self(reason)
    }
}

impl From<Rejected> for Refusal {
    fn from(rejected: Rejected) -> Self {
        Self(rejected.reason)
    }
}

/// A change to the exercise's record, made against its session as it is then (the minute, the
/// log's length): made whole, or refused with the reason and nothing changed. It edits what the
/// facilitator owns; a hosted room's seats, devices and chat change only through the room.
pub type RecordEdit<'e> = &'e mut dyn FnMut(&mut ExerciseRecord, &Session) -> Result<(), Rejected>;

/// What to host, and where to listen.
pub struct OpenRequest {
    /// The live session; the host takes it over.
    pub session: Session,
    /// Its record; the host saves it from now on.
    pub record: ExerciseRecord,
    /// Where it is saved.
    pub save_path: PathBuf,
    /// Address to listen on (loopback, or every interface for the local network).
    pub bind: IpAddr,
    /// Port (0 picks a free one).
    pub port: u16,
}

/// The addresses a room gives out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoomAddresses {
    /// For attendees: the join page.
    pub join: String,
    /// For the projector: read-only.
    pub projector: String,
    /// For the facilitator's other devices.
    pub console: String,
    /// The port it listens on.
    pub port: u16,
}

/// A room being hosted. While it is open, the host holds the authoritative session and record:
/// the app sends its intents and edits through this and reads back what every seat did.
pub trait RoomLink: Send + Sync {
    /// Where people join.
    fn addresses(&self) -> RoomAddresses;
    /// The number of the latest change (grows with every intent, seat or chat line).
    fn revision(&self) -> u64;
    /// The session and record as they are now, for a copy the app keeps; [`Self::follow`] brings
    /// that copy up to date from then on.
    fn start_following(&self) -> (Session, ExerciseRecord);
    /// Brings the copy from [`Self::start_following`] up to the room's: only what changed since
    /// the last call is read (the log entries, chat lines and record parts the journal writes).
    fn follow(&self, session: &mut Session, record: &mut ExerciseRecord);
    /// Applies an intent as the facilitator and saves it without making the caller wait for the
    /// disk; `Err` says why the engine refused it ([`Self::save_problem`] says if saving failed).
    fn submit(&self, intent: Intent) -> Result<(), Refusal>;
    /// Changes the record (the parts the facilitator owns) and saves it, as [`Self::submit`].
    fn edit(&self, edit: RecordEdit<'_>) -> Result<(), Refusal>;
    /// Why the last change the app made is not on disk, while it is not.
    fn save_problem(&self) -> Option<Refusal>;
    /// Writes into a seat's chat as the facilitator.
    fn chat(&self, seat: &str, text: &str) -> Result<(), Refusal>;
    /// Changes the seats or moves a device; `Err` says why not.
    fn manage(&self, change: &SeatChange) -> Result<(), Refusal>;
    /// Devices connected to a seat right now.
    fn connected(&self, seat: &str) -> usize;
    /// Calls `wake` (from the host's own thread) after every change from now on, so a window
    /// that sleeps until something happens can show what the seats did.
    fn on_change(&self, wake: Box<dyn Fn() + Send + Sync>);
}

/// Opens a room, or says why it could not.
pub type RoomOpener = Arc<dyn Fn(OpenRequest) -> Result<Arc<dyn RoomLink>, Refusal> + Send + Sync>;

/// A room the app has open: the link, and what the views show of it, asked of the host when it
/// changes rather than while drawing.
#[derive(Clone)]
pub struct OpenRoom {
    /// The host.
    pub link: Arc<dyn RoomLink>,
    /// Where people join (fixed while it is open).
    pub addresses: RoomAddresses,
    /// Devices connected to each seat, as of the last change.
    pub connected: BTreeMap<String, usize>,
}

impl OpenRoom {
    /// A room just opened.
    pub fn new(link: Arc<dyn RoomLink>) -> Self {
        Self {
            addresses: link.addresses(),
            link,
            connected: BTreeMap::new(),
        }
    }

    /// Asks the host how many devices each of `seats` has connected now.
    pub fn count_connected<'s>(&mut self, seats: impl IntoIterator<Item = &'s str>) {
        self.connected = seats
            .into_iter()
            .map(|seat| (seat.to_owned(), self.link.connected(seat)))
            .collect();
    }

    /// Devices connected to a seat, as of the last change.
    pub fn connected(&self, seat: &str) -> usize {
        self.connected.get(seat).copied().unwrap_or(0)
    }
}

impl fmt::Debug for OpenRoom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("OpenRoom")
            .field(&self.addresses.join)
            .finish()
    }
}
