//! An organisation's plan derived from a base matrix and a [`MatrixPatch`]: merged desks, renamed
//! roles and changed RACI cells. Merging is more than a find-and-replace of role ids: a desk that
//! was two roles can end up doing the work and signing it off, sending a message and approving it,
//! or being engaged where over-escalation calls it noise. Every such conflict is listed with a fix;
//! the harmless ones (the same cell twice, a role told of what it does itself) are fixed at once.

use std::collections::{BTreeMap, BTreeSet};

use crate::engine::model::id::{RoleId, TaskId, id_problem, with_role_aliases};
use crate::engine::model::matrix::{Alias, Matrix, Role, RoleKind, TaskKind};
use crate::engine::model::patch::{MatrixPatch, Merge, RaciChange};

/// Which entry of a patch something is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PatchEntry {
    /// `merges[i]`.
    Merge(usize),
    /// `renames[i]`.
    Rename(usize),
    /// `raci[i]`.
    Raci(usize),
}

impl PatchEntry {
    /// The patch's list this entry is in and the field that starts each of its items: where to
    /// point in the file.
    pub fn field(self) -> (&'static str, &'static str, usize) {
        match self {
            Self::Merge(i) => ("merges", "roles", i),
            Self::Rename(i) => ("renames", "role", i),
            Self::Raci(i) => ("raci", "task", i),
        }
    }
}

/// A patch entry that does not apply to this base (a role or task it names is gone): it is left
/// out, and everything else applies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stale {
    /// The entry.
    pub entry: PatchEntry,
    /// Why it does not apply, in words.
    pub message: String,
}

/// Something the merge made contradictory, and what to do about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    /// The merge that made it.
    pub entry: PatchEntry,
    /// What it is about: ``task `external_statement` ``, ``audience `customers` ``.
    pub place: String,
    /// What contradicts what.
    pub problem: String,
    /// The fix proposed, or the one made.
    pub fix: String,
    /// Whether the derived plan already has the fix (true only for fixes that change nothing a
    /// grade depends on).
    pub fixed: bool,
}

/// The plan a patch makes.
#[derive(Clone, Debug)]
pub struct Derived {
    /// The derived matrix, with an alias for every merged role id.
    pub matrix: Matrix,
    /// Conflicts the merges created.
    pub conflicts: Vec<Conflict>,
    /// Entries that do not apply to this base.
    pub stale: Vec<Stale>,
}

/// Applies `patch` to `base`.
pub fn derive(base: &Matrix, patch: &MatrixPatch) -> Derived {
    let mut derived = Derived {
        matrix: base.clone(),
        conflicts: Vec::new(),
        stale: Vec::new(),
    };
    if !patch.id.is_empty() {
        derived.matrix.id.clone_from(&patch.id);
    }
    if !patch.name.is_empty() {
        derived.matrix.name.clone_from(&patch.name);
    }
    for (i, merge) in patch.merges.iter().enumerate() {
        if let Err(message) = apply_merge(&mut derived, merge, PatchEntry::Merge(i)) {
            derived.stale.push(Stale {
                entry: PatchEntry::Merge(i),
                message,
            });
        }
    }
    for (i, rename) in patch.renames.iter().enumerate() {
        let id = real_id(&derived.matrix, &rename.role).to_owned();
        match derived
            .matrix
            .roles
            .iter_mut()
            .find(|r| r.id.as_str() == id)
        {
            Some(role) => {
                if !rename.name.is_empty() {
                    role.name.clone_from(&rename.name);
                }
                if !rename.short.is_empty() {
                    role.short.clone_from(&rename.short);
                }
            }
            None => derived.stale.push(Stale {
                entry: PatchEntry::Rename(i),
                message: format!("role `{}` is not in the base", rename.role),
            }),
        }
    }
    for (i, change) in patch.raci.iter().enumerate() {
        if let Err(message) = apply_raci(&mut derived.matrix, change) {
            derived.stale.push(Stale {
                entry: PatchEntry::Raci(i),
                message,
            });
        }
    }
    derived
}

