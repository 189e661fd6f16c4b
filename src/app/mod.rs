//! The desktop front-end: Bevy states for screens, egui panels, a 2D board. A thin layer that
//! renders engine state and sends player intents into it; all rules live in [`crate::engine`].

pub mod board;
#[cfg(feature = "ci")]
mod ci;
pub mod commands;
pub mod content;
pub mod facilitation;
pub mod learner;
pub mod persistence;
pub mod projector;
pub mod screens;
pub mod session;
#[cfg(test)]
mod testing;
pub mod theme;

use std::process::ExitCode;

use bevy::prelude::*;
use bevy::window::{ExitCondition, WindowResolution};
use bevy::winit::WinitSettings;
use bevy_egui::EguiPlugin;

use crate::cli::Cli;
use crate::engine::scenario::Mode;
use commands::{
    AppCommand, Notice, PreferredMode, UiCommand, handle_commands, show_debrief_when_ended,
};
use content::Content;
use session::{
    BoardArrows, LastOutcome, PlayerIntent, ScenarioClock, age_arrows, apply_player_intents,
    tick_clock,
};

/// The screens, one Bevy state each.
#[derive(States, Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Screen {
    /// Title and mode selection.
    #[default]
    Title,
    /// Scenario picker.
    Library,
    /// Playing a scenario.
    Play,
    /// Scores and findings.
    Debrief,
    /// Exam-practice questions.
    Quiz,
    /// The learner's progress.
    Progress,
    /// After a facilitated session: strengths and improvements per role.
    Hotwash,
}

/// Ordering of the app's per-frame work: input becomes commands, commands become intents, intents
/// reach the engine, then views update.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AppSystems {
    /// Turn time into intents (drill clock).
    Tick,
    /// Carry out UI commands.
    Commands,
    /// Apply intents to the engine.
    ApplyIntents,
    /// React to the new state.
    Update,
}

/// How the app was started from the command line.
#[derive(Resource, Clone, Debug, Default)]
pub struct LaunchOptions {
    /// Start straight in this scenario.
    pub scenario: Option<String>,
    /// In this mode.
    pub mode: Option<Mode>,
    /// With this seed.
    pub seed: Option<u64>,
    /// Resume this saved exercise instead.
    pub resume: Option<std::path::PathBuf>,
}

/// Everything except rendering: content, session, commands, screen flow. Runs headless in tests.
pub struct LogicPlugin {
    /// Matrix file to load instead of the default.
    pub matrix: Option<std::path::PathBuf>,
    /// Data directory (progress database, saved exercises) instead of the platform one.
    pub data_dir: Option<std::path::PathBuf>,
}

impl Plugin for LogicPlugin {
    fn build(&self, app: &mut App) {
        app.init_state::<Screen>()
            .insert_resource(Content::load_default(self.matrix.clone()))
            .insert_resource(learner::default_learner(
                self.data_dir
                    .as_ref()
                    .map(|d| d.join(crate::store::progress::FILE_NAME)),
            ))
            .insert_resource(persistence::SavedExercise::new(
                self.data_dir
                    .as_ref()
                    .map_or_else(crate::store::saves::default_dir, |d| {
                        d.join(crate::store::saves::SESSIONS_DIR)
                    }),
            ))
            .init_resource::<LaunchOptions>()
            .init_resource::<LastOutcome>()
            .init_resource::<BoardArrows>()
            .init_resource::<ScenarioClock>()
            .init_resource::<Notice>()
            .init_resource::<PreferredMode>()
            .add_message::<PlayerIntent>()
            .add_message::<AppCommand>()
            .configure_sets(
                Update,
                (
                    AppSystems::Tick,
                    AppSystems::Commands,
                    AppSystems::ApplyIntents,
                    AppSystems::Update,
                )
                    .chain(),
            )
            .add_plugins((learner::plugin, persistence::plugin, facilitation::plugin))
            .add_systems(PostStartup, launch_from_options)
            .add_systems(
                Update,
                (
                    tick_clock.in_set(AppSystems::Tick),
                    handle_commands.in_set(AppSystems::Commands),
                    apply_player_intents.in_set(AppSystems::ApplyIntents),
                    (
                        age_arrows,
                        show_debrief_when_ended.run_if(in_state(Screen::Play)),
                    )
                        .in_set(AppSystems::Update),
                ),
            );
    }
}

fn launch_from_options(options: Res<LaunchOptions>, mut commands: MessageWriter<AppCommand>) {
    if let Some(path) = &options.resume {
        commands.write(AppCommand(UiCommand::Resume(path.clone())));
    } else if let Some(scenario) = &options.scenario {
        commands.write(AppCommand(UiCommand::StartScenario {
            scenario: scenario.as_str().into(),
            mode: options.mode.unwrap_or(Mode::Practice),
            seed: options.seed.unwrap_or(0),
        }));
    }
}

/// Rendering: window, egui screens, the board.
pub struct UiPlugin;

impl Plugin for UiPlugin {
    fn build(&self, app: &mut App) {
        app.add_plugins(EguiPlugin::default()).add_plugins((
            theme::plugin,
            screens::plugin,
            board::plugin,
            projector::plugin,
        ));
    }
}

/// Opens the desktop app.
pub fn run(args: Cli, resume: Option<std::path::PathBuf>) -> ExitCode {
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
        matrix: args.matrix.clone(),
        data_dir: None,
    })
    .insert_resource(LaunchOptions {
        scenario: args.scenario.clone(),
        mode: args.mode.map(Into::into),
        seed: args.seed,
        resume,
    })
    .add_plugins(UiPlugin);
    #[cfg(feature = "ci")]
    app.add_plugins(ci::plugin);
    match app.run() {
        AppExit::Success => ExitCode::SUCCESS,
        AppExit::Error(code) => ExitCode::from(code.get()),
    }
}
