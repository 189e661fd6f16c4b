//! The session state machine: intents in, events out, on a scenario clock, with a replayable log.

mod checks;
mod clock;
mod describe;
mod log;
mod queries;
mod release;
mod state;

pub use describe::{either_list, names_list};
pub use log::{LOG_FORMAT_VERSION, LogEntry, PlanStamp, RULES_VERSION, ReplayError, SessionLog};
pub(crate) use state::reject;
pub use state::{
    ApprovalRecord, Granted, MessageApprovalRecord, Performed, Rejected, Session, TASK_CLASSIFY,
    TASK_DECLARE,
};
