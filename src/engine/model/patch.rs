//! A plan derived from another (`MatrixPatch( … )` files): a base matrix plus the organisation's
//! own changes — roles merged into one desk, roles renamed, RACI cells changed — kept apart from
//! the base so that they can be applied again to a newer base.

use serde::{Deserialize, Serialize};

/// A base matrix and the changes that make an organisation's plan of it.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatrixPatch {
    /// The matrix it changes, as a path relative to the patch file.
    pub base: String,
    /// The id of the plan it makes (recorded in session logs); the base's when empty.
    #[serde(default)]
    pub id: String,
    /// The plan's display name; the base's when empty.
    #[serde(default)]
    pub name: String,
    /// Roles that are one desk in this organisation.
    #[serde(default)]
    pub merges: Vec<Merge>,
    /// Roles this organisation calls otherwise.
    #[serde(default)]
    pub renames: Vec<Rename>,
    /// RACI cells this organisation assigns otherwise, applied after the merges.
    #[serde(default)]
    pub raci: Vec<RaciChange>,
}

/// Several roles made one: `Merge(roles: ["legal", "pr_comms"], into: "comms_legal")`. The merged
/// ids become aliases of `into`, so content naming them still plays.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Merge {
    /// The roles merged (role ids of the base).
    pub roles: Vec<String>,
    /// The role they become: one of them, another role of the base, or a new id.
    pub into: String,
    /// The merged role's name; for a new role, the merged names joined when empty.
    #[serde(default)]
    pub name: String,
    /// Its short name for tight spaces.
    #[serde(default)]
    pub short: String,
}

/// A role's name (and short name) as this organisation says it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rename {
    /// The role.
    pub role: String,
    /// Its name here.
    #[serde(default)]
    pub name: String,
    /// Its short name here.
    #[serde(default)]
    pub short: String,
}

/// One RACI cell set (`Raci(task: "isolate_host", role: "soc", codes: "R")`): the role's codes for the task (`"A/R"`, `"C"`, `""` for none).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename = "Raci")]
pub struct RaciChange {
    /// The task.
    pub task: String,
    /// The role (after the merges: a merged desk is named by its `into`).
    pub role: String,
    /// R, A, C, I, S (sign-off), S1 (one sign-off of several), combined with `/`.
    pub codes: String,
}
