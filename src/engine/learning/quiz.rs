//! Exam-practice questions: a one-paragraph situation and one decision, answered from the
//! responsibility matrix wherever the matrix can answer it.
//!
//! A question file states the answer its author expects; the answer the learner is graded against
//! is always recomputed from the matrix in use ([`Question::resolve`]), so a bank written for the
//! reference matrix teaches an organisation's own matrix when that is swapped in. Validation warns
//! where the two disagree.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::engine::model::id::{AudienceId, QuestionId, RoleId, TaskId, TriggerId};
use crate::engine::model::matrix::{
    ASSET_OWNER, Dimension, Matrix, MessageContent, Phase, TaskKind,
};

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

/// The two choices of a yes/no question.
const YES_NO: [&str; 2] = ["yes", "no"];

/// A question's answer as the matrix gives it.
struct Derived {
    /// The prompt generated from the matrix (an authored prompt replaces it).
    prompt: String,
    /// Keys of the correct choices.
    correct: Vec<String>,
    /// The rule the answer rests on.
    rule: String,
    /// The matrix's words for it.
    citation: String,
}

impl Question {
    /// Whether the answer comes from the matrix rather than from the author.
    pub fn is_derived(&self) -> bool {
        !matches!(self.ask, Ask::Judgement { .. })
    }

    /// Whether the choices are role ids.
    pub fn options_are_roles(&self) -> bool {
        matches!(
            self.ask,
            Ask::WhoActs { .. }
                | Ask::WhoIsAccountable { .. }
                | Ask::WhoIsConsulted { .. }
                | Ask::WhoIsInformed { .. }
                | Ask::WhoApproves { .. }
                | Ask::WhoMustBeEngaged { .. }
                | Ask::WhoMaySend { .. }
                | Ask::WhoApprovesMessage { .. }
        )
    }

    /// Whether the choices are yes and no.
    pub fn is_yes_no(&self) -> bool {
        matches!(
            self.ask,
            Ask::IsEscalationWarranted { .. } | Ask::MayShare { .. }
        )
    }

    /// Resolves the question against `matrix`: its wording, choices and correct answer.
    pub fn resolve(&self, matrix: &Matrix) -> Result<Resolved, ResolveError> {
        let choices = self.choices(matrix)?;
        let Derived {
            prompt,
            correct: correct_keys,
            rule,
            citation,
        } = self.derive(matrix)?;
        let correct: BTreeSet<usize> = choices
            .iter()
            .enumerate()
            .filter(|(_, c)| correct_keys.contains(&c.key))
            .map(|(i, _)| i)
            .collect();
        if correct.is_empty() {
            return Err(ResolveError::Undecided(format!(
                "none of the options is right by the matrix (it expects {})",
                join_keys(&correct_keys)
            )));
        }
        if correct.len() == choices.len() && !self.is_yes_no() {
            return Err(ResolveError::Undecided(
                "every option is right; add at least one wrong option".to_owned(),
            ));
        }
        Ok(Resolved {
            id: self.id.clone(),
            prompt: self.prompt.clone().unwrap_or(prompt),
            choices,
            correct,
            rule,
            citation,
        })
    }

    fn choices(&self, matrix: &Matrix) -> Result<Vec<Choice>, ResolveError> {
        if self.is_yes_no() {
            if !self.options.is_empty() {
                return Err(ResolveError::Malformed(
                    "yes/no questions take no `options`".to_owned(),
                ));
            }
            return Ok(YES_NO
                .iter()
                .map(|k| Choice {
                    key: (*k).to_owned(),
                    label: if *k == "yes" { "Yes" } else { "No" }.to_owned(),
                })
                .collect());
        }
        if self.options.len() < 2 {
            return Err(ResolveError::Malformed(
                "a question needs at least two `options`".to_owned(),
            ));
        }
        let mut seen = BTreeSet::new();
        self.options
            .iter()
            .enumerate()
            .map(|(i, option)| {
                if !seen.insert(option.as_str()) {
                    return Err(ResolveError::Malformed(format!(
                        "option `{option}` is listed twice"
                    )));
                }
                if self.options_are_roles() {
                    let role = matrix.role(option).ok_or_else(|| unknown("role", option))?;
                    Ok(Choice {
                        key: option.clone(),
                        label: role.name.clone(),
                    })
                } else if matches!(self.ask, Ask::WhatFirst) {
                    let task = matrix.task(option).ok_or_else(|| unknown("task", option))?;
                    Ok(Choice {
                        key: option.clone(),
                        label: task.name.clone(),
                    })
                } else {
                    Ok(Choice {
                        key: letter(i),
                        label: option.clone(),
                    })
                }
            })
            .collect()
    }

