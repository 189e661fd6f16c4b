//! A scenario as a master scenario events list: one row per inject in release order, and the
//! expected actions filled from the plan, so that two plans give two MSELs that differ there only.

use std::path::Path;
use std::sync::Arc;

use warroom::cli::{Command, ExportCommand};
use warroom::engine::Matrix;
use warroom::engine::content::library::{load_matrix, load_scenario};
use warroom::interop::msel::{EXPECTED_ACTIONS, export_csv, export_workbook, msel_table};
use warroom::interop::workbook::read_xlsx;

use crate::support::{exec_with_shipped_matrix as exec, matrix, root, scenario, scenarios_dir};

fn organisation() -> Arc<Matrix> {
    load_matrix(&root().join("tests/fixtures/plans/northwind-water.ron"))
        .unwrap()
        .matrix
}

#[test]
fn the_msel_lists_injects_in_release_order_with_what_the_plan_expects() {
    let ransomware = scenario("ransomware-file-server");
    let csv = export_csv(&ransomware, &matrix());
    insta::assert_snapshot!("msel_ransomware_reference", csv);
    let (header, rows) = msel_table(&ransomware, &matrix());
    assert_eq!(header[EXPECTED_ACTIONS], "Expected actions");
    assert_eq!(rows.len(), ransomware.injects.len());
    // Timed injects keep their minutes in order; the consequence of a wipe follows the inject
    // that offers the wipe.
    let ids: Vec<&str> = rows.iter().map(|r| r[1].as_str()).collect();
    let at = |id: &str| ids.iter().position(|x| *x == id).unwrap();
    assert!(at("alert") < at("ransom-note"));
    assert_eq!(at("evidence-gone"), at("ransom-note") + 1, "{ids:?}");
    assert!(at("ransom-note") < at("business-call"));
    // The plan's answer for isolating the server, in words.
    let first = &rows[0][EXPECTED_ACTIONS];
    assert!(
        first.contains(
            "(Isolate a host): IT Operations does it; Incident Response Manager answers for it"
        ),
        "{first}"
    );
    assert!(!first.contains("ir_manager"), "ids leak into {first}");
}

#[test]
fn two_plans_give_msels_that_differ_in_the_expected_actions_only() {
    let reference = matrix();
    let northwind = organisation();
    let mut differing = 0;
    for entry in std::fs::read_dir(scenarios_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|x| x != "ron")
            || !std::fs::read_to_string(&path)
                .unwrap()
                .contains("Scenario(")
        {
            continue;
        }
        let a = load_scenario(&path, &reference).unwrap().scenario;
        let b = load_scenario(&path, &northwind).unwrap().scenario;
        let (_, rows_a) = msel_table(&a, &reference);
        let (_, rows_b) = msel_table(&b, &northwind);
        assert_eq!(rows_a.len(), rows_b.len());
        for (ra, rb) in rows_a.iter().zip(&rows_b) {
            for (column, (x, y)) in ra.iter().zip(rb).enumerate() {
                if column == EXPECTED_ACTIONS {
                    differing += usize::from(x != y);
                } else {
                    assert_eq!(x, y, "{} column {column}", path.display());
                }
            }
        }
    }
    // Northwind's SOC isolates hosts and its DPO files with the regulator.
    assert!(differing > 3, "{differing}");
}

#[test]
fn the_msel_workbook_holds_the_brief_and_every_artifact_in_full() {
    let ransomware = scenario("ransomware-file-server");
    let bytes = export_workbook(&ransomware, &matrix()).unwrap();
    assert_eq!(export_workbook(&ransomware, &matrix()).unwrap(), bytes);
    let sheets = read_xlsx(Path::new("msel.xlsx"), &bytes, |_| true).unwrap();
    let names: Vec<&str> = sheets.iter().map(|s| s.name.as_deref().unwrap()).collect();
    assert_eq!(names, ["MSEL", "Scenario", "Artifacts"]);
    let artifacts = ransomware
        .injects
        .iter()
        .map(|i| i.artifacts.len())
        .sum::<usize>();
    assert_eq!(sheets[2].rows.len(), artifacts + 1);
    // The MSEL sheet's header sits under a title row and names the plan.
    assert!(sheets[0].rows[0].get(0).contains("Warroom reference"));
    assert_eq!(sheets[0].rows[1].get(EXPECTED_ACTIONS), "Expected actions");

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("msel.xlsx");
    let (code, stdout, err) = exec(&Command::Export(ExportCommand::Msel {
        scenario: "ransomware-file-server".into(),
        output: Some(out.clone()),
    }));
    assert_eq!(code, 0, "{err}");
    assert!(
        stdout.contains("injects of `ransomware-file-server`"),
        "{stdout}"
    );
    assert_eq!(std::fs::read(&out).unwrap(), bytes);
}

mod reading {
    use std::path::Path;

    use warroom::engine::content::library::load_scenario;
    use warroom::engine::model::scenario::Release;
    use warroom::interop::msel::{export_csv, export_workbook};
    use warroom::interop::msel_import::{MselOptions, builtin_map, import_msel, parse_time};

    use crate::support::{matrix, root, scenarios_dir};

