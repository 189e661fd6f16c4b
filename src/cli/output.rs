//! What every command shares about output: exit codes, the text/JSON switch, diagnostics written
//! with their source line, and small text helpers.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::ValueEnum;

use crate::engine::content::library::default_content_dir;
use crate::engine::content::load::Source;
use crate::engine::diagnostic::Diagnostic;

/// Exit code: everything valid / the run completed.
pub const EXIT_OK: u8 = 0;
/// Exit code: invalid content or script.
pub const EXIT_INVALID: u8 = 1;
/// Exit code: usage error (bad arguments, missing file).
pub const EXIT_USAGE: u8 = 2;

/// Output format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Human-readable.
    #[default]
    Text,
    /// Machine-readable JSON.
    Json,
}

pub(super) fn content_paths(paths: &[PathBuf]) -> Vec<PathBuf> {
    if paths.is_empty() {
        vec![default_content_dir()]
    } else {
        paths.to_vec()
    }
}

/// Writes located diagnostics, one per line, to the error stream.
pub fn write_diagnostics(err: &mut dyn Write, diagnostics: &[&Diagnostic]) -> std::io::Result<()> {
    for d in diagnostics {
        let source = Source::read(&d.file).ok();
        writeln!(
            err,
            "{}\n",
            d.render(source.as_ref().map(|s| s.text.as_str()))
        )?;
    }
    Ok(())
}

/// Writes a value as pretty JSON on its own line.
pub(super) fn write_json(
    out: &mut dyn Write,
    value: &impl serde::Serialize,
) -> std::io::Result<()> {
    writeln!(
        out,
        "{}",
        serde_json::to_string_pretty(value).unwrap_or_default()
    )
}

pub(super) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

pub(super) fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut t: String = text.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

/// Writes `text` to the file at `path`, refusing anything that is not a regular file: a named pipe
/// with no reader would hold the command forever, and a device is never what a person meant, so
/// outputs are held to the same rule as inputs.
pub(super) fn write_output_file(path: &Path, text: &str) -> std::io::Result<()> {
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() => Err(std::io::Error::other(
            "it is not a regular file (a folder, pipe, device or socket); name a file to write",
        )),
        _ => std::fs::write(path, text),
    }
}
