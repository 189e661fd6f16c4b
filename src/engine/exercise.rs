//! An exercise as run for people: the engine's session log plus what a facilitator records around
//! it (who played which role, observer notes, ad-hoc injects, the hotwash). This is what is saved
//! after every change and what the after-action report is written from.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::engine::model::id::RoleId;
use crate::engine::model::intent::Event;
use crate::engine::model::matrix::{Dimension, Matrix};
use crate::engine::model::scenario::{Mode, Scenario};
use crate::engine::room::{FeedItem, FeedKind, RoomArtifact, Seat};
use crate::engine::session::{Rejected, ReplayError, Session, SessionLog, reject};

/// Version of the saved record format.
pub const RECORD_FORMAT: u32 = 1;

/// A person (or team) at the table and the role they play.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    /// Name as the facilitator wrote it.
    pub name: String,
    /// The matrix role they play.
    pub role: RoleId,
}

/// Something an observer noticed, tagged for the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObserverNote {
    /// Scenario minute.
    pub minute: u32,
    /// The role it is about.
    #[serde(default)]
    pub role: Option<RoleId>,
    /// The dimension it bears on.
    #[serde(default)]
    pub dimension: Option<Dimension>,
    /// What was observed.
    pub text: String,
    /// How many intents the log held when it was written: where it falls among the minute's
    /// events in the after-action timeline. Absent in saves from before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_intents: Option<usize>,
}

/// An inject the facilitator wrote and released during the exercise (narrative only; it is not
/// graded because the matrix knows nothing about it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdHocInject {
    /// Scenario minute it was released.
    pub minute: u32,
    /// Title.
    pub title: String,
    /// What the room is told.
    pub narrative: String,
    /// How many intents the log held when it was released (see [`ObserverNote::after_intents`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_intents: Option<usize>,
    /// The roles it is addressed to; everyone when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub to: Vec<RoleId>,
}

/// The hotwash for one role: what went well, what to improve.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HotwashEntry {
    /// The role.
    pub role: RoleId,
    /// Strengths.
    #[serde(default)]
    pub strengths: Vec<String>,
    /// Areas for improvement.
    #[serde(default)]
    pub improvements: Vec<String>,
}

/// Which list of a role's hotwash a point belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HotwashList {
    /// What went well.
    Strengths,
    /// What to improve.
    Improvements,
}

impl HotwashEntry {
    /// One of the two lists.
    pub fn list(&self, list: HotwashList) -> &[String] {
        match list {
            HotwashList::Strengths => &self.strengths,
            HotwashList::Improvements => &self.improvements,
        }
    }

    fn list_mut(&mut self, list: HotwashList) -> &mut Vec<String> {
        match list {
            HotwashList::Strengths => &mut self.strengths,
            HotwashList::Improvements => &mut self.improvements,
        }
    }
}

/// What the room's projector shows, saved so that a resumed session puts the room back as it was.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectorDisplay {
    /// The projector window is open.
    #[serde(default)]
    pub open: bool,
    /// It is blanked: the room sees nothing.
    #[serde(default)]
    pub blank: bool,
}

/// Everything about one exercise that is saved.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExerciseRecord {
    /// Record format version.
    pub format_version: u32,
    /// Stable id (file name of the save).
    pub id: String,
    /// How it is run.
    pub mode: Mode,
    /// Unix seconds when it started.
    pub started_at: i64,
    /// Unix seconds when it was last changed.
    #[serde(default)]
    pub updated_at: i64,
    /// Facilitator's name (facilitated mode).
    #[serde(default)]
    pub facilitator: String,
    /// Who played which role.
    #[serde(default)]
    pub participants: Vec<Participant>,
    /// The engine's log: every accepted intent.
    pub log: SessionLog,
    /// Observer notes.
    #[serde(default)]
    pub notes: Vec<ObserverNote>,
    /// Ad-hoc injects.
    #[serde(default)]
    pub adhoc_injects: Vec<AdHocInject>,
    /// Hotwash per role.
    #[serde(default)]
    pub hotwash: Vec<HotwashEntry>,
    /// The projector as the facilitator left it.
    #[serde(default)]
    pub projector: ProjectorDisplay,
    /// The room's seats and chat, when the exercise is hosted for devices.
    #[serde(default)]
    pub room: Option<crate::engine::room::RoomRecord>,
}

