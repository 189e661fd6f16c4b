//! A matrix's RACI as a spreadsheet people edit: one row per task, one column per role, one code
//! per cell (`R`, `A`, `C`, `I`, `S` for a required sign-off, `S1` for one sign-off of several,
//! combined as `A/R`), written as CSV and read back into a matrix.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use super::{column_letters, neutralise_cell, restore_cell};
use crate::engine::diagnostic::{Code, Diagnostic, Level};
use crate::engine::model::id::{RoleId, TaskId, id_problem};
use crate::engine::model::matrix::{ASSET_OWNER, Matrix, Phase, TaskKind};

const PHASE: &str = "Phase";
const TASK_ID: &str = "Task id";
const TASK: &str = "Task";
const FLAGS: [&str; 4] = [
    "Privileged",
    "Destroys evidence",
    "Preserves evidence",
    "Alters audit trail",
];
const INFORMED_WITHIN: &str = "Informed within (min)";
const CITATION: &str = "Citation";
const OWNER_NAME: &str = "Asset owner";

const PHASES: [Phase; 6] = [
    Phase::Analyze,
    Phase::Contain,
    Phase::Eradicate,
    Phase::Recover,
    Phase::Communicate,
    Phase::Govern,
];

fn phase_name(phase: Phase) -> &'static str {
    match phase {
        Phase::Analyze => "Analyze",
        Phase::Contain => "Contain",
        Phase::Eradicate => "Eradicate",
        Phase::Recover => "Recover",
        Phase::Communicate => "Communicate",
        Phase::Govern => "Govern",
    }
}

/// The role columns, in order: internal roles, then external ones, then the asset owner.
fn role_columns(matrix: &Matrix) -> Vec<(String, String)> {
    use crate::engine::model::matrix::RoleKind;
    let mut roles: Vec<&crate::engine::model::matrix::Role> = matrix.roles.iter().collect();
    roles.sort_by_key(|r| r.kind != RoleKind::Internal);
    roles
        .iter()
        .map(|r| (r.id.to_string(), r.name.clone()))
        .chain(std::iter::once((
            ASSET_OWNER.to_owned(),
            OWNER_NAME.to_owned(),
        )))
        .collect()
}

/// The codes a role holds for a task, joined as people write them (`A/R`).
fn cell_codes(task: &TaskKind, role: &str) -> String {
    let has = |list: &[RoleId]| list.iter().any(|r| r.as_str() == role);
    let mut codes = Vec::new();
    if task.accountable.as_str() == role {
        codes.push("A");
    }
    if has(&task.responsible) {
        codes.push("R");
    }
    if has(&task.consulted) {
        codes.push("C");
    }
    if has(&task.informed) {
        codes.push("I");
    }
    if has(&task.approvals) {
        codes.push("S");
    }
    if has(&task.approvals_any_of) {
        codes.push("S1");
    }
    codes.join("/")
}

/// The matrix's RACI as CSV, tasks grouped by phase in the matrix's order within each. The same
/// matrix always gives the same bytes.
pub fn export_csv(matrix: &Matrix) -> String {
    let roles = role_columns(matrix);
    let mut header: Vec<String> = vec![PHASE.into(), TASK_ID.into(), TASK.into()];
    header.extend(roles.iter().map(|(id, name)| format!("{name} ({id})")));
    header.extend(FLAGS.iter().map(|f| (*f).to_owned()));
    header.push(INFORMED_WITHIN.into());
    header.push(CITATION.into());
    let mut rows = vec![header];
    for phase in PHASES {
        for task in matrix.tasks.iter().filter(|t| t.phase == phase) {
            let mut row = vec![
                phase_name(phase).to_owned(),
                task.id.to_string(),
                task.name.clone(),
            ];
            row.extend(roles.iter().map(|(id, _)| cell_codes(task, id)));
            for flag in [
                task.privileged,
                task.destroys_evidence,
                task.preserves_evidence,
                task.alters_audit_trail,
            ] {
                row.push(if flag { "yes".into() } else { String::new() });
            }
            row.push(
                task.informed_within_mins
                    .map_or_else(String::new, |m| m.to_string()),
            );
            row.push(task.citation.clone());
            rows.push(row);
        }
    }
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| csv_field(&neutralise_cell(c))).collect();
        let _ = writeln!(out, "{}", cells.join(","));
    }
    out
}

