//! The war-room board, drawn by Bevy in 2D in the middle of the play screen: a place per role around
//! the table (lit once the role is engaged), animated handoff and escalation arrows, severity and
//! business-impact meters, and the inject timeline.

use bevy::camera::visibility::RenderLayers;
use bevy::camera::{CameraOutputMode, ScalingMode, Viewport};
use bevy::prelude::*;
use bevy::render::render_resource::BlendState;
use bevy::window::{PrimaryWindow, RequestRedraw};
use bevy_egui::{EguiGlobalSettings, PrimaryEguiContext, egui};

use super::exercise::{ARROW_LIFETIME_SECS, ActiveExercise, ArrowKind, BoardArrows, InjectBanner};
use super::flow::{Screen, on_exercise_screen};
use super::theme::UiSettings;
use crate::engine::Session;
use crate::engine::model::id::RoleId;

/// The part of the window left for the board by the egui panels (egui points) and the scale.
#[derive(Resource, Debug, Default, Clone, Copy, PartialEq)]
pub struct BoardViewport {
    /// Free rectangle in egui points, when the play screen is shown.
    pub rect: Option<egui::Rect>,
    /// Physical pixels per egui point (window scale × UI zoom).
    pub pixels_per_point: f32,
}

/// Marks the camera that draws the board.
#[derive(Component)]
pub struct BoardCamera;

/// A role's place at the table.
#[derive(Component, Debug, Clone)]
pub struct Place {
    /// The role.
    pub role: RoleId,
}

/// A role's token: rests at its place, moves onto the table once the role is engaged.
#[derive(Component, Debug, Clone)]
pub struct Token {
    /// The role.
    pub role: RoleId,
    /// Where its place is.
    pub place: Vec2,
}

impl Token {
    /// Where the token should be: on the table edge in front of its place when engaged.
    pub fn target(&self, engaged: bool) -> Vec2 {
        if engaged {
            let direction = self.place.normalize_or_zero();
            direction * TABLE_HALF * 0.86
        } else {
            self.place
        }
    }
}

/// The fill of a meter (severity or impact).
#[derive(Component, Debug, Clone, Copy)]
enum Meter {
    Severity,
    Impact,
}

/// Seconds since a new inject arrived, while the board still pulses for it.
#[derive(Resource, Debug, Default, Clone, Copy, PartialEq)]
pub struct InjectPulse(pub Option<f32>);

/// How long the board pulses for a new inject.
pub const PULSE_SECS: f32 = 1.8;

/// The pulse's ring `age` seconds after an inject arrived: how far out it has grown (1 at the
/// table's edge) and how opaque it still is; `None` once it is over. Two waves, so it catches an
/// eye that was on the other screen for the first.
pub fn pulse_ring(age: f32) -> Option<(f32, f32)> {
    if !(0.0..PULSE_SECS).contains(&age) {
        return None;
    }
    let wave = (age / (PULSE_SECS / 2.0)).fract();
    Some((1.0 + 0.45 * wave, (1.0 - wave) * 0.9))
}

/// Materials shared by the places.
#[derive(Resource)]
struct BoardMaterials {
    idle: Handle<ColorMaterial>,
    engaged: Handle<ColorMaterial>,
}

/// The board is laid out in a world this wide and high, scaled to whatever space the panels leave.
pub const BOARD_SIZE: Vec2 = Vec2::new(900.0, 860.0);
/// A place's radius.
pub const PLACE_RADIUS: f32 = 50.0;
/// A place's label wraps at this width: the circle's width at a two-line label's lines.
const PLACE_LABEL_WIDTH: f32 = PLACE_RADIUS * 1.9;
/// Largest size of a place's label.
const PLACE_LABEL_MAX: f32 = 24.0;
/// Half the table's width and height.
pub const TABLE_HALF: Vec2 = Vec2::new(230.0, 160.0);
/// Half the width and height of the ellipse the places sit on.
pub const PLACE_RING: Vec2 = Vec2::new(360.0, 250.0);
/// A meter's length.
pub const METER_WIDTH: f32 = 380.0;
/// A meter's thickness.
pub const METER_HEIGHT: f32 = 22.0;
const METER_LEFT: f32 = -METER_WIDTH / 2.0;
/// Height of the severity meter.
pub const SEVERITY_Y: f32 = 395.0;
/// Height of the business-impact meter.
pub const IMPACT_Y: f32 = 335.0;
/// Height of the inject timeline.
pub const TIMELINE_Y: f32 = -370.0;
/// How far the timeline's "now" mark reaches above and below it.
pub const TIMELINE_MARK: f32 = 16.0;
/// Half the inject timeline's length.
pub const TIMELINE_HALF: f32 = 400.0;
const TOKEN_RADIUS: f32 = 14.0;
/// Fraction of the remaining distance a token covers per second.
const TOKEN_SPEED: f32 = 6.0;
/// Seconds an arrow takes to reach its target.
const ARROW_GROW_SECS: f32 = 0.6;

