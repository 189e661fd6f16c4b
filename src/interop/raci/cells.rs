//! A task's role cells turned into its RACI, and what changed said in words.

use std::collections::BTreeMap;

use crate::engine::diagnostic::{Code, Diagnostic};
use crate::engine::model::id::RoleId;
use crate::engine::model::matrix::{Phase, TaskKind};
use crate::interop::column_letters;
use crate::interop::sheet::Sheet;

/// The phases, in the order a sheet groups tasks by.
pub(super) const PHASES: [Phase; 6] = [
    Phase::Analyze,
    Phase::Contain,
    Phase::Eradicate,
    Phase::Recover,
    Phase::Communicate,
    Phase::Govern,
];

/// A phase as a sheet names it.
pub(super) fn phase_name(phase: Phase) -> &'static str {
    match phase {
        Phase::Analyze => "Analyze",
        Phase::Contain => "Contain",
        Phase::Eradicate => "Eradicate",
        Phase::Recover => "Recover",
        Phase::Communicate => "Communicate",
        Phase::Govern => "Govern",
    }
}

/// One role's cell of one task: the role, what the cell says, and where.
pub(super) struct RoleCell {
    pub(super) role: String,
    pub(super) text: String,
    pub(super) at: (usize, usize),
}

/// Sets a task's RACI from its role cells, keeping the base's order for roles that stay. A role
/// the sheet has no column for keeps what the base gives it (`covers` says which roles the sheet
/// speaks for), so a sheet of a few roles is a partial edit. `row_at` is where a problem of the
/// whole row is shown (its task id cell).
pub(super) fn apply_raci(
    sheet: &Sheet,
    row_at: (usize, usize),
    cells: &[RoleCell],
    covers: &dyn Fn(&str) -> bool,
    task: &mut TaskKind,
    problems: &mut Vec<Diagnostic>,
) {
    let mut held: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut accountable: Vec<(usize, usize, String)> = Vec::new();
    for cell in cells {
        for code in cell
            .text
            .split(['/', ',', ';', ' ', '+'])
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            let key = match code.to_ascii_uppercase().as_str() {
                "R" => "responsible",
                "A" => {
                    if !accountable.iter().any(|(_, _, r)| *r == cell.role) {
                        accountable.push((cell.at.0, cell.at.1, cell.role.clone()));
                    }
                    continue;
                }
                "C" => "consulted",
                "I" => "informed",
                "S" => "approvals",
                "S1" => "approvals_any_of",
                other => {
                    let mut problem = sheet.problem(
                        cell.at,
                        Code::UnknownCellCode,
                        &format!(
                            "`{code}` is not a RACI code: write R, A, C, I, S (sign-off) or S1 (one sign-off of several), combined as A/R"
                        ),
                    );
                    problem.hint =
                        split_run_together(other).map(|codes| format!("did you mean `{codes}`?"));
                    problems.push(problem);
                    continue;
                }
            };
            let roles = held.entry(key).or_default();
            if !roles.contains(&cell.role) {
                roles.push(cell.role.clone());
            }
        }
    }
    match accountable.as_slice() {
        [(_, _, role)] => task.accountable = RoleId::new(role.as_str()),
        [] if !task.accountable.as_str().is_empty() && !covers(task.accountable.as_str()) => {}
        [] => {
            let mut problem = sheet.problem(
                row_at,
                Code::MissingAccountable,
                &format!(
                    "task `{}` has no A: exactly one role answers for it",
                    task.id
                ),
            );
            problem.hint = Some("mark one role's cell A (A/R when it also does the work)".into());
            problems.push(problem);
        }
        [(row, column, a), rest @ ..] => {
            let others: Vec<String> = rest
                .iter()
                .map(|(r, c, role)| format!("{role} in {}{r}", column_letters(*c)))
                .collect();
            let mut problem = sheet.problem(
                (*row, *column),
                Code::MultipleAccountable,
                &format!(
                    "task `{}` has {} A's: {a} here and {}; exactly one role is Accountable",
                    task.id,
                    accountable.len(),
                    others.join(", ")
                ),
            );
            problem.hint = Some(
                "keep the A of the role that answers for the outcome; the others who do the work are R"
                    .into(),
            );
            problems.push(problem);
        }
    }
    let merge = |old: &[RoleId], new: Option<&Vec<String>>| -> Vec<RoleId> {
        let new = new.cloned().unwrap_or_default();
        let mut out: Vec<RoleId> = old
            .iter()
            .filter(|r| !covers(r.as_str()) || new.iter().any(|n| n == r.as_str()))
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
        let mut problem = sheet.problem(
            row_at,
            Code::TaskWithoutResponsible,
            &format!("task `{}` has no R: someone must do the work", task.id),
        );
        problem.hint =
            Some("mark the role that does it R (A/R when it also answers for it)".into());
        problems.push(problem);
    }
}

/// Codes written without a separator (`AR`, `rc`) as they were meant (`A/R`).
fn split_run_together(text: &str) -> Option<String> {
    let upper = text.to_ascii_uppercase();
    (upper.len() > 1 && upper.chars().all(|c| "RACIS".contains(c))).then(|| {
        upper
            .chars()
            .map(String::from)
            .collect::<Vec<_>>()
            .join("/")
    })
}

/// One line per task whose RACI, flags or citation changed.
pub(super) fn describe_change(before: &TaskKind, after: &TaskKind, added: bool) -> Option<String> {
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
