//! What every command shares about output: exit codes, the text/JSON switch, diagnostics written
//! with their source line, and small text helpers.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::ValueEnum;

use crate::engine::content::library::default_content_dir;
use crate::engine::content::load::{LineIndex, Source};
use crate::engine::diagnostic::Diagnostic;

/// Exit code: everything valid / the run completed.
pub const EXIT_OK: u8 = 0;
/// Exit code: invalid content or script.
pub const EXIT_INVALID: u8 = 1;
/// Exit code: usage error (bad arguments, missing file).
pub const EXIT_USAGE: u8 = 2;
/// The system refused what was asked (a port taken, a file that cannot be written).
pub const EXIT_SYSTEM: u8 = 3;

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

/// Most diagnostics of one file written as text: past them, a count. A file with thousands of
/// errors has one mistake repeated, and JSON output carries them all.
pub const MAX_SHOWN_PER_FILE: usize = 200;

/// Writes located diagnostics, each with its source line, to the error stream: each file is read
/// and split into lines once, and at most [`MAX_SHOWN_PER_FILE`] of a file's are shown.
pub fn write_diagnostics(err: &mut dyn Write, diagnostics: &[&Diagnostic]) -> std::io::Result<()> {
    let mut sources: HashMap<&Path, Option<(Source, LineIndex)>> = HashMap::new();
    let mut shown: HashMap<&Path, usize> = HashMap::new();
    let mut held_back: Vec<(&Path, usize)> = Vec::new();
    for d in diagnostics {
        let count = shown.entry(d.file.as_path()).or_default();
        *count += 1;
        if *count > MAX_SHOWN_PER_FILE {
            match held_back
                .iter_mut()
                .find(|(file, _)| *file == d.file.as_path())
            {
                Some((_, n)) => *n += 1,
                None => held_back.push((d.file.as_path(), 1)),
            }
            continue;
        }
        let source = sources.entry(d.file.as_path()).or_insert_with(|| {
            Source::read(&d.file).ok().map(|s| {
                let index = LineIndex::new(&s.text);
                (s, index)
            })
        });
        let line = source
            .as_ref()
            .and_then(|(s, index)| index.line(&s.text, d.line));
        writeln!(err, "{}\n", d.render_line(line))?;
    }
    for (file, n) in held_back {
        writeln!(
            err,
            "… and {n} more in {}, not shown (`--format json` lists every one).\n",
            crate::engine::text::escape_for_terminal(&file.display().to_string())
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
/// What an import or derivation produced, to be written or not.
pub(super) struct Produced<'a> {
    /// What it is, in words: "the plan the sheet makes".
    pub what: &'a str,
    /// Errors found in it.
    pub errors: usize,
    /// Write nothing.
    pub dry_run: bool,
    /// Output format.
    pub format: Format,
    /// Where it goes.
    pub target: &'a Path,
    /// Its bytes.
    pub text: &'a str,
    /// The line said once it is written ("wrote plan.ron").
    pub wrote: String,
}

/// The end of an import: nothing written when what it made does not validate or on a dry run,
/// else the file written and said so.
pub(super) fn write_produced(
    produced: &Produced<'_>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<u8> {
    let errors = produced.errors;
    if errors > 0 {
        writeln!(
            err,
            "warroom: {} does not validate ({errors} error{}); nothing was written",
            produced.what,
            if errors == 1 { "" } else { "s" }
        )?;
        return Ok(EXIT_INVALID);
    }
    if produced.dry_run {
        if produced.format == Format::Text {
            writeln!(out, "Dry run: nothing written.")?;
        }
        return Ok(EXIT_OK);
    }
    if let Err(e) = write_output_file(produced.target, produced.text) {
        writeln!(
            err,
            "warroom: cannot write {}: {e}",
            produced.target.display()
        )?;
        return Ok(EXIT_USAGE);
    }
    if produced.format == Format::Text {
        writeln!(out, "{}", produced.wrote)?;
    }
    Ok(EXIT_OK)
}

pub(super) fn write_output_file(path: &Path, text: impl AsRef<[u8]>) -> std::io::Result<()> {
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() => Err(std::io::Error::other(
            "it is not a regular file (a folder, pipe, device or socket); name a file to write",
        )),
        _ => std::fs::write(path, text),
    }
}
