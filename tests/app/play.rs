//! Playing a scenario through the app: the same scorecard as `warroom play`, refusals, practice
//! feedback and the running score, the drill clock, bad content, and a window that sleeps when
//! nothing moves.

use super::support::*;

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
    let session = &app.world().resource::<ActiveExercise>().session();
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
        let minutes = warroom::engine::scoring::advance_stop(active(&app).session(), 5);
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
    let last = active(&app).session().released().last().cloned().unwrap();
    let title = &active(&app)
        .session()
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
    let minute = app.world().resource::<ActiveExercise>().session().minute();
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
    assert!(app.world().resource::<ActiveExercise>().session().minute() > minute);
    match app.world().resource::<LastOutcome>() {
        LastOutcome::Accepted { summary, .. } => {
            assert!(summary.contains("Triage the EDR alert"), "{summary}");
        }
        other => panic!("{other:?}"),
    }
    send(&mut app, ExerciseCommand::SetClockRunning(false));
    let paused_at = app.world().resource::<ActiveExercise>().session().minute();
    for _ in 0..30 {
        app.update();
    }
    assert_eq!(
        app.world().resource::<ActiveExercise>().session().minute(),
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
    let _ = score(app.world().resource::<ActiveExercise>().session());
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
