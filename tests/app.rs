//! The app's own systems and messages, headless (no window, no renderer): a whole scenario played
//! through `AppCommand`s must reach the debrief with the same scorecard `warroom play` prints.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test setup should fail loudly"
)]

use std::collections::BTreeSet;
use std::path::PathBuf;

use bevy::prelude::*;
use bevy::state::app::StatesPlugin;
use warroom::app::LogicPlugin;
use warroom::app::exercise::{ActiveExercise, FinalScorecard, LastOutcome, ScenarioClock};
use warroom::app::facilitation::ProjectorState;
use warroom::app::flow::Screen;
use warroom::app::learner::{Learner, QuizState};
use warroom::app::messages::{
    ContentCommand, ExerciseCommand, ExportFormat, FacilitatorCommand, LearnerCommand, Navigate,
    UiCommand,
};
use warroom::cli::{Command, Format, run};
use warroom::engine::content::load::Source;
use warroom::engine::content::script::Decisions;
use warroom::engine::exercise::HotwashList;
use warroom::engine::model::matrix::Dimension;
use warroom::engine::model::scenario::Mode;
use warroom::engine::{Intent, score};

/// Keeps a test app's progress database folder alive as long as the app.
#[derive(Resource)]
struct TempData {
    _dir: tempfile::TempDir,
}

fn headless_app() -> App {
    let data = tempfile::tempdir().unwrap();
    let mut app = app_in(data.path());
    app.insert_resource(TempData { _dir: data });
    app
}

