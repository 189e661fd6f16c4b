//! The learner's side: the question bank answered from the matrix, spaced repetition, and the
//! progress report.

pub mod practice;
pub mod progress;
pub mod quiz;
pub mod tally;
