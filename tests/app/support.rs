//! What the app's tests share: a headless app with its own data folder, and the commands and
//! reads every test uses.

pub use std::collections::BTreeSet;
pub use std::path::PathBuf;

pub use bevy::prelude::*;
pub use bevy::state::app::StatesPlugin;
pub use warroom::app::LogicPlugin;
pub use warroom::app::exercise::{ActiveExercise, FinalScorecard, LastOutcome, ScenarioClock};
pub use warroom::app::facilitation::ProjectorState;
pub use warroom::app::flow::Screen;
pub use warroom::app::learner::{Learner, QuizState};
pub use warroom::app::messages::{
    ContentCommand, ExerciseCommand, ExportFormat, FacilitatorCommand, LearnerCommand, Navigate,
    UiCommand,
};
pub use warroom::app::records::Records;
pub use warroom::cli::{Command, Format, run};
pub use warroom::engine::content::load::Source;
pub use warroom::engine::content::script::Decisions;
pub use warroom::engine::exercise::HotwashList;
pub use warroom::engine::model::matrix::Dimension;
pub use warroom::engine::model::scenario::Mode;
pub use warroom::engine::{Intent, score};

/// Keeps a test app's progress database folder alive as long as the app.
#[derive(Resource)]
pub struct TempData {
    _dir: tempfile::TempDir,
}

pub fn headless_app() -> App {
    let data = tempfile::tempdir().unwrap();
    let mut app = app_in(data.path());
    app.insert_resource(TempData { _dir: data });
    app
}

/// An app whose data (progress, saves) lives in `dir`.
pub fn app_in(dir: &std::path::Path) -> App {
    let mut app = App::new();
    app.add_plugins((MinimalPlugins, StatesPlugin))
        .add_plugins(LogicPlugin {
            matrix: None,
            data_dir: Some(dir.to_path_buf()),
        });
    app.update();
    app
}

/// Sends a command and runs two frames: one to handle it, one for any screen transition.
pub fn send(app: &mut App, command: impl Into<UiCommand>) {
    command.into().write_into(app.world_mut());
    app.update();
    app.update();
}

/// Starts a scenario with seed 0, as the picker's Start button would.
pub fn start(app: &mut App, scenario: &str, mode: Mode) {
    send(
        app,
        UiCommand::Exercise(ExerciseCommand::Start {
            scenario: scenario.into(),
            mode,
            seed: 0,
        }),
    );
}

pub fn screen(app: &App) -> Screen {
    *app.world().resource::<State<Screen>>().get()
}

pub fn fixture(scenario: &str, script: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/decisions")
        .join(scenario)
        .join(format!("{script}.ron"))
}

/// Plays a decisions file through the app exactly as the UI would: one command per step.
pub fn play_through_app(scenario: &str, script: &str) -> (App, String) {
    play_in(headless_app(), scenario, script)
}

/// Plays a decisions file through `app` as the UI would; returns it and the final scorecard.
pub fn play_in(mut app: App, scenario: &str, script: &str) -> (App, String) {
    let path = fixture(scenario, script);
    let decisions: Decisions = Source::read(&path).unwrap().parse().unwrap();
    assert_eq!(screen(&app), Screen::Title);
    send(&mut app, Navigate::OpenLibrary(Mode::Practice));
    assert_eq!(screen(&app), Screen::Library);
    send(
        &mut app,
        UiCommand::Exercise(ExerciseCommand::Start {
            scenario: scenario.into(),
            mode: Mode::Practice,
            seed: decisions.seed.unwrap_or(0),
        }),
    );
    app.update();
    assert_eq!(screen(&app), Screen::Play);
    for step in decisions.steps {
        let minute = app.world().resource::<ActiveExercise>().session().minute();
        let at = step
            .minute(app.world().resource::<ActiveExercise>().session())
            .unwrap();
        if at > minute {
            send(
                &mut app,
                UiCommand::Exercise(ExerciseCommand::Intent(Intent::Advance {
                    minutes: at - minute,
                })),
            );
        }
        send(&mut app, step.intent);
        let outcome = app.world().resource::<LastOutcome>();
        assert!(
            matches!(outcome, LastOutcome::Accepted { .. }),
            "step rejected: {outcome:?}"
        );
    }
    let session = &app.world().resource::<ActiveExercise>().session();
    let rest = session.scenario().duration_mins - session.minute();
    send(
        &mut app,
        UiCommand::Exercise(ExerciseCommand::Intent(Intent::Advance { minutes: rest })),
    );
    app.update();
    let json = app.world().resource::<FinalScorecard>().0.to_json();
    (app, json)
}

pub fn cli_json(scenario: &str, script: &str) -> String {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run(
        &Command::Play {
            scenario: scenario.into(),
            decisions: fixture(scenario, script),
            seed: None,
            format: Format::Json,
            save_log: None,
            record: None,
            db: None,
            session: None,
            saves: None,
            step_delay_ms: 0,
            replace: false,
        },
        None,
        &mut out,
        &mut err,
    );
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&err));
    String::from_utf8(out).unwrap()
}

pub fn facilitate(app: &mut App, command: FacilitatorCommand) {
    send(app, UiCommand::Facilitate(command));
}

pub fn notice(app: &App) -> Option<warroom::app::notice::NoticeText> {
    app.world()
        .resource::<warroom::app::notice::Notice>()
        .0
        .clone()
}

pub fn active(app: &App) -> &ActiveExercise {
    app.world().resource::<ActiveExercise>()
}

pub fn save_path(app: &App) -> PathBuf {
    active(app)
        .save_path()
        .expect("the exercise has a save")
        .to_path_buf()
}

pub fn load(path: &std::path::Path) -> warroom::engine::exercise::ExerciseRecord {
    warroom::store::saves::load(path).unwrap()
}

/// The one export in `dir` whose name ends in `suffix`: exports are named after their exercise
/// (`<scenario>-<started>-seed<N>`), so the test finds it rather than guessing the start time.
pub fn exported(dir: &std::path::Path, suffix: &str) -> String {
    let found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    let name = found[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("ransomware-file-server-") && name.contains("-seed0"),
        "{name}"
    );
    std::fs::read_to_string(&found[0]).unwrap()
}
