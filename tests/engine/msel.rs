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
