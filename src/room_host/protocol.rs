//! The messages of the room's WebSocket, as JSON objects tagged by `t`.
//!
//! A page sends one of its forms, `{"t":"form","id":N,"as":"soc","fields":{"form":"decide",…}}`,
//! which the host reads into an intent ([`super::forms`]); a script may instead send the engine's
//! intent itself, `{"t":"intent","id":N,"intent":{…}}`, as in a decisions file. A seat also sends
//! `{"t":"chat","id":N,"text":"…"}`. Each gets `ack` (with the log position of its intent)
//! or `refused` (with the reason) carrying the same `id`. The host pushes an `update` after every
//! change: the board, the choices, the feed items after the last one the connection was sent, and
//! the seat's chat, as data (for scripts) and drawn (`page`, what the seat's page puts in place:
//! the page has one renderer, the host's). A connection that opens with `?after=N` catches up from feed position `N`.

use serde::{Deserialize, Serialize};

use crate::engine::model::intent::Intent;
use crate::engine::room::SeatChange;
use crate::engine::room::{ChatLine, FeedItem, SeatView};

/// Longest message a client may send, in bytes; anything larger closes the connection.
pub const MAX_MESSAGE_BYTES: usize = 16 * 1024;

/// What a client sends.
#[derive(Debug, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientMessage {
    /// Do something in the exercise.
    Intent {
        /// The client's number for the reply.
        id: u64,
        /// What to do.
        intent: Intent,
    },
    /// A page's form, by its fields' names (see [`super::forms`]): what the seat and console
    /// pages send, so that they know nothing of the engine's types.
    Form {
        /// The client's number for the reply.
        id: u64,
        /// The role a seat's page acts as (a team seat plays several).
        #[serde(rename = "as", default)]
        acting: Option<crate::engine::model::id::RoleId>,
        /// The form's name (`form`) and fields.
        fields: super::forms::Fields,
    },
    /// Write to the facilitator (or, from the console, to a seat).
    Chat {
        /// The client's number for the reply.
        id: u64,
        /// Which seat's chat (the console only; a seat always writes into its own).
        #[serde(default)]
        seat: Option<String>,
        /// What to say.
        text: String,
    },
    /// The console opens, closes, removes, combines or splits a seat.
    Seat {
        /// The client's number for the reply.
        id: u64,
        /// Which seat.
        seat: String,
        /// What to do with it.
        op: SeatOp,
    },
    /// The console moves a device to another seat, or removes it (`to` absent).
    Device {
        /// The client's number for the reply.
        id: u64,
        /// The device's number.
        device: u32,
        /// The seat it moves to.
        #[serde(default)]
        to: Option<String>,
    },
}

/// What the console can do to a seat: `"open"`, `"close"`, `"remove"`, `"split"`, or
/// `{"combine": "pr_comms"}`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeatOp {
    /// Devices may take it, and its devices act again.
    Open,
    /// Nobody may take it; its devices are paused.
    Close,
    /// It goes.
    Remove,
    /// Another seat, named here, joins it as one team.
    Combine(String),
    /// A team seat goes back to one seat per role.
    Split,
}

impl ClientMessage {
    /// The facilitator's operation a `seat` or `device` message asks for.
    pub fn room_op(&self) -> Option<SeatChange> {
        match self {
            Self::Seat { seat, op, .. } => Some(match op {
                SeatOp::Open => SeatChange::OpenSeat(seat.clone()),
                SeatOp::Close => SeatChange::CloseSeat(seat.clone()),
                SeatOp::Remove => SeatChange::RemoveSeat(seat.clone()),
                SeatOp::Split => SeatChange::Split(seat.clone()),
                SeatOp::Combine(from) => SeatChange::Combine {
                    into: seat.clone(),
                    from: from.clone(),
                },
            }),
            Self::Device { device, to, .. } => Some(match to {
                Some(to) => SeatChange::MoveDevice {
                    device: *device,
                    to: to.clone(),
                },
                None => SeatChange::RemoveDevice(*device),
            }),
            Self::Intent { .. } | Self::Form { .. } | Self::Chat { .. } => None,
        }
    }

