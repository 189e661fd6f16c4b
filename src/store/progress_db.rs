//! The learner-progress database: scenario runs and quiz answers per learner profile, and the
//! spaced-repetition cards, in one SQLite file with numbered schema migrations.
//!
//! Opening never destroys anything: a damaged file, a file from a newer Warroom, a file that is not
//! ours, or one locked by another process is reported and left exactly as it was. Before a
//! migration the old file is copied aside.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, params};
use thiserror::Error;

use crate::engine::content::library::Library;
use crate::engine::learning::practice::{Card, due_count};
use crate::engine::learning::progress::{
    AnswerRecord, Catalogue, ProgressReport, RoleTally, RunRecord, summarize,
};
use crate::engine::model::id::{QuestionId, RoleId};
use crate::engine::model::matrix::Dimension;
use crate::engine::model::quiz::Question;
use crate::engine::scoring::Scorecard;

#[path = "outbox.rs"]
mod outbox;
#[path = "schema.rs"]
mod schema;
pub use outbox::{Delivered, DrainReport, OutboxStatus, Outgoing};
pub use schema::{MIGRATIONS, SCHEMA_VERSION};

/// The database's file name inside the data directory.
pub const FILE_NAME: &str = "progress.sqlite3";

/// How long to wait for another process's lock before reporting it.
pub const LOCK_WAIT: Duration = Duration::from_millis(1500);

/// Why the progress database cannot be used.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The file is damaged or not a database.
    #[error(
        "{}: the progress database is damaged or not a database ({detail}); it was left untouched. Move it aside to start a new one.",
        path.display()
    )]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What SQLite said.
        detail: String,
    },
    /// A database, but not a Warroom progress database.
    #[error(
        "{}: this SQLite file is not a Warroom progress database; it was left untouched. Choose another file.",
        path.display()
    )]
    Foreign {
        /// The file.
        path: PathBuf,
    },
    /// Written by an older Warroom, and opened only to read, so it cannot be upgraded.
    #[error(
        "{}: the progress database was written by an older Warroom (schema {found}); it is upgraded the next time progress is recorded.",
        path.display()
    )]
    Older {
        /// The file.
        path: PathBuf,
        /// Its schema version.
        found: u32,
    },
    /// Written by a newer Warroom.
    #[error(
        "{}: the progress database was written by a newer Warroom (schema {found}; this version knows up to {supported}); it was left untouched. Update Warroom to use it.",
        path.display()
    )]
    Newer {
        /// The file.
        path: PathBuf,
        /// Its schema version.
        found: u32,
        /// The newest this build knows.
        supported: u32,
    },
    /// Another process holds a lock.
    #[error(
        "{}: the progress database is locked by another program (another Warroom?); nothing was written. Close it and try again.",
        path.display()
    )]
    Locked {
        /// The file.
        path: PathBuf,
    },
    /// The file or its folder cannot be written: read-only, or on a full disk.
    #[error(
        "{}: the progress database cannot be written ({why}); nothing was recorded. Check the file's permissions and the free space, or pass another file with --db.",
        path.display()
    )]
    ReadOnly {
        /// The file.
        path: PathBuf,
        /// Read-only, or full.
        why: &'static str,
    },
    /// The file or its folder cannot be created or read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Any other database error.
    #[error("{}: database error: {source}", path.display())]
    Sql {
        /// The file.
        path: PathBuf,
        /// What SQLite said.
        source: rusqlite::Error,
    },
}

impl StoreError {
    fn from_sql(path: &Path, e: rusqlite::Error) -> Self {
        let path = path.to_path_buf();
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Self::Locked { path },
            Some(ErrorCode::ReadOnly) => Self::ReadOnly {
                path,
                why: "it is read-only",
            },
            Some(ErrorCode::DiskFull) => Self::ReadOnly {
                path,
                why: "the disk is full",
            },
            Some(ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => Self::ReadOnly {
                path,
                why: "it cannot be opened for writing",
            },
            Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => Self::Corrupt {
                path,
                detail: e.to_string(),
            },
            _ => Self::Sql { path, source: e },
        }
    }
}

