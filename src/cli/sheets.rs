//! `warroom export raci` and `warroom import raci`: a plan's RACI out to a spreadsheet and back.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use serde_json::json;

use super::output::{
    EXIT_INVALID, EXIT_OK, EXIT_USAGE, Format, Produced, write_diagnostics, write_json,
    write_output_file, write_produced,
};
use crate::engine::content::library::load_matrix;
use crate::engine::content::load::read_bytes;
use crate::engine::content::validate::validate_matrix;
use crate::engine::diagnostic::{Diagnostic, error_count};
use crate::engine::model::matrix::Matrix;
use crate::interop::plan_workbook::export_workbook;
use crate::interop::raci::{Imported, Layout, export_csv, import_file};
use crate::interop::{is_workbook, msel, msel_import};

/// `warroom export …`.
#[derive(Debug, Clone, Subcommand)]
pub enum ExportCommand {
    /// The matrix's RACI as a spreadsheet: a row per task, a column per role, R/A/C/I and S
    /// (sign-off) or S1 (one sign-off of several) in the cells. An `.xlsx` workbook also has the
    /// rest of the plan as sheets to read, and a legend. Uses `--matrix`.
    Raci {
        /// Where to write it (`.xlsx` or `.csv`); without it, CSV is printed.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// A column per role (`wide`, the grid people print) or a row per task and role (`long`).
        #[arg(long, value_enum, default_value_t)]
        layout: Layout,
    },
    /// A scenario as a master scenario events list (MSEL): a row per inject in release order,
    /// with the actions the plan (`--matrix`) expects of the room.
    Msel {
        /// The scenario: an id of the content folder, or a file.
        scenario: String,
        /// Where to write it (`.xlsx` or `.csv`); without it, CSV is printed.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

/// `warroom import …`.
#[derive(Debug, Clone, Subcommand)]
pub enum ImportCommand {
    /// A RACI sheet applied to a matrix: each row sets its task's RACI; tasks the sheet leaves out
    /// keep the base's. Prints what changed.
    Raci {
        /// The sheet (`.xlsx` or `.csv`), as `warroom export raci` writes it or edited in a
        /// spreadsheet.
        file: PathBuf,
        /// The matrix the sheet changes (default: `--matrix`, else the shipped one).
        #[arg(long, value_name = "FILE")]
        base: Option<PathBuf>,
        /// Where to write the resulting matrix (`.ron`).
        #[arg(short, long, value_name = "FILE", required_unless_present = "dry_run")]
        output: Option<PathBuf>,
        /// Check the sheet and print what would change; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// An MSEL spreadsheet read into a scenario: one inject per row, through a column map
    /// (`warroom`, the default, for Warroom's own export; `hseep` for the common HSEEP layout; or a
    /// map file). Checked against `--matrix` and written only when it validates.
    Msel {
        /// The MSEL (`.xlsx` or `.csv`).
        file: PathBuf,
        /// The column map: `warroom`, `hseep` or a `MselMap( … )` file.
        #[arg(long, default_value = "warroom")]
        map: String,
        /// The clock time of minute 0 (`09:00`), for a sheet that gives clock times.
        #[arg(long, value_name = "HH:MM")]
        start: Option<String>,
        /// The scenario's id (default: the file's name).
        #[arg(long)]
        id: Option<String>,
        /// Where to write the scenario (`.ron`).
        #[arg(short, long, value_name = "FILE", required_unless_present = "dry_run")]
        output: Option<PathBuf>,
        /// Print one line per row and what is worth a look; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

fn loaded_matrix(path: &Path, err: &mut dyn Write) -> std::io::Result<Result<Matrix, u8>> {
    match load_matrix(path) {
        Ok(loaded) => Ok(Ok((*loaded.matrix).clone())),
        Err(problems) => {
            write_diagnostics(err, &problems.iter().collect::<Vec<_>>())?;
            Ok(Err(EXIT_INVALID))
        }
    }
}

fn is_csv(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}

pub(super) fn export(
    command: &ExportCommand,
    matrix_path: &Path,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<u8> {
    let (output, layout) = match command {
        ExportCommand::Raci { output, layout } => (output, layout),
        ExportCommand::Msel { scenario, output } => {
            return export_msel(scenario, output.as_deref(), matrix_path, out, err);
        }
    };
    if let Some(code) = refuse_sheet_target(output.as_deref(), "RACI sheets are", err)? {
        return Ok(code);
    }
    let matrix = match loaded_matrix(matrix_path, err)? {
        Ok(m) => m,
        Err(code) => return Ok(code),
    };
    write_sheet(
        output.as_deref(),
        || export_csv(&matrix, *layout),
        || export_workbook(&matrix, *layout),
        &format!("{} tasks of matrix `{}`", matrix.tasks.len(), matrix.id),
        out,
        err,
    )
}

fn export_msel(
    spec: &str,
    output: Option<&Path>,
    matrix_path: &Path,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<u8> {
    if let Some(code) = refuse_sheet_target(output, "an MSEL is", err)? {
        return Ok(code);
    }
    let (matrix, scenario) =
        match super::scripted::load_matrix_and_scenario(spec, None, matrix_path, err)? {
            Ok(loaded) => loaded,
            Err(code) => return Ok(code),
        };
    write_sheet(
        output,
        || msel::export_csv(&scenario, &matrix),
        || msel::export_workbook(&scenario, &matrix),
        &format!(
            "{} injects of `{}` under matrix `{}`",
            scenario.injects.len(),
            scenario.id,
            matrix.id
        ),
        out,
        err,
    )
}

/// A usage error for an export target that is neither `.xlsx` nor `.csv`; checked before any
/// content is loaded.
fn refuse_sheet_target(
    output: Option<&Path>,
    what: &str,
    err: &mut dyn Write,
) -> std::io::Result<Option<u8>> {
    match output {
        Some(path) if !is_csv(path) && !is_workbook(path) => {
            writeln!(
                err,
                "warroom: {} is neither .xlsx nor .csv; {what} written as an Excel workbook or as CSV",
                path.display()
            )?;
            Ok(Some(EXIT_USAGE))
        }
        _ => Ok(None),
    }
}

/// An export: CSV printed when there is no file, else the workbook or CSV the file's name asks
/// for, written and said (`wrote plan.xlsx: 47 tasks of …`).
fn write_sheet(
    output: Option<&Path>,
    csv: impl FnOnce() -> String,
    workbook: impl FnOnce() -> Result<Vec<u8>, String>,
    what: &str,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<u8> {
    let Some(path) = output else {
        out.write_all(csv().as_bytes())?;
        return Ok(EXIT_OK);
    };
    let bytes = if is_workbook(path) {
        match workbook() {
            Ok(bytes) => bytes,
            Err(e) => {
                writeln!(err, "warroom: cannot make the workbook: {e}")?;
                return Ok(EXIT_INVALID);
            }
        }
    } else {
        csv().into_bytes()
    };
    if let Err(e) = write_output_file(path, &bytes) {
        writeln!(err, "warroom: cannot write {}: {e}", path.display())?;
        return Ok(EXIT_USAGE);
    }
    writeln!(out, "wrote {}: {what}", path.display())?;
    Ok(EXIT_OK)
}

/// A RACI sheet applied to `base`, and everything worth saying about the plan it makes: the
/// import's warnings and what `validate` says of it as the file `target`; with the plan's RON.
fn checked_raci(
    file: &Path,
    bytes: &[u8],
    base: &Matrix,
    target: &Path,
) -> std::io::Result<Result<(Imported, String, Vec<Diagnostic>), Vec<Diagnostic>>> {
    let imported = match import_file(file, bytes, base) {
        Ok(imported) => imported,
        Err(problems) => return Ok(Err(problems)),
    };
    let text = matrix_ron(&imported.matrix).map_err(std::io::Error::other)?;
    let mut problems = imported.warnings.clone();
    problems.extend(validate_matrix(&imported.matrix, target, &text));
    Ok(Ok((imported, text, problems)))
}

/// The matrix as a RON file Warroom reads back.
pub(super) fn matrix_ron(matrix: &Matrix) -> Result<String, ron::Error> {
    matrix.to_ron()
}

pub(super) fn import(
    command: &ImportCommand,
    matrix_path: &Path,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<u8> {
    let (file, base, output, dry_run, format) = match command {
        ImportCommand::Raci {
            file,
            base,
            output,
            dry_run,
            format,
        } => (file, base, output, dry_run, format),
        ImportCommand::Msel {
            file,
            map,
            start,
            id,
            output,
            dry_run,
            format,
        } => {
            return super::msel_cli::import_msel(
                &super::msel_cli::MselImport {
                    file,
                    map,
                    start: start.as_deref(),
                    id: id.as_deref(),
                    output: output.as_deref(),
                    dry_run: *dry_run,
                    format: *format,
                },
                matrix_path,
                out,
                err,
            );
        }
    };
    let bytes = match read_bytes(file) {
        Ok(bytes) => bytes,
        Err(d) => {
            write_diagnostics(err, &[&d])?;
            return Ok(EXIT_INVALID);
        }
    };
    let base = match loaded_matrix(base.as_deref().unwrap_or(matrix_path), err)? {
        Ok(m) => m,
        Err(code) => return Ok(code),
    };
    // The result must be a plan Warroom grades with: checked as the file it will be.
    let target = output
        .clone()
        .unwrap_or_else(|| PathBuf::from("imported.ron"));
    let (imported, text, problems) = match checked_raci(file, &bytes, &base, &target)? {
        Ok(checked) => checked,
        Err(problems) => {
            if *format == Format::Json {
                write_json(out, &json!({ "valid": false, "diagnostics": problems }))?;
            }
            write_diagnostics(err, &problems.iter().collect::<Vec<_>>())?;
            return Ok(EXIT_INVALID);
        }
    };
    let errors = error_count(&problems);
    match format {
        Format::Json => write_json(
            out,
            &json!({
                "valid": errors == 0,
                "changes": imported.changes,
                "diagnostics": problems,
                "written": (!dry_run && errors == 0).then_some(&target),
            }),
        )?,
        Format::Text => {
            if imported.changes.is_empty() {
                writeln!(out, "The sheet changes nothing in matrix `{}`.", base.id)?;
            }
            for change in &imported.changes {
                writeln!(out, "{change}")?;
            }
            write_diagnostics(err, &problems.iter().collect::<Vec<_>>())?;
        }
    }
    write_produced(
        &Produced {
            what: "the plan the sheet makes",
            errors,
            dry_run: *dry_run,
            format: *format,
            target: &target,
            text: &text,
            wrote: format!("wrote {}", target.display()),
        },
        out,
        err,
    )
}

/// What `import msel` would report of an MSEL read with a shipped map.
fn check_msel(path: &Path, bytes: &[u8], map: &str, base: &Matrix) -> Vec<Diagnostic> {
    let Some(map) = msel_import::builtin_map(map) else {
        return Vec::new();
    };
    let options = msel_import::MselOptions::default();
    match super::msel_cli::checked_msel(path, bytes, &map, base, &options, path) {
        Ok((_, problems)) | Err(problems) => problems,
    }
}

/// Whether a path names a RACI sheet (`.csv` or `.xlsx`) rather than RON content.
pub(super) fn is_sheet(path: &Path) -> bool {
    is_csv(path) || is_workbook(path)
}

/// `warroom validate plan.xlsx …`: each sheet checked as `import raci --dry-run` checks it against
/// `--matrix`, every problem reported at its cell.
pub(super) fn validate_sheets(
    sheets: &[PathBuf],
    matrix_path: &Path,
    format: Format,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<u8> {
    let base = match loaded_matrix(matrix_path, err)? {
        Ok(m) => m,
        Err(code) => return Ok(code),
    };
    let mut all = Vec::new();
    let mut lines = Vec::new();
    for path in sheets {
        let bytes = match read_bytes(path) {
            Ok(bytes) => bytes,
            Err(d) => {
                lines.push(format!("INVALID {} (1 error)", path.display()));
                all.push(d);
                continue;
            }
        };
        // An MSEL in a layout Warroom knows, else a RACI sheet.
        let (kind, problems) = if let Some(map) = msel_import::detect_map(path, &bytes) {
            (
                format!("MSEL, `{map}` layout,"),
                check_msel(path, &bytes, map, &base),
            )
        } else {
            let problems = match checked_raci(path, &bytes, &base, path)? {
                Ok((_, _, problems)) | Err(problems) => problems,
            };
            ("RACI sheet".to_owned(), problems)
        };
        let errors = error_count(&problems);
        lines.push(if errors == 0 {
            format!(
                "ok      {} ({kind} for matrix `{}`)",
                path.display(),
                base.id
            )
        } else {
            format!(
                "INVALID {} ({errors} error{})",
                path.display(),
                if errors == 1 { "" } else { "s" }
            )
        });
        all.extend(problems);
    }
    let errors = error_count(&all);
    match format {
        Format::Json => write_json(
            out,
            &json!({
                "valid": errors == 0,
                "matrix": matrix_path,
                "sheets": sheets.len(),
                "errors": errors,
                "warnings": all.len() - errors,
                "diagnostics": all,
            }),
        )?,
        Format::Text => {
            write_diagnostics(err, &all.iter().collect::<Vec<_>>())?;
            for line in lines {
                writeln!(out, "{line}")?;
            }
        }
    }
    Ok(if errors == 0 { EXIT_OK } else { EXIT_INVALID })
}
