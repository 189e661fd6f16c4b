//! The projector: a second OS window for the room. It shows only what the room may see — the
//! current inject in large type with its artifacts, the earlier injects, the board and the clock —
//! never the scorecard, the expected responsibilities or the facilitator's notes. The facilitator
//! opens, closes and blanks it from the console ([`super::facilitation::ProjectorState`]).

use bevy::camera::RenderTarget;
use bevy::ecs::schedule::ScheduleLabel;
use bevy::prelude::*;
use bevy::window::{WindowRef, WindowResolution};
use bevy_egui::{EguiContext, EguiSchedule, egui};

use super::board::{board_projection, egui_overlay_camera, fit_viewport};
use super::exercise::ActiveExercise;
use super::facilitation::ProjectorState;
use super::flow::Screen;
use super::theme;
use crate::engine::Session;
use crate::engine::exercise::{AdHocInject, FeedInject, projector_feed};

/// Marks the projector window.
#[derive(Component)]
pub struct ProjectorWindow;

/// Marks the cameras drawing into the projector window.
#[derive(Component)]
struct ProjectorCamera;

/// Marks the projector camera that draws the board.
#[derive(Component)]
struct ProjectorBoardCamera;

/// The egui pass of the projector window.
#[derive(ScheduleLabel, Clone, Debug, PartialEq, Eq, Hash)]
pub struct ProjectorPass;

/// Where the projector's board goes, in egui points of the projector window.
#[derive(Resource, Debug, Default, Clone, Copy, PartialEq)]
struct ProjectorBoard {
    rect: Option<egui::Rect>,
    pixels_per_point: f32,
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<ProjectorBoard>()
        .add_systems(Update, (open_or_close, fit_board_camera).chain())
        .add_systems(ProjectorPass, projector_system);
}

/// Opens the window when wanted, closes it when not, and notices when the user closed it.
fn open_or_close(
    mut state: ResMut<ProjectorState>,
    windows: Query<(), With<ProjectorWindow>>,
    cameras: Query<Entity, With<ProjectorCamera>>,
    mut spawned: Local<Option<Entity>>,
    mut commands: Commands,
) {
    match *spawned {
        Some(window) if windows.get(window).is_err() => {
            // Closed from its title bar: forget it, and say so in the console.
            for camera in &cameras {
                commands.entity(camera).despawn();
            }
            *spawned = None;
            if state.open {
                *state = ProjectorState::default();
            }
        }
        Some(window) if !state.open => {
            for camera in &cameras {
                commands.entity(camera).despawn();
            }
            commands.entity(window).despawn();
            *spawned = None;
        }
        None if state.open => {
            let window = commands
                .spawn((
                    ProjectorWindow,
                    Window {
                        title: "Warroom - room view".into(),
                        resolution: WindowResolution::new(1280, 720),
                        ..default()
                    },
                ))
                .id();
            let target = RenderTarget::Window(WindowRef::Entity(window));
            commands.spawn((
                ProjectorCamera,
                ProjectorBoardCamera,
                Camera2d,
                Camera {
                    is_active: false,
                    ..default()
                },
                target.clone(),
                board_projection(),
            ));
            commands.spawn((
                ProjectorCamera,
                egui_overlay_camera(),
                target,
                EguiSchedule::new(ProjectorPass),
            ));
            *spawned = Some(window);
        }
        _ => {}
    }
}

/// Draws the board into the space the room view leaves for it, or not at all.
fn fit_board_camera(
    board: Res<ProjectorBoard>,
    window: Query<&Window, With<ProjectorWindow>>,
    mut camera: Query<&mut Camera, With<ProjectorBoardCamera>>,
) {
    let (Ok(window), Ok(mut camera)) = (window.single(), camera.single_mut()) else {
        return;
    };
    match board.rect {
        Some(rect) => {
            if !camera.is_active {
                camera.is_active = true;
            }
            fit_viewport(&mut camera, rect, board.pixels_per_point, window);
        }
        None if camera.is_active => camera.is_active = false,
        None => {}
    }
}

fn projector_system(
    mut context: Query<&mut EguiContext, With<ProjectorCamera>>,
    state: Res<ProjectorState>,
    active: Option<Res<ActiveExercise>>,
    screen: Res<State<Screen>>,
    mut board: ResMut<ProjectorBoard>,
) {
    let Ok(mut context) = context.single_mut() else {
        return;
    };
    let ctx = context.get_mut().clone();
    // A projected room view reads best light-on-dark, whatever the console's theme.
    if ctx.theme() != egui::Theme::Dark {
        ctx.set_theme(egui::Theme::Dark);
    }
    let mut ui = super::screens::widgets::root_ui(&ctx, "projector");
    let view = active
        .as_ref()
        .filter(|_| !state.blank)
        .map(|a| ProjectorView {
            join: a.room().map(|r| r.addresses.join.clone()),
            ..ProjectorView::new(a.session(), &a.record().adhoc_injects)
        });
    let rect = projector_view_ui(&mut ui, view.as_ref());
    // The board exists only while an exercise screen is up.
    let rect = rect
        .filter(|_| screen.get().is_exercise())
        .and_then(|rect| {
            let session = active.as_ref()?.session();
            Some(super::screens::board_text::board_ui(&mut ui, rect, session))
                .filter(egui::Rect::is_positive)
        });
    let wanted = ProjectorBoard {
        rect,
        pixels_per_point: ctx.pixels_per_point(),
    };
    if *board != wanted {
        *board = wanted;
    }
}

