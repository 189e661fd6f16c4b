//! The Warroom engine: scenario and matrix model, validation, the session state machine, scoring
//! and reports. Plain Rust with no UI dependency, deterministic for a given seed, so every rule runs
//! headless in tests and from the CLI.
//!
//! Folders follow the data flow: files are read and checked in [`content`] into the types of
//! [`model`]; a [`session::Session`] takes intents and gives events; [`scoring::score`] grades it
//! against the matrix; [`reports`] write it up; an [`exercise`] record keeps what a facilitator adds
//! around a session. [`model::quiz`] is the question bank, [`learning`] spaced repetition and
//! progress; [`room`] says what each seat of a multi-seat room may send and sees.
#![warn(clippy::indexing_slicing)]

pub mod content;
pub mod diagnostic;
pub mod exercise;
pub mod learning;
pub mod model;
pub mod reports;
pub mod room;
pub mod scoring;
pub mod session;
pub mod solve;
pub mod text;

pub use diagnostic::{Diagnostic, Level};
pub use model::intent::{Event, Handoff, Intent, Urgency};
pub use model::matrix::{Dimension, Matrix};
pub use model::scenario::Scenario;
pub use scoring::{Finding, FindingKind, Scorecard, score};
pub use session::{Rejected, Session, SessionLog};
