//! An exercise as run for people: the engine's session log plus what a facilitator records around
//! it (who played which role, observer notes, ad-hoc injects, the hotwash). This is what is saved
//! after every change and what the after-action report is written from.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::id::RoleId;
use super::intent::Event;
use super::matrix::{Dimension, Matrix};
use super::scenario::{Mode, Scenario};
use super::session::{ReplayError, Session, SessionLog};

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