/// Everything the players may see on the projector, taken from the session and the
/// facilitator's ad-hoc injects.
#[derive(Clone, Debug, PartialEq)]
pub struct ProjectorView {
    /// Scenario title.
    pub title: String,
    /// Scenario minute.
    pub minute: u32,
    /// Planned length.
    pub duration: u32,
    /// The clock as the room reads it ("Wed 14:12 · T+10 / 60 min").
    pub clock: String,
    /// Severity as "3 · High".
    pub severity: String,
    /// Severity colour.
    pub severity_color: egui::Color32,
    /// Business impact 0–100.
    pub impact: u8,
    /// Injects given so far, oldest first.
    pub feed: Vec<FeedInject>,
    /// The exercise is over.
    pub ended: bool,
    /// Where to join, while a room is open.
    pub join: Option<String>,
}

impl ProjectorView {
    /// The room's view of a session.
    pub fn new(session: &Session, adhoc: &[AdHocInject]) -> Self {
        let matrix = session.matrix();
        let level = session.severity();
        Self {
            title: session.scenario().title.clone(),
            minute: session.minute(),
            duration: session.scenario().duration_mins,
            clock: session.scenario().clock_reading(session.minute()),
            severity: format!(
                "{level} · {}",
                matrix.severity(level).map_or("?", |s| s.name.as_str())
            ),
            // The room view is always dark: a projector washes out light themes.
            severity_color: theme::Palette::DARK.severity(level, matrix.max_severity()),
            impact: session.business_impact(),
            feed: projector_feed(session, adhoc),
            ended: session.ended(),
            join: None,
        }
    }
}

/// The projector's page. `None` shows a blank (black) screen. Returns the space left for the
/// board.
pub fn projector_view_ui(ui: &mut egui::Ui, view: Option<&ProjectorView>) -> Option<egui::Rect> {
    let Some(view) = view else {
        egui::CentralPanel::default()
            .frame(egui::Frame::new().fill(egui::Color32::BLACK))
            .show(ui, |_| {});
        return None;
    };
    egui::Panel::top("room-top")
        .frame(egui::Frame::side_top_panel(ui.style()).inner_margin(egui::Margin::same(12)))
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                // The clock and meters are laid out first, from the right; the title takes what
                // is left and is cut short rather than run under them.
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    ui.label(egui::RichText::new(&view.clock).monospace().size(34.0));
                    ui.add_space(theme::GAP * 2.0);
                    ui.label(
                        egui::RichText::new(format!("Business impact {}%", view.impact))
                            .size(22.0)
                            .color(theme::palette(ui).warning),
                    );
                    ui.add_space(theme::GAP);
                    ui.label(
                        egui::RichText::new(format!("Severity {}", view.severity))
                            .size(22.0)
                            .color(view.severity_color),
                    );
                    ui.add_space(theme::GAP);
                    ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                        ui.add(
                            egui::Label::new(egui::RichText::new(&view.title).size(30.0).strong())
                                .truncate(),
                        );
                    });
                });
            });
        });
    let width = ui.available_width();
    egui::Panel::left("room-inject")
        .resizable(false)
        .exact_size((width * 0.52).max(320.0))
        .frame(egui::Frame::side_top_panel(ui.style()).inner_margin(egui::Margin::same(16)))
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .auto_shrink(false)
                .show(ui, |ui| current_inject_ui(ui, view));
        });
    Some(ui.available_rect_before_wrap())
}