    /// What the matrix says the answer is, and why.
    fn derive(&self, matrix: &Matrix) -> Result<Derived, ResolveError> {
        let task_of = |id: &TaskId| matrix.task(id.as_str()).ok_or_else(|| unknown("task", id));
        Ok(match &self.ask {
            Ask::WhoActs { task, owner } => {
                let t = task_of(task)?;
                Derived {
                    prompt: format!("Who should carry out \"{}\"?", t.name),
                    correct: substitute(&t.responsible, owner.as_ref(), task)?,
                    rule: format!("Responsible for \"{}\"", t.name),
                    citation: t.citation.clone(),
                }
            }
            Ask::WhoIsAccountable { task, owner } => {
                let t = task_of(task)?;
                Derived {
                    prompt: format!("Who is accountable for \"{}\"?", t.name),
                    correct: substitute(
                        std::slice::from_ref(&t.accountable),
                        owner.as_ref(),
                        task,
                    )?,
                    rule: format!("Accountable for \"{}\"", t.name),
                    citation: t.citation.clone(),
                }
            }
            Ask::WhoIsConsulted { task, owner } => {
                let t = task_of(task)?;
                Derived {
                    prompt: format!("Whose input is needed before \"{}\"?", t.name),
                    correct: substitute(&t.consulted, owner.as_ref(), task)?,
                    rule: format!("Consulted on \"{}\"", t.name),
                    citation: t.citation.clone(),
                }
            }
            Ask::WhoIsInformed { task, owner } => {
                let t = task_of(task)?;
                Derived {
                    prompt: format!("Who must be kept informed of \"{}\"?", t.name),
                    correct: substitute(&t.informed, owner.as_ref(), task)?,
                    rule: format!("Informed of \"{}\"", t.name),
                    citation: t.citation.clone(),
                }
            }
            Ask::WhoApproves {
                task,
                owner,
                requested_by,
            } => {
                let t = task_of(task)?;
                if let Some(r) = requested_by {
                    matrix.role(r.as_str()).ok_or_else(|| unknown("role", r))?;
                }
                let mut approvers = substitute(&t.approvals, owner.as_ref(), task)?;
                approvers.retain(|a| Some(a.as_str()) != requested_by.as_ref().map(RoleId::as_str));
                if approvers.is_empty() {
                    return Err(ResolveError::Undecided(format!(
                        "\"{}\" needs no approval from anyone but the requester",
                        t.name
                    )));
                }
                let citation = if requested_by.is_some() {
                    format!(
                        "{} {}",
                        matrix.separation_of_duties.citation,
                        matrix.separation_of_duties.approval_citation
                    )
                } else {
                    matrix.separation_of_duties.approval_citation.clone()
                };
                Derived {
                    prompt: format!("Whose approval is needed before \"{}\"?", t.name),
                    correct: approvers,
                    rule: format!("Approvals for \"{}\"", t.name),
                    citation,
                }
            }
            Ask::WhoMustBeEngaged { trigger, severity } => {
                let (engaged, citation) = required_engagement(matrix, trigger.as_ref(), *severity)?;
                if engaged.is_empty() {
                    return Err(ResolveError::Undecided(
                        "the matrix requires no one to be engaged here".to_owned(),
                    ));
                }
                Derived {
                    prompt: "Who must be engaged now?".to_owned(),
                    correct: engaged.into_iter().collect(),
                    rule: engagement_rule(matrix, trigger.as_ref(), *severity),
                    citation,
                }
            }
            Ask::IsEscalationWarranted {
                role,
                severity,
                trigger,
            } => {
                let name = matrix
                    .role(role.as_str())
                    .ok_or_else(|| unknown("role", role))?
                    .name
                    .clone();
                let (engaged, citation) =
                    required_engagement(matrix, trigger.as_ref(), Some(*severity))?;
                let over = &matrix.escalation.over_escalation;
                let (answer, citation) = if engaged.contains(role.as_str()) {
                    ("yes", citation)
                } else if over.roles.contains(role) && *severity < over.below_severity {
                    ("no", over.citation.clone())
                } else {
                    return Err(ResolveError::Undecided(format!(
                        "the matrix neither requires nor discourages engaging `{role}` here"
                    )));
                };
                Derived {
                    prompt: format!("Is it warranted to escalate to {name} now?"),
                    correct: vec![answer.to_owned()],
                    rule: engagement_rule(matrix, trigger.as_ref(), Some(*severity)),
                    citation,
                }
            }
            Ask::WhoMaySend { audience } => {
                let a = matrix
                    .audience(audience.as_str())
                    .ok_or_else(|| unknown("audience", audience))?;
                Derived {
                    prompt: format!("Who may send a message to {}?", a.name.to_lowercase()),
                    correct: ids(&a.senders),
                    rule: format!("Senders to {}", a.name),
                    citation: a.citation.clone(),
                }
            }
            Ask::WhoApprovesMessage { audience } => {
                let a = matrix
                    .audience(audience.as_str())
                    .ok_or_else(|| unknown("audience", audience))?;
                if a.approvals.is_empty() {
                    return Err(ResolveError::Undecided(format!(
                        "messages to `{audience}` need no approval in this matrix"
                    )));
                }
                Derived {
                    prompt: format!(
                        "Whose approval does a message to {} need?",
                        a.name.to_lowercase()
                    ),
                    correct: ids(&a.approvals),
                    rule: format!("Approvals for messages to {}", a.name),
                    citation: a.citation.clone(),
                }
            }
            Ask::MayShare { audience, content } => {
                let a = matrix
                    .audience(audience.as_str())
                    .ok_or_else(|| unknown("audience", audience))?;
                let allowed = !a.forbidden.contains(content);
                Derived {
                    prompt: format!(
                        "May a message to {} include {}?",
                        a.name.to_lowercase(),
                        content.description()
                    ),
                    correct: vec![if allowed { "yes" } else { "no" }.to_owned()],
                    rule: format!("Content allowed to {}", a.name),
                    citation: a.citation.clone(),
                }
            }
            Ask::WhatFirst => {
                let tasks = self
                    .options
                    .iter()
                    .map(|o| matrix.task(o).ok_or_else(|| unknown("task", o)))
                    .collect::<Result<Vec<_>, _>>()?;
                let first = tasks
                    .iter()
                    .find(|a| tasks.iter().all(|b| a.id == b.id || precedes(a, b)))
                    .ok_or_else(|| {
                        ResolveError::Undecided(
                            "the matrix does not put one of these tasks before all the others"
                                .to_owned(),
                        )
                    })?;
                let by_evidence = first.preserves_evidence
                    && tasks
                        .iter()
                        .any(|b| b.id != first.id && b.phase.changes_systems());
                let (rule, citation) = if by_evidence {
                    (
                        "Evidence is preserved before systems change".to_owned(),
                        format!("{} {}", first.citation, matrix.handoffs.context_citation),
                    )
                } else {
                    (
                        format!("\"{}\" belongs to an earlier response phase", first.name),
                        first.citation.clone(),
                    )
                };
                Derived {
                    prompt: "What should happen first?".to_owned(),
                    correct: vec![first.id.0.clone()],
                    rule,
                    citation,
                }
            }
            Ask::Judgement { cite } => {
                if self.prompt.is_none() {
                    return Err(ResolveError::Malformed(
                        "a `Judgement` question needs a `prompt`".to_owned(),
                    ));
                }
                let (rule, citation) = cite_text(matrix, cite)?;
                Derived {
                    prompt: String::new(),
                    correct: self.answer.clone(),
                    rule,
                    citation,
                }
            }
        })
    }
}

