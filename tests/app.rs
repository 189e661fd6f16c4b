//! The app's own systems and messages, headless (no window, no renderer): a whole scenario played
//! through `AppCommand`s must reach the debrief with the same scorecard `warroom play` prints.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test setup should fail loudly"
)]

use std::path::PathBuf;

use bevy::prelude::*;
use bevy::state::app::StatesPlugin;
use warroom::app::commands::{AppCommand, UiCommand};
use warroom::app::session::{ActiveSession, FinalScorecard, LastOutcome};
use warroom::app::{LogicPlugin, Screen};
use warroom::cli::{Command, Format, run};
use warroom::engine::load::Source;
use warroom::engine::scenario::Mode;
use warroom::engine::script::Decisions;
use warroom::engine::{Intent, score};

fn headless_app() -> App {
    let mut app = App::new();
    app.add_plugins((MinimalPlugins, StatesPlugin))
        .add_plugins(LogicPlugin { matrix: None });
    app.update();
    app
}

/// Sends a command and runs two frames: one to handle it, one for any screen transition.
fn send(app: &mut App, command: UiCommand) {
    app.world_mut().write_message(AppCommand(command));
    app.update();
    app.update();
}

/// Starts a scenario with seed 0, as the picker's Start button would.
fn start(app: &mut App, scenario: &str, mode: Mode) {
    send(
        app,
        UiCommand::StartScenario {
            scenario: scenario.into(),
            mode,
            seed: 0,
        },
    );
}

fn screen(app: &App) -> Screen {
    *app.world().resource::<State<Screen>>().get()
}

fn fixture(scenario: &str, script: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/decisions")
        .join(scenario)
        .join(format!("{script}.ron"))
}

/// Plays a decisions file through the app exactly as the UI would: one command per step.
fn play_through_app(scenario: &str, script: &str) -> (App, String) {
    let path = fixture(scenario, script);
    let decisions: Decisions = Source::read(&path).unwrap().parse().unwrap();
    let mut app = headless_app();
    assert_eq!(screen(&app), Screen::Title);
    send(&mut app, UiCommand::OpenLibrary(Mode::Practice));
    assert_eq!(screen(&app), Screen::Library);
    send(
        &mut app,
        UiCommand::StartScenario {
            scenario: scenario.into(),
            mode: Mode::Practice,
            seed: decisions.seed.unwrap_or(0),
        },
    );
    app.update();
    assert_eq!(screen(&app), Screen::Play);
    for step in decisions.steps {
        let minute = app.world().resource::<ActiveSession>().session.minute();
        if step.at > minute {
            send(
                &mut app,
                UiCommand::Intent(Intent::Advance {
                    minutes: step.at - minute,
                }),
            );
        }
        send(&mut app, UiCommand::Intent(step.intent));
        let outcome = app.world().resource::<LastOutcome>();
        assert!(
            matches!(outcome, LastOutcome::Accepted { .. }),
            "step rejected: {outcome:?}"
        );
    }
    let session = &app.world().resource::<ActiveSession>().session;
    let rest = session.scenario().duration_mins - session.minute();
    send(
        &mut app,
        UiCommand::Intent(Intent::Advance { minutes: rest }),
    );
    app.update();
    let json = app.world().resource::<FinalScorecard>().0.to_json();
    (app, json)
}

fn cli_json(scenario: &str, script: &str) -> String {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run(
        &Command::Play {
            scenario: scenario.into(),
            decisions: fixture(scenario, script),
            seed: None,
            format: Format::Json,
            save_log: None,
        },
        None,
        &mut out,
        &mut err,
    );
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&err));
    String::from_utf8(out).unwrap()
}

#[test]
fn a_whole_scenario_played_through_the_app_matches_warroom_play() {
    for (scenario, script) in [
        ("ransomware-file-server", "exemplary"),
        ("ransomware-file-server", "soc-remediates-before-evidence"),
        ("customer-data-exfiltration", "legal-too-late"),
    ] {
        let (app, json) = play_through_app(scenario, script);
        assert_eq!(screen(&app), Screen::Debrief, "{scenario}/{script}");
        assert_eq!(
            format!("{json}\n"),
            cli_json(scenario, script),
            "{scenario}/{script}"
        );
    }
}

#[test]
fn rejected_intents_change_nothing_and_say_why() {
    let mut app = headless_app();
    start(&mut app, "ransomware-file-server", Mode::Practice);
    send(
        &mut app,
        UiCommand::Intent(Intent::AssignAction {
            action: "restore-fs01".into(),
            role: "it_ops".into(),
        }),
    );
    let LastOutcome::Rejected { reason, .. } = app.world().resource::<LastOutcome>() else {
        panic!("expected a rejection");
    };
    assert!(reason.contains("not available yet"), "{reason}");
    let session = &app.world().resource::<ActiveSession>().session;
    assert!(session.log().entries.is_empty());
}

#[test]
fn practice_feedback_explains_the_decision_just_made() {
    let mut app = headless_app();
    start(&mut app, "ransomware-file-server", Mode::Practice);
    send(
        &mut app,
        UiCommand::Intent(Intent::AssignAction {
            action: "triage-fs01".into(),
            role: "legal".into(),
        }),
    );
    let LastOutcome::Accepted { feedback, .. } = app.world().resource::<LastOutcome>() else {
        panic!("expected acceptance");
    };
    let finding = feedback
        .iter()
        .find(|f| f.rule == "raci:triage_alert")
        .expect("ownership feedback");
    assert!(finding.points < 0);
    assert!(
        finding.advice.contains("Security Operations Center"),
        "{}",
        finding.advice
    );
}

#[test]
fn the_drill_clock_advances_scenario_time_only_while_running() {
    let mut app = headless_app();
    // Every frame is one real second.
    app.insert_resource(bevy::time::TimeUpdateStrategy::ManualDuration(
        std::time::Duration::from_secs(1),
    ));
    start(&mut app, "ransomware-file-server", Mode::Drill);
    // Drive time by hand: 25 real seconds at speed 1 = two scenario minutes.
    send(&mut app, UiCommand::SetClockSpeed(1.0));
    for _ in 0..25 {
        app.update();
    }
    let minute = app.world().resource::<ActiveSession>().session.minute();
    assert!(minute >= 2, "clock did not run: minute {minute}");
    send(&mut app, UiCommand::SetClockRunning(false));
    let paused_at = app.world().resource::<ActiveSession>().session.minute();
    for _ in 0..30 {
        app.update();
    }
    assert_eq!(
        app.world().resource::<ActiveSession>().session.minute(),
        paused_at
    );
}

#[test]
fn an_unknown_scenario_is_reported_and_the_app_stays_usable() {
    let mut app = headless_app();
    start(&mut app, "no-such-scenario", Mode::Practice);
    app.update();
    assert_eq!(screen(&app), Screen::Library);
    let notice = app.world().resource::<warroom::app::commands::Notice>();
    assert!(
        notice
            .0
            .as_ref()
            .is_some_and(|n| n.is_error && n.text.contains("no-such-scenario"))
    );
    assert!(app.world().get_resource::<ActiveSession>().is_none());
    // A valid start still works afterwards.
    start(&mut app, "ransomware-file-server", Mode::Practice);
    app.update();
    assert_eq!(screen(&app), Screen::Play);
    let _ = score(&app.world().resource::<ActiveSession>().session);
}
