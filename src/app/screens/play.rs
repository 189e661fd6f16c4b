//! The play screen (practice and drill): the inject feed on the left, the board in the middle
//! (drawn by Bevy), the action composers and the last outcome on the right. Layout only: the
//! pieces live in [`super::widgets`], [`super::actions`] and [`super::clock_bar`].

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::actions::{ActionsState, actions_ui};
use super::board_text::board_ui;
use super::clock_bar::{clock_bar_ui, clock_shortcuts};
use super::widgets::{banner_ui, feed_ui, nothing_to_show_ui, outcome_ui, root_ui, trail_ui};
use crate::app::board::BoardViewport;
use crate::app::exercise::{ActiveExercise, InjectBanner, LastOutcome, ScenarioClock, ScoreTrail};
use crate::app::flow::Screen;
use crate::app::messages::{CommandWriter, UiCommand};
use crate::engine::Session;
use crate::engine::exercise::inject_feed;
use crate::engine::model::scenario::Mode;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        play_system.run_if(in_state(Screen::Play)),
    );
}

fn play_system(
    mut contexts: EguiContexts,
    active: Option<Res<ActiveExercise>>,
    clock: Res<ScenarioClock>,
    outcome: Res<LastOutcome>,
    trail: Res<ScoreTrail>,
    banner: Res<InjectBanner>,
    mut state: ResMut<ActionsState>,
    mut viewport: ResMut<BoardViewport>,
    mut writer: CommandWriter,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let mut ui = root_ui(ctx, "play");
    let Some(active) = active else {
        writer.send_all(nothing_to_show_ui(&mut ui, "No scenario is running"));
        return Ok(());
    };
    let view = PlayView {
        session: active.session(),
        mode: active.mode(),
        clock: &clock,
        outcome: &outcome,
        trail: &trail,
        banner: &banner,
    };
    let (mut commands, board) = play_ui(&mut ui, &view, &mut state);
    viewport.rect = Some(board_ui(&mut ui, board, view.session));
    viewport.pixels_per_point = ctx.pixels_per_point();
    commands.extend(clock_shortcuts(ctx, view.mode, &clock));
    writer.send_all(commands);
    Ok(())
}

/// What the play screen shows.
pub struct PlayView<'a> {
    /// The exercise.
    pub session: &'a Session,
    /// Practice or drill.
    pub mode: Mode,
    /// The scenario clock.
    pub clock: &'a ScenarioClock,
    /// The last decision's outcome.
    pub outcome: &'a LastOutcome,
    /// The running score (practice).
    pub trail: &'a ScoreTrail,
    /// The new-inject banner.
    pub banner: &'a InjectBanner,
}

/// Lays out the play screen in `ui`: the clock bar, the feed, the composers. Returns what the
/// player asked for and the rectangle left between the panels for the board (empty while a
/// narrow window shows the feed in its place).
pub fn play_ui(
    ui: &mut egui::Ui,
    view: &PlayView,
    state: &mut ActionsState,
) -> (Vec<UiCommand>, egui::Rect) {
    let mut commands = Vec::new();
    let width = ui.max_rect().width();
    egui::Panel::top("play-top").show(ui, |ui| {
        commands.extend(clock_bar_ui(ui, view.session, view.mode, view.clock));
    });
    if crate::app::theme::is_narrow(width) {
        // Feed and board take turns beside the actions, each big enough to read.
        egui::Panel::right(crate::app::theme::panel_id(ui, "play-actions-narrow"))
            .resizable(false)
            .exact_size(width * crate::app::theme::NARROW_ACTIONS_SHARE)
            .show(ui, |ui| {
                commands.extend(actions_ui(ui, view.session, view.mode, state));
                feedback_ui(ui, view);
            });
        commands.extend(banner_ui(ui, view.banner));
        let (_, board) = crate::app::screens::widgets::narrow_pane_ui(
            ui,
            &mut state.narrow_pane,
            "Feed",
            |ui| {
                feed_ui(ui, &inject_feed(view.session, &[]));
            },
        );
        return (commands, board);
    }
    let (left, right) = crate::app::theme::side_panels(width);
    egui::Panel::left(crate::app::theme::panel_id(ui, "play-feed"))
        .resizable(true)
        .default_size(330.0_f32.clamp(left.min, left.max))
        .size_range(left)
        .show(ui, |ui| {
            commands.extend(banner_ui(ui, view.banner));
            feed_ui(ui, &inject_feed(view.session, &[]));
        });
    egui::Panel::right(crate::app::theme::panel_id(ui, "play-actions"))
        .resizable(true)
        .default_size(430.0_f32.clamp(right.min, right.max))
        .size_range(right)
        .show(ui, |ui| {
            commands.extend(actions_ui(ui, view.session, view.mode, state));
            feedback_ui(ui, view);
        });
    crate::app::screens::widgets::board_legend_ui(ui);
    (commands, ui.available_rect_before_wrap())
}

/// Under the composers: what the last step earned and the running score, scrolling in the height
/// the composers leave, so the score is reachable however long the feedback.
fn feedback_ui(ui: &mut egui::Ui, view: &PlayView) {
    ui.separator();
    egui::ScrollArea::vertical()
        .id_salt("play-feedback")
        .auto_shrink([false, true])
        .show(ui, |ui| {
            outcome_ui(ui, view.outcome, view.mode);
            trail_ui(ui, view.trail, view.mode);
        });
}
