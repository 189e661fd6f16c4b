//! The Author document's tests: edits, undo, saving and the grading preview, headless.

use super::{AuthorDoc, Preview};
use crate::engine::reports::compare::SOLVED_SCRIPT;
use crate::engine::scoring::FindingKind;

/// A content folder of the reference plan, the ransomware scenario and two of its scripts.
pub(crate) fn folder() -> tempfile::TempDir {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let copy = |from: &str, to: &str| {
        let to = dir.path().join(to);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(root.join(from), to).unwrap();
    };
    copy("scenarios/responsibilities.ron", "responsibilities.ron");
    copy(
        "scenarios/ransomware-file-server.ron",
        "ransomware-file-server.ron",
    );
    for script in ["exemplary.ron", "legal-too-late.ron"] {
        copy(
            &format!("tests/fixtures/decisions/ransomware-file-server/{script}"),
            &format!("decisions/{script}"),
        );
    }
    dir
}

fn task(doc: &AuthorDoc, id: &str) -> usize {
    doc.matrix()
        .tasks
        .iter()
        .position(|t| t.id.as_str() == id)
        .unwrap()
}

fn graded_now(doc: &mut AuthorDoc) -> Vec<crate::engine::reports::compare::GradeChange> {
    while let Some(job) = doc.grading_job() {
        doc.graded(job.run());
    }
    match &doc.preview {
        Preview::Ready(changes) => changes.clone(),
        other => panic!("no preview: {other:?}"),
    }
}

#[test]
fn moving_an_r_shows_the_new_deduction_and_undo_takes_it_back() {
    let dir = folder();
    let mut doc = AuthorDoc::open(dir.path()).unwrap();
    assert_eq!(doc.errors(), 0, "{:?}", doc.diagnostics());
    let opened = graded_now(&mut doc);
    assert_eq!(opened.len(), 2);
    assert!(opened.iter().all(|c| !c.changed()));

    let triage = task(&doc, "triage_alert");
    doc.set_cell(triage, "soc", &["A"]);
    doc.set_cell(triage, "it_ops", &["R", "C"]);
    assert!(doc.is_dirty());
    let after = graded_now(&mut doc);
    let exemplary = after.iter().find(|c| c.script == "exemplary.ron").unwrap();
    assert!(exemplary.changed());
    let (Ok(before), Ok(now)) = (&exemplary.before, &exemplary.after) else {
        panic!("the exemplary run stopped playing");
    };
    assert_eq!(before.total, 100);
    assert!(now.total < 100);
    assert!(
        exemplary
            .only_after
            .iter()
            .any(|f| f.kind == FindingKind::Deduction && f.rule == "raci:triage_alert")
    );

    assert!(doc.undo() && doc.undo());
    assert!(!doc.is_dirty());
    assert_eq!(doc.matrix().tasks[triage].raci_codes("soc"), "A/R");
    assert!(graded_now(&mut doc).iter().all(|c| !c.changed()));
    assert!(doc.redo());
    assert_eq!(doc.matrix().tasks[triage].raci_codes("soc"), "A");
}

#[test]
fn a_folder_without_scripts_previews_a_solved_play_and_says_what_an_edit_makes_impossible() {
    let dir = folder();
    std::fs::remove_dir_all(dir.path().join("decisions")).unwrap();
    let mut doc = AuthorDoc::open(dir.path()).unwrap();
    let opened = graded_now(&mut doc);
    assert_eq!(opened.len(), 1);
    assert_eq!(opened[0].script, SOLVED_SCRIPT);
    assert_eq!(opened[0].before.as_ref().unwrap().total, 100);
    let reach = doc.reach.clone().unwrap();
    assert_eq!((reach[0].lowest, reach[0].highest), (0, 100));

    // IT Operations must now sign off its own firewall change: the solved play loses the
    // approval, and the reach says no play can keep it.
    let firewall = task(&doc, "change_firewall_rule");
    let held = doc.matrix().tasks[firewall].raci_codes("it_ops");
    let mut codes: Vec<&str> = held.split('/').collect();
    codes.push("S");
    doc.set_cell(firewall, "it_ops", &codes);
    assert_eq!(doc.errors(), 0, "{:?}", doc.diagnostics());
    let after = graded_now(&mut doc);
    let now = after[0].after.as_ref().unwrap();
    assert!(now.total < 100);
    assert!(
        after[0]
            .only_after
            .iter()
            .any(|f| f.kind == FindingKind::Deduction && f.rule == "sod:change_firewall_rule"),
        "{:?}",
        after[0].only_after
    );
    let reach = doc.reach.clone().unwrap();
    assert!(reach[0].highest < 100);
    assert!(
        reach[0]
            .short_of_100
            .iter()
            .any(|w| w.contains("its own work")),
        "{:?}",
        reach[0].short_of_100
    );

    // Saved, the plan is the new "before": the play is solved again under it.
    doc.save().unwrap();
    let saved = graded_now(&mut doc);
    assert!(saved.iter().all(|c| !c.changed()));
}

#[test]
fn a_task_left_without_accountable_is_an_error_and_blocks_the_preview() {
    let dir = folder();
    let mut doc = AuthorDoc::open(dir.path()).unwrap();
    let triage = task(&doc, "triage_alert");
    doc.cycle_cell(triage, "soc");
    assert_eq!(doc.matrix().tasks[triage].raci_codes("soc"), "C");
    assert!(doc.errors() > 0);
    assert!(matches!(doc.preview, Preview::Blocked));
    assert!(doc.grading_job().is_none());
}

