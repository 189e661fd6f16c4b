//! Organisation records in the app: the learning record store configured beside the progress
//! database (`lrs.ron`, or `WARROOM_LRS_*`), the background sender that drains the outbox, and
//! the outbox's state for the Progress screen. Statements are built where runs and answers are
//! recorded ([`super::learner`], which also runs this resource's systems) and queued with them.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use bevy::prelude::*;

use crate::interop::xapi::Identity;
use crate::interop::xapi::config::{self, LrsConfig};
use crate::lrs::sender::Sender;
use crate::store::OutboxStatus;

/// The organisation's learning record store, as the app uses it.
#[derive(Resource, Default)]
pub struct Records {
    /// The store, when one is configured.
    pub config: Option<LrsConfig>,
    /// Why nothing goes to the store: the configuration did not read (nothing is queued until it
    /// does), or the sending thread could not start.
    pub problem: Option<String>,
    /// The outbox, as last read.
    pub status: Option<OutboxStatus>,
    sender: Option<Sender>,
    /// Set by the sender's thread after each try that changed something.
    changed: Arc<AtomicBool>,
}

impl Records {
    /// The configuration in `data_dir` and the environment.
    pub fn load(data_dir: &Path) -> Self {
        let (config, problem) = match config::load(data_dir, |name| std::env::var(name).ok()) {
            Ok(config) => (config, None),
            Err(problem) => (None, Some(problem)),
        };
        Self {
            config,
            problem,
            ..Self::default()
        }
    }

    /// Who statements are about and where their activities live, when a store is configured.
    pub fn identity(&self) -> Option<&Identity> {
        self.config.as_ref().map(|c| &c.identity)
    }

    /// Starts the background sender for the database at `db_path`.
    pub(super) fn start(&mut self, db_path: PathBuf, wake: Option<Box<dyn Fn() + Send + Sync>>) {
        let Some(config) = &self.config else {
            return;
        };
        let changed = Arc::clone(&self.changed);
        let on_change: Box<dyn Fn() + Send + Sync> = Box::new(move || {
            changed.store(true, Ordering::Release);
            if let Some(wake) = &wake {
                wake();
            }
        });
        match Sender::start(db_path, config, Some(on_change)) {
            Ok(sender) => self.sender = Some(sender),
            Err(e) => self.problem = Some(format!("the sending thread could not start: {e}")),
        }
    }

    /// Something was queued, or a person asked to send now: the sender looks at once.
    pub fn look(&self) {
        if let Some(sender) = &self.sender {
            sender.look();
        }
    }

    /// Whether the sender changed the outbox since the last call.
    pub(super) fn take_changed(&self) -> bool {
        self.changed.swap(false, Ordering::AcqRel)
    }

    /// Whether a send is under way.
    pub fn sending(&self) -> bool {
        self.sender.as_ref().is_some_and(Sender::busy)
    }
}
