//! The background sender: one thread with its own connection to the progress database, draining
//! the outbox whenever something is queued, when the wait after a failure ends, and every few
//! minutes besides. Nothing waits for it: the frame, the quiz and the exercise go on while it
//! sends or the network is down.

use std::path::PathBuf;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::Duration;

use super::drain;
use crate::interop::xapi::client::LrsClient;
use crate::interop::xapi::config::LrsConfig;
use crate::store::{ProgressDb, unix_now};

/// How often an idle sender looks again (something may have been queued by another process).
const IDLE_LOOK: Duration = Duration::from_mins(5);

/// What the sender last did, for a status line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SenderState {
    /// Sending now.
    pub busy: bool,
    /// Why it could not even open the database, if it could not.
    pub problem: Option<String>,
    /// Statements sent since the sender started.
    pub sent: usize,
}

enum Signal {
    Look,
    Stop,
}

/// A running background sender; stops when dropped (a request under way is left to finish or
/// time out on its own thread, and what it sent is recorded or sent again next time).
pub struct Sender {
    signal: mpsc::Sender<Signal>,
    state: Arc<Mutex<SenderState>>,
}

impl Sender {
    /// Starts sending the outbox of the database at `db_path` to the store `config` names;
    /// `changed` is called after each try that sent something or failed (to wake a window).
    pub fn start(
        db_path: PathBuf,
        config: &LrsConfig,
        changed: Option<Box<dyn Fn() + Send + Sync>>,
    ) -> Self {
        let (signal, signals) = mpsc::channel();
        let state = Arc::new(Mutex::new(SenderState::default()));
        let client = LrsClient::new(config);
        let shared = Arc::clone(&state);
        let started = thread::Builder::new()
            .name("warroom-lrs".into())
            .spawn(move || run(&db_path, &client, &signals, &shared, changed.as_deref()));
        if let Err(e) = started {
            state.lock().unwrap_or_else(PoisonError::into_inner).problem =
                Some(format!("the sending thread could not start: {e}"));
        }
        Self { signal, state }
    }

    /// Something was queued (or a person asked to retry): look now.
    pub fn look(&self) {
        // A sender whose thread ended has nothing to wake.
        let _ = self.signal.send(Signal::Look);
    }

    /// What it last did.
    pub fn state(&self) -> SenderState {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Drop for Sender {
    fn drop(&mut self) {
        let _ = self.signal.send(Signal::Stop);
    }
}

fn run(
    db_path: &std::path::Path,
    client: &LrsClient,
    signals: &mpsc::Receiver<Signal>,
    state: &Mutex<SenderState>,
    changed: Option<&(dyn Fn() + Send + Sync)>,
) {
    let set = |change: &dyn Fn(&mut SenderState)| {
        change(&mut state.lock().unwrap_or_else(PoisonError::into_inner));
    };
    loop {
        set(&|s| s.busy = true);
        let wait = match ProgressDb::open(db_path, "") {
            Ok(mut db) => match drain(&mut db, client) {
                Ok(report) => {
                    if (report.sent > 0 || report.refused > 0 || report.failure.is_some())
                        && let Some(changed) = changed
                    {
                        changed();
                    }
                    set(&|s| {
                        s.sent += report.sent;
                        s.problem = None;
                    });
                    let retry_at = report.waiting_until.or_else(|| {
                        report
                            .failure
                            .as_ref()
                            .and_then(|_| db.outbox_status().ok().and_then(|st| st.next_attempt_at))
                    });
                    retry_at.map_or(IDLE_LOOK, |at| {
                        Duration::from_secs(
                            at.saturating_sub(unix_now()).clamp(1, 3600).unsigned_abs(),
                        )
                    })
                }
                Err(e) => {
                    set(&|s| s.problem = Some(e.to_string()));
                    Duration::from_mins(1)
                }
            },
            Err(e) => {
                set(&|s| s.problem = Some(e.to_string()));
                Duration::from_mins(1)
            }
        };
        set(&|s| s.busy = false);
        match signals.recv_timeout(wait) {
            Ok(Signal::Look) | Err(RecvTimeoutError::Timeout) => {}
            Ok(Signal::Stop) | Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}
