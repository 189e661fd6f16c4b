//! `warroom play` and `warroom replay`: a scripted run or a saved log graded headless.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::output::{
    EXIT_INVALID, EXIT_OK, EXIT_USAGE, Format, write_diagnostics, write_output_file,
};
use crate::engine::Matrix;
use crate::engine::content::library::{find_scenario, load_matrix, replay_failure};
use crate::engine::content::load::Source;
use crate::engine::content::script::{self, Decisions};
use crate::engine::exercise::ExerciseRecord;
use crate::engine::model::scenario::{Mode, Scenario};
use crate::engine::reports::scorecard::scorecard_text;
use crate::engine::scoring::score;
use crate::engine::session::{Session, SessionLog};

/// Loads the matrix and finds the scenario, reporting problems; `Err` carries the exit code.
pub(super) fn load_matrix_and_scenario(
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
pub(super) fn play(
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
        let decisions: Decisions = src.parse_under(&matrix)?;
        Ok((src, decisions))
    });
    let (source, decisions) = match parsed {
        Ok(x) => x,
        Err(d) => {
            write_diagnostics(err, &[&d])?;
            return Ok(EXIT_INVALID);
        }
    };
    if let Some(to) = &save_to
        && let Err(message) = check_save_target(to)
    {
        writeln!(err, "warroom: {message}")?;
        return Ok(EXIT_USAGE);
    }
    let seed = seed.or(decisions.seed).unwrap_or(0);
    let mut save_error = None;
    let started = crate::store::unix_now();
    let mut saving: Option<(ExerciseRecord, crate::store::journal::SaveFile)> = None;
    let mut after_each = |session: &Session| {
        let Some(to) = &save_to else { return };
        if save_error.is_some() {
            return;
        }
        let path = crate::store::saves::path_of(&to.dir, to.id);
        let saved = if let Some((record, file)) = &mut saving {
            record.catch_up(session);
            file.save(record)
        } else {
            let mut record = ExerciseRecord::new(to.id, Mode::Practice, started, session);
            crate::store::journal::SaveFile::open(&path, &mut record)
                .map(|file| saving = Some((record, file)))
        };
        match saved {
            Ok(()) => {
                // Only now is the intent safe: a crash after this line loses nothing.
                let _ = writeln!(out, "acknowledged {}", session.log().entries.len());
                let _ = out.flush();
            }
            Err(e) => save_error = Some(format!("cannot save {}: {e}", path.display())),
        }
        std::thread::sleep(to.delay);
    };
    let result = script::run_resolved(scenario, matrix, &decisions, seed, &source, &mut after_each);
    let mut saved_record = None;
    let finished = saving.map(|(record, file)| {
        saved_record = Some(record);
        let path = file.path().to_path_buf();
        file.finish()
            .map_err(|e| format!("cannot save {}: {e}", path.display()))
    });
    if let Some(e) = save_error.or(finished.and_then(Result::err)) {
        writeln!(err, "warroom: {e}")?;
        return Ok(EXIT_USAGE);
    }
    let (session, minutes) = match result {
        Ok(s) => s,
        Err(errors) => {
            write_diagnostics(err, &errors.iter().collect::<Vec<_>>())?;
            if let Some(written_for) = decisions.seed.filter(|&own| own != seed) {
                writeln!(
                    err,
                    "warroom: note: the script was written for seed {written_for}; --seed {seed} draws other variations, which its steps may not fit (leave out --seed to play it as written)"
                )?;
            }
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
    if format == Format::Text {
        print_relative_steps(&session, &decisions, &minutes, out)?;
    }
    print_scorecard(&session, format, out)?;
    if let Some((profile, db)) = record {
        let path = db.map_or_else(crate::store::progress_db::default_path, Path::to_path_buf);
        let lrs_config = super::lrs_cli::for_recording(err)?;
        let card = score(&session);
        // A run with no save still gets statements, under an id of its own start, and ends now.
        let record = saved_record.unwrap_or_else(|| {
            let id = format!("{}-{started}-{}", session.scenario().id, std::process::id());
            let mut record = ExerciseRecord::new(id, Mode::Practice, started, &session);
            record.updated_at = crate::store::unix_now();
            record
        });
        let statements = lrs_config.as_ref().map_or_else(Vec::new, |config| {
            crate::lrs::run_outgoing(&config.identity, profile, &record, &session, &card)
        });
        let exercise = save_to.as_ref().map(|_| record.id.as_str());
        let recorded = crate::store::ProgressDb::open(&path, profile).and_then(|mut db| {
            db.record_run_queued(
                &card,
                "scripted",
                crate::store::unix_now(),
                exercise,
                &statements,
            )
            .map(|_| db)
        });
        match recorded {
            Ok(mut db) => {
                if format == Format::Text
                    && let Some(config) = &lrs_config
                {
                    super::lrs_cli::send_waiting(&mut db, config, out)?;
                }
            }
            Err(e) => {
                writeln!(err, "warroom: the run was not recorded: {e}")?;
                return Ok(EXIT_INVALID);
            }
        }
    }
    Ok(EXIT_OK)
}

/// Where each step timed after an inject fell in this run: `step 4: T+15, 2 min after "…"`.
fn print_relative_steps(
    session: &Session,
    decisions: &Decisions,
    minutes: &[Option<u32>],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let relative: Vec<String> = decisions
        .steps
        .iter()
        .zip(minutes)
        .enumerate()
        .filter_map(|(i, (step, minute))| {
            let (inject, after) = step.after.as_ref()?;
            let title = session
                .scenario()
                .inject(inject.as_str())
                .map_or(inject.as_str(), |x| x.title.as_str());
            Some(match minute {
                Some(m) => format!(
                    "  step {}: T+{m:02}, {after} min after \u{201c}{title}\u{201d}",
                    i + 1
                ),
                None => format!("  step {}: not played, the exercise had ended", i + 1),
            })
        })
        .collect();
    if !relative.is_empty() {
        writeln!(out, "Steps timed after an inject:")?;
        for line in relative {
            writeln!(out, "{line}")?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn print_scorecard(session: &Session, format: Format, out: &mut dyn Write) -> std::io::Result<()> {
    let card = score(session);
    match format {
        Format::Json => writeln!(out, "{}", card.to_json()),
        Format::Text => write!(out, "{}", scorecard_text(&card, session)),
    }
}

/// Where `play --session` saves.
pub(super) struct SaveTo<'a> {
    pub id: &'a str,
    pub dir: PathBuf,
    pub delay: std::time::Duration,
    /// Whether a healthy save of the same id may be replaced.
    pub replace: bool,
}

/// A session id must be safe to use as a file name; a damaged save under it is never
/// overwritten, a healthy one only when asked to.
fn check_save_target(to: &SaveTo<'_>) -> Result<(), String> {
    crate::store::saves::check_id(to.id)?;
    crate::store::saves::check_dir(&to.dir)?;
    let path = crate::store::saves::path_of(&to.dir, to.id);
    if std::fs::symlink_metadata(&path).is_err() {
        return Ok(());
    }
    match crate::store::saves::load(&path) {
        Err(d) => Err(format!(
            "{} holds a save that cannot be read ({}); it is left untouched — choose another id",
            path.display(),
            crate::engine::diagnostic::printable(&d.message)
        )),
        Ok(_) if !to.replace => Err(format!(
            "a save named {:?} already exists at {}; pass --replace to overwrite it, or choose another id",
            to.id,
            path.display()
        )),
        Ok(_) => Ok(()),
    }
}

fn save_session_log(log: &SessionLog, path: &Path) -> std::io::Result<()> {
    let text = log.to_ron().map_err(std::io::Error::other)?;
    crate::store::saves::fits_read_limit(&text)?;
    write_output_file(path, &text)
}

pub(super) fn replay(
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
    let (source, log): (Source, SessionLog) =
        match Source::read(log_path).and_then(|s| s.parse().map(|log| (s, log))) {
            Ok(read) => read,
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
            write_diagnostics(err, &[&replay_failure(&source, &e)])?;
            Ok(EXIT_INVALID)
        }
    }
}
