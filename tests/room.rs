//! The room host end to end: its protocol over HTTP and WebSocket, and its pages in a real
//! browser.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test setup should fail loudly"
)]

#[path = "room/admission.rs"]
mod admission;
#[path = "room/browser.rs"]
mod browser;
#[path = "room/durability.rs"]
mod durability;
#[path = "room/link.rs"]
mod link;
#[path = "room/protocol.rs"]
mod protocol;
#[path = "room/seats.rs"]
mod seats;
#[path = "room/support.rs"]
mod support;
