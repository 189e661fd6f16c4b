//! One scenario, many organisations: role aliases let content written for the reference roles play
//! under a plan that cuts them otherwise, and `derive` makes such a plan, naming every conflict
//! the merge creates and every patch entry that no longer applies to a newer base.

use std::path::Path;
use std::sync::Arc;

use warroom::cli::{Command, DeriveCommand, Format};
use warroom::engine::content::derive::derive;
use warroom::engine::content::library::{load_matrix, load_scenario};
use warroom::engine::content::load::Source;
use warroom::engine::content::script::{self, Decisions};
use warroom::engine::content::validate::validate_matrix;
use warroom::engine::model::patch::{MatrixPatch, Merge};
use warroom::engine::{Matrix, Session};

use crate::support::{exec_with_shipped_matrix as exec, fixtures_dir, matrix, root, scenarios_dir};

/// Legal and Communications one desk, the SOC running its own incidents.
fn merged_desks() -> Arc<Matrix> {
    load_matrix(&root().join("tests/fixtures/plans/merged-desks.ron"))
        .unwrap()
        .matrix
}

fn scenario_files() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(scenarios_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "ron")
                && Source::read(p).unwrap().text.contains("Scenario(")
                && !p.ends_with("responsibilities.ron")
        })
        .collect();
    files.sort();
    files
}

#[test]
fn every_shipped_scenario_and_fixture_plays_unedited_under_a_plan_of_merged_desks() {
    let plan = merged_desks();
    let aliases = ["legal", "pr_comms", "ir_manager"];
    for alias in aliases {
        assert!(
            plan.role(alias).is_none(),
            "{alias} is an alias, not a role"
        );
    }
    let files = scenario_files();
    assert!(files.len() >= 12, "{files:?}");
    let mut scripts = 0;
    for file in files {
        let loaded = load_scenario(&file, &plan)
            .unwrap_or_else(|e| panic!("{} under merged desks: {e:#?}", file.display()));
        let scenario = loaded.scenario;
        // One seat per real role: no alias, no role twice.
        let cast: Vec<&str> = scenario
            .cast
            .iter()
            .map(warroom::engine::model::id::RoleId::as_str)
            .collect();
        let unique: std::collections::BTreeSet<&str> = cast.iter().copied().collect();
        assert_eq!(unique.len(), cast.len(), "{}: {cast:?}", scenario.id);
        assert!(cast.iter().all(|r| plan.role(r).is_some()), "{cast:?}");
        let session = Session::new(scenario.clone(), plan.clone(), 1);
        let seats: Vec<String> = warroom::engine::room::Seat::per_role(&session)
            .into_iter()
            .map(|s| s.id)
            .collect();
        let unique_seats: std::collections::BTreeSet<&String> = seats.iter().collect();
        assert_eq!(unique_seats.len(), seats.len(), "{seats:?}");
        assert!(
            seats.iter().all(|s| !aliases.contains(&s.as_str())),
            "{seats:?}"
        );
        for entry in std::fs::read_dir(fixtures_dir().join(scenario.id.as_str())).unwrap() {
            let path = entry.unwrap().path();
            let source = Source::read(&path).unwrap();
            let decisions: Decisions = source.parse_under(&plan).unwrap();
            let seed = decisions.seed.unwrap_or(0);
            if let Err(problems) =
                script::run(scenario.clone(), plan.clone(), &decisions, seed, &source)
            {
                panic!("{} refused steps: {problems:#?}", path.display());
            }
            scripts += 1;
        }
    }
    assert!(scripts >= 80, "{scripts}");
}

