//! A plan as an Excel workbook and as a list of assignments: the round trip keeps the matrix (the
//! reference one and an organisation's), problems are located at their sheet and cell, and a
//! hostile file is refused quickly without being unpacked.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use warroom::cli::{Command, ExportCommand, Format, ImportCommand};
use warroom::engine::Matrix;
use warroom::engine::content::library::load_matrix;
use warroom::interop::plan_workbook::export_workbook;
use warroom::interop::raci::{Layout, export_csv, import_file, raci_table};
use warroom::interop::workbook::{SheetOut, read_xlsx, write_xlsx};

use crate::support::{exec_with_shipped_matrix as exec, matrix, root};

fn same_matrix(a: &Matrix, b: &Matrix) -> bool {
    serde_json::to_value(a).unwrap() == serde_json::to_value(b).unwrap()
}

/// An organisation's own plan: the reference with its SOC isolating hosts, its DPO filing with the
/// regulator and GRC kept informed of the timeline (made by editing an exported sheet).
fn organisation() -> Matrix {
    let path = root().join("tests/fixtures/plans/northwind-water.ron");
    (*load_matrix(&path).unwrap().matrix).clone()
}

/// Every sheet of a workbook as text, one `Sheet!A1 = value` line per filled cell.
fn dump(bytes: &[u8]) -> String {
    let sheets = read_xlsx(Path::new("plan.xlsx"), bytes, |_| true).unwrap();
    let mut out = String::new();
    for sheet in sheets {
        let name = sheet.name.unwrap();
        for row in &sheet.rows {
            for (column, text) in row.cells() {
                let cell = format!("{}{}", warroom::interop::column_letters(column), row.number);
                let _ = writeln!(out, "{name}!{cell} = {text}");
            }
        }
    }
    out
}

#[test]
fn a_workbook_export_imports_as_the_same_matrix_for_the_reference_and_an_organisation() {
    let reference = matrix();
    let bytes = export_workbook(&reference, Layout::Wide).unwrap();
    // Reruns give the same bytes; what the sheets hold is the golden file.
    assert_eq!(export_workbook(&reference, Layout::Wide).unwrap(), bytes);
    insta::assert_snapshot!("raci_workbook_reference", dump(&bytes));
    let sheets: Vec<String> = read_xlsx(Path::new("plan.xlsx"), &bytes, |_| true)
        .unwrap()
        .into_iter()
        .map(|s| s.name.unwrap())
        .collect();
    for expected in [
        "RACI",
        "Roles",
        "Severity levels",
        "Escalation rules",
        "Triggers",
        "Audiences",
        "Contacts",
        "Scoring",
        "Legend",
    ] {
        assert!(sheets.iter().any(|s| s == expected), "{sheets:?}");
    }
    for plan in [(*reference).clone(), organisation()] {
        for layout in [Layout::Wide, Layout::Long] {
            let bytes = export_workbook(&plan, layout).unwrap();
            let imported = import_file(Path::new("plan.xlsx"), &bytes, &plan).unwrap();
            assert!(imported.changes.is_empty(), "{:?}", imported.changes);
            assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
            assert!(
                same_matrix(&imported.matrix, &plan),
                "{} {layout:?}",
                plan.id
            );
            assert_eq!(export_workbook(&imported.matrix, layout).unwrap(), bytes);
            let csv = export_csv(&plan, layout);
            let imported = import_file(Path::new("plan.csv"), csv.as_bytes(), &plan).unwrap();
            assert!(
                same_matrix(&imported.matrix, &plan),
                "{} {layout:?}",
                plan.id
            );
            assert_eq!(export_csv(&imported.matrix, layout), csv);
        }
    }
}

#[test]
fn the_organisations_sheet_applied_to_the_reference_brings_its_changes_and_nothing_else() {
    let reference = matrix();
    let bytes = export_workbook(&organisation(), Layout::Wide).unwrap();
    let imported = import_file(Path::new("northwind.xlsx"), &bytes, &reference).unwrap();
    assert_eq!(
        imported.changes,
        [
            "task `document_timeline`: Informed nobody → grc",
            "task `isolate_host`: Responsible it_ops → it_ops, soc; Consulted soc → nobody",
            "task `notify_regulator`: Responsible legal → dpo; Consulted grc, dpo → grc",
        ]
    );
    // The legend names the plan the sheet came from.
    let [warning] = imported.warnings.as_slice() else {
        panic!("{:#?}", imported.warnings);
    };
    assert!(warning.message.contains("northwind-water"), "{warning}");
    assert!(!warning.is_error());
}

/// The reference RACI as a workbook with some cells replaced: `(task id, role id, text)`.
fn edited_workbook(edits: &[(&str, &str, &str)]) -> Vec<u8> {
    let reference = matrix();
    let (header, mut rows) = raci_table(&reference, Layout::Wide);
    for (task, role, text) in edits {
        let column = header
            .iter()
            .position(|h| h.ends_with(&format!("({role})")))
            .unwrap();
        let row = rows.iter_mut().find(|r| r[1] == *task).unwrap();
        (*text).clone_into(&mut row[column]);
    }
    write_xlsx(&[SheetOut {
        name: "RACI".into(),
        banner: vec![vec!["Our plan, as of March".into()]],
        header,
        rows,
        ..SheetOut::default()
    }])
    .unwrap()
}

