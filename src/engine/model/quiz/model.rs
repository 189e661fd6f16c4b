//! The question bank's files and what a question becomes once resolved against a matrix.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::engine::model::id::{AudienceId, QuestionId, RegimeId, RoleId, TaskId, TriggerId};
use crate::engine::model::matrix::{Dimension, MessageContent};

/// A file of questions.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionSet {
    /// Stable id.
    pub id: String,
    /// Title shown in the question-set picker.
    pub title: String,
    /// What the set practises.
    #[serde(default)]
    pub description: String,
    /// The questions.
    pub questions: Vec<Question>,
}

/// One exam-style question.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Stable id, unique across the bank (progress is stored against it).
    pub id: QuestionId,
    /// One paragraph setting the scene.
    pub situation: String,
    /// The decision asked for, and how its answer is derived.
    pub ask: Ask,
    /// Wording of the question when the generated one does not fit (required for `Judgement`).
    #[serde(default)]
    pub prompt: Option<String>,
    /// Role ids, task ids or free-text choices, depending on `ask`; empty for yes/no questions.
    #[serde(default)]
    pub options: Vec<String>,
    /// The author's answer: option values (role or task ids), `yes`/`no`, or option letters
    /// (`a`, `b`, …) for `Judgement`.
    pub answer: Vec<String>,
    /// Why, in the author's words; shown after the matrix's own citation.
    #[serde(default)]
    pub explanation: String,
    /// The scoring dimension the question practises.
    pub dimension: Dimension,
    /// Roles the question is about, for progress per role.
    #[serde(default)]
    pub roles: Vec<RoleId>,
}

/// What a question asks. Every variant but `Judgement` is answered from the matrix.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Ask {
    /// Who carries out the task (Responsible)?
    WhoActs {
        /// The task.
        task: TaskId,
        /// Who owns the asset, when the matrix names the asset owner.
        #[serde(default)]
        owner: Option<RoleId>,
    },
    /// Who answers for the outcome (Accountable)?
    WhoIsAccountable {
        /// The task.
        task: TaskId,
        /// Who owns the asset.
        #[serde(default)]
        owner: Option<RoleId>,
    },
    /// Whose input is needed before acting (Consulted)?
    WhoIsConsulted {
        /// The task.
        task: TaskId,
        /// Who owns the asset.
        #[serde(default)]
        owner: Option<RoleId>,
    },
    /// Who must be told (Informed)?
    WhoIsInformed {
        /// The task.
        task: TaskId,
        /// Who owns the asset.
        #[serde(default)]
        owner: Option<RoleId>,
    },
    /// Whose approval is needed, given who asked for the change?
    WhoApproves {
        /// The task.
        task: TaskId,
        /// Who owns the asset.
        #[serde(default)]
        owner: Option<RoleId>,
        /// The requester, who cannot approve their own request.
        #[serde(default)]
        requested_by: Option<RoleId>,
    },
    /// Who must be engaged now, given what has been learnt and how severe it is?
    WhoMustBeEngaged {
        /// A fact that fires escalation rules.
        #[serde(default)]
        trigger: Option<TriggerId>,
        /// The severity level.
        #[serde(default)]
        severity: Option<u8>,
    },
    /// Is escalating to this role warranted now? (yes/no)
    IsEscalationWarranted {
        /// The role one is tempted to escalate to.
        role: RoleId,
        /// The severity level.
        severity: u8,
        /// A fact that fires escalation rules, if any.
        #[serde(default)]
        trigger: Option<TriggerId>,
    },
    /// Who may send messages to this audience?
    WhoMaySend {
        /// The audience.
        audience: AudienceId,
    },
    /// Whose approval does a message to this audience need?
    WhoApprovesMessage {
        /// The audience.
        audience: AudienceId,
    },
    /// May this kind of content go to this audience? (yes/no)
    MayShare {
        /// The audience.
        audience: AudienceId,
        /// The content.
        content: MessageContent,
    },
    /// Which of these tasks (the options) comes first?
    WhatFirst,
    /// A judgement the matrix cannot compute; the author's answer stands, citing a matrix item.
    Judgement {
        /// The responsibility it rests on.
        cite: Cite,
    },
}

