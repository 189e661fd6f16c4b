//! Writing a whole record to a file so that a crash at any moment leaves either the old file or
//! the new one, never a mixture; never more than Warroom reads back.

use std::fs::{self, File};
use std::io::Write as _;
use std::path::Path;

use crate::engine::content::load::MAX_RECORD_BYTES;
use crate::engine::exercise::ExerciseRecord;

/// Serialises a record as RON.
pub fn to_ron(record: &ExerciseRecord) -> Result<String, ron::Error> {
    let config = ron::ser::PrettyConfig::new().struct_names(true);
    ron::ser::to_string_pretty(record, config)
}

/// Refuses to write a save or session log Warroom could not read back: past
/// [`MAX_RECORD_BYTES`], the write fails and nothing is acknowledged.
pub fn fits_read_limit(text: &str) -> std::io::Result<()> {
    record_len_fits(text.len() as u64)
}

pub(super) fn record_len_fits(len: u64) -> std::io::Result<()> {
    if len > MAX_RECORD_BYTES {
        return Err(std::io::Error::other(format!(
            "it would be {len} bytes, past the {MAX_RECORD_BYTES} bytes (256 MiB) Warroom reads back; \
             end this exercise and start another"
        )));
    }
    Ok(())
}

/// Writes `record` to `path` atomically (temporary file, fsync, rename, fsync of the folder);
/// returns the bytes written. A journal beside it (see [`super::journal`]) is left alone: only
/// the save's owner may change it.
pub fn save_atomic(record: &ExerciseRecord, path: &Path) -> std::io::Result<u64> {
    let text = to_ron(record).map_err(std::io::Error::other)?;
    fits_read_limit(&text)?;
    write_atomic(path, &text)?;
    Ok(text.len() as u64)
}

/// Writes `text` to `path` so that a crash at any moment leaves the old file or the new one:
/// a temporary file beside it, synced, renamed over it, and the folder synced.
pub fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    fs::create_dir_all(dir)?;
    let file_name = path
        .file_name()
        .map_or_else(|| "session".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{file_name}.{}.tmp", std::process::id()));
    let written = File::create(&tmp).and_then(|mut file| {
        file.write_all(text.as_bytes())?;
        file.sync_all()
    });
    if let Err(e) = written {
        // A full disk must not leave a partial file behind.
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    if let Err(e) = fs::rename(&tmp, path) {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    // The rename itself is durable only once the directory entry is on disk.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}
