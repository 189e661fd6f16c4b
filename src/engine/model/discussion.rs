//! Discussion questions: what a facilitator asks the room once an inject is in. Never graded.

use serde::{Deserialize, Serialize};

use crate::engine::model::id::{InjectId, RoleId};

/// A question for the room: `Discussion(id, prompt, roles: [...], after: "inject-id")`. Shown on
/// the console once its inject is in, on the hotwash pages of its roles and in the after-action
/// report; it changes no score.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Discussion {
    /// Stable id, unique in the scenario.
    pub id: String,
    /// The question, as the facilitator asks it.
    pub prompt: String,
    /// The roles it is for; empty, the whole room.
    #[serde(default)]
    pub roles: Vec<RoleId>,
    /// The inject after which it is asked.
    pub after: InjectId,
}

impl Discussion {
    /// Whether it is for `role` (a question for the whole room is for every role).
    pub fn is_for(&self, role: &RoleId) -> bool {
        self.roles.is_empty() || self.roles.contains(role)
    }
}
