//! The exercise being played: the engine session and its saved record held together, so that
//! nothing of one exercise can reach another. One handler carries out [`ExerciseCommand`]s in
//! order — start, resume, intents, clock, export — and is the only system that writes into the
//! engine; every accepted intent is saved before the next command is read.
//!
//! [`ExerciseCommand`]: crate::app::messages::ExerciseCommand

mod active;
mod clock;
mod export;
mod handler;
mod saving;

use bevy::prelude::*;

pub use active::{
    ARROW_LIFETIME_SECS, ActiveExercise, ArrowKind, BoardArrow, BoardArrows, ExerciseBegan,
    FinalScorecard, InjectBanner, LastOutcome, NewInject, SaveError, Saves, ScoreChange,
    ScoreTrail,
};
pub use clock::{BASE_SECS_PER_MINUTE, ScenarioClock};
pub use export::{default_export_dir, export};
pub use handler::{ROOM_PORT, RoomService};
pub use saving::{ResumeChoice, ResumeError, ResumeOffer, load_for_resume};

use crate::app::flow::AppSystems;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<LastOutcome>()
        .init_resource::<ScoreTrail>()
        .init_resource::<InjectBanner>()
        .init_resource::<BoardArrows>()
        .init_resource::<ScenarioClock>()
        .init_resource::<RoomService>()
        .add_message::<ExerciseBegan>()
        .add_plugins(saving::plugin)
        .add_systems(
            Update,
            (
                clock::tick.in_set(AppSystems::Tick),
                handler::handle_exercise_commands.in_set(AppSystems::Commands),
                handler::follow_room
                    .in_set(AppSystems::Commands)
                    .after(handler::handle_exercise_commands),
                handler::age_arrows.in_set(AppSystems::Update),
            ),
        );
}