    #[test]
    fn times_are_read_as_msels_write_them() {
        let cases = [
            ("T+15", None, Some(15)),
            ("+15", None, Some(15)),
            ("15", None, Some(15)),
            ("T+1:30", None, Some(90)),
            ("D+1 H+2 M+30", None, Some(1590)),
            ("00:15", None, Some(15)),
            ("09:15", Some(9 * 60), Some(15)),
            ("08:15", Some(9 * 60), Some(23 * 60 + 15)),
            ("Day 2 09:15", Some(9 * 60), Some(1455)),
            ("T+00 (Wed 14:02)", None, Some(0)),
            ("", None, None),
        ];
        for (text, start, expected) in cases {
            assert_eq!(parse_time(text, start).unwrap(), expected, "{text}");
        }
        assert!(parse_time("soon", None).unwrap_err().contains("T+15"));
        assert!(parse_time("Day 2 09:15", None).is_err());
    }

    #[test]
    fn every_shipped_scenario_comes_back_from_its_msel_workbook() {
        let map = builtin_map("warroom").unwrap();
        let mut checked = 0;
        for entry in std::fs::read_dir(scenarios_dir()).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|x| x != "ron")
                || !std::fs::read_to_string(&path)
                    .unwrap()
                    .contains("Scenario(")
            {
                continue;
            }
            let scenario = load_scenario(&path, &matrix()).unwrap().scenario;
            let bytes = export_workbook(&scenario, &matrix()).unwrap();
            let back = import_msel(
                Path::new("msel.xlsx"),
                &bytes,
                &map,
                &matrix(),
                &MselOptions::default(),
            )
            .unwrap_or_else(|e| panic!("{}: {e:#?}", path.display()));
            assert_eq!(
                serde_json::to_value(&back.scenario).unwrap(),
                serde_json::to_value(&*scenario).unwrap(),
                "{}",
                path.display()
            );
            // What it writes is a scenario file that loads as the same scenario.
            let dir = tempfile::tempdir().unwrap();
            let written = dir.path().join("back.ron");
            std::fs::write(&written, &back.text).unwrap();
            let reloaded = load_scenario(&written, &matrix()).unwrap().scenario;
            assert_eq!(
                serde_json::to_value(&*reloaded).unwrap(),
                serde_json::to_value(&*scenario).unwrap()
            );
            checked += 1;
        }
        assert!(checked >= 12, "{checked}");
    }

    #[test]
    fn what_a_spreadsheet_edits_in_the_visible_columns_comes_back() {
        let ransomware = crate::support::scenario("ransomware-file-server");
        let csv = export_csv(&ransomware, &matrix());
        let mut rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(csv.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect();
        let business = rows.iter_mut().find(|r| r[1] == "business-call").unwrap();
        business[2] = "T+22".into();
        business[3] = "Operations asks, again, about downtime".into();
        let mut writer = csv::Writer::from_writer(Vec::new());
        for row in &rows {
            writer.write_record(row).unwrap();
        }
        let edited = writer.into_inner().unwrap();
        let back = import_msel(
            Path::new("msel.csv"),
            &edited,
            &builtin_map("warroom").unwrap(),
            &matrix(),
            &MselOptions::default(),
        )
        .unwrap();
        let call = back
            .scenario
            .injects
            .iter()
            .find(|i| i.id.as_str() == "business-call")
            .unwrap();
        assert_eq!(call.release, Release::At(22));
        assert_eq!(call.title, "Operations asks, again, about downtime");
        let original = ransomware.inject("business-call").unwrap();
        assert_eq!(
            serde_json::to_value(&call.decisions).unwrap(),
            serde_json::to_value(&original.decisions).unwrap()
        );
    }

    #[test]
    fn an_hseep_style_msel_becomes_a_skeleton_with_the_plans_tasks() {
        let path = root().join("tests/fixtures/msel/clinic-ransomware-hseep.csv");
        let bytes = std::fs::read(&path).unwrap();
        let imported = import_msel(
            &path,
            &bytes,
            &builtin_map("hseep").unwrap(),
            &matrix(),
            &MselOptions {
                id: Some("clinic-ransomware".into()),
                ..MselOptions::default()
            },
        )
        .unwrap();
        let scenario = &imported.scenario;
        assert_eq!(scenario.id.as_str(), "clinic-ransomware");
        let ids: Vec<&str> = scenario.injects.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                // Ids are made of titles, at most 40 characters.
                "encryption-alert-on-the-records-file-ser",
                "front-desk-cannot-open-patient-letters",
                "ransom-note-on-every-share",
                "a-local-reporter-calls",
            ]
        );
        let alert = &scenario.injects[0];
        assert_eq!(alert.to[0].as_str(), "soc");
        let tasks: Vec<&str> = alert.decisions[0]
            .actions
            .iter()
            .map(|a| a.task.as_str())
            .collect();
        assert_eq!(tasks, ["triage_alert", "isolate_host"]);
        // "All" is the whole room; `00:45` is 45 minutes in.
        assert!(scenario.injects[2].to.is_empty());
        assert_eq!(scenario.injects[3].release, Release::At(45));
        assert_eq!(scenario.injects[3].to[0].as_str(), "pr_comms");
        // What matches no task stays with the facilitator, and is said.
        assert!(
            scenario.injects[2]
                .facilitator_notes
                .contains("Expected: Call the press office")
        );
        let warning = imported
            .warnings
            .iter()
            .find(|d| d.code == "unknown-task")
            .unwrap();
        assert!(!warning.is_error());
        // Section rows are kept as comments, and the skeleton validates as a scenario.
        assert!(
            imported
                .text
                .contains("// Module 2: Escalation and outside parties")
        );
        let problems = warroom::engine::content::validate::validate_scenario(
            scenario,
            &matrix(),
            Path::new("clinic.ron"),
            &imported.text,
        );
        assert!(problems.iter().all(|d| !d.is_error()), "{problems:#?}");
        assert_eq!(scenario.duration_mins, 60);
    }
}
