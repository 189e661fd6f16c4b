//! `warroom validate` and `warroom list`: check content and show what is there.

use crate::engine::text::count;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::json;

use super::output::{
    EXIT_INVALID, EXIT_OK, EXIT_USAGE, Format, content_paths, plural, truncate, write_diagnostics,
    write_json,
};
use crate::engine::content::library::Library;
use crate::engine::content::library::{ContentOrigin, default_content, default_content_dir};
use crate::engine::diagnostic::{Diagnostic, error_count};

/// Which content a command reads, in words: the folders given, or the default and where it
/// comes from (the current folder, `WARROOM_CONTENT`, or what is built into the program).
fn content_read(given: &[PathBuf]) -> String {
    if given.is_empty() {
        match default_content() {
            (_, origin @ ContentOrigin::CurrentFolder) => origin.describe(),
            (dir, origin) => format!("{} ({})", origin.describe(), dir.display()),
        }
    } else {
        given
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

pub(super) fn validate(
    paths: &[PathBuf],
    matrix_path: &Path,
    format: Format,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<u8> {
    let sheets: Vec<PathBuf> = paths
        .iter()
        .filter(|p| super::sheets::is_sheet(p))
        .cloned()
        .collect();
    if !sheets.is_empty() {
        if sheets.len() < paths.len() {
            writeln!(
                err,
                "warroom: check RACI sheets (.csv, .xlsx) on their own: `warroom validate plan.xlsx`, then the .ron content"
            )?;
            return Ok(EXIT_USAGE);
        }
        return super::sheets::validate_sheets(&sheets, matrix_path, format, out, err);
    }
    let content = content_read(paths);
    let paths = content_paths(paths);
    if let Some(missing) = paths.iter().find(|p| !p.exists()) {
        writeln!(
            err,
            "warroom: no such file or directory: {}",
            missing.display()
        )?;
        return Ok(EXIT_USAGE);
    }
    let library = Library::load(&paths, matrix_path);
    let diagnostics = library.diagnostics();
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let valid_matrices: Vec<&PathBuf> = library
        .other_matrices
        .iter()
        .filter(|m| !library.invalid.iter().any(|f| &f.path == *m))
        .collect();
    // Nothing checked is not a success: an empty folder, a folder named `x.ron`.
    // A folder that holds only its matrix has one file to check: the matrix.
    let own_matrix = paths.iter().any(|p| matrix_path.starts_with(p)) && matrix_path.is_file();
    let checked = library.scenarios.len()
        + library.question_sets.len()
        + library.scripts.len()
        + library.other_matrices.len()
        + library.invalid.len()
        + usize::from(own_matrix);
    if checked == 0 {
        let looked: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        let message = format!(
            "no data file found in {} (looked for .ron files: scenarios, matrices, question sets, decisions scripts, session logs)",
            looked.join(", ")
        );
        if format == Format::Json {
            write_json(
                out,
                &json!({ "valid": false, "content": content, "errors": 1, "message": message }),
            )?;
        }
        writeln!(err, "warroom: {message}")?;
        return Ok(EXIT_INVALID);
    }
    let valid = library.is_valid();
    match format {
        Format::Json => {
            let value = json!({
                "valid": valid,
                "content": content,
                "matrix": matrix_path,
                "scenarios": library.scenarios.len(),
                "question_sets": library.question_sets.len(),
                "questions": library.questions().count(),
                "scripts": library.scripts.len(),
                "other_matrices": valid_matrices.len(),
                "errors": errors,
                "warnings": warnings,
                "diagnostics": diagnostics,
            });
            write_json(out, &value)?;
        }
        Format::Text => {
            write_diagnostics(err, &diagnostics)?;
            writeln!(out, "Checking {content}")?;
            if let Some(m) = &library.matrix {
                writeln!(
                    out,
                    "ok      {} (matrix `{}`)",
                    m.path.display(),
                    m.matrix.id
                )?;
            }
            for s in &library.scenarios {
                writeln!(
                    out,
                    "ok      {} (scenario `{}`)",
                    s.path.display(),
                    s.scenario.id
                )?;
            }
            for m in &valid_matrices {
                writeln!(out, "ok      {} (matrix)", m.display())?;
            }
            for s in &library.scripts {
                let kind = match s.kind {
                    crate::engine::content::load::FileKind::Decisions => "decisions script",
                    _ => "session log",
                };
                writeln!(
                    out,
                    "ok      {} ({kind} for `{}`)",
                    s.path.display(),
                    s.scenario
                )?;
            }
            for q in &library.question_sets {
                writeln!(
                    out,
                    "ok      {} (question set `{}`, {})",
                    q.path.display(),
                    q.set.id,
                    count(q.set.questions.len(), "question")
                )?;
            }
            for f in &library.invalid {
                let n = error_count(&f.diagnostics);
                writeln!(out, "INVALID {} ({n} error{})", f.path.display(), plural(n))?;
            }
            if library.matrix.is_none() {
                writeln!(
                    out,
                    "INVALID {} (matrix; scenarios were not checked)",
                    matrix_path.display()
                )?;
            }
            let scripts = if library.scripts.is_empty() {
                String::new()
            } else {
                format!(", {}", count(library.scripts.len(), "script"))
            };
            writeln!(
                out,
                "\n{} scenario{} and {} question{}{scripts} valid, {errors} error{}, {warnings} warning{}",
                library.scenarios.len(),
                plural(library.scenarios.len()),
                library.questions().count(),
                plural(library.questions().count()),
                plural(errors),
                plural(warnings)
            )?;
        }
    }
    Ok(if valid { EXIT_OK } else { EXIT_INVALID })
}

/// `validate --matrix FILE` alone: the matrix's own problems are errors; the shipped scenarios and
/// question sets are only sorted into those it can play and those it cannot (with why), since
/// they were written for the reference matrix, not by this matrix's author.
pub(super) fn validate_own_matrix(
    matrix_path: &Path,
    format: Format,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<u8> {
    let library = Library::load(&[default_content_dir()], matrix_path);
    let diagnostics = library.diagnostics();
    let own: Vec<&Diagnostic> = diagnostics
        .iter()
        .copied()
        .filter(|d| d.file == matrix_path)
        .collect();
    let errors = own.iter().filter(|d| d.is_error()).count();
    let valid = library.matrix.is_some() && errors == 0;
    let playable: Vec<String> = library
        .scenarios
        .iter()
        .map(|s| s.scenario.id.to_string())
        .chain(library.question_sets.iter().map(|q| q.set.id.clone()))
        .collect();
    let unplayable: Vec<(&PathBuf, Vec<&Diagnostic>)> = library
        .invalid
        .iter()
        .filter(|f| f.path != matrix_path)
        .map(|f| {
            (
                &f.path,
                f.diagnostics.iter().filter(|d| d.is_error()).collect(),
            )
        })
        .collect();
    match format {
        Format::Json => {
            let value = json!({
                "valid": valid,
                "matrix": matrix_path,
                "errors": errors,
                "warnings": own.len() - errors,
                "diagnostics": own,
                "shipped_playable": playable,
                "shipped_not_playable": unplayable
                    .iter()
                    .map(|(path, problems)| json!({
                        "path": path,
                        "problems": problems.iter().map(|d| &d.message).collect::<Vec<_>>(),
                    }))
                    .collect::<Vec<_>>(),
            });
            write_json(out, &value)?;
        }
        Format::Text => {
            write_diagnostics(err, &own)?;
            match &library.matrix {
                Some(m) if valid => {
                    writeln!(
                        out,
                        "ok      {} (matrix `{}`)",
                        m.path.display(),
                        m.matrix.id
                    )?;
                }
                _ => writeln!(out, "INVALID {} (matrix)", matrix_path.display())?,
            }
            if library.matrix.is_some() {
                writeln!(
                    out,
                    "\nShipped content played against this matrix: {} of {} files can be used.",
                    playable.len(),
                    playable.len() + unplayable.len()
                )?;
                for (path, problems) in &unplayable {
                    let name = path.file_name().map_or_else(
                        || path.display().to_string(),
                        |n| n.to_string_lossy().into_owned(),
                    );
                    writeln!(out, "  not with it: {name} ({})", why_not(problems))?;
                }
                writeln!(
                    out,
                    "To check your own scenarios against it: warroom validate --matrix {} FILE_OR_FOLDER...",
                    matrix_path.display()
                )?;
            }
            writeln!(
                out,
                "\n{errors} error{} and {} warning{} in the matrix",
                plural(errors),
                own.len() - errors,
                plural(own.len() - errors)
            )?;
        }
    }
    Ok(if valid { EXIT_OK } else { EXIT_INVALID })
}

/// What a file needs that a matrix lacks, each name once: "it lacks role `it_ops`, task `x`".
fn why_not(problems: &[&Diagnostic]) -> String {
    let mut lacks = std::collections::BTreeSet::new();
    let mut other = 0;
    for d in problems {
        let named = d.message.split("unknown ").nth(1).and_then(|rest| {
            let (kind, rest) = rest.split_once(' ')?;
            let id = rest.strip_prefix('`')?.split('`').next()?;
            Some(format!("{kind} `{id}`"))
        });
        match named {
            Some(n) => {
                lacks.insert(n);
            }
            None => other += 1,
        }
    }
    let mut parts = Vec::new();
    if !lacks.is_empty() {
        parts.push(format!(
            "it needs {} the matrix lacks",
            lacks.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    if other > 0 {
        parts.push(count(other, "other problem"));
    }
    parts.join("; ")
}

pub(super) fn list(
    paths: &[PathBuf],
    matrix_path: &Path,
    format: Format,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<u8> {
    let content = content_read(paths);
    let library = Library::load(&content_paths(paths), matrix_path);
    if library.matrix.is_none() {
        write_diagnostics(err, &library.diagnostics())?;
        return Ok(EXIT_INVALID);
    }
    let rows: Vec<_> = library
        .scenarios
        .iter()
        .map(|s| {
            let sc = &s.scenario;
            json!({
                "id": sc.id,
                "title": sc.title,
                "difficulty": sc.difficulty.label(),
                "duration_mins": sc.duration_mins,
                "modes": sc.modes.iter().map(|m| m.label()).collect::<Vec<_>>(),
                "injects": sc.injects.len(),
                "path": s.path,
            })
        })
        .collect();
    match format {
        Format::Json => write_json(out, &rows)?,
        Format::Text => {
            // Ids that load are at most MAX_ID_CHARS long; the cap keeps a width computation
            // from ever exceeding what the formatter takes, whatever reaches this table.
            let id_width = library
                .scenarios
                .iter()
                .map(|s| s.scenario.id.as_str().chars().count())
                .max()
                .unwrap_or(2)
                .clamp(2, crate::engine::model::id::MAX_ID_CHARS);
            writeln!(out, "Scenarios in {content}\n")?;
            writeln!(
                out,
                "{:<id_width$} {:<48} {:<13} {:>5} {:<30} {:>7}",
                "ID", "TITLE", "DIFFICULTY", "MINS", "MODES", "INJECTS"
            )?;
            for s in &library.scenarios {
                let sc = &s.scenario;
                let modes: Vec<&str> = sc.modes.iter().map(|m| m.label()).collect();
                writeln!(
                    out,
                    "{:<id_width$} {:<48} {:<13} {:>5} {:<30} {:>7}",
                    truncate(sc.id.as_str(), id_width),
                    truncate(&sc.title, 48),
                    sc.difficulty.label(),
                    sc.duration_mins,
                    modes.join(", "),
                    sc.injects.len()
                )?;
            }
            if !library.invalid.is_empty() {
                writeln!(
                    out,
                    "\n{} file{} could not be loaded; run `warroom validate` for details.",
                    library.invalid.len(),
                    plural(library.invalid.len())
                )?;
            }
        }
    }
    Ok(EXIT_OK)
}
