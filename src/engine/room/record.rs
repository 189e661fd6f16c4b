//! The room as saved with its exercise: the join code, the seats with the tokens of the devices
//! that took them, and each seat's chat with the facilitator. A restarted host reads it back, so
//! every device that held a seat keeps it.

use serde::{Deserialize, Serialize};

use super::Seat;
use crate::engine::session::{Rejected, reject};

/// Longest chat line kept, in characters.
pub const MAX_CHAT_CHARS: usize = 1000;

/// The room of a hosted exercise.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomRecord {
    /// The code in the join and projector addresses.
    pub code: String,
    /// The facilitator's own code (the console's address).
    pub console: String,
    /// The seats, in the order the facilitator sees them.
    pub seats: Vec<SeatRecord>,
    /// Every chat line, oldest first.
    #[serde(default)]
    pub chat: Vec<ChatLine>,
}

/// One seat and the device holding it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatRecord {
    /// The seat.
    pub seat: Seat,
    /// Whether a device may take it.
    #[serde(default = "yes")]
    pub open: bool,
    /// The token of the device that took it (`None` while free).
    #[serde(default)]
    pub token: Option<String>,
    /// The name the person gave when taking it.
    #[serde(default)]
    pub person: String,
    /// Intents the seat's device had accepted.
    #[serde(default)]
    pub intents: u32,
    /// Unix seconds of its last intent or chat line.
    #[serde(default)]
    pub last_active: Option<i64>,
}

fn yes() -> bool {
    true
}

/// A line of a seat's chat with the facilitator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatLine {
    /// The seat's id.
    pub seat: String,
    /// Written by the facilitator (else by the seat).
    pub from_facilitator: bool,
    /// Scenario minute.
    pub minute: u32,
    /// What was written.
    pub text: String,
}

impl RoomRecord {
    /// A room with these seats, free and open, under fresh codes.
    pub fn new(code: String, console: String, seats: Vec<Seat>) -> Self {
        Self {
            code,
            console,
            seats: seats
                .into_iter()
                .map(|seat| SeatRecord {
                    seat,
                    open: true,
                    token: None,
                    person: String::new(),
                    intents: 0,
                    last_active: None,
                })
                .collect(),
            chat: Vec::new(),
        }
    }

    /// The seat a token holds.
    pub fn by_token(&self, token: &str) -> Option<&SeatRecord> {
        self.seats
            .iter()
            .find(|s| s.token.as_deref() == Some(token))
    }

    /// A seat by id.
    pub fn by_id(&self, id: &str) -> Option<&SeatRecord> {
        self.seats.iter().find(|s| s.seat.id == id)
    }

    fn by_id_mut(&mut self, id: &str) -> Result<&mut SeatRecord, Rejected> {
        match self.seats.iter_mut().find(|s| s.seat.id == id) {
            Some(seat) => Ok(seat),
            None => reject("there is no such seat"),
        }
    }

    /// A person takes a free, open seat with a new device token.
    pub fn take(&mut self, id: &str, person: &str, token: String) -> Result<(), Rejected> {
        let person = person.trim();
        if person.chars().count() > 80 {
            return reject("a name is at most 80 characters");
        }
        let seat = self.by_id_mut(id)?;
        if !seat.open {
            return reject("the facilitator has closed this seat");
        }
        if seat.token.is_some() {
            return reject("someone already holds this seat; ask the facilitator to free it");
        }
        seat.token = Some(token);
        person.clone_into(&mut seat.person);
        Ok(())
    }

    /// The facilitator frees a seat: its device loses it, and another may take it (moving a
    /// person is freeing their seat and letting them take another).
    pub fn free(&mut self, id: &str) -> Result<(), Rejected> {
        let seat = self.by_id_mut(id)?;
        seat.token = None;
        seat.person.clear();
        Ok(())
    }

    /// The facilitator opens or closes a seat; closing also frees it.
    pub fn set_open(&mut self, id: &str, open: bool) -> Result<(), Rejected> {
        let seat = self.by_id_mut(id)?;
        seat.open = open;
        if !open {
            seat.token = None;
            seat.person.clear();
        }
        Ok(())
    }

    /// Counts an accepted intent or chat line of a seat.
    pub fn touch(&mut self, id: &str, now: i64, intent: bool) {
        if let Ok(seat) = self.by_id_mut(id) {
            seat.last_active = Some(now);
            seat.intents += u32::from(intent);
        }
    }

    /// Adds a chat line; an empty or overlong one is refused.
    pub fn chat(&mut self, line: ChatLine) -> Result<(), Rejected> {
        let text = line.text.trim();
        if text.is_empty() {
            return reject("write a message first");
        }
        if text.chars().count() > MAX_CHAT_CHARS {
            return reject(format!("a message is at most {MAX_CHAT_CHARS} characters"));
        }
        self.by_id_mut(&line.seat)?;
        self.chat.push(ChatLine {
            text: text.to_owned(),
            ..line
        });
        Ok(())
    }

    /// One seat's chat, oldest first.
    pub fn chat_of<'a>(&'a self, seat: &'a str) -> impl Iterator<Item = &'a ChatLine> + 'a {
        self.chat.iter().filter(move |l| l.seat == seat)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn room() -> RoomRecord {
        RoomRecord::new(
            "code".into(),
            "console".into(),
            vec![Seat {
                id: "legal".into(),
                name: "Legal Counsel".into(),
                roles: vec!["legal".into()],
            }],
        )
    }

    #[test]
    fn a_seat_is_held_by_one_device_until_the_facilitator_frees_it() {
        let mut room = room();
        room.take("legal", " Ana ", "t1".into()).unwrap();
        assert_eq!(room.by_token("t1").unwrap().person, "Ana");
        let refused = room.take("legal", "Bo", "t2".into()).unwrap_err();
        assert!(
            refused.reason.contains("already holds"),
            "{}",
            refused.reason
        );
        room.free("legal").unwrap();
        assert!(room.by_token("t1").is_none());
        room.take("legal", "Bo", "t2".into()).unwrap();
        room.set_open("legal", false).unwrap();
        assert!(room.by_token("t2").is_none());
        assert!(room.take("legal", "Bo", "t3".into()).is_err());
        assert!(room.take("nobody", "Bo", "t4".into()).is_err());
    }

    #[test]
    fn chat_lines_are_trimmed_bounded_and_kept_per_seat() {
        let mut room = room();
        let line = |text: &str| ChatLine {
            seat: "legal".into(),
            from_facilitator: false,
            minute: 3,
            text: text.into(),
        };
        room.chat(line("  Do we call the regulator?  ")).unwrap();
        assert!(room.chat(line("   ")).is_err());
        assert!(room.chat(line(&"x".repeat(MAX_CHAT_CHARS + 1))).is_err());
        assert_eq!(
            room.chat_of("legal")
                .map(|l| l.text.as_str())
                .collect::<Vec<_>>(),
            ["Do we call the regulator?"]
        );
    }
}
