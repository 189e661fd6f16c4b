//! The learner's side: spaced repetition over the question bank (its questions are in
//! [`crate::engine::model::quiz`]), and the progress report.

pub mod practice;
pub mod progress;
pub mod tally;
