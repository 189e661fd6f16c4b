//! The app's own systems and messages, headless (no window, no renderer): a whole scenario played
//! through `AppCommand`s must reach the debrief with the same scorecard `warroom play` prints.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test setup should fail loudly"
)]

#[path = "app/author.rs"]
mod author;
#[path = "app/facilitation.rs"]
mod facilitation;
#[path = "app/learner.rs"]
mod learner;
#[path = "app/play.rs"]
mod play;
#[cfg(feature = "room")]
#[path = "app/room.rs"]
mod room;
#[path = "app/saves.rs"]
mod saves;
#[path = "app/support.rs"]
mod support;
