//! The outbox: statements for the organisation's learning record store, queued in the same
//! transaction as the run or answer they describe and sent later, in order, in batches. A
//! statement is queued once (its id is unique), stays until the store took it (or refused it for
//! good), and a failed delivery waits longer each time before the next try, so a machine offline
//! for a week sends everything when it is back and a `kill -9` loses nothing.
//!
//! The store knows nothing of HTTP: [`ProgressDb::drain_outbox`] hands each batch to a closure
//! and records what it says happened.

use rusqlite::{OptionalExtension, Transaction, params};

use super::{ProgressDb, StoreError};

/// One statement to send: its id and its JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outgoing {
    /// The statement's id (a UUID): queued once, whatever happens.
    pub id: String,
    /// The statement as sent.
    pub json: String,
}

/// What became of a batch handed to the sender.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Delivered {
    /// Taken by the store (or already there).
    pub sent: Vec<String>,
    /// Refused for good, with the store's reason: sending it again would be refused again.
    pub refused: Vec<(String, String)>,
    /// Why the rest could not be delivered now (offline, signed out, the store failing): tried
    /// again later.
    pub failure: Option<String>,
}

/// What one drain did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DrainReport {
    /// Statements the store took.
    pub sent: usize,
    /// Statements it refused for good.
    pub refused: usize,
    /// Why the drain stopped early, if it did.
    pub failure: Option<String>,
    /// When the next try is due after a failure: this drain's, or an earlier one whose wait was
    /// not over (then nothing was tried).
    pub waiting_until: Option<i64>,
}

/// The outbox as a learner or trainer sees it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OutboxStatus {
    /// Statements the store took.
    pub sent: u64,
    /// Statements waiting to be sent.
    pub waiting: u64,
    /// Statements the store refused for good, with the last reason.
    pub refused: u64,
    /// The reason the store gave for the last refused statement.
    pub last_refusal: Option<String>,
    /// When a statement was last taken (Unix seconds).
    pub last_sent_at: Option<i64>,
    /// The last failure, in words, and when (cleared by the next success).
    pub last_error: Option<(String, i64)>,
    /// When the next try is due after failures.
    pub next_attempt_at: Option<i64>,
    /// When the history was first queued (`warroom lrs push`).
    pub history_filled_at: Option<i64>,
}

impl OutboxStatus {
    /// "31 sent, 4 waiting, 1 refused by the LRS".
    pub fn summary(&self) -> String {
        let refused = if self.refused > 0 {
            format!(", {} refused by the LRS", self.refused)
        } else {
            String::new()
        };
        format!("{} sent, {} waiting{refused}", self.sent, self.waiting)
    }
}

/// Longest wait between tries after failures (seconds).
const MAX_BACKOFF: i64 = 3600;
/// First wait after a failure (seconds); doubled by each further one.
const FIRST_BACKOFF: i64 = 15;

/// How long to wait after the `failures`-th failure in a row.
pub fn backoff(failures: u32) -> i64 {
    let doublings = failures.saturating_sub(1).min(16);
    (FIRST_BACKOFF << doublings).min(MAX_BACKOFF)
}

/// Queues `outgoing` inside `tx`; a statement already queued is left as it is. Returns how many
/// were new.
pub(super) fn queue_in(
    tx: &Transaction<'_>,
    outgoing: &[Outgoing],
    at: i64,
) -> rusqlite::Result<usize> {
    let mut stmt = tx.prepare_cached(
        "INSERT OR IGNORE INTO outbox (id, statement, queued_at) VALUES (?1, ?2, ?3)",
    )?;
    let mut new = 0;
    for statement in outgoing {
        new += stmt.execute(params![statement.id, statement.json, at])?;
    }
    Ok(new)
}

impl ProgressDb {
    /// Queues statements (from history, or anything not tied to a new record); returns how many
    /// were not queued before.
    pub fn queue_statements(
        &mut self,
        outgoing: &[Outgoing],
        at: i64,
    ) -> Result<usize, StoreError> {
        let path = self.path.clone();
        let sql = |e| StoreError::from_sql(&path, e);
        let tx = self.conn.transaction().map_err(sql)?;
        let new = queue_in(&tx, outgoing, at).map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(new)
    }

