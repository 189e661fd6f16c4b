//! `warroom derive matrix`: an organisation's plan made from a base matrix by merging roles into
//! one desk (and, from a `MatrixPatch` file, renaming roles and changing RACI cells), with every
//! conflict the merge creates listed with a fix.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use serde_json::json;

use super::output::{
    EXIT_INVALID, EXIT_USAGE, Format, Produced, write_diagnostics, write_json, write_produced,
};
use super::sheets::matrix_ron;
use crate::engine::content::derive::{Conflict, Derived, PatchEntry, derive};
use crate::engine::content::library::{derive_from_patch, load_matrix};
use crate::engine::content::load::Source;
use crate::engine::content::validate::validate_matrix;
use crate::engine::diagnostic::{Diagnostic, error_count};
use crate::engine::model::patch::{MatrixPatch, Merge};

/// `warroom derive …`.
#[derive(Debug, Clone, Subcommand)]
pub enum DeriveCommand {
    /// An organisation's plan from a base matrix: roles merged into one desk (their ids become
    /// aliases, so every scenario still plays), and from a patch file renamed roles and changed
    /// RACI cells. Lists every conflict the merge creates with a fix.
    Matrix {
        /// A `MatrixPatch( … )` file: its base, merges, renames and RACI changes.
        patch: Option<PathBuf>,
        /// The base matrix (default: the patch's `base`, else `--matrix`, else the shipped one).
        #[arg(long, value_name = "FILE")]
        from: Option<PathBuf>,
        /// Roles made one desk: `legal,pr_comms=comms_legal` (a new role) or `ir_manager=soc`
        /// (folded into an existing one). Repeatable; applied after the patch's own merges.
        #[arg(long = "merge", value_name = "ROLES=DESK")]
        merges: Vec<String>,
        /// The derived plan's id (recorded in session logs).
        #[arg(long)]
        id: Option<String>,
        /// Where to write the derived matrix (`.ron`).
        #[arg(short, long, value_name = "FILE", required_unless_present = "dry_run")]
        output: Option<PathBuf>,
        /// Print what the plan would be; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

/// `a,b=c` as a merge.
fn parse_merge(text: &str) -> Result<Merge, String> {
    let Some((roles, into)) = text.split_once('=') else {
        return Err(format!(
            "`--merge {text}` needs `ROLES=DESK`, such as `legal,pr_comms=comms_legal`"
        ));
    };
    let roles: Vec<String> = roles
        .split(',')
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_owned)
        .collect();
    if roles.is_empty() || into.trim().is_empty() {
        return Err(format!(
            "`--merge {text}` needs roles before `=` and the desk after it"
        ));
    }
    Ok(Merge {
        roles,
        into: into.trim().to_owned(),
        ..Merge::default()
    })
}

pub(super) fn derive_matrix(
    command: &DeriveCommand,
    matrix_path: &Path,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<u8> {
    let DeriveCommand::Matrix {
        patch,
        from,
        merges,
        id,
        output,
        dry_run,
        format,
    } = command;
    let mut extra = Vec::new();
    for text in merges {
        match parse_merge(text) {
            Ok(merge) => extra.push(merge),
            Err(message) => {
                writeln!(err, "warroom: {message}")?;
                return Ok(EXIT_USAGE);
            }
        }
    }
    let target = output
        .clone()
        .unwrap_or_else(|| PathBuf::from("derived.ron"));
    // A patch file on its own is derived as `--matrix PATCH` would load it: every entry located.
    let outcome = match patch {
        Some(path) if extra.is_empty() && from.is_none() && id.is_none() => {
            match Source::read(path).map_err(|d| vec![d]).and_then(|source| {
                derive_from_patch(&source).map(|(loaded, derived)| (loaded.warnings, derived))
            }) {
                Ok(found) => found,
                Err(problems) => return refused(&problems, *format, out, err),
            }
        }
        _ => {
            let mut plan = MatrixPatch::default();
            let mut base_path = matrix_path.to_path_buf();
            if let Some(path) = patch {
                match Source::read(path).and_then(|s| s.parse::<MatrixPatch>()) {
                    Ok(p) => {
                        base_path = path
                            .parent()
                            .unwrap_or_else(|| Path::new("."))
                            .join(&p.base);
                        plan = p;
                    }
                    Err(d) => return refused(&[d], *format, out, err),
                }
            }
            if let Some(from) = from {
                base_path.clone_from(from);
            }
            plan.merges.extend(extra);
            if let Some(id) = id {
                plan.id.clone_from(id);
            }
            let base = match load_matrix(&base_path) {
                Ok(loaded) => loaded,
                Err(problems) => return refused(&problems, *format, out, err),
            };
            let derived = derive(&base.matrix, &plan);
            let text = matrix_ron(&derived.matrix).map_err(std::io::Error::other)?;
            (validate_matrix(&derived.matrix, &target, &text), derived)
        }
    };
    let (diagnostics, derived) = outcome;
    let errors = error_count(&diagnostics);
    let text = matrix_ron(&derived.matrix).map_err(std::io::Error::other)?;
    let write = !dry_run && errors == 0;
    match format {
        Format::Json => write_json(
            out,
            &json!({
                "valid": errors == 0,
                "matrix": derived.matrix.id,
                "roles": derived.matrix.roles.len(),
                "aliases": derived.matrix.aliases.iter().map(|a| json!({"id": a.id, "is": a.is})).collect::<Vec<_>>(),
                "conflicts": derived.conflicts.iter().map(conflict_json).collect::<Vec<_>>(),
                "stale": derived.stale.iter().map(|s| json!({"entry": entry_name(s.entry), "message": s.message})).collect::<Vec<_>>(),
                "diagnostics": diagnostics,
                "written": write.then_some(&target),
            }),
        )?,
        Format::Text => {
            print_summary(&derived, out)?;
            write_diagnostics(err, &diagnostics.iter().collect::<Vec<&Diagnostic>>())?;
        }
    }
    write_produced(
        &Produced {
            what: "the derived plan",
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

fn refused(
    problems: &[Diagnostic],
    format: Format,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<u8> {
    if format == Format::Json {
        write_json(out, &json!({ "valid": false, "diagnostics": problems }))?;
    }
    write_diagnostics(err, &problems.iter().collect::<Vec<_>>())?;
    Ok(EXIT_INVALID)
}

fn entry_name(entry: PatchEntry) -> String {
    let (section, _, index) = entry.field();
    format!("{section}[{index}]")
}

fn conflict_json(conflict: &Conflict) -> serde_json::Value {
    json!({
        "entry": entry_name(conflict.entry),
        "place": conflict.place,
        "problem": conflict.problem,
        "fix": conflict.fix,
        "fixed": conflict.fixed,
    })
}

fn print_summary(derived: &Derived, out: &mut dyn Write) -> std::io::Result<()> {
    let matrix = &derived.matrix;
    writeln!(
        out,
        "Plan `{}`: {} roles, {} tasks.",
        matrix.id,
        matrix.roles.len(),
        matrix.tasks.len()
    )?;
    for alias in &matrix.aliases {
        writeln!(
            out,
            "  `{}` is now {} (`{}`)",
            alias.id,
            matrix.role_name(alias.is.as_str()),
            alias.is
        )?;
    }
    let (open, fixed): (Vec<&Conflict>, Vec<&Conflict>) =
        derived.conflicts.iter().partition(|c| !c.fixed);
    if !open.is_empty() {
        writeln!(
            out,
            "\n{} conflict{} the merge created, to settle:",
            open.len(),
            if open.len() == 1 { "" } else { "s" }
        )?;
        for conflict in open {
            writeln!(out, "  {}: {}", conflict.place, conflict.problem)?;
            writeln!(out, "    fix: {}", conflict.fix)?;
        }
    }
    if !fixed.is_empty() {
        writeln!(out, "\nSettled in the derived plan:")?;
        for conflict in fixed {
            writeln!(
                out,
                "  {}: {} ({})",
                conflict.place, conflict.problem, conflict.fix
            )?;
        }
    }
    if !derived.stale.is_empty() {
        writeln!(out, "\nEntries that no longer apply, left out:")?;
        for stale in &derived.stale {
            writeln!(out, "  {}: {}", entry_name(stale.entry), stale.message)?;
        }
    }
    writeln!(out)?;
    Ok(())
}
