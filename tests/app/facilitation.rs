//! A facilitated session: everything the facilitator records is saved, the projector, the clock,
//! and a resumed session coming back on its console.

use super::support::*;

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
            FacilitatorCommand::PutInRole {
                name: "Dana".into(),
                role: "soc".into(),
            },
        );
        facilitate(
            &mut app,
            FacilitatorCommand::PutInRole {
                name: "Ops team".into(),
                role: "it_ops".into(),
            },
        );
        facilitate(&mut app, FacilitatorCommand::TakeOutOfRole(1));
        // A mistake is refused with the reason and records nothing.
        facilitate(
            &mut app,
            FacilitatorCommand::PutInRole {
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
        let path = saved.save_path().unwrap().to_path_buf();

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
    let record = app.world().resource::<ActiveExercise>().record().clone();
    assert_eq!(record.hotwash.len(), 1);
    assert_eq!(record.hotwash[0].strengths, ["Fast triage"]);
    assert_eq!(record.hotwash[0].improvements, ["Image first"]);
    let session = &app.world().resource::<ActiveExercise>().session();
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
    assert_eq!(
        app.world().resource::<ActiveExercise>().session().minute(),
        1
    );
    send(&mut app, ExerciseCommand::SetClockRunning(false));
    app.world_mut().resource_mut::<ScenarioClock>().elapsed_secs =
        warroom::app::exercise::BASE_SECS_PER_MINUTE;
    app.update();
    app.update();
    assert_eq!(
        app.world().resource::<ActiveExercise>().session().minute(),
        1
    );
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
            FacilitatorCommand::PutInRole {
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
        exercise.session().scenario().id.as_str(),
        "ransomware-file-server"
    );
    assert_eq!(exercise.session().minute(), 2);
    assert!(exercise.session().held().contains("business-call"));
    assert_eq!(exercise.record().facilitator, "Sam");
    assert_eq!(exercise.record().people_in(&"soc".into()), ["Dana"]);
    assert_eq!(exercise.record().adhoc_injects[0].title, "CFO on the phone");
    assert_eq!(exercise.record().notes[0].text, "Waiting for the EDR");
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