fn current_inject_ui(ui: &mut egui::Ui, view: &ProjectorView) {
    if let Some(join) = &view.join {
        ui.horizontal(|ui| {
            super::screens::widgets::qr_ui(ui, join, 120.0);
            ui.vertical(|ui| {
                ui.label(egui::RichText::new("Join from your phone or laptop").size(20.0));
                ui.label(egui::RichText::new(join).monospace().size(16.0));
            });
        });
        ui.add_space(theme::GAP);
    }
    if view.ended {
        ui.label(
            egui::RichText::new("The exercise has ended")
                .size(34.0)
                .strong(),
        );
        ui.label(
            egui::RichText::new("Hotwash: what went well, and what should we do differently?")
                .size(24.0),
        );
        ui.add_space(theme::GAP * 2.0);
    }
    let Some(current) = view.feed.last() else {
        ui.label(egui::RichText::new("Waiting for the first inject…").size(28.0));
        return;
    };
    ui.label(
        egui::RichText::new(format!("T+{:02}", current.minute))
            .monospace()
            .size(22.0)
            .weak(),
    );
    ui.label(egui::RichText::new(&current.title).size(36.0).strong());
    ui.add_space(theme::GAP);
    let strong = ui.visuals().strong_text_color();
    ui.label(
        egui::RichText::new(&current.narrative)
            .size(26.0)
            .color(strong),
    );
    for artifact in &current.artifacts {
        ui.add_space(theme::GAP);
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(
                egui::RichText::new(format!("{}: {}", artifact.kind.label(), artifact.title))
                    .size(22.0)
                    .strong(),
            );
            ui.label(egui::RichText::new(&artifact.body).monospace().size(19.0));
        });
    }
    let earlier = &view.feed[..view.feed.len() - 1];
    if !earlier.is_empty() {
        ui.add_space(theme::GAP * 2.0);
        ui.separator();
        ui.label(egui::RichText::new("Earlier").size(20.0).weak());
        for inject in earlier.iter().rev() {
            ui.label(
                egui::RichText::new(format!("T+{:02}  {}", inject.minute, inject.title)).size(20.0),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable as _;

    use super::*;
    use crate::engine::Intent;

    fn session() -> Session {
        crate::app::testing::ransomware_session(0)
    }

    fn harness(view: Option<ProjectorView>) -> Harness<'static, Option<ProjectorView>> {
        Harness::builder()
            .with_size(egui::vec2(1280.0, 720.0))
            .build_ui_state(
                |ui, view: &mut Option<ProjectorView>| {
                    projector_view_ui(ui, view.as_ref());
                },
                view,
            )
    }

    #[test]
    fn the_room_sees_the_current_inject_large_and_nothing_private() {
        let mut s = session();
        s.apply(Intent::Advance { minutes: 10 }).unwrap();
        let adhoc = [AdHocInject {
            minute: 3,
            title: "CFO on the phone".into(),
            narrative: "Is payroll safe?".into(),
            after_intents: None,
            to: Vec::new(),
        }];
        let view = ProjectorView::new(&s, &adhoc);
        let current = view.feed.last().cloned();
        let harness = harness(Some(view));
        let Some(current) = current else {
            panic!("injects were released");
        };
        assert_eq!(current.title, "Ransom note and spreading encryption");
        harness.get_by_label(&current.title);
        harness.get_by_label(&current.narrative);
        assert!(
            harness
                .query_all_by_label_contains("RESTORE-FILES.txt")
                .next()
                .is_some()
        );
        assert!(
            harness
                .query_all_by_label_contains("CFO on the phone")
                .next()
                .is_some()
        );
        let clock = format!("T+10 / {} min", s.scenario().duration_mins);
        assert!(harness.query_all_by_label_contains(&clock).next().is_some());
        // No facilitator guidance, expectations or scoring reach the projector.
        for inject in &s.scenario().injects {
            if !inject.facilitator_notes.is_empty() {
                assert!(
                    harness
                        .query_all_by_label_contains(&inject.facilitator_notes)
                        .next()
                        .is_none()
                );
            }
        }
        for private in ["Responsible", "score", "Guidance", "due in", "overdue"] {
            assert!(
                harness
                    .query_all_by_label_contains(private)
                    .next()
                    .is_none(),
                "`{private}` is on the projector"
            );
        }
    }

    #[test]
    fn a_blank_projector_shows_nothing_and_leaves_no_board() {
        let harness = harness(None);
        assert!(harness.query_all_by_label_contains("T+").next().is_none());
        let mut ui_rect = None;
        let mut probe = Harness::new_ui(|ui| {
            ui_rect = Some(projector_view_ui(ui, None));
        });
        probe.run();
        drop(probe);
        assert_eq!(ui_rect, Some(None));
    }

    fn count<F: bevy::ecs::query::QueryFilter>(app: &mut App) -> Vec<Entity> {
        let world = app.world_mut();
        world.query_filtered::<Entity, F>().iter(world).collect()
    }

    #[test]
    fn the_window_follows_the_console_and_a_window_closed_by_hand_is_noticed() {
        let mut app = App::new();
        app.init_resource::<ProjectorState>()
            .add_systems(Update, open_or_close);
        app.update();
        assert!(count::<With<ProjectorWindow>>(&mut app).is_empty());

        app.world_mut().resource_mut::<ProjectorState>().open = true;
        app.update();
        app.update();
        let windows = count::<With<ProjectorWindow>>(&mut app);
        assert_eq!(windows.len(), 1, "opened once, not once per frame");
        assert_eq!(count::<With<ProjectorCamera>>(&mut app).len(), 2);

        // Closed from its title bar: Bevy despawns the window entity.
        app.world_mut().resource_mut::<ProjectorState>().blank = true;
        app.world_mut().despawn(windows[0]);
        app.update();
        assert_eq!(
            *app.world().resource::<ProjectorState>(),
            ProjectorState::default()
        );
        assert!(count::<With<ProjectorCamera>>(&mut app).is_empty());

        // Opened again, then closed from the console.
        app.world_mut().resource_mut::<ProjectorState>().open = true;
        app.update();
        assert_eq!(count::<With<ProjectorWindow>>(&mut app).len(), 1);
        app.world_mut().resource_mut::<ProjectorState>().open = false;
        app.update();
        app.update();
        assert!(count::<With<ProjectorWindow>>(&mut app).is_empty());
        assert!(count::<With<ProjectorCamera>>(&mut app).is_empty());
    }
}
