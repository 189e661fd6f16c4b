//! Screen changes: the [`Navigate`] handler, the mode chosen on the title screen, and leaving an
//! exercise screen once the exercise has ended.

use bevy::prelude::*;

use super::exercise::{ActiveExercise, FinalScorecard};
use super::flow::{AppSystems, Screen, on_exercise_screen};
use super::messages::Navigate;
use crate::engine::model::scenario::Mode;

/// The mode chosen on the title screen.
#[derive(Resource, Clone, Copy, Debug, PartialEq, Eq)]
pub struct PreferredMode(pub Mode);

impl Default for PreferredMode {
    fn default() -> Self {
        Self(Mode::Practice)
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<PreferredMode>().add_systems(
        Update,
        (
            handle_navigation.in_set(AppSystems::Commands),
            leave_ended_exercise
                .run_if(on_exercise_screen)
                .in_set(AppSystems::Update),
        ),
    );
}

fn handle_navigation(
    mut reader: MessageReader<Navigate>,
    mut next: ResMut<NextState<Screen>>,
    mut preferred: ResMut<PreferredMode>,
    active: Option<Res<ActiveExercise>>,
    mut exit: MessageWriter<AppExit>,
) {
    for command in reader.read() {
        match command {
            Navigate::GoTo(screen) => {
                // "Back to the exercise" goes to the screen its mode is played on.
                let screen = match (screen, &active) {
                    (Screen::Play | Screen::Console, Some(active)) => active.screen(),
                    _ => *screen,
                };
                next.set(screen);
            }
            Navigate::OpenLibrary(mode) => {
                preferred.0 = *mode;
                next.set(Screen::Library);
            }
            Navigate::Quit => {
                exit.write(AppExit::Success);
            }
        }
    }
}

/// Moves on once the exercise has ended: to the hotwash after a facilitated session, otherwise
/// straight to the debrief.
fn leave_ended_exercise(
    card: Option<Res<FinalScorecard>>,
    active: Option<Res<ActiveExercise>>,
    mut next: ResMut<NextState<Screen>>,
) {
    if card.is_some() {
        let facilitated = active.is_some_and(|a| a.mode() == Mode::Facilitated);
        next.set(if facilitated {
            Screen::Hotwash
        } else {
            Screen::Debrief
        });
    }
}
