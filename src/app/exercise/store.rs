//! The exercise's one store: its session and record, and their one write path. The app owns the
//! exercise until a room is opened, then the room's host does, and the store follows it; either
//! way every intent goes through [`ActiveExercise::submit`] and every change to the record
//! through [`ActiveExercise::edit`], and the views read [`ActiveExercise::session`] and
//! [`ActiveExercise::record`] without knowing which owner is behind them.

use std::path::{Path, PathBuf};

use bevy::prelude::*;
use thiserror::Error;

use crate::app::flow::Screen;
use crate::engine::Session;
use crate::engine::exercise::ExerciseRecord;
use crate::engine::model::intent::Intent;
use crate::engine::model::scenario::Mode;
use crate::hosting::{OpenRequest, OpenRoom, RecordEdit, Refusal, RoomOpener};
use crate::store::journal::SaveFile;
use crate::store::unix_now;

/// The folder of saved exercises.
#[derive(Resource, Debug, Clone)]
pub struct Saves {
    /// Folder of saves.
    pub dir: PathBuf,
}

/// The exercise on screen: its session, its record (people, notes, ad-hoc injects, hotwash,
/// projector, room) and where it is saved. Replaced whole when another exercise starts.
#[derive(Resource, Debug)]
pub struct ActiveExercise {
    /// The owner's session, or the store's copy of it while a room's host owns it.
    session: Session,
    /// The owner's record, or the store's copy of it.
    record: ExerciseRecord,
    /// Its save file, once one could be created.
    save_path: Option<PathBuf>,
    /// Why the last save failed, while it has not been made good.
    save_error: Option<String>,
    owner: Owner,
}

/// Who applies and saves the exercise's changes.
#[derive(Debug)]
enum Owner {
    /// The app, writing its save itself (`None` before the first save).
    App(Option<Box<SaveFile>>),
    /// A room's host, for the seats on other devices: it applies, saves, and is followed.
    Room {
        /// The room.
        room: OpenRoom,
        /// The room's change number the store has followed to.
        seen: u64,
    },
}

/// Where the changes of one step begin in the log: the entries from `from` on are new (one, the
/// app's own; or, with a room open, also what the seats did meanwhile).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewEntries {
    /// The log's length before.
    pub from: usize,
}

impl ActiveExercise {
    /// A new exercise, or one read back from its save at `save_path`; the app owns it.
    pub fn new(session: Session, record: ExerciseRecord, save_path: Option<PathBuf>) -> Self {
        Self {
            session,
            record,
            save_path,
            save_error: None,
            owner: Owner::App(None),
        }
    }

    /// The session as it stands.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The record as it stands.
    pub fn record(&self) -> &ExerciseRecord {
        &self.record
    }

    /// Its save file, once it has one.
    pub fn save_path(&self) -> Option<&Path> {
        self.save_path.as_deref()
    }

    /// Why the exercise is not all on disk, while it is not.
    pub fn save_error(&self) -> Option<&str> {
        self.save_error.as_deref()
    }

    /// The room hosting it, while one is open.
    pub fn room(&self) -> Option<&OpenRoom> {
        match &self.owner {
            Owner::Room { room, .. } => Some(room),
            Owner::App(_) => None,
        }
    }

    /// How it is being played.
    pub fn mode(&self) -> Mode {
        self.record.mode
    }

    /// The screen it is played on.
    pub fn screen(&self) -> Screen {
        if self.mode() == Mode::Facilitated {
            Screen::Console
        } else {
            Screen::Play
        }
    }

    /// Carries out an intent through the owner and saves it. `Err` is the engine's refusal, with
    /// nothing changed; a save that failed is in [`Self::save_error`] (the intent stands).
    pub fn submit(&mut self, intent: Intent, saves: &Saves) -> Result<NewEntries, Refusal> {
        let from = self.session.log().entries.len();
        match &self.owner {
            Owner::App(_) => {
                self.session.apply(intent)?;
                self.record.catch_up(&self.session);
                // Remembered in `save_error`; the next change tries again.
                let _ = self.save(saves);
            }
            Owner::Room { room, .. } => {
                room.link.submit(intent)?;
                self.pull();
            }
        }
        Ok(NewEntries { from })
    }

    /// Changes the record (the parts the facilitator owns) through the owner and saves it. `Err`
    /// says why it was refused, with nothing changed; a failed save is in [`Self::save_error`].
    pub fn edit(&mut self, saves: &Saves, edit: RecordEdit<'_>) -> Result<(), Refusal> {
        match &self.owner {
            Owner::App(_) => {
                edit(&mut self.record, &self.session)?;
                let _ = self.save(saves);
            }
            Owner::Room { room, .. } => {
                room.link.edit(edit)?;
                self.pull();
            }
        }
        Ok(())
    }

    /// Brings the store up to what the room's host holds (what the seats did, and the app's own
    /// changes as the host made them), when anything changed since it last looked. `Some` says
    /// where the log's new entries begin. Nothing to follow while the app owns the exercise.
    pub fn follow(&mut self) -> Option<NewEntries> {
        let Owner::Room { room, seen } = &mut self.owner else {
            return None;
        };
        let revision = room.link.revision();
        if revision == *seen {
            return None;
        }
        *seen = revision;
        Some(self.pull())
    }

