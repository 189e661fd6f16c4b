//! A seat: who it is, and what it may send.

use serde::{Deserialize, Serialize};

use crate::engine::model::id::RoleId;
use crate::engine::model::intent::Intent;
use crate::engine::session::{Rejected, Session, reject};

/// A seat of the room: one role, or a team holding several.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seat {
    /// Stable id, unique in the room.
    pub id: String,
    /// What the seat is called ("Legal Counsel", "Comms and Legal").
    pub name: String,
    /// The roles it plays.
    pub roles: Vec<RoleId>,
}

impl Seat {
    /// One seat per role of the scenario's cast (every matrix role when it names none).
    pub fn per_role(session: &Session) -> Vec<Self> {
        let matrix = session.matrix();
        let cast: Vec<&RoleId> = if session.scenario().cast.is_empty() {
            matrix.roles.iter().map(|r| &r.id).collect()
        } else {
            session.scenario().cast.iter().collect()
        };
        cast.into_iter()
            .map(|role| Self {
                id: role.to_string(),
                name: matrix.role_name(role.as_str()).to_owned(),
                roles: vec![role.clone()],
            })
            .collect()
    }

    /// Whether the seat plays `role`.
    pub fn plays(&self, role: &RoleId) -> bool {
        self.roles.contains(role)
    }

    /// Whether the seat may send `intent`: it acts only as one of its own roles, the clock and
    /// the injects are the facilitator's, and it names nothing the room has not been given (the
    /// refusal says nothing of what is to come). The session still checks the intent itself.
    pub fn may_send(&self, session: &Session, intent: &Intent) -> Result<(), Rejected> {
        let Some(acting) = intent.actor() else {
            return reject("only the facilitator moves the clock and releases or holds injects");
        };
        if session.refers_to_unseen(intent) {
            return reject("that is not available yet");
        }
        if self.plays(acting) {
            Ok(())
        } else {
            reject(format!(
                "this seat plays {}, not {}",
                crate::engine::session::names_list(
                    self.roles
                        .iter()
                        .map(|r| session.matrix().role_name(r.as_str()).to_owned())
                        .collect()
                ),
                session.matrix().role_name(acting.as_str())
            ))
        }
    }
}