/// An open progress database, bound to one learner profile.
#[derive(Debug)]
pub struct ProgressDb {
    conn: Connection,
    path: PathBuf,
    profile: String,
    /// [`NO_PROFILE`] until the profile has a row: reads then find nothing, as they should.
    profile_id: i64,
}

/// One answer to a question, as checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Answered {
    /// The sitting's number.
    pub sitting: u32,
    /// Whether it was right.
    pub correct: bool,
    /// Whether it was the question's first showing in the sitting.
    pub first_try: bool,
    /// When (Unix seconds).
    pub at: i64,
}

/// No row has this id (SQLite's row ids start at 1).
const NO_PROFILE: i64 = 0;

/// Opens a connection and checks the file is a healthy Warroom database of a version this build
/// can read; returns its schema version (0: empty, nothing recorded yet).
fn connect(path: &Path, flags: OpenFlags) -> Result<(Connection, u32), StoreError> {
    if path.is_dir() {
        return Err(StoreError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::other("is a directory, not a database file"),
        });
    }
    let sql = |e| StoreError::from_sql(path, e);
    let conn = Connection::open_with_flags(path, flags).map_err(sql)?;
    conn.busy_timeout(LOCK_WAIT).map_err(sql)?;
    let check: String = conn
        .pragma_query_value(None, "quick_check", |row| row.get(0))
        .map_err(sql)?;
    if check != "ok" {
        return Err(StoreError::Corrupt {
            path: path.to_path_buf(),
            detail: check,
        });
    }
    conn.pragma_update(None, "foreign_keys", true)
        .map_err(sql)?;
    let foreign = || StoreError::Foreign {
        path: path.to_path_buf(),
    };
    // Any 32-bit value can be stored here by another program: read it wide and judge it.
    let raw: i64 = conn
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(sql)?;
    let version = u32::try_from(raw).map_err(|_| foreign())?;
    if version > SCHEMA_VERSION {
        return Err(StoreError::Newer {
            path: path.to_path_buf(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .and_then(|mut stmt| stmt.query_map([], |row| row.get(0))?.collect())
        .map_err(sql)?;
    let expected: Vec<&str> = MIGRATIONS
        .iter()
        .take(version as usize)
        .flat_map(|m| tables_created(m))
        .collect();
    let ours = expected.iter().all(|t| tables.iter().any(|x| x == t));
    if (version == 0 && !tables.is_empty()) || !ours {
        return Err(foreign());
    }
    Ok((conn, version))
}

/// The tables a migration creates.
fn tables_created(migration: &str) -> impl Iterator<Item = &str> {
    migration.split("CREATE TABLE ").skip(1).filter_map(|rest| {
        rest.split(|c: char| c.is_whitespace() || c == '(')
            .next()
            .filter(|name| !name.is_empty())
    })
}

/// The default database path.
pub fn default_path() -> PathBuf {
    super::environment::data_dir().join(FILE_NAME)
}

impl ProgressDb {
    /// Opens (creating when missing, migrating when older) the database at `path` for `profile`,
    /// to record progress. The profile itself is written only with its first record.
    pub fn open(path: &Path, profile: &str) -> Result<Self, StoreError> {
        let io = |source| StoreError::Io {
            path: path.to_path_buf(),
            source,
        };
        // A link to nowhere would have SQLite create the file it points at, somewhere unexpected.
        if path.is_symlink() && !path.exists() {
            return Err(io(std::io::Error::other(
                "is a link to a file that does not exist; nothing was created",
            )));
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let (conn, version) = connect(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
        )?;
        let mut db = Self {
            conn,
            path: path.to_path_buf(),
            profile: String::new(),
            profile_id: NO_PROFILE,
        };
        if version < SCHEMA_VERSION {
            db.migrate(version)?;
        }
        db.use_profile(profile)?;
        Ok(db)
    }

    /// Opens the database at `path` only to read it: nothing is created, migrated or written, so a
    /// read-only file or one another program is reading works. `None` when nothing was recorded yet
    /// (no file, or an empty one).
    pub fn open_read_only(path: &Path, profile: &str) -> Result<Option<Self>, StoreError> {
        match std::fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(StoreError::Io {
                    path: path.to_path_buf(),
                    source,
                });
            }
            Ok(meta) if meta.len() == 0 => return Ok(None),
            Ok(_) => {}
        }
        let (conn, version) = connect(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        if version == 0 {
            return Ok(None);
        }
        if version < SCHEMA_VERSION {
            return Err(StoreError::Older {
                path: path.to_path_buf(),
                found: version,
            });
        }
        let mut db = Self {
            conn,
            path: path.to_path_buf(),
            profile: String::new(),
            profile_id: NO_PROFILE,
        };
        db.find_profile(profile)?;
        Ok(Some(db))
    }

    /// Opens the database in the platform data directory.
    pub fn open_default(profile: &str) -> Result<Self, StoreError> {
        Self::open(&default_path(), profile)
    }

    fn sql(&self, e: rusqlite::Error) -> StoreError {
        StoreError::from_sql(&self.path, e)
    }

    fn migrate(&mut self, from: u32) -> Result<(), StoreError> {
        if from > 0 {
            // Belt and braces: the migration runs in one transaction, and the old file is kept.
            let backup = self.path.with_extension(format!("v{from}.bak"));
            std::fs::copy(&self.path, &backup).map_err(|source| StoreError::Io {
                path: backup.clone(),
                source,
            })?;
        }
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| StoreError::from_sql(&path, e))?;
        for migration in MIGRATIONS.iter().skip(from as usize) {
            tx.execute_batch(migration)
                .map_err(|e| StoreError::from_sql(&path, e))?;
        }
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)
            .map_err(|e| StoreError::from_sql(&path, e))?;
        tx.commit().map_err(|e| StoreError::from_sql(&path, e))
    }

    /// Switches to a learner profile; a new one is written with its first record.
    pub fn use_profile(&mut self, name: &str) -> Result<(), StoreError> {
        self.find_profile(name)
    }

    fn find_profile(&mut self, name: &str) -> Result<(), StoreError> {
        let name = name.trim();
        let name = if name.is_empty() { "learner" } else { name };
        let id: Option<i64> = self
            .conn
            .query_row("SELECT id FROM profiles WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| self.sql(e))?;
        name.clone_into(&mut self.profile);
        self.profile_id = id.unwrap_or(NO_PROFILE);
        Ok(())
    }

    /// The profile's row id, writing the profile first if this is its first record.
    fn profile_for_writing(&mut self) -> Result<i64, StoreError> {
        if self.profile_id == NO_PROFILE {
            self.conn
                .execute(
                    "INSERT OR IGNORE INTO profiles (name, created_at) VALUES (?1, ?2)",
                    params![self.profile, super::environment::unix_now()],
                )
                .map_err(|e| self.sql(e))?;
            let name = self.profile.clone();
            self.find_profile(&name)?;
        }
        Ok(self.profile_id)
    }

    /// The current profile's name.
    pub fn profile(&self) -> &str {
        &self.profile
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every profile, by name, the current one included even before its first record.
    pub fn profiles(&self) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT name FROM profiles ORDER BY name")
            .map_err(|e| self.sql(e))?;
        let mut names: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .and_then(Iterator::collect)
            .map_err(|e| self.sql(e))?;
        if !names.contains(&self.profile) {
            names.push(self.profile.clone());
            names.sort();
        }
        Ok(names)
    }

    /// Stores a finished scenario run.
    pub fn record_run(&mut self, card: &Scorecard, mode: &str, at: i64) -> Result<i64, StoreError> {
        self.record_run_queued(card, mode, at, None, &[])
    }

    /// Stores a finished run of exercise `exercise` (its save's id, when it has one) and queues
    /// the statements describing it, in one transaction.
    pub fn record_run_queued(
        &mut self,
        card: &Scorecard,
        mode: &str,
        at: i64,
        exercise: Option<&str>,
        outgoing: &[Outgoing],
    ) -> Result<i64, StoreError> {
        let record = RunRecord::from_scorecard(card, at);
        let profile_id = self.profile_for_writing()?;
        let path = self.path.clone();
        let sql = |e| StoreError::from_sql(&path, e);
        let tx = self.conn.transaction().map_err(sql)?;
        tx.execute(
            "INSERT INTO scenario_runs
             (profile_id, scenario, matrix, seed, mode, finished_at, total, exercise)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                profile_id,
                record.scenario,
                card.matrix,
                card.seed.to_string(),
                mode,
                at,
                record.total,
                exercise
            ],
        )
        .map_err(sql)?;
        let run = tx.last_insert_rowid();
        for (dimension, score) in &record.dimensions {
            tx.execute(
                "INSERT INTO run_dimensions (run_id, dimension, score) VALUES (?1, ?2, ?3)",
                params![run, dimension.key(), score],
            )
            .map_err(sql)?;
        }
        for (role, tally) in &record.roles {
            tx.execute(
                "INSERT INTO run_roles (run_id, role, credits, deductions) VALUES (?1, ?2, ?3, ?4)",
                params![run, role.as_str(), tally.credits, tally.deductions],
            )
            .map_err(sql)?;
        }
        outbox::queue_in(&tx, outgoing, at).map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(run)
    }

    /// The number the next sitting will get (1 for a new learner).
    pub fn next_sitting(&self) -> Result<u32, StoreError> {
        self.conn
            .query_row(
                "SELECT coalesce(max(number), 0) + 1 FROM sittings WHERE profile_id = ?1",
                [self.profile_id],
                |r| r.get(0),
            )
            .map_err(|e| self.sql(e))
    }

    /// Starts a sitting and returns its number.
    pub fn start_sitting(&mut self, seed: u64, at: i64) -> Result<u32, StoreError> {
        let number = self.next_sitting()?;
        let profile_id = self.profile_for_writing()?;
        self.conn
            .execute(
                "INSERT INTO sittings (profile_id, number, seed, started_at) VALUES (?1, ?2, ?3, ?4)",
                params![profile_id, number, seed.to_string(), at],
            )
            .map_err(|e| self.sql(e))?;
        Ok(number)
    }

    /// The current profile's cards.
    pub fn cards(&self) -> Result<BTreeMap<QuestionId, Card>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT question, level, due_sitting FROM cards WHERE profile_id = ?1")
            .map_err(|e| self.sql(e))?;
        stmt.query_map([self.profile_id], |r| {
            Ok((
                QuestionId::new(r.get::<_, String>(0)?),
                Card {
                    level: r.get(1)?,
                    due_sitting: r.get(2)?,
                },
            ))
        })
        .and_then(Iterator::collect)
        .map_err(|e| self.sql(e))
    }

    /// The current profile's card for one question.
    pub fn card(&self, question: &QuestionId) -> Result<Option<Card>, StoreError> {
        self.conn
            .query_row(
                "SELECT level, due_sitting FROM cards WHERE profile_id = ?1 AND question = ?2",
                params![self.profile_id, question.as_str()],
                |r| {
                    Ok(Card {
                        level: r.get(0)?,
                        due_sitting: r.get(1)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.sql(e))
    }

    /// Stores one answer; a first try also moves the question's card. Returns the new card.
    pub fn record_answer(
        &mut self,
        sitting: u32,
        question: &Question,
        correct: bool,
        first_try: bool,
        at: i64,
    ) -> Result<Option<Card>, StoreError> {
        let answer = Answered {
            sitting,
            correct,
            first_try,
            at,
        };
        self.record_answer_queued(question, answer, &[])
    }

    /// Stores one answer and queues the statements describing it, in one transaction.
    pub fn record_answer_queued(
        &mut self,
        question: &Question,
        answer: Answered,
        outgoing: &[Outgoing],
    ) -> Result<Option<Card>, StoreError> {
        let Answered {
            sitting,
            correct,
            first_try,
            at,
        } = answer;
        let previous = self.card(&question.id)?;
        let profile_id = self.profile_for_writing()?;
        let path = self.path.clone();
        let sql = |e| StoreError::from_sql(&path, e);
        let tx = self.conn.transaction().map_err(sql)?;
        tx.execute(
            "INSERT INTO quiz_answers (profile_id, question, dimension, correct, answered_at, sitting, first_try)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                profile_id,
                question.id.as_str(),
                question.dimension.key(),
                correct,
                at,
                sitting,
                first_try
            ],
        )
        .map_err(sql)?;
        let answer = tx.last_insert_rowid();
        for role in &question.roles {
            tx.execute(
                "INSERT OR IGNORE INTO answer_roles (answer_id, role) VALUES (?1, ?2)",
                params![answer, role.as_str()],
            )
            .map_err(sql)?;
        }
        let card = first_try.then(|| Card::after(previous, correct, sitting));
        if let Some(card) = card {
            tx.execute(
                "INSERT INTO cards (profile_id, question, level, due_sitting) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (profile_id, question) DO UPDATE SET level = ?3, due_sitting = ?4",
                params![profile_id, question.id.as_str(), card.level, card.due_sitting],
            )
            .map_err(sql)?;
        }
        outbox::queue_in(&tx, outgoing, at).map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(card)
    }

    /// The current profile's scenario runs, oldest first.
    pub fn runs(&self) -> Result<Vec<RunRecord>, StoreError> {
        let mut runs: Vec<(i64, RunRecord)> = {
            let mut stmt = self
                .conn
                .prepare(
                    "SELECT id, scenario, finished_at, total FROM scenario_runs
                     WHERE profile_id = ?1 ORDER BY finished_at, id",
                )
                .map_err(|e| self.sql(e))?;
            stmt.query_map([self.profile_id], |r| {
                Ok((
                    r.get(0)?,
                    RunRecord {
                        scenario: r.get(1)?,
                        at: r.get(2)?,
                        total: r.get(3)?,
                        dimensions: BTreeMap::new(),
                        roles: BTreeMap::new(),
                    },
                ))
            })
            .and_then(Iterator::collect)
            .map_err(|e| self.sql(e))?
        };
        let mut dims = self
            .conn
            .prepare("SELECT dimension, score FROM run_dimensions WHERE run_id = ?1")
            .map_err(|e| self.sql(e))?;
        let mut roles = self
            .conn
            .prepare("SELECT role, credits, deductions FROM run_roles WHERE run_id = ?1")
            .map_err(|e| self.sql(e))?;
        for (id, run) in &mut runs {
            let rows: Vec<(String, u32)> = dims
                .query_map([*id], |r| Ok((r.get(0)?, r.get(1)?)))
                .and_then(Iterator::collect)
                .map_err(|e| self.sql(e))?;
            run.dimensions = rows
                .into_iter()
                .filter_map(|(key, score)| dimension_of(&key).map(|d| (d, score)))
                .collect();
            let rows: Vec<(String, u32, u32)> = roles
                .query_map([*id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .and_then(Iterator::collect)
                .map_err(|e| self.sql(e))?;
            run.roles = rows
                .into_iter()
                .map(|(role, credits, deductions)| {
                    (
                        RoleId::new(role),
                        RoleTally {
                            credits,
                            deductions,
                        },
                    )
                })
                .collect();
        }
        Ok(runs.into_iter().map(|(_, r)| r).collect())
    }

    /// The current profile's quiz answers, oldest first.
    pub fn answers(&self) -> Result<Vec<AnswerRecord>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT a.sitting, a.question, a.dimension, a.correct, a.first_try, a.answered_at,
                        (SELECT group_concat(role, ' ') FROM answer_roles WHERE answer_id = a.id)
                 FROM quiz_answers a WHERE a.profile_id = ?1 ORDER BY a.answered_at, a.id",
            )
            .map_err(|e| self.sql(e))?;
        let rows: Vec<(u32, String, String, bool, bool, i64, Option<String>)> = stmt
            .query_map([self.profile_id], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            })
            .and_then(Iterator::collect)
            .map_err(|e| self.sql(e))?;
        Ok(rows
            .into_iter()
            .filter_map(
                |(sitting, question, dimension, correct, first_try, at, roles)| {
                    Some(AnswerRecord {
                        sitting,
                        question: QuestionId::new(question),
                        dimension: dimension_of(&dimension)?,
                        roles: roles
                            .unwrap_or_default()
                            .split_whitespace()
                            .map(RoleId::from)
                            .collect(),
                        correct,
                        first_try,
                        at,
                    })
                },
            )
            .collect())
    }

    /// The progress report of the current profile against the loaded content.
    pub fn report(&self, library: &Library) -> Result<ProgressReport, StoreError> {
        let runs = self.runs()?;
        let answers = self.answers()?;
        let next = self.next_sitting()?;
        Ok(report_of(
            &self.profile,
            library,
            &runs,
            &answers,
            &self.cards()?,
            next,
        ))
    }

    /// A one-line description for status bars: file, profile, counts.
    pub fn describe(&self) -> String {
        let mut out = format!("{} (profile `{}`", self.path.display(), self.profile);
        if let (Ok(runs), Ok(answers)) = (self.runs(), self.answers()) {
            let _ = write!(out, ", {} runs, {} answers", runs.len(), answers.len());
        }
        out.push(')');
        out
    }
}

/// The report of a learner with nothing recorded yet.
pub fn empty_report(profile: &str, library: &Library) -> ProgressReport {
    report_of(profile, library, &[], &[], &BTreeMap::new(), 1)
}

fn report_of(
    profile: &str,
    library: &Library,
    runs: &[RunRecord],
    answers: &[AnswerRecord],
    cards: &BTreeMap<QuestionId, Card>,
    next_sitting: u32,
) -> ProgressReport {
    let bank: Vec<QuestionId> = library.questions().map(|(_, q)| q.id.clone()).collect();
    let due = due_count(&bank, cards, next_sitting);
    summarize(
        profile,
        runs,
        answers,
        due,
        &Catalogue::of(library),
        library.matrix.as_ref().map(|m| &*m.matrix),
    )
}

fn dimension_of(key: &str) -> Option<Dimension> {
    Dimension::ALL.into_iter().find(|d| d.key() == key)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use rusqlite::ffi;

    use super::StoreError;

    fn from_code(code: i32) -> String {
        let e = rusqlite::Error::SqliteFailure(ffi::Error::new(code), None);
        StoreError::from_sql(Path::new("progress.db"), e).to_string()
    }

    #[test]
    fn a_database_that_cannot_be_written_is_said_in_words() {
        let read_only = from_code(ffi::SQLITE_READONLY);
        assert!(
            read_only.contains("cannot be written (it is read-only); nothing was recorded"),
            "{read_only}"
        );
        assert!(!read_only.contains("attempt to write"), "{read_only}");
        let full = from_code(ffi::SQLITE_FULL);
        assert!(full.contains("the disk is full"), "{full}");
        let busy = from_code(ffi::SQLITE_BUSY);
        assert!(busy.contains("locked by another program"), "{busy}");
    }
}
