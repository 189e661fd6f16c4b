//! The room host behind the engine's [`RoomLink`], for the desktop app.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use super::host::RoomHost;
use super::state::{Caller, Hosted, Refusal};
use crate::engine::exercise::ExerciseRecord;
use crate::engine::model::intent::Intent;
use crate::engine::room::SeatChange;
use crate::engine::session::Session;
use crate::hosting::{OpenRequest, RecordEdit, RoomAddresses, RoomLink, RoomOpener};

/// A running host, stopped when the last handle to it goes.
struct Link {
    host: Mutex<RoomHost>,
    addresses: RoomAddresses,
}

impl Link {
    fn with_host<T>(&self, f: impl FnOnce(&RoomHost) -> T) -> T {
        f(&self
            .host
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner))
    }
}

impl RoomLink for Link {
    fn addresses(&self) -> RoomAddresses {
        self.addresses.clone()
    }

    fn revision(&self) -> u64 {
        self.with_host(|h| h.shared().revision())
    }

    fn start_following(&self) -> (Session, ExerciseRecord) {
        self.with_host(|h| h.shared().start_following())
    }

    fn follow(&self, session: &mut Session, record: &mut ExerciseRecord) {
        self.with_host(|h| {
            let shared = h.shared();
            let mut follows = true;
            for change in shared.changes_since_followed() {
                follows &= change.follows(record);
                if follows {
                    change.apply_to(record);
                }
            }
            // Not expected (changes are kept in order from the copy on, and the engine replays
            // its own log), but a copy that cannot follow is replaced rather than shown wrong.
            if !follows || session.follow(&record.log.entries).is_err() {
                (*session, *record) = shared.start_following();
            }
        });
    }

    fn submit(&self, intent: Intent) -> Result<(), Refusal> {
        // The app's frame has the engine's word at once; the host's threads wait for the disk.
        self.with_host(|h| h.submit_unwaited(intent))
    }

    fn edit(&self, edit: RecordEdit<'_>) -> Result<(), Refusal> {
        self.with_host(|h| h.edit_unwaited(edit))
    }

    fn save_problem(&self) -> Option<Refusal> {
        self.with_host(|h| h.shared().save_problem())
    }

    fn chat(&self, seat: &str, text: &str) -> Result<(), Refusal> {
        self.with_host(|h| h.shared().chat(&Caller::Facilitator, seat, text))
    }

    fn manage(&self, change: &SeatChange) -> Result<(), Refusal> {
        self.with_host(|h| h.shared().manage(change))
    }

    fn connected(&self, seat: &str) -> usize {
        self.with_host(|h| h.connected(seat))
    }

    fn on_change(&self, wake: Box<dyn Fn() + Send + Sync>) {
        self.with_host(|h| h.on_change(wake));
    }
}

/// Opens rooms for the desktop app.
pub fn opener() -> RoomOpener {
    Arc::new(|request: OpenRequest| {
        let hosted = Hosted::new(request.session, request.record, request.save_path);
        let host = RoomHost::start(hosted, request.bind, request.port).map_err(|e| {
            format!(
                "could not listen on {}: {e}",
                SocketAddr::new(request.bind, request.port)
            )
        })?;
        let addresses = RoomAddresses {
            join: host.join_url(),
            projector: host.projector_url(),
            console: host.console_url(),
            port: host.addr().port(),
        };
        // The app's room comes back by itself, at the same address, when the exercise is resumed
        // after a crash.
        host.shared()
            .remember_hosting(request.bind.is_unspecified(), addresses.port)
            .map_err(|refusal| format!("the room is open but could not be saved: {refusal}"))?;
        Ok(Arc::new(Link {
            host: Mutex::new(host),
            addresses,
        }) as Arc<dyn RoomLink>)
    })
}
