//! Facilitated mode, headless part: carries out [`FacilitatorCommand`]s — people in roles, observer
//! notes, ad-hoc injects, the hotwash — into the exercise's record, saving after each change, and
//! keeps the projector's wanted state (saved too, so a resumed session puts the room back). The
//! window itself is [`super::projector`].

use bevy::prelude::*;

use super::exercise::{ActiveExercise, ExerciseBegan, Saves};
use super::flow::{AppSystems, Screen};
use super::messages::FacilitatorCommand;
use super::notice::Notice;
use crate::engine::exercise::{ExerciseRecord, ObserverNote, ProjectorDisplay};
use crate::engine::{Rejected, Session};

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
    *projector = active.map_or_else(ProjectorState::default, |a| a.record().projector.into());
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
        let projector_only = match command {
            FacilitatorCommand::ShowProjector(open) => {
                projector.open = *open;
                projector.blank &= *open;
                true
            }
            FacilitatorCommand::BlankProjector(blank) => {
                projector.blank = *blank;
                true
            }
            _ => false,
        };
        // The projector as it is wanted is saved with the rest, so a resume puts the room back.
        let shown = ProjectorDisplay {
            open: projector.open,
            blank: projector.blank,
        };
        if projector_only && active.record().projector == shown {
            continue;
        }
        let outcome = active.edit(&saves, &mut |record, session| {
            record_edit(command, record, session)?;
            record.projector = shown;
            Ok(())
        });
        let problem = match outcome {
            Err(refusal) => Some(format!("Not recorded: {refusal}.")),
            Ok(()) => active.save_error().map(str::to_owned),
        };
        if let Some(problem) = problem {
            *notice = Notice::error(problem);
        }
    }
}

/// Applies one of the facilitator's edits to the exercise record, as the session stands; the
/// projector's commands change nothing here.
fn record_edit(
    edit: &FacilitatorCommand,
    record: &mut ExerciseRecord,
    session: &Session,
) -> Result<(), Rejected> {
    let minute = session.minute();
    match edit.clone() {
        FacilitatorCommand::SetFacilitator(name) => {
            name.trim().clone_into(&mut record.facilitator);
            Ok(())
        }
        FacilitatorCommand::PutInRole { name, role } => {
            record.put_in_role(&name, role, session.matrix())
        }
        FacilitatorCommand::TakeOutOfRole(index) => {
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
        FacilitatorCommand::ShowProjector(_) | FacilitatorCommand::BlankProjector(_) => Ok(()),
    }
}