/// `a` must happen before `b`: evidence is preserved before systems change, and the operational
/// phases (analyse, contain, eradicate, recover) run in order.
pub fn precedes(a: &TaskKind, b: &TaskKind) -> bool {
    let operational = |p: Phase| p <= Phase::Recover;
    (a.preserves_evidence && b.phase.changes_systems())
        || (operational(a.phase) && operational(b.phase) && a.phase < b.phase)
}

fn required_engagement(
    matrix: &Matrix,
    trigger: Option<&TriggerId>,
    severity: Option<u8>,
) -> Result<(BTreeSet<String>, String), ResolveError> {
    let mut engaged = BTreeSet::new();
    let mut citations = Vec::new();
    if let Some(level) = severity {
        let s = matrix
            .severity(level)
            .ok_or_else(|| unknown("severity", &level.to_string()))?;
        engaged.extend(s.engage.iter().map(|r| r.0.clone()));
        if !s.citation.is_empty() {
            citations.push(s.citation.clone());
        }
    }
    if let Some(t) = trigger {
        if !matrix.triggers.iter().any(|x| &x.id == t) {
            return Err(unknown("trigger", t));
        }
        for rule in matrix.escalation.rules.iter().filter(|r| &r.when == t) {
            engaged.extend(rule.engage.iter().map(|r| r.0.clone()));
            citations.push(rule.citation.clone());
        }
    }
    if trigger.is_none() && severity.is_none() {
        return Err(ResolveError::Malformed(
            "give a `trigger`, a `severity` or both".to_owned(),
        ));
    }
    Ok((engaged, citations.join(" ")))
}