    /// Brings the store up to the host's now: the host counts a change once it is on disk, but
    /// the app's own change shows at once.
    fn pull(&mut self) -> NewEntries {
        let from = self.session.log().entries.len();
        let Owner::Room { room, .. } = &mut self.owner else {
            return NewEntries { from };
        };
        room.link.follow(&mut self.session, &mut self.record);
        // A change the app made is saved by the host's threads: trouble is said where saves are.
        self.save_error = room
            .link
            .save_problem()
            .map(|problem| format!("The room could not save the exercise: {problem}."));
        // The Room tab shows who is connected as of this change; drawing asks the host nothing.
        if let Some(seats) = &self.record.room {
            room.count_connected(seats.seats.iter().map(|s| s.seat.id.as_str()));
        }
        NewEntries { from }
    }

    /// Writes what changed while the app owns the exercise (creating its save file first if it
    /// has none). A failure is remembered for the views and returned; the exercise stays in
    /// memory and the next change tries again.
    pub fn save(&mut self, saves: &Saves) -> Result<(), SaveError> {
        let Owner::App(file) = &mut self.owner else {
            // The host saves what it owns.
            return Ok(());
        };
        let result = match (file.as_mut(), &self.save_path) {
            (Some(writer), _) => writer.save(&mut self.record).map_err(|source| SaveError {
                path: writer.path().to_path_buf(),
                source,
            }),
            (None, Some(path)) => SaveFile::open(path, &mut self.record)
                .map(|writer| *file = Some(Box::new(writer)))
                .map_err(|source| SaveError {
                    path: path.clone(),
                    source,
                }),
            (None, None) => {
                self.record.updated_at = unix_now();
                crate::store::saves::create_journaled(&saves.dir, &mut self.record)
                    .map(|writer| {
                        self.save_path = Some(writer.path().to_path_buf());
                        *file = Some(Box::new(writer));
                    })
                    .map_err(|source| SaveError {
                        path: saves.dir.clone(),
                        source,
                    })
            }
        };
        self.save_error = result.as_ref().err().map(ToString::to_string);
        result
    }

    /// Hands the exercise to a room's host, listening on `bind` at the first of `ports` it can
    /// have (0 for any). From then on the host applies and saves, and the store follows it.
    pub fn open_room(
        &mut self,
        opener: &RoomOpener,
        saves: &Saves,
        bind: std::net::IpAddr,
        ports: &[u16],
    ) -> Result<(), RoomError> {
        if self.room().is_some() {
            return Ok(());
        }
        if self.save_path.is_none() {
            self.save(saves)?;
        }
        let save_path = self.save_path.clone().ok_or(RoomError::NoSave)?;
        // The host writes the save from now on; the app's own writer lets go of it first.
        if let Owner::App(file) = &mut self.owner
            && let Some(writer) = file.take()
        {
            writer.finish().map_err(|source| SaveError {
                path: save_path.clone(),
                source,
            })?;
        }
        let mut refused = Refusal::from("no port to listen on");
        for port in ports {
            let request = OpenRequest {
                session: self.session.clone(),
                record: self.record.clone(),
                save_path: save_path.clone(),
                bind,
                port: *port,
            };
            match opener(request) {
                Ok(link) => {
                    // Read first: a change after it is in the copy or follows it.
                    let seen = link.revision();
                    (self.session, self.record) = link.start_following();
                    self.owner = Owner::Room {
                        room: OpenRoom::new(link),
                        seen,
                    };
                    return Ok(());
                }
                Err(refusal) => refused = refusal,
            }
        }
        Err(RoomError::Refused(refused))
    }

    /// Takes the exercise back from the room's host, which stops (the seats' pages no longer
    /// reach it) and lets go of the save; the app owns and saves it from now on, marked as no
    /// longer hosted.
    pub fn close_room(&mut self, saves: &Saves) -> Result<(), SaveError> {
        self.pull();
        if let Owner::Room { room, .. } = std::mem::replace(&mut self.owner, Owner::App(None)) {
            // The host's last handle: it writes what is queued and lets go of the save.
            drop(room);
        }
        if let Some(seats) = &mut self.record.room {
            seats.hosting = false;
        }
        self.save(saves)
    }
}

/// Why an exercise could not be saved.
#[derive(Debug, Error)]
#[error(
    "Could not save the exercise to {}: {source}. It stays open; the next change tries again.",
    path.display()
)]
pub struct SaveError {
    /// The file (or, for a new exercise, the folder) it was written to.
    pub path: PathBuf,
    /// What the system said.
    #[source]
    pub source: std::io::Error,
}

/// Why a room could not be opened.
#[derive(Debug, Error)]
pub enum RoomError {
    /// The exercise has no save for the host to write.
    #[error(transparent)]
    Save(#[from] SaveError),
    /// There is no save file to hand over.
    #[error("The exercise has no save file, so it cannot be hosted.")]
    NoSave,
    /// The host could not start.
    #[error("The room could not be opened: {0}.")]
    Refused(Refusal),
}
