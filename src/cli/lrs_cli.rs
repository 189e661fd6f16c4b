//! `warroom lrs test` and `warroom lrs push`: checking the organisation's learning record store,
//! and sending it everything the progress database and the saves hold.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::output::content_paths;
use super::{EXIT_INVALID, EXIT_OK, EXIT_USAGE};
use crate::engine::content::library::Library;
use crate::engine::text::{time_ago, time_ahead};
use crate::interop::xapi::XAPI_VERSION;
use crate::interop::xapi::client::{About, LrsClient};
use crate::interop::xapi::config::{CONFIG_FILE, LrsConfig};
use crate::lrs::{self, history};
use crate::store::{OutboxStatus, ProgressDb, default_profile, saves, unix_now};

/// Exit code when the store cannot be reached or refuses Warroom.
pub const EXIT_UNREACHABLE: u8 = 3;

/// `warroom lrs …`.
#[derive(Debug, clap::Subcommand)]
pub enum LrsCommand {
    /// Check the configured LRS: its /about resource, and one test statement it takes and then
    /// voids. Says what is wrong in words; exit 0 when it works, 3 when it does not.
    Test,
    /// Send every finished exercise and quiz answer already recorded (the outbox fills from
    /// history once; what was sent before is not sent again), then everything waiting.
    Push(PushArgs),
}

/// `warroom lrs push`.
#[derive(Debug, clap::Args)]
pub struct PushArgs {
    /// Only what happened on or after this day (YYYY-MM-DD, UTC).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// The profile exercises are credited to when no recorded run names their learner (default:
    /// the OS user name).
    #[arg(long)]
    pub profile: Option<String>,
    /// Progress database (default: in the platform data directory).
    #[arg(long, value_name = "FILE")]
    pub db: Option<PathBuf>,
    /// Folder of saves (default: in the platform data directory).
    #[arg(long, value_name = "DIR")]
    pub saves: Option<PathBuf>,
    /// Content the saves were played with (default: scenarios/).
    #[arg(long, value_name = "DIR")]
    pub content: Option<PathBuf>,
}

/// The store's configuration, or the exit code after saying why there is none.
fn config_or_exit(err: &mut dyn Write) -> std::io::Result<Result<LrsConfig, u8>> {
    match lrs::configured() {
        Ok(Some(config)) => Ok(Ok(config)),
        Ok(None) => {
            writeln!(
                err,
                "warroom: no learning record store is configured: write {} in {} (see the README's \"Organisation records\"), or set WARROOM_LRS_ENDPOINT, WARROOM_LRS_KEY and WARROOM_LRS_SECRET",
                CONFIG_FILE,
                crate::store::data_dir().display()
            )?;
            Ok(Err(EXIT_USAGE))
        }
        Err(message) => {
            writeln!(err, "warroom: {message}")?;
            Ok(Err(EXIT_INVALID))
        }
    }
}

/// The store to queue statements for while recording, if one is configured; a configuration
/// that does not read is said on `err` and recording goes on without statements.
pub(super) fn for_recording(err: &mut dyn Write) -> std::io::Result<Option<LrsConfig>> {
    match lrs::configured() {
        Ok(config) => Ok(config),
        Err(message) => {
            writeln!(
                err,
                "warroom: {message}\nwarroom: nothing will be queued for the learning record store until it is fixed."
            )?;
            Ok(None)
        }
    }
}

/// Sends what waits in the outbox now, and says in one line how it went.
pub(super) fn send_waiting(
    db: &mut ProgressDb,
    config: &LrsConfig,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match lrs::drain(db, &LrsClient::new(config)) {
        Ok(report) => {
            let waiting = db.outbox_status().map(|s| s.waiting).unwrap_or_default();
            match (report.failure, report.waiting_until) {
                (Some(failure), _) => writeln!(
                    out,
                    "Learning record store: {} statements sent, {waiting} wait in the outbox ({failure}).",
                    report.sent
                ),
                (None, Some(_)) => writeln!(
                    out,
                    "Learning record store: {waiting} statements wait in the outbox until the next try (`warroom lrs push` tries now)."
                ),
                (None, None) => writeln!(
                    out,
                    "Learning record store: {} statements sent.",
                    report.sent
                ),
            }
        }
        Err(e) => writeln!(out, "Learning record store: not sent ({e})."),
    }
}