    /// The client's number for the reply.
    pub fn id(&self) -> u64 {
        match self {
            Self::Intent { id, .. }
            | Self::Form { id, .. }
            | Self::Chat { id, .. }
            | Self::Seat { id, .. }
            | Self::Device { id, .. } => *id,
        }
    }
}

/// What the host sends.
#[derive(Debug, Serialize)]
#[expect(
    clippy::large_enum_variant,
    reason = "each message is built only to be serialised at once"
)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum ServerMessage<'a> {
    /// The request `id` was carried out; an intent's is at log position `seq`, and every update
    /// numbered `rev` or higher shows it.
    Ack {
        /// The client's number.
        id: u64,
        /// Log length after the intent (an intent's feed position).
        #[serde(skip_serializing_if = "Option::is_none")]
        seq: Option<usize>,
        /// The change's number.
        #[serde(skip_serializing_if = "Option::is_none")]
        rev: Option<u64>,
    },
    /// The request was not carried out, and why.
    Refused {
        /// The client's number (0 when the message could not be read).
        id: u64,
        /// Why, in words.
        reason: String,
    },
    /// A seat's page after a change.
    Update {
        /// The latest change it shows.
        rev: u64,
        /// The page shows another seat than its device now holds (the facilitator moved it):
        /// it drops its feed and title, and `feed` is the new seat's whole feed.
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        reset: bool,
        /// The facilitator has closed the seat for now: the page shows it and sends nothing.
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        paused: bool,
        /// Board and choices.
        view: SeatView,
        /// New feed items.
        feed: Vec<FeedItem>,
        /// The seat's whole chat.
        chat: Vec<&'a ChatLine>,
        /// The same, drawn as the seat's page shows it: all the page puts in place.
        page: super::seat_page::SeatParts,
    },
    /// The console's page after a change: as data (for scripts) and drawn (`page`, what the
    /// console's page puts in place).
    Console {
        /// Clock, seats and chat.
        #[serde(flatten)]
        view: super::console_view::ConsoleView,
        /// The same, drawn.
        page: super::pages::ConsoleParts,
    },
    /// The projector should redraw: change `rev` happened.
    Changed {
        /// The latest change.
        rev: u64,
    },
    /// The connection's seat is gone; the page says so and stops.
    Gone {
        /// Why.
        reason: String,
        /// Where a device that lost its seat can join again (the room's join page), if anywhere.
        #[serde(skip_serializing_if = "Option::is_none")]
        rejoin: Option<String>,
    },
}

impl ServerMessage<'_> {
    /// As JSON text.
    pub fn to_text(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| {
            format!(r#"{{"t":"refused","id":0,"reason":"cannot encode a reply: {e}"}}"#)
        })
    }
}

/// Reads a client message, explaining what is wrong with one that cannot be read.
pub fn parse(text: &str) -> Result<ClientMessage, String> {
    serde_json::from_str(text).map_err(|e| {
        let detail = e.to_string();
        // serde's message for an unknown intent lists every variant; say it shortly.
        if detail.contains("unknown variant") {
            format!(
                "not something the room understands: {}",
                first_clause(&detail)
            )
        } else {
            format!("the message could not be read: {detail}")
        }
    })
}

fn first_clause(detail: &str) -> &str {
    detail.split(", expected").next().unwrap_or(detail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intents_and_chat_are_read_and_garbage_is_explained() {
        let intent =
            parse(r#"{"t":"intent","id":3,"intent":{"DeclareIncident":{"by":"soc"}}}"#).unwrap();
        assert!(matches!(intent, ClientMessage::Intent { id: 3, .. }));
        assert!(matches!(
            parse(r#"{"t":"chat","id":1,"text":"hi"}"#).unwrap(),
            ClientMessage::Chat { id: 1, .. }
        ));
        let unknown = parse(r#"{"t":"intent","id":3,"intent":{"FormatDisk":{}}}"#).unwrap_err();
        assert!(
            unknown.starts_with("not something the room understands: unknown variant `FormatDisk`"),
            "{unknown}"
        );
        assert!(
            parse("{")
                .unwrap_err()
                .starts_with("the message could not be read")
        );
        assert!(parse(r#"{"t":"intent","id":1,"intent":{},"x":1}"#).is_err());
    }
}
