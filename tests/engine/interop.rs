//! A plan's RACI out to a spreadsheet and back (`warroom export raci`, `warroom import raci`):
//! the round trip keeps the matrix and the bytes, an edited cell changes just that task, and every
//! problem of a sheet is reported at once at its cell.

use std::path::Path;

use warroom::cli::{Command, ExportCommand, Format, ImportCommand};
use warroom::engine::Matrix;
use warroom::interop::raci::{Imported, Layout, import_file};

use crate::support::{exec_with_shipped_matrix as exec, matrix};

fn export_csv(matrix: &Matrix) -> String {
    warroom::interop::raci::export_csv(matrix, Layout::Wide)
}

fn import_csv(
    path: &Path,
    text: &str,
    base: &Matrix,
) -> Result<Imported, Vec<warroom::engine::diagnostic::Diagnostic>> {
    import_file(path, text.as_bytes(), base)
}

fn same_matrix(a: &Matrix, b: &Matrix) -> bool {
    serde_json::to_value(a).unwrap() == serde_json::to_value(b).unwrap()
}

#[test]
fn an_unedited_export_imports_as_the_same_matrix_and_exports_as_the_same_bytes() {
    let reference = matrix();
    let sheet = export_csv(&reference);
    insta::assert_snapshot!("raci_export_reference", sheet);
    let imported = import_csv(Path::new("plan.csv"), &sheet, &reference).unwrap();
    assert!(imported.changes.is_empty(), "{:?}", imported.changes);
    assert!(same_matrix(&imported.matrix, &reference));
    assert_eq!(export_csv(&imported.matrix), sheet);

    // Through the command line: the written plan loads, and exports to the same sheet.
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("plan.csv");
    let ron = dir.path().join("plan.ron");
    let (code, _, err) = exec(&Command::Export(ExportCommand::Raci {
        output: Some(csv.clone()),
        layout: Layout::Wide,
    }));
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = exec(&Command::Import(ImportCommand::Raci {
        file: csv.clone(),
        base: None,
        output: Some(ron.clone()),
        dry_run: false,
        format: Format::Text,
    }));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("changes nothing"), "{out}");
    let written = warroom::engine::content::library::load_matrix(&ron).unwrap();
    assert!(same_matrix(&written.matrix, &reference));
    assert_eq!(export_csv(&written.matrix), sheet);
}

