//! Saved exercises: one RON file per exercise in `<data dir>/sessions/`, written whole by writing a
//! temporary file, syncing it and renaming it over the old one, so a crash at any moment leaves
//! either the previous file or the new one, never a mixture. While an exercise runs, its changes go
//! to a journal beside the file ([`super::journal`]), which reading a save replays.

use std::fs;
use std::path::{Path, PathBuf};

use crate::engine::content::load::Source;
use crate::engine::diagnostic::{Code, Diagnostic};
use crate::engine::exercise::ExerciseRecord;

pub use super::snapshot::{fits_read_limit, save_atomic, to_ron};

/// Folder of saved exercises inside the data directory.
pub const SESSIONS_DIR: &str = "sessions";

/// Where saves live by default.
pub fn default_dir() -> PathBuf {
    super::data_dir().join(SESSIONS_DIR)
}

/// Longest exercise id accepted.
pub const MAX_ID_CHARS: usize = 100;

/// Checks an exercise id given by a person (`play --session ID`): letters, digits, `-`, `_` and
/// `.`, not starting with `.` nor ending in `.ron`, at most [`MAX_ID_CHARS`]. Anything else could
/// name a hidden file or a file outside the saves folder, or would not round-trip: the save of id
/// `x` is `x.ron`, and `resume x` and `resume --list` both name it `x`.
pub fn check_id(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err("the session id is empty".into());
    }
    if id.chars().count() > MAX_ID_CHARS {
        return Err(format!(
            "the session id is longer than {MAX_ID_CHARS} characters"
        ));
    }
    if id.starts_with('.') {
        return Err("a session id cannot start with '.'".into());
    }
    // An id ending in `.ron` would be saved as `x.ron.ron`, and `resume x.ron` reads it as a path.
    if let Some(stem) = id
        .len()
        .checked_sub(4)
        .filter(|&cut| id.is_char_boundary(cut) && id[cut..].eq_ignore_ascii_case(".ron"))
        .map(|cut| &id[..cut])
    {
        return Err(format!(
            "a session id names a save, not its file: leave out `.ron` (`{stem}`)"
        ));
    }
    if let Some(c) = id
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        return Err(format!(
            "a session id may hold letters, digits, '-', '_' and '.', not {c:?}"
        ));
    }
    Ok(())
}

/// Checks that a saves folder can be one: missing is fine (it is created on the first save), a
/// file or anything else that is not a folder is said in words.
pub fn check_dir(dir: &Path) -> Result<(), String> {
    match fs::metadata(dir) {
        Ok(meta) if !meta.is_dir() => Err(format!(
            "the saves folder {} is a file, not a folder; pass a folder to --saves",
            dir.display()
        )),
        _ => Ok(()),
    }
}

/// The id `resume` opens a save by: its file name without `.ron`, whatever id the record inside
/// says (a save copied under another name is listed, and opened, by its new name).
pub fn id_of(path: &Path) -> String {
    path.file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned())
}

/// The save file of an exercise id inside `dir`.
pub fn path_of(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("{id}.ron"))
}

