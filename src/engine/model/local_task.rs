//! Tasks of a scenario's own ("confirm backup integrity before restoring"), each graded by the
//! RACI of the matrix task it is `like`, as a scenario channel follows the rules of its audience:
//! a trainer can ask for work the plan has no row for without editing the plan.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::engine::model::id::TaskId;
use crate::engine::model::matrix::{Matrix, TaskKind};

/// `Task(id: "confirm_backup", name: "Confirm backup integrity", like: "restore_from_backup",
/// citation: "…")`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename = "Task")]
pub struct LocalTask {
    /// Stable id, distinct from every task of the matrix.
    pub id: TaskId,
    /// Display name.
    pub name: String,
    /// The matrix task whose roles (RACI, sign-offs, Informed window) and phase it takes.
    pub like: TaskId,
    /// Whether it is a privileged change; the `like` task's when left out.
    #[serde(default)]
    pub privileged: Option<bool>,
    /// Whether it destroys evidence; the `like` task's when left out.
    #[serde(default)]
    pub destroys_evidence: Option<bool>,
    /// Whether it preserves evidence; the `like` task's when left out.
    #[serde(default)]
    pub preserves_evidence: Option<bool>,
    /// Whether it alters the audit trail; the `like` task's when left out.
    #[serde(default)]
    pub alters_audit_trail: Option<bool>,
    /// Why its roles are what they are; the `like` task's when empty.
    #[serde(default)]
    pub citation: String,
}

impl LocalTask {
    /// The task as the matrix would hold it: `like`'s roles, its own name, flags and citation.
    pub fn resolve(&self, matrix: &Matrix) -> Option<TaskKind> {
        let like = matrix.task(self.like.as_str())?;
        Some(TaskKind {
            id: self.id.clone(),
            name: self.name.clone(),
            privileged: self.privileged.unwrap_or(like.privileged),
            destroys_evidence: self.destroys_evidence.unwrap_or(like.destroys_evidence),
            preserves_evidence: self.preserves_evidence.unwrap_or(like.preserves_evidence),
            alters_audit_trail: self.alters_audit_trail.unwrap_or(like.alters_audit_trail),
            citation: if self.citation.is_empty() {
                like.citation.clone()
            } else {
                self.citation.clone()
            },
            ..like.clone()
        })
    }
}

/// The matrix a session grades against: `matrix` itself, or a copy with the scenario's own
/// `tasks` added when it has any (one the matrix already has, or whose `like` it lacks, is left
/// out; the validator reports both).
pub fn with_local_tasks(matrix: Arc<Matrix>, tasks: &[LocalTask]) -> Arc<Matrix> {
    if tasks.is_empty() {
        return matrix;
    }
    let mut extended = (*matrix).clone();
    for local in tasks {
        if extended.task(local.id.as_str()).is_some() {
            continue;
        }
        if let Some(task) = local.resolve(&matrix) {
            extended.tasks.push(task);
        }
    }
    Arc::new(extended)
}
