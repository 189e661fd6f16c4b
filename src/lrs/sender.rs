//! The background sender: one thread with its own connection to the progress database, draining
//! the outbox whenever something is queued, when the wait after a failure ends, and every few
//! minutes besides. Nothing waits for it: the frame, the quiz and the exercise go on while it
//! sends or the network is down.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

use super::drain;
use crate::interop::xapi::client::LrsClient;
use crate::interop::xapi::config::LrsConfig;
use crate::store::{ProgressDb, unix_now};

/// How often an idle sender looks again (something may have been queued by another process).
const IDLE_LOOK: Duration = Duration::from_mins(5);

enum Signal {
    Look,
    Stop,
}

/// A running background sender; stops when dropped (a request under way is left to finish or
/// time out on its own thread, and what it sent is recorded or sent again next time).
pub struct Sender {
    signal: mpsc::Sender<Signal>,
    /// Sending now.
    busy: Arc<AtomicBool>,
}

impl Sender {
    /// Starts sending the outbox of the database at `db_path` to the store `config` names;
    /// `changed` is called after each try that sent something or failed (to wake a window).
    /// Fails only if the thread cannot start.
    pub fn start(
        db_path: PathBuf,
        config: &LrsConfig,
        changed: Option<Box<dyn Fn() + Send + Sync>>,
    ) -> std::io::Result<Self> {
        let (signal, signals) = mpsc::channel();
        let busy = Arc::new(AtomicBool::new(false));
        let client = LrsClient::new(config);
        let flag = Arc::clone(&busy);
        thread::Builder::new()
            .name("warroom-lrs".into())
            .spawn(move || run(&db_path, &client, &signals, &flag, changed.as_deref()))?;
        Ok(Self { signal, busy })
    }

    /// Something was queued (or a person asked to retry): look now.
    pub fn look(&self) {
        // A sender whose thread ended has nothing to wake.
        let _ = self.signal.send(Signal::Look);
    }

    /// Whether a send is under way.
    pub fn busy(&self) -> bool {
        self.busy.load(Ordering::Acquire)
    }
}

impl Drop for Sender {
    fn drop(&mut self) {
        let _ = self.signal.send(Signal::Stop);
    }
}

/// Drains whenever told to look, when a failure's wait ends, and every [`IDLE_LOOK`]; keeps one
/// connection to the database, opened again after it failed.
fn run(
    db_path: &Path,
    client: &LrsClient,
    signals: &mpsc::Receiver<Signal>,
    busy: &AtomicBool,
    changed: Option<&(dyn Fn() + Send + Sync)>,
) {
    // The database may be locked or unreadable for a while: the Progress screen says so through
    // the learner's own connection; here it is only tried again a minute later.
    const AFTER_A_PROBLEM: Duration = Duration::from_mins(1);
    let mut db: Option<ProgressDb> = None;
    loop {
        busy.store(true, Ordering::Release);
        if db.is_none() {
            db = ProgressDb::open(db_path, "").ok();
        }
        let wait = match db.as_mut().map(|db| drain(db, client)) {
            Some(Ok(report)) => {
                if (report.sent > 0 || report.refused > 0 || report.failure.is_some())
                    && let Some(changed) = changed
                {
                    changed();
                }
                report.waiting_until.map_or(IDLE_LOOK, |at| {
                    Duration::from_secs(at.saturating_sub(unix_now()).clamp(1, 3600).unsigned_abs())
                })
            }
            Some(Err(_)) => {
                db = None;
                AFTER_A_PROBLEM
            }
            None => AFTER_A_PROBLEM,
        };
        busy.store(false, Ordering::Release);
        match signals.recv_timeout(wait) {
            Ok(Signal::Look) | Err(RecvTimeoutError::Timeout) => {}
            Ok(Signal::Stop) | Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}
