//! Several teams playing the same exercise at once (`serve --teams`), each in a room of its own:
//! what the lead facilitator's overview knows of each.

use std::sync::Arc;

use super::state::Shared;

/// One team of several playing the same exercise at once.
#[derive(Clone)]
pub struct TeamEntry {
    /// The team's exercise id.
    pub name: String,
    /// Its hosted exercise.
    pub shared: Arc<Shared>,
    /// Its console's address.
    pub console_url: String,
}
