//! Engine integration tests: one binary, split by topic (content, diagnostics, scoring, CLI, properties).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "test helpers should fail loudly at the point of the problem"
)]

#[path = "engine/support.rs"]
mod support;

#[path = "engine/aar.rs"]
mod aar;
#[path = "engine/architecture.rs"]
mod architecture;
#[path = "engine/cli.rs"]
mod cli;
#[path = "engine/content.rs"]
mod content;
#[path = "engine/derived_plans.rs"]
mod derived_plans;
#[path = "engine/diagnostics.rs"]
mod diagnostics;
#[path = "engine/expressiveness.rs"]
mod expressiveness;
#[path = "engine/facilitation.rs"]
mod facilitation;
#[path = "engine/grading.rs"]
mod grading;
#[path = "engine/interop.rs"]
mod interop;
#[path = "engine/journal.rs"]
mod journal;
#[path = "engine/learner_cli.rs"]
mod learner_cli;
#[path = "engine/lrs.rs"]
mod lrs;
#[path = "engine/msel.rs"]
mod msel;
#[path = "engine/organisation.rs"]
mod organisation;
#[path = "engine/plan_diff.rs"]
mod plan_diff;
#[path = "engine/properties.rs"]
mod properties;
#[path = "engine/questions.rs"]
mod questions;
#[path = "engine/reporting.rs"]
mod reporting;
#[path = "engine/scale.rs"]
mod scale;
#[path = "engine/scoring.rs"]
mod scoring;
#[path = "engine/solve.rs"]
mod solve;
#[path = "engine/store.rs"]
mod store;
#[path = "engine/workbooks.rs"]
mod workbooks;

#[path = "engine/xapi.rs"]
mod xapi;
#[path = "engine/xapi_client.rs"]
mod xapi_client;
