//! `warroom report` (the after-action report of a saved exercise) and `warroom resume`.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use serde_json::json;

use crate::engine::content::library::replay_failure;
use crate::engine::content::load::Source;
use crate::engine::exercise::ExerciseRecord;
use crate::engine::reports::aar::AfterActionReport;
use crate::engine::session::Session;
use crate::store::saves;

use super::output::{
    EXIT_INVALID, EXIT_OK, EXIT_USAGE, Format, write_diagnostics, write_json, write_output_file,
};
use super::scripted::load_matrix_and_scenario;

/// Report formats.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Markdown.
    #[default]
    Md,
    /// One self-contained HTML file.
    Html,
}

/// Options of `warroom report`.
#[derive(Debug, Clone, clap::Args)]
pub struct ReportArgs {
    /// Saved exercise: its id (as listed by `warroom resume --list`) or the path of its file;
    /// `organisation` for the organisation's report of every learner (always HTML).
    pub session: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: ReportFormat,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Folder of saved exercises (default: in the platform data directory).
    #[arg(long, value_name = "DIR")]
    pub saves: Option<PathBuf>,
    /// Another team's exercise of the same scenario and seed (`serve --teams`), to compare with;
    /// repeat for each team.
    #[arg(long, value_name = "SESSION")]
    pub compare: Vec<String>,
    /// `report organisation`: read the statements from the configured learning record store
    /// instead of the saves.
    #[arg(long)]
    pub lrs: bool,
    /// `report organisation`: the progress database that says whose each exercise was and holds
    /// the quiz answers (default: in the platform data directory).
    #[arg(long, value_name = "FILE")]
    pub db: Option<PathBuf>,
    /// `report organisation`: only what happened on or after this day (YYYY-MM-DD, UTC).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
}