/// Runs `warroom lrs …`.
pub fn lrs(
    command: &LrsCommand,
    matrix_path: &Path,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<u8> {
    let config = match config_or_exit(err)? {
        Ok(config) => config,
        Err(code) => return Ok(code),
    };
    match command {
        LrsCommand::Test => test(&config, out, err),
        LrsCommand::Push(args) => push(args, &config, matrix_path, out, err),
    }
}

fn test(config: &LrsConfig, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<u8> {
    let client = LrsClient::new(config);
    writeln!(
        out,
        "Checking the learning record store at {} …",
        client.endpoint()
    )?;
    match client.about() {
        Ok(About::Versions(versions)) => {
            let speaks = versions.iter().any(|v| v.starts_with("1.0"));
            if !speaks {
                writeln!(
                    err,
                    "warroom: the LRS speaks xAPI {}, not {XAPI_VERSION}: Warroom's statements would be refused",
                    versions.join(", ")
                )?;
                return Ok(EXIT_UNREACHABLE);
            }
            writeln!(out, "  /about: it speaks xAPI {}.", versions.join(", "))?;
        }
        Ok(About::Missing) => writeln!(
            out,
            "  /about: not offered by this LRS (the specification asks for it); going on to a test statement."
        )?,
        Err(e) => {
            writeln!(err, "warroom: {e}")?;
            return Ok(EXIT_UNREACHABLE);
        }
    }
    match client.send_test_statement(unix_now()) {
        Ok(id) => {
            writeln!(
                out,
                "  statements: it took a test statement ({id}) and its voiding, so reports will not count it."
            )?;
            writeln!(out, "The LRS works with Warroom.")?;
            Ok(EXIT_OK)
        }
        Err(e) => {
            writeln!(err, "warroom: {e}")?;
            Ok(EXIT_UNREACHABLE)
        }
    }
}

/// `--since DATE` as the Unix time of the day's start, or the exit code after saying why not.
pub(super) fn since_arg(
    since: Option<&str>,
    err: &mut dyn Write,
) -> std::io::Result<Result<Option<i64>, u8>> {
    match since.map(|text| (text, day_start(text))) {
        None => Ok(Ok(None)),
        Some((_, Some(start))) => Ok(Ok(Some(start))),
        Some((text, None)) => {
            writeln!(err, "warroom: --since {text}: expected a day as YYYY-MM-DD")?;
            Ok(Err(EXIT_USAGE))
        }
    }
}

/// A `YYYY-MM-DD` day as the Unix time of its start (UTC).
pub fn day_start(text: &str) -> Option<i64> {
    let mut parts = text.trim().splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: i64 = parts.next()?.parse().ok()?;
    let day: i64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    // Days from civil (proleptic Gregorian), the inverse of the reports' date.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let start = days * 86_400;
    // 31 February and the like do not round-trip: refuse them.
    (crate::engine::reports::aar::utc_date(start) == format!("{year:04}-{month:02}-{day:02}"))
        .then_some(start)
}

fn push(
    args: &PushArgs,
    config: &LrsConfig,
    matrix_path: &Path,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<u8> {
    let since = match since_arg(args.since.as_deref(), err)? {
        Ok(since) => since,
        Err(code) => return Ok(code),
    };
    let paths: Vec<PathBuf> = args.content.iter().cloned().collect();
    let library = Library::load(&content_paths(&paths), matrix_path);
    let path = args
        .db
        .clone()
        .unwrap_or_else(crate::store::progress_db::default_path);
    let profile = args.profile.clone().unwrap_or_else(default_profile);
    let mut db = match ProgressDb::open(&path, &profile) {
        Ok(db) => db,
        Err(e) => {
            writeln!(err, "warroom: {e}")?;
            return Ok(EXIT_INVALID);
        }
    };
    let saves_dir = args.saves.clone().unwrap_or_else(saves::default_dir);
    let filled = history::fill_from_history(
        &mut db,
        &config.identity,
        &library,
        &saves_dir,
        &profile,
        since,
        unix_now(),
    );
    let filled = match filled {
        Ok(filled) => filled,
        Err(e) => {
            writeln!(err, "warroom: {e}")?;
            return Ok(EXIT_INVALID);
        }
    };
    for skipped in &filled.skipped {
        writeln!(err, "warroom: left out: {skipped}")?;
    }
    writeln!(
        out,
        "History: {} finished exercises and {} quiz answers; {} statements newly queued.",
        filled.exercises, filled.answers, filled.queued
    )?;
    if filled.without_save > 0 {
        writeln!(
            out,
            "  {} runs in the database name no save (recorded by an earlier Warroom, or by play --record without --session): those whose save is in the saves folder were sent from it, credited to {profile} unless a run names its learner; the others reach the store only if their statements were queued when they were recorded.",
            filled.without_save
        )?;
    }
    // A person asked: do not wait out the pause after earlier failures.
    let retried = db.retry_outbox_now();
    let drained = retried.and_then(|()| lrs::drain(&mut db, &LrsClient::new(config)));
    let status = db.outbox_status();
    match (drained, status) {
        (Ok(report), Ok(status)) => {
            writeln!(out, "Sent {} statements now.", report.sent)?;
            write_outbox(out, &status, unix_now())?;
            Ok(if report.failure.is_some() {
                EXIT_UNREACHABLE
            } else {
                EXIT_OK
            })
        }
        (Err(e), _) | (_, Err(e)) => {
            writeln!(err, "warroom: {e}")?;
            Ok(EXIT_INVALID)
        }
    }
}

/// The outbox in a few lines: sent, waiting, refused, and the last error in words.
pub fn write_outbox(out: &mut dyn Write, status: &OutboxStatus, now: i64) -> std::io::Result<()> {
    writeln!(out, "Outbox: {}.", status.summary())?;
    if let Some(at) = status.last_sent_at {
        writeln!(out, "  last sent {}", time_ago(now, at))?;
    }
    if let Some((error, at)) = &status.last_error {
        writeln!(out, "  last try failed {}: {error}", time_ago(now, *at))?;
        if let Some(next) = status.next_attempt_at {
            writeln!(out, "  next try {}", time_ahead(now, next))?;
        }
    }
    if let Some(reason) = &status.last_refusal {
        writeln!(out, "  the LRS refused a statement: {reason}")?;
    }
    if let Some(at) = status.history_filled_at {
        writeln!(
            out,
            "  earlier records brought along (`warroom lrs push`) on {}",
            crate::engine::reports::aar::utc_date(at)
        )?;
    }
    Ok(())
}
