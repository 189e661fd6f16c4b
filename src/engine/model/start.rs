//! When a scenario starts: the weekday and time of day of minute 0, so its clock reads as a wall
//! clock and business-day deadlines can be counted.

use serde::{Deserialize, Serialize};

/// A day of the week.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Weekday {
    /// Monday.
    Monday,
    /// Tuesday.
    Tuesday,
    /// Wednesday.
    Wednesday,
    /// Thursday.
    Thursday,
    /// Friday.
    Friday,
    /// Saturday.
    Saturday,
    /// Sunday.
    Sunday,
}

impl Weekday {
    const ALL: [Self; 7] = [
        Self::Monday,
        Self::Tuesday,
        Self::Wednesday,
        Self::Thursday,
        Self::Friday,
        Self::Saturday,
        Self::Sunday,
    ];

    /// Three-letter label.
    pub fn short(self) -> &'static str {
        match self {
            Self::Monday => "Mon",
            Self::Tuesday => "Tue",
            Self::Wednesday => "Wed",
            Self::Thursday => "Thu",
            Self::Friday => "Fri",
            Self::Saturday => "Sat",
            Self::Sunday => "Sun",
        }
    }

    /// The day `days` after this one.
    #[must_use]
    pub fn plus(self, days: u32) -> Self {
        Self::ALL
            .iter()
            .cycle()
            .skip_while(|d| **d != self)
            .nth((days % 7) as usize)
            .copied()
            .unwrap_or(self)
    }

    /// Saturday or Sunday.
    pub fn is_weekend(self) -> bool {
        matches!(self, Self::Saturday | Self::Sunday)
    }
}

/// When minute 0 of a scenario falls.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioStart {
    /// The weekday.
    pub weekday: Weekday,
    /// The time of day, `HH:MM` on a 24-hour clock.
    pub time: String,
}

impl ScenarioStart {
    /// Minutes after midnight, if `time` is a valid `HH:MM`.
    pub fn minute_of_day(&self) -> Option<u32> {
        let (h, m) = self.time.split_once(':')?;
        if h.len() != 2 || m.len() != 2 {
            return None;
        }
        let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
        (h < 24 && m < 60).then_some(h * 60 + m)
    }
}