/// A matrix item a `Judgement` question cites.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cite {
    /// A task's citation.
    Task(TaskId),
    /// An escalation rule's citation, by its trigger.
    Trigger(TriggerId),
    /// A severity level's citation.
    Severity(u8),
    /// The over-escalation citation.
    OverEscalation,
    /// An audience's citation.
    Audience(AudienceId),
    /// A reporting regime's citation (its law or contract).
    Regime(RegimeId),
    /// The handoff policy's citation.
    Handoff,
    /// The handoff policy's context citation.
    HandoffContext,
    /// The separation-of-duties citation.
    Separation,
    /// The "approval before change" citation.
    SeparationApproval,
}

/// One choice as shown to the learner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Choice {
    /// The value written in `answer` (role id, task id, `yes`, `no`, or a letter).
    pub key: String,
    /// What the learner reads.
    pub label: String,
}

/// A question resolved against a matrix: ready to ask and to grade.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Resolved {
    /// The question's id.
    pub id: QuestionId,
    /// The decision asked for.
    pub prompt: String,
    /// The choices, in the file's order.
    pub choices: Vec<Choice>,
    /// Indices of the correct choices.
    pub correct: BTreeSet<usize>,
    /// Which responsibility decides it ("RACI of Isolate a host: Responsible").
    pub rule: String,
    /// The matrix's wording of that responsibility.
    pub citation: String,
}

impl Resolved {
    /// Whether the learner must pick several choices.
    pub fn is_multiple(&self) -> bool {
        self.correct.len() > 1
    }

    /// Whether exactly the correct choices were picked.
    pub fn is_correct(&self, picked: &BTreeSet<usize>) -> bool {
        *picked == self.correct
    }

    /// The correct choices' keys, in option order.
    pub fn correct_keys(&self) -> Vec<&str> {
        self.correct
            .iter()
            .filter_map(|&i| self.choices.get(i))
            .map(|c| c.key.as_str())
            .collect()
    }

    /// The correct choices' labels, joined for display.
    pub fn correct_labels(&self) -> String {
        self.correct
            .iter()
            .filter_map(|&i| self.choices.get(i))
            .map(|c| c.label.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Why a question cannot be asked against a matrix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResolveError {
    /// An id the matrix does not define; `kind` is "role", "task", "trigger", "audience" or
    /// "severity".
    Unknown {
        /// What kind of id.
        kind: &'static str,
        /// The id.
        id: String,
    },
    /// The task's RACI names the asset owner but the question does not say who that is.
    OwnerNeeded(TaskId),
    /// The question's shape is wrong (options where none belong, no options, …).
    Malformed(String),
    /// The matrix does not decide the question one way.
    Undecided(String),
}

impl std::fmt::Display for ResolveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Unknown { kind, id } => write!(f, "unknown {kind} `{id}`"),
            Self::OwnerNeeded(task) => write!(
                f,
                "the RACI of task `{task}` names the asset owner; say who that is with `owner:`"
            ),
            Self::Malformed(m) | Self::Undecided(m) => f.write_str(m),
        }
    }
}

/// The letter of the `i`th free-text choice: `a`, `b`, …
pub fn letter(i: usize) -> String {
    char::from_u32(u32::from(b'a') + i as u32).map_or_else(|| i.to_string(), String::from)
}

/// Every question of several sets, with the set each came from.
pub fn all_questions(sets: &[QuestionSet]) -> impl Iterator<Item = (&QuestionSet, &Question)> {
    sets.iter()
        .flat_map(|set| set.questions.iter().map(move |q| (set, q)))
}
