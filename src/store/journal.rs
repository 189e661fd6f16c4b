//! Saves whose cost does not grow with the exercise. A save is a snapshot of the record
//! (`<id>.ron`, written atomically) and beside it a journal (`<id>.ron.journal`) of the changes
//! made since, one line each, appended and synced before a change is acknowledged. A change holds
//! only what is new: the log entries and chat lines added, and the rest of the record when it
//! differs. When the journal outgrows the snapshot it is folded into a new snapshot and emptied, so
//! a save costs the same on average at the tenth change and the ten-thousandth, and reading a save
//! back replays no more than the snapshot's own size.
//!
//! Crash safety: a change is acknowledged only once its line is synced; a line cut short by a
//! crash (the last one, with no line end) was never acknowledged and is left out on reading. A
//! change rewrites the log and chat from the position it names, so replaying a journal already
//! folded into the snapshot (a crash between the two steps of folding) gives the snapshot again.

use std::fs::{self, File, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread::JoinHandle;

use serde::{Deserialize, Serialize};

use crate::engine::content::load::{MAX_RECORD_BYTES, Source, read_written_bytes};
use crate::engine::diagnostic::{Code, Diagnostic};
use crate::engine::exercise::ExerciseRecord;
use crate::engine::room::ChatLine;
use crate::engine::session::LogEntry;

/// The journal beside a save.
pub fn journal_path(save: &Path) -> PathBuf {
    let mut name = save.as_os_str().to_owned();
    name.push(".journal");
    PathBuf::from(name)
}

/// Below this size the journal is never folded: folding a small record often costs more than it
/// saves.
const MIN_FOLD_BYTES: u64 = 1024 * 1024;

/// Items appended to a list from a position on (everything from there is replaced).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Tail<T> {
    from: usize,
    items: Vec<T>,
}

impl<T: Clone> Tail<T> {
    /// What `list` holds past the `saved` items written before; the whole list when it got
    /// shorter; nothing when it is as long.
    fn of(list: &[T], saved: usize) -> Option<Self> {
        let from = if list.len() < saved { 0 } else { saved };
        (list.len() != saved).then(|| Self {
            from,
            items: list.get(from..).unwrap_or_default().to_vec(),
        })
    }

    /// Whether it starts within a list of `len` items.
    fn follows(&self, len: usize) -> bool {
        self.from <= len
    }

    fn apply_to(self, list: &mut Vec<T>) {
        list.truncate(self.from);
        list.extend(self.items);
    }
}

/// A record's two growing lists, taken out of it (and put back): the log's entries and the
/// room's chat.
type Lists = (Vec<LogEntry>, Option<Vec<ChatLine>>);

fn take_lists(record: &mut ExerciseRecord) -> Lists {
    (
        std::mem::take(&mut record.log.entries),
        record
            .room
            .as_mut()
            .map(|room| std::mem::take(&mut room.chat)),
    )
}

fn put_lists(record: &mut ExerciseRecord, (entries, chat): Lists) {
    record.log.entries = entries;
    if let (Some(room), Some(chat)) = (record.room.as_mut(), chat) {
        room.chat = chat;
    }
}

/// One saved change: what is new in the record since the change before.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The record's `updated_at` after it.
    at: i64,
    /// Log entries added.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    log: Option<Tail<LogEntry>>,
    /// Chat lines added.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    chat: Option<Tail<ChatLine>>,
    /// The rest of the record (log entries and chat left out), when it changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rest: Option<Box<ExerciseRecord>>,
}

impl Change {
    /// Brings `record` to the state after this change. Applying a change `record` already holds
    /// changes nothing.
    pub fn apply_to(self, record: &mut ExerciseRecord) {
        if let Some(rest) = self.rest {
            let lists = take_lists(record);
            *record = *rest;
            put_lists(record, lists);
        }
        if let Some(tail) = self.log {
            tail.apply_to(&mut record.log.entries);
        }
        if let (Some(tail), Some(room)) = (self.chat, record.room.as_mut()) {
            tail.apply_to(&mut room.chat);
        }
        record.updated_at = self.at;
    }

