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
