//! Every exercise is saved after every change (atomically, see [`crate::store::saves`]) so that if
//! the app is killed nothing is lost; the title screen offers to resume the latest unfinished one.

use std::path::PathBuf;

use bevy::prelude::*;

use super::commands::{AppCommand, Notice, UiCommand};
use super::content::Content;
use super::session::{ActiveSession, FinalScorecard};
use super::{AppSystems, Screen};
use crate::engine::exercise::ExerciseRecord;
use crate::engine::scoring::score;
use crate::store::{saves, unix_now};

/// The exercise being saved, and where.
#[derive(Resource, Debug)]
pub struct SavedExercise {
    /// Folder of saves.
    pub dir: PathBuf,
    /// The record of the active exercise.
    pub record: Option<ExerciseRecord>,
    /// Its file.
    pub path: Option<PathBuf>,
    /// Why the last save failed.
    pub error: Option<String>,
    /// Set by a resume so the next new `ActiveSession` keeps its record.
    resuming: bool,
}

impl SavedExercise {
    /// Saves into `dir`.
    pub fn new(dir: PathBuf) -> Self {
        Self {
            dir,
            record: None,
            path: None,
            error: None,
            resuming: false,
        }
    }
}

impl SavedExercise {
    /// Writes the record now (stamping the change time). A failure is remembered and returned
    /// as a sentence for the user; the record stays in memory and the next change tries again.
    pub fn write(&mut self) -> Result<(), String> {
        let (Some(record), Some(path)) = (self.record.as_mut(), self.path.as_ref()) else {
            return Ok(());
        };
        record.updated_at = unix_now();
        match saves::save_atomic(record, path) {
            Ok(()) => {
                self.error = None;
                Ok(())
            }
            Err(e) => {
                let text = format!(
                    "Could not save the exercise to {}: {e}. It stays open; the next change tries again.",
                    path.display()
                );
                self.error = Some(text.clone());
                Err(text)
            }
        }
    }
}

/// The unfinished exercise the title screen offers to resume.
#[derive(Resource, Debug, Default, Clone, PartialEq)]
pub struct ResumeOffer(pub Option<ResumeChoice>);

/// One resumable save.
#[derive(Debug, Clone, PartialEq)]
pub struct ResumeChoice {
    /// The file.
    pub path: PathBuf,
    /// Scenario id.
    pub scenario: String,
    /// Minute reached.
    pub minute: u32,
    /// Intents recorded.
    pub intents: usize,
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<ResumeOffer>()
        .add_systems(OnEnter(Screen::Title), find_resumable)
        .add_systems(
            Update,
            (
                resume_command.in_set(AppSystems::Commands),
                autosave.in_set(AppSystems::Update),
            ),
        );
}

fn find_resumable(saved: Res<SavedExercise>, mut offer: ResMut<ResumeOffer>) {
    offer.0 = saves::list(&saved.dir).into_iter().find_map(|e| {
        let record = e.record.ok()?;
        (!record.ended()).then(|| ResumeChoice {
            scenario: record.log.scenario.0.clone(),
            minute: record.minute(),
            intents: record.log.entries.len(),
            path: e.path,
        })
    });
}

/// Writes the record whenever the session changed.
fn autosave(
    active: Option<Res<ActiveSession>>,
    mut saved: ResMut<SavedExercise>,
    mut notice: ResMut<Notice>,
) {
    let Some(active) = active else {
        return;
    };
    if active.is_added() && !std::mem::take(&mut saved.resuming) {
        let id = format!(
            "{}-{}-seed{}",
            active.session.scenario().id,
            unix_now(),
            active.session.log().seed
        );
        saved.path = Some(saves::path_of(&saved.dir, &id));
        saved.record = Some(ExerciseRecord::new(
            id,
            active.mode,
            unix_now(),
            &active.session,
        ));
    } else if !active.is_changed() {
        return;
    }
    let Some(record) = saved.record.as_mut() else {
        return;
    };
    // The log only ever grows, so its length says whether there is anything new to write; this
    // runs whenever the session resource was touched, which is more often than an intent lands.
    if record.log.entries.len() == active.session.log().entries.len() && !active.is_added() {
        return;
    }
    record.log = active.session.log().clone();
    if let Err(text) = saved.write() {
        *notice = Notice::error(text);
    }
}

fn resume_command(
    mut reader: MessageReader<AppCommand>,
    content: Res<Content>,
    mut saved: ResMut<SavedExercise>,
    mut notice: ResMut<Notice>,
    mut next: ResMut<NextState<Screen>>,
    mut commands: Commands,
) {
    for AppCommand(command) in reader.read() {
        let UiCommand::Resume(path) = command else {
            continue;
        };
        match resume(path, &content) {
            Ok((record, active)) => {
                let ended = active.session.ended();
                if ended {
                    commands.insert_resource(FinalScorecard(score(&active.session)));
                } else {
                    commands.remove_resource::<FinalScorecard>();
                }
                commands.insert_resource(active);
                saved.record = Some(record);
                saved.path = Some(path.clone());
                saved.resuming = true;
                *notice = Notice::info(format!("Resumed from {}", path.display()));
                next.set(if ended { Screen::Debrief } else { Screen::Play });
            }
            Err(message) => *notice = Notice::error(message),
        }
    }
}

/// Loads and replays a save against the loaded content.
pub fn resume(
    path: &std::path::Path,
    content: &Content,
) -> Result<(ExerciseRecord, ActiveSession), String> {
    let record = saves::load(path).map_err(|d| format!("{d} The save was left untouched."))?;
    let matrix = content.library.matrix.as_ref().ok_or_else(|| {
        "The responsibility matrix did not load, so nothing can be resumed.".to_owned()
    })?;
    let scenario = content
        .library
        .scenario(record.log.scenario.as_str())
        .ok_or_else(|| {
            format!(
                "Scenario `{}` of this save is not in the library.",
                record.log.scenario
            )
        })?;
    let session = record
        .resume(scenario.scenario.clone(), matrix.matrix.clone())
        .map_err(|e| format!("{}: {e}. The save was left untouched.", path.display()))?;
    let mode = record.mode;
    Ok((record, ActiveSession { session, mode }))
}
