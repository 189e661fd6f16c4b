//! The hosted exercise: one session, its saved record and its room, changed only under one lock
//! so that simultaneous intents are applied in the order the host receives them, and saved before
//! anyone is told they were accepted.

use std::path::PathBuf;
use std::sync::{Mutex, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use tokio::sync::watch;

use crate::engine::exercise::ExerciseRecord;
use crate::engine::model::intent::Intent;
use crate::engine::room::SeatChange;
use crate::engine::room::{ChatLine, RoomRecord, Seat, SeatRecord};
use crate::engine::session::Session;
use crate::hosting::RecordEdit;
use crate::store::journal::{Change, Journal, Lane, Tracker};

use super::codes::new_code;

/// A session hosted for a room, with its room and where it is saved.
pub struct Hosted {
    /// The live session.
    pub session: Session,
    /// Its record, but for the room: the facilitator's edits reach the record, and only the
    /// host's own changes reach the room (its seats, devices and chat).
    pub record: ExerciseRecord,
    /// The room, kept apart from the record while it is hosted and put back whenever the record
    /// is saved or copied whole.
    room: RoomRecord,
    /// Where the record is saved.
    pub save_path: PathBuf,
}

impl Hosted {
    /// Hosts a session with its record: the record's room comes back as it was, or a new one is
    /// made with fresh codes and a seat per role.
    pub fn new(session: Session, mut record: ExerciseRecord, save_path: PathBuf) -> Self {
        let room = record
            .room
            .take()
            .unwrap_or_else(|| RoomRecord::new(new_code(), new_code(), Seat::per_role(&session)));
        Self {
            session,
            record,
            room,
            save_path,
        }
    }

    /// The room.
    pub fn room(&self) -> &RoomRecord {
        &self.room
    }

    /// The record as it is saved: the room in it.
    pub fn whole_record(&self) -> ExerciseRecord {
        let mut record = self.record.clone();
        record.room = Some(self.room.clone());
        record
    }

    /// Lends the record as it is saved (the room in it) to the host's own saving, which leaves
    /// the room where it is.
    fn with_whole_record<T>(&mut self, save: impl FnOnce(&mut ExerciseRecord) -> T) -> T {
        let room = std::mem::replace(
            &mut self.room,
            RoomRecord::new(String::new(), String::new(), Vec::new()),
        );
        self.record.room = Some(room);
        let result = save(&mut self.record);
        if let Some(room) = self.record.room.take() {
            self.room = room;
        }
        result
    }
}

/// Who is asking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Caller {
    /// A device holding a seat, by its token.
    Device(String),
    /// The facilitator entering what a seat decided (a seat with no device), by the seat's id:
    /// held to what that seat may do.
    ForSeat(String),
    /// The facilitator acting for the room: the clock and the injects.
    Facilitator,
}

pub use crate::hosting::Refusal;

/// A seat's token no longer holds a seat.
pub const SEAT_LOST: &str = "this device no longer holds a seat: the facilitator took it back";

/// A device's seat is closed for now.
pub const SEAT_PAUSED: &str = "the facilitator has closed this seat for now: your place is kept, \
                               and you can act again when they open it";

/// The state every connection shares.
pub struct Shared {
    hosted: RwLock<Hosted>,
    /// What of the record is saved; used under the write lock only.
    tracker: Mutex<Tracker>,
    /// Writes each change to the save's journal on a thread of its own, in the order the write
    /// lock gave them; `None` once the host stopped.
    lane: Mutex<Option<Lane>>,
    /// Why the last change settled in the background is not on disk (`None` once one is).
    save_problem: Mutex<Option<Refusal>>,
    revision: watch::Sender<u64>,
    /// Every change since a follower (the app) last asked, while one follows: the same changes
    /// the journal is written from, so a copy kept elsewhere follows by what is new only.
    follower: Mutex<Option<Vec<Change>>>,
}

