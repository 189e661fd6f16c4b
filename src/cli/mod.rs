//! The headless command line: `validate`, `list`, `play`, `replay`, `quiz`, `progress`. Every
//! command reads and writes the streams it is given and returns the process exit code, so tests run
//! it in-process.
#![expect(
    clippy::print_stderr,
    reason = "the CLI reports its own failure to write its output"
)]

mod content;
mod derive;
mod diff;
mod exercise;
mod learner;
mod lrs_cli;
mod msel_cli;
mod org_report;
mod output;
mod scripted;
mod sheets;
mod solve;
mod terminal;

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};

pub use derive::DeriveCommand;
pub use diff::{DiffArgs, DiffFormat, EXIT_VERDICTS_CHANGED};
pub use exercise::{ReportArgs, ReportFormat, ResumeArgs, pick_save};
pub use learner::{ProgressArgs, QuizArgs, parse_answer};
pub use lrs_cli::{LrsCommand, PushArgs};
pub use output::{EXIT_INVALID, EXIT_OK, EXIT_SYSTEM, EXIT_USAGE, Format, write_diagnostics};
pub use sheets::{ExportCommand, ImportCommand};
pub use solve::{EXIT_UNMET, ScriptCommand, SolveArgs};
pub use terminal::{TerminalSafe, escape_for_terminal};

use crate::engine::content::library::default_matrix_path;
use crate::engine::model::scenario::Mode;

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
    /// Desktop app: drive the window through a screenshot tour file (see `.ci/tour.ron`).
    #[arg(long, value_name = "FILE", env = "WARROOM_TOUR", hide = true)]
    pub tour: Option<PathBuf>,
}

/// What the `warroom` binary does with its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Launch {
    /// Run the headless command.
    Headless,
    /// Open the desktop app.
    App(AppRequest),
}

/// What the desktop app is asked to open, in the command line's terms.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppRequest {
    /// Start straight in this scenario.
    pub scenario: Option<String>,
    /// In this mode.
    pub mode: Option<Mode>,
    /// With this seed.
    pub seed: Option<u64>,
    /// Resume this saved exercise.
    pub resume: Option<PathBuf>,
    /// Grade against this matrix.
    pub matrix: Option<PathBuf>,
    /// Run this screenshot tour.
    pub tour: Option<PathBuf>,
    /// Open the Author screen on this content folder.
    pub author: Option<PathBuf>,
}

