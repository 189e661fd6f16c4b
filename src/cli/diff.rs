//! `warroom diff A B`: what changing a plan (or a scenario) from A to B changes — the RACI cells,
//! rules and injects, then each script's grade A → B with the findings only one side has. The exit
//! code makes it a review gate for a plan kept in git: 0 no verdict changed, 1 invalid input,
//! 3 verdicts changed.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use super::output::{EXIT_INVALID, EXIT_OK, EXIT_USAGE, write_diagnostics};
use crate::engine::content::library::{default_content_dir, load_matrix, scenario_from_source};
use crate::engine::content::load::{FileKind, Source, ron_files_of};
use crate::engine::content::script::Decisions;
use crate::engine::diagnostic::Diagnostic;
use crate::engine::model::matrix::Matrix;
use crate::engine::model::scenario::Scenario;
use crate::engine::reports::compare::{
    GradeChange, GradingSet, MatrixChanges, grade_changes, grade_script, matrix_changes,
    total_label,
};
use crate::engine::reports::scorecard::md_escape;
use crate::engine::scoring::{Finding, FindingKind};

/// Exit code of `warroom diff` when some script's verdict differs between A and B.
pub const EXIT_VERDICTS_CHANGED: u8 = 3;

/// `warroom diff`.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The plan or scenario before: a `Matrix(…)`, `MatrixPatch(…)` or `Scenario(…)` file.
    pub before: PathBuf,
    /// The same after.
    pub after: PathBuf,
    /// Where the scenarios the scripts play are (default: the shipped folder).
    #[arg(long, value_name = "DIR")]
    pub scenarios: Option<PathBuf>,
    /// Scripts (`Decisions(…)` files, or folders of them) to grade under A and B (default: those
    /// under the scenarios' folder; for two scenarios, under the second one's folder).
    #[arg(long, value_name = "PATH")]
    pub scripts: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: DiffFormat,
}

/// How `warroom diff` writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// Markdown, for a review or a pull request.
    #[default]
    Md,
    /// JSON.
    Json,
}

/// What `warroom diff` found.
#[derive(Debug, Serialize)]
struct Diff {
    before: String,
    after: String,
    /// For two plans.
    #[serde(skip_serializing_if = "Option::is_none")]
    plan: Option<MatrixChanges>,
    /// For two scenarios: the injects added, removed and changed, by id.
    #[serde(skip_serializing_if = "Option::is_none")]
    injects: Option<InjectChanges>,
    grades: Vec<GradeChange>,
    verdicts_changed: bool,
}

#[derive(Debug, Default, Serialize)]
struct InjectChanges {
    added: Vec<String>,
    removed: Vec<String>,
    changed: Vec<String>,
}

/// Runs `warroom diff`; `matrix_path` grades two scenarios.
pub fn diff(
    args: &DiffArgs,
    matrix_path: &Path,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<u8> {
    if let Some(missing) = args.scripts.iter().find(|p| !p.exists()) {
        writeln!(
            err,
            "warroom: no such file or folder: {}",
            missing.display()
        )?;
        return Ok(EXIT_USAGE);
    }
    let read = |path: &Path| Source::read(path);
    let (before, after) = match (read(&args.before), read(&args.after)) {
        (Ok(b), Ok(a)) => (b, a),
        (b, a) => {
            let problems: Vec<Diagnostic> = [b.err(), a.err()].into_iter().flatten().collect();
            write_diagnostics(err, &problems.iter().collect::<Vec<_>>())?;
            return Ok(EXIT_INVALID);
        }
    };
    let is_plan = |kind| matches!(kind, FileKind::Matrix | FileKind::MatrixPatch);
    let diff = match (before.kind(), after.kind()) {
        (b, a) if is_plan(b) && is_plan(a) => plans(args, &before, &after, err)?,
        (FileKind::Scenario, FileKind::Scenario) => {
            scenarios(args, &before, &after, matrix_path, err)?
        }
        (b, a) => {
            writeln!(
                err,
                "warroom: diff compares two plans or two scenarios; {} is {} and {} is {}",
                args.before.display(),
                kind_name(b),
                args.after.display(),
                kind_name(a)
            )?;
            return Ok(EXIT_USAGE);
        }
    };
    let Some(diff) = diff else {
        return Ok(EXIT_INVALID);
    };
    match args.format {
        DiffFormat::Json => writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&diff).map_err(std::io::Error::other)?
        )?,
        DiffFormat::Md => write!(out, "{}", markdown(&diff))?,
    }
    Ok(if diff.verdicts_changed {
        EXIT_VERDICTS_CHANGED
    } else {
        EXIT_OK
    })
}