/// A role id as the derived plan knows it: through its aliases.
fn real_id<'a>(matrix: &'a Matrix, id: &'a str) -> &'a str {
    matrix
        .aliases
        .iter()
        .find(|a| a.id == id)
        .map_or(id, |a| a.is.as_str())
}

/// What each role held for each task before a merge: (task, role) → codes.
type Cells = BTreeMap<(String, String), BTreeSet<&'static str>>;

fn cells(matrix: &Matrix) -> Cells {
    let mut out = Cells::new();
    for task in &matrix.tasks {
        let mut put = |role: &RoleId, code| {
            out.entry((task.id.to_string(), role.to_string()))
                .or_default()
                .insert(code);
        };
        put(&task.accountable, "A");
        for (list, code) in [
            (&task.responsible, "R"),
            (&task.consulted, "C"),
            (&task.informed, "I"),
            (&task.approvals, "S"),
            (&task.approvals_any_of, "S1"),
        ] {
            for role in list {
                put(role, code);
            }
        }
    }
    out
}

fn apply_merge(derived: &mut Derived, merge: &Merge, entry: PatchEntry) -> Result<(), String> {
    let matrix = &derived.matrix;
    let into = real_id(matrix, &merge.into).to_owned();
    if let Some(problem) = id_problem(&into) {
        return Err(format!("`{into}` cannot be a role id: {problem}"));
    }
    let mut merged: Vec<String> = Vec::new();
    for id in &merge.roles {
        let id = real_id(matrix, id);
        if matrix.role(id).is_none() {
            return Err(format!("role `{id}` is not in the base"));
        }
        if id != into && !merged.iter().any(|m| m == id) {
            merged.push(id.to_owned());
        }
    }
    if merged.is_empty() {
        return Err(format!("nothing to merge into `{into}`"));
    }
    let existing = matrix.role(&into).cloned();
    let parts: Vec<&Role> = existing
        .iter()
        .chain(merged.iter().filter_map(|id| matrix.role(id)))
        .collect();
    let kinds: BTreeSet<bool> = parts.iter().map(|r| r.kind == RoleKind::Internal).collect();
    if kinds.len() > 1 {
        return Err(format!(
            "{} mixes roles of the organisation with outside parties; only like roles can be one desk",
            parts
                .iter()
                .map(|r| format!("`{}`", r.id))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let role = merged_role(&into, merge, &parts);
    let before = cells(matrix);
    let desk: BTreeSet<String> = merged
        .iter()
        .cloned()
        .chain(std::iter::once(into.clone()))
        .collect();

    // Every reference to a merged role now names the desk: the matrix read again with the
    // merged ids as aliases, so no field holding a role can be missed.
    let aliases: BTreeMap<String, String> =
        merged.iter().map(|m| (m.clone(), into.clone())).collect();
    let text = ron::to_string(matrix).map_err(|e| e.to_string())?;
    let mut next: Matrix =
        with_role_aliases(&aliases, || ron::from_str(&text)).map_err(|e| e.to_string())?;
    let first = next
        .roles
        .iter()
        .position(|r| r.id.as_str() == into)
        .unwrap_or(next.roles.len());
    next.roles.retain(|r| r.id.as_str() != into);
    next.roles.insert(first.min(next.roles.len()), role);
    for id in &merged {
        next.aliases.push(Alias {
            id: id.clone(),
            is: RoleId::new(into.as_str()),
        });
    }
    let desk_name = next.role_name(&into).to_owned();
    let names: BTreeMap<String, String> = next
        .roles
        .iter()
        .map(|r| (r.id.to_string(), r.name.clone()))
        .collect();
    let name_of = |id: &str| names.get(id).cloned().unwrap_or_else(|| id.to_owned());
    let mut conflicts = Vec::new();
    let merged_desk = Desk {
        id: &into,
        name: &desk_name,
        was: &desk,
        name_of: &name_of,
    };
    for task in &mut next.tasks {
        task_conflicts(task, &merged_desk, &before, &mut conflicts);
    }
    policy_conflicts(&mut next, &merged_desk, matrix, &mut conflicts);
    derived.matrix = next;
    derived
        .conflicts
        .extend(conflicts.into_iter().map(|c| Conflict { entry, ..c }));
    Ok(())
}

fn merged_role(into: &str, merge: &Merge, parts: &[&Role]) -> Role {
    let joined = |field: fn(&Role) -> &str, with: &str| {
        let mut seen = Vec::new();
        for part in parts {
            let text = field(part);
            if !text.is_empty() && !seen.contains(&text) {
                seen.push(text);
            }
        }
        seen.join(with)
    };
    let mut role = parts.first().map_or_else(
        || Role {
            id: RoleId::new(into),
            name: into.to_owned(),
            short: into.to_owned(),
            kind: RoleKind::Internal,
            mandate: String::new(),
            decision_rights: Vec::new(),
            decides: Vec::new(),
        },
        |first| (*first).clone(),
    );
    let new = parts.first().is_none_or(|first| first.id.as_str() != into);
    role.id = RoleId::new(into);
    if new {
        role.name = joined(|r| &r.name, " and ");
        role.short = joined(|r| &r.short, " & ");
    }
    role.mandate = joined(|r| &r.mandate, " ");
    role.decision_rights = Vec::new();
    role.decides = Vec::new();
    for part in parts {
        for right in &part.decision_rights {
            if !role.decision_rights.contains(right) {
                role.decision_rights.push(right.clone());
            }
        }
        for task in &part.decides {
            if !role.decides.contains(task) {
                role.decides.push(task.clone());
            }
        }
    }
    if !merge.name.is_empty() {
        role.name.clone_from(&merge.name);
    }
    if !merge.short.is_empty() {
        role.short.clone_from(&merge.short);
    }
    role
}

fn dedupe(roles: &mut Vec<RoleId>) -> bool {
    let before = roles.len();
    let mut seen = BTreeSet::new();
    roles.retain(|r| seen.insert(r.clone()));
    roles.len() != before
}

/// Whether one role of the desk already held `a` and `b` for the task before the merge (then the
/// merge did not create the overlap).
fn held_before(before: &Cells, task: &TaskId, desk: &BTreeSet<String>, a: &str, b: &str) -> bool {
    desk.iter().any(|role| {
        before
            .get(&(task.to_string(), role.clone()))
            .is_some_and(|codes| codes.contains(a) && codes.contains(b))
    })
}

/// The desk a merge made, as the conflict checks see it.
struct Desk<'a> {
    /// Its role id.
    id: &'a str,
    /// Its name.
    name: &'a str,
    /// The roles it was before the merge, itself included.
    was: &'a BTreeSet<String>,
    /// A role's name in the derived plan.
    name_of: &'a dyn Fn(&str) -> String,
}

impl Desk<'_> {
    /// The names of `roles` other than the desk.
    fn others(&self, roles: &[RoleId]) -> Vec<String> {
        roles
            .iter()
            .map(RoleId::as_str)
            .filter(|r| *r != self.id)
            .map(self.name_of)
            .collect()
    }
}

fn task_conflicts(
    task: &mut TaskKind,
    d: &Desk<'_>,
    before: &Cells,
    conflicts: &mut Vec<Conflict>,
) {
    let (into, desk_name, desk, name_of) = (d.id, d.name, d.was, d.name_of);
    let place = format!("task `{}` ({})", task.id, task.name);
    let mut doubled = Vec::new();
    for (list, code) in [
        (&mut task.responsible, "R"),
        (&mut task.consulted, "C"),
        (&mut task.informed, "I"),
        (&mut task.approvals, "S"),
        (&mut task.approvals_any_of, "S1"),
    ] {
        if dedupe(list) {
            doubled.push(code);
        }
    }
    if !doubled.is_empty() {
        conflicts.push(Conflict {
            entry: PatchEntry::Merge(0),
            place: place.clone(),
            problem: format!(
                "two of the merged roles held the same cell ({})",
                doubled.join(", ")
            ),
            fix: format!("{desk_name} holds it once"),
            fixed: true,
        });
    }
    let has = |list: &[RoleId]| list.iter().any(|r| r.as_str() == into);
    let does = has(&task.responsible);
    let answers = task.accountable.as_str() == into;
    // Told of, or consulted on, what it does or answers for itself.
    for (code, list) in [("C", &mut task.consulted), ("I", &mut task.informed)] {
        let stronger = if does { "R" } else { "A" };
        if (does || answers)
            && list.iter().any(|r| r.as_str() == into)
            && !held_before(before, &task.id, desk, stronger, code)
        {
            list.retain(|r| r.as_str() != into);
            conflicts.push(Conflict {
                entry: PatchEntry::Merge(0),
                place: place.clone(),
                problem: format!(
                    "{desk_name} is now {stronger} and {code}: it would be {} about its own work",
                    if code == "C" { "consulted" } else { "told" }
                ),
                fix: format!("dropped the {code}: the desk that does the work needs no telling"),
                fixed: true,
            });
        }
    }
    // Does the work and signs it off: separation of duties would fault every time.
    if does && has(&task.approvals) && !held_before(before, &task.id, desk, "R", "S") {
        let others = d.others(&task.approvals);
        let fix = if others.is_empty() {
            format!(
                "name another approver for it ({}, who answers for it, if that is not the desk), or accept that nobody checks the desk's work",
                name_of(task.accountable.as_str())
            )
        } else {
            format!(
                "drop {desk_name}'s sign-off (S): {} still sign{} off",
                others.join(" and "),
                if others.len() == 1 { "s" } else { "" }
            )
        };
        conflicts.push(Conflict {
            entry: PatchEntry::Merge(0),
            place: place.clone(),
            problem: format!(
                "{desk_name} would do the work (R) and must also sign it off (S): nobody but the desk itself would approve it"
            ),
            fix,
            fixed: false,
        });
    }
}

fn policy_conflicts(next: &mut Matrix, d: &Desk<'_>, base: &Matrix, conflicts: &mut Vec<Conflict>) {
    let (into, desk_name, desk, name_of) = (d.id, d.name, d.was, d.name_of);
    let is_desk = |r: &RoleId| r.as_str() == into;
    for (after, before) in next
        .communication
        .audiences
        .iter_mut()
        .zip(&base.communication.audiences)
    {
        dedupe(&mut after.senders);
        dedupe(&mut after.approvals);
        dedupe(&mut after.members);
        let sent_and_approved_before = before
            .senders
            .iter()
            .any(|s| desk.contains(s.as_str()) && before.approvals.iter().any(|a| a == s));
        if after.senders.iter().any(is_desk)
            && after.approvals.iter().any(is_desk)
            && !sent_and_approved_before
        {
            let others = d.others(&after.approvals);
            conflicts.push(Conflict {
                entry: PatchEntry::Merge(0),
                place: format!("audience `{}` ({})", after.id, after.name),
                problem: format!(
                    "{desk_name} would send to {} and also approve what is sent: a sender's own approval goes without saying, so its review is gone",
                    after.name
                ),
                fix: if others.is_empty() {
                    format!(
                        "name another approver for {} (leadership is the usual one)",
                        after.name
                    )
                } else {
                    format!(
                        "keep {}'s approval as the second pair of eyes and drop {desk_name} from the approvals, or name another reviewer",
                        others.join(" and ")
                    )
                },
                fixed: false,
            });
        }
    }
    for contact in &mut next.communication.contacts {
        dedupe(&mut contact.by);
        dedupe(&mut contact.after);
        if contact.by.iter().any(is_desk) && contact.after.iter().any(is_desk) {
            contact.after.retain(|r| !is_desk(r));
            conflicts.push(Conflict {
                entry: PatchEntry::Merge(0),
                place: format!("contact with {}", name_of(contact.party.as_str())),
                problem: format!(
                    "{desk_name} must be in the response before {} is contacted, and is the one who contacts it: the condition always holds",
                    name_of(contact.party.as_str())
                ),
                fix: format!("dropped {desk_name} from `after`"),
                fixed: true,
            });
        }
    }
    for level in &mut next.escalation.severities {
        dedupe(&mut level.engage);
    }
    for rule in &mut next.escalation.rules {
        dedupe(&mut rule.engage);
    }
    let over = &mut next.escalation.over_escalation;
    dedupe(&mut over.roles);
    if over.roles.iter().any(is_desk) {
        let below = over.below_severity;
        let demanded: Vec<String> = next
            .escalation
            .severities
            .iter()
            .filter(|s| s.level < below && s.engage.iter().any(is_desk))
            .map(|s| format!("severity {}", s.level))
            .chain(
                next.escalation
                    .rules
                    .iter()
                    .filter(|r| r.engage.iter().any(is_desk))
                    .map(|r| format!("rule `{}`", r.id)),
            )
            .collect();
        let was_noise: BTreeSet<&str> = base
            .escalation
            .over_escalation
            .roles
            .iter()
            .map(RoleId::as_str)
            .filter(|r| desk.contains(*r))
            .collect();
        let all_noise = desk.iter().all(|r| was_noise.contains(r.as_str()));
        if !demanded.is_empty() && !all_noise {
            conflicts.push(Conflict {
                entry: PatchEntry::Merge(0),
                place: "over-escalation".into(),
                problem: format!(
                    "{desk_name} is engaged by {} as part of its old roles, but over-escalation calls engaging it below severity {below} noise",
                    demanded.join(", ")
                ),
                fix: format!(
                    "take {desk_name} out of over-escalation's roles, or move what its old roles did below severity {below} to another role"
                ),
                fixed: false,
            });
        }
    }
}

/// Parses `A/R`-style codes.
fn parse_codes(codes: &str) -> Result<BTreeSet<&'static str>, String> {
    let mut out = BTreeSet::new();
    for code in codes
        .split(['/', ',', ' '])
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        out.insert(match code.to_ascii_uppercase().as_str() {
            "R" => "R",
            "A" => "A",
            "C" => "C",
            "I" => "I",
            "S" => "S",
            "S1" => "S1",
            _ => {
                return Err(format!(
                    "`{code}` is not a RACI code: write R, A, C, I, S or S1, combined as A/R"
                ));
            }
        });
    }
    Ok(out)
}

