//! Where exercises are saved, bringing one back, and the unfinished one the title screen offers.

use std::path::{Path, PathBuf};

use bevy::prelude::*;
use thiserror::Error;

use super::store::{ActiveExercise, Saves};
use crate::app::content::Content;
use crate::app::flow::Screen;
use crate::engine::diagnostic::Diagnostic;
use crate::engine::model::id::ScenarioId;
use crate::engine::session::ReplayError;
use crate::store::saves;

/// The unfinished exercise the title screen offers to resume.
#[derive(Resource, Debug, Default, Clone, PartialEq)]
pub struct ResumeOffer(pub Option<ResumeChoice>);

/// One resumable save.
#[derive(Debug, Clone, PartialEq)]
pub struct ResumeChoice {
    /// The file.
    pub path: PathBuf,
    /// The scenario's title (its id when the library no longer has it).
    pub scenario: String,
    /// Minute reached.
    pub minute: u32,
    /// Intents recorded.
    pub intents: usize,
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<ResumeOffer>()
        .add_systems(OnEnter(Screen::Title), find_resumable);
}

fn find_resumable(saves: Res<Saves>, content: Res<Content>, mut offer: ResMut<ResumeOffer>) {
    offer.0 = saves::list(&saves.dir).into_iter().find_map(|e| {
        let record = e.record.ok()?;
        // Offer only what resumes: not a save whose log no longer replays.
        if record.ended() || load_for_resume(&e.path, &content).is_err() {
            return None;
        }
        let id = record.log.scenario.as_str();
        let title = content
            .library
            .scenario(id)
            .map_or_else(|| id.to_owned(), |s| s.scenario.title.clone());
        (!record.ended()).then(|| ResumeChoice {
            scenario: title,
            minute: record.minute(),
            intents: record.log.entries.len(),
            path: e.path,
        })
    });
}

/// Why a save could not be brought back. The save itself is never changed.
#[derive(Debug, Error)]
pub enum ResumeError {
    /// The file is damaged, truncated or of another format.
    #[error("{0} The save was left untouched.")]
    Unreadable(Diagnostic),
    /// There is nothing to replay against.
    #[error("The responsibility matrix did not load, so nothing can be resumed.")]
    NoMatrix,
    /// The save's scenario is gone from the library.
    #[error("Scenario `{0}` of this save is not in the library.")]
    UnknownScenario(ScenarioId),
    /// The scenario or matrix changed since the save was written.
    #[error("{}: {source}. The save was left untouched.", path.display())]
    NoLongerReplays {
        /// The save.
        path: PathBuf,
        /// Where the replay diverged.
        source: ReplayError,
    },
}

/// Loads a save and replays it against the loaded content; the save keeps its own file, mode and
/// everything recorded around the log.
pub fn load_for_resume(path: &Path, content: &Content) -> Result<ActiveExercise, ResumeError> {
    let record = saves::load(path).map_err(ResumeError::Unreadable)?;
    let matrix = content
        .library
        .matrix
        .as_ref()
        .ok_or(ResumeError::NoMatrix)?;
    let scenario = content
        .library
        .scenario(record.log.scenario.as_str())
        .ok_or_else(|| ResumeError::UnknownScenario(record.log.scenario.clone()))?;
    let session = record
        .resume(scenario.scenario.clone(), matrix.matrix.clone())
        .map_err(|source| ResumeError::NoLongerReplays {
            path: path.to_path_buf(),
            source,
        })?;
    Ok(ActiveExercise::new(
        session,
        record,
        Some(path.to_path_buf()),
    ))
}
