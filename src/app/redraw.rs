//! When the window redraws. Idle, it does not: only input, a running scenario clock or a moving
//! arrow wakes it. One system owns the policy, switching [`WinitSettings`] only when the wanted
//! mode changes; another keeps egui from asking for a frame when nothing happened.

use std::time::Duration;

use bevy::prelude::*;
use bevy::winit::{UpdateMode, WinitSettings};

use bevy::platform::collections::HashMap;
use bevy_egui::{EguiInput, EguiInputSet, EguiPreUpdateSet, egui};

use bevy::window::RequestRedraw;

use super::exercise::{ActiveExercise, BoardArrows, ScenarioClock};
use super::flow::Screen;

/// How often the window wakes while the scenario clock runs: the countdown it shows counts seconds.
pub const CLOCK_WAKE: Duration = Duration::from_secs(1);

/// While a room is open the host wakes the window after every change; this is only a safety net
/// (a wake lost with a window being recreated).
pub const ROOM_WAKE: Duration = Duration::from_secs(5);

/// What the window is set to do.
#[derive(Resource, Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum RedrawPolicy {
    /// Redraw on input only.
    #[default]
    OnInput,
    /// Also wake every [`CLOCK_WAKE`] for the running scenario clock.
    ClockTicking,
    /// While a room is open: woken by the host after every change, and every [`ROOM_WAKE`].
    RoomOpen,
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
            Self::RoomOpen => WinitSettings {
                focused_mode: UpdateMode::reactive(ROOM_WAKE),
                unfocused_mode: UpdateMode::reactive(ROOM_WAKE),
            },
            Self::Continuous => WinitSettings::continuous(),
        }
    }
}

/// The redraw policy (part of the UI; headless tests add it on its own).
pub fn plugin(app: &mut App) {
    app.init_resource::<RedrawPolicy>()
        .add_message::<RequestRedraw>()
        .add_message::<bevy::window::WindowResized>()
        .add_systems(
            PostUpdate,
            (follow_the_clock, keep_arrows_moving, settle_after_resize),
        )
        .add_systems(
            PreUpdate,
            drop_unchanged_modifiers
                .after(EguiInputSet::WriteEguiEvents)
                .before(EguiPreUpdateSet::BeginPass),
        );
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
    let ticking = clock.running
        && screen.get().is_exercise()
        && active.as_ref().is_some_and(|a| !a.session().ended());
    let hosting = active.is_some_and(|a| a.room().is_some());
    let wanted = if hosting {
        RedrawPolicy::RoomOpen
    } else if ticking {
        RedrawPolicy::ClockTicking
    } else {
        RedrawPolicy::OnInput
    };
    if *policy != wanted {
        *policy = wanted;
        *winit = wanted.settings();
    }
}

/// While arrows are moving or fading on the board, keep frames coming even in reactive mode.
fn keep_arrows_moving(arrows: Res<BoardArrows>, mut redraw: MessageWriter<RequestRedraw>) {
    if !arrows.0.is_empty() {
        redraw.write(RequestRedraw);
    }
}

/// Frames drawn after the window is resized, with no input: egui lays a resized window out over
/// two passes, and a reactive window would otherwise show the first (a layout for the old size,
/// cut off) until the pointer moves.
const FRAMES_AFTER_RESIZE: u8 = 3;

fn settle_after_resize(
    mut resized: MessageReader<bevy::window::WindowResized>,
    mut redraw: MessageWriter<RequestRedraw>,
    mut frames_left: Local<u8>,
) {
    if resized.read().count() > 0 {
        *frames_left = FRAMES_AFTER_RESIZE;
    }
    if *frames_left > 0 {
        *frames_left -= 1;
        redraw.write(RequestRedraw);
    }
}

/// Hands the window back to the normal policy (after [`draw_continuously`]).
pub fn settle(world: &mut World) {
    world.insert_resource(RedrawPolicy::OnInput);
    world.insert_resource(RedrawPolicy::OnInput.settings());
}

/// Makes the window draw every frame from now on (screenshot tours).
pub fn draw_continuously(world: &mut World) {
    world.insert_resource(RedrawPolicy::Continuous);
    world.insert_resource(RedrawPolicy::Continuous.settings());
}

