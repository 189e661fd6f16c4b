//! A matrix's RACI as a spreadsheet people edit: one row per task, one column per role, one code
//! per cell (`R`, `A`, `C`, `I`, `S` for a required sign-off, `S1` for one sign-off of several,
//! combined as `A/R`), written as CSV and read back into a matrix.

mod cells;

use std::collections::BTreeMap;
use std::path::Path;

use super::column_letters;
use super::sheet::{Row, Sheet, read_csv, write_csv};
use super::workbook::read_xlsx;
use crate::engine::diagnostic::{Code, Diagnostic, Level};
use crate::engine::model::id::{RoleId, TaskId, id_problem};
use crate::engine::model::matrix::{ASSET_OWNER, Matrix, Phase, TaskKind};
use cells::{PHASES, RoleCell, apply_raci, describe_change, phase_name};

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
const ROLE: &str = "Role";
const CODE: &str = "Code";
/// The workbook sheet of tasks and roles.
pub const RACI_SHEET: &str = "RACI";
/// The workbook sheet that says what the codes mean and which matrix the workbook came from.
pub const LEGEND_SHEET: &str = "Legend";
/// The legend's row naming the matrix.
pub const LEGEND_MATRIX: &str = "Matrix id";
/// How far down a sheet the header row is looked for.
const HEADER_SEARCH_ROWS: usize = 20;

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

/// How a RACI sheet is laid out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Layout {
    /// A row per task, a column per role, the codes in the cells: the grid people print.
    #[default]
    Wide,
    /// A row per task and role with a code: the list people filter and pivot.
    Long,
}

/// The RACI table: its header and its rows, tasks grouped by phase in the matrix's order within
/// each. The same matrix always gives the same table.
pub fn raci_table(matrix: &Matrix, layout: Layout) -> (Vec<String>, Vec<Vec<String>>) {
    let roles = role_columns(matrix);
    let mut header: Vec<String> = vec![PHASE.into(), TASK_ID.into(), TASK.into()];
    match layout {
        Layout::Wide => header.extend(roles.iter().map(|(id, name)| role_header(name, id))),
        Layout::Long => header.extend([ROLE.to_owned(), CODE.to_owned()]),
    }
    header.extend(FLAGS.iter().map(|f| (*f).to_owned()));
    header.push(INFORMED_WITHIN.into());
    header.push(CITATION.into());
    let mut rows = Vec::new();
    for phase in PHASES {
        for task in matrix.tasks.iter().filter(|t| t.phase == phase) {
            let lead = [
                phase_name(phase).to_owned(),
                task.id.to_string(),
                task.name.clone(),
            ];
            let mut tail = Vec::new();
            for flag in [
                task.privileged,
                task.destroys_evidence,
                task.preserves_evidence,
                task.alters_audit_trail,
            ] {
                tail.push(if flag { "yes".into() } else { String::new() });
            }
            tail.push(
                task.informed_within_mins
                    .map_or_else(String::new, |m| m.to_string()),
            );
            tail.push(task.citation.clone());
            match layout {
                Layout::Wide => {
                    let mut row = lead.to_vec();
                    row.extend(roles.iter().map(|(id, _)| task.raci_codes(id)));
                    row.extend(tail);
                    rows.push(row);
                }
                Layout::Long => {
                    for (id, name) in &roles {
                        let codes = task.raci_codes(id);
                        if codes.is_empty() {
                            continue;
                        }
                        let mut row = lead.to_vec();
                        row.extend([role_header(name, id), codes]);
                        row.extend(tail.iter().cloned());
                        rows.push(row);
                    }
                }
            }
        }
    }
    (header, rows)
}

fn role_header(name: &str, id: &str) -> String {
    format!("{name} ({id})")
}

/// The matrix's RACI as CSV. The same matrix always gives the same bytes.
pub fn export_csv(matrix: &Matrix, layout: Layout) -> String {
    let (header, mut rows) = raci_table(matrix, layout);
    rows.insert(0, header);
    write_csv(&rows)
}

/// What importing a sheet made of the base matrix.
#[derive(Debug)]
pub struct Imported {
    /// The base matrix with the sheet's RACI applied.
    pub matrix: Matrix,
    /// What changed, task by task, in words.
    pub changes: Vec<String>,
    /// What is worth a look but did not stop the import (a sheet exported from another matrix).
    pub warnings: Vec<Diagnostic>,
}

