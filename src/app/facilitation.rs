//! Facilitated mode, headless part: carries out [`FacilitatorCommand`]s — people in roles, observer
//! notes, ad-hoc injects, the hotwash — into the exercise's record, saving after each change, and
//! keeps the projector's wanted state (saved too, so a resumed session puts the room back). The
//! window itself is [`super::projector`].

use bevy::prelude::*;
use thiserror::Error;

use super::exercise::{ActiveExercise, ExerciseBegan, SaveError, Saves};
use super::flow::{AppSystems, Screen};
use super::messages::FacilitatorCommand;
use super::notice::Notice;
use crate::engine::Rejected;
use crate::engine::exercise::{ObserverNote, ProjectorDisplay};

/// What the projector should show: whether its window is open and whether it is blanked.
#[derive(Resource, Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ProjectorState {
    /// The window is wanted open.
    pub open: bool,
    /// The room sees nothing.
    pub blank: bool,
}

impl From<ProjectorDisplay> for ProjectorState {
    fn from(saved: ProjectorDisplay) -> Self {
        Self {
            open: saved.open,
            blank: saved.blank,
        }
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<ProjectorState>()
        .add_systems(OnEnter(Screen::Title), close_projector)
        .add_systems(OnEnter(Screen::Library), close_projector)
        .add_systems(
            Update,
            (
                facilitator_commands.in_set(AppSystems::Commands),
                projector_as_saved
                    .run_if(on_message::<ExerciseBegan>)
                    .in_set(AppSystems::Update),
            ),
        );
}

/// Leaving the exercise for the title or the scenario picker closes the room's window (the save
/// keeps how it was, for a resume).
fn close_projector(mut projector: ResMut<ProjectorState>) {
    if *projector != ProjectorState::default() {
        *projector = ProjectorState::default();
    }
}

/// A new exercise shows the projector as its record says: closed for a new one, as the
/// facilitator left it for a resumed one.
fn projector_as_saved(active: Option<Res<ActiveExercise>>, mut projector: ResMut<ProjectorState>) {
    *projector = active.map_or_else(ProjectorState::default, |a| a.record.projector.into());
}

fn facilitator_commands(
    mut reader: MessageReader<FacilitatorCommand>,
    active: Option<ResMut<ActiveExercise>>,
    saves: Res<Saves>,
    mut projector: ResMut<ProjectorState>,
    mut notice: ResMut<Notice>,
) {
    let Some(mut active) = active else {
        if !reader.is_empty() {
            reader.clear();
            *notice = Notice::error("No exercise is running, so there is nothing to record into.");
        }
        return;
    };
    for command in reader.read() {
        let result = match command {
            FacilitatorCommand::ShowProjector(open) => {
                projector.open = *open;
                projector.blank &= *open;
                Ok(())
            }
            FacilitatorCommand::BlankProjector(blank) => {
                projector.blank = *blank;
                Ok(())
            }
            edit => record_edit(edit, &mut active),
        };
        active.record.projector = ProjectorDisplay {
            open: projector.open,
            blank: projector.blank,
        };
        let outcome = result.and_then(|()| active.save(&saves).map_err(RecordError::from));
        if let Err(problem) = outcome {
            *notice = Notice::error(problem.to_string());
        }
    }
}

/// Why a facilitator's edit did not reach the save.
#[derive(Debug, Error)]
pub enum RecordError {
    /// The record refused it; nothing changed.
    #[error("Not recorded: {0}.")]
    Refused(#[from] Rejected),
    /// It is recorded in memory but could not be written.
    #[error(transparent)]
    Save(#[from] SaveError),
}

/// Applies one edit to the exercise record.
fn record_edit(edit: &FacilitatorCommand, active: &mut ActiveExercise) -> Result<(), RecordError> {
    let ActiveExercise {
        session, record, ..
    } = active;
    let minute = session.minute();
    let result = match edit.clone() {
        FacilitatorCommand::SetFacilitator(name) => {
            name.trim().clone_into(&mut record.facilitator);
            Ok(())
        }
        FacilitatorCommand::Seat { name, role } => record.seat(&name, role, session.matrix()),
        FacilitatorCommand::Unseat(index) => {
            if index < record.participants.len() {
                record.participants.remove(index);
            }
            Ok(())
        }
        FacilitatorCommand::Note {
            role,
            dimension,
            text,
        } => record.add_note(ObserverNote {
            minute,
            role,
            dimension,
            text,
            after_intents: Some(session.log().entries.len()),
        }),
        FacilitatorCommand::AdHocInject {
            title,
            narrative,
            to,
        } => record.release_adhoc(
            minute,
            session.log().entries.len(),
            &title,
            &narrative,
            to.into_iter().collect(),
        ),
        FacilitatorCommand::HotwashAdd { role, list, text } => {
            record.add_hotwash_item(role, list, &text)
        }
        FacilitatorCommand::HotwashRemove { role, list, index } => {
            record.remove_hotwash_item(&role, list, index);
            Ok(())
        }
        // Carried out by `facilitator_commands`; nothing in the record but the projector.
        FacilitatorCommand::ShowProjector(_) | FacilitatorCommand::BlankProjector(_) => Ok(()),
    };
    result.map_err(RecordError::from)
}