/// An app whose data (progress, saves) lives in `dir`.
fn app_in(dir: &std::path::Path) -> App {
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
fn send(app: &mut App, command: impl Into<UiCommand>) {
    command.into().write_into(app.world_mut());
    app.update();
    app.update();
}

/// Starts a scenario with seed 0, as the picker's Start button would.
fn start(app: &mut App, scenario: &str, mode: Mode) {
    send(
        app,
        UiCommand::Exercise(ExerciseCommand::Start {
            scenario: scenario.into(),
            mode,
            seed: 0,
        }),
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
        let minute = app.world().resource::<ActiveExercise>().session.minute();
        let at = step
            .minute(&app.world().resource::<ActiveExercise>().session)
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
    let session = &app.world().resource::<ActiveExercise>().session;
    let rest = session.scenario().duration_mins - session.minute();
    send(
        &mut app,
        UiCommand::Exercise(ExerciseCommand::Intent(Intent::Advance { minutes: rest })),
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
        UiCommand::Exercise(ExerciseCommand::Intent(Intent::AssignAction {
            action: "restore-fs01".into(),
            role: "it_ops".into(),
        })),
    );
    let LastOutcome::Rejected { reason, .. } = app.world().resource::<LastOutcome>() else {
        panic!("expected a rejection");
    };
    assert!(reason.contains("not available yet"), "{reason}");
    let session = &app.world().resource::<ActiveExercise>().session;
    assert!(session.log().entries.is_empty());
}

#[test]
fn practice_feedback_explains_the_decision_just_made() {
    let mut app = headless_app();
    start(&mut app, "ransomware-file-server", Mode::Practice);
    send(
        &mut app,
        UiCommand::Exercise(ExerciseCommand::Intent(Intent::AssignAction {
            action: "triage-fs01".into(),
            role: "legal".into(),
        })),
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
fn practice_keeps_a_running_score_and_says_what_lapsed() {
    use warroom::app::exercise::ScoreTrail;
    let mut app = headless_app();
    start(&mut app, "ransomware-file-server", Mode::Practice);
    let intent = |app: &mut App, intent: Intent| {
        send(app, UiCommand::Exercise(ExerciseCommand::Intent(intent)));
    };
    intent(
        &mut app,
        Intent::AssignAction {
            action: "triage-fs01".into(),
            role: "soc".into(),
        },
    );
    let trail = app.world().resource::<ScoreTrail>().clone();
    assert_eq!(trail.card.as_ref().map(|c| c.total), Some(100));
    assert!(trail.missed.is_empty());
    // Let the triage window and more pass with nobody acting on anything else.
    for _ in 0..12 {
        let minutes = warroom::engine::scoring::advance_stop(&active(&app).session, 5);
        intent(&mut app, Intent::Advance { minutes });
    }
    let trail = app.world().resource::<ScoreTrail>().clone();
    assert!(!trail.missed.is_empty(), "something should have lapsed");
    assert!(
        trail
            .missed
            .iter()
            .all(|f| f.points < 0 && f.entry.is_none())
    );
    let total = trail.card.as_ref().unwrap().total;
    assert!(total < 100, "{total}");

    // The latest inject is announced, until dismissed.
    let banner = app
        .world()
        .resource::<warroom::app::exercise::InjectBanner>()
        .clone();
    let new = banner.0.expect("an inject arrived while the clock ran");
    let last = active(&app).session.released().last().cloned().unwrap();
    let title = &active(&app)
        .session
        .scenario()
        .inject(last.as_str())
        .unwrap()
        .title;
    assert_eq!(&new.title, title);
    send(
        &mut app,
        UiCommand::Exercise(ExerciseCommand::DismissBanner),
    );
    assert!(
        app.world()
            .resource::<warroom::app::exercise::InjectBanner>()
            .0
            .is_none()
    );

    // A new exercise starts with a clean trail.
    start(&mut app, "journalist-calls", Mode::Drill);
    let trail = app.world().resource::<ScoreTrail>().clone();
    assert!(trail.missed.is_empty() && trail.change == 0);
}

#[test]
fn the_drill_clock_advances_scenario_time_only_while_running() {
    let mut app = headless_app();
    // Every frame is ten real seconds.
    app.insert_resource(bevy::time::TimeUpdateStrategy::ManualDuration(
        std::time::Duration::from_secs(10),
    ));
    start(&mut app, "ransomware-file-server", Mode::Drill);
    // 1× is real time: 130 real seconds are two scenario minutes, not more.
    send(&mut app, ExerciseCommand::SetClockSpeed(1.0));
    for _ in 0..13 {
        app.update();
    }
    let minute = app.world().resource::<ActiveExercise>().session.minute();
    assert_eq!(minute, 2, "1× is real time");
    // What the player did last stays in view while the clock ticks on.
    send(
        &mut app,
        ExerciseCommand::Intent(Intent::AssignAction {
            action: "triage-fs01".into(),
            role: "soc".into(),
        }),
    );
    for _ in 0..13 {
        app.update();
    }
    assert!(app.world().resource::<ActiveExercise>().session.minute() > minute);
    match app.world().resource::<LastOutcome>() {
        LastOutcome::Accepted { summary, .. } => {
            assert!(summary.contains("Triage the EDR alert"), "{summary}");
        }
        other => panic!("{other:?}"),
    }
    send(&mut app, ExerciseCommand::SetClockRunning(false));
    let paused_at = app.world().resource::<ActiveExercise>().session.minute();
    for _ in 0..30 {
        app.update();
    }
    assert_eq!(
        app.world().resource::<ActiveExercise>().session.minute(),
        paused_at
    );
}

#[test]
fn an_unknown_scenario_is_reported_and_the_app_stays_usable() {
    let mut app = headless_app();
    start(&mut app, "no-such-scenario", Mode::Practice);
    app.update();
    assert_eq!(screen(&app), Screen::Library);
    let notice = app.world().resource::<warroom::app::notice::Notice>();
    assert!(
        notice
            .0
            .as_ref()
            .is_some_and(|n| n.is_error && n.text.contains("no-such-scenario"))
    );
    assert!(app.world().get_resource::<ActiveExercise>().is_none());
    // A valid start still works afterwards.
    start(&mut app, "ransomware-file-server", Mode::Practice);
    app.update();
    assert_eq!(screen(&app), Screen::Play);
    let _ = score(&app.world().resource::<ActiveExercise>().session);
}

#[test]
fn a_finished_run_is_recorded_once_in_the_learners_progress() {
    let (mut app, json) = play_through_app("ransomware-file-server", "legal-too-late");
    app.update();
    send(&mut app, Navigate::GoTo(Screen::Progress));
    let learner = app.world().resource::<Learner>();
    assert_eq!(learner.error, None);
    let report = learner.report.as_ref().expect("report");
    assert_eq!(report.runs, 1, "recorded exactly once");
    let card: serde_json::Value = serde_json::from_str(&json).unwrap();
    let escalation = report
        .dimensions
        .iter()
        .find(|s| s.label == "Escalation timing")
        .expect("escalation series");
    assert_eq!(
        u64::from(escalation.points[0].score),
        card["dimensions"]["escalation"].as_u64().unwrap()
    );
}

#[test]
fn a_quiz_sitting_checks_answers_and_brings_a_miss_back() {
    let mut app = headless_app();
    send(
        &mut app,
        UiCommand::Learner(LearnerCommand::StartSitting {
            sets: BTreeSet::from(["evidence".to_owned()]),
            size: 5,
        }),
    );
    assert_eq!(screen(&app), Screen::Quiz);
    let first = {
        let quiz = app.world().resource::<QuizState>();
        assert_eq!(quiz.number, 1);
        quiz.current.clone().expect("a question")
    };
    // Pick a wrong choice on purpose.
    let wrong = (0..first.choices.len())
        .find(|i| !first.correct.contains(i))
        .unwrap();
    send(
        &mut app,
        LearnerCommand::CheckAnswer(BTreeSet::from([wrong])),
    );
    let checked = app.world().resource::<QuizState>().checked.clone().unwrap();
    assert!(!checked.correct && checked.will_return);
    let mut seen_again = false;
    for _ in 0..10 {
        send(&mut app, LearnerCommand::NextQuestion);
        let Some(current) = app.world().resource::<QuizState>().current.clone() else {
            break;
        };
        if current.id == first.id {
            seen_again = true;
        }
        send(
            &mut app,
            LearnerCommand::CheckAnswer(current.correct.clone()),
        );
    }
    assert!(seen_again, "the missed question came back in the sitting");
    send(&mut app, Navigate::GoTo(Screen::Progress));
    let report = app.world().resource::<Learner>().report.clone().unwrap();
    assert_eq!(
        report.first_try_correct,
        warroom::engine::learning::tally::Tally { right: 4, asked: 5 }
    );
    assert_eq!(report.due_questions, 1);
}

#[test]
fn an_exercise_is_saved_after_every_intent_and_resumes_in_a_new_app() {
    let data = tempfile::tempdir().unwrap();
    let entries = {
        let mut app = app_in(data.path());
        start(&mut app, "ransomware-file-server", Mode::Drill);
        send(&mut app, Intent::Advance { minutes: 3 });
        send(&mut app, Intent::EndExercise);
        let log = app
            .world()
            .resource::<ActiveExercise>()
            .session
            .log()
            .clone();
        // The app is dropped here without any shutdown step, as if it had been killed.
        log.entries.len()
    };
    let saves = warroom::store::saves::list(&data.path().join("sessions"));
    assert_eq!(saves.len(), 1);
    assert_eq!(saves[0].record.as_ref().unwrap().log.entries.len(), entries);

    // A second, unfinished exercise is what the title screen offers.
    {
        let mut app = app_in(data.path());
        start(&mut app, "journalist-calls", Mode::Practice);
        send(&mut app, Intent::Advance { minutes: 2 });
    }
    let mut app = app_in(data.path());
    send(&mut app, Navigate::GoTo(Screen::Title));
    let offer = app
        .world()
        .resource::<warroom::app::exercise::ResumeOffer>()
        .0
        .clone()
        .expect("an unfinished exercise is offered");
    // Named by its title, as the title screen shows it.
    assert_eq!(offer.scenario, "A reporter reaches the on-call analyst");
    assert_eq!(offer.minute, 2);
    send(&mut app, ExerciseCommand::Resume(offer.path.clone()));
    assert_eq!(screen(&app), Screen::Play);
    let session = &app.world().resource::<ActiveExercise>().session;
    assert_eq!(session.minute(), 2);
    assert_eq!(session.scenario().id.as_str(), "journalist-calls");
    // The banner says what came back, in which mode and where the clock stands.
    let said = notice(&app).unwrap().text;
    assert!(
        said.starts_with(
            "Resumed \u{201c}A reporter reaches the on-call analyst\u{201d} (practice mode) at T+02"
        ),
        "{said}"
    );
    // Playing on appends to the same save.
    send(&mut app, Intent::Advance { minutes: 1 });
    let record = warroom::store::saves::load(&offer.path).unwrap();
    assert_eq!(record.minute(), 3);
}

#[test]
fn a_damaged_save_is_reported_and_the_app_keeps_running() {
    let data = tempfile::tempdir().unwrap();
    let sessions = data.path().join("sessions");
    std::fs::create_dir_all(&sessions).unwrap();
    let path = sessions.join("broken.ron");
    std::fs::write(
        &path,
        "ExerciseRecord(format_version: 1, id: \"broken\", mode: Dril",
    )
    .unwrap();
    let mut app = app_in(data.path());
    send(&mut app, ExerciseCommand::Resume(path.clone()));
    assert_eq!(screen(&app), Screen::Title);
    let notice = app
        .world()
        .resource::<warroom::app::notice::Notice>()
        .0
        .clone()
        .unwrap();
    assert!(notice.is_error);
    assert!(notice.text.contains("broken.ron:1:"), "{}", notice.text);
    assert!(notice.text.contains("left untouched"), "{}", notice.text);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "ExerciseRecord(format_version: 1, id: \"broken\", mode: Dril"
    );
    start(&mut app, "journalist-calls", Mode::Practice);
    assert_eq!(screen(&app), Screen::Play);
}

#[test]
fn the_debrief_exports_the_after_action_report() {
    let (mut app, _) = play_through_app("ransomware-file-server", "legal-too-late");
    let out = tempfile::tempdir().unwrap();
    for format in [ExportFormat::ReportHtml, ExportFormat::ReportMarkdown] {
        send(
            &mut app,
            UiCommand::Exercise(ExerciseCommand::Export(format, out.path().to_path_buf())),
        );
        let notice = app
            .world()
            .resource::<warroom::app::notice::Notice>()
            .0
            .clone()
            .unwrap();
        assert!(!notice.is_error, "{}", notice.text);
    }
    let html = exported(out.path(), ".aar.html");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<h2>Improvement plan</h2>"));
    let md = exported(out.path(), ".aar.md");
    assert!(md.contains("## Exercise overview"));
}

fn facilitate(app: &mut App, command: FacilitatorCommand) {
    send(app, UiCommand::Facilitate(command));
}

fn notice(app: &App) -> Option<warroom::app::notice::NoticeText> {
    app.world()
        .resource::<warroom::app::notice::Notice>()
        .0
        .clone()
}

#[test]
fn a_facilitated_session_records_everything_saves_it_and_ends_in_the_hotwash() {
    let data = tempfile::tempdir().unwrap();
    let save_path = {
        let mut app = app_in(data.path());
        start(&mut app, "ransomware-file-server", Mode::Facilitated);
        assert_eq!(screen(&app), Screen::Console);
        // The facilitated clock waits for the facilitator.
        assert!(!app.world().resource::<ScenarioClock>().running);

        facilitate(&mut app, FacilitatorCommand::SetFacilitator(" Sam ".into()));
        facilitate(
            &mut app,
            FacilitatorCommand::Seat {
                name: "Dana".into(),
                role: "soc".into(),
            },
        );
        facilitate(
            &mut app,
            FacilitatorCommand::Seat {
                name: "Ops team".into(),
                role: "it_ops".into(),
            },
        );
        facilitate(&mut app, FacilitatorCommand::Unseat(1));
        // A mistake is refused with the reason and records nothing.
        facilitate(
            &mut app,
            FacilitatorCommand::Seat {
                name: "Chris".into(),
                role: "astronaut".into(),
            },
        );
        let refused = notice(&app).unwrap();
        assert!(refused.is_error);
        assert_eq!(
            refused.text,
            "Not recorded: there is no role `astronaut` in the matrix."
        );

        send(&mut app, Intent::Advance { minutes: 3 });
        send(
            &mut app,
            UiCommand::Exercise(ExerciseCommand::Intent(Intent::ReleaseInject {
                inject: "ransom-note".into(),
            })),
        );
        send(
            &mut app,
            UiCommand::Exercise(ExerciseCommand::Intent(Intent::HoldInject {
                inject: "business-call".into(),
            })),
        );
        facilitate(
            &mut app,
            FacilitatorCommand::Note {
                role: Some("soc".into()),
                dimension: Some(Dimension::Evidence),
                text: "Wanted to wipe before imaging".into(),
            },
        );
        facilitate(
            &mut app,
            FacilitatorCommand::AdHocInject {
                title: "CFO on the phone".into(),
                narrative: "Is payroll safe?".into(),
                to: None,
            },
        );
        let saved = app.world().resource::<ActiveExercise>();
        let path = saved.save_path.clone().unwrap();

        // Every change is on disk already, before anything ends.
        let on_disk = warroom::store::saves::load(&path).unwrap();
        assert_eq!(on_disk.facilitator, "Sam");
        assert_eq!(on_disk.participants.len(), 1);
        assert_eq!(on_disk.people_in(&"soc".into()), ["Dana"]);
        assert_eq!(on_disk.notes.len(), 1);
        assert_eq!(on_disk.notes[0].minute, 3);
        assert_eq!(on_disk.adhoc_injects[0].minute, 3);
        assert!(
            on_disk
                .log
                .entries
                .iter()
                .any(|e| matches!(e.intent, Intent::ReleaseInject { .. }))
        );

        send(&mut app, Intent::EndExercise);
        app.update();
        assert_eq!(screen(&app), Screen::Hotwash);
        facilitate(
            &mut app,
            FacilitatorCommand::HotwashAdd {
                role: "soc".into(),
                list: HotwashList::Strengths,
                text: "Fast triage".into(),
            },
        );
        facilitate(
            &mut app,
            FacilitatorCommand::HotwashAdd {
                role: "soc".into(),
                list: HotwashList::Improvements,
                text: "Image first".into(),
            },
        );
        send(&mut app, Navigate::GoTo(Screen::Debrief));
        assert_eq!(screen(&app), Screen::Debrief);
        path
    };

    // A new app resumes the finished session with everything the facilitator recorded, and
    // the report carries it.
    let mut app = app_in(data.path());
    send(&mut app, ExerciseCommand::Resume(save_path.clone()));
    assert_eq!(screen(&app), Screen::Debrief);
    let record = app.world().resource::<ActiveExercise>().record.clone();
    assert_eq!(record.hotwash.len(), 1);
    assert_eq!(record.hotwash[0].strengths, ["Fast triage"]);
    assert_eq!(record.hotwash[0].improvements, ["Image first"]);
    let session = &app.world().resource::<ActiveExercise>().session;
    assert_eq!(session.released_at("ransom-note"), Some(3));
    assert!(session.held().contains("business-call"));

    let out = tempfile::tempdir().unwrap();
    send(
        &mut app,
        UiCommand::Exercise(ExerciseCommand::Export(
            ExportFormat::ReportMarkdown,
            out.path().to_path_buf(),
        )),
    );
    let md = exported(out.path(), ".aar.md");
    for expected in [
        "Sam",
        "Dana",
        "CFO on the phone",
        "Wanted to wipe before imaging",
        "Fast triage",
        "Image first",
        "Facilitator released early: Ransom note and spreading encryption",
    ] {
        assert!(
            md.contains(expected),
            "`{expected}` missing from the report"
        );
    }
}

#[test]
fn the_projector_opens_blanks_and_closes_when_the_facilitator_leaves() {
    let mut app = headless_app();
    start(&mut app, "ransomware-file-server", Mode::Facilitated);
    let projector = |app: &App| *app.world().resource::<ProjectorState>();
    facilitate(&mut app, FacilitatorCommand::ShowProjector(true));
    assert_eq!(
        projector(&app),
        ProjectorState {
            open: true,
            blank: false
        }
    );
    facilitate(&mut app, FacilitatorCommand::BlankProjector(true));
    assert!(projector(&app).blank);
    facilitate(&mut app, FacilitatorCommand::BlankProjector(false));
    assert!(!projector(&app).blank);
    send(&mut app, Navigate::GoTo(Screen::Title));
    assert_eq!(projector(&app), ProjectorState::default());
}

#[test]
fn the_clock_runs_in_a_facilitated_session_only_once_started() {
    let mut app = headless_app();
    start(&mut app, "ransomware-file-server", Mode::Facilitated);
    send(&mut app, ExerciseCommand::SetClockRunning(true));
    // Pretend a scenario minute of real time has passed.
    app.world_mut().resource_mut::<ScenarioClock>().elapsed_secs =
        warroom::app::exercise::BASE_SECS_PER_MINUTE;
    app.update();
    app.update();
    assert_eq!(app.world().resource::<ActiveExercise>().session.minute(), 1);
    send(&mut app, ExerciseCommand::SetClockRunning(false));
    app.world_mut().resource_mut::<ScenarioClock>().elapsed_secs =
        warroom::app::exercise::BASE_SECS_PER_MINUTE;
    app.update();
    app.update();
    assert_eq!(app.world().resource::<ActiveExercise>().session.minute(), 1);
}

fn active(app: &App) -> &ActiveExercise {
    app.world().resource::<ActiveExercise>()
}

fn save_path(app: &App) -> PathBuf {
    active(app)
        .save_path
        .clone()
        .expect("the exercise has a save")
}

fn load(path: &std::path::Path) -> warroom::engine::exercise::ExerciseRecord {
    warroom::store::saves::load(path).unwrap()
}

#[test]
fn exercises_in_one_run_never_share_a_record_or_a_save() {
    let data = tempfile::tempdir().unwrap();
    let mut app = app_in(data.path());

    // A facilitated session with everything a facilitator records.
    start(&mut app, "ransomware-file-server", Mode::Facilitated);
    facilitate(
        &mut app,
        FacilitatorCommand::Seat {
            name: "Dana".into(),
            role: "soc".into(),
        },
    );
    facilitate(
        &mut app,
        FacilitatorCommand::AdHocInject {
            title: "CFO on the phone".into(),
            narrative: "Is payroll safe?".into(),
            to: None,
        },
    );
    facilitate(
        &mut app,
        FacilitatorCommand::Note {
            role: None,
            dimension: None,
            text: "Quiet start".into(),
        },
    );
    facilitate(&mut app, FacilitatorCommand::ShowProjector(true));
    send(&mut app, Intent::Advance { minutes: 2 });
    let facilitated = save_path(&app);
    let facilitated_on_disk = load(&facilitated);

    // Every mode, started in the same second, gets a fresh record and a save of its own.
    let mut seen = vec![facilitated.clone()];
    for mode in [Mode::Practice, Mode::Drill, Mode::Practice] {
        start(&mut app, "ransomware-file-server", mode);
        let exercise = active(&app);
        assert_eq!(exercise.mode(), mode);
        assert!(exercise.record.adhoc_injects.is_empty(), "{mode:?}");
        assert!(exercise.record.notes.is_empty(), "{mode:?}");
        assert!(exercise.record.participants.is_empty(), "{mode:?}");
        assert_eq!(exercise.session.minute(), 0);
        assert!(!app.world().resource::<ProjectorState>().open);
        let path = save_path(&app);
        assert!(!seen.contains(&path), "{} reused", path.display());
        seen.push(path);
    }
    assert_eq!(
        load(&facilitated),
        facilitated_on_disk,
        "untouched by later exercises"
    );

    // Finish one, then play again: the finished save keeps its log; the new run has its own.
    send(&mut app, Intent::Advance { minutes: 4 });
    send(&mut app, Intent::EndExercise);
    app.update();
    assert_eq!(screen(&app), Screen::Debrief);
    let finished = save_path(&app);
    let finished_on_disk = load(&finished);
    assert!(finished_on_disk.ended());
    send(
        &mut app,
        ExerciseCommand::Start {
            scenario: "ransomware-file-server".into(),
            mode: Mode::Practice,
            seed: 0,
        },
    );
    assert_eq!(screen(&app), Screen::Play);
    assert_ne!(save_path(&app), finished);
    assert!(!active(&app).session.ended());
    send(&mut app, Intent::Advance { minutes: 1 });
    assert_eq!(
        load(&finished),
        finished_on_disk,
        "a finished save is never rewritten"
    );

    let saves = warroom::store::saves::list(&data.path().join("sessions"));
    assert_eq!(
        saves.len(),
        5,
        "one facilitated, three more starts, one play-again"
    );
    let ids: BTreeSet<_> = saves
        .iter()
        .map(|e| e.record.as_ref().unwrap().id.clone())
        .collect();
    assert_eq!(ids.len(), 5, "every save has its own id: {ids:?}");
    for entry in &saves {
        let record = entry.record.as_ref().unwrap();
        let expected = entry.path.file_stem().unwrap().to_string_lossy();
        assert_eq!(record.id, expected, "the id is the file's name");
        if entry.path != facilitated {
            assert!(record.adhoc_injects.is_empty() && record.notes.is_empty());
        }
    }
}

#[test]
fn a_resumed_facilitated_session_comes_back_with_its_console_and_projector() {
    let data = tempfile::tempdir().unwrap();
    let path = {
        let mut app = app_in(data.path());
        start(&mut app, "ransomware-file-server", Mode::Facilitated);
        facilitate(&mut app, FacilitatorCommand::SetFacilitator("Sam".into()));
        facilitate(
            &mut app,
            FacilitatorCommand::Seat {
                name: "Dana".into(),
                role: "soc".into(),
            },
        );
        send(&mut app, Intent::Advance { minutes: 2 });
        send(
            &mut app,
            Intent::HoldInject {
                inject: "business-call".into(),
            },
        );
        facilitate(
            &mut app,
            FacilitatorCommand::AdHocInject {
                title: "CFO on the phone".into(),
                narrative: "Is payroll safe?".into(),
                to: None,
            },
        );
        facilitate(
            &mut app,
            FacilitatorCommand::Note {
                role: Some("soc".into()),
                dimension: None,
                text: "Waiting for the EDR".into(),
            },
        );
        facilitate(&mut app, FacilitatorCommand::ShowProjector(true));
        facilitate(&mut app, FacilitatorCommand::BlankProjector(true));
        save_path(&app)
        // Killed here: no shutdown step runs.
    };
    let mut app = app_in(data.path());
    // Something else was played in between; resuming must not mix it in.
    start(&mut app, "journalist-calls", Mode::Practice);
    send(&mut app, ExerciseCommand::Resume(path.clone()));
    assert_eq!(screen(&app), Screen::Console);
    // The clock waits for the facilitator, and the banner says so.
    let said = notice(&app).unwrap().text;
    assert!(said.contains("(facilitated mode) at "), "{said}");
    assert!(said.contains("The clock is paused"), "{said}");
    assert!(!app.world().resource::<ScenarioClock>().running);
    let exercise = active(&app);
    assert_eq!(exercise.mode(), Mode::Facilitated);
    assert_eq!(
        exercise.session.scenario().id.as_str(),
        "ransomware-file-server"
    );
    assert_eq!(exercise.session.minute(), 2);
    assert!(exercise.session.held().contains("business-call"));
    assert_eq!(exercise.record.facilitator, "Sam");
    assert_eq!(exercise.record.people_in(&"soc".into()), ["Dana"]);
    assert_eq!(exercise.record.adhoc_injects[0].title, "CFO on the phone");
    assert_eq!(exercise.record.notes[0].text, "Waiting for the EDR");
    assert_eq!(save_path(&app), path, "resumed into its own save");
    assert_eq!(
        *app.world().resource::<ProjectorState>(),
        ProjectorState {
            open: true,
            blank: true
        }
    );
    // The clock waits for the facilitator after a resume.
    assert!(!app.world().resource::<ScenarioClock>().running);
}

#[test]
fn the_window_wakes_by_itself_only_while_the_scenario_clock_runs() {
    use bevy::winit::WinitSettings;
    use warroom::app::redraw::RedrawPolicy;
    let mut app = headless_app();
    app.insert_resource(WinitSettings::desktop_app())
        .add_plugins(warroom::app::redraw::plugin);
    app.update();
    let policy = |app: &App| *app.world().resource::<RedrawPolicy>();
    assert_eq!(policy(&app), RedrawPolicy::OnInput, "title");
    send(&mut app, Navigate::OpenLibrary(Mode::Practice));
    assert_eq!(policy(&app), RedrawPolicy::OnInput, "picker");
    start(&mut app, "ransomware-file-server", Mode::Practice);
    assert_eq!(
        policy(&app),
        RedrawPolicy::OnInput,
        "practice waits for the player"
    );
    start(&mut app, "ransomware-file-server", Mode::Facilitated);
    assert_eq!(
        policy(&app),
        RedrawPolicy::OnInput,
        "console before the clock starts"
    );
    send(&mut app, ExerciseCommand::SetClockRunning(true));
    assert_eq!(policy(&app), RedrawPolicy::ClockTicking);
    send(&mut app, ExerciseCommand::SetClockRunning(false));
    assert_eq!(policy(&app), RedrawPolicy::OnInput, "paused");
    start(&mut app, "ransomware-file-server", Mode::Drill);
    assert_eq!(
        policy(&app),
        RedrawPolicy::ClockTicking,
        "the drill clock runs at once"
    );
    send(&mut app, Intent::EndExercise);
    app.update();
    assert_eq!(screen(&app), Screen::Debrief);
    assert_eq!(policy(&app), RedrawPolicy::OnInput, "debrief");
    let settings = app.world().resource::<WinitSettings>();
    assert_eq!(
        format!("{settings:?}"),
        format!("{:?}", WinitSettings::desktop_app())
    );
}

#[test]
fn a_matrix_that_fails_to_load_leaves_the_working_one_in_use() {
    let mut app = headless_app();
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("my-plan.ron");
    std::fs::write(&broken, "Matrix(id: \"mine\", roles: [").unwrap();
    let scenarios_before = app
        .world()
        .resource::<warroom::app::content::Content>()
        .library
        .scenarios
        .len();
    send(&mut app, ContentCommand::LoadMatrix(broken.clone()));
    let content = app.world().resource::<warroom::app::content::Content>();
    assert!(content.library.matrix.is_some(), "the working matrix stays");
    assert_eq!(content.library.scenarios.len(), scenarios_before);
    assert!(
        content.failed_matrix.is_some(),
        "its problems are kept to show"
    );
    let shown = notice(&app).unwrap();
    assert!(shown.is_error);
    assert!(shown.text.contains("my-plan.ron"), "{}", shown.text);
    assert!(
        shown.text.contains("still grading against"),
        "{}",
        shown.text
    );
    // Scenarios still start against the working matrix.
    start(&mut app, "journalist-calls", Mode::Practice);
    assert_eq!(screen(&app), Screen::Play);

    // Another organisation's valid matrix, then back to the shipped one.
    let mine = dir.path().join("our-matrix.ron");
    std::fs::copy(warroom::engine::content::shipped::matrix_path(), &mine).unwrap();
    send(&mut app, ContentCommand::LoadMatrix(mine.clone()));
    let content = app.world().resource::<warroom::app::content::Content>();
    assert_eq!(content.matrix_path, mine);
    assert!(content.failed_matrix.is_none());
    send(&mut app, ContentCommand::RestoreDefaultMatrix);
    let content = app.world().resource::<warroom::app::content::Content>();
    assert_eq!(
        content.matrix_path,
        warroom::engine::content::library::default_matrix_path()
    );
    assert!(!notice(&app).unwrap().is_error);
}

/// Frames the app asked the window for (`RequestRedraw`), counted as a window would see them.
#[derive(Resource, Default)]
struct RedrawsAsked(usize);

#[test]
fn an_idle_exercise_asks_for_no_frames_and_a_moving_arrow_asks_until_it_fades() {
    use bevy::window::RequestRedraw;
    use bevy::winit::WinitSettings;
    let mut app = headless_app();
    app.insert_resource(WinitSettings::desktop_app())
        .add_plugins(warroom::app::redraw::plugin)
        .init_resource::<RedrawsAsked>()
        .add_systems(
            Last,
            |mut asked: MessageReader<RequestRedraw>, mut count: ResMut<RedrawsAsked>| {
                count.0 += asked.read().count();
            },
        )
        .insert_resource(bevy::time::TimeUpdateStrategy::ManualDuration(
            std::time::Duration::from_millis(500),
        ));
    start(&mut app, "ransomware-file-server", Mode::Practice);
    let frames = |app: &mut App, n: usize| {
        app.world_mut().resource_mut::<RedrawsAsked>().0 = 0;
        for _ in 0..n {
            app.update();
        }
        app.world().resource::<RedrawsAsked>().0
    };
    assert_eq!(
        frames(&mut app, 10),
        0,
        "an idle play screen asks for nothing"
    );
    send(
        &mut app,
        Intent::Handoff(warroom::engine::Handoff {
            from: "soc".into(),
            to: "it_ops".into(),
            observed: "Encryption running on FS-01".into(),
            facts: vec![],
            evidence: Vec::new(),
            actions_taken: Vec::new(),
            recommended: Vec::new(),
            urgency: None,
        }),
    );
    assert!(frames(&mut app, 4) >= 4, "the arrow animates every frame");
    // Virtual time moves at most a quarter of a second a frame (Bevy clamps longer frames):
    // the arrow's lifetime at that pace, and a few frames more, see it gone.
    let lifetime = warroom::app::exercise::ARROW_LIFETIME_SECS;
    frames(&mut app, (lifetime / 0.25).ceil() as usize + 4);
    assert_eq!(frames(&mut app, 10), 0, "quiet again once it has faded");
}

/// One HTTP/1.1 exchange on loopback, read to the end.
#[cfg(feature = "room")]
fn http_exchange(addr: &str, request: &str) -> String {
    use std::io::{Read as _, Write as _};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

/// Starts a facilitated exercise in `app`, which can open rooms, and opens one for this
/// computer; returns the join address's `host:port` and path.
#[cfg(feature = "room")]
fn open_a_room(app: &mut App) -> (String, String) {
    app.insert_resource(warroom::app::exercise::RoomService(Some(
        warroom::room_host::opener(),
    )));
    start(app, "ransomware-file-server", Mode::Facilitated);
    send(
        app,
        UiCommand::Exercise(ExerciseCommand::OpenRoom {
            local_network: false,
        }),
    );
    let join = active(app)
        .room
        .as_ref()
        .expect("the room is open")
        .link
        .addresses()
        .join;
    assert!(join.starts_with("http://127.0.0.1:"), "{join}");
    let rest = join.strip_prefix("http://").unwrap();
    let (addr, path) = rest.split_at(rest.find('/').unwrap());
    (addr.to_owned(), path.to_owned())
}

/// Takes a seat through the join form, as a browser would; returns the seat page's path.
#[cfg(feature = "room")]
fn take_seat(addr: &str, join_path: &str, seat: &str, person: &str) -> String {
    let body = format!("seat={seat}&person={person}");
    let answer = http_exchange(
        addr,
        &format!(
            "POST {join_path}/take HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ),
    );
    answer
        .lines()
        .find_map(|l| l.strip_prefix("location: "))
        .unwrap_or_else(|| panic!("no seat: {answer}"))
        .trim()
        .to_owned()
}

/// The console opens a room: a seat's device acts from a browser's protocol, the app shows what
/// it did, the console's own intents and notes go through the host, and everything is in the save;
/// closed again, the exercise goes on at the console.
#[cfg(feature = "room")]
#[test]
fn the_console_opens_a_room_and_follows_what_the_seats_do() {
    use futures_util::{SinkExt as _, StreamExt as _};

    let mut app = headless_app();
    let (addr, path) = open_a_room(&mut app);
    // A device takes the SOC's seat through the join form.
    let seat = take_seat(&addr, &path, "soc", "Ana");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let (mut ws, _) = tokio_tungstenite::connect_async(format!("ws://{addr}{seat}/ws"))
            .await
            .unwrap();
        let handoff = serde_json::json!({"t": "intent", "id": 1, "intent":
            {"Handoff": {"from": "soc", "to": "it_ops", "observed": "Renames on FS-01"}}});
        ws.send(tokio_tungstenite::tungstenite::Message::Text(
            handoff.to_string().into(),
        ))
        .await
        .unwrap();
        loop {
            let message = ws.next().await.unwrap().unwrap();
            if message.to_text().unwrap().contains(r#""t":"ack""#) {
                break;
            }
        }
    });
    // The console shows it within a few frames.
    for _ in 0..100 {
        app.update();
        if active(&app).session.log().entries.len() == 1 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(matches!(
        active(&app).session.log().entries[0].intent,
        Intent::Handoff(_)
    ));
    assert_eq!(
        app.world()
            .resource::<warroom::app::exercise::BoardArrows>()
            .0
            .len(),
        1,
        "the handoff is drawn on the board"
    );
    // The console's own intent and a note go through the host, which saves them with the seat's.
    send(
        &mut app,
        UiCommand::Exercise(ExerciseCommand::Intent(Intent::Advance { minutes: 3 })),
    );
    facilitate(
        &mut app,
        FacilitatorCommand::Note {
            role: None,
            dimension: None,
            text: "SOC handed off fast".into(),
        },
    );
    send(
        &mut app,
        UiCommand::Exercise(ExerciseCommand::ChatToSeat {
            seat: "soc".into(),
            text: "Good handoff.".into(),
        }),
    );
    app.update();
    assert_eq!(active(&app).session.minute(), 3);
    let saved = load(&save_path(&app));
    assert_eq!(saved.log.entries.len(), 2);
    assert_eq!(saved.notes[0].text, "SOC handed off fast");
    let room = saved.room.as_ref().unwrap();
    assert_eq!(room.by_id("soc").unwrap().devices[0].person, "Ana");
    assert_eq!(room.chat[0].text, "Good handoff.");
    // The console manages the seats: Legal and PR become one team seat.
    send(
        &mut app,
        UiCommand::Exercise(ExerciseCommand::ManageSeat(
            warroom::engine::room::SeatChange::Combine {
                into: "legal".into(),
                from: "pr_comms".into(),
            },
        )),
    );
    app.update();
    let seats = &active(&app).record.room.as_ref().unwrap().seats;
    assert!(seats.iter().any(|s| s.seat.roles.len() == 2));
    // A refusal from the host says why.
    send(
        &mut app,
        UiCommand::Exercise(ExerciseCommand::Intent(Intent::Advance { minutes: 0 })),
    );
    assert!(matches!(
        app.world().resource::<LastOutcome>(),
        LastOutcome::Rejected { .. }
    ));
    // Closed, the exercise goes on at the console and keeps the seats in its record.
    send(&mut app, UiCommand::Exercise(ExerciseCommand::CloseRoom));
    assert!(active(&app).room.is_none());
    send(
        &mut app,
        UiCommand::Exercise(ExerciseCommand::Intent(Intent::Advance { minutes: 1 })),
    );
    let saved = load(&save_path(&app));
    assert_eq!(saved.log.entries.len(), 3);
    assert_eq!(saved.notes.len(), 1);
    assert!(saved.room.is_some());
    assert!(
        std::net::TcpStream::connect(&addr).is_err(),
        "the host stopped"
    );
}

/// A facilitator's app that dies while hosting comes back with the room open, under the same
/// address, and every device keeps its seat.
#[cfg(feature = "room")]
#[test]
fn a_resumed_exercise_that_was_hosted_opens_its_room_again() {
    use warroom::app::exercise::RoomService;

    let data = tempfile::tempdir().unwrap();
    let mut app = app_in(data.path());
    let (addr, path) = open_a_room(&mut app);
    let join = active(&app).room.as_ref().unwrap().addresses.join.clone();
    let seat = take_seat(&addr, &path, "legal", "Priya");
    let saved_at = save_path(&app);
    // The app goes away without closing the room.
    drop(app);
    assert!(
        std::net::TcpStream::connect(&addr).is_err(),
        "the host went with it"
    );
    let mut app = app_in(data.path());
    app.insert_resource(RoomService(Some(warroom::room_host::opener())));
    send(
        &mut app,
        UiCommand::Exercise(ExerciseCommand::Resume(saved_at)),
    );
    let room = active(&app).room.as_ref().expect("the room opened again");
    assert_eq!(room.addresses.join, join, "same codes, same port");
    let page = http_exchange(
        &addr,
        &format!("GET {seat} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"),
    );
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("Legal Counsel"));
    // Closed by the facilitator, it stays closed on the next resume.
    send(&mut app, UiCommand::Exercise(ExerciseCommand::CloseRoom));
    let saved_at = save_path(&app);
    drop(app);
    let mut app = app_in(data.path());
    app.insert_resource(RoomService(Some(warroom::room_host::opener())));
    send(
        &mut app,
        UiCommand::Exercise(ExerciseCommand::Resume(saved_at)),
    );
    assert!(active(&app).room.is_none());
}

/// The one export in `dir` whose name ends in `suffix`: exports are named after their exercise
/// (`<scenario>-<started>-seed<N>`), so the test finds it rather than guessing the start time.
fn exported(dir: &std::path::Path, suffix: &str) -> String {
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