fn engagement_rule(matrix: &Matrix, trigger: Option<&TriggerId>, severity: Option<u8>) -> String {
    let mut parts = Vec::new();
    if let Some(s) = severity.and_then(|l| matrix.severity(l)) {
        parts.push(format!("severity {} ({})", s.level, s.name));
    }
    if let Some(t) = trigger {
        parts.push(format!("trigger \"{t}\""));
    }
    format!("Escalation policy for {}", parts.join(" and "))
}

fn cite_text(matrix: &Matrix, cite: &Cite) -> Result<(String, String), ResolveError> {
    Ok(match cite {
        Cite::Task(id) => {
            let t = matrix
                .task(id.as_str())
                .ok_or_else(|| unknown("task", id))?;
            (format!("Task \"{}\"", t.name), t.citation.clone())
        }
        Cite::Trigger(id) => {
            let rule = matrix
                .escalation
                .rules
                .iter()
                .find(|r| &r.when == id)
                .ok_or_else(|| unknown("trigger", id))?;
            (
                format!("Escalation rule for trigger \"{id}\""),
                rule.citation.clone(),
            )
        }
        Cite::Severity(level) => {
            let s = matrix
                .severity(*level)
                .ok_or_else(|| unknown("severity", &level.to_string()))?;
            (
                format!("Severity {} ({})", s.level, s.name),
                s.citation.clone(),
            )
        }
        Cite::OverEscalation => (
            "Over-escalation".to_owned(),
            matrix.escalation.over_escalation.citation.clone(),
        ),
        Cite::Audience(id) => {
            let a = matrix
                .audience(id.as_str())
                .ok_or_else(|| unknown("audience", id))?;
            (format!("Messages to {}", a.name), a.citation.clone())
        }
        Cite::Handoff => (
            "Handoff content".to_owned(),
            matrix.handoffs.citation.clone(),
        ),
        Cite::HandoffContext => (
            "Context before remediation".to_owned(),
            matrix.handoffs.context_citation.clone(),
        ),
        Cite::Separation => (
            "Separation of duties".to_owned(),
            matrix.separation_of_duties.citation.clone(),
        ),
        Cite::SeparationApproval => (
            "Approval before change".to_owned(),
            matrix.separation_of_duties.approval_citation.clone(),
        ),
    })
}

/// Replaces the asset-owner placeholder with the question's owner.
fn substitute(
    roles: &[RoleId],
    owner: Option<&RoleId>,
    task: &TaskId,
) -> Result<Vec<String>, ResolveError> {
    roles
        .iter()
        .map(|r| {
            if r.as_str() == ASSET_OWNER {
                owner
                    .as_ref()
                    .map(|o| o.0.clone())
                    .ok_or_else(|| ResolveError::OwnerNeeded(task.clone()))
            } else {
                Ok(r.0.clone())
            }
        })
        .collect()
}

