//! `warroom serve`: hosts a facilitated exercise headless until SIGTERM or Ctrl-C. A new
//! exercise is saved under a fresh id; `--session ID` brings an existing one back with its room,
//! so every device that held a seat keeps it.

use std::io::Write;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;

use super::host::{HostRuntime, RoomHost};
use super::state::Hosted;
use super::teams::TeamEntry;
use crate::engine::content::library::{find_scenario, load_matrix};
use crate::engine::diagnostic::Diagnostic;
use crate::engine::exercise::ExerciseRecord;
use crate::engine::model::scenario::Mode;
use crate::engine::session::Session;
use crate::store::saves;

/// What `serve` was asked.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// Scenario id (in the shipped folder) or file.
    pub scenario: String,
    /// The matrix file.
    pub matrix: PathBuf,
    /// Seed of a new exercise (default 0).
    pub seed: Option<u64>,
    /// Address to listen on.
    pub bind: IpAddr,
    /// Port (0 picks a free one).
    pub port: u16,
    /// Exercise id: resumed when saved, else created under it.
    pub session: Option<String>,
    /// Folder of saves.
    pub saves: PathBuf,
    /// Teams playing the same exercise at once, each in a room of its own (1: one room).
    pub teams: usize,
}

/// Most teams one `serve` hosts at once.
pub const MAX_TEAMS: usize = 12;

/// Why `serve` could not start, or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// A file is invalid: its located problems.
    #[error("the content is invalid ({} problems)", .0.len())]
    Invalid(Vec<Diagnostic>),
    /// The request cannot be carried out, and why.
    #[error("{0}")]
    Usage(String),
    /// The system refused: a port taken, a save that cannot be written, no threads.
    #[error("{doing}: {source}")]
    System {
        /// What was being done, in words.
        doing: String,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
}

impl ServeError {
    fn system(doing: impl Into<String>) -> impl FnOnce(std::io::Error) -> Self {
        let doing = doing.into();
        move |source| Self::System { doing, source }
    }
}

