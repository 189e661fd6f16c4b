//! The Warroom engine: scenario and matrix model, validation, the session state machine, scoring
//! and reports. Plain Rust with no UI dependency, deterministic for a given seed, so every rule runs
//! headless in tests and from the CLI.
//!
//! Data flow: files → [`load`] → [`validate`] → [`session::Session`] (intents in, events out) →
//! [`scoring::score`] → [`report`].
#![warn(clippy::indexing_slicing)]

pub mod aar;
pub mod diagnostic;
pub mod exercise;
pub mod id;
pub mod intent;
pub mod library;
pub mod load;
pub mod matrix;
pub mod practice;
pub mod progress;
pub mod quiz;
pub mod report;
pub mod scenario;
pub mod scoring;
pub mod script;
pub mod session;
pub mod validate;

pub use diagnostic::{Diagnostic, Level};
pub use intent::{Event, Handoff, Intent, Urgency};
pub use matrix::{Dimension, Matrix};
pub use scenario::Scenario;
pub use scoring::{Finding, FindingKind, Scorecard, score};
pub use session::{Rejected, Session, SessionLog};