#[test]
fn saving_writes_what_validate_reads_back_and_becomes_the_new_before() {
    let dir = folder();
    let mut doc = AuthorDoc::open(dir.path()).unwrap();
    let triage = task(&doc, "triage_alert");
    doc.set_cell(triage, "it_ops", &["C", "I"]);
    doc.save().unwrap();
    assert!(!doc.is_dirty());
    let written = std::fs::read_to_string(dir.path().join("responsibilities.ron")).unwrap();
    assert_eq!(written, doc.text());
    let reopened = AuthorDoc::open(dir.path()).unwrap();
    assert_eq!(reopened.matrix().tasks[triage].raci_codes("it_ops"), "C/I");
    assert!(graded_now(&mut doc).iter().all(|c| !c.changed()));
}

/// The ransomware scenario's file in `dir`.
fn ransomware(dir: &tempfile::TempDir) -> std::path::PathBuf {
    dir.path().join("ransomware-file-server.ron")
}

#[test]
fn an_option_given_another_task_in_the_forms_regrades_the_scripts_and_undo_takes_it_back() {
    use crate::app::author::ScenarioEdit;
    let dir = folder();
    let mut doc = AuthorDoc::open(dir.path()).unwrap();
    assert!(graded_now(&mut doc).iter().all(|c| !c.changed()));
    let file = ransomware(&dir);
    let scenario = doc.scenario(&file).unwrap().clone();
    let (index, mut inject) = scenario
        .injects
        .iter()
        .enumerate()
        .find(|(_, i)| {
            i.decisions
                .iter()
                .any(|d| d.actions.iter().any(|a| a.id.as_str() == "isolate-fs01"))
        })
        .map(|(n, i)| (n, i.clone()))
        .unwrap();
    // Isolating FS-01 written up as a reimage: the exemplary run now wipes the server unimaged.
    for option in inject
        .decisions
        .iter_mut()
        .flat_map(|d| d.actions.iter_mut())
    {
        if option.id.as_str() == "isolate-fs01" {
            option.task = "reimage_host".into();
        }
    }
    doc.edit_scenario(
        &file,
        &ScenarioEdit::ReplaceInject {
            index,
            inject: Box::new(inject),
        },
    )
    .unwrap();
    assert!(doc.is_dirty() && !doc.plan_is_dirty());
    assert_eq!(doc.errors(), 0, "{:?}", doc.diagnostics());
    let after = graded_now(&mut doc);
    let exemplary = after.iter().find(|c| c.script == "exemplary.ron").unwrap();
    assert!(exemplary.changed());
    assert!(
        exemplary
            .only_after
            .iter()
            .any(|f| f.kind == FindingKind::Deduction && f.rule.starts_with("evidence:")),
        "{:?}",
        exemplary.only_after
    );

    assert!(doc.undo());
    assert!(!doc.is_dirty());
    assert!(graded_now(&mut doc).iter().all(|c| !c.changed()));
    assert!(doc.redo());
    assert!(doc.is_dirty());

    // Saved, the file reads back as the edited scenario and validates under the plan.
    doc.save().unwrap();
    assert!(!doc.is_dirty());
    let library = crate::engine::content::library::Library::load(
        &[dir.path().to_path_buf()],
        &dir.path().join("responsibilities.ron"),
    );
    assert!(library.diagnostics().iter().all(|d| !d.is_error()));
    let saved = library.scenarios.iter().find(|s| s.path == file).unwrap();
    let (_, _, isolate) = saved.scenario.action("isolate-fs01").unwrap();
    assert_eq!(isolate.task.as_str(), "reimage_host");
}

#[test]
fn deleting_an_inject_and_adding_one_are_undoable_edits() {
    use crate::app::author::ScenarioEdit;
    let dir = folder();
    let mut doc = AuthorDoc::open(dir.path()).unwrap();
    let file = ransomware(&dir);
    let count = doc.scenario(&file).unwrap().injects.len();
    doc.edit_scenario(&file, &ScenarioEdit::AddInject).unwrap();
    assert_eq!(doc.scenario(&file).unwrap().injects.len(), count + 1);
    let added = doc.scenario(&file).unwrap().injects.last().unwrap().clone();
    assert!(
        doc.scenario(&file)
            .unwrap()
            .injects
            .iter()
            .filter(|i| i.id == added.id)
            .count()
            == 1
    );
    doc.edit_scenario(&file, &ScenarioEdit::DeleteInject { index: 0 })
        .unwrap();
    assert_eq!(doc.scenario(&file).unwrap().injects.len(), count);
    assert!(doc.undo() && doc.undo());
    assert_eq!(doc.scenario(&file).unwrap().injects.len(), count);
    assert!(!doc.is_dirty());
}

#[test]
fn a_new_scenario_from_the_template_validates_under_the_plan() {
    let dir = folder();
    let mut doc = AuthorDoc::open(dir.path()).unwrap();
    let first = doc.new_scenario().unwrap();
    let second = doc.new_scenario().unwrap();
    assert_ne!(first, second, "a second one does not overwrite the first");
    assert_eq!(doc.newest_scenario.as_ref(), Some(&second));
    for file in [&first, &second] {
        assert!(file.exists());
        assert!(
            doc.diagnostics()
                .iter()
                .filter(|d| d.file == *file)
                .all(|d| !d.is_error()),
            "{:?}",
            doc.diagnostics()
        );
        let scenario = doc.scenario(file).unwrap();
        assert_eq!(scenario.injects.len(), 1);
        assert_eq!(scenario.injects[0].decisions[0].actions.len(), 1);
    }
    // Its first option is work the plan gives someone, graded like any other.
    let reach = {
        while let Some(job) = doc.grading_job() {
            doc.graded(job.run());
        }
        doc.reach.clone().unwrap()
    };
    let new = reach
        .iter()
        .find(|r| first.ends_with(format!("{}.ron", r.scenario)))
        .unwrap();
    assert_eq!((new.lowest, new.highest), (0, 100), "{new:?}");
}
