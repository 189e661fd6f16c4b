//! Bringing history along: the outbox filled from every finished exercise in the saves folder and
//! every quiz answer in the database, once, and idempotently (statement ids are deterministic, so
//! what is already queued or sent is not queued again).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use super::{outgoing, run_statements};
use crate::engine::content::library::Library;
use crate::engine::scoring::score;
use crate::interop::xapi::quiz::answer_statement;
use crate::interop::xapi::{Identity, Statement};
use crate::store::{ProgressDb, StoreError, saves};

/// What filling the outbox from history found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filled {
    /// Finished exercises described.
    pub exercises: usize,
    /// Quiz answers described.
    pub answers: usize,
    /// Statements not queued before.
    pub queued: usize,
    /// Saves left out, each with why (unreadable, or no longer replaying against the content).
    pub skipped: Vec<String>,
    /// Runs in the database that name no save (recorded by an earlier Warroom, or by `play
    /// --record` without `--session`): sent from their save if it is in the folder, else only if
    /// their statements were queued when they were recorded.
    pub without_save: u64,
}

/// What history holds: the statements of its finished exercises and answers.
#[derive(Clone, Debug, Default)]
pub struct Collected {
    /// The statements, exercises first, each exercise's in log order.
    pub statements: Vec<Statement>,
    /// Finished exercises described.
    pub exercises: usize,
    /// Quiz answers described.
    pub answers: usize,
    /// Saves left out, each with why.
    pub skipped: Vec<String>,
}

/// The statements of every exercise in `saves_dir` that ended (and changed at or after `since`,
/// Unix seconds), and of every answer in `db` given since then, by every profile. An exercise is
/// the learner's who recorded its run in `db`, else `learner`'s.
pub fn collect(
    db: Option<&mut ProgressDb>,
    identity: &Identity,
    library: &Library,
    saves_dir: &Path,
    learner: &str,
    since: Option<i64>,
) -> Result<Collected, StoreError> {
    let since = since.unwrap_or(i64::MIN);
    let owners = match db.as_deref() {
        Some(db) => db.exercise_profiles()?,
        None => BTreeMap::new(),
    };
    let mut collected = Collected::default();
    for entry in saves::list(saves_dir) {
        let record = match entry.record {
            Ok(record) => record,
            Err(diagnostic) => {
                collected.skipped.push(diagnostic.to_string());
                continue;
            }
        };
        if record.updated_at.max(record.started_at) < since {
            continue;
        }
        let loaded = library.scenario(record.log.scenario.as_str());
        let (Some(loaded), Some(matrix)) = (loaded, &library.matrix) else {
            collected.skipped.push(format!(
                "{}: the scenario \"{}\" is not in the loaded content",
                entry.path.display(),
                record.log.scenario
            ));
            continue;
        };
        let resumed = record.resume(Arc::clone(&loaded.scenario), Arc::clone(&matrix.matrix));
        let session = match resumed {
            Ok(session) => session,
            Err(e) => {
                collected
                    .skipped
                    .push(format!("{}: {e}", entry.path.display()));
                continue;
            }
        };
        if !session.ended() {
            continue;
        }
        let owner = owners.get(&record.id).map_or(learner, String::as_str);
        let card = score(&session);
        collected
            .statements
            .extend(run_statements(identity, owner, &record, &session, &card));
        collected.exercises += 1;
    }
    let Some(db) = db else {
        return Ok(collected);
    };
    let texts: BTreeMap<&str, &str> = library
        .questions()
        .map(|(_, q)| (q.id.as_str(), q.situation.as_str()))
        .collect();
    let current = db.profile().to_owned();
    for profile in db.profiles()? {
        db.use_profile(&profile)?;
        for answer in db.answers()? {
            if answer.at < since {
                continue;
            }
            let text = texts.get(answer.question.as_str()).copied();
            collected
                .statements
                .push(answer_statement(identity, &profile, &answer, text));
            collected.answers += 1;
        }
    }
    db.use_profile(&current)?;
    Ok(collected)
}

/// Queues what [`collect`] finds in history, once: what was queued before stays as it was.
pub fn fill_from_history(
    db: &mut ProgressDb,
    identity: &Identity,
    library: &Library,
    saves_dir: &Path,
    learner: &str,
    since: Option<i64>,
    now: i64,
) -> Result<Filled, StoreError> {
    let collected = collect(Some(db), identity, library, saves_dir, learner, since)?;
    let filled = Filled {
        exercises: collected.exercises,
        answers: collected.answers,
        queued: db.queue_statements(&outgoing(collected.statements), now)?,
        skipped: collected.skipped,
        without_save: db.runs_without_save()?,
    };
    db.mark_history_filled(now)?;
    Ok(filled)
}
