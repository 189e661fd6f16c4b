//! `warroom import msel`: an MSEL spreadsheet read into a scenario through a column map.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::json;

use super::output::{
    EXIT_INVALID, EXIT_USAGE, Format, Produced, write_diagnostics, write_json, write_produced,
};
use crate::engine::content::library::load_matrix;
use crate::engine::content::load::{Source, read_bytes};
use crate::engine::content::validate::validate_scenario;
use crate::engine::diagnostic::{Diagnostic, error_count};
use crate::engine::model::matrix::Matrix;
use crate::engine::model::scenario::ScenarioStart;
use crate::interop::msel_import::{
    BUILTIN_MAPS, ImportedMsel, MselMap, MselOptions, builtin_map, import_msel as read_msel,
};

/// What `import msel` was asked.
pub(super) struct MselImport<'a> {
    pub file: &'a Path,
    pub map: &'a str,
    pub start: Option<&'a str>,
    pub id: Option<&'a str>,
    pub output: Option<&'a Path>,
    pub dry_run: bool,
    pub format: Format,
}

/// An MSEL read, and everything worth saying about the scenario it makes: the import's warnings
/// and what `validate` says of it as the file `target`.
pub(super) fn checked_msel(
    file: &Path,
    bytes: &[u8],
    map: &MselMap,
    matrix: &Matrix,
    options: &MselOptions,
    target: &Path,
) -> Result<(ImportedMsel, Vec<Diagnostic>), Vec<Diagnostic>> {
    let imported = read_msel(file, bytes, map, matrix, options)?;
    let mut problems = imported.warnings.clone();
    problems.extend(validate_scenario(
        &imported.scenario,
        matrix,
        target,
        &imported.text,
    ));
    Ok((imported, problems))
}

pub(super) fn import_msel(
    args: &MselImport<'_>,
    matrix_path: &Path,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<u8> {
    let map: MselMap = match builtin_map(args.map) {
        Some(map) => map,
        None if Path::new(args.map).is_file() => {
            match Source::read(Path::new(args.map)).and_then(|s| s.parse::<MselMap>()) {
                Ok(map) => map,
                Err(d) => {
                    write_diagnostics(err, &[&d])?;
                    return Ok(EXIT_INVALID);
                }
            }
        }
        None => {
            writeln!(
                err,
                "warroom: `--map {}` is neither a map that ships ({}) nor a map file",
                args.map,
                BUILTIN_MAPS.join(", ")
            )?;
            return Ok(EXIT_USAGE);
        }
    };
    let start = if let Some(text) = args.start {
        let minute = ScenarioStart {
            weekday: crate::engine::model::scenario::Weekday::Monday,
            time: text.to_owned(),
        }
        .minute_of_day();
        if minute.is_none() {
            writeln!(
                err,
                "warroom: `--start {text}` is not a time: write HH:MM, such as 09:00"
            )?;
            return Ok(EXIT_USAGE);
        }
        minute
    } else {
        None
    };
    let matrix = match load_matrix(matrix_path) {
        Ok(loaded) => loaded.matrix,
        Err(problems) => {
            write_diagnostics(err, &problems.iter().collect::<Vec<_>>())?;
            return Ok(EXIT_INVALID);
        }
    };
    let bytes = match read_bytes(args.file) {
        Ok(bytes) => bytes,
        Err(d) => {
            write_diagnostics(err, &[&d])?;
            return Ok(EXIT_INVALID);
        }
    };
    let options = MselOptions {
        start,
        id: args.id.map(str::to_owned),
    };
    let target = args
        .output
        .map_or_else(|| PathBuf::from("imported.ron"), Path::to_path_buf);
    let (imported, problems) =
        match checked_msel(args.file, &bytes, &map, &matrix, &options, &target) {
            Ok(checked) => checked,
            Err(problems) => {
                if args.format == Format::Json {
                    write_json(out, &json!({ "valid": false, "diagnostics": problems }))?;
                }
                write_diagnostics(err, &problems.iter().collect::<Vec<_>>())?;
                return Ok(EXIT_INVALID);
            }
        };
    let errors = error_count(&problems);
    let write = !args.dry_run && errors == 0;
    match args.format {
        Format::Json => write_json(
            out,
            &json!({
                "valid": errors == 0,
                "scenario": imported.scenario.id,
                "injects": imported.scenario.injects.len(),
                "rows": imported.rows,
                "diagnostics": problems,
                "written": write.then_some(&target),
            }),
        )?,
        Format::Text => {
            for line in &imported.rows {
                writeln!(out, "{line}")?;
            }
            write_diagnostics(err, &problems.iter().collect::<Vec<_>>())?;
        }
    }
    write_produced(
        &Produced {
            what: "the scenario the sheet makes",
            errors,
            dry_run: args.dry_run,
            format: args.format,
            target: &target,
            text: &imported.text,
            wrote: format!(
                "wrote {}: scenario `{}`, {} injects",
                target.display(),
                imported.scenario.id,
                imported.scenario.injects.len()
            ),
        },
        out,
        err,
    )
}
