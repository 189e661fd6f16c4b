//! The facilitator console, the screen of a facilitated session. Beside the room's decisions (the
//! same action composers as in play) the facilitator steers the injects, writes ad-hoc ones, seats
//! people in roles, takes observer notes, drives the projector, and watches the live scorecard and
//! what the matrix expects — none of which reaches the room.

mod left;
mod right;
mod room;
mod room_bar;
mod state;
#[cfg(test)]
mod tests;

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use crate::app::board::BoardViewport;
use crate::app::exercise::{
    ActiveExercise, ExerciseBegan, InjectBanner, LastOutcome, ScenarioClock, ScoreTrail,
};
use crate::app::facilitation::ProjectorState;
use crate::app::flow::Screen;
use crate::app::messages::{CommandWriter, FacilitatorCommand, UiCommand};
use crate::app::screens::actions::ActionsState;
use crate::app::screens::board_text::board_ui;
use crate::app::screens::clock_bar::{clock_bar_ui, clock_shortcuts};
use crate::app::screens::widgets::{banner_ui, nothing_to_show_ui, root_ui, trail_ui};
use crate::engine::Session;
use crate::engine::exercise::ExerciseRecord;
use crate::engine::model::scenario::Mode;
use crate::hosting::OpenRoom;

pub use left::{injects_ui, left_ui, people_ui};
pub use right::{notes_ui, right_ui, scorecard_ui};
pub use room::room_ui;
pub use room_bar::room_bar_ui;
pub use state::{ConsoleState, LeftTab, RightTab};

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<ConsoleState>()
        .add_systems(
            Update,
            (|mut state: ResMut<ConsoleState>| *state = ConsoleState::default())
                .run_if(on_message::<ExerciseBegan>),
        )
        .add_systems(
            EguiPrimaryContextPass,
            console_system.run_if(in_state(Screen::Console)),
        );
}

fn console_system(
    mut contexts: EguiContexts,
    active: Option<Res<ActiveExercise>>,
    clock: Res<ScenarioClock>,
    outcome: Res<LastOutcome>,
    trail: Res<ScoreTrail>,
    banner: Res<InjectBanner>,
    projector: Res<ProjectorState>,
    mut console: ResMut<ConsoleState>,
    mut actions: ResMut<ActionsState>,
    mut viewport: ResMut<BoardViewport>,
    mut writer: CommandWriter,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let mut ui = root_ui(ctx, "console");
    let Some(active) = active else {
        writer.send_all(nothing_to_show_ui(&mut ui, "No session is running"));
        return Ok(());
    };
    let view = ConsoleView {
        session: active.session(),
        record: active.record(),
        room: active.room(),
        clock: &clock,
        projector: *projector,
        outcome: &outcome,
        trail: &trail,
        banner: &banner,
    };
    let (mut commands, board) = console_ui(&mut ui, &view, &mut console, &mut actions);
    viewport.rect = Some(board_ui(&mut ui, board, view.session));
    viewport.pixels_per_point = ctx.pixels_per_point();
    commands.extend(clock_shortcuts(ctx, active.mode(), &clock));
    // B blanks the projector, as the room bar's button does.
    if projector.open
        && !ctx.egui_wants_keyboard_input()
        && ctx.input(|i| i.key_pressed(egui::Key::B))
    {
        commands.push(FacilitatorCommand::BlankProjector(!projector.blank).into());
    }
    writer.send_all(commands);
    Ok(())
}

/// What the console shows.
pub struct ConsoleView<'a> {
    /// The exercise.
    pub session: &'a Session,
    /// Its record: seats, notes, ad-hoc injects.
    pub record: &'a ExerciseRecord,
    /// The room hosting it, while open.
    pub room: Option<&'a OpenRoom>,
    /// The scenario clock.
    pub clock: &'a ScenarioClock,
    /// Whether the projector is open or blanked.
    pub projector: ProjectorState,
    /// The last decision's outcome.
    pub outcome: &'a LastOutcome,
    /// The running score.
    pub trail: &'a ScoreTrail,
    /// The new-inject banner.
    pub banner: &'a InjectBanner,
}