fn kind_name(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Matrix => "a plan",
        FileKind::MatrixPatch => "a plan patch",
        FileKind::Scenario => "a scenario",
        FileKind::Decisions => "a script",
        FileKind::SessionLog => "a session log",
        FileKind::QuestionSet => "a question set",
        FileKind::Unknown => "not a Warroom file",
    }
}

/// Two plans: every script under the scenarios' folder, graded under each.
fn plans(
    args: &DiffArgs,
    before: &Source,
    after: &Source,
    err: &mut dyn Write,
) -> std::io::Result<Option<Diff>> {
    let (Some(a), Some(b)) = (
        loaded_plan(&before.path, err)?,
        loaded_plan(&after.path, err)?,
    ) else {
        return Ok(None);
    };
    let dir = args.scenarios.clone().unwrap_or_else(default_content_dir);
    let script_paths = if args.scripts.is_empty() {
        vec![dir.clone()]
    } else {
        args.scripts.clone()
    };
    let set = GradingSet::read(&dir, &script_paths);
    let grades = grade_changes(set.grade(&a), set.grade(&b));
    Ok(Some(finish(
        before,
        after,
        Some(matrix_changes(&a, &b)),
        None,
        grades,
    )))
}

/// Two versions of a scenario: the scripts that play it, graded in each under one plan.
fn scenarios(
    args: &DiffArgs,
    before: &Source,
    after: &Source,
    matrix_path: &Path,
    err: &mut dyn Write,
) -> std::io::Result<Option<Diff>> {
    let Some(matrix) = loaded_plan(matrix_path, err)? else {
        return Ok(None);
    };
    let load = |source: &Source| scenario_from_source(source, &matrix);
    let (a, b) = match (load(before), load(after)) {
        (Ok(a), Ok(b)) => (a.scenario, b.scenario),
        (a, b) => {
            let problems: Vec<Diagnostic> =
                [a.err(), b.err()].into_iter().flatten().flatten().collect();
            write_diagnostics(err, &problems.iter().collect::<Vec<_>>())?;
            return Ok(None);
        }
    };
    let script_paths = if args.scripts.is_empty() {
        let folder = after.path.parent().unwrap_or(Path::new(".")).to_path_buf();
        vec![args.scenarios.clone().unwrap_or(folder)]
    } else {
        args.scripts.clone()
    };
    let mut grades = Vec::new();
    for (source, decisions) in scripts(&script_paths, &matrix, err)? {
        if decisions.scenario != b.id && decisions.scenario != a.id {
            continue;
        }
        let under = |scenario: &Arc<Scenario>| {
            let mut decisions = decisions.clone();
            // The script plays whichever version, even if the edit renamed the scenario.
            decisions.scenario = scenario.id.clone();
            grade_script(
                Arc::clone(scenario),
                Arc::clone(&matrix),
                &decisions,
                &source,
            )
        };
        grades.push(GradeChange::new(
            b.id.as_str(),
            &script_name(&source.path),
            under(&a),
            under(&b),
        ));
    }
    Ok(Some(finish(
        before,
        after,
        None,
        Some(inject_changes(&a, &b)),
        grades,
    )))
}

fn finish(
    before: &Source,
    after: &Source,
    plan: Option<MatrixChanges>,
    injects: Option<InjectChanges>,
    grades: Vec<GradeChange>,
) -> Diff {
    Diff {
        before: before.path.display().to_string(),
        after: after.path.display().to_string(),
        verdicts_changed: grades.iter().any(GradeChange::changed),
        plan,
        injects,
        grades,
    }
}

fn loaded_plan(path: &Path, err: &mut dyn Write) -> std::io::Result<Option<Arc<Matrix>>> {
    match load_matrix(path) {
        Ok(loaded) => Ok(Some(loaded.matrix)),
        Err(problems) => {
            write_diagnostics(err, &problems.iter().collect::<Vec<_>>())?;
            Ok(None)
        }
    }
}

