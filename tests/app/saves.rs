//! Saves: after every intent, resumed in a new app, damaged ones reported, exports, and exercises
//! in one run that never share a record.

use super::support::*;

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
            .session()
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
    let session = &app.world().resource::<ActiveExercise>().session();
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

#[test]
fn exercises_in_one_run_never_share_a_record_or_a_save() {
    let data = tempfile::tempdir().unwrap();
    let mut app = app_in(data.path());

    // A facilitated session with everything a facilitator records.
    start(&mut app, "ransomware-file-server", Mode::Facilitated);
    facilitate(
        &mut app,
        FacilitatorCommand::PutInRole {
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
        assert!(exercise.record().adhoc_injects.is_empty(), "{mode:?}");
        assert!(exercise.record().notes.is_empty(), "{mode:?}");
        assert!(exercise.record().participants.is_empty(), "{mode:?}");
        assert_eq!(exercise.session().minute(), 0);
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
    assert!(!active(&app).session().ended());
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