/// `bevy_egui` 0.42 sends egui a `ModifiersChanged` event on every frame, changed or not; egui asks
/// for an immediate repaint whenever a frame has events, so an idle window redrew itself forever
/// (about 25 frames a second and most of a core under llvmpipe). egui keeps the modifier state
/// between frames, so only a real change needs the event.
fn drop_unchanged_modifiers(
    mut inputs: Query<(Entity, &mut EguiInput)>,
    mut last_sent: Local<HashMap<Entity, egui::Modifiers>>,
) {
    for (context, mut input) in &mut inputs {
        let mut latest = last_sent.get(&context).copied();
        input.events.retain(|event| match event {
            egui::Event::ModifiersChanged(modifiers) => {
                let changed = latest != Some(*modifiers);
                latest = Some(*modifiers);
                changed
            }
            _ => true,
        });
        if let Some(modifiers) = latest {
            last_sent.insert(context, modifiers);
        }
    }
}

#[cfg(test)]
mod tests {
    use bevy_egui::EguiInput;
    use bevy_egui::egui::{self, Event, Modifiers, RawInput};

    use super::*;

    fn events(world: &World, context: Entity) -> Vec<Event> {
        world.get::<EguiInput>(context).unwrap().events.clone()
    }

    #[test]
    fn the_modifier_state_reaches_egui_only_when_it_changes() {
        let mut world = World::new();
        let context = world.spawn(EguiInput::default()).id();
        let system = world.register_system(drop_unchanged_modifiers);
        let frame = |world: &mut World, sent: Vec<Event>| {
            world.get_mut::<EguiInput>(context).unwrap().events = sent;
            world.run_system(system).unwrap();
            events(world, context)
        };
        let none = Event::ModifiersChanged(Modifiers::NONE);
        let shift = Event::ModifiersChanged(Modifiers::SHIFT);
        assert_eq!(
            frame(&mut world, vec![none.clone()]),
            vec![none.clone()],
            "the first is news"
        );
        assert!(
            frame(&mut world, vec![none.clone()]).is_empty(),
            "the same again is not"
        );
        assert_eq!(frame(&mut world, vec![shift.clone()]), vec![shift.clone()]);
        let key = Event::Text("a".into());
        assert_eq!(frame(&mut world, vec![shift, key.clone()]), [key]);
        assert_eq!(frame(&mut world, vec![none.clone()]), [none]);
    }

    /// A resize is drawn again a few times with no input, then the window goes back to sleep.
    #[test]
    fn a_resized_window_is_drawn_again_and_then_sleeps() {
        let mut app = App::new();
        app.add_message::<bevy::window::WindowResized>()
            .add_message::<RequestRedraw>()
            .add_systems(Update, settle_after_resize);
        let redraws = |app: &mut App| {
            app.update();
            app.world_mut()
                .resource_mut::<Messages<RequestRedraw>>()
                .drain()
                .count()
        };
        assert_eq!(redraws(&mut app), 0, "idle: nothing asked");
        app.world_mut().write_message(bevy::window::WindowResized {
            window: Entity::PLACEHOLDER,
            width: 900.0,
            height: 600.0,
        });
        let frames: Vec<usize> = (0..5).map(|_| redraws(&mut app)).collect();
        assert_eq!(frames, [1, 1, 1, 0, 0]);
    }

    /// Why the filter exists: egui wants another frame whenever a frame carried any event.
    #[test]
    fn egui_asks_for_frames_while_every_frame_carries_an_event() {
        let ctx = egui::Context::default();
        let pass = |events: Vec<Event>| {
            let mut output = ctx.run_ui(
                RawInput {
                    events,
                    ..RawInput::default()
                },
                |ui| {
                    ui.label("idle");
                },
            );
            // No renderer here to take the font texture.
            output.textures_delta.clear();
            ctx.has_requested_repaint()
        };
        // Let the first frames settle (egui lays out twice at start).
        for _ in 0..3 {
            pass(Vec::new());
        }
        assert!(!pass(Vec::new()), "an idle frame asks for nothing");
        for _ in 0..3 {
            assert!(pass(vec![Event::ModifiersChanged(Modifiers::NONE)]));
        }
    }
}