#[test]
fn a_workbooks_problems_are_located_at_sheet_and_cell_with_a_suggestion() {
    // Row 1 is a title, row 2 the header: triage_alert is on row 3.
    let bytes = edited_workbook(&[
        ("triage_alert", "it_ops", "AR"),
        ("triage_alert", "ir_manager", "A"),
    ]);
    let problems = import_file(Path::new("plan.xlsx"), &bytes, &matrix()).unwrap_err();
    let (header, _) = raci_table(&matrix(), Layout::Wide);
    let letter = |role: &str| {
        warroom::interop::column_letters(
            header
                .iter()
                .position(|h| h.ends_with(&format!("({role})")))
                .unwrap(),
        )
    };
    let code = problems
        .iter()
        .find(|d| d.code == "unknown-cell-code")
        .unwrap();
    let expected = format!("{}3", letter("it_ops"));
    assert_eq!(code.cell.as_ref().unwrap().sheet, "RACI");
    assert_eq!(code.cell.as_ref().unwrap().cell, expected);
    assert_eq!(code.location(), format!("plan.xlsx:RACI!{expected}"));
    assert_eq!(code.hint.as_deref(), Some("did you mean `A/R`?"));
    let json = serde_json::to_value(code).unwrap();
    assert_eq!(json["cell"]["sheet"], "RACI");
    assert_eq!(json["cell"]["cell"], expected.as_str());
    // Two A's: SOC's A/R and the IR manager's A, both named.
    let two = problems
        .iter()
        .find(|d| d.code == "multiple-accountable")
        .unwrap();
    assert!(two.message.contains("soc"), "{two}");
    assert!(
        two.message
            .contains(&format!("ir_manager in {}3", letter("ir_manager"))),
        "{two}"
    );
}

#[test]
fn a_list_of_assignments_reads_like_the_grid() {
    let reference = matrix();
    let mut csv = export_csv(&reference, Layout::Long);
    // A row added by hand: the SOC now also does the isolating, role named by its short name.
    let short = reference.role("soc").unwrap().short.clone();
    let _ = writeln!(csv, "Contain,isolate_host,Isolate a host,{short},R,,,,,,");
    let imported = import_file(Path::new("plan.csv"), csv.as_bytes(), &reference).unwrap();
    assert_eq!(
        imported.changes,
        ["task `isolate_host`: Responsible it_ops → it_ops, soc"]
    );
    // A role that is none is named, with the one meant.
    let bad = csv.replace(&format!(",{short},R,"), ",Secruity Operations Center,R,");
    let problems = import_file(Path::new("plan.csv"), bad.as_bytes(), &reference).unwrap_err();
    assert_eq!(problems[0].code, "unknown-role");
    assert!(
        problems[0]
            .hint
            .as_deref()
            .unwrap_or_default()
            .contains("Security Operations Center"),
        "{problems:#?}"
    );
}

