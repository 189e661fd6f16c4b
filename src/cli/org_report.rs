//! `warroom report organisation`: the organisation's weak spots from many learners' records, read
//! from the learning record store (`--lrs`) or built from a folder of saves and the progress
//! database.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::exercise::ReportArgs;
use super::lrs_cli::{EXIT_UNREACHABLE, since_arg};
use super::output::write_output_file;
use super::{EXIT_INVALID, EXIT_OK, EXIT_USAGE};
use crate::engine::content::library::Library;
use crate::interop::xapi::Identity;
use crate::interop::xapi::client::LrsClient;
use crate::interop::xapi::organisation::{aggregate, read_statements};
use crate::interop::xapi::organisation_html::to_html;
use crate::lrs::history;
use crate::store::{ProgressDb, default_profile, saves};

/// The word that asks `warroom report` for the organisation's report instead of an exercise's.
pub const ORGANISATION: &str = "organisation";

/// Activity ids for statements built only to be read back here; they never leave the machine.
fn local_identity() -> Identity {
    Identity {
        base_iri: "https://warroom.invalid/warroom".into(),
        home_page: "https://warroom.invalid".into(),
        pseudonymous: false,
        emails: std::collections::BTreeMap::new(),
    }
}

/// Writes the organisation's report.
pub fn organisation_report(
    args: &ReportArgs,
    matrix_path: &Path,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<u8> {
    let since = match since_arg(args.since.as_deref(), err)? {
        Ok(since) => since,
        Err(code) => return Ok(code),
    };
    let library = Library::load(&super::output::content_paths(&[]), matrix_path);
    let (statements, source) = if args.lrs {
        let config = match crate::lrs::configured() {
            Ok(Some(config)) => config,
            Ok(None) => {
                writeln!(
                    err,
                    "warroom: --lrs: no learning record store is configured (lrs.ron in {}, or WARROOM_LRS_ENDPOINT)",
                    crate::store::data_dir().display()
                )?;
                return Ok(EXIT_USAGE);
            }
            Err(message) => {
                writeln!(err, "warroom: {message}")?;
                return Ok(EXIT_INVALID);
            }
        };
        let client = LrsClient::new(&config);
        let since = since.map(crate::interop::xapi::timestamp);
        match client.fetch_statements(since.as_deref()) {
            Ok(statements) => (
                statements,
                format!("the learning record store at {}", config.endpoint),
            ),
            Err(e) => {
                writeln!(err, "warroom: {e}")?;
                return Ok(EXIT_UNREACHABLE);
            }
        }
    } else {
        let dir = args.saves.clone().unwrap_or_else(saves::default_dir);
        let db_path: PathBuf = args
            .db
            .clone()
            .unwrap_or_else(crate::store::progress_db::default_path);
        let mut db = match ProgressDb::open_read_only(&db_path, &default_profile()) {
            Ok(db) => db,
            Err(e) => {
                writeln!(err, "warroom: {e}")?;
                return Ok(EXIT_INVALID);
            }
        };
        let collected = history::collect(
            db.as_mut(),
            &local_identity(),
            &library,
            &dir,
            &default_profile(),
            since,
        );
        let collected = match collected {
            Ok(collected) => collected,
            Err(e) => {
                writeln!(err, "warroom: {e}")?;
                return Ok(EXIT_INVALID);
            }
        };
        for skipped in &collected.skipped {
            writeln!(err, "warroom: left out: {skipped}")?;
        }
        let statements = collected
            .statements
            .iter()
            .filter_map(|s| serde_json::to_value(s).ok())
            .collect();
        (statements, format!("the saves in {}", dir.display()))
    };
    let (runs, answers) = read_statements(&statements);
    let report = aggregate(&runs, &answers);
    let matrix = library.matrix.as_ref().map(|m| &m.matrix);
    let role_name = |id: &str| match (id, matrix) {
        ("", _) => crate::interop::xapi::organisation_html::NO_ROLE.to_owned(),
        (_, Some(m)) => m.role_name(id).to_owned(),
        (_, None) => id.to_owned(),
    };
    let html = to_html(&report, &role_name, &source);
    match &args.output {
        Some(file) => {
            if let Err(e) = write_output_file(file, &html) {
                writeln!(err, "warroom: cannot write {}: {e}", file.display())?;
                return Ok(EXIT_USAGE);
            }
            writeln!(
                out,
                "Wrote {} ({} learners, {} finished exercises, {} quiz answers)",
                file.display(),
                report.learners,
                report.runs,
                report.answers
            )?;
        }
        None => write!(out, "{html}")?,
    }
    Ok(EXIT_OK)
}
