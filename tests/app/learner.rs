//! The learner's record: a finished run counted once, a quiz sitting that brings a miss back.

use super::support::*;

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

/// With a learning record store configured, a finished run's statements are queued with the run
/// itself; the store being unreachable loses nothing, and the Progress screen says why in words.
#[test]
fn a_finished_run_waits_in_the_outbox_while_the_store_is_unreachable() {
    let dir = tempfile::tempdir().unwrap();
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}/xAPI/", closed.local_addr().unwrap());
    drop(closed);
    std::fs::write(
        dir.path().join("lrs.ron"),
        format!("Lrs(endpoint: {endpoint:?}, key: \"trainer\", secret: \"s3cret-word\")"),
    )
    .unwrap();
    let (mut app, _) = play_in(app_in(dir.path()), "ransomware-file-server", "natural");
    app.update();
    send(&mut app, Navigate::GoTo(Screen::Progress));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let status = loop {
        app.update();
        let records = app.world().resource::<Records>();
        if let Some(status) = records.status.clone().filter(|s| s.last_error.is_some()) {
            break status;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no failed try was reported"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert_eq!(status.sent, 0);
    let (error, _) = status.last_error.unwrap();
    assert!(error.contains("could not connect"), "{error}");
    assert!(!error.contains("s3cret"), "{error}");
    // Every choice of the run, its launch, completion and end: nothing was lost.
    let choices = app
        .world()
        .resource::<ActiveExercise>()
        .session()
        .log()
        .entries
        .iter()
        .filter(|e| e.intent.actor().is_some())
        .count();
    assert!(status.waiting >= 3 && status.waiting <= u64::try_from(choices).unwrap() + 3);
    let db = warroom::store::ProgressDb::open(&dir.path().join("progress.sqlite3"), "x").unwrap();
    assert_eq!(
        db.outbox_waiting(1000).unwrap().len() as u64,
        status.waiting
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
