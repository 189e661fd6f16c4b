//! Answering a question from the matrix: its choices, the correct ones, and the rule and citation
//! behind them.

use std::collections::BTreeSet;

use crate::engine::model::id::{RoleId, TaskId, TriggerId};
use crate::engine::model::matrix::{ASSET_OWNER, Matrix, Phase, TaskKind};

use super::model::{Ask, Choice, Cite, Question, QuestionSet, ResolveError, Resolved, letter};

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

impl QuestionSet {
    /// Reads role choices and answers through a matrix's role aliases (alias → role), dropping a
    /// choice that two aliases now make the same role: a question written for separate Legal and
    /// Communications asks the same of a plan where they are one desk.
    pub fn resolve_role_aliases(&mut self, aliases: &std::collections::BTreeMap<String, String>) {
        if aliases.is_empty() {
            return;
        }
        let resolve = |ids: &mut Vec<String>| {
            let mut seen = BTreeSet::new();
            for id in ids.iter_mut() {
                if let Some(real) = aliases.get(id.as_str()) {
                    id.clone_from(real);
                }
            }
            ids.retain(|id| seen.insert(id.clone()));
        };
        for question in &mut self.questions {
            let mut seen = BTreeSet::new();
            question.roles.retain(|r| seen.insert(r.clone()));
            if question.options_are_roles() {
                resolve(&mut question.options);
                resolve(&mut question.answer);
            }
        }
    }
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
        parts.push(format!("when {}", trigger_text(matrix, t)));
    }
    format!("Escalation policy for {}", parts.join(" and "))
}

/// A trigger as people read it: its description, first letter lowered to run on in a sentence.
fn trigger_text(matrix: &Matrix, id: &TriggerId) -> String {
    let Some(description) = matrix
        .triggers
        .iter()
        .find(|t| &t.id == id)
        .map(|t| t.description.trim_end_matches('.'))
    else {
        return id.to_string();
    };
    let mut chars = description.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_lowercase().chain(chars).collect()
    })
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
                format!("Escalation when {}", trigger_text(matrix, id)),
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
        Cite::Regime(id) => {
            let r = matrix
                .regime(id.as_str())
                .ok_or_else(|| unknown("regime", id))?;
            (format!("Reporting duty: {}", r.name), r.citation.clone())
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