impl ExerciseRecord {
    /// A record for a session just started.
    pub fn new(id: impl Into<String>, mode: Mode, started_at: i64, session: &Session) -> Self {
        Self {
            format_version: RECORD_FORMAT,
            id: id.into(),
            mode,
            started_at,
            updated_at: started_at,
            facilitator: String::new(),
            participants: Vec::new(),
            log: session.log().clone(),
            notes: Vec::new(),
            adhoc_injects: Vec::new(),
            hotwash: Vec::new(),
            projector: ProjectorDisplay::default(),
            room: None,
        }
    }

    /// Brings the record's log up to the session's: appends the entries it lacks (the log only
    /// grows), so that a save after every intent copies one entry, not the whole log.
    pub fn catch_up(&mut self, session: &Session) {
        let log = session.log();
        match log.entries.get(self.log.entries.len()..) {
            Some(new) if self.log.opening == log.opening => {
                self.log.entries.extend_from_slice(new);
            }
            _ => self.log = log.clone(),
        }
    }

    /// Whether the exercise has ended.
    pub fn ended(&self) -> bool {
        self.log.entries.iter().any(|e| {
            e.events
                .iter()
                .any(|ev| matches!(ev, Event::ExerciseEnded { .. }))
        })
    }

    /// The scenario minute the record has reached.
    pub fn minute(&self) -> u32 {
        self.log
            .entries
            .iter()
            .flat_map(|e| &e.events)
            .filter_map(|ev| match ev {
                Event::ClockAdvanced { minute } | Event::ExerciseEnded { minute } => Some(*minute),
                _ => None,
            })
            .chain(self.log.entries.iter().map(|e| e.minute))
            .max()
            .unwrap_or(0)
    }

    /// People playing a role, for the report.
    pub fn people_in(&self, role: &RoleId) -> Vec<&str> {
        self.participants
            .iter()
            .filter(|p| &p.role == role)
            .map(|p| p.name.as_str())
            .collect()
    }

    /// Puts a person or team in a role; a name already in one moves to the new role.
    pub fn put_in_role(
        &mut self,
        name: &str,
        role: RoleId,
        matrix: &Matrix,
    ) -> Result<(), Rejected> {
        let name = name.trim();
        if name.is_empty() {
            return reject("write the person's or team's name");
        }
        if matrix.role(role.as_str()).is_none() {
            return reject(format!("there is no role `{role}` in the matrix"));
        }
        match self.participants.iter_mut().find(|p| p.name == name) {
            Some(seated) => seated.role = role,
            None => self.participants.push(Participant {
                name: name.to_owned(),
                role,
            }),
        }
        Ok(())
    }

    /// Records an observer note (text trimmed; empty notes are refused).
    pub fn add_note(&mut self, mut note: ObserverNote) -> Result<(), Rejected> {
        let trimmed = note.text.trim().to_owned();
        note.text = trimmed;
        if note.text.is_empty() {
            return reject("write what was observed");
        }
        self.notes.push(note);
        Ok(())
    }

    /// Records an ad-hoc inject released now (title required), to `to` (everyone when empty).
    pub fn release_adhoc(
        &mut self,
        minute: u32,
        after_intents: usize,
        title: &str,
        narrative: &str,
        to: Vec<RoleId>,
    ) -> Result<(), Rejected> {
        let title = title.trim();
        if title.is_empty() {
            return reject("give the inject a title");
        }
        self.adhoc_injects.push(AdHocInject {
            minute,
            title: title.to_owned(),
            narrative: narrative.trim().to_owned(),
            after_intents: Some(after_intents),
            to,
        });
        Ok(())
    }

    /// Adds one hotwash item (a strength or an area for improvement) for a role.
    pub fn add_hotwash_item(
        &mut self,
        role: RoleId,
        list: HotwashList,
        text: &str,
    ) -> Result<(), Rejected> {
        let text = text.trim();
        if text.is_empty() {
            return reject("write the point before adding it");
        }
        if let Some(entry) = self.hotwash.iter_mut().find(|h| h.role == role) {
            entry.list_mut(list).push(text.to_owned());
        } else {
            let mut entry = HotwashEntry {
                role,
                ..HotwashEntry::default()
            };
            entry.list_mut(list).push(text.to_owned());
            self.hotwash.push(entry);
        }
        Ok(())
    }

