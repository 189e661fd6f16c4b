//! The Author screen's document through the app's own systems: what it reports is what
//! `warroom validate` reports for the same bytes, its preview is graded on a thread of its own,
//! and *Play this* plays the folder under its plan.

use std::path::Path;

use warroom::app::author::{AuthorAction, Authoring, Preview};
use warroom::app::content::Content;

use crate::support::*;

/// A content folder of the reference plan, the ransomware scenario and two of its scripts.
fn folder() -> tempfile::TempDir {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("decisions")).unwrap();
    for (from, to) in [
        ("scenarios/responsibilities.ron", "responsibilities.ron"),
        (
            "scenarios/ransomware-file-server.ron",
            "ransomware-file-server.ron",
        ),
        (
            "tests/fixtures/decisions/ransomware-file-server/exemplary.ron",
            "decisions/exemplary.ron",
        ),
        (
            "tests/fixtures/decisions/ransomware-file-server/natural.ron",
            "decisions/natural.ron",
        ),
    ] {
        std::fs::copy(root.join(from), dir.path().join(to)).unwrap();
    }
    dir
}

fn task(app: &App, id: &str) -> usize {
    let authoring = app.world().resource::<Authoring>();
    let doc = authoring.doc.as_ref().unwrap();
    doc.matrix()
        .tasks
        .iter()
        .position(|t| t.id.as_str() == id)
        .unwrap()
}

fn set_cell(app: &mut App, task_id: &str, role: &str, codes: &[&str]) {
    let task = task(app, task_id);
    send(
        app,
        AuthorAction::SetCell {
            task,
            role: role.to_owned(),
            codes: codes.iter().map(|c| (*c).to_owned()).collect(),
        },
    );
}

/// Runs frames until the preview is graded (the grading runs on its own thread).
fn graded(app: &mut App) -> Vec<warroom::engine::reports::compare::GradeChange> {
    for _ in 0..600 {
        app.update();
        if let Some(doc) = &app.world().resource::<Authoring>().doc
            && let Preview::Ready(changes) = &doc.preview
        {
            return changes.clone();
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    panic!("the preview was never graded");
}

#[test]
fn the_edited_plan_is_checked_exactly_as_validate_checks_the_same_bytes() {
    let dir = folder();
    let mut app = headless_app();
    send(&mut app, AuthorAction::Open(dir.path().to_path_buf()));
    // A warning (IT Operations both does and is consulted on triage) and an error (nobody
    // accountable for isolating a host).
    set_cell(&mut app, "triage_alert", "it_ops", &["R", "C"]);
    set_cell(&mut app, "isolate_host", "ir_manager", &["C"]);
    let authoring = app.world().resource::<Authoring>();
    let doc = authoring.doc.as_ref().unwrap();
    let in_app = serde_json::to_value(doc.diagnostics()).unwrap();
    assert!(
        doc.errors() > 0 && doc.diagnostics().len() > doc.errors(),
        "{in_app}"
    );

    std::fs::write(dir.path().join("responsibilities.ron"), doc.text()).unwrap();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let command = Command::Validate {
        paths: vec![dir.path().to_path_buf()],
        format: Format::Json,
    };
    run(&command, None, &mut out, &mut err);
    let validated: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(validated["diagnostics"], in_app);
}

#[test]
fn the_preview_is_graded_off_the_main_thread_and_play_this_plays_the_folder() {
    let dir = folder();
    let mut app = headless_app();
    send(&mut app, AuthorAction::Open(dir.path().to_path_buf()));
    assert!(graded(&mut app).iter().all(|c| !c.changed()));
    set_cell(&mut app, "triage_alert", "soc", &["A"]);
    set_cell(&mut app, "triage_alert", "it_ops", &["R", "C"]);
    let changes = graded(&mut app);
    let exemplary = changes
        .iter()
        .find(|c| c.script == "exemplary.ron")
        .unwrap();
    assert!(exemplary.changed());
    assert!(exemplary.after.as_ref().unwrap().total < 100);

    send(&mut app, AuthorAction::Play);
    assert_eq!(screen(&app), Screen::Library);
    let content = app.world().resource::<Content>();
    assert_eq!(content.dir, dir.path());
    assert!(content.library.scenario("ransomware-file-server").is_some());
    // Playing saved the plan: the folder's file is the edited one.
    let saved = std::fs::read_to_string(dir.path().join("responsibilities.ron")).unwrap();
    let doc_text = app
        .world()
        .resource::<Authoring>()
        .doc
        .as_ref()
        .unwrap()
        .text()
        .to_owned();
    assert_eq!(saved, doc_text);
}

/// An editor beside the app saves the plan: with no unsaved edits here, the app takes the new
/// file in and grades every script under it, with no input from the author.
#[test]
fn a_plan_saved_by_another_editor_is_taken_in_and_graded() {
    let dir = folder();
    let mut app = headless_app();
    send(&mut app, AuthorAction::Open(dir.path().to_path_buf()));
    assert!(graded(&mut app).iter().all(|c| !c.changed()));
    let path = dir.path().join("responsibilities.ron");
    let moved = std::fs::read_to_string(&path).unwrap().replacen(
        r#"responsible: ["soc"], accountable: "soc", consulted: ["it_ops"],"#,
        r#"responsible: ["it_ops"], accountable: "soc", consulted: ["it_ops"],"#,
        1,
    );
    std::fs::write(&path, &moved).unwrap();
    for _ in 0..500 {
        app.update();
        let authoring = app.world().resource::<Authoring>();
        let doc = authoring.doc.as_ref().unwrap();
        if doc.text() == moved
            && let Preview::Ready(changes) = &doc.preview
        {
            let exemplary = changes
                .iter()
                .find(|c| c.script == "exemplary.ron")
                .unwrap();
            assert!(exemplary.after.as_ref().unwrap().total < 100);
            assert!(!doc.is_dirty());
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    panic!("the plan saved outside the app was never taken in");
}
