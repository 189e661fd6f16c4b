//! The room as saved with its exercise: the join code, the seats with the tokens of the devices
//! that took them, and each seat's chat with the facilitator. A restarted host reads it back, so
//! every device that held a seat keeps it.

use serde::{Deserialize, Serialize};

use super::seat::Seat;
use crate::engine::model::id::RoleId;
use crate::engine::session::{Rejected, reject};

/// Longest chat line kept, in characters.
pub const MAX_CHAT_CHARS: usize = 1000;

/// Most devices one seat may hold (a team at one table with several laptops).
pub const MAX_DEVICES_PER_SEAT: usize = 8;

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
    /// Number of the next device to join (devices are numbered for the facilitator).
    #[serde(default)]
    pub next_device: u32,
    /// The app was hosting it when last saved: resuming the exercise opens it again.
    #[serde(default)]
    pub hosting: bool,
    /// It was open to the local network, not only to this computer.
    #[serde(default)]
    pub local_network: bool,
    /// The port it listened on (0: not yet hosted), tried first when it opens again.
    #[serde(default)]
    pub port: u16,
}

/// One seat and the devices holding it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatRecord {
    /// The seat.
    pub seat: Seat,
    /// Whether devices may take it and act from it (closed: paused, devices kept).
    #[serde(default = "yes")]
    pub open: bool,
    /// The devices that took it, in the order they came.
    #[serde(default)]
    pub devices: Vec<Device>,
    /// Intents accepted from the seat.
    #[serde(default)]
    pub intents: u32,
    /// Unix seconds of its last intent or chat line.
    #[serde(default)]
    pub last_active: Option<i64>,
}

/// A browser that took a seat.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    /// Its number, for the facilitator.
    pub number: u32,
    /// Its secret token (in its page's address).
    pub token: String,
    /// The name the person gave.
    pub person: String,
}

fn yes() -> bool {
    true
}