impl Cli {
    /// Decides between the app and a headless command. `warroom resume` opens the app on the save
    /// it finds when the app is built in (`--check` and `--list` only print, and so does a resume
    /// that finds nothing, to say so).
    pub fn launch(&self, app_built_in: bool) -> Launch {
        let request = AppRequest {
            scenario: self.scenario.clone(),
            mode: self.mode.map(Into::into),
            seed: self.seed,
            resume: None,
            matrix: self.matrix.clone(),
            tour: self.tour.clone(),
            author: None,
        };
        match &self.command {
            None => Launch::App(request),
            Some(Command::Resume(resume)) if app_built_in && !resume.check && !resume.list => {
                match pick_save(resume).filter(|path| path.is_file()) {
                    Some(path) => Launch::App(AppRequest {
                        resume: Some(path),
                        ..request
                    }),
                    None => Launch::Headless,
                }
            }
            Some(Command::Author { folder }) if app_built_in => Launch::App(AppRequest {
                author: Some(
                    folder
                        .clone()
                        .unwrap_or_else(crate::engine::content::library::default_content_dir),
                ),
                ..request
            }),
            Some(_) => Launch::Headless,
        }
    }
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

/// Headless commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check scenario and matrix files; exit 0 when all are valid, 1 otherwise.
    Validate {
        /// Files or directories (default: scenarios/); RACI sheets (.csv, .xlsx) are checked
        /// against `--matrix`.
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// List the scenarios with title, difficulty, duration, modes and inject count.
    List {
        /// Files or directories (default: scenarios/); RACI sheets (.csv, .xlsx) are checked
        /// against `--matrix`.
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
        /// Overwrite a healthy save that already has the `--session` id.
        #[arg(long, requires = "session")]
        replace: bool,
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
    /// Host a facilitated exercise for browser seats until Ctrl-C or SIGTERM; prints the join,
    /// projector and console addresses.
    Serve(ServeArgs),
    /// Write a plan as a spreadsheet (`export raci`).
    #[command(subcommand)]
    Export(ExportCommand),
    /// Read a plan from a spreadsheet (`import raci`).
    #[command(subcommand)]
    Import(ImportCommand),
    /// Make an organisation's plan from a base matrix (`derive matrix`): merged desks, renamed
    /// roles, changed RACI cells.
    #[command(subcommand)]
    Derive(DeriveCommand),
    /// What changing a plan (or a scenario) from A to B changes: RACI cells, rules and injects,
    /// then each script's grade A → B. Exit 0 no verdict changed, 1 invalid input, 3 verdicts
    /// changed.
    Diff(DiffArgs),
    /// Scripts of play (`script solve`: a script that scores 100 under the plan, or the checks
    /// the plan makes impossible).
    #[command(subcommand)]
    Script(ScriptCommand),
    /// The organisation's learning record store (xAPI): `lrs test` checks it, `lrs push` sends
    /// everything recorded so far.
    #[command(subcommand)]
    Lrs(LrsCommand),
    /// Open the desktop app's Author screen on a content folder (default: the shipped one): its
    /// plan in a RACI grid, checked on every edit, with every script's grade before and after.
    Author {
        /// The content folder: a responsibilities.ron, scenarios, and scripts in decisions/.
        folder: Option<PathBuf>,
    },
}

/// `warroom serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Scenario id (looked up in scenarios/) or path to a scenario file.
    pub scenario: String,
    /// Seed for random variations of a new exercise.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Address to listen on: 127.0.0.1 is this machine only; 0.0.0.0 lets the local network in.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Port to listen on (0 picks a free one; a fixed port lets pages reconnect after a restart).
    #[arg(long, default_value_t = 8470)]
    pub port: u16,
    /// Exercise id: brought back with its seats when saved, else created under this id.
    #[arg(long, value_name = "ID")]
    pub session: Option<String>,
    /// Folder of saves (default: in the platform data directory).
    #[arg(long, value_name = "DIR")]
    pub saves: Option<PathBuf>,
    /// Run the same exercise for this many teams at once, each in a room of its own on the next
    /// port (compare them afterwards with `warroom report ID --compare ID2 …`).
    #[arg(long, default_value_t = 1)]
    pub teams: usize,
}

/// A folder of content with its own matrix is checked against it, unless `--matrix` says otherwise:
/// `warroom validate my-org/` grades `my-org/`'s scenarios with `my-org/responsibilities.ron`.
fn folder_matrix(paths: &[PathBuf], matrix: Option<&Path>) -> Option<PathBuf> {
    if matrix.is_some() {
        return None;
    }
    let [folder] = paths else { return None };
    let own = folder.join(crate::engine::content::library::DEFAULT_MATRIX_FILE);
    (folder.is_dir() && own.is_file()).then_some(own)
}

/// Runs a headless command that needs no input.
pub fn run(cmd: &Command, matrix: Option<&Path>, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    run_interactive(cmd, matrix, &mut std::io::empty(), out, err)
}

/// Makes the content built into the program the default when nothing else is: installed as
/// files in the data folder the first time (a copied binary plays what it was built with). Called
/// once at start-up by every way the program runs; says so on `err` if it cannot install.
pub fn prepare_built_in_content(err: &mut dyn Write) {
    use crate::engine::content::library::{ContentOrigin, default_content, use_built_in_content};
    if default_content().1 != ContentOrigin::Missing {
        return;
    }
    let data = crate::store::data_dir();
    match crate::store::content::install_shipped(&data) {
        Ok(dir) => use_built_in_content(dir),
        Err(e) => {
            let _ = writeln!(
                err,
                "warroom: cannot install the built-in content in {}: {e}",
                escape_for_terminal(&data.display().to_string())
            );
        }
    }
}

/// Runs a headless command, reading answers (for `quiz`) from `input`.
pub fn run_interactive(
    cmd: &Command,
    matrix: Option<&Path>,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    // Whatever a command prints, from whatever file, is made safe for a terminal here.
    let out = &mut TerminalSafe::new(out);
    let err = &mut TerminalSafe::new(err);
    let matrix_path = matrix.map_or_else(default_matrix_path, Path::to_path_buf);
    let result = match cmd {
        // `--matrix FILE` with no paths checks that matrix, and says which shipped content it can
        // play, rather than failing on files the matrix's author did not write.
        Command::Validate { paths, format } if paths.is_empty() && matrix.is_some() => {
            content::validate_own_matrix(&matrix_path, *format, out, err)
        }
        Command::Validate { paths, format } => {
            let matrix_path = folder_matrix(paths, matrix).unwrap_or(matrix_path);
            content::validate(paths, &matrix_path, *format, out, err)
        }
        Command::List { paths, format } => {
            let matrix_path = folder_matrix(paths, matrix).unwrap_or(matrix_path);
            content::list(paths, &matrix_path, *format, out, err)
        }
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
            replace,
        } => scripted::play(
            scenario,
            decisions,
            *seed,
            &matrix_path,
            *format,
            save_log.as_deref(),
            record.as_deref().map(|profile| (profile, db.as_deref())),
            session.as_deref().map(|id| scripted::SaveTo {
                id,
                dir: saves
                    .clone()
                    .unwrap_or_else(crate::store::saves::default_dir),
                delay: std::time::Duration::from_millis(*step_delay_ms),
                replace: *replace,
            }),
            out,
            err,
        ),
        Command::Replay {
            log,
            scenarios,
            format,
        } => scripted::replay(log, scenarios.as_deref(), &matrix_path, *format, out, err),
        Command::Quiz(args) => learner::quiz(args, &matrix_path, input, out, err),
        Command::Progress(args) => learner::progress(args, &matrix_path, out, err),
        Command::Report(args) if args.session == org_report::ORGANISATION => {
            org_report::organisation_report(args, &matrix_path, out, err)
        }
        Command::Report(args) => exercise::report(args, &matrix_path, out, err),
        Command::Resume(args) => exercise::resume(args, &matrix_path, out, err),
        Command::Export(command) => sheets::export(command, &matrix_path, out, err),
        Command::Import(command) => sheets::import(command, &matrix_path, out, err),
        Command::Derive(command) => derive::derive_matrix(command, &matrix_path, out, err),
        Command::Diff(args) => diff::diff(args, &matrix_path, out, err),
        Command::Script(command) => solve::script(command, &matrix_path, out, err),
        Command::Lrs(command) => lrs_cli::lrs(command, &matrix_path, out, err),
        // With the room built in, `main` hosts it before the CLI is asked.
        Command::Serve(_) => writeln!(
            err,
            "warroom: this build has no room host (feature `room`); rebuild with default features"
        )
        .map(|()| EXIT_USAGE),
        // With the app built in, `main` opens it before the CLI is asked.
        Command::Author { .. } => writeln!(
            err,
            "warroom: the Author screen is part of the desktop app, which this build does not have (feature `app`)"
        )
        .map(|()| EXIT_USAGE),
    };
    result.unwrap_or_else(|e| {
        // The reader went away (`warroom list | head`): nothing is wrong, and nothing to say.
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return EXIT_OK;
        }
        eprintln!("warroom: cannot write output: {e}");
        EXIT_USAGE
    })
}