impl Shared {
    /// Shares a hosted session, taking over its save: the record as it is now becomes the save's
    /// snapshot (refused if another Warroom writes the same save).
    pub fn new(mut hosted: Hosted) -> std::io::Result<Self> {
        let save_path = hosted.save_path.clone();
        let (journal, tracker) = hosted.with_whole_record(|record| {
            Journal::open(&save_path, record).map(|journal| (journal, Tracker::new(record)))
        })?;
        Ok(Self {
            tracker: Mutex::new(tracker),
            hosted: RwLock::new(hosted),
            lane: Mutex::new(Some(Lane::start(journal)?)),
            save_problem: Mutex::new(None),
            revision: watch::Sender::new(0),
            follower: Mutex::new(None),
        })
    }

    /// Writes what is still queued, folds the journal into the save and stops saving: later
    /// changes are refused. Called when the host stops.
    pub fn finish_saving(&self) -> std::io::Result<()> {
        let lane = self
            .lane
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        lane.map_or(Ok(()), Lane::finish)
    }

    /// Reads the hosted session; many connections read at once. A panic while it was held
    /// cannot leave it half-changed (every change is applied whole by the engine), so a poisoned
    /// lock is still read.
    pub fn read(&self) -> RwLockReadGuard<'_, Hosted> {
        self.hosted.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// Changes the hosted session: one change at a time, in the order they come.
    fn write(&self) -> RwLockWriteGuard<'_, Hosted> {
        self.hosted.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// The number of the latest change.
    pub fn revision(&self) -> u64 {
        *self.revision.borrow()
    }