const IDLE: Color = Color::srgb(0.28, 0.31, 0.36);
const ENGAGED: Color = Color::srgb(0.23, 0.51, 0.96);
const HANDOFF: Color = Color::srgb(0.09, 0.64, 0.29);
const ESCALATION: Color = Color::srgb(0.85, 0.47, 0.02);
const TOKEN: Color = Color::srgb(0.96, 0.80, 0.36);

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<BoardViewport>()
        .init_resource::<InjectPulse>()
        .add_systems(Startup, setup_cameras)
        .add_systems(Update, show_the_active_exercise)
        .add_systems(
            Update,
            (
                fit_camera_to_viewport,
                update_places,
                move_tokens,
                pulse_on_new_inject,
                update_meters,
                draw_board,
            )
                .after(show_the_active_exercise)
                .run_if(on_exercise_screen.and_then(resource_exists::<ActiveExercise>)),
        )
        .add_systems(Update, follow_theme);
}

fn setup_cameras(mut commands: Commands, mut egui_settings: ResMut<EguiGlobalSettings>) {
    // The board camera draws only into the space the egui panels leave free; the egui camera
    // draws the panels over the whole window.
    egui_settings.auto_create_primary_context = false;
    commands.spawn((BoardCamera, Camera2d, board_projection()));
    commands.spawn((PrimaryEguiContext, egui_overlay_camera()));
}

/// A camera that draws nothing of the world, only egui, blended over what the board camera drew.
pub fn egui_overlay_camera() -> impl Bundle {
    (
        Camera2d,
        RenderLayers::none(),
        Camera {
            order: 1,
            output_mode: CameraOutputMode::Write {
                blend_state: Some(BlendState::ALPHA_BLENDING),
                clear_color: ClearColorConfig::None,
            },
            clear_color: ClearColorConfig::Custom(Color::NONE),
            ..default()
        },
    )
}

/// The backdrop follows the theme (the board's words, drawn by egui, follow it by themselves).
fn follow_theme(settings: Res<UiSettings>, mut clear: ResMut<ClearColor>) {
    if settings.is_changed() {
        clear.0 = if settings.dark {
            Color::srgb(0.07, 0.08, 0.10)
        } else {
            Color::srgb(0.90, 0.91, 0.93)
        };
    }
}

/// The font size at which `label` fits its place: its widest word on one line, and room for a line
/// per word (up to four).
/// Glyphs of the board's font are at most about 0.66 of the size wide for capitals and 0.56 for
/// small letters.
pub fn place_label_size(label: &str) -> f32 {
    let width = |word: &str| -> f32 {
        word.chars()
            .map(|c| if c.is_lowercase() { 0.56 } else { 0.66 })
            .sum()
    };
    let widest = label.split_whitespace().map(width).fold(0.66, f32::max);
    let lines = label.split_whitespace().count().clamp(1, 4) as f32;
    let by_width = PLACE_LABEL_WIDTH / widest;
    let by_height = PLACE_RADIUS * 1.4 / (1.25 * lines);
    by_width.min(by_height).min(PLACE_LABEL_MAX)
}

/// What a role's place on the board says: its short name when that reads as its name shortened
/// ("IT Ops", "CISO"), else its name, so that the board never calls a role what no list does
/// (a plan's "Execs" for Business Leadership).
pub fn place_label(role: &crate::engine::model::matrix::Role) -> &str {
    if !role.short.is_empty() && shortens(&role.short, &role.name) {
        &role.short
    } else {
        &role.name
    }
}