#[test]
fn a_log_that_names_a_role_by_its_alias_replays_as_the_role() {
    let plan = merged_desks();
    let file = scenarios_dir().join("customer-data-exfiltration.ron");
    let scenario = load_scenario(&file, &plan).unwrap().scenario;
    let path = fixtures_dir().join("customer-data-exfiltration/exemplary.ron");
    let source = Source::read(&path).unwrap();
    let decisions: Decisions = source.parse_under(&plan).unwrap();
    let seed = decisions.seed.unwrap_or(0);
    let session = script::run(scenario.clone(), plan.clone(), &decisions, seed, &source).unwrap();
    let log = ron::to_string(session.log()).unwrap();
    assert!(log.contains("\"comms_legal\""));
    // The same log as a tool that knows only the old names would write it.
    let by_alias = log.replace("\"comms_legal\"", "\"legal\"");
    let reread: warroom::engine::SessionLog = ron::from_str(&by_alias).unwrap();
    let replayed = Session::replay(scenario, plan, &reread).unwrap();
    assert_eq!(
        warroom::engine::score(&replayed).total,
        warroom::engine::score(&session).total
    );
}

#[test]
fn derive_names_every_conflict_the_merge_creates_and_a_naive_merge_is_caught_too() {
    let base = matrix();
    let patch = MatrixPatch {
        id: "one-desk".into(),
        merges: vec![Merge {
            roles: vec!["legal".into(), "pr_comms".into()],
            into: "comms_legal".into(),
            ..Merge::default()
        }],
        ..MatrixPatch::default()
    };
    let derived = derive(&base, &patch);
    let open: Vec<&str> = derived
        .conflicts
        .iter()
        .filter(|c| !c.fixed)
        .map(|c| c.place.as_str())
        .collect();
    // The desk would write and approve a public statement, and approve its own press releases.
    assert!(
        open.iter()
            .any(|p| p.starts_with("task `external_statement`")),
        "{open:?}"
    );
    assert!(
        open.iter().any(|p| p.starts_with("audience `media`")),
        "{open:?}"
    );
    let statement = derived
        .conflicts
        .iter()
        .find(|c| c.place.starts_with("task `external_statement`") && !c.fixed)
        .unwrap();
    assert!(
        statement.fix.contains("Business Leadership"),
        "{statement:?}"
    );
    // Cells doubled or told of their own work are settled in the plan, and said.
    assert!(derived.conflicts.iter().any(|c| c.fixed));
    let written = ron::ser::to_string_pretty(
        &derived.matrix,
        ron::ser::PrettyConfig::new().struct_names(true),
    )
    .unwrap();
    let problems = validate_matrix(&derived.matrix, Path::new("one-desk.ron"), &written);
    assert!(problems.iter().all(|d| !d.is_error()), "{problems:#?}");
    assert_eq!(derived.matrix.alias_map()["pr_comms"], "comms_legal");

    // The same merge by find-and-replace validates as a plan, but no longer silently.
    let text = std::fs::read_to_string(root().join("scenarios/responsibilities.ron")).unwrap();
    let start = text
        .find("        Role(\n            id: \"pr_comms\"")
        .unwrap();
    let end = start + text[start..].find("        ),\n").unwrap() + "        ),\n".len();
    let naive = format!("{}{}", &text[..start], &text[end..]).replace("\"pr_comms\"", "\"legal\"");
    let naive_matrix: Matrix = Source::from_text("naive.ron", &naive).parse().unwrap();
    let problems = validate_matrix(&naive_matrix, Path::new("naive.ron"), &naive);
    assert!(problems.iter().all(|d| !d.is_error()), "{problems:#?}");
    let codes: Vec<&str> = problems.iter().map(|d| d.code.as_str()).collect();
    assert!(codes.contains(&"doer-approves"), "{codes:?}");
    assert!(codes.contains(&"sender-approves"), "{codes:?}");
    assert!(codes.contains(&"overlapping-raci"), "{codes:?}");
}

