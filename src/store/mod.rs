//! Local storage outside the engine: the learner-progress database and saved exercises. Plain Rust
//! (no Bevy), shared by the CLI and the app.

pub mod content;
mod environment;
pub mod journal;
pub mod progress_db;
pub mod saves;
mod snapshot;

pub use environment::{DATA_DIR_ENV, data_dir, default_profile, unix_now};
pub use progress_db::{
    Answered, Delivered, DrainReport, OutboxStatus, Outgoing, ProgressDb, StoreError, empty_report,
};
pub use snapshot::write_atomic;