/// A sheet's rows, header first, as a spreadsheet holds them.
fn sheet_rows(sheet: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(sheet.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// The reference sheet with one row's cells edited: `edit(header, row)`.
fn edited_sheet(task: &str, edit: impl Fn(&[String], &mut Vec<String>)) -> String {
    let rows = sheet_rows(&export_csv(&matrix()));
    let header = rows[0].clone();
    let mut writer = csv::Writer::from_writer(Vec::new());
    for mut row in rows {
        if row[1] == task {
            edit(&header, &mut row);
        }
        writer.write_record(&row).unwrap();
    }
    String::from_utf8(writer.into_inner().unwrap()).unwrap()
}

fn column(header: &[String], id: &str) -> usize {
    header
        .iter()
        .position(|h| h.ends_with(&format!("({id})")))
        .unwrap()
}

#[test]
fn an_edited_cell_changes_that_task_and_says_how() {
    let sheet = edited_sheet("isolate_host", |header, row| {
        row[column(header, "soc")] = "C/R".into();
    });
    let imported = import_csv(Path::new("plan.csv"), &sheet, &matrix()).unwrap();
    // The SOC was Consulted; now it also does the work.
    assert_eq!(
        imported.changes,
        ["task `isolate_host`: Responsible it_ops → it_ops, soc"]
    );
    let task = imported.matrix.task("isolate_host").unwrap();
    assert_eq!(
        task.responsible
            .iter()
            .map(warroom::engine::model::id::RoleId::as_str)
            .collect::<Vec<_>>(),
        ["it_ops", "soc"]
    );
    // Every other task is as it was.
    let reference = matrix();
    for other in imported
        .matrix
        .tasks
        .iter()
        .filter(|t| t.id.as_str() != "isolate_host")
    {
        let before = reference.task(other.id.as_str()).unwrap();
        assert_eq!(
            serde_json::to_value(other).unwrap(),
            serde_json::to_value(before).unwrap()
        );
    }
}

#[test]
fn every_problem_of_a_sheet_is_reported_at_once_at_its_cell() {
    let sheet = edited_sheet("triage_alert", |header, row| {
        // A second A, and a code that is none.
        row[column(header, "ir_manager")] = "A".into();
        row[column(header, "it_ops")] = "X".into();
    })
    .replacen("Legal Counsel (legal)", "Legal Councel", 1);
    let problems = import_csv(Path::new("plan.csv"), &sheet, &matrix()).unwrap_err();
    let codes: Vec<&str> = problems.iter().map(|d| d.code.as_str()).collect();
    assert!(codes.contains(&"multiple-accountable"), "{problems:#?}");
    assert!(codes.contains(&"unknown-cell-code"), "{problems:#?}");
    assert!(codes.contains(&"unknown-column"), "{problems:#?}");
    let column_letter = |id: &str| {
        let header: Vec<String> = sheet
            .lines()
            .next()
            .unwrap()
            .split(',')
            .map(str::to_owned)
            .collect();
        warroom::interop::column_letters(column(&header, id))
    };
    let unknown_code = problems
        .iter()
        .find(|d| d.code == "unknown-cell-code")
        .unwrap();
    // triage_alert is the first task: line 2 of the sheet.
    assert!(
        unknown_code
            .message
            .starts_with(&format!("cell {}2:", column_letter("it_ops"))),
        "{}",
        unknown_code.message
    );
    assert_eq!(unknown_code.line, 2);
    let header = problems
        .iter()
        .find(|d| d.code == "unknown-column")
        .unwrap();
    assert_eq!(header.line, 1);
    assert!(
        header
            .hint
            .as_deref()
            .unwrap_or_default()
            .contains("Legal Counsel"),
        "{header:#?}"
    );
}

#[test]
fn header_order_case_spaces_a_byte_order_mark_and_crlf_do_not_matter() {
    let reference = matrix();
    let rows = sheet_rows(&export_csv(&reference));
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for (i, row) in rows.iter().enumerate() {
        // Columns reversed; headers shouted and padded.
        let mut reversed: Vec<String> = row.iter().rev().cloned().collect();
        if i == 0 {
            reversed = reversed
                .iter()
                .map(|h| format!("  {}  ", h.to_uppercase()))
                .collect();
        }
        writer.write_record(&reversed).unwrap();
    }
    let shuffled = format!(
        "\u{feff}{}",
        String::from_utf8(writer.into_inner().unwrap()).unwrap()
    );
    let imported = import_csv(Path::new("plan.csv"), &shuffled, &reference).unwrap();
    assert!(imported.changes.is_empty(), "{:?}", imported.changes);
    assert!(same_matrix(&imported.matrix, &reference));
}

#[test]
fn cells_a_spreadsheet_would_run_as_formulas_are_neutralised_and_round_trip() {
    let mut plan = (*matrix()).clone();
    let injected = "=HYPERLINK(\"http://evil.example\",\"click\")";
    plan.tasks[0].citation = injected.into();
    plan.tasks[1].name = "+SUM(A1:A9)".into();
    let sheet = export_csv(&plan);
    for line in sheet.lines() {
        for cell in line.split(',') {
            let cell = cell.trim_start_matches('"');
            assert!(!cell.starts_with(['=', '+', '@']), "{cell} in {line}");
        }
    }
    let imported = import_csv(Path::new("plan.csv"), &sheet, &plan).unwrap();
    assert!(same_matrix(&imported.matrix, &plan));
    assert_eq!(imported.matrix.tasks[0].citation, injected);
}

#[test]
fn a_sheet_that_is_no_sheet_is_refused_with_its_place() {
    let reference = matrix();
    let problems = import_csv(Path::new("plan.csv"), "", &reference).unwrap_err();
    assert!(problems[0].message.contains("empty"), "{problems:#?}");
    let problems =
        import_csv(Path::new("plan.csv"), "Phase,Task\nAnalyze,x\n", &reference).unwrap_err();
    assert_eq!(problems[0].code, "unknown-column");
    assert!(problems[0].message.contains("Task id"), "{problems:#?}");
    // Over the size limit, through the command line.
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.csv");
    std::fs::write(&big, "a".repeat(5 * 1024 * 1024)).unwrap();
    let (code, _, err) = exec(&Command::Import(ImportCommand::Raci {
        file: big,
        base: None,
        output: None,
        dry_run: true,
        format: Format::Text,
    }));
    assert_eq!(code, 1);
    assert!(err.contains("file-too-large"), "{err}");
}
