//! The exercise being played: the engine session and its saved record held together in one
//! store ([`ActiveExercise`]), so that nothing of one exercise can reach another, with one write
//! path whether the app or a room's host owns it. One handler carries out [`ExerciseCommand`]s
//! in order — start, resume, intents, clock, rooms, export — and is the only system that writes
//! into the store besides the facilitator's record edits.
//!
//! [`ExerciseCommand`]: crate::app::messages::ExerciseCommand

mod clock;
mod export;
mod handler;
mod saving;
mod shown;
mod store;

use bevy::prelude::*;

pub use clock::{BASE_SECS_PER_MINUTE, ScenarioClock};
pub use export::{default_export_dir, export};
pub use handler::{ROOM_PORT, RoomService};
pub use saving::{ResumeChoice, ResumeError, ResumeOffer, load_for_resume};
pub use shown::{
    ARROW_LIFETIME_SECS, ArrowKind, BoardArrow, BoardArrows, ExerciseBegan, FinalScorecard,
    InjectBanner, LastOutcome, NewInject, ScoreChange, ScoreTrail,
};
pub use store::{ActiveExercise, NewEntries, RoomError, SaveError, Saves};

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
