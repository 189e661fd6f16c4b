//! The data every other part works on: ids, the responsibility matrix, scenarios, intents and
//! events, and decisions scripts.

pub mod discussion;
pub mod gates;
pub mod id;
pub mod intent;
pub mod local_task;
pub mod matrix;
pub mod patch;
pub mod quiz;
pub mod reachable;
pub mod scenario;
pub mod start;