    /// Whether the change starts where `record` is: its lists do not skip a position.
    pub fn follows(&self, record: &ExerciseRecord) -> bool {
        let chat_len = record.room.as_ref().map_or(0, |r| r.chat.len());
        self.log
            .as_ref()
            .is_none_or(|t| t.follows(record.log.entries.len()))
            && self.chat.as_ref().is_none_or(|t| t.follows(chat_len))
    }
}

/// The record with its log entries and chat left out, and no change time: what a change
/// compares to see whether anything but the lists moved.
fn rest_of(record: &mut ExerciseRecord) -> ExerciseRecord {
    let lists = take_lists(record);
    let mut rest = record.clone();
    rest.updated_at = 0;
    put_lists(record, lists);
    rest
}

/// What the owner of a record has saved of it so far: tells the next change from the record.
#[derive(Debug)]
pub struct Tracker {
    log_len: usize,
    chat_len: usize,
    rest: ExerciseRecord,
}

impl Tracker {
    /// Starts from a record as it is on disk.
    pub fn new(record: &mut ExerciseRecord) -> Self {
        Self {
            log_len: record.log.entries.len(),
            chat_len: record.room.as_ref().map_or(0, |r| r.chat.len()),
            rest: rest_of(record),
        }
    }

    /// The change that brings the saved record to `record`, stamped `at` (which becomes the
    /// record's `updated_at`). A list that got shorter is written whole.
    pub fn change(&mut self, record: &mut ExerciseRecord, at: i64) -> Change {
        record.updated_at = at;
        let log = Tail::of(&record.log.entries, self.log_len);
        let chat_lines = record.room.as_ref().map_or(&[][..], |r| r.chat.as_slice());
        let chat = Tail::of(chat_lines, self.chat_len);
        self.log_len = record.log.entries.len();
        self.chat_len = chat_lines.len();
        let rest = rest_of(record);
        let rest = (rest != self.rest).then(|| {
            self.rest = rest.clone();
            Box::new(rest)
        });
        Change {
            at,
            log,
            chat,
            rest,
        }
    }
}

/// The files of one save, written by one owner: the snapshot, the journal, and a copy of the
/// record as saved (to fold the journal into a new snapshot without asking the owner).
#[derive(Debug)]
pub struct Journal {
    save: PathBuf,
    file: File,
    saved: ExerciseRecord,
    snapshot_bytes: u64,
    written_bytes: u64,
    /// The last write failed: the journal's end is unknown, so the next write is a snapshot.
    must_fold: bool,
    finished: bool,
}

impl Journal {
    /// Takes over the save at `save` with `record` as it stands: writes it as the snapshot and
    /// starts an empty journal. Refused while another process (or another owner in this one)
    /// writes the same save.
    pub fn open(save: &Path, record: &ExerciseRecord) -> std::io::Result<Self> {
        let file = Self::claim(save)?;
        let snapshot_bytes = super::snapshot::save_atomic(record, save)?;
        Self::beside(save, file, record.clone(), snapshot_bytes)
    }

    /// Starts the journal of a save just created (its snapshot, `snapshot_bytes` long, written).
    fn beside_new(
        save: &Path,
        record: &ExerciseRecord,
        snapshot_bytes: u64,
    ) -> std::io::Result<Self> {
        let file = Self::claim(save)?;
        Self::beside(save, file, record.clone(), snapshot_bytes)
    }