/// Reads a RACI sheet from a `.csv` or `.xlsx` file's bytes and applies it to `base`
/// (see [`import_sheet`]). A workbook's sheet is the one named `RACI`, else its first sheet with a
/// `Task id` column; its `Legend`, when there is one, says which matrix it came from.
pub fn import_file(path: &Path, bytes: &[u8], base: &Matrix) -> Result<Imported, Vec<Diagnostic>> {
    if !super::is_workbook(path) {
        return import_sheet(&read_csv(path, bytes)?, base);
    }
    let sheets = read_xlsx(path, bytes, |_| true)?;
    let raci = sheets
        .iter()
        .find(|s| {
            s.name
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(RACI_SHEET))
        })
        .or_else(|| sheets.iter().find(|s| header_row(s).is_some()));
    let Some(raci) = raci else {
        let names: Vec<String> = sheets.iter().filter_map(|s| s.name.clone()).collect();
        return Err(vec![
            Diagnostic::file_error(
                Code::MissingSheet,
                path,
                format!(
                    "the workbook has no `{RACI_SHEET}` sheet and no sheet with a `{TASK_ID}` column (its sheets: {})",
                    names.join(", ")
                ),
            )
            .with_hint(format!("name the sheet of tasks and roles `{RACI_SHEET}`")),
        ]);
    };
    let mut imported = import_sheet(raci, base)?;
    if let Some(legend) = sheets.iter().find(|s| {
        s.name
            .as_deref()
            .is_some_and(|n| n.eq_ignore_ascii_case(LEGEND_SHEET))
    }) && let Some(row) = legend.rows.iter().find(|r| r.get(0) == LEGEND_MATRIX)
        && !row.get(1).is_empty()
        && row.get(1) != base.id
    {
        let mut warning = legend.problem(
            (row.number, 1),
            Code::UnknownColumn,
            &format!(
                "the sheet was exported from matrix `{}`; it is applied to `{}`",
                row.get(1),
                base.id
            ),
        );
        warning.level = Level::Warning;
        warning.hint = Some(format!(
            "pass `--base` with the `{}` matrix if that is the plan this sheet edits",
            row.get(1)
        ));
        imported.warnings.push(warning);
    }
    Ok(imported)
}

/// The row naming the columns: the first, among the top rows, with a `Task id` cell (a sheet may
/// have a title or column groups above it).
fn header_row(sheet: &Sheet) -> Option<&Row> {
    sheet.rows.iter().take(HEADER_SEARCH_ROWS).find(|row| {
        row.cells()
            .any(|(_, text)| normalise(text) == normalise(TASK_ID))
    })
}

