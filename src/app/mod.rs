//! The desktop front-end: Bevy states for screens, egui panels, a 2D board. A thin layer that
//! renders engine state and sends player intents into it; all rules live in [`crate::engine`].
//!
//! Flow is one way: views return [`messages::UiCommand`]s; each feature's handler (navigation,
//! content, exercise, facilitation, learner) reads only its own message type and changes its own
//! resources; views render those resources. Only the exercise handler writes into the engine.

pub mod author;
pub mod board;
pub mod chime;
pub mod content;
pub mod exercise;
pub mod facilitation;
pub mod flow;
pub mod learner;
pub mod messages;
pub mod navigation;
pub mod notice;
pub mod projector;
pub mod records;
pub mod redraw;
pub mod screens;
#[cfg(test)]
mod testing;
pub mod theme;
pub mod tour;
pub mod wake;

use std::path::PathBuf;
use std::process::ExitCode;

use bevy::prelude::*;
use bevy::window::{ExitCondition, WindowResolution};
use bevy::winit::WinitSettings;
use bevy_egui::EguiPlugin;

use crate::engine::model::scenario::Mode;
use exercise::Saves;
use flow::{AppSystems, Screen};
use messages::{ExerciseCommand, UiCommand};

/// How the app is started: what to open first and where its data lives. Built by `main` from the
/// command line; the app knows nothing of the command line itself.
#[derive(Resource, Clone, Debug, Default)]
pub struct LaunchOptions {
    /// Start straight in this scenario.
    pub scenario: Option<String>,
    /// In this mode.
    pub mode: Option<Mode>,
    /// With this seed.
    pub seed: Option<u64>,
    /// Resume this saved exercise instead.
    pub resume: Option<PathBuf>,
    /// Matrix file to grade against instead of the shipped one.
    pub matrix: Option<PathBuf>,
    /// Data directory (progress database, saves, settings) instead of the platform one.
    pub data_dir: Option<PathBuf>,
    /// A screenshot tour to drive the window through (see [`tour`]).
    pub tour: Option<PathBuf>,
    /// Open the Author screen on this content folder.
    pub author: Option<PathBuf>,
}

/// Everything except rendering: content, exercise, commands, screen flow. Runs headless in tests.
pub struct LogicPlugin {
    /// Matrix file to load instead of the default.
    pub matrix: Option<PathBuf>,
    /// Data directory (progress database, saved exercises) instead of the platform one.
    pub data_dir: Option<PathBuf>,
}

impl Plugin for LogicPlugin {
    fn build(&self, app: &mut App) {
        let data_dir = self.data_dir.clone().unwrap_or_else(crate::store::data_dir);
        app.init_state::<Screen>()
            .insert_resource(content::Content::load_default(self.matrix.clone()))
            .insert_resource(learner::default_learner(
                self.data_dir
                    .as_ref()
                    .map(|d| d.join(crate::store::progress_db::FILE_NAME)),
            ))
            .insert_resource(records::Records::load(&data_dir))
            .insert_resource(Saves {
                dir: data_dir.join(crate::store::saves::SESSIONS_DIR),
            })
            .init_resource::<LaunchOptions>()
            .init_resource::<notice::Notice>()
            .configure_sets(
                Update,
                (AppSystems::Tick, AppSystems::Commands, AppSystems::Update).chain(),
            )
            .add_plugins((
                messages::plugin,
                navigation::plugin,
                content::plugin,
                exercise::plugin,
                facilitation::plugin,
                learner::plugin,
                author::plugin,
            ))
            .add_systems(PostStartup, launch_from_options);
    }
}

fn launch_from_options(
    options: Res<LaunchOptions>,
    mut commands: MessageWriter<ExerciseCommand>,
    mut authoring: ResMut<author::Authoring>,
    mut screen: ResMut<NextState<Screen>>,
) {
    if let Some(folder) = &options.author {
        authoring.open(folder);
        screen.set(Screen::Author);
    } else if let Some(path) = &options.resume {
        commands.write(ExerciseCommand::Resume(path.clone()));
    } else if let Some(scenario) = &options.scenario {
        commands.write(ExerciseCommand::Start {
            scenario: scenario.as_str().into(),
            mode: options.mode.unwrap_or(Mode::Practice),
            seed: options.seed.unwrap_or(0),
        });
    }
}

/// Rendering: window, egui screens, the board, and when the window redraws.
pub struct UiPlugin;

impl Plugin for UiPlugin {
    fn build(&self, app: &mut App) {
        app.add_plugins(EguiPlugin::default()).add_plugins((
            theme::plugin,
            screens::plugin,
            board::plugin,
            projector::plugin,
            redraw::plugin,
        ));
    }
}

/// Opens the desktop app.
pub fn run(options: LaunchOptions, rooms: Option<crate::hosting::RoomOpener>) -> ExitCode {
    let mut app = App::new();
    app.add_plugins(
        DefaultPlugins
            .set(WindowPlugin {
                primary_window: Some(Window {
                    title: "Warroom - incident response tabletop".into(),
                    resolution: WindowResolution::new(1280, 720),
                    ..default()
                }),
                // Closing the console ends the app even while the projector window is open.
                exit_condition: ExitCondition::OnPrimaryClosed,
                ..default()
            })
            .set(bevy::log::LogPlugin {
                filter: "warn,warroom=info".into(),
                ..default()
            }),
    )
    // Redraw only on input, or when the clock or an animation asks for it.
    .insert_resource(WinitSettings::desktop_app())
    .add_plugins(LogicPlugin {
        matrix: options.matrix.clone(),
        data_dir: options.data_dir.clone(),
    })
    .add_plugins(UiPlugin);
    // A tour runs unattended on CI: silent.
    if let Some(path) = options.tour.clone() {
        app.add_plugins(tour::TourPlugin { path });
    } else {
        app.add_plugins(chime::plugin);
    }
    app.insert_resource(options)
        .insert_resource(exercise::RoomService(rooms));
    match app.run() {
        AppExit::Success => ExitCode::SUCCESS,
        AppExit::Error(code) => ExitCode::from(code.get()),
    }
}

/// Sends commands straight into a world, as the views' [`messages::CommandWriter`] would.
pub fn send_into(world: &mut World, commands: impl IntoIterator<Item = UiCommand>) {
    for command in commands {
        command.write_into(world);
    }
}