/// The `Decisions(…)` files under `paths`, each with its script, in path order. A script that does
/// not read is reported and left out.
fn scripts(
    paths: &[PathBuf],
    matrix: &Matrix,
    err: &mut dyn Write,
) -> std::io::Result<Vec<(Source, Decisions)>> {
    let mut found = Vec::new();
    for file in ron_files_of(paths) {
        let Ok(source) = Source::read(&file) else {
            continue;
        };
        if source.kind() != FileKind::Decisions {
            continue;
        }
        match source.parse_under::<Decisions>(matrix) {
            Ok(decisions) => found.push((source, decisions)),
            Err(problem) => write_diagnostics(err, &[&problem])?,
        }
    }
    Ok(found)
}

fn script_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn inject_changes(before: &Scenario, after: &Scenario) -> InjectChanges {
    let mut changes = InjectChanges::default();
    for inject in &after.injects {
        match before.injects.iter().find(|i| i.id == inject.id) {
            None => changes.added.push(inject.id.to_string()),
            Some(old) if ron::to_string(old).ok() != ron::to_string(inject).ok() => {
                changes.changed.push(inject.id.to_string());
            }
            Some(_) => {}
        }
    }
    changes.removed = before
        .injects
        .iter()
        .filter(|i| after.injects.iter().all(|a| a.id != i.id))
        .map(|i| i.id.to_string())
        .collect();
    changes
}

fn markdown(diff: &Diff) -> String {
    use std::fmt::Write as _;
    let mut md = String::new();
    let _ = writeln!(
        md,
        "# What changes from {} to {}\n",
        diff.before, diff.after
    );
    if let Some(plan) = &diff.plan {
        md.push_str("## The plan\n\n");
        if plan.is_empty() {
            md.push_str("The two plans say the same.\n\n");
        }
        for (what, names) in [
            ("Roles added", &plan.roles_added),
            ("Roles removed", &plan.roles_removed),
            ("Tasks added", &plan.tasks_added),
            ("Tasks removed", &plan.tasks_removed),
            ("Rules changed", &plan.rules),
        ] {
            if !names.is_empty() {
                let _ = writeln!(md, "- {what}: {}", names.join(", "));
            }
        }
        if !plan.cells.is_empty() {
            md.push_str("\n| Task | Role | Before | After |\n|---|---|---|---|\n");
            for cell in &plan.cells {
                let codes = |c: &str| {
                    if c.is_empty() {
                        "—".to_owned()
                    } else {
                        c.to_owned()
                    }
                };
                let _ = writeln!(
                    md,
                    "| {} | {} | {} | {} |",
                    md_escape(&cell.task_name),
                    md_escape(&cell.role_name),
                    codes(&cell.before),
                    codes(&cell.after)
                );
            }
        }
        md.push('\n');
    }
    if let Some(injects) = &diff.injects {
        md.push_str("## The scenario\n\n");
        for (what, ids) in [
            ("Injects added", &injects.added),
            ("Injects removed", &injects.removed),
            ("Injects changed", &injects.changed),
        ] {
            if !ids.is_empty() {
                let _ = writeln!(md, "- {what}: {}", ids.join(", "));
            }
        }
        md.push('\n');
    }
    md.push_str("## Grades\n\n");
    if diff.grades.is_empty() {
        md.push_str("No script plays these scenarios: pass `--scripts` to grade some.\n");
    }
    for grade in &diff.grades {
        let mark = if grade.changed() { "" } else { " (unchanged)" };
        let _ = writeln!(
            md,
            "### {} · {}: {} → {}{mark}\n",
            grade.scenario,
            grade.script,
            total_label(&grade.before),
            total_label(&grade.after)
        );
        for (side, graded) in [("Before", &grade.before), ("After", &grade.after)] {
            if let Err(why) = graded {
                let _ = writeln!(md, "{side}, it does not play: {why}\n");
            }
        }
        findings_md(&mut md, "Only before", &grade.only_before);
        findings_md(&mut md, "Only after", &grade.only_after);
    }
    md
}

fn findings_md(md: &mut String, heading: &str, findings: &[Finding]) {
    use std::fmt::Write as _;
    if findings.is_empty() {
        return;
    }
    let _ = writeln!(md, "{heading}:\n");
    for f in findings {
        let what = match f.kind {
            FindingKind::Deduction => format!("{} points", f.points),
            FindingKind::Credit => "credit".to_owned(),
            FindingKind::NotReached => "not reached".to_owned(),
            FindingKind::NotTested => "not tested".to_owned(),
        };
        let _ = writeln!(
            md,
            "- T+{:02} {} ({what}): {} — cites: {}",
            f.minute,
            f.dimension.label(),
            md_escape(&f.message),
            md_escape(&f.citation)
        );
    }
    md.push('\n');
}
