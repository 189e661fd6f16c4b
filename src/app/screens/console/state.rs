//! What the console's panels remember between frames.

use bevy::prelude::*;

use crate::engine::model::id::RoleId;
use crate::engine::model::matrix::Dimension;

/// The facilitator's left panel.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LeftTab {
    /// What the room has been given.
    #[default]
    Feed,
    /// The schedule: release, hold, write an ad-hoc inject.
    Injects,
    /// Who plays which role.
    People,
    /// The room: seats on the attendees' devices.
    Room,
}

/// The facilitator's right panel.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RightTab {
    /// The room's decisions, entered as the room makes them.
    #[default]
    Decisions,
    /// Observer notes.
    Notes,
    /// Live scorecard and expectations.
    Scorecard,
}

/// What the console's forms hold between frames.
#[derive(Resource, Clone, Debug, Default, PartialEq)]
pub struct ConsoleState {
    /// Left tab.
    pub left: LeftTab,
    /// Right tab.
    pub right: RightTab,
    /// Ad-hoc inject headline.
    pub adhoc_title: String,
    /// Ad-hoc inject text.
    pub adhoc_narrative: String,
    /// The role the ad-hoc inject goes to; everyone when `None`.
    pub adhoc_to: Option<RoleId>,
    /// The ad-hoc inject last released from the form: (headline, minute), said under the form so
    /// that a release is seen, and not repeated by a second click.
    pub adhoc_released: Option<(String, u32)>,
    /// Facilitator's name as typed.
    pub facilitator: Option<String>,
    /// Person to seat.
    pub person: String,
    /// Role to seat them in.
    pub person_role: Option<RoleId>,
    /// Note being written.
    pub note: String,
    /// Role the note is about.
    pub note_role: Option<RoleId>,
    /// Dimension the note bears on.
    pub note_dimension: Option<Dimension>,
    /// Open the room to the local network, not only this computer.
    pub room_local_network: bool,
    /// The seat whose chat is shown.
    pub chat_seat: Option<String>,
    /// A chat line being written.
    pub chat_text: String,
    /// A removal that sends people away, waiting for the facilitator to confirm it.
    pub confirm_removal: Option<crate::engine::room::SeatChange>,
}