/// One CSV field, quoted when it must be.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// What importing a sheet made of the base matrix.
#[derive(Debug)]
pub struct Imported {
    /// The base matrix with the sheet's RACI applied.
    pub matrix: Matrix,
    /// What changed, task by task, in words.
    pub changes: Vec<String>,
}

/// Reads a RACI sheet and applies it to `base`: each row sets its task's RACI, flags and citation
/// (a task the sheet does not name keeps the base's; a task the base lacks is added). Columns are
/// found by their header, in any order and case. Every problem is reported at once, each at its
/// cell; nothing is applied unless there are none.
pub fn import_csv(path: &Path, text: &str, base: &Matrix) -> Result<Imported, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    for record in reader.records() {
        match record {
            Ok(r) => {
                let line = r.position().map_or(0, |p| p.line() as usize);
                let cells: Vec<String> = r.iter().map(|c| restore_cell(c).to_owned()).collect();
                records.push((line, cells));
            }
            Err(e) => {
                let line = e.position().map_or(1, |p| p.line() as usize);
                problems.push(located(
                    path,
                    Code::ParseError,
                    line,
                    0,
                    format!("not readable as CSV: {e}"),
                    None,
                ));
                return Err(problems);
            }
        }
    }
    let Some((header_line, header)) = records.first().cloned() else {
        return Err(vec![Diagnostic::file_error(
            Code::ParseError,
            path,
            "the sheet is empty: it needs a header row naming the task and role columns",
        )]);
    };
    let columns = Columns::find(path, header_line, &header, base, &mut problems);
    let Some(task_id_column) = columns.task_id else {
        problems.push(located(
            path,
            Code::UnknownColumn,
            header_line,
            0,
            format!("no `{TASK_ID}` column: the header row must name one"),
            Some(format!(
                "the columns Warroom writes are `{PHASE}`, `{TASK_ID}`, `{TASK}`, one per role, the flags and `{CITATION}`"
            )),
        ));
        return Err(problems);
    };
    let mut matrix = base.clone();
    let mut changes = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (line, row) in records.iter().skip(1) {
        let cell = |column: usize| row.get(column).map_or("", |c| c.trim());
        let at = |column: usize| (*line, column);
        let id = cell(task_id_column);
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if let Some(problem) = id_problem(id) {
            problems.push(cell_problem(
                path,
                at(task_id_column),
                Code::BadId,
                format!("task id: {problem}"),
            ));
            continue;
        }
        if let Some(first) = seen.insert(id.to_owned(), *line) {
            problems.push(cell_problem(
                path,
                at(task_id_column),
                Code::DuplicateId,
                format!("task `{id}` has a second row (the first is on line {first})"),
            ));
            continue;
        }
        let existing = matrix.tasks.iter().position(|t| t.id.as_str() == id);
        let mut task = existing
            .and_then(|i| matrix.tasks.get(i).cloned())
            .unwrap_or_else(|| TaskKind {
                id: TaskId::new(id),
                name: id.to_owned(),
                phase: Phase::Govern,
                responsible: Vec::new(),
                accountable: RoleId::new(""),
                consulted: Vec::new(),
                informed: Vec::new(),
                informed_within_mins: None,
                approvals: Vec::new(),
                approvals_any_of: Vec::new(),
                privileged: false,
                destroys_evidence: false,
                preserves_evidence: false,
                alters_audit_trail: false,
                citation: String::new(),
            });
        let before = task.clone();
        if let Some(c) = columns.task_name
            && !cell(c).is_empty()
        {
            cell(c).clone_into(&mut task.name);
        }
        if let Some(c) = columns.phase {
            match PHASES
                .iter()
                .find(|p| phase_name(**p).eq_ignore_ascii_case(cell(c)))
            {
                Some(p) => task.phase = *p,
                None if cell(c).is_empty() && existing.is_some() => {}
                None => problems.push(cell_problem(
                    path,
                    at(c),
                    Code::UnknownCellCode,
                    format!(
                        "`{}` is not a phase; write one of {}",
                        cell(c),
                        PHASES.map(phase_name).join(", ")
                    ),
                )),
            }
        }
        apply_raci(path, *line, row, &columns, &mut task, &mut problems);
        for (i, column) in columns.flags.iter().enumerate() {
            let Some(c) = *column else { continue };
            let value = match cell(c).to_ascii_lowercase().as_str() {
                "yes" | "y" | "x" | "true" | "1" => true,
                "" | "no" | "n" | "false" | "0" => false,
                other => {
                    problems.push(cell_problem(
                        path,
                        at(c),
                        Code::UnknownCellCode,
                        format!("`{other}` is not yes or no for `{}`", FLAGS[i.min(3)]),
                    ));
                    continue;
                }
            };
            match i {
                0 => task.privileged = value,
                1 => task.destroys_evidence = value,
                2 => task.preserves_evidence = value,
                _ => task.alters_audit_trail = value,
            }
        }
        if let Some(c) = columns.informed_within {
            task.informed_within_mins = match cell(c) {
                "" => None,
                n => match n.parse::<u32>() {
                    Ok(m) if m <= crate::engine::content::validate::MAX_DURATION_MINS => Some(m),
                    _ => {
                        problems.push(cell_problem(
                            path,
                            at(c),
                            Code::NumberOutOfRange,
                            format!("`{n}` is not a number of minutes up to a week"),
                        ));
                        None
                    }
                },
            };
        }
        if let Some(c) = columns.citation
            && !cell(c).is_empty()
        {
            cell(c).clone_into(&mut task.citation);
        }
        let change = describe_change(&before, &task, existing.is_none());
        if let Some(change) = change {
            changes.push(change);
        }
        match existing {
            Some(i) => {
                if let Some(slot) = matrix.tasks.get_mut(i) {
                    *slot = task;
                }
            }
            None => matrix.tasks.push(task),
        }
    }
    if problems.iter().any(Diagnostic::is_error) {
        return Err(problems);
    }
    Ok(Imported { matrix, changes })
}