/// Removes the temporary files that processes killed mid-save left in `dir` (named
/// `.<save>.<pid>.tmp`); those of a process still running are left alone.
pub fn remove_stale_temp_files(dir: &Path) {
    let Ok(read) = fs::read_dir(dir) else {
        return;
    };
    for entry in read.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix('.')
            .and_then(|n| n.strip_suffix(".tmp"))
            .and_then(|n| n.rsplit_once('.'))
            .and_then(|(save, pid)| {
                Path::new(save)
                    .extension()
                    .is_some_and(|x| x == "ron")
                    .then_some(pid)
            })
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if !process_may_be_running(pid) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Whether process `pid` may still be running: on Linux, whether it is in `/proc`; elsewhere
/// assumed so, as there is no portable way to tell (its files are then left).
fn process_may_be_running(pid: u32) -> bool {
    let proc_dir = Path::new("/proc");
    if proc_dir.join("self").exists() {
        pid == std::process::id() || proc_dir.join(pid.to_string()).exists()
    } else {
        true
    }
}

/// Creates the save of a new exercise: reserves a file no other exercise has (the record's id, or
/// the id with `-2`, `-3`… appended when taken, even by another process at the same second) and
/// writes the record into it. The record's id is updated to the one reserved.
pub fn create(dir: &Path, record: &mut ExerciseRecord) -> std::io::Result<PathBuf> {
    create_sized(dir, record).map(|(path, _)| path)
}

/// [`create`], and the save's writer from then on (see [`super::journal`]).
pub fn create_journaled(
    dir: &Path,
    record: &mut ExerciseRecord,
) -> std::io::Result<super::journal::SaveFile> {
    let (path, bytes) = create_sized(dir, record)?;
    super::journal::SaveFile::beside_new(&path, record, bytes)
}

/// [`create`], also saying how many bytes the save holds.
fn create_sized(dir: &Path, record: &mut ExerciseRecord) -> std::io::Result<(PathBuf, u64)> {
    fs::create_dir_all(dir)?;
    remove_stale_temp_files(dir);
    let base = record.id.clone();
    for n in 1_u32.. {
        let id = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        let path = path_of(dir, &id);
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(_) => {
                record.id = id;
                // A journal left by an exercise that had this id before is not this one's.
                let _ = fs::remove_file(super::journal::journal_path(&path));
                return match save_atomic(record, &path) {
                    Ok(bytes) => Ok((path, bytes)),
                    Err(e) => {
                        // An empty reserved file would be listed as a damaged save.
                        let _ = fs::remove_file(&path);
                        Err(e)
                    }
                };
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("no free save name"))
}

/// Reads a save: its snapshot and the journal of changes since, if any. A damaged or truncated
/// file gives a located diagnostic and is left alone.
pub fn load(path: &Path) -> Result<ExerciseRecord, Diagnostic> {
    // A save being written may fold its journal between the two reads; reading again settles it.
    let mut attempts = 3;
    loop {
        let mut record = load_snapshot(path)?;
        match super::journal::replay(path, &mut record) {
            Ok(()) => return Ok(record),
            Err(super::journal::ReplayError::Gap(_)) if attempts > 1 => attempts -= 1,
            Err(e) => return Err(e.into_diagnostic()),
        }
    }
}

fn load_snapshot(path: &Path) -> Result<ExerciseRecord, Diagnostic> {
    let source = Source::read(path)?;
    let record: ExerciseRecord = source.parse()?;
    if record.format_version != crate::engine::exercise::RECORD_FORMAT {
        return Err(Diagnostic::file_error(
            Code::UnsupportedSave,
            path,
            format!(
                "saved with record format {} (this build reads format {})",
                record.format_version,
                crate::engine::exercise::RECORD_FORMAT
            ),
        ));
    }
    Ok(record)
}

/// One file in the saves folder.
#[derive(Debug)]
pub struct SaveEntry {
    /// The file.
    pub path: PathBuf,
    /// Its content, or why it cannot be read.
    pub record: Result<ExerciseRecord, Diagnostic>,
}

/// Every save in `dir`, most recently changed first; unreadable ones are listed with their error.
pub fn list(dir: &Path) -> Vec<SaveEntry> {
    remove_stale_temp_files(dir);
    let Ok(read) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut entries: Vec<SaveEntry> = read
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .map(|path| SaveEntry {
            record: load(&path),
            path,
        })
        .collect();
    entries.sort_by_key(|e| {
        std::cmp::Reverse(
            e.record
                .as_ref()
                .map_or(i64::MIN, |r| r.updated_at.max(r.started_at)),
        )
    });
    entries
}

/// Finds a save by id or path.
pub fn resolve(dir: &Path, id_or_path: &str) -> PathBuf {
    let as_path = PathBuf::from(id_or_path);
    if as_path.is_file()
        || as_path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("ron"))
    {
        as_path
    } else {
        path_of(dir, id_or_path)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn nothing_is_written_past_what_is_read_back() {
        use crate::store::snapshot::record_len_fits;
        assert!(record_len_fits(crate::engine::content::load::MAX_RECORD_BYTES).is_ok());
        let refused =
            record_len_fits(crate::engine::content::load::MAX_RECORD_BYTES + 1).unwrap_err();
        assert!(refused.to_string().contains("256 MiB"), "{refused}");
    }
}