fn ids(roles: &[RoleId]) -> Vec<String> {
    roles.iter().map(|r| r.0.clone()).collect()
}

fn unknown(kind: &'static str, id: &(impl std::fmt::Display + ?Sized)) -> ResolveError {
    ResolveError::Unknown {
        kind,
        id: id.to_string(),
    }
}

fn join_keys(keys: &[String]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
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

#[cfg(test)]
mod tests {
    use super::*;

    fn matrix() -> Matrix {
        (*crate::engine::content::shipped::matrix()).clone()
    }

    fn question(ask: Ask, options: &[&str]) -> Question {
        Question {
            id: QuestionId::new("q"),
            situation: String::new(),
            ask,
            prompt: None,
            options: options.iter().map(|s| (*s).to_owned()).collect(),
            answer: Vec::new(),
            explanation: String::new(),
            dimension: Dimension::Ownership,
            roles: Vec::new(),
        }
    }

    #[test]
    fn owner_placeholder_needs_an_owner() {
        let m = matrix();
        let ask = |owner: Option<&str>| Ask::WhoIsAccountable {
            task: TaskId::new("isolate_host"),
            owner: owner.map(RoleId::from),
        };
        let q = question(ask(None), &["it_ops", "soc"]);
        assert_eq!(
            q.resolve(&m),
            Err(ResolveError::OwnerNeeded(TaskId::new("isolate_host")))
        );
        let q = question(ask(Some("business_owner")), &["business_owner", "soc"]);
        let r = q.resolve(&m).expect("resolves");
        assert_eq!(r.correct_keys(), ["business_owner"]);
    }

    #[test]
    fn requester_is_removed_from_approvers() {
        let m = matrix();
        let q = question(
            Ask::WhoApproves {
                task: TaskId::new("external_statement"),
                owner: None,
                requested_by: Some(RoleId::new("exec")),
            },
            &["exec", "legal", "pr_comms"],
        );
        let r = q.resolve(&m).expect("resolves");
        assert_eq!(r.correct_keys(), ["legal"]);
        assert!(r.citation.contains(&m.separation_of_duties.citation));
    }

    #[test]
    fn evidence_comes_before_reimaging_but_not_before_nothing() {
        let m = matrix();
        let q = question(Ask::WhatFirst, &["reimage_host", "preserve_evidence"]);
        let r = q.resolve(&m).expect("resolves");
        assert_eq!(r.correct_keys(), ["preserve_evidence"]);
        let q = question(Ask::WhatFirst, &["notify_regulator", "external_statement"]);
        assert!(matches!(q.resolve(&m), Err(ResolveError::Undecided(_))));
    }

    #[test]
    fn escalation_question_refuses_an_undecided_case() {
        let m = matrix();
        let ask = |role: &str, severity| Ask::IsEscalationWarranted {
            role: RoleId::from(role),
            severity,
            trigger: None,
        };
        let yes = question(ask("exec", 4), &[]).resolve(&m).expect("resolves");
        assert_eq!(yes.correct_keys(), ["yes"]);
        let no = question(ask("exec", 2), &[]).resolve(&m).expect("resolves");
        assert_eq!(no.correct_keys(), ["no"]);
        assert_eq!(no.citation, m.escalation.over_escalation.citation);
        // HR is neither required at severity 2 nor on the over-escalation list.
        assert!(matches!(
            question(ask("hr", 2), &[]).resolve(&m),
            Err(ResolveError::Undecided(_))
        ));
    }

    #[test]
    fn grading_needs_exactly_the_correct_set() {
        let m = matrix();
        let q = question(
            Ask::WhoMaySend {
                audience: AudienceId::new("regulators"),
            },
            &["soc", "legal", "pr_comms"],
        );
        let r = q.resolve(&m).expect("resolves");
        assert!(r.is_correct(&BTreeSet::from([1])));
        assert!(!r.is_correct(&BTreeSet::from([1, 2])));
        assert!(!r.is_correct(&BTreeSet::new()));
    }
}
