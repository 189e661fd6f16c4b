//! The scenario clock: real time turned into scenario minutes while it runs.

use bevy::prelude::*;

use super::store::ActiveExercise;
use crate::app::messages::ExerciseCommand;

/// The running scenario clock (drill and facilitated modes): whether it runs and how fast.
#[derive(Resource, Debug, Clone, PartialEq)]
pub struct ScenarioClock {
    /// Whether time passes on its own.
    pub running: bool,
    /// Speed multiplier; at 1.0 a scenario minute lasts [`BASE_SECS_PER_MINUTE`] real seconds.
    pub speed: f32,
    /// Real seconds accumulated towards the next scenario minute.
    pub elapsed_secs: f32,
}

/// Real seconds per scenario minute at speed 1: the clock runs in real time.
pub const BASE_SECS_PER_MINUTE: f32 = 60.0;

impl Default for ScenarioClock {
    fn default() -> Self {
        Self {
            running: false,
            speed: 1.0,
            elapsed_secs: 0.0,
        }
    }
}

impl ScenarioClock {
    /// Real seconds until the next scenario minute.
    pub fn secs_to_next_minute(&self) -> f32 {
        (BASE_SECS_PER_MINUTE / self.speed.max(0.01) - self.elapsed_secs).max(0.0)
    }
}

/// Turns real time into scenario minutes while the clock runs. Real time, not virtual: virtual
/// time clamps long frames, which would slow the clock when redraws are sparse.
pub(super) fn tick(
    time: Res<Time<Real>>,
    mut clock: ResMut<ScenarioClock>,
    active: Option<Res<ActiveExercise>>,
    mut intents: MessageWriter<ExerciseCommand>,
) {
    let Some(active) = active else {
        return;
    };
    if !clock.running || active.session().ended() {
        return;
    }
    clock.elapsed_secs += time.delta_secs();
    let per_minute = BASE_SECS_PER_MINUTE / clock.speed.max(0.01);
    if clock.elapsed_secs >= per_minute {
        let minutes = (clock.elapsed_secs / per_minute).floor();
        clock.elapsed_secs -= minutes * per_minute;
        intents.write(ExerciseCommand::ClockTick(minutes as u32));
    }
}
