//! `warroom diff`: what changing a plan or a scenario does to the RACI and to every script's grade.

use std::path::{Path, PathBuf};

use warroom::cli::{Command, DiffArgs, DiffFormat, EXIT_INVALID, EXIT_OK, EXIT_USAGE};
use warroom::cli::{EXIT_VERDICTS_CHANGED, run};

use crate::support::{fixtures_dir, matrix_path, play_saving_log, scenarios_dir};

fn diff(before: &Path, after: &Path, scripts: &str, format: DiffFormat) -> (u8, String, String) {
    let command = Command::Diff(DiffArgs {
        before: before.to_path_buf(),
        after: after.to_path_buf(),
        scenarios: Some(scenarios_dir()),
        scripts: vec![fixtures_dir().join(scripts)],
        format,
    });
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run(&command, Some(&matrix_path()), &mut out, &mut err);
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

/// The reference plan with `edit` made, written in `dir`.
fn edited_plan(dir: &Path, edit: impl FnOnce(&str) -> String) -> PathBuf {
    let path = dir.join("edited.ron");
    std::fs::write(
        &path,
        edit(&std::fs::read_to_string(matrix_path()).unwrap()),
    )
    .unwrap();
    path
}

/// Moving the R of "Triage an alert" from the SOC to IT Operations: the two cells that changed,
/// and every ransomware script that has the SOC triage now loses points for it, citing the task.
#[test]
fn moving_a_responsibility_names_the_cells_and_the_new_deduction_of_each_script() {
    let dir = tempfile::tempdir().unwrap();
    let moved = edited_plan(dir.path(), |plan| {
        plan.replacen(
            r#"responsible: ["soc"], accountable: "soc", consulted: ["it_ops"],"#,
            r#"responsible: ["it_ops"], accountable: "soc", consulted: ["it_ops"],"#,
            1,
        )
    });
    let (code, out, err) = diff(
        &matrix_path(),
        &moved,
        "ransomware-file-server",
        DiffFormat::Json,
    );
    assert_eq!(code, EXIT_VERDICTS_CHANGED, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let cells = json["plan"]["cells"].as_array().unwrap();
    let cell = |role: &str| {
        cells
            .iter()
            .find(|c| c["task"] == "triage_alert" && c["role"] == role)
            .unwrap_or_else(|| panic!("no change for {role} in {cells:?}"))
    };
    assert_eq!(
        (
            cell("soc")["before"].as_str(),
            cell("soc")["after"].as_str()
        ),
        (Some("A/R"), Some("A"))
    );
    assert_eq!(cell("it_ops")["after"], "R/C");
    assert_eq!(cells.len(), 2, "{cells:?}");
    let grades = json["grades"].as_array().unwrap();
    let exemplary = grades
        .iter()
        .find(|g| g["script"] == "exemplary.ron")
        .unwrap();
    assert_eq!(exemplary["before"]["total"], 100);
    assert!(exemplary["after"]["total"].as_u64().unwrap() < 100);
    let new_deduction = exemplary["only_after"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "deduction" && f["rule"] == "raci:triage_alert")
        .expect("the exemplary run's triage is now a deduction");
    assert!(
        new_deduction["citation"]
            .as_str()
            .unwrap()
            .contains("Turning raw signals into decisions"),
        "{new_deduction}"
    );
    assert!(
        exemplary["only_before"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["kind"] == "credit" && f["rule"] == "raci:triage_alert")
    );

    let (code, md, _) = diff(
        &matrix_path(),
        &moved,
        "ransomware-file-server",
        DiffFormat::Md,
    );
    assert_eq!(code, EXIT_VERDICTS_CHANGED);
    assert!(
        md.contains("| Triage an alert | Security Operations Center | A/R | A |"),
        "{md}"
    );
    assert!(
        md.contains("### ransomware-file-server · exemplary.ron: 100 → 9"),
        "{md}"
    );
}

/// A plan compared with itself changes nothing: exit 0, every script graded the same.
#[test]
fn the_same_plan_changes_no_verdict() {
    let (code, out, err) = diff(
        &matrix_path(),
        &matrix_path(),
        "ransomware-file-server",
        DiffFormat::Json,
    );
    assert_eq!(code, EXIT_OK, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["verdicts_changed"], false);
    assert!(json["plan"]["cells"].as_array().unwrap().is_empty());
    let grades = json["grades"].as_array().unwrap();
    assert!(grades.len() >= 5, "{grades:?}");
    for grade in grades {
        assert_eq!(grade["before"], grade["after"]);
        assert!(grade["only_after"].as_array().unwrap().is_empty());
    }
}

/// Tightening a notice deadline in a scenario: the inject is named as changed and a script that
/// told the executives at minute 17 is now late.
#[test]
fn a_scenario_edit_is_graded_against_its_scripts() {
    let dir = tempfile::tempdir().unwrap();
    let original = scenarios_dir().join("ransomware-file-server.ron");
    let tightened = dir.path().join("ransomware-file-server.ron");
    let text = std::fs::read_to_string(&original).unwrap();
    let edited = text.replacen(
        r#"notify: [Notification(audience: "executives", within_mins: 15)],"#,
        r#"notify: [Notification(audience: "executives", within_mins: 5)],"#,
        1,
    );
    assert_ne!(text, edited);
    std::fs::write(&tightened, edited).unwrap();
    let (code, out, err) = diff(
        &original,
        &tightened,
        "ransomware-file-server",
        DiffFormat::Json,
    );
    assert_eq!(code, EXIT_VERDICTS_CHANGED, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        json["injects"]["changed"],
        serde_json::json!(["ransom-note"])
    );
    let exemplary = json["grades"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["script"] == "exemplary.ron")
        .unwrap();
    assert!(
        exemplary["only_after"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["kind"] == "deduction" && f["dimension"] == "communication"),
        "{exemplary}"
    );
}

/// Broken input is a located error (exit 1); a plan against a scenario is a usage error (exit 2).
#[test]
fn invalid_or_mismatched_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let broken = edited_plan(dir.path(), |plan| {
        plan.replacen(r#"accountable: "soc""#, r#"accountable: "sco""#, 1)
    });
    let (code, _, err) = diff(
        &matrix_path(),
        &broken,
        "ransomware-file-server",
        DiffFormat::Md,
    );
    assert_eq!(code, EXIT_INVALID);
    assert!(err.contains("edited.ron:"), "{err}");
    let scenario = scenarios_dir().join("ransomware-file-server.ron");
    let (code, _, err) = diff(
        &matrix_path(),
        &scenario,
        "ransomware-file-server",
        DiffFormat::Md,
    );
    assert_eq!(code, EXIT_USAGE);
    assert!(err.contains("two plans or two scenarios"), "{err}");
}

/// A run records the plan it was graded under; replayed under an edited plan, the scorecard names
/// both and says the grades follow the plan in force now, never re-grading silently. Replayed
/// under the same plan, it says nothing of the kind.
#[test]
fn a_replay_under_another_plan_says_which_plan_recorded_it_and_which_grades_it() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("run.ron");
    let play = play_saving_log(
        "ransomware-file-server",
        fixtures_dir().join("ransomware-file-server/exemplary.ron"),
        &log,
    );
    let (mut out, mut err) = (Vec::new(), Vec::new());
    assert_eq!(
        run(&play, Some(&matrix_path()), &mut out, &mut err),
        EXIT_OK
    );
    let recorded: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let stamp = &recorded["graded_under"];
    assert_eq!(
        stamp["matrix_name"],
        "Warroom reference incident-response plan"
    );
    assert_eq!(stamp["matrix_digest"].as_str().unwrap().len(), 16);
    assert!(
        std::fs::read_to_string(&log)
            .unwrap()
            .contains("matrix_digest")
    );

    let replay = |matrix: &Path| {
        let command = Command::Replay {
            log: log.clone(),
            scenarios: Some(scenarios_dir()),
            format: warroom::cli::Format::Text,
        };
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = run(&command, Some(matrix), &mut out, &mut err);
        (code, String::from_utf8(out).unwrap())
    };
    let (code, same) = replay(&matrix_path());
    assert_eq!(code, EXIT_OK);
    assert!(!same.contains("recorded under"), "{same}");

    let moved = edited_plan(dir.path(), |plan| {
        plan.replacen(
            r#"name: "Warroom reference incident-response plan","#,
            r#"name: "Warroom reference incident-response plan", version: "2027.1","#,
            1,
        )
        .replacen(
            r#"responsible: ["soc"], accountable: "soc", consulted: ["it_ops"],"#,
            r#"responsible: ["it_ops"], accountable: "soc", consulted: ["it_ops"],"#,
            1,
        )
    });
    let (code, other) = replay(&moved);
    assert_eq!(code, EXIT_OK);
    let digest = stamp["matrix_digest"].as_str().unwrap();
    assert!(
        other.contains(&format!(
            "recorded under Warroom reference incident-response plan (digest {digest}), graded now under Warroom reference incident-response plan, version 2027.1 (digest "
        )),
        "{other}"
    );
    assert!(
        other.contains("the grades follow the plan in force now"),
        "{other}"
    );
}
