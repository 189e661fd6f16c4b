//! What the console page is sent after every change: the room's seats, devices and chat as the
//! facilitator manages them (drawn by [`super::pages::ConsoleParts`]).

use serde::Serialize;

use super::state::Hosted;
use crate::engine::room::Named;

/// A device as the console lists it.
#[derive(Clone, Debug, Serialize)]
pub struct ConsoleDevice {
    /// Its number.
    pub number: u32,
    /// Who holds it.
    pub person: String,
}

/// One seat as the console lists it.
#[derive(Clone, Debug, Serialize)]
pub struct ConsoleSeat {
    /// Seat id.
    pub id: String,
    /// Seat name.
    pub name: String,
    /// The devices that took it.
    pub devices: Vec<ConsoleDevice>,
    /// How many roles it plays (a team seat plays several).
    pub roles: usize,
    /// Devices may take it.
    pub open: bool,
    /// Connections open now.
    pub connected: usize,
    /// Intents accepted from its device.
    pub intents: u32,
    /// Seconds since its last intent or chat line.
    pub idle_secs: Option<i64>,
    /// The page to act for it.
    pub act_url: String,
}

/// A chat line as the console shows it.
#[derive(Clone, Debug, Serialize)]
pub struct ConsoleChat {
    /// Seat id.
    pub seat: String,
    /// Seat name.
    pub seat_name: String,
    /// Who at the seat wrote it.
    pub person: String,
    /// Written by the facilitator.
    pub from_facilitator: bool,
    /// Scenario minute.
    pub minute: u32,
    /// Text.
    pub text: String,
}

/// The facilitator's page after a change.
#[derive(Clone, Debug, Serialize)]
pub struct ConsoleView {
    /// Scenario minute.
    pub minute: u32,
    /// Planned length.
    pub duration: u32,
    /// The exercise is over.
    pub ended: bool,
    /// Injects not yet released, for "release now".
    pub pending: Vec<Named>,
    /// The seats.
    pub seats: Vec<ConsoleSeat>,
    /// Every chat line.
    pub chat: Vec<ConsoleChat>,
}

/// The console's data: clock, seats and chat.
pub fn console_view(
    hosted: &Hosted,
    console: &str,
    connected: &dyn Fn(&str) -> usize,
) -> ConsoleView {
    let room = hosted.room();
    let now = crate::store::unix_now();
    let name_of = |id: &str| {
        room.by_id(id)
            .map_or_else(|| id.to_owned(), |s| s.seat.name.clone())
    };
    ConsoleView {
        minute: hosted.session.minute(),
        duration: hosted.session.scenario().duration_mins,
        ended: hosted.session.ended(),
        pending: hosted
            .session
            .pending_injects()
            .into_iter()
            .map(|i| Named {
                id: i.id.to_string(),
                name: i.title.clone(),
            })
            .collect(),
        seats: room
            .seats
            .iter()
            .map(|s| ConsoleSeat {
                id: s.seat.id.clone(),
                name: s.seat.name.clone(),
                devices: s
                    .devices
                    .iter()
                    .map(|d| ConsoleDevice {
                        number: d.number,
                        person: d.person.clone(),
                    })
                    .collect(),
                open: s.open,
                roles: s.seat.roles.len(),
                connected: connected(&s.seat.id),
                intents: s.intents,
                idle_secs: s.last_active.map(|t| (now - t).max(0)),
                act_url: format!("/console/{console}/seat/{}", s.seat.id),
            })
            .collect(),
        chat: room
            .chat
            .iter()
            .map(|l| ConsoleChat {
                seat: l.seat.clone(),
                seat_name: name_of(&l.seat),
                person: l.person.clone(),
                from_facilitator: l.from_facilitator,
                minute: l.minute,
                text: l.text.clone(),
            })
            .collect(),
    }
}