/// Options of `warroom resume`.
#[derive(Debug, Clone, clap::Args)]
pub struct ResumeArgs {
    /// Saved exercise id or file (default: the most recent unfinished one).
    pub session: Option<String>,
    /// Folder of saved exercises (default: in the platform data directory).
    #[arg(long, value_name = "DIR")]
    pub saves: Option<PathBuf>,
    /// Only check that the save resumes and print where it stands; do not open the app.
    #[arg(long)]
    pub check: bool,
    /// List the saved exercises instead.
    #[arg(long)]
    pub list: bool,
    /// Output format for `--check` and `--list`.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// Loads a save and replays it; errors are written to `err` and returned as an exit code.
pub fn open_save(
    path: &Path,
    matrix_path: &Path,
    err: &mut dyn Write,
) -> std::io::Result<Result<(ExerciseRecord, Session), u8>> {
    if !path.exists() {
        writeln!(err, "warroom: no saved exercise at {}", path.display())?;
        return Ok(Err(EXIT_USAGE));
    }
    let record = match saves::load(path) {
        Ok(r) => r,
        Err(d) => {
            write_diagnostics(err, &[&d])?;
            writeln!(err, "warroom: the save was left untouched.")?;
            return Ok(Err(EXIT_INVALID));
        }
    };
    let (matrix, scenario) =
        match load_matrix_and_scenario(record.log.scenario.as_str(), None, matrix_path, err)? {
            Ok(loaded) => loaded,
            Err(code) => return Ok(Err(code)),
        };
    match record.resume(scenario, matrix) {
        Ok(session) => Ok(Ok((record, session))),
        Err(e) => {
            // Located at the log entry that does not replay, as `validate` reports it.
            match Source::read(path) {
                Ok(source) => write_diagnostics(err, &[&replay_failure(&source, &e)])?,
                Err(_) => writeln!(err, "warroom: {}: {e}", path.display())?,
            }
            Ok(Err(EXIT_INVALID))
        }
    }
}

/// Writes the after-action report.
pub fn report(
    args: &ReportArgs,
    matrix_path: &Path,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<u8> {
    let dir = args.saves.clone().unwrap_or_else(saves::default_dir);
    let path = saves::resolve(&dir, &args.session);
    let (record, session) = match open_save(&path, matrix_path, err)? {
        Ok(x) => x,
        Err(code) => return Ok(code),
    };
    let mut aar = AfterActionReport::build(&record, &session);
    if !args.compare.is_empty() {
        let mut others = Vec::new();
        for other in &args.compare {
            match open_save(&saves::resolve(&dir, other), matrix_path, err)? {
                Ok(opened) => others.push(opened),
                Err(code) => return Ok(code),
            }
        }
        let others: Vec<_> = others.iter().map(|(r, s)| (r, s)).collect();
        if let Err(problem) = aar.compare((&record, &session), &others) {
            writeln!(err, "warroom: {problem}")?;
            return Ok(EXIT_USAGE);
        }
    }
    let text = match args.format {
        ReportFormat::Md => aar.markdown(),
        ReportFormat::Html => aar.html(),
    };
    match &args.output {
        Some(file) => {
            if let Err(e) = write_output_file(file, &text) {
                writeln!(err, "warroom: cannot write {}: {e}", file.display())?;
                return Ok(EXIT_USAGE);
            }
            writeln!(out, "Wrote {}", file.display())?;
        }
        None => write!(out, "{text}")?,
    }
    Ok(EXIT_OK)
}

/// The save `warroom resume` means: the one named, else the most recent unfinished one.
pub fn pick_save(args: &ResumeArgs) -> Option<PathBuf> {
    let dir = args.saves.clone().unwrap_or_else(saves::default_dir);
    match &args.session {
        Some(s) => Some(saves::resolve(&dir, s)),
        None => saves::list(&dir)
            .into_iter()
            .find(|e| e.record.as_ref().is_ok_and(|r| !r.ended()))
            .map(|e| e.path),
    }
}

/// `warroom resume --check` and `--list`.
pub fn resume(
    args: &ResumeArgs,
    matrix_path: &Path,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<u8> {
    let dir = args.saves.clone().unwrap_or_else(saves::default_dir);
    if let Err(message) = saves::check_dir(&dir) {
        writeln!(err, "warroom: {message}")?;
        return Ok(EXIT_USAGE);
    }
    if args.list {
        // Each save is replayed as `--check` would, so the list never calls an unresumable save
        // healthy (a diverged log, an unknown scenario, another format).
        let rows: Vec<_> = saves::list(&dir)
            .into_iter()
            .map(|e| match e.record {
                Ok(r) => {
                    let mut reason = Vec::new();
                    let resumes = open_save(&e.path, matrix_path, &mut reason)
                        .ok()
                        .is_some_and(|opened| opened.is_ok());
                    let reason = String::from_utf8_lossy(&reason);
                    let reason = reason
                        .lines()
                        .find(|l| !l.trim().is_empty())
                        .unwrap_or("it does not replay")
                        .trim_start_matches("warroom: ");
                    // A located diagnostic's first line is `error[code]: message`: the message.
                    let reason = reason
                        .strip_prefix("error[")
                        .and_then(|rest| rest.split_once("]: "))
                        .map_or(reason, |(_, message)| message)
                        .to_owned();
                    let state = match (resumes, r.ended()) {
                        (false, _) => "cannot_resume",
                        (true, true) => "ended",
                        (true, false) => "resumable",
                    };
                    // Listed by the id `resume` opens it by: its file name.
                    let id = saves::id_of(&e.path);
                    let mut row = json!({
                        "id": id, "scenario": r.log.scenario, "mode": r.mode.label(),
                        "minute": r.minute(), "intents": r.log.entries.len(), "ended": r.ended(),
                        "state": state, "path": e.path,
                    });
                    if !resumes {
                        row["error"] = json!(reason);
                    }
                    if r.id != id {
                        row["recorded_id"] = json!(r.id);
                    }
                    row
                }
                Err(d) => json!({ "path": e.path, "state": "damaged", "error": d.to_string() }),
            })
            .collect();
        match args.format {
            Format::Json => write_json(out, &rows)?,
            Format::Text => {
                if rows.is_empty() {
                    writeln!(out, "No saved exercises in {}.", dir.display())?;
                }
                for r in &rows {
                    if r["state"] == "damaged" {
                        writeln!(
                            out,
                            "DAMAGED {}  {}",
                            r["path"].as_str().unwrap_or_default(),
                            crate::engine::diagnostic::printable(
                                r["error"].as_str().unwrap_or_default()
                            )
                        )?;
                    } else if r["state"] == "cannot_resume" {
                        writeln!(
                            out,
                            "CANNOT RESUME {}  {}",
                            r["id"].as_str().unwrap_or_default(),
                            crate::engine::diagnostic::printable(
                                r["error"].as_str().unwrap_or_default()
                            )
                        )?;
                    } else {
                        writeln!(
                            out,
                            "{:<40} {} minute {}, {} intents{}",
                            r["id"].as_str().unwrap_or_default(),
                            r["scenario"].as_str().unwrap_or_default(),
                            r["minute"],
                            r["intents"],
                            if r["ended"] == true { ", ended" } else { "" }
                        )?;
                    }
                }
            }
        }
        return Ok(EXIT_OK);
    }
    let Some(path) = pick_save(args) else {
        writeln!(
            err,
            "warroom: no unfinished exercise to resume in {}",
            dir.display()
        )?;
        return Ok(EXIT_USAGE);
    };
    let (record, session) = match open_save(&path, matrix_path, err)? {
        Ok(x) => x,
        Err(code) => return Ok(code),
    };
    match args.format {
        Format::Json => writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&json!({
                "id": record.id,
                "path": path,
                "scenario": record.log.scenario,
                "minute": session.minute(),
                "intents": record.log.entries.len(),
                "notes": record.notes.len(),
                "ended": session.ended(),
            }))
            .unwrap_or_default()
        )?,
        Format::Text => writeln!(
            out,
            "Exercise `{}` ({}) resumes at minute {} of {} with {} intents and {} observer notes{}.",
            record.id,
            session.scenario().title,
            session.minute(),
            session.scenario().duration_mins,
            record.log.entries.len(),
            record.notes.len(),
            if session.ended() {
                "; it has ended"
            } else {
                ""
            }
        )?,
    }
    Ok(EXIT_OK)
}
