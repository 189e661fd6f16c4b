//! `warroom export raci` and `warroom import raci`: a plan's RACI out to a spreadsheet and back.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use serde_json::json;

use super::output::{
    EXIT_INVALID, EXIT_OK, EXIT_USAGE, Format, write_diagnostics, write_json, write_output_file,
};
use crate::engine::content::library::load_matrix;
use crate::engine::content::load::Source;
use crate::engine::content::validate::validate_matrix;
use crate::engine::diagnostic::error_count;
use crate::engine::model::matrix::Matrix;
use crate::interop::raci::{export_csv, import_csv};

/// `warroom export …`.
#[derive(Debug, Clone, Subcommand)]
pub enum ExportCommand {
    /// The matrix's RACI as a spreadsheet (CSV): a row per task, a column per role, R/A/C/I and
    /// S (sign-off) or S1 (one sign-off of several) in the cells. Uses `--matrix`.
    Raci {
        /// Where to write it (`.csv`); without it, printed.
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
        /// The sheet (`.csv`), as `warroom export raci` writes it or edited in a spreadsheet.
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
    let ExportCommand::Raci { output } = command;
    if let Some(path) = output
        && !is_csv(path)
    {
        writeln!(
            err,
            "warroom: {} is not a .csv file; RACI sheets are written as CSV, which every spreadsheet opens",
            path.display()
        )?;
        return Ok(EXIT_USAGE);
    }
    let matrix = match loaded_matrix(matrix_path, err)? {
        Ok(m) => m,
        Err(code) => return Ok(code),
    };
    let sheet = export_csv(&matrix);
    match output {
        Some(path) => {
            if let Err(e) = write_output_file(path, &sheet) {
                writeln!(err, "warroom: cannot write {}: {e}", path.display())?;
                return Ok(EXIT_USAGE);
            }
            writeln!(
                out,
                "wrote {}: {} tasks of matrix `{}`",
                path.display(),
                matrix.tasks.len(),
                matrix.id
            )?;
        }
        None => out.write_all(sheet.as_bytes())?,
    }
    Ok(EXIT_OK)
}

/// The matrix as a RON file Warroom reads back.
fn matrix_ron(matrix: &Matrix) -> Result<String, ron::Error> {
    let config = ron::ser::PrettyConfig::new().struct_names(true);
    ron::ser::to_string_pretty(matrix, config).map(|text| format!("{text}\n"))
}

pub(super) fn import(
    command: &ImportCommand,
    matrix_path: &Path,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<u8> {
    let ImportCommand::Raci {
        file,
        base,
        output,
        dry_run,
        format,
    } = command;
    let source = match Source::read(file) {
        Ok(s) => s,
        Err(d) => {
            write_diagnostics(err, &[&d])?;
            return Ok(EXIT_INVALID);
        }
    };
    let base = match loaded_matrix(base.as_deref().unwrap_or(matrix_path), err)? {
        Ok(m) => m,
        Err(code) => return Ok(code),
    };
    let imported = match import_csv(file, &source.text, &base) {
        Ok(imported) => imported,
        Err(problems) => {
            if *format == Format::Json {
                write_json(out, &json!({ "valid": false, "diagnostics": problems }))?;
            }
            write_diagnostics(err, &problems.iter().collect::<Vec<_>>())?;
            return Ok(EXIT_INVALID);
        }
    };
    let text = matrix_ron(&imported.matrix).map_err(std::io::Error::other)?;
    // The result must be a plan Warroom grades with: checked as the file it will be.
    let target = output
        .clone()
        .unwrap_or_else(|| PathBuf::from("imported.ron"));
    let problems = validate_matrix(&imported.matrix, &target, &text);
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
            if errors > 0 {
                for d in &problems {
                    writeln!(err, "{d}")?;
                }
            }
        }
    }
    if errors > 0 {
        writeln!(
            err,
            "warroom: the plan the sheet makes does not validate ({errors} error{}); nothing was written",
            if errors == 1 { "" } else { "s" }
        )?;
        return Ok(EXIT_INVALID);
    }
    if *dry_run {
        if *format == Format::Text {
            writeln!(out, "Dry run: nothing written.")?;
        }
        return Ok(EXIT_OK);
    }
    if let Err(e) = write_output_file(&target, &text) {
        writeln!(err, "warroom: cannot write {}: {e}", target.display())?;
        return Ok(EXIT_USAGE);
    }
    if *format == Format::Text {
        writeln!(out, "wrote {}", target.display())?;
    }
    Ok(EXIT_OK)
}