/// Where each kind of column is.
#[derive(Default)]
struct Columns {
    phase: Option<usize>,
    task_id: Option<usize>,
    task_name: Option<usize>,
    flags: [Option<usize>; 4],
    informed_within: Option<usize>,
    citation: Option<usize>,
    /// (column, role id).
    roles: Vec<(usize, String)>,
}

/// A header cell as compared: case, spaces, curly quotes and a byte-order mark do not matter.
fn normalise(text: &str) -> String {
    text.trim_start_matches('\u{feff}')
        .replace(['\u{2018}', '\u{2019}'], "'")
        .replace(['\u{201c}', '\u{201d}'], "\"")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl Columns {
    fn find(
        path: &Path,
        line: usize,
        header: &[String],
        base: &Matrix,
        problems: &mut Vec<Diagnostic>,
    ) -> Self {
        let mut columns = Self::default();
        for (i, raw) in header.iter().enumerate() {
            let name = normalise(raw);
            if name.is_empty() {
                continue;
            }
            let fixed = |label: &str| name == normalise(label);
            if fixed(PHASE) {
                columns.phase = Some(i);
            } else if fixed(TASK_ID) {
                columns.task_id = Some(i);
            } else if fixed(TASK) {
                columns.task_name = Some(i);
            } else if let Some(f) = FLAGS.iter().position(|f| fixed(f)) {
                if let Some(slot) = columns.flags.get_mut(f) {
                    *slot = Some(i);
                }
            } else if fixed(INFORMED_WITHIN) {
                columns.informed_within = Some(i);
            } else if fixed(CITATION) {
                columns.citation = Some(i);
            } else if let Some(role) = role_of_header(&name, base) {
                columns.roles.push((i, role));
            } else {
                let known = base.roles.iter().map(|r| r.name.as_str()).chain([
                    PHASE,
                    TASK_ID,
                    TASK,
                    INFORMED_WITHIN,
                    CITATION,
                    OWNER_NAME,
                ]);
                let suggestion = crate::engine::content::validate::suggest(raw.trim(), known);
                problems.push(located(
                    path,
                    Code::UnknownColumn,
                    line,
                    i + 1,
                    format!(
                        "column {} is headed `{}`, which is neither a role of matrix `{}` nor a column Warroom reads",
                        column_letters(i),
                        raw.trim(),
                        base.id
                    ),
                    Some(suggestion.unwrap_or_else(|| {
                        "head a role column with the role's name, short name or id".to_owned()
                    })),
                ));
            }
        }
        columns
    }
}

/// The role a header names: `Legal Counsel (legal)`, the role's id, name or short name, or the
/// asset owner.
fn role_of_header(name: &str, base: &Matrix) -> Option<String> {
    let id_in_parens = name
        .strip_suffix(')')
        .and_then(|rest| rest.rsplit_once('('))
        .map(|(_, id)| id.trim().to_owned());
    if let Some(id) = id_in_parens
        && (id == ASSET_OWNER || base.role(&id).is_some())
    {
        return Some(id);
    }
    if name == ASSET_OWNER || name == normalise(OWNER_NAME) {
        return Some(ASSET_OWNER.to_owned());
    }
    base.roles
        .iter()
        .find(|r| {
            normalise(r.id.as_str()) == name
                || normalise(&r.name) == name
                || normalise(&r.short) == name
        })
        .map(|r| r.id.to_string())
}

/// Sets a task's RACI from its row's role cells, keeping the base's order for roles that stay.
fn apply_raci(
    path: &Path,
    line: usize,
    row: &[String],
    columns: &Columns,
    task: &mut TaskKind,
    problems: &mut Vec<Diagnostic>,
) {
    let mut held: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut accountable: Vec<(usize, String)> = Vec::new();
    for (column, role) in &columns.roles {
        let cell = row.get(*column).map_or("", |c| c.trim());
        for code in cell
            .split(['/', ',', ';', ' ', '+'])
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            let key = match code.to_ascii_uppercase().as_str() {
                "R" => "responsible",
                "A" => {
                    accountable.push((*column, role.clone()));
                    continue;
                }
                "C" => "consulted",
                "I" => "informed",
                "S" => "approvals",
                "S1" => "approvals_any_of",
                _ => {
                    problems.push(cell_problem(
                        path,
                        (line, *column),
                        Code::UnknownCellCode,
                        format!(
                            "`{code}` is not a RACI code: write R, A, C, I, S (sign-off) or S1 (one sign-off of several), combined as A/R"
                        ),
                    ));
                    continue;
                }
            };
            held.entry(key).or_default().push(role.clone());
        }
    }
    match accountable.as_slice() {
        [(_, role)] => task.accountable = RoleId::new(role.as_str()),
        [] => problems.push(located(
            path,
            Code::MissingAccountable,
            line,
            0,
            format!(
                "task `{}` has no A: exactly one role answers for it",
                task.id
            ),
            Some("mark one role's cell A (A/R when it also does the work)".into()),
        )),
        [(first, a), rest @ ..] => {
            let others: Vec<String> = rest
                .iter()
                .map(|(c, r)| format!("{r} in {}{line}", column_letters(*c)))
                .collect();
            problems.push(cell_problem(
                path,
                (line, *first),
                Code::MultipleAccountable,
                format!(
                    "task `{}` has {} A's: {a} here and {}; exactly one role is Accountable",
                    task.id,
                    accountable.len(),
                    others.join(", ")
                ),
            ));
        }
    }
    let merge = |old: &[RoleId], new: Option<&Vec<String>>| -> Vec<RoleId> {
        let new = new.cloned().unwrap_or_default();
        let mut out: Vec<RoleId> = old
            .iter()
            .filter(|r| new.iter().any(|n| n == r.as_str()))
            .cloned()
            .collect();
        for role in new {
            if !out.iter().any(|r| r.as_str() == role) {
                out.push(RoleId::new(role));
            }
        }
        out
    };
    task.responsible = merge(&task.responsible, held.get("responsible"));
    task.consulted = merge(&task.consulted, held.get("consulted"));
    task.informed = merge(&task.informed, held.get("informed"));
    task.approvals = merge(&task.approvals, held.get("approvals"));
    task.approvals_any_of = merge(&task.approvals_any_of, held.get("approvals_any_of"));
    if task.responsible.is_empty() {
        problems.push(located(
            path,
            Code::TaskWithoutResponsible,
            line,
            0,
            format!("task `{}` has no R: someone must do the work", task.id),
            Some("mark the role that does it R (A/R when it also answers for it)".into()),
        ));
    }
}