/// Whether `short` reads as `name` shortened: each of its words begins a word of the name
/// (as "Ops" does "Operations"), keeps a word's letters in order from its first (as "Mgr"
/// does "Manager"), or is the initials of words in a row (as "CISO").
fn shortens(short: &str, name: &str) -> bool {
    let words: Vec<String> = name
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !["and", "of"].contains(&w.as_str()))
        .collect();
    let keeps_letters = |part: &str, word: &str| {
        let mut letters = word.chars();
        part.chars().next() == word.chars().next() && part.chars().all(|c| letters.any(|w| w == c))
    };
    short.split_whitespace().all(|part| {
        let part = part.trim_end_matches('.').to_lowercase();
        words.iter().any(|w| keeps_letters(&part, w))
            || words
                .windows(part.len())
                .any(|run| run.iter().zip(part.chars()).all(|(w, c)| w.starts_with(c)))
    })
}

/// Place positions: evenly around an ellipse, first place at the top.
pub fn place_positions(count: usize) -> Vec<Vec2> {
    (0..count)
        .map(|i| {
            let angle = std::f32::consts::FRAC_PI_2
                - i as f32 * std::f32::consts::TAU / count.max(1) as f32;
            Vec2::new(angle.cos() * PLACE_RING.x, angle.sin() * PLACE_RING.y)
        })
        .collect()
}

/// The roles with a place at the table: the scenario's cast, or every role of the matrix.
pub fn cast(session: &Session) -> Vec<RoleId> {
    let scenario = session.scenario();
    if scenario.cast.is_empty() {
        session
            .matrix()
            .roles
            .iter()
            .map(|r| r.id.clone())
            .collect()
    } else {
        scenario.cast.clone()
    }
}

/// Marks every entity of the board, so the whole board goes when its exercise does.
#[derive(Component, Clone)]
struct BoardPiece;

/// Keeps the board showing the exercise on screen: built when an exercise screen shows one it does
/// not show yet (a new start, a resume, "play again"), removed when no exercise screen is up.
fn show_the_active_exercise(
    screen: Res<State<Screen>>,
    active: Option<Res<ActiveExercise>>,
    pieces: Query<Entity, With<BoardPiece>>,
    mut camera: Query<&mut Camera, With<BoardCamera>>,
    mut viewport: ResMut<BoardViewport>,
    mut shown: Local<Option<String>>,
    mut commands: Commands,
    meshes: ResMut<Assets<Mesh>>,
    materials: ResMut<Assets<ColorMaterial>>,
) {
    let wanted = active
        .as_ref()
        .filter(|_| screen.get().is_exercise())
        .map(|a| a.record().id.clone());
    if *shown == wanted {
        return;
    }
    for piece in &pieces {
        commands.entity(piece).despawn();
    }
    if let (Some(active), Some(_)) = (&active, &wanted) {
        spawn_board(&mut commands, active, meshes, materials);
    } else {
        viewport.rect = None;
        for mut camera in &mut camera {
            camera.viewport = None;
        }
    }
    *shown = wanted;
}

fn spawn_board(
    commands: &mut Commands,
    active: &ActiveExercise,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<ColorMaterial>>,
) {
    let board = BoardMaterials {
        idle: materials.add(ColorMaterial::from_color(IDLE)),
        engaged: materials.add(ColorMaterial::from_color(ENGAGED)),
    };
    let scoped = BoardPiece;
    commands.spawn((
        scoped.clone(),
        Mesh2d(meshes.add(Ellipse::new(TABLE_HALF.x, TABLE_HALF.y))),
        MeshMaterial2d(materials.add(ColorMaterial::from_color(Color::srgb(0.20, 0.15, 0.11)))),
        Transform::from_xyz(0.0, 0.0, -1.0),
    ));
    let roles = cast(active.session());
    let place_mesh = meshes.add(Circle::new(PLACE_RADIUS));
    let token_mesh = meshes.add(Circle::new(TOKEN_RADIUS));
    let token_material = materials.add(ColorMaterial::from_color(TOKEN));
    for (role, position) in roles.iter().zip(place_positions(roles.len())) {
        commands.spawn((
            scoped.clone(),
            Place { role: role.clone() },
            Mesh2d(place_mesh.clone()),
            MeshMaterial2d(board.idle.clone()),
            Transform::from_translation(position.extend(0.0)),
        ));
        commands.spawn((
            scoped.clone(),
            Token {
                role: role.clone(),
                place: position,
            },
            Mesh2d(token_mesh.clone()),
            MeshMaterial2d(token_material.clone()),
            Transform::from_translation(position.extend(-0.5)),
        ));
    }
    for (meter, y) in [(Meter::Severity, SEVERITY_Y), (Meter::Impact, IMPACT_Y)] {
        commands.spawn((
            scoped.clone(),
            meter,
            Sprite::from_color(IDLE, Vec2::new(1.0, METER_HEIGHT)),
            Transform::from_xyz(METER_LEFT, y, 0.0),
        ));
    }
    commands.insert_resource(board);
}

