//! Facilitated mode, headless part: carries out what the facilitator records (people in roles,
//! observer notes, ad-hoc injects, the hotwash) into the saved exercise record, saving after each
//! change, and keeps the projector's wanted state. The window itself is [`super::projector`].

use bevy::prelude::*;

use super::commands::{AppCommand, FacilitatorCommand, Notice, UiCommand};
use super::persistence::SavedExercise;
use super::session::ActiveSession;
use super::{AppSystems, Screen};
use crate::engine::exercise::ObserverNote;

/// What the projector should show: whether its window is open and whether it is blanked.
#[derive(Resource, Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ProjectorState {
    /// The window is wanted open.
    pub open: bool,
    /// The room sees nothing.
    pub blank: bool,
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<ProjectorState>()
        .add_systems(OnEnter(Screen::Title), close_projector)
        .add_systems(OnEnter(Screen::Library), close_projector)
        .add_systems(Update, facilitator_commands.in_set(AppSystems::Commands));
}

/// Leaving the exercise for the title or the scenario picker closes the room's window.
fn close_projector(mut projector: ResMut<ProjectorState>) {
    if *projector != ProjectorState::default() {
        *projector = ProjectorState::default();
    }
}

fn facilitator_commands(
    mut reader: MessageReader<AppCommand>,
    active: Option<Res<ActiveSession>>,
    mut saved: ResMut<SavedExercise>,
    mut projector: ResMut<ProjectorState>,
    mut notice: ResMut<Notice>,
) {
    for AppCommand(command) in reader.read() {
        let UiCommand::Facilitate(command) = command else {
            continue;
        };
        match command {
            FacilitatorCommand::ShowProjector(open) => {
                projector.open = *open;
                projector.blank &= *open;
            }
            FacilitatorCommand::BlankProjector(blank) => projector.blank = *blank,
            edit => {
                if let Err(text) = record_edit(edit, active.as_deref(), &mut saved) {
                    *notice = Notice::error(text);
                }
            }
        }
    }
}

/// Applies one edit to the exercise record and saves it.
fn record_edit(
    edit: &FacilitatorCommand,
    active: Option<&ActiveSession>,
    saved: &mut SavedExercise,
) -> Result<(), String> {
    let (Some(active), Some(record)) = (active, saved.record.as_mut()) else {
        return Err("No exercise is running, so there is nothing to record into.".into());
    };
    let session = &active.session;
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
        }),
        FacilitatorCommand::AdHocInject { title, narrative } => {
            record.release_adhoc(minute, &title, &narrative)
        }
        FacilitatorCommand::HotwashAdd {
            role,
            strength,
            text,
        } => record.add_hotwash_item(role, strength, &text),
        FacilitatorCommand::HotwashRemove {
            role,
            strength,
            index,
        } => {
            record.remove_hotwash_item(&role, strength, index);
            Ok(())
        }
        // Handled by `facilitator_commands`; they change nothing in the record.
        FacilitatorCommand::ShowProjector(_) | FacilitatorCommand::BlankProjector(_) => {
            return Ok(());
        }
    };
    result.map_err(|rejected| format!("Not recorded: {}.", rejected.reason))?;
    saved.write()
}