/// One line per task whose RACI, flags or citation changed.
fn describe_change(before: &TaskKind, after: &TaskKind, added: bool) -> Option<String> {
    if added {
        return Some(format!("added task `{}` ({})", after.id, after.name));
    }
    let list = |roles: &[RoleId]| {
        if roles.is_empty() {
            "nobody".to_owned()
        } else {
            roles
                .iter()
                .map(RoleId::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let mut parts = Vec::new();
    for (what, old, new) in [
        ("Responsible", &before.responsible, &after.responsible),
        ("Consulted", &before.consulted, &after.consulted),
        ("Informed", &before.informed, &after.informed),
        ("sign-off", &before.approvals, &after.approvals),
        (
            "one sign-off of",
            &before.approvals_any_of,
            &after.approvals_any_of,
        ),
    ] {
        if old != new {
            parts.push(format!("{what} {} → {}", list(old), list(new)));
        }
    }
    if before.accountable != after.accountable {
        parts.push(format!(
            "Accountable {} → {}",
            before.accountable, after.accountable
        ));
    }
    if before.phase != after.phase {
        parts.push(format!(
            "phase {} → {}",
            phase_name(before.phase),
            phase_name(after.phase)
        ));
    }
    let flags = |t: &TaskKind| {
        (
            t.privileged,
            t.destroys_evidence,
            t.preserves_evidence,
            t.alters_audit_trail,
        )
    };
    if flags(before) != flags(after) {
        parts.push("flags changed".to_owned());
    }
    if before.informed_within_mins != after.informed_within_mins {
        parts.push("Informed window changed".to_owned());
    }
    if before.name != after.name {
        parts.push(format!("renamed \"{}\"", after.name));
    }
    if before.citation != after.citation {
        parts.push("citation changed".to_owned());
    }
    (!parts.is_empty()).then(|| format!("task `{}`: {}", after.id, parts.join("; ")))
}

fn located(
    path: &Path,
    code: Code,
    line: usize,
    column: usize,
    message: String,
    hint: Option<String>,
) -> Diagnostic {
    Diagnostic {
        level: Level::Error,
        code,
        file: path.to_path_buf(),
        line: line.max(1),
        column: column.max(1),
        message,
        hint,
    }
}

/// A problem in one cell, named as a spreadsheet names it (`cell F12`).
fn cell_problem(
    path: &Path,
    (line, column): (usize, usize),
    code: Code,
    message: String,
) -> Diagnostic {
    located(
        path,
        code,
        line,
        column + 1,
        format!("cell {}{line}: {message}", column_letters(column)),
        None,
    )
}