    /// Opens the journal and locks it for this owner; what it holds is kept until the snapshot
    /// that includes it is written.
    fn claim(save: &Path) -> std::io::Result<File> {
        if let Some(dir) = save.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::create_dir_all(dir)?;
        }
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(journal_path(save))?;
        match file.try_lock() {
            Ok(()) => Ok(file),
            Err(fs::TryLockError::WouldBlock) => Err(std::io::Error::new(
                std::io::ErrorKind::ResourceBusy,
                format!(
                    "{} is open in another Warroom (a window or `warroom serve`); close it there \
                     first",
                    save.display()
                ),
            )),
            Err(fs::TryLockError::Error(e)) => Err(e),
        }
    }

    fn beside(
        save: &Path,
        file: File,
        saved: ExerciseRecord,
        snapshot_bytes: u64,
    ) -> std::io::Result<Self> {
        file.set_len(0)?;
        file.sync_all()?;
        Ok(Self {
            save: save.to_path_buf(),
            file,
            saved,
            snapshot_bytes,
            written_bytes: 0,
            must_fold: false,
            finished: false,
        })
    }

    /// The save file.
    pub fn path(&self) -> &Path {
        &self.save
    }

    /// Writes changes, in order, and syncs them: once this returns `Ok` they survive a crash. On
    /// an error none of them is acknowledged; they are kept and go to disk with the next write
    /// that works.
    pub fn write(&mut self, changes: Vec<Change>) -> std::io::Result<()> {
        let mut lines = String::new();
        for change in changes {
            if !self.must_fold {
                match ron::to_string(&change) {
                    Ok(line) => {
                        lines.push_str(&line);
                        lines.push('\n');
                    }
                    Err(_) => self.must_fold = true,
                }
            }
            change.apply_to(&mut self.saved);
        }
        let grown = self.written_bytes + lines.len() as u64;
        if self.must_fold
            || grown > self.snapshot_bytes.max(MIN_FOLD_BYTES)
            || grown > MAX_RECORD_BYTES
        {
            return self.fold();
        }
        let written = self
            .file
            .write_all(lines.as_bytes())
            .and_then(|()| self.file.sync_data());
        match written {
            Ok(()) => {
                self.written_bytes = grown;
                Ok(())
            }
            Err(e) => {
                self.must_fold = true;
                Err(e)
            }
        }
    }

    /// Folds the journal into a new snapshot and empties it.
    fn fold(&mut self) -> std::io::Result<()> {
        self.must_fold = true;
        self.snapshot_bytes = super::snapshot::save_atomic(&self.saved, &self.save)?;
        // Until the journal is emptied it replays to the snapshot just written (see the module).
        self.file.set_len(0)?;
        self.file.sync_all()?;
        self.written_bytes = 0;
        self.must_fold = false;
        Ok(())
    }

    /// Folds what the journal holds into the snapshot and removes the journal: the save is one
    /// file again, to copy or hand to another owner.
    pub fn finish(mut self) -> std::io::Result<()> {
        self.close()
    }

    fn close(&mut self) -> std::io::Result<()> {
        if self.finished {
            return Ok(());
        }
        if self.written_bytes > 0 || self.must_fold {
            self.fold()?;
        }
        self.finished = true;
        // Removed while still locked, so no other owner can claim the journal in between.
        fs::remove_file(journal_path(&self.save))
    }
}

impl Drop for Journal {
    fn drop(&mut self) {
        // Best effort: a journal left behind is read back with its snapshot.
        let _ = self.close();
    }
}

/// A save written by its owner: the tracker and the journal together, for an owner that writes
/// on its own thread.
#[derive(Debug)]
pub struct SaveFile {
    tracker: Tracker,
    journal: Journal,
}

impl SaveFile {
    /// Takes over the save at `path` with `record` as it stands.
    pub fn open(path: &Path, record: &mut ExerciseRecord) -> std::io::Result<Self> {
        Ok(Self {
            journal: Journal::open(path, record)?,
            tracker: Tracker::new(record),
        })
    }

    /// The writer of a save just created (see [`super::saves::create_journaled`]).
    pub(super) fn beside_new(
        path: &Path,
        record: &mut ExerciseRecord,
        snapshot_bytes: u64,
    ) -> std::io::Result<Self> {
        Ok(Self {
            journal: Journal::beside_new(path, record, snapshot_bytes)?,
            tracker: Tracker::new(record),
        })
    }

    /// The save file.
    pub fn path(&self) -> &Path {
        self.journal.path()
    }

    /// Saves what changed in `record` since the last save, stamped now.
    pub fn save(&mut self, record: &mut ExerciseRecord) -> std::io::Result<()> {
        let change = self.tracker.change(record, super::unix_now());
        self.journal.write(vec![change])
    }

    /// Folds the journal into the snapshot and leaves one file.
    pub fn finish(self) -> std::io::Result<()> {
        self.journal.finish()
    }

    /// Stops writing without folding: the journal stays beside the save and is read back with
    /// it, as after a crash.
    pub fn leave_as_is(mut self) {
        self.journal.finished = true;
    }
}