    /// Removes one hotwash item; a role left with nothing is dropped.
    pub fn remove_hotwash_item(&mut self, role: &RoleId, list: HotwashList, index: usize) {
        let Some(entry) = self.hotwash.iter_mut().find(|h| &h.role == role) else {
            return;
        };
        let items = entry.list_mut(list);
        if index < items.len() {
            items.remove(index);
        }
        self.hotwash
            .retain(|h| !(h.strengths.is_empty() && h.improvements.is_empty()));
    }

    /// Rebuilds the live session by replaying the log; a log that no longer replays (the
    /// scenario or matrix changed) is refused with the step that diverged.
    pub fn resume(
        &self,
        scenario: Arc<Scenario>,
        matrix: Arc<Matrix>,
    ) -> Result<Session, ReplayError> {
        Session::replay(scenario, matrix, &self.log)
    }
}

/// An inject as the players saw it: a scripted one or the facilitator's own. Carries nothing the
/// players must not see (no decisions, no facilitator notes, no expectations).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedInject {
    /// Scenario minute it reached the room.
    pub minute: u32,
    /// Headline.
    pub title: String,
    /// What the room is told.
    pub narrative: String,
    /// Attached artifacts.
    pub artifacts: Vec<RoomArtifact>,
    /// Written live by the facilitator.
    pub adhoc: bool,
    /// Addressed to the whole room, not to some roles only.
    pub for_everyone: bool,
}

/// What the room's shared screen (the projector) shows: the injects addressed to everyone; one
/// sent to some roles only is for their seats alone.
pub fn projector_feed(session: &Session, adhoc: &[AdHocInject]) -> Vec<FeedInject> {
    let mut feed = inject_feed(session, adhoc);
    feed.retain(|i| i.for_everyone);
    feed
}

/// The ad-hoc injects addressed to `seat` (all those to everyone, and those to one of its roles),
/// as items of its feed; the page tells them apart by their place among the ad-hoc injects.
pub fn seat_adhoc_feed(adhoc: &[AdHocInject], seat: &Seat) -> Vec<FeedItem> {
    adhoc
        .iter()
        .enumerate()
        .filter(|(_, a)| a.to.is_empty() || a.to.iter().any(|r| seat.plays(r)))
        .map(|(index, a)| FeedItem {
            seq: a.after_intents.unwrap_or(0),
            minute: a.minute,
            kind: FeedKind::FromFacilitator(index),
            text: format!("T+{:02} \u{b7} {}", a.minute, a.title),
            narrative: a.narrative.clone(),
            details: Vec::new(),
            artifacts: Vec::new(),
        })
        .collect()
}

/// Every inject the players have been given, oldest first. An ad-hoc inject comes after the
/// scripted ones of its minute, since the facilitator writes it in reaction to what they have.
pub fn inject_feed(session: &Session, adhoc: &[AdHocInject]) -> Vec<FeedInject> {
    let scripted = session.released().iter().filter_map(|id| {
        let inject = session.scenario().inject(id.as_str())?;
        Some(FeedInject {
            minute: session.released_at(id.as_str()).unwrap_or(0),
            title: inject.title.clone(),
            narrative: session.render_text(&inject.narrative),
            artifacts: inject
                .artifacts
                .iter()
                .map(|a| RoomArtifact::of(session, a))
                .collect(),
            adhoc: false,
            for_everyone: inject.to.is_empty(),
        })
    });
    let mut feed: Vec<FeedInject> = scripted
        .chain(adhoc.iter().map(|a| FeedInject {
            minute: a.minute,
            title: a.title.clone(),
            narrative: a.narrative.clone(),
            artifacts: Vec::new(),
            adhoc: true,
            for_everyone: a.to.is_empty(),
        }))
        .collect();
    // Stable: release order among scripted injects, writing order among ad-hoc ones.
    feed.sort_by_key(|i| (i.minute, i.adhoc));
    feed
}