/// A line of a seat's chat with the facilitator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatLine {
    /// The seat's id.
    pub seat: String,
    /// Written by the facilitator (else by someone at the seat).
    pub from_facilitator: bool,
    /// Who at the seat wrote it (empty for the facilitator).
    #[serde(default)]
    pub person: String,
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
                    devices: Vec::new(),
                    intents: 0,
                    last_active: None,
                })
                .collect(),
            chat: Vec::new(),
            next_device: 1,
            hosting: false,
            local_network: false,
            port: 0,
        }
    }

    /// The seat a device's token holds, and the device.
    pub fn by_token(&self, token: &str) -> Option<(&SeatRecord, &Device)> {
        self.seats
            .iter()
            .find_map(|s| s.devices.iter().find(|d| d.token == token).map(|d| (s, d)))
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

    /// A person's device takes an open seat under a new token.
    pub fn take(&mut self, id: &str, person: &str, token: String) -> Result<(), Rejected> {
        let person = &crate::engine::text::one_clean_line(person);
        if person.is_empty() {
            return reject("write your name (or your team's) first");
        }
        if person.chars().count() > 80 {
            return reject("a name is at most 80 characters");
        }
        let number = self.next_device.max(1);
        let seat = self.by_id_mut(id)?;
        if !seat.open {
            return reject("the facilitator has closed this seat");
        }
        if seat.devices.len() >= MAX_DEVICES_PER_SEAT {
            return reject(format!(
                "this seat already has {MAX_DEVICES_PER_SEAT} devices; share a screen or ask the facilitator"
            ));
        }
        seat.devices.push(Device {
            number,
            token,
            person: person.to_owned(),
        });
        self.next_device = number + 1;
        Ok(())
    }

    /// The facilitator moves a device (a person) to another seat; its page follows.
    pub fn move_device(&mut self, number: u32, to: &str) -> Result<(), Rejected> {
        self.by_id_mut(to)?;
        let device = self.take_device(number)?;
        self.by_id_mut(to)?.devices.push(device);
        Ok(())
    }

    /// The facilitator removes a device: its page loses the seat.
    pub fn remove_device(&mut self, number: u32) -> Result<(), Rejected> {
        self.take_device(number).map(drop)
    }

    fn take_device(&mut self, number: u32) -> Result<Device, Rejected> {
        for seat in &mut self.seats {
            if let Some(at) = seat.devices.iter().position(|d| d.number == number) {
                return Ok(seat.devices.remove(at));
            }
        }
        reject("that device is no longer in the room")
    }

    /// The facilitator opens or closes a seat: a closed seat takes no new device and its devices
    /// can neither act nor chat, but they keep their places for when it opens again.
    pub fn set_open(&mut self, id: &str, open: bool) -> Result<(), Rejected> {
        // Closing pauses the seat: its devices keep their places and act again once it reopens.
        self.by_id_mut(id)?.open = open;
        Ok(())
    }

    /// The facilitator makes one team seat of two: `from`'s roles, devices, intents and chat join
    /// `into`, named after both.
    pub fn combine(&mut self, into: &str, from: &str) -> Result<(), Rejected> {
        if into == from {
            return reject("choose another seat to combine with");
        }
        self.by_id_mut(into)?;
        let Some(at) = self.seats.iter().position(|s| s.seat.id == from) else {
            return reject("there is no such seat");
        };
        let gone = self.seats.remove(at);
        let seat = self.by_id_mut(into)?;
        seat.seat.name = format!("{} + {}", seat.seat.name, gone.seat.name);
        seat.seat.roles.extend(gone.seat.roles);
        seat.devices.extend(gone.devices);
        seat.intents += gone.intents;
        seat.last_active = seat.last_active.max(gone.last_active);
        for line in &mut self.chat {
            if line.seat == from {
                into.clone_into(&mut line.seat);
            }
        }
        Ok(())
    }

    /// The facilitator splits a team seat back into one seat per role (named by `name_of`); its
    /// devices and chat stay with the first.
    pub fn split(&mut self, id: &str, name_of: &dyn Fn(&RoleId) -> String) -> Result<(), Rejected> {
        let Some(at) = self.seats.iter().position(|s| s.seat.id == id) else {
            return reject("there is no such seat");
        };
        let Some(team) = self
            .seats
            .get(at)
            .filter(|s| s.seat.roles.len() > 1)
            .cloned()
        else {
            return reject("this seat plays one role already");
        };
        let mut parts: Vec<SeatRecord> = team
            .seat
            .roles
            .iter()
            .map(|role| SeatRecord {
                seat: Seat {
                    id: role.to_string(),
                    name: name_of(role),
                    roles: vec![role.clone()],
                },
                open: team.open,
                devices: Vec::new(),
                intents: 0,
                last_active: None,
            })
            .collect();
        // The team's own id goes on with its first part, so its devices' pages and chat follow.
        if let Some(first) = parts.first_mut() {
            first.seat.id.clone_from(&team.seat.id);
            first.devices = team.devices;
            first.intents = team.intents;
            first.last_active = team.last_active;
        }
        if parts.iter().skip(1).any(|p| {
            self.seats
                .iter()
                .any(|s| s.seat.id == p.seat.id && s.seat.id != id)
        }) {
            return reject("another seat already has the id of one of its roles");
        }
        self.seats.splice(at..=at, parts);
        Ok(())
    }

    /// The facilitator removes a seat nobody plays; its chat stays in the record.
    pub fn remove_seat(&mut self, id: &str) -> Result<(), Rejected> {
        self.by_id_mut(id)?;
        self.seats.retain(|s| s.seat.id != id);
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
        let text = &crate::engine::text::one_clean_line(&line.text);
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
    fn devices_take_seats_and_the_facilitator_moves_removes_and_closes() {
        let mut room = room();
        room.seats.push(SeatRecord {
            seat: Seat {
                id: "soc".into(),
                name: "Security Operations Center".into(),
                roles: vec!["soc".into()],
            },
            open: true,
            devices: Vec::new(),
            intents: 0,
            last_active: None,
        });
        room.take("legal", " Ana ", "t1".into()).unwrap();
        room.take("legal", "Bo", "t2".into()).unwrap();
        let (seat, ana) = room.by_token("t1").unwrap();
        assert_eq!(
            (seat.seat.id.as_str(), ana.person.as_str(), ana.number),
            ("legal", "Ana", 1)
        );
        assert!(
            room.take("legal", "  ", "t3".into()).is_err(),
            "a name is needed"
        );
        room.move_device(2, "soc").unwrap();
        assert_eq!(room.by_token("t2").unwrap().0.seat.id, "soc");
        room.remove_device(1).unwrap();
        assert!(room.by_token("t1").is_none());
        assert!(room.remove_device(1).is_err());
        room.set_open("soc", false).unwrap();
        assert!(
            room.by_token("t2").is_some(),
            "closing pauses the seat: its devices keep their places"
        );
        assert!(room.take("soc", "Cy", "t4".into()).is_err());
        assert!(room.take("nobody", "Cy", "t5".into()).is_err());
        for n in 0..MAX_DEVICES_PER_SEAT {
            room.take("legal", "Team", format!("team{n}")).unwrap();
        }
        assert!(room.take("legal", "One more", "t6".into()).is_err());
        room.remove_seat("legal").unwrap();
        assert!(room.by_id("legal").is_none());
        assert!(room.by_token("team0").is_none());
    }

    #[test]
    fn seats_combine_into_a_team_and_split_back() {
        let mut room = RoomRecord::new(
            "code".into(),
            "console".into(),
            ["legal", "pr_comms"]
                .into_iter()
                .map(|r| Seat {
                    id: r.into(),
                    name: r.to_uppercase(),
                    roles: vec![r.into()],
                })
                .collect(),
        );
        room.take("pr_comms", "Jo", "t1".into()).unwrap();
        room.chat(ChatLine {
            seat: "pr_comms".into(),
            from_facilitator: false,
            person: "Jo".into(),
            minute: 1,
            text: "Hi".into(),
        })
        .unwrap();
        assert!(room.combine("legal", "legal").is_err());
        room.combine("legal", "pr_comms").unwrap();
        assert_eq!(room.seats.len(), 1);
        let team = room.by_id("legal").unwrap();
        assert_eq!(team.seat.name, "LEGAL + PR_COMMS");
        assert_eq!(team.seat.roles.len(), 2);
        assert_eq!(room.by_token("t1").unwrap().0.seat.id, "legal");
        assert_eq!(room.chat_of("legal").count(), 1);
        room.split("legal", &|r| format!("Role {r}")).unwrap();
        assert_eq!(room.seats.len(), 2);
        assert_eq!(room.by_id("pr_comms").unwrap().seat.name, "Role pr_comms");
        assert_eq!(room.by_token("t1").unwrap().0.seat.id, "legal");
        assert!(room.split("legal", &|r| r.to_string()).is_err());
    }

    #[test]
    fn chat_lines_are_trimmed_bounded_and_kept_per_seat() {
        let mut room = room();
        let line = |text: &str| ChatLine {
            seat: "legal".into(),
            from_facilitator: false,
            person: "Ana".into(),
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