/// Writes one save's changes on a thread of its own, in the order they are sent, so that the
/// owner can let go of the record before the disk is done. Changes that arrive while one is being
/// synced are written and synced together.
#[derive(Debug)]
pub struct Lane {
    queue: Option<mpsc::Sender<(Change, mpsc::Sender<Result<(), String>>)>>,
    worker: Option<JoinHandle<std::io::Result<()>>>,
}

/// A change on its way to disk.
#[derive(Debug)]
pub struct Pending(mpsc::Receiver<Result<(), String>>);

impl Pending {
    /// Waits until the change is on disk; `Err` says why it is not.
    pub fn wait(self) -> Result<(), String> {
        self.0
            .recv()
            .unwrap_or_else(|_| Err("the save's writer stopped".into()))
    }
}

impl Lane {
    /// Starts the writer.
    pub fn start(mut journal: Journal) -> std::io::Result<Self> {
        let (queue, jobs) = mpsc::channel::<(Change, mpsc::Sender<Result<(), String>>)>();
        let worker = std::thread::Builder::new()
            .name("warroom-save".into())
            .spawn(move || {
                while let Ok(first) = jobs.recv() {
                    let batch: Vec<_> = std::iter::once(first).chain(jobs.try_iter()).collect();
                    let (changes, replies): (Vec<_>, Vec<_>) = batch.into_iter().unzip();
                    let result = journal.write(changes).map_err(|e| e.to_string());
                    for reply in replies {
                        let _ = reply.send(result.clone());
                    }
                }
                journal.finish()
            })?;
        Ok(Self {
            queue: Some(queue),
            worker: Some(worker),
        })
    }

    /// Queues a change behind every change sent before it.
    pub fn send(&self, change: Change) -> Pending {
        let (reply, answer) = mpsc::channel();
        if let Some(queue) = &self.queue {
            let _ = queue.send((change, reply));
        }
        Pending(answer)
    }

    /// Writes what is queued, folds the journal into the snapshot and stops.
    pub fn finish(mut self) -> std::io::Result<()> {
        self.stop()
    }

    fn stop(&mut self) -> std::io::Result<()> {
        self.queue = None;
        match self.worker.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(std::io::Error::other("the save's writer panicked")),
            None => Ok(()),
        }
    }
}

impl Drop for Lane {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

/// Why a journal could not be replayed onto its snapshot.
#[derive(Debug)]
pub enum ReplayError {
    /// A change starts past the end of the record: the snapshot was read before, and the
    /// journal after, its owner folded one into the other. Reading both again settles it.
    Gap(Diagnostic),
    /// The journal is damaged or unreadable.
    Damaged(Diagnostic),
}

impl ReplayError {
    /// What to tell the person.
    pub fn into_diagnostic(self) -> Diagnostic {
        match self {
            Self::Gap(d) | Self::Damaged(d) => d,
        }
    }
}

/// Replays the journal beside `save` (if any) onto the record read from its snapshot. A last
/// line with no line end was cut short by a crash before it was acknowledged, and is left out;
/// any other line that does not read is an error located in the journal.
pub fn replay(save: &Path, record: &mut ExerciseRecord) -> Result<(), ReplayError> {
    let path = journal_path(save);
    if fs::symlink_metadata(&path).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound) {
        return Ok(());
    }
    // Bounded, and refusing a folder, a pipe or a device in the journal's place.
    let mut bytes = read_written_bytes(&path).map_err(ReplayError::Damaged)?;
    bytes.truncate(bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1));
    let complete = Source::from_bytes(&path, bytes).map_err(ReplayError::Damaged)?;
    for (index, line) in complete.text.lines().enumerate() {
        let line_no = index + 1;
        let located = |mut d: Diagnostic| {
            d.line = line_no;
            d.column = d.column.max(1);
            d
        };
        let change: Change = Source::from_text(&path, line)
            .parse()
            .map_err(|d| ReplayError::Damaged(located(d)))?;
        if !change.follows(record) {
            return Err(ReplayError::Gap(
                located(Diagnostic::file_error(
                    Code::ParseError,
                    &path,
                    "this change starts past the end of the exercise saved before it: the \
                     journal belongs to another save, or lost lines",
                ))
                .with_hint("move the journal aside to open the save as its snapshot left it"),
            ));
        }
        change.apply_to(record);
    }
    Ok(())
}
