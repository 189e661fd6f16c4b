//! The room host: serves a session to browser seats on the local network (axum on tokio, beside
//! the app or headless with `warroom serve`). The engine stays authoritative here: seats send
//! intents, the host applies them in the order it receives them, saves, acknowledges, and pushes
//! every seat its own view. It runs on its own threads, so nothing a client does can hold up the
//! app's frames.
//!
//! Layering: the host uses the engine and the store, never the app or the CLI.

mod budget;
mod codes;
pub mod console_view;
pub mod forms;
mod host;
mod link;
mod listener;
mod markup;
pub mod pages;
pub mod protocol;
mod routes;
pub mod seat_page;
mod serve;
mod site;
mod sockets;
pub mod state;
mod teams;

pub use codes::new_code;
pub use host::{HostRuntime, RoomHost};
pub use link::opener;
pub use serve::{MAX_TEAMS, ServeError, ServeOptions, host_exercise, serve};
pub use state::{Caller, Hosted, Refusal, Shared};
pub use teams::TeamEntry;
