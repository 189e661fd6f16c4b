//! Warroom: a tabletop-exercise simulator and training game for security incident response.
//!
//! [`engine`] is the pure, deterministic core (no UI imports); [`cli`] runs it headless;
//! [`store`] keeps saves and progress, [`interop`] reads and writes spreadsheets and xAPI beside
//! it; [`lrs`] joins the two to send organisation records to a learning record store;
//! [`hosting`] is the interface through which the app drives a room without knowing its transport;
//! `app` (feature `app`) is the Bevy + egui desktop front-end that renders engine state and sends
//! player intents into it; `room_host` (feature `room`) serves a session to browser seats.

pub mod cli;
pub mod engine;
pub mod hosting;
pub mod interop;
pub mod lrs;
pub mod store;

#[cfg(feature = "app")]
pub mod app;

#[cfg(feature = "room")]
pub mod room_host;