/// Loads or creates the exercise `options` name, ready to host.
pub fn host_exercise(options: &ServeOptions) -> Result<Hosted, ServeError> {
    let matrix = load_matrix(&options.matrix)
        .map_err(ServeError::Invalid)?
        .matrix;
    let scenario = find_scenario(&options.scenario, None, &matrix)
        .map_err(ServeError::Usage)?
        .map_err(ServeError::Invalid)?
        .scenario;
    if !scenario.modes.contains(&Mode::Facilitated) {
        return Err(ServeError::Usage(format!(
            "“{}” is not written for a facilitated room (its modes: {})",
            scenario.title,
            scenario
                .modes
                .iter()
                .map(|m| m.label())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    if let Some(id) = &options.session {
        saves::check_id(id).map_err(ServeError::Usage)?;
        let path = saves::path_of(&options.saves, id);
        if std::fs::symlink_metadata(&path).is_ok() {
            let record = saves::load(&path).map_err(|d| ServeError::Invalid(vec![d]))?;
            if record.log.scenario != scenario.id {
                return Err(ServeError::Usage(format!(
                    "the exercise {id:?} is of scenario `{}`, not `{}`",
                    record.log.scenario, scenario.id
                )));
            }
            let session = record
                .resume(Arc::clone(&scenario), Arc::clone(&matrix))
                .map_err(|e| ServeError::Usage(format!("{}: {e}", path.display())))?;
            return Ok(Hosted::new(session, record, path));
        }
    }
    let session = Session::new(scenario, matrix, options.seed.unwrap_or(0));
    let now = crate::store::unix_now();
    let base = options
        .session
        .clone()
        .unwrap_or_else(|| format!("{}-room", session.scenario().id));
    let mut record = ExerciseRecord::new(base, Mode::Facilitated, now, &session);
    let save_path = saves::create(&options.saves, &mut record).map_err(ServeError::system(
        format!("cannot save in {}", options.saves.display()),
    ))?;
    Ok(Hosted::new(session, record, save_path))
}

/// Hosts the exercise until SIGTERM or Ctrl-C, printing its addresses on `out` first. With
/// several teams, each gets an exercise and a room of its own (same scenario, same seed), on
/// consecutive ports, and each block of addresses follows a `team: N` line.
pub fn serve(options: &ServeOptions, out: &mut dyn Write) -> Result<(), ServeError> {
    if options.teams == 0 || options.teams > MAX_TEAMS {
        return Err(ServeError::Usage(format!(
            "--teams takes 1 to {MAX_TEAMS} teams"
        )));
    }
    let stop =
        StopSignal::listen().map_err(ServeError::system("cannot listen for a stop signal"))?;
    // Teams' exercises are named after one base id, so one `--session` brings them all back;
    // without one, a new base (stamped with the time) never picks up an earlier run's teams.
    let base = options.session.clone().unwrap_or_else(|| {
        format!(
            "{}-{}",
            std::path::Path::new(&options.scenario)
                .file_stem()
                .map_or_else(
                    || options.scenario.clone(),
                    |s| s.to_string_lossy().into_owned()
                ),
            crate::store::unix_now()
        )
    });
    // Every team's room on the same two threads.
    let threads =
        HostRuntime::new().map_err(ServeError::system("cannot start the rooms' threads"))?;
    let mut hosts = Vec::new();
    for team in 1..=options.teams {
        let team_options = if options.teams == 1 {
            options.clone()
        } else {
            let offset = u16::try_from(team - 1).unwrap_or(0);
            ServeOptions {
                session: Some(format!("{base}-team-{team}")),
                port: if options.port == 0 {
                    0
                } else {
                    options.port.saturating_add(offset)
                },
                ..options.clone()
            }
        };
        let hosted = host_exercise(&team_options)?;
        let id = hosted.record.id.clone();
        let host = RoomHost::start_on(&threads, hosted, team_options.bind, team_options.port)
            .map_err(ServeError::system(format!(
                "cannot listen on {}:{}",
                team_options.bind, team_options.port
            )))?;
        if team == 1
            && let Some(warning) = host.file_limit_warning()
        {
            warn(&warning);
        }
        let team_line = if options.teams == 1 {
            String::new()
        } else {
            format!("team: {team}\n")
        };
        let printed = writeln!(
            out,
            "{team_line}join: {}\nprojector: {}\nconsole: {}\nsession: {id}",
            host.join_url(),
            host.projector_url(),
            host.console_url()
        )
        .and_then(|()| out.flush());
        if let Err(e) = printed {
            return Err(ServeError::Usage(format!(
                "cannot write the addresses: {e}"
            )));
        }
        hosts.push((host, id));
    }
    if hosts.len() > 1 {
        let teams: Vec<TeamEntry> = hosts
            .iter()
            .map(|(host, id)| TeamEntry {
                name: id.clone(),
                shared: Arc::clone(host.shared()),
                console_url: host.console_url(),
            })
            .collect();
        // Only the lead facilitator's console (the first team's) shows every team, with links
        // that carry each team's console code: another team's facilitator must not steer it.
        if let Some((first, _)) = hosts.first() {
            first.set_teams(teams);
            let _ =
                writeln!(out, "teams: {}/teams", first.console_url()).and_then(|()| out.flush());
        }
    }
    stop.wait()
        .map_err(|e| ServeError::Usage(format!("cannot wait for a signal: {e}")))?;
    let resume = if options.teams == 1 {
        hosts
            .first()
            .map_or_else(String::new, |(_, id)| format!("--session {id}"))
    } else {
        format!("--session {base} --teams {}", options.teams)
    };
    for (host, _) in hosts {
        host.stop();
    }
    let _ = writeln!(out, "stopped; every change is saved (resume with {resume})");
    Ok(())
}

#[expect(
    clippy::print_stderr,
    reason = "a warning beside the addresses, which scripts read from stdout"
)]
fn warn(warning: &str) {
    eprintln!("warroom: {warning}");
}

/// SIGTERM and Ctrl-C (SIGINT), listened for from before the addresses are printed: a stop sent
/// as soon as they are read is not lost (nor does it kill the host before it can save).
struct StopSignal {
    runtime: tokio::runtime::Runtime,
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
}

impl StopSignal {
    fn listen() -> std::io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let entered = runtime.enter();
            let term = signal(SignalKind::terminate())?;
            let interrupt = signal(SignalKind::interrupt())?;
            drop(entered);
            Ok(Self {
                runtime,
                term,
                interrupt,
            })
        }
        #[cfg(not(unix))]
        Ok(Self { runtime })
    }

    /// Blocks until one of them comes.
    #[cfg_attr(
        unix,
        expect(
            clippy::unnecessary_wraps,
            reason = "waiting for Ctrl-C can fail elsewhere"
        )
    )]
    fn wait(self) -> std::io::Result<()> {
        #[cfg(unix)]
        {
            let Self {
                runtime,
                mut term,
                mut interrupt,
            } = self;
            runtime.block_on(async {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = interrupt.recv() => {}
                }
            });
            Ok(())
        }
        #[cfg(not(unix))]
        self.runtime.block_on(tokio::signal::ctrl_c())
    }
}