    /// Marks the history as queued (`warroom lrs push` fills the outbox from it once).
    pub fn mark_history_filled(&mut self, at: i64) -> Result<(), StoreError> {
        self.ensure_outbox_state()?;
        self.conn
            .execute(
                "UPDATE outbox_state SET history_filled_at = coalesce(history_filled_at, ?1)",
                [at],
            )
            .map(drop)
            .map_err(|e| self.sql(e))
    }

    fn ensure_outbox_state(&self) -> Result<(), StoreError> {
        self.conn
            .execute("INSERT OR IGNORE INTO outbox_state (id) VALUES (1)", [])
            .map(drop)
            .map_err(|e| self.sql(e))
    }

    /// The outbox in numbers, with the last error in words.
    pub fn outbox_status(&self) -> Result<OutboxStatus, StoreError> {
        let sql = |e| self.sql(e);
        // A database of an older schema, opened only to read, has no outbox yet.
        let has_outbox: bool = self
            .conn
            .query_row(
                "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'outbox'",
                [],
                |r| r.get(0),
            )
            .map_err(sql)?;
        if !has_outbox {
            return Ok(OutboxStatus::default());
        }
        let count = |r: &rusqlite::Row<'_>, i| r.get::<_, i64>(i).map(i64::unsigned_abs);
        let (sent, waiting, refused) = self
            .conn
            .query_row(
                "SELECT count(sent_at), count(*) - count(sent_at) - count(refused), count(refused)
                 FROM outbox",
                [],
                |r| Ok((count(r, 0)?, count(r, 1)?, count(r, 2)?)),
            )
            .map_err(sql)?;
        let last_refusal = self
            .conn
            .query_row(
                "SELECT refused FROM outbox WHERE refused IS NOT NULL ORDER BY seq DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(sql)?;
        let state = self
            .conn
            .query_row(
                "SELECT last_error, last_error_at, next_attempt_at, last_sent_at, history_filled_at
                 FROM outbox_state WHERE id = 1",
                [],
                |r| {
                    Ok((
                        r.get::<_, Option<String>>(0)?,
                        r.get::<_, Option<i64>>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, Option<i64>>(3)?,
                        r.get::<_, Option<i64>>(4)?,
                    ))
                },
            )
            .optional()
            .map_err(sql)?;
        let mut status = OutboxStatus {
            sent,
            waiting,
            refused,
            last_refusal,
            ..OutboxStatus::default()
        };
        if let Some((error, error_at, next, last_sent, history)) = state {
            status.last_error = error.zip(error_at);
            status.next_attempt_at = (next > 0 && status.last_error.is_some()).then_some(next);
            status.last_sent_at = last_sent;
            status.history_filled_at = history;
        }
        Ok(status)
    }

    /// The oldest `limit` statements waiting.
    pub fn outbox_waiting(&self, limit: usize) -> Result<Vec<Outgoing>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, statement FROM outbox WHERE sent_at IS NULL AND refused IS NULL
                 ORDER BY seq LIMIT ?1",
            )
            .map_err(|e| self.sql(e))?;
        stmt.query_map([i64::try_from(limit).unwrap_or(i64::MAX)], |r| {
            Ok(Outgoing {
                id: r.get(0)?,
                json: r.get(1)?,
            })
        })
        .and_then(Iterator::collect)
        .map_err(|e| self.sql(e))
    }

    /// Records what became of a batch: one transaction, so a crash records all of it or none
    /// (and the store, which keeps one statement per id, takes a resend as the same statement).
    /// Returns when the next try is due, after a failure.
    pub fn record_delivery(
        &mut self,
        delivered: &Delivered,
        at: i64,
    ) -> Result<Option<i64>, StoreError> {
        self.ensure_outbox_state()?;
        let path = self.path.clone();
        let sql = |e| StoreError::from_sql(&path, e);
        let tx = self.conn.transaction().map_err(sql)?;
        for id in &delivered.sent {
            tx.execute(
                "UPDATE outbox SET sent_at = ?2 WHERE id = ?1 AND sent_at IS NULL",
                params![id, at],
            )
            .map_err(sql)?;
        }
        for (id, reason) in &delivered.refused {
            tx.execute(
                "UPDATE outbox SET refused = ?2 WHERE id = ?1 AND sent_at IS NULL",
                params![id, reason],
            )
            .map_err(sql)?;
        }
        if !delivered.sent.is_empty() {
            tx.execute(
                "UPDATE outbox_state SET last_sent_at = ?1 WHERE id = 1",
                [at],
            )
            .map_err(sql)?;
        }
        let next = if let Some(error) = &delivered.failure {
            let failures: u32 = tx
                .query_row("SELECT failures FROM outbox_state WHERE id = 1", [], |r| {
                    r.get(0)
                })
                .map_err(sql)?;
            let failures = failures.saturating_add(1);
            let next = at + backoff(failures);
            tx.execute(
                "UPDATE outbox_state SET failures = ?1, last_error = ?2, last_error_at = ?3,
                     next_attempt_at = ?4 WHERE id = 1",
                params![failures, error, at, next],
            )
            .map_err(sql)?;
            Some(next)
        } else {
            tx.execute(
                "UPDATE outbox_state SET failures = 0, last_error = NULL, last_error_at = NULL,
                     next_attempt_at = 0 WHERE id = 1",
                [],
            )
            .map_err(sql)?;
            None
        };
        tx.commit().map_err(sql)?;
        Ok(next)
    }

    /// The profile that recorded each exercise's run, by the exercise's save id.
    pub fn exercise_profiles(
        &self,
    ) -> Result<std::collections::BTreeMap<String, String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT r.exercise, p.name FROM scenario_runs r JOIN profiles p ON p.id = r.profile_id
                 WHERE r.exercise IS NOT NULL ORDER BY r.id",
            )
            .map_err(|e| self.sql(e))?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .and_then(Iterator::collect)
            .map_err(|e| self.sql(e))
    }

    /// How many runs name no save: recorded before runs named theirs, or by a scripted run
    /// played without `--session`.
    pub fn runs_without_save(&self) -> Result<u64, StoreError> {
        self.conn
            .query_row(
                "SELECT count(*) FROM scenario_runs WHERE exercise IS NULL",
                [],
                |r| r.get::<_, i64>(0),
            )
            .map(i64::unsigned_abs)
            .map_err(|e| self.sql(e))
    }

    /// Forgets the wait after failures, so the next drain tries at once (a person asked).
    pub fn retry_outbox_now(&mut self) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE outbox_state SET next_attempt_at = 0 WHERE id = 1",
                [],
            )
            .map(drop)
            .map_err(|e| self.sql(e))
    }

    /// Sends what waits, oldest first, `batch` statements at a time, until the outbox is empty or
    /// a delivery fails; does nothing while the wait after the last failure runs. `now` gives the
    /// time of each step.
    pub fn drain_outbox(
        &mut self,
        batch: usize,
        now: impl Fn() -> i64,
        mut send: impl FnMut(&[Outgoing]) -> Delivered,
    ) -> Result<DrainReport, StoreError> {
        let mut report = DrainReport::default();
        let next: Option<i64> = self
            .conn
            .query_row(
                "SELECT next_attempt_at FROM outbox_state WHERE id = 1 AND failures > 0",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.sql(e))?;
        if let Some(next) = next.filter(|&next| next > now()) {
            report.waiting_until = Some(next);
            return Ok(report);
        }
        loop {
            let waiting = self.outbox_waiting(batch.max(1))?;
            if waiting.is_empty() {
                return Ok(report);
            }
            let delivered = send(&waiting);
            // Anything of the batch neither sent nor refused, with no reason given, is a failure:
            // never loop on a batch the sender silently skipped.
            let mut delivered = delivered;
            let settled = delivered.sent.len() + delivered.refused.len();
            if delivered.failure.is_none() && settled == 0 {
                delivered.failure = Some("the sender settled none of the statements".into());
            }
            report.waiting_until = self.record_delivery(&delivered, now())?;
            report.sent += delivered.sent.len();
            report.refused += delivered.refused.len();
            if let Some(failure) = delivered.failure {
                report.failure = Some(failure);
                return Ok(report);
            }
        }
    }
}