/// Lays out the console in `ui`. Returns what the facilitator asked for and the rectangle left
/// between the panels for the board.
pub fn console_ui(
    ui: &mut egui::Ui,
    view: &ConsoleView,
    console: &mut ConsoleState,
    actions: &mut ActionsState,
) -> (Vec<UiCommand>, egui::Rect) {
    let (session, record) = (view.session, view.record);
    let mut commands = Vec::new();
    let width = ui.max_rect().width();
    let (left, right) = crate::app::theme::side_panels(width);
    let narrow = crate::app::theme::is_narrow(width);
    egui::Panel::top("console-top").show(ui, |ui| {
        commands.extend(clock_bar_ui(ui, session, Mode::Facilitated, view.clock));
        if !narrow {
            commands.extend(room_bar_ui(ui, session, view.clock, view.projector));
        }
    });
    if narrow {
        // The room's side and the board take turns beside the decisions, each big enough to read.
        egui::Panel::right(crate::app::theme::panel_id(ui, "console-right-narrow"))
            .resizable(false)
            .exact_size(width * crate::app::theme::NARROW_ACTIONS_SHARE)
            .show(ui, |ui| {
                // The clock's run and the projector head the side that scrolls, out of the bar
                // above, which would otherwise take most of a short window's height.
                egui::ScrollArea::vertical()
                    .id_salt("console-right-narrow-scroll")
                    .show(ui, |ui| {
                        commands.extend(room_bar_ui(ui, session, view.clock, view.projector));
                        ui.separator();
                        commands.extend(decisions_ui(ui, view, console, actions));
                    });
            });
        commands.extend(banner_ui(ui, view.banner));
        let (left_commands, board) = crate::app::screens::widgets::narrow_pane_ui(
            ui,
            &mut actions.narrow_pane,
            "Room",
            |ui| left_ui(ui, session, record, view.room, console),
        );
        commands.extend(left_commands.into_iter().flatten());
        return (commands, board);
    }
    egui::Panel::left(crate::app::theme::panel_id(ui, "console-left"))
        .resizable(true)
        .default_size(340.0_f32.clamp(left.min, left.max))
        .size_range(left)
        .show(ui, |ui| {
            commands.extend(banner_ui(ui, view.banner));
            commands.extend(left_ui(ui, session, record, view.room, console));
        });
    egui::Panel::right(crate::app::theme::panel_id(ui, "console-right"))
        .resizable(true)
        .default_size(440.0_f32.clamp(right.min, right.max))
        .size_range(right)
        .show(ui, |ui| {
            commands.extend(decisions_panel_ui(ui, view, console, actions));
        });
    crate::app::screens::widgets::board_legend_ui(ui);
    (commands, ui.available_rect_before_wrap())
}

/// The console's right side: decisions, notes or scorecard. The console's two bars can leave it
/// little height (a small window at a large scale): then the whole side scrolls, tabs included.
fn decisions_panel_ui(
    ui: &mut egui::Ui,
    view: &ConsoleView,
    console: &mut ConsoleState,
    actions: &mut ActionsState,
) -> Vec<UiCommand> {
    egui::ScrollArea::vertical()
        .id_salt("console-right-scroll")
        .show(ui, |ui| decisions_ui(ui, view, console, actions))
        .inner
}

/// What the right side holds, unscrolled.
fn decisions_ui(
    ui: &mut egui::Ui,
    view: &ConsoleView,
    console: &mut ConsoleState,
    actions: &mut ActionsState,
) -> Vec<UiCommand> {
    let graded = (view.outcome, view.trail.card.as_ref());
    let out = right_ui(ui, view.session, view.record, console, actions, graded);
    if console.right == RightTab::Decisions {
        trail_ui(ui, view.trail, Mode::Facilitated);
    }
    out
}
