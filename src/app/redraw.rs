//! When the window redraws. Idle, it does not: only input, a running scenario clock or a moving
//! arrow wakes it. This one system owns the policy, switching [`WinitSettings`] only when the wanted
//! mode changes.

use std::time::Duration;

use bevy::prelude::*;
use bevy::winit::{UpdateMode, WinitSettings};

use super::exercise::{ActiveExercise, ScenarioClock};
use super::flow::Screen;

/// How often the window wakes while the scenario clock runs (for the countdown it shows).
pub const CLOCK_WAKE: Duration = Duration::from_millis(250);

/// What the window is set to do.
#[derive(Resource, Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum RedrawPolicy {
    /// Redraw on input only.
    #[default]
    OnInput,
    /// Also wake every [`CLOCK_WAKE`] for the running scenario clock.
    ClockTicking,
    /// Every frame, whatever happens (screenshot tours, which count frames).
    Continuous,
}

impl RedrawPolicy {
    fn settings(self) -> WinitSettings {
        match self {
            Self::OnInput => WinitSettings::desktop_app(),
            Self::ClockTicking => WinitSettings {
                focused_mode: UpdateMode::reactive(CLOCK_WAKE),
                unfocused_mode: UpdateMode::reactive(CLOCK_WAKE),
            },
            Self::Continuous => WinitSettings::continuous(),
        }
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<RedrawPolicy>()
        .add_systems(PostUpdate, follow_the_clock);
}

fn follow_the_clock(
    clock: Res<ScenarioClock>,
    active: Option<Res<ActiveExercise>>,
    screen: Res<State<Screen>>,
    mut policy: ResMut<RedrawPolicy>,
    mut winit: ResMut<WinitSettings>,
) {
    if *policy == RedrawPolicy::Continuous {
        return;
    }
    let ticking =
        clock.running && screen.get().is_exercise() && active.is_some_and(|a| !a.session.ended());
    let wanted = if ticking {
        RedrawPolicy::ClockTicking
    } else {
        RedrawPolicy::OnInput
    };
    if *policy != wanted {
        *policy = wanted;
        *winit = wanted.settings();
    }
}

/// Makes the window draw every frame from now on (screenshot tours).
pub fn draw_continuously(world: &mut World) {
    world.insert_resource(RedrawPolicy::Continuous);
    world.insert_resource(RedrawPolicy::Continuous.settings());
}
