//! The headless command line: `validate`, `list`, `play`, `replay`, `quiz`, `progress`. Every
//! command reads and writes the streams it is given and returns the process exit code, so tests run
//! it in-process.
#![expect(
    clippy::print_stderr,
    reason = "the CLI reports its own failure to write its output"
)]

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::{Parser, Subcommand, ValueEnum};
use serde_json::json;

use crate::engine::Matrix;
use crate::engine::diagnostic::{Diagnostic, error_count};
use crate::engine::exercise::ExerciseRecord;
use crate::engine::library::{
    Library, LoadedScenario, default_content_dir, default_matrix_path, load_matrix, load_scenario,
};
use crate::engine::load::{FileKind, Source, ron_files_in};
use crate::engine::report::scorecard_text;
use crate::engine::scenario::{Mode, Scenario};
use crate::engine::scoring::score;
use crate::engine::script::{self, Decisions};
use crate::engine::session::{Session, SessionLog};

mod exercise;
mod learner;

pub use exercise::{ReportArgs, ReportFormat, ResumeArgs, pick_save};
pub use learner::{ProgressArgs, QuizArgs, parse_answer};

/// Exit code: everything valid / the run completed.
pub const EXIT_OK: u8 = 0;
/// Exit code: invalid content or script.
pub const EXIT_INVALID: u8 = 1;
/// Exit code: usage error (bad arguments, missing file).
pub const EXIT_USAGE: u8 = 2;

/// Warroom: tabletop exercises for security incident response.
#[derive(Debug, Parser)]
#[command(name = "warroom", version, about, long_about = None)]
pub struct Cli {
    /// What to do; without a command the desktop app opens.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Responsibility matrix to grade against (default: scenarios/responsibilities.ron).
    #[arg(long, global = true, value_name = "FILE")]
    pub matrix: Option<PathBuf>,
    /// Desktop app: start straight in this scenario (id).
    #[arg(long, value_name = "ID")]
    pub scenario: Option<String>,
    /// Desktop app: mode to start the scenario in.
    #[arg(long, value_enum)]
    pub mode: Option<ModeArg>,
    /// Desktop app: seed for the scenario's random variations.
    #[arg(long)]
    pub seed: Option<u64>,
}

/// Play modes as command-line values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ModeArg {
    /// One learner, immediate explained feedback.
    Practice,
    /// Real-time clock, feedback at the end.
    Drill,
    /// The facilitator console.
    Facilitated,
}

impl From<ModeArg> for Mode {
    fn from(mode: ModeArg) -> Self {
        match mode {
            ModeArg::Practice => Self::Practice,
            ModeArg::Drill => Self::Drill,
            ModeArg::Facilitated => Self::Facilitated,
        }
    }
}

/// Output format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Human-readable.
    #[default]
    Text,
    /// Machine-readable JSON.
    Json,
}

