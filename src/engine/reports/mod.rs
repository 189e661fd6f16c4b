//! Writing a session up: the scorecard and timeline, and the HSEEP-style after-action report.

pub mod aar;
pub mod compare;
pub mod scorecard;