/// Applies a RACI sheet to `base`: each task the sheet names gets its RACI, flags, name, phase
/// and citation from it (a task the sheet does not name keeps the base's; a task the base lacks is
/// added). The layout is read off the header: a column per role (wide), or `Role` and `Code`
/// columns (long). Columns are found by their header, in any order and case. Every problem is
/// reported at once, each at its cell; nothing is applied unless there are none.
pub fn import_sheet(sheet: &Sheet, base: &Matrix) -> Result<Imported, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let Some(header) = header_row(sheet) else {
        let first = sheet.rows.first().map_or(1, |r| r.number);
        let mut problem = if sheet.rows.is_empty() {
            sheet.problem(
                (1, 0),
                Code::ParseError,
                &format!(
                    "{} is empty: it needs a header row naming the task and role columns",
                    sheet.describe()
                ),
            )
        } else {
            sheet.problem(
                (first, 0),
                Code::UnknownColumn,
                &format!("no `{TASK_ID}` column: the header row must name one"),
            )
        };
        problem.hint = Some(format!(
            "the columns Warroom writes are `{PHASE}`, `{TASK_ID}`, `{TASK}`, one per role (or `{ROLE}` and `{CODE}`), the flags and `{CITATION}`"
        ));
        return Err(vec![problem]);
    };
    let columns = Columns::find(sheet, header, base, &mut problems);
    let Some(task_id_column) = columns.task_id else {
        return Err(problems);
    };
    let long = columns.role.is_some() || columns.code.is_some();
    if long && (columns.role.is_none() || columns.code.is_none()) {
        problems.push(sheet.problem(
            (header.number, columns.role.or(columns.code).unwrap_or(0)),
            Code::UnknownColumn,
            &format!("a list of assignments needs both a `{ROLE}` and a `{CODE}` column"),
        ));
        return Err(problems);
    }
    // The rows of each task, in the order the sheet first names them.
    let mut tasks: Vec<(String, Vec<&Row>)> = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for row in sheet.rows.iter().filter(|r| r.number > header.number) {
        let id = row.get(task_id_column);
        if let Some(problem) = id_problem(id) {
            problems.push(sheet.problem(
                (row.number, task_id_column),
                Code::BadId,
                &format!("task id: {problem}"),
            ));
            continue;
        }
        match seen.get(id) {
            Some(&i) if long => {
                if let Some((_, rows)) = tasks.get_mut(i) {
                    rows.push(row);
                }
            }
            Some(&i) => {
                let first = tasks
                    .get(i)
                    .and_then(|(_, rows)| rows.first())
                    .map_or(0, |r| r.number);
                problems.push(sheet.problem(
                    (row.number, task_id_column),
                    Code::DuplicateId,
                    &format!("task `{id}` has a second row (the first is row {first})"),
                ));
            }
            None => {
                seen.insert(id.to_owned(), tasks.len());
                tasks.push((id.to_owned(), vec![row]));
            }
        }
    }
    let mut matrix = base.clone();
    let mut changes = Vec::new();
    for (id, rows) in tasks {
        let Some(first_row) = rows.first().copied() else {
            continue;
        };
        let cell = |column: usize| first_row.get(column);
        let at = |column: usize| (first_row.number, column);
        let existing = matrix.tasks.iter().position(|t| t.id.as_str() == id);
        let mut task = existing
            .and_then(|i| matrix.tasks.get(i).cloned())
            .unwrap_or_else(|| new_task(&id));
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
                None => problems.push(sheet.problem(
                    at(c),
                    Code::UnknownCellCode,
                    &format!(
                        "`{}` is not a phase; write one of {}",
                        cell(c),
                        PHASES.map(phase_name).join(", ")
                    ),
                )),
            }
        }
        let role_cells =
            if let (Some(role_column), Some(code_column)) = (columns.role, columns.code) {
                long_role_cells(sheet, &rows, role_column, code_column, base, &mut problems)
            } else {
                columns
                    .roles
                    .iter()
                    .map(|(column, role)| RoleCell {
                        role: role.clone(),
                        text: first_row.get(*column).to_owned(),
                        at: at(*column),
                    })
                    .collect()
            };
        // A list of assignments speaks for every role; a grid for the roles it has columns for.
        let covers = |role: &str| long || columns.roles.iter().any(|(_, r)| r == role);
        apply_raci(
            sheet,
            at(task_id_column),
            &role_cells,
            &covers,
            &mut task,
            &mut problems,
        );
        for (i, column) in columns.flags.iter().enumerate() {
            let Some(c) = *column else { continue };
            let value = match cell(c).to_ascii_lowercase().as_str() {
                "yes" | "y" | "x" | "true" | "1" => true,
                "" | "no" | "n" | "false" | "0" => false,
                other => {
                    problems.push(sheet.problem(
                        at(c),
                        Code::UnknownCellCode,
                        &format!("`{other}` is not yes or no for `{}`", FLAGS[i.min(3)]),
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
                        problems.push(sheet.problem(
                            at(c),
                            Code::NumberOutOfRange,
                            &format!("`{n}` is not a number of minutes up to a week"),
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
        if let Some(change) = describe_change(&before, &task, existing.is_none()) {
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
    Ok(Imported {
        matrix,
        changes,
        warnings: problems,
    })
}

fn new_task(id: &str) -> TaskKind {
    TaskKind {
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
    }
}

/// The role cells of one task in the long layout: a row per role, the role named in words.
fn long_role_cells(
    sheet: &Sheet,
    rows: &[&Row],
    role_column: usize,
    code_column: usize,
    base: &Matrix,
    problems: &mut Vec<Diagnostic>,
) -> Vec<RoleCell> {
    let mut cells = Vec::new();
    for row in rows {
        let named = row.get(role_column);
        if named.is_empty() && row.get(code_column).is_empty() {
            continue;
        }
        if let Some(role) = role_of_header(&normalise(named), base) {
            cells.push(RoleCell {
                role,
                text: row.get(code_column).to_owned(),
                at: (row.number, code_column),
            });
        } else {
            let mut problem = sheet.problem(
                (row.number, role_column),
                Code::UnknownRole,
                &format!("`{named}` is not a role of matrix `{}`", base.id),
            );
            problem.hint = Some(
                crate::engine::content::validate::suggest(
                    named,
                    base.roles.iter().map(|r| r.name.as_str()),
                )
                .unwrap_or_else(|| "name the role by its name, short name or id".to_owned()),
            );
            problems.push(problem);
        }
    }
    cells
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
    /// The long layout's role and code columns.
    role: Option<usize>,
    code: Option<usize>,
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
    fn find(sheet: &Sheet, header: &Row, base: &Matrix, problems: &mut Vec<Diagnostic>) -> Self {
        let mut columns = Self::default();
        for (i, raw) in header.cells() {
            let name = normalise(raw);
            let fixed = |label: &str| name == normalise(label);
            if fixed(PHASE) {
                columns.phase = Some(i);
            } else if fixed(TASK_ID) {
                columns.task_id = Some(i);
            } else if fixed(TASK) {
                columns.task_name = Some(i);
            } else if fixed(ROLE) {
                columns.role = Some(i);
            } else if fixed(CODE) {
                columns.code = Some(i);
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
                    ROLE,
                    CODE,
                    INFORMED_WITHIN,
                    CITATION,
                    OWNER_NAME,
                ]);
                let suggestion = crate::engine::content::validate::suggest(raw, known);
                let mut problem = sheet.problem(
                    (header.number, i),
                    Code::UnknownColumn,
                    &format!(
                        "column {} is headed `{raw}`, which is neither a role of matrix `{}` nor a column Warroom reads",
                        column_letters(i),
                        base.id
                    ),
                );
                problem.hint = Some(suggestion.unwrap_or_else(|| {
                    "head a role column with the role's name, short name or id".to_owned()
                }));
                problems.push(problem);
            }
        }
        if columns.task_id.is_none() {
            problems.push(sheet.problem(
                (header.number, 0),
                Code::UnknownColumn,
                &format!("no `{TASK_ID}` column: the header row must name one"),
            ));
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