#[test]
fn a_patch_reapplied_to_a_newer_base_keeps_its_changes_and_reports_each_stale_entry_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let base_text = std::fs::read_to_string(root().join("scenarios/responsibilities.ron")).unwrap();
    std::fs::write(dir.path().join("base.ron"), &base_text).unwrap();
    let patch_text = r#"MatrixPatch(
    base: "base.ron",
    id: "acme",
    merges: [
        Merge(roles: ["legal", "pr_comms"], into: "comms_legal", name: "Legal and Communications"),
    ],
    renames: [
        Rename(role: "soc", name: "Cyber Defence Centre", short: "CDC"),
        Rename(role: "bc_lead", name: "Resilience Office"),
    ],
    raci: [
        Raci(task: "isolate_host", role: "soc", codes: "R"),
        Raci(task: "shift_handover", role: "help_desk", codes: "I"),
    ],
)
"#;
    let patch_path = dir.path().join("acme.ron");
    std::fs::write(&patch_path, patch_text).unwrap();
    let first = load_matrix(&patch_path).unwrap();
    assert!(
        first.warnings.iter().all(|d| d.code != "stale-patch-entry"),
        "{:#?}",
        first.warnings
    );
    assert_eq!(first.matrix.role_name("soc"), "Cyber Defence Centre");

    // The base moves on: the business continuity lead and the shift handover task are gone.
    let mut newer: Matrix = Source::from_text("base.ron", &base_text).parse().unwrap();
    newer.roles.retain(|r| r.id.as_str() != "bc_lead");
    for task in &mut newer.tasks {
        for list in [
            &mut task.responsible,
            &mut task.consulted,
            &mut task.informed,
            &mut task.approvals,
            &mut task.approvals_any_of,
        ] {
            list.retain(|r| r.as_str() != "bc_lead");
        }
    }
    for level in &mut newer.escalation.severities {
        level.engage.retain(|r| r.as_str() != "bc_lead");
    }
    for rule in &mut newer.escalation.rules {
        rule.engage.retain(|r| r.as_str() != "bc_lead");
    }
    newer.tasks.retain(|t| t.id.as_str() != "shift_handover");
    for role in &mut newer.roles {
        role.decides.retain(|t| t.as_str() != "shift_handover");
    }
    let newer_text =
        ron::ser::to_string_pretty(&newer, ron::ser::PrettyConfig::new().struct_names(true))
            .unwrap();
    assert!(
        validate_matrix(&newer, Path::new("base.ron"), &newer_text)
            .iter()
            .all(|d| !d.is_error())
    );
    std::fs::write(dir.path().join("base.ron"), newer_text).unwrap();

    let again = load_matrix(&patch_path).unwrap();
    let stale: Vec<_> = again
        .warnings
        .iter()
        .filter(|d| d.code == "stale-patch-entry")
        .collect();
    let line_of = |needle: &str| patch_text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let lines: Vec<usize> = stale.iter().map(|d| d.line).collect();
    assert_eq!(
        lines,
        [line_of("bc_lead"), line_of("shift_handover")],
        "{stale:#?}"
    );
    assert!(stale[0].message.contains("bc_lead"), "{}", stale[0].message);
    // What still applies is kept.
    assert_eq!(again.matrix.role_name("soc"), "Cyber Defence Centre");
    assert!(again.matrix.role("comms_legal").is_some());
    let isolate = again.matrix.task("isolate_host").unwrap();
    assert!(isolate.responsible.iter().any(|r| r.as_str() == "soc"));
}

#[test]
fn the_command_line_derives_a_plan_that_loads_and_lists_its_conflicts() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("merged.ron");
    let (code, out, err) = exec(&Command::Derive(DeriveCommand::Matrix {
        patch: None,
        from: None,
        merges: vec!["legal,pr_comms=comms_legal".into(), "ir_manager=soc".into()],
        id: Some("merged".into()),
        output: Some(output.clone()),
        dry_run: false,
        format: Format::Json,
    }));
    assert_eq!(code, 0, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let conflicts = report["conflicts"].as_array().unwrap();
    assert!(
        conflicts
            .iter()
            .any(|c| c["fixed"] == false && c["fix"].as_str().unwrap().contains("drop")),
        "{report}"
    );
    assert_eq!(report["aliases"].as_array().unwrap().len(), 3);
    let written = load_matrix(&output).unwrap();
    assert_eq!(written.matrix.id, "merged");
    assert!(written.matrix.role("ir_manager").is_none());

    let (code, _, err) = exec(&Command::Derive(DeriveCommand::Matrix {
        patch: None,
        from: None,
        merges: vec!["legal pr_comms".into()],
        id: None,
        output: None,
        dry_run: true,
        format: Format::Text,
    }));
    assert_eq!(code, 2);
    assert!(err.contains("ROLES=DESK"), "{err}");
}