fn fit_camera_to_viewport(
    viewport: Res<BoardViewport>,
    window: Single<&Window, With<PrimaryWindow>>,
    mut camera: Query<&mut Camera, With<BoardCamera>>,
) {
    let Some(rect) = viewport.rect else {
        return;
    };
    // No space (a narrow window showing the feed in the board's place): nothing to draw.
    let shown = rect.is_positive();
    for mut camera in &mut camera {
        if camera.is_active != shown {
            camera.is_active = shown;
        }
        if shown {
            fit_viewport(&mut camera, rect, viewport.pixels_per_point, &window);
        }
    }
}

/// Points `camera` at the part of `window` that `rect` (egui points at `scale` pixels per point)
/// covers; touches the camera only when that changes.
pub fn fit_viewport(camera: &mut Camera, rect: egui::Rect, scale: f32, window: &Window) {
    let window_size = UVec2::new(window.physical_width(), window.physical_height());
    let position =
        UVec2::new((rect.min.x * scale) as u32, (rect.min.y * scale) as u32).min(window_size);
    let size = UVec2::new(
        (rect.width() * scale) as u32,
        (rect.height() * scale) as u32,
    )
    .min(window_size.saturating_sub(position))
    .max(UVec2::ONE);
    let current = camera
        .viewport
        .as_ref()
        .map(|v| (v.physical_position, v.physical_size));
    if current != Some((position, size)) {
        camera.viewport = Some(Viewport {
            physical_position: position,
            physical_size: size,
            ..default()
        });
    }
}

/// The projection the board is drawn with: the whole 900 × 860 board in whatever space it gets.
pub fn board_projection() -> Projection {
    Projection::Orthographic(OrthographicProjection {
        scaling_mode: ScalingMode::AutoMin {
            min_width: BOARD_SIZE.x,
            min_height: BOARD_SIZE.y,
        },
        ..OrthographicProjection::default_2d()
    })
}

fn update_places(
    active: Res<ActiveExercise>,
    materials: Option<Res<BoardMaterials>>,
    mut places: Query<(&Place, &mut MeshMaterial2d<ColorMaterial>)>,
) {
    let Some(materials) = materials else {
        return;
    };
    if !active.is_changed() {
        return;
    }
    for (place, mut material) in &mut places {
        let wanted = if active.session().engaged().contains_key(&place.role) {
            &materials.engaged
        } else {
            &materials.idle
        };
        if material.0 != *wanted {
            material.0 = wanted.clone();
        }
    }
}

/// Glides each token towards where it belongs; keeps frames coming while any is moving.
fn move_tokens(
    time: Res<Time>,
    active: Res<ActiveExercise>,
    mut tokens: Query<(&Token, &mut Transform)>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    let step = (TOKEN_SPEED * time.delta_secs()).min(1.0);
    let mut moving = false;
    for (token, mut transform) in &mut tokens {
        let target = token.target(active.session().engaged().contains_key(&token.role));
        let current = transform.translation.truncate();
        if current.distance(target) > 0.5 {
            moving = true;
            let next = current.lerp(target, step.max(0.02));
            transform.translation = next.extend(transform.translation.z);
        }
    }
    if moving {
        redraw.write(RequestRedraw);
    }
}

/// Starts the pulse when the banner announces a new inject; keeps frames coming while it runs.
fn pulse_on_new_inject(
    time: Res<Time>,
    banner: Res<InjectBanner>,
    mut pulse: ResMut<InjectPulse>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    if banner.is_changed() && banner.0.is_some() {
        pulse.0 = Some(0.0);
    } else if let Some(age) = pulse.0 {
        let age = age + time.delta_secs();
        pulse.0 = (age < PULSE_SECS).then_some(age);
    }
    if pulse.0.is_some() {
        redraw.write(RequestRedraw);
    }
}