fn apply_raci(matrix: &mut Matrix, change: &RaciChange) -> Result<(), String> {
    let codes = parse_codes(&change.codes)?;
    let role = real_id(matrix, &change.role).to_owned();
    if role != crate::engine::model::matrix::ASSET_OWNER && matrix.role(&role).is_none() {
        return Err(format!("role `{}` is not in the base", change.role));
    }
    let Some(task) = matrix
        .tasks
        .iter_mut()
        .find(|t| t.id.as_str() == change.task)
    else {
        return Err(format!("task `{}` is not in the base", change.task));
    };
    let id = RoleId::new(role.as_str());
    if task.accountable == id && !codes.contains("A") {
        return Err(format!(
            "it takes `{role}`'s A off task `{}` and gives it to nobody: give another role the A in an entry before this one",
            change.task
        ));
    }
    let mut next = task.clone();
    for (list, code) in [
        (&mut next.responsible, "R"),
        (&mut next.consulted, "C"),
        (&mut next.informed, "I"),
        (&mut next.approvals, "S"),
        (&mut next.approvals_any_of, "S1"),
    ] {
        let held = list.contains(&id);
        if codes.contains(code) && !held {
            list.push(id.clone());
        } else if !codes.contains(code) && held {
            list.retain(|r| *r != id);
        }
    }
    if codes.contains("A") {
        next.accountable = id;
    }
    if next.responsible.is_empty() {
        return Err(format!(
            "it would leave task `{}` with nobody Responsible",
            change.task
        ));
    }
    *task = next;
    Ok(())
}