/// Headless commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check scenario and matrix files; exit 0 when all are valid, 1 otherwise.
    Validate {
        /// Files or directories (default: scenarios/).
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// List the scenarios with title, difficulty, duration, modes and inject count.
    List {
        /// Files or directories (default: scenarios/).
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Play a scripted decisions file through a scenario and print the scorecard.
    Play {
        /// Scenario id (looked up in scenarios/) or path to a scenario file.
        scenario: String,
        /// The scripted intents (a `Decisions(...)` RON file).
        #[arg(long, value_name = "FILE")]
        decisions: PathBuf,
        /// Seed for random variations (default: the script's, else 0).
        #[arg(long)]
        seed: Option<u64>,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
        /// Also save the session log here, for `warroom replay`.
        #[arg(long, value_name = "FILE")]
        save_log: Option<PathBuf>,
        /// Record the run in the progress database for this learner profile.
        #[arg(long, value_name = "PROFILE")]
        record: Option<String>,
        /// Progress database for `--record` (default: in the platform data directory).
        #[arg(long, value_name = "FILE")]
        db: Option<PathBuf>,
        /// Save the exercise under this id after every accepted intent (as the app does), printing
        /// `acknowledged N` once intent N is safely on disk.
        #[arg(long, value_name = "ID")]
        session: Option<String>,
        /// Folder for `--session` saves (default: in the platform data directory).
        #[arg(long, value_name = "DIR")]
        saves: Option<PathBuf>,
        /// Pause between intents (milliseconds), to watch or interrupt a `--session` run.
        #[arg(long, default_value_t = 0)]
        step_delay_ms: u64,
    },
    /// Re-score a saved session log.
    Replay {
        /// The session log (`SessionLog(...)` RON file).
        log: PathBuf,
        /// Where to find the scenario (default: scenarios/).
        #[arg(long, value_name = "DIR")]
        scenarios: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Practise exam-style questions in the terminal; missed ones come back (spaced repetition).
    Quiz(QuizArgs),
    /// Show a learner's progress per dimension and role, weakest areas and what to do next.
    Progress(ProgressArgs),
    /// Write the after-action report / improvement plan of a saved exercise.
    Report(ReportArgs),
    /// Bring back a saved exercise (opens the app; `--check` or `--list` only print).
    Resume(ResumeArgs),
}

/// Runs a headless command that needs no input.
pub fn run(cmd: &Command, matrix: Option<&Path>, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    run_interactive(cmd, matrix, &mut std::io::empty(), out, err)
}

/// Runs a headless command, reading answers (for `quiz`) from `input`.
pub fn run_interactive(
    cmd: &Command,
    matrix: Option<&Path>,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let matrix_path = matrix.map_or_else(default_matrix_path, Path::to_path_buf);
    let result = match cmd {
        Command::Validate { paths, format } => validate(paths, &matrix_path, *format, out, err),
        Command::List { paths, format } => list(paths, &matrix_path, *format, out, err),
        Command::Play {
            scenario,
            decisions,
            seed,
            format,
            save_log,
            record,
            db,
            session,
            saves,
            step_delay_ms,
        } => play(
            scenario,
            decisions,
            *seed,
            &matrix_path,
            *format,
            save_log.as_deref(),
            record.as_deref().map(|profile| (profile, db.as_deref())),
            session.as_deref().map(|id| SaveTo {
                id,
                dir: saves
                    .clone()
                    .unwrap_or_else(crate::store::saves::default_dir),
                delay: std::time::Duration::from_millis(*step_delay_ms),
            }),
            out,
            err,
        ),
        Command::Replay {
            log,
            scenarios,
            format,
        } => replay(log, scenarios.as_deref(), &matrix_path, *format, out, err),
        Command::Quiz(args) => learner::quiz(args, &matrix_path, input, out, err),
        Command::Progress(args) => learner::progress(args, &matrix_path, out, err),
        Command::Report(args) => exercise::report(args, &matrix_path, out, err),
        Command::Resume(args) => exercise::resume(args, &matrix_path, out, err),
    };
    result.unwrap_or_else(|e| {
        eprintln!("warroom: cannot write output: {e}");
        EXIT_USAGE
    })
}

fn content_paths(paths: &[PathBuf]) -> Vec<PathBuf> {
    if paths.is_empty() {
        vec![default_content_dir()]
    } else {
        paths.to_vec()
    }
}

fn write_diagnostics(err: &mut dyn Write, diagnostics: &[&Diagnostic]) -> std::io::Result<()> {
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

fn validate(
    paths: &[PathBuf],
    matrix_path: &Path,
    format: Format,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<u8> {
    let paths = content_paths(paths);
    if let Some(missing) = paths.iter().find(|p| !p.exists()) {
        writeln!(
            err,
            "warroom: no such file or directory: {}",
            missing.display()
        )?;
        return Ok(EXIT_USAGE);
    }
    let library = Library::load(&paths, matrix_path);
    let diagnostics = library.diagnostics();
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let valid = library.is_valid();
    match format {
        Format::Json => {
            let value = json!({
                "valid": valid,
                "matrix": matrix_path,
                "scenarios": library.scenarios.len(),
                "question_sets": library.question_sets.len(),
                "questions": library.questions().count(),
                "errors": errors,
                "warnings": warnings,
                "diagnostics": diagnostics,
            });
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&value).unwrap_or_default()
            )?;
        }
        Format::Text => {
            write_diagnostics(err, &diagnostics)?;
            if let Some(m) = &library.matrix {
                writeln!(
                    out,
                    "ok      {} (matrix `{}`)",
                    m.path.display(),
                    m.matrix.id
                )?;
            }
            for s in &library.scenarios {
                writeln!(
                    out,
                    "ok      {} (scenario `{}`)",
                    s.path.display(),
                    s.scenario.id
                )?;
            }
            for q in &library.question_sets {
                writeln!(
                    out,
                    "ok      {} (question set `{}`, {} questions)",
                    q.path.display(),
                    q.set.id,
                    q.set.questions.len()
                )?;
            }
            for f in &library.invalid {
                let n = error_count(&f.diagnostics);
                writeln!(out, "INVALID {} ({n} error{})", f.path.display(), plural(n))?;
            }
            if library.matrix.is_none() {
                writeln!(
                    out,
                    "INVALID {} (matrix; scenarios were not checked)",
                    matrix_path.display()
                )?;
            }
            writeln!(
                out,
                "\n{} scenario{} and {} question{} valid, {errors} error{}, {warnings} warning{}",
                library.scenarios.len(),
                plural(library.scenarios.len()),
                library.questions().count(),
                plural(library.questions().count()),
                plural(errors),
                plural(warnings)
            )?;
        }
    }
    Ok(if valid { EXIT_OK } else { EXIT_INVALID })
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn list(
    paths: &[PathBuf],
    matrix_path: &Path,
    format: Format,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<u8> {
    let library = Library::load(&content_paths(paths), matrix_path);
    if library.matrix.is_none() {
        write_diagnostics(err, &library.diagnostics())?;
        return Ok(EXIT_INVALID);
    }
    let rows: Vec<_> = library
        .scenarios
        .iter()
        .map(|s| {
            let sc = &s.scenario;
            json!({
                "id": sc.id,
                "title": sc.title,
                "difficulty": sc.difficulty.label(),
                "duration_mins": sc.duration_mins,
                "modes": sc.modes.iter().map(|m| m.label()).collect::<Vec<_>>(),
                "injects": sc.injects.len(),
                "path": s.path,
            })
        })
        .collect();
    match format {
        Format::Json => writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&rows).unwrap_or_default()
        )?,
        Format::Text => {
            let id_width = library
                .scenarios
                .iter()
                .map(|s| s.scenario.id.as_str().chars().count())
                .max()
                .unwrap_or(2)
                .max(2);
            writeln!(
                out,
                "{:<id_width$} {:<48} {:<13} {:>5} {:<30} {:>7}",
                "ID", "TITLE", "DIFFICULTY", "MINS", "MODES", "INJECTS"
            )?;
            for s in &library.scenarios {
                let sc = &s.scenario;
                let modes: Vec<&str> = sc.modes.iter().map(|m| m.label()).collect();
                writeln!(
                    out,
                    "{:<id_width$} {:<48} {:<13} {:>5} {:<30} {:>7}",
                    sc.id.as_str(),
                    truncate(&sc.title, 48),
                    sc.difficulty.label(),
                    sc.duration_mins,
                    modes.join(", "),
                    sc.injects.len()
                )?;
            }
            if !library.invalid.is_empty() {
                writeln!(
                    out,
                    "\n{} file{} could not be loaded; run `warroom validate` for details.",
                    library.invalid.len(),
                    plural(library.invalid.len())
                )?;
            }
        }
    }
    Ok(EXIT_OK)
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut t: String = text.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

/// Finds a scenario by path or by id in `dir`; `Err` is a usage error message.
fn find_scenario(
    spec: &str,
    dir: Option<&Path>,
    matrix: &Matrix,
) -> Result<Result<LoadedScenario, Vec<Diagnostic>>, String> {
    let as_path = Path::new(spec);
    if as_path.is_file() {
        return Ok(load_scenario(as_path, matrix));
    }
    let dir = dir.map_or_else(default_content_dir, Path::to_path_buf);
    let mut known = Vec::new();
    for file in ron_files_in(&dir).unwrap_or_default() {
        let Ok(source) = Source::read(&file) else {
            continue;
        };
        if source.kind() != FileKind::Scenario {
            continue;
        }
        let Ok(scenario) = source.parse::<Scenario>() else {
            continue;
        };
        if scenario.id.as_str() == spec {
            return Ok(crate::engine::library::scenario_from_source(
                &source, matrix,
            ));
        }
        known.push(scenario.id.to_string());
    }
    Err(format!(
        "no scenario `{spec}` in {} (known: {})",
        dir.display(),
        known.join(", ")
    ))
}

/// Loads the matrix and finds the scenario, reporting problems; `Err` carries the exit code.
fn load_matrix_and_scenario(
    spec: &str,
    dir: Option<&Path>,
    matrix_path: &Path,
    err: &mut dyn Write,
) -> std::io::Result<Result<(Arc<Matrix>, Arc<Scenario>), u8>> {
    let matrix = match load_matrix(matrix_path) {
        Ok(m) => m.matrix,
        Err(d) => {
            write_diagnostics(err, &d.iter().collect::<Vec<_>>())?;
            return Ok(Err(EXIT_INVALID));
        }
    };
    match find_scenario(spec, dir, &matrix) {
        Err(message) => {
            writeln!(err, "warroom: {message}")?;
            Ok(Err(EXIT_USAGE))
        }
        Ok(Err(d)) => {
            write_diagnostics(err, &d.iter().collect::<Vec<_>>())?;
            Ok(Err(EXIT_INVALID))
        }
        Ok(Ok(s)) => Ok(Ok((matrix, s.scenario))),
    }
}

#[expect(clippy::too_many_arguments, reason = "one argument per CLI flag")]
fn play(
    scenario_spec: &str,
    decisions_path: &Path,
    seed: Option<u64>,
    matrix_path: &Path,
    format: Format,
    save_log: Option<&Path>,
    record: Option<(&str, Option<&Path>)>,
    save_to: Option<SaveTo<'_>>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<u8> {
    let (matrix, scenario) = match load_matrix_and_scenario(scenario_spec, None, matrix_path, err)?
    {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    if !decisions_path.exists() {
        writeln!(err, "warroom: no such file: {}", decisions_path.display())?;
        return Ok(EXIT_USAGE);
    }
    let parsed = Source::read(decisions_path).and_then(|src| {
        let decisions: Decisions = src.parse()?;
        Ok((src, decisions))
    });
    let (source, decisions) = match parsed {
        Ok(x) => x,
        Err(d) => {
            write_diagnostics(err, &[&d])?;
            return Ok(EXIT_INVALID);
        }
    };
    let seed = seed.or(decisions.seed).unwrap_or(0);
    let mut save_error = None;
    let started = crate::store::unix_now();
    let mut after_each = |session: &Session| {
        let Some(to) = &save_to else { return };
        if save_error.is_some() {
            return;
        }
        let mut record = ExerciseRecord::new(to.id, Mode::Practice, started, session);
        record.updated_at = crate::store::unix_now();
        let path = crate::store::saves::path_of(&to.dir, to.id);
        match crate::store::saves::save_atomic(&record, &path) {
            Ok(()) => {
                // Only now is the intent safe: a crash after this line loses nothing.
                let _ = writeln!(out, "acknowledged {}", session.log().entries.len());
                let _ = out.flush();
            }
            Err(e) => save_error = Some(format!("cannot save {}: {e}", path.display())),
        }
        std::thread::sleep(to.delay);
    };
    let result = script::run_observed(scenario, matrix, &decisions, seed, &source, &mut after_each);
    if let Some(e) = save_error {
        writeln!(err, "warroom: {e}")?;
        return Ok(EXIT_USAGE);
    }
    let session = match result {
        Ok(s) => s,
        Err(d) => {
            write_diagnostics(err, &[&d])?;
            return Ok(EXIT_INVALID);
        }
    };
    if let Some(path) = save_log
        && let Err(e) = save_session_log(session.log(), path)
    {
        writeln!(
            err,
            "warroom: cannot save the session log to {}: {e}",
            path.display()
        )?;
        return Ok(EXIT_USAGE);
    }
    print_scorecard(&session, format, out)?;
    if let Some((profile, db)) = record {
        let path = db.map_or_else(crate::store::progress::default_path, Path::to_path_buf);
        let recorded = crate::store::ProgressDb::open(&path, profile).and_then(|mut db| {
            db.record_run(&score(&session), "scripted", crate::store::unix_now())
        });
        if let Err(e) = recorded {
            writeln!(err, "warroom: the run was not recorded: {e}")?;
            return Ok(EXIT_INVALID);
        }
    }
    Ok(EXIT_OK)
}

fn print_scorecard(session: &Session, format: Format, out: &mut dyn Write) -> std::io::Result<()> {
    let card = score(session);
    match format {
        Format::Json => writeln!(out, "{}", card.to_json()),
        Format::Text => write!(out, "{}", scorecard_text(&card, session)),
    }
}

/// Where `play --session` saves.
struct SaveTo<'a> {
    id: &'a str,
    dir: PathBuf,
    delay: std::time::Duration,
}

/// Serialises a session log as RON.
pub fn session_log_ron(log: &SessionLog) -> Result<String, ron::Error> {
    let config = ron::ser::PrettyConfig::new().struct_names(true);
    ron::ser::to_string_pretty(log, config)
}

fn save_session_log(log: &SessionLog, path: &Path) -> std::io::Result<()> {
    let text = session_log_ron(log).map_err(std::io::Error::other)?;
    std::fs::write(path, text)
}

fn replay(
    log_path: &Path,
    scenarios: Option<&Path>,
    matrix_path: &Path,
    format: Format,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<u8> {
    if !log_path.exists() {
        writeln!(err, "warroom: no such file: {}", log_path.display())?;
        return Ok(EXIT_USAGE);
    }
    let log: SessionLog = match Source::read(log_path).and_then(|s| s.parse()) {
        Ok(l) => l,
        Err(d) => {
            write_diagnostics(err, &[&d])?;
            return Ok(EXIT_INVALID);
        }
    };
    let (matrix, scenario) =
        match load_matrix_and_scenario(log.scenario.as_str(), scenarios, matrix_path, err)? {
            Ok(loaded) => loaded,
            Err(code) => return Ok(code),
        };
    if log.matrix != matrix.id {
        writeln!(
            err,
            "warroom: note: the log was recorded against matrix `{}`; re-scoring against `{}`",
            log.matrix, matrix.id
        )?;
    }
    match Session::replay(scenario, Arc::clone(&matrix), &log) {
        Ok(session) => {
            print_scorecard(&session, format, out)?;
            Ok(EXIT_OK)
        }
        Err(e) => {
            writeln!(err, "warroom: {}: {e}", log_path.display())?;
            Ok(EXIT_INVALID)
        }
    }
}