fn update_meters(
    active: Res<ActiveExercise>,
    mut fills: Query<(&Meter, &mut Sprite, &mut Transform)>,
) {
    if !active.is_changed() {
        return;
    }
    let session = active.session();
    let max = session.matrix().max_severity();
    let severity = f32::from(session.severity()) / f32::from(max.max(1));
    let impact = f32::from(session.business_impact()) / 100.0;
    for (meter, mut sprite, mut transform) in &mut fills {
        let (ratio, color) = match meter {
            Meter::Severity => (severity, severity_color(severity)),
            Meter::Impact => (impact, ESCALATION),
        };
        let width = (METER_WIDTH * ratio).max(2.0);
        sprite.custom_size = Some(Vec2::new(width, METER_HEIGHT));
        sprite.color = color;
        transform.translation.x = METER_LEFT + width / 2.0;
    }
}

/// What the board says above its severity meter.
pub fn severity_text(session: &Session) -> String {
    let level = session.severity();
    let name = session
        .matrix()
        .severity(level)
        .map_or("", |s| s.name.as_str());
    format!(
        "Severity {level}/{} - {name}",
        session.matrix().max_severity()
    )
}

/// What the board says above its business-impact meter.
pub fn impact_text(session: &Session) -> String {
    format!("Business impact {}%", session.business_impact())
}

/// What the board says under its timeline.
pub fn clock_text(session: &Session) -> String {
    format!(
        "T+{:02} of {} min{}",
        session.minute(),
        session.scenario().duration_mins,
        if session.ended() { " - ended" } else { "" }
    )
}

fn severity_color(ratio: f32) -> Color {
    if ratio >= 0.99 {
        Color::srgb(0.86, 0.15, 0.15)
    } else if ratio >= 0.7 {
        ESCALATION
    } else {
        Color::srgb(0.79, 0.54, 0.02)
    }
}

fn draw_board(
    active: Res<ActiveExercise>,
    arrows: Res<BoardArrows>,
    pulse: Res<InjectPulse>,
    places: Query<(&Place, &Transform)>,
    mut gizmos: Gizmos,
) {
    let session = active.session();
    gizmos.ellipse_2d(
        Isometry2d::IDENTITY,
        TABLE_HALF,
        Color::srgb(0.55, 0.42, 0.30),
    );
    if let Some((grown, alpha)) = pulse.0.and_then(pulse_ring) {
        gizmos.ellipse_2d(
            Isometry2d::IDENTITY,
            TABLE_HALF * grown,
            ESCALATION.with_alpha(alpha),
        );
    }
    for y in [SEVERITY_Y, IMPACT_Y] {
        gizmos.rect_2d(
            Isometry2d::from_translation(Vec2::new(0.0, y)),
            Vec2::new(METER_WIDTH + 4.0, METER_HEIGHT + 4.0),
            Color::srgb(0.55, 0.58, 0.62),
        );
    }
    let position = |role: &str| {
        places
            .iter()
            .find(|(place, _)| place.role.as_str() == role)
            .map(|(_, t)| t.translation.truncate())
    };
    for (place, transform) in &places {
        if session.engaged().contains_key(&place.role) {
            gizmos.circle_2d(
                Isometry2d::from_translation(transform.translation.truncate()),
                PLACE_RADIUS + 6.0,
                ENGAGED,
            );
        }
    }
    for arrow in &arrows.0 {
        let (Some(from), Some(to)) = (position(&arrow.from), position(&arrow.to)) else {
            continue;
        };
        let direction = (to - from).normalize_or_zero();
        let start = from + direction * (PLACE_RADIUS + 8.0);
        let end = to - direction * (PLACE_RADIUS + 10.0);
        let progress = (arrow.age_secs / ARROW_GROW_SECS).clamp(0.05, 1.0);
        let fade = 1.0 - (arrow.age_secs / ARROW_LIFETIME_SECS).clamp(0.0, 0.8);
        let base = match arrow.kind {
            ArrowKind::Handoff => HANDOFF,
            ArrowKind::Escalation => ESCALATION,
        };
        gizmos.arrow_2d(start, start.lerp(end, progress), base.with_alpha(fade));
    }

    // Timeline: the scenario's length, a tick every 10 minutes, released injects, and now.
    let duration = session.scenario().duration_mins.max(1) as f32;
    let x_at = |minute: f32| -TIMELINE_HALF + 2.0 * TIMELINE_HALF * (minute / duration);
    let grey = Color::srgb(0.55, 0.58, 0.62);
    gizmos.line_2d(
        Vec2::new(-TIMELINE_HALF, TIMELINE_Y),
        Vec2::new(TIMELINE_HALF, TIMELINE_Y),
        grey,
    );
    let mut tick = 0;
    while tick as f32 <= duration {
        let x = x_at(tick as f32);
        gizmos.line_2d(
            Vec2::new(x, TIMELINE_Y - 6.0),
            Vec2::new(x, TIMELINE_Y + 6.0),
            grey,
        );
        tick += 10;
    }
    for inject in session.released() {
        if let Some(minute) = session.released_at(inject.as_str()) {
            gizmos.circle_2d(
                Isometry2d::from_translation(Vec2::new(x_at(minute as f32), TIMELINE_Y)),
                6.0,
                ESCALATION,
            );
        }
    }
    let now = x_at(session.minute() as f32);
    gizmos.line_2d(
        Vec2::new(now, TIMELINE_Y - TIMELINE_MARK),
        Vec2::new(now, TIMELINE_Y + TIMELINE_MARK),
        ENGAGED,
    );
}