/// A zip archive of `(name, bytes)` parts.
fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in parts {
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// The smallest workbook calamine opens, with `sheet` as its one worksheet's XML.
fn tiny_workbook(sheet: &str) -> Vec<u8> {
    let content_types = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let workbook = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="RACI" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    let workbook_rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
    zip_of(&[
        ("[Content_Types].xml", content_types.as_bytes()),
        ("_rels/.rels", rels.as_bytes()),
        ("xl/workbook.xml", workbook.as_bytes()),
        ("xl/_rels/workbook.xml.rels", workbook_rels.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ])
}

#[test]
fn a_workbook_naming_far_corners_is_read_without_a_dense_grid() {
    // calamine#693: a used range from A1 to the last cell a sheet can have, in a couple of KB.
    let sheet = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Task id</t></is></c></row><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>"#;
    let bytes = tiny_workbook(sheet);
    assert!(bytes.len() < 4096, "{}", bytes.len());
    let started = Instant::now();
    let problems = import_file(Path::new("corner.xlsx"), &bytes, &matrix()).unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(1));
    // The far cell is a task row with no id of its own: located where it stands.
    assert!(
        problems
            .iter()
            .any(|d| d.cell.as_ref().is_some_and(|c| c.cell == "A1048576")),
        "{problems:#?}"
    );
}

#[test]
fn a_workbook_that_would_unpack_past_the_limit_is_refused_before_it_is_parsed() {
    // 80 MiB of one byte deflates to well under the 4 MiB file limit.
    let padding = vec![b' '; 80 * 1024 * 1024];
    let bomb = zip_of(&[("xl/sharedStrings.xml", &padding)]);
    assert!(bomb.len() < 4 * 1024 * 1024);
    let started = Instant::now();
    let problems = import_file(Path::new("bomb.xlsx"), &bomb, &matrix()).unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(problems[0].code, "unsafe-workbook");
    assert!(problems[0].message.contains("unpack"), "{problems:#?}");

    // A part that lies about its size: the declared 1 KiB becomes 1 MiB.
    let mut liar = zip_of(&[("xl/sharedStrings.xml", &padding[..1024 * 1024])]);
    let declared_1k = 1024u32.to_le_bytes();
    for (signature, offset) in [(b"PK\x03\x04", 22), (b"PK\x01\x02", 24)] {
        let at = liar.windows(4).position(|w| w == signature).unwrap();
        liar[at + offset..at + offset + 4].copy_from_slice(&declared_1k);
    }
    let problems = import_file(Path::new("liar.xlsx"), &liar, &matrix()).unwrap_err();
    assert_eq!(problems[0].code, "unsafe-workbook");

    // Not a zip at all.
    let problems = import_file(Path::new("text.xlsx"), b"Task id,soc\n", &matrix()).unwrap_err();
    assert_eq!(problems[0].code, "unsafe-workbook");
}

#[test]
fn a_sheet_of_more_cells_than_any_plan_is_refused() {
    let row = "x,".repeat(999) + "x\n";
    let csv = row.repeat(101);
    let problems = import_file(Path::new("huge.csv"), csv.as_bytes(), &matrix()).unwrap_err();
    assert_eq!(problems[0].code, "too-many-cells");
}

#[test]
fn the_command_line_writes_a_workbook_and_reads_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("plan.xlsx");
    let (code, out, err) = exec(&Command::Export(ExportCommand::Raci {
        output: Some(xlsx.clone()),
        layout: Layout::Wide,
    }));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("47 tasks") || out.contains("tasks of matrix"),
        "{out}"
    );
    let (code, out, err) = exec(&Command::Import(ImportCommand::Raci {
        file: xlsx,
        base: Some(root().join("tests/fixtures/plans/northwind-water.ron")),
        output: None,
        dry_run: true,
        format: Format::Json,
    }));
    assert_eq!(code, 0, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    // The reference sheet undoes the organisation's three changes, and says where it came from.
    assert_eq!(report["changes"].as_array().unwrap().len(), 3, "{report}");
    assert_eq!(report["diagnostics"][0]["level"], "warning", "{report}");
    assert_eq!(report["diagnostics"][0]["cell"]["sheet"], "Legend");
    // Neither CSV nor a workbook.
    let (code, _, err) = exec(&Command::Export(ExportCommand::Raci {
        output: Some(dir.path().join("plan.ods")),
        layout: Layout::Wide,
    }));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(".xlsx"), "{err}");
}

#[test]
fn a_partial_sheet_made_by_hand_in_a_spreadsheet_program_edits_just_its_cells() {
    // Typed as a trainer would (a title row, short role names, a lower-case code, five roles of
    // thirty) and saved by LibreOffice Calc as xlsx; the CSV is the same sheet as typed.
    let reference = matrix();
    let mut results = Vec::new();
    for file in ["acme-raci.csv", "acme-raci.xlsx"] {
        let path = root().join("tests/fixtures/plans").join(file);
        let bytes = std::fs::read(&path).unwrap();
        let imported = import_file(&path, &bytes, &reference).unwrap();
        assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
        results.push(imported);
    }
    assert_eq!(results[0].changes, results[1].changes);
    assert!(same_matrix(&results[0].matrix, &results[1].matrix));
    assert_eq!(
        results[0].changes[0],
        "task `isolate_host`: Responsible it_ops → it_ops, soc; Consulted soc → nobody"
    );
    // Roles the sheet has no column for keep what the plan gives them: GRC and the DPO are still
    // consulted on the regulator's notice, which the sheet takes Leadership's I off.
    let consulted = |m: &Matrix| {
        let task = m.task("notify_regulator").unwrap();
        (
            task.consulted
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            task.informed
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
        )
    };
    let (before, _) = consulted(&reference);
    assert!(before.contains(&"grc".to_owned()) && before.contains(&"dpo".to_owned()));
    assert_eq!(consulted(&results[1].matrix), (before, vec![]));
}

#[test]
fn validate_checks_sheets_against_the_matrix_and_points_at_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let hand_made = root().join("tests/fixtures/plans/acme-raci.csv");
    let bad = dir.path().join("bad.csv");
    let text = std::fs::read_to_string(&hand_made).unwrap().replace(
        "isolate_host,Isolate a host,r,",
        "isolate_host,Isolate a host,X,",
    );
    std::fs::write(&bad, &text).unwrap();
    let (code, out, err) = exec(&Command::Validate {
        paths: vec![
            root().join("tests/fixtures/plans/acme-raci.xlsx"),
            bad.clone(),
        ],
        format: Format::Text,
    });
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("ok      ") && out.contains("acme-raci.xlsx"),
        "{out}"
    );
    assert!(
        out.contains("INVALID") && out.contains("bad.csv (1 error)"),
        "{out}"
    );
    // The editor column of the field, not its number: `isolate_host,Isolate a host,` is 28 long.
    let line = text
        .lines()
        .position(|l| l.starts_with("isolate_host"))
        .unwrap()
        + 1;
    assert!(err.contains(&format!("bad.csv:{line}:29")), "{err}");
}