    /// Wakes every connection after a change.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.revision.subscribe()
    }

    /// Counts a change and wakes every connection (and the app); returns the change's number.
    /// Also called for what happens outside the record, such as a page connecting.
    pub(super) fn changed(&self) -> u64 {
        self.revision.send_modify(|r| *r += 1);
        *self.revision.borrow()
    }

    /// Makes one change: under the write lock, so changes happen one at a time in the order they
    /// come, and queued for the disk in that order. The lock is let go before the disk is waited
    /// for, so pages and other changes go on meanwhile; the change is acknowledged, and every
    /// connection woken, once it is on disk. A refused change saves and wakes nothing. `Ok`
    /// carries the change's result and its number.
    fn change<T>(
        &self,
        make: impl FnOnce(&mut Hosted) -> Result<T, Refusal>,
    ) -> Result<(T, u64), Refusal> {
        let (outcome, queued) = self.change_queued(make)?;
        self.settle(queued).map(|revision| (outcome, revision))
    }

    /// The first half of [`Self::change`]: makes the change and queues it for the disk, without
    /// waiting; [`Self::settle`] waits for it.
    fn change_queued<T>(
        &self,
        make: impl FnOnce(&mut Hosted) -> Result<T, Refusal>,
    ) -> Result<(T, Queued), Refusal> {
        let mut hosted = self.write();
        let outcome = make(&mut hosted)?;
        let mut tracker = self.tracker.lock().unwrap_or_else(PoisonError::into_inner);
        let change =
            hosted.with_whole_record(|record| tracker.change(record, crate::store::unix_now()));
        drop(tracker);
        if let Some(kept) = self
            .follower
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_mut()
        {
            kept.push(change.clone());
        }
        let pending = self
            .lane
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .map(|lane| lane.send(change));
        drop(hosted);
        Ok((outcome, Queued(pending)))
    }

    /// [`Self::settle`] for a caller that did not wait (the app): its outcome is kept for
    /// [`Self::save_problem`].
    pub fn settle_unwaited(&self, queued: Queued) {
        let outcome = self.settle(queued).err();
        *self
            .save_problem
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = outcome;
    }

    /// Why the last change settled without waiting is not on disk, if it is not.
    pub fn save_problem(&self) -> Option<Refusal> {
        self.save_problem
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Waits until a queued change is on disk, then wakes every connection; returns the change's
    /// number, or why it is not on disk (it stays in the exercise, and goes to disk with the next
    /// write that works).
    pub fn settle(&self, queued: Queued) -> Result<u64, Refusal> {
        let saved = queued.0.map_or_else(
            || Err("the room has stopped".to_owned()),
            crate::store::journal::Pending::wait,
        );
        let revision = self.changed();
        saved.map(|()| revision).map_err(|e| {
            Refusal(format!(
                "the host could not save the exercise ({e}): what was sent is in the exercise \
                 but not yet on disk"
            ))
        })
    }

    /// Applies an intent for a caller and saves; once the save holding it is on disk, `Ok`
    /// carries the log length (which counts the intent) and the change's number (every update
    /// numbered as high shows it). Blocks on the disk: call it off the async workers.
    pub fn submit(&self, caller: &Caller, intent: Intent) -> Result<Accepted, Refusal> {
        let (seq, revision) = self.change(Self::applying(caller, intent))?;
        Ok(Accepted { seq, revision })
    }

    /// [`Self::submit`] without waiting for the disk: the engine's word now, the disk's through
    /// [`Self::settle`].
    pub fn submit_queued(&self, caller: &Caller, intent: Intent) -> Result<Queued, Refusal> {
        self.change_queued(Self::applying(caller, intent))
            .map(|(_, queued)| queued)
    }

    /// [`Self::edit_record`] without waiting for the disk.
    pub fn edit_record_queued(&self, edit: RecordEdit<'_>) -> Result<Queued, Refusal> {
        self.change_queued(|hosted| Ok(edit(&mut hosted.record, &hosted.session)?))
            .map(|((), queued)| queued)
    }

    /// The session and record as they are now, for a copy kept elsewhere; from now on every
    /// change is kept for [`Self::changes_since_followed`] too. Read under the lock changes
    /// are made under, so the copy misses none and the changes after it start from it.
    pub fn start_following(&self) -> (Session, ExerciseRecord) {
        let hosted = self.read();
        *self.follower.lock().unwrap_or_else(PoisonError::into_inner) = Some(Vec::new());
        (hosted.session.clone(), hosted.whole_record())
    }

    /// The changes made since the follower last asked (or started), in order.
    pub fn changes_since_followed(&self) -> Vec<Change> {
        self.follower
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    }

    /// The change an intent makes for a caller: held to what its seat may send, applied by the
    /// engine, the record's log brought up to date; its result is the log's length.
    fn applying(
        caller: &Caller,
        intent: Intent,
    ) -> impl FnOnce(&mut Hosted) -> Result<usize, Refusal> {
        move |hosted| {
            let seat = match caller {
                Caller::Device(token) => Some(open_seat_of(hosted, token)?.seat.clone()),
                Caller::ForSeat(id) => Some(seat_by_id(hosted, id).ok_or("there is no such seat")?),
                Caller::Facilitator => None,
            };
            if let Some(seat) = &seat {
                seat.may_send(&hosted.session, &intent)?;
            }
            hosted.session.apply(intent)?;
            let Hosted {
                session, record, ..
            } = &mut *hosted;
            record.catch_up(session);
            if let Some(seat) = seat {
                hosted.room.touch(&seat.id, crate::store::unix_now(), true);
            }
            Ok(hosted.session.log().entries.len())
        }
    }

    /// Changes the record (the facilitator's notes, people, hotwash…) and saves it.
    pub fn edit_record(&self, edit: RecordEdit<'_>) -> Result<(), Refusal> {
        self.change(|hosted| Ok(edit(&mut hosted.record, &hosted.session)?))
            .map(drop)
    }

    /// Saves that the app hosts this room on `port` (to every device on the local network, or
    /// to this computer only), so that resuming the exercise after a crash opens it again there.
    pub fn remember_hosting(&self, local_network: bool, port: u16) -> Result<(), Refusal> {
        self.change(|hosted| {
            hosted.room.hosting = true;
            hosted.room.local_network = local_network;
            hosted.room.port = port;
            Ok(())
        })
        .map(drop)
    }

    /// A person takes a seat; returns the device's new token.
    pub fn take_seat(&self, seat: &str, person: &str) -> Result<String, Refusal> {
        let token = new_code();
        self.change(|hosted| {
            hosted.room.take(seat, person, token.clone())?;
            Ok(())
        })?;
        Ok(token)
    }

    /// The facilitator opens, closes or removes a seat, or moves or removes a device.
    pub fn manage(&self, change: &SeatChange) -> Result<(), Refusal> {
        self.change(|hosted| {
            let matrix = hosted.session.matrix_arc();
            let room = &mut hosted.room;
            match change {
                SeatChange::Combine { into, from } => room.combine(into, from),
                SeatChange::Split(seat) => {
                    room.split(seat, &|role| matrix.role_name(role.as_str()).to_owned())
                }
                SeatChange::OpenSeat(seat) => room.set_open(seat, true),
                SeatChange::CloseSeat(seat) => room.set_open(seat, false),
                SeatChange::RemoveSeat(seat) => room.remove_seat(seat),
                SeatChange::MoveDevice { device, to } => room.move_device(*device, to),
                SeatChange::RemoveDevice(device) => room.remove_device(*device),
            }?;
            Ok(())
        })
        .map(drop)
    }

    /// Adds a chat line between a seat and the facilitator (`seat` names it for the facilitator;
    /// a seat's device always writes into its own).
    pub fn chat(&self, caller: &Caller, seat: &str, text: &str) -> Result<(), Refusal> {
        self.change(|hosted| {
            let (seat, person) = match caller {
                Caller::Device(token) => {
                    let (seat, device) = hosted.room().by_token(token).ok_or(SEAT_LOST)?;
                    if !seat.open {
                        return Err(SEAT_PAUSED.into());
                    }
                    (seat.seat.id.clone(), Some(device.person.clone()))
                }
                Caller::ForSeat(_) | Caller::Facilitator => (seat.to_owned(), None),
            };
            let from_facilitator = person.is_none();
            let minute = hosted.session.minute();
            let room = &mut hosted.room;
            room.chat(ChatLine {
                seat: seat.clone(),
                from_facilitator,
                person: person.unwrap_or_default(),
                minute,
                text: text.to_owned(),
            })?;
            if !from_facilitator {
                room.touch(&seat, crate::store::unix_now(), false);
            }
            Ok(())
        })
        .map(drop)
    }
}

/// A change made and queued for the disk, not yet on it.
#[must_use = "a change is acknowledged only once it is settled"]
pub struct Queued(Option<crate::store::journal::Pending>);

/// An intent taken in: where it stands in the log, and the change that carries it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Accepted {
    /// Log length after it.
    pub seq: usize,
    /// The change's number.
    pub revision: u64,
}

/// The seat a token holds.
pub fn seat_of<'h>(hosted: &'h Hosted, token: &str) -> Result<&'h SeatRecord, Refusal> {
    hosted
        .room()
        .by_token(token)
        .map(|(seat, _)| seat)
        .ok_or(Refusal(SEAT_LOST.into()))
}

/// The seat a token holds, if it is open.
fn open_seat_of<'h>(hosted: &'h Hosted, token: &str) -> Result<&'h SeatRecord, Refusal> {
    let seat = seat_of(hosted, token)?;
    if seat.open {
        Ok(seat)
    } else {
        Err(Refusal(SEAT_PAUSED.into()))
    }
}

/// A seat by id, as the facilitator names it.
pub fn seat_by_id(hosted: &Hosted, id: &str) -> Option<Seat> {
    hosted.room().by_id(id).map(|s| s.seat.clone())
}