#[cfg(test)]
mod tests {
    use bevy::prelude::Vec2;

    use super::{
        PLACE_LABEL_MAX, PLACE_LABEL_WIDTH, PULSE_SECS, TABLE_HALF, Token, place_label,
        place_label_size, place_positions, pulse_ring, shortens,
    };
    use crate::engine::content::shipped;

    #[test]
    fn engaged_tokens_move_onto_the_table_edge() {
        let token = Token {
            role: "soc".into(),
            place: Vec2::new(0.0, 250.0),
        };
        assert_eq!(token.target(false), token.place);
        let on_table = token.target(true);
        assert!(on_table.y > 0.0 && on_table.y < TABLE_HALF.y, "{on_table}");
    }

    #[test]
    fn places_are_spread_evenly_starting_at_the_top() {
        let places = place_positions(4);
        assert_eq!(places.len(), 4);
        assert!(places[0].x.abs() < 1e-3 && places[0].y > 0.0);
        assert!(places[2].x.abs() < 1e-3 && places[2].y < 0.0);
        assert!(places[1].x > 0.0 && places[3].x < 0.0);
    }

    #[test]
    fn every_shipped_place_label_fits_its_place() {
        for role in &shipped::matrix().roles {
            let label = place_label(role);
            let size = place_label_size(label);
            let longest = label.split_whitespace().map(str::len).max().unwrap();
            assert!(
                size * 0.56 * longest as f32 <= PLACE_LABEL_WIDTH + 0.01,
                "{label} at {size}"
            );
            assert!(size >= 14.0, "{label} would be unreadable at {size}");
        }
        assert!((place_label_size("SOC") - PLACE_LABEL_MAX).abs() < f32::EPSILON);
        assert!(place_label_size("Regulator") < PLACE_LABEL_MAX);
    }

    /// The board names each role as every list does, shortened only in the role's own words:
    /// never "Execs" for Business Leadership or "Biz Owner" for Business Process Owner.
    #[test]
    fn the_board_calls_each_role_by_its_own_words() {
        for role in &shipped::matrix().roles {
            let label = place_label(role);
            assert!(
                label == role.name || shortens(label, &role.name),
                "{label:?} for {:?}",
                role.name
            );
        }
        let role = |name: &str, short: &str| {
            let mut role = shipped::matrix().roles[0].clone();
            name.clone_into(&mut role.name);
            short.clone_into(&mut role.short);
            role
        };
        assert_eq!(
            place_label(&role("Business Leadership", "Execs")),
            "Business Leadership"
        );
        assert_eq!(
            place_label(&role("Incident Response Manager", "IR Mgr")),
            "IR Mgr"
        );
        assert_eq!(
            place_label(&role("Governance, Risk and Compliance", "GRC")),
            "GRC"
        );
        assert_eq!(place_label(&role("IT Operations", "IT Ops")), "IT Ops");
        assert_eq!(
            place_label(&role("Law Enforcement", "Police")),
            "Law Enforcement"
        );
    }

    #[test]
    fn the_pulse_grows_fades_and_ends() {
        let (start, opaque) = pulse_ring(0.0).unwrap();
        assert!((start - 1.0).abs() < 1e-6 && opaque > 0.8);
        let (later, fainter) = pulse_ring(PULSE_SECS * 0.4).unwrap();
        assert!(later > start && fainter < opaque);
        assert!(pulse_ring(PULSE_SECS).is_none());
        assert!(pulse_ring(-0.1).is_none());
    }
}
