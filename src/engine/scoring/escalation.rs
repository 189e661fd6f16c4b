//! Escalation timing: required roles engaged before each deadline, lateness scaled by delay,
//! severity judged in line with the evidence, and no noise to costly audiences.

use std::collections::{BTreeMap, BTreeSet};

use super::card::FindingKind;
use super::grader::{Due, FindingDraft, Grader, apply_severity, involvement};
use crate::engine::model::id::RoleId;
use crate::engine::model::intent::{Event, Intent};
use crate::engine::model::matrix::{Dimension, RoleKind, TaskKind};
use crate::engine::session::{Session, TASK_CLASSIFY, TASK_DECLARE};

/// A role the matrix requires engaged by a deadline, and whether it has been: what a facilitator
/// watches for while the room plays.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Obligation {
    /// The role to engage.
    pub role: RoleId,
    /// Scenario minute it is due by.
    pub deadline: u32,
    /// What made it due, in words.
    pub because: String,
    /// The matrix citation.
    pub citation: String,
    /// When the role was engaged, if it was.
    pub engaged_at: Option<u32>,
}

/// Every escalation the matrix requires so far, earliest deadline first. A role is engaged once
/// it takes part in the response, brought in or acting itself.
pub fn obligations(session: &Session) -> Vec<Obligation> {
    let involved = involvement(session);
    let mut out: Vec<Obligation> = requirements(session)
        .into_iter()
        .map(|((_, role), req)| Obligation {
            engaged_at: involved.get(&role).map(|i| i.minute),
            role,
            deadline: req.deadline,
            because: req.because,
            citation: req.citation,
        })
        .collect();
    out.sort_by(|a, b| (a.deadline, &a.role).cmp(&(b.deadline, &b.role)));
    out
}

/// A role the policy requires engaged, with the tightest deadline that applies.
struct Requirement {
    rule: String,
    citation: String,
    started: u32,
    deadline: u32,
    within: u32,
    because: String,
}

/// Every requirement active in the session, keyed by (source, role). Severity levels share one
/// source so a role owed to several levels is graded once, against the earliest deadline; each
/// fact-triggered rule is its own obligation with its own citation.
fn requirements(session: &Session) -> BTreeMap<(String, RoleId), Requirement> {
    const SEVERITY: &str = "severity";
    let matrix = session.matrix();
    let mut out: BTreeMap<(String, RoleId), Requirement> = BTreeMap::new();
    let mut add = |source: &str, role: &RoleId, req: Requirement| {
        let key = (source.to_owned(), role.clone());
        let keep_old = out
            .get(&key)
            .is_some_and(|old| old.deadline <= req.deadline);
        if !keep_old {
            out.insert(key, req);
        }
    };
    for (level, reached) in session.severity_reached() {
        let Some(severity) = matrix.severity(*level) else {
            continue;
        };
        for role in &severity.engage {
            add(
                SEVERITY,
                role,
                Requirement {
                    rule: format!("escalation:severity_{level}"),
                    citation: severity.citation.clone(),
                    started: *reached,
                    deadline: reached.saturating_add(severity.within_mins),
                    within: severity.within_mins,
                    because: format!("severity reached {} ({})", level, severity.name),
                },
            );
        }
    }
    for (trigger, revealed) in session.revealed() {
        for rule in matrix
            .escalation
            .rules
            .iter()
            .filter(|r| r.when == *trigger)
        {
            let because = matrix
                .triggers
                .iter()
                .find(|t| t.id == *trigger)
                .map_or_else(|| trigger.to_string(), |t| t.description.clone());
            for role in &rule.engage {
                add(
                    rule.id.as_str(),
                    role,
                    Requirement {
                        rule: format!("escalation:{}", rule.id),
                        citation: rule.citation.clone(),
                        started: *revealed,
                        deadline: revealed.saturating_add(rule.within_mins),
                        within: rule.within_mins,
                        because: because.to_lowercase(),
                    },
                );
            }
        }
    }
    out
}

pub(super) fn grade(g: &mut Grader<'_>) {
    let session = g.session;
    let matrix = session.matrix();
    let penalties = &matrix.scoring.penalties;
    let required = requirements(session);

    for ((_, role), req) in &required {
        // Taking part is being engaged: an incident manager who brings in Legal himself is in
        // the response though nobody escalated to him.
        let joined = g.involved.get(role).copied();
        let engaged = joined.map(|j| j.minute);
        let entry = joined.map(|j| j.entry);
        // The choice graded is the escalator's, not the escalated role's (the role's own when it
        // joined by acting); a missed escalation was nobody's act in particular.
        let escalator = joined.and_then(|j| {
            if j.acted {
                Some(role.clone())
            } else {
                session
                    .log()
                    .entries
                    .get(j.entry)
                    .and_then(|e| engaged_by(&e.intent))
            }
        });
        let name = g.name(role.as_str());
        let draft = |message: String, advice: String, minute: u32| FindingDraft {
            dimension: Dimension::Escalation,
            rule: req.rule.clone(),
            citation: req.citation.clone(),
            minute,
            entry,
            role: escalator.clone(),
            message,
            advice,
        };
        let worth = penalties.escalation_missed;
        match engaged {
            Some(at) if at <= req.deadline => g.credit(
                worth,
                draft(
                    format!(
                        "{name} was engaged at minute {at}, within the deadline of minute {} ({}).",
                        req.deadline, req.because
                    ),
                    "On time.".into(),
                    at,
                ),
            ),
            Some(at) => {
                let late = at - req.deadline;
                let points = late_penalty(penalties.escalation_late_max, late, req.within);
                g.deduct_part(
                    worth.max(points),
                    points,
                    draft(
                        format!(
                            "{name} was engaged at minute {at}, {late} min after the deadline of minute {} ({} at minute {}).",
                            req.deadline, req.because, req.started
                        ),
                        format!(
                            "Engage {name} within {} min once {}.",
                            req.within, req.because
                        ),
                        at,
                    ),
                );
            }
            None => match g.due(req.deadline) {
                Due::Passed => g.deduct(
                    worth,
                    draft(
                        format!(
                            "{name} was never engaged, though {} at minute {} required it by minute {}.",
                            req.because, req.started, req.deadline
                        ),
                        format!("Escalate to {name} within {} min.", req.within),
                        req.deadline,
                    ),
                ),
                Due::NotReached => g.not_reached(draft(
                    format!(
                        "Not reached: {name} was due by minute {} ({}); the exercise ended at minute {}.",
                        req.deadline,
                        req.because,
                        session.minute()
                    ),
                    format!("Escalate to {name} within {} min.", req.within),
                    session.minute(),
                )),
                Due::Pending => {}
            },
        }
    }

    stale_severity_calls(g);

    // Noise: costly roles pulled in while the evidence does not warrant it. A role whose approval
    // the run needed (for a message or a change) was engaged because another rule required it:
    // what one rule requires is never penalised by another.
    let over = &matrix.escalation.over_escalation;
    let approvers = approvers_needed(session);
    let parts = Parts::of(session, &approvers);
    // A copy of the grader's per-entry severities: the loop below records findings on `g`.
    let severities = g.severities.clone();
    for ((index, entry), severity) in session.log().entries.iter().enumerate().zip(severities) {
        if let Intent::Escalate { from, to, .. } = &entry.intent {
            for role in to {
                let warranted = approvers.contains(role)
                    || required
                        .iter()
                        .any(|((_, r), req)| r == role && req.started <= entry.minute);
                // Any other role needs a reason in the matrix: work of the run it does, answers
                // for or is consulted on, or an audience of the run it speaks to.
                // An outside party with a contact rule is judged by that rule instead.
                let outside = matrix.contact(role.as_str()).is_some();
                if !over.roles.contains(role) && !outside && !warranted && !parts.any.contains(role)
                {
                    g.deduct(
                        penalties.needless_engagement,
                        FindingDraft {
                            dimension: Dimension::Escalation,
                            rule: "escalation:needless_engagement".into(),
                            citation: over.citation.clone(),
                            minute: entry.minute,
                            entry: Some(index),
                            role: Some(from.clone()),
                            message: format!(
                                "{} was pulled in though nothing in this incident is theirs by the matrix: no task they do, answer for or are consulted on, no escalation rule, no approval, no audience they speak to.",
                                g.name(role.as_str())
                            ),
                            advice: "Engage a team when the matrix gives it a part in what is happening; keep others informed instead, or leave them to their work.".into(),
                        },
                    );
                    continue;
                }
                // Leadership whose own work (a decision it is Responsible for) is on the table by
                // then is needed for it, whatever the severity.
                let has_work = parts.responsible_by(role, entry.minute);
                if over.roles.contains(role)
                    && severity < over.below_severity
                    && !warranted
                    && !has_work
                {
                    g.deduct(
                        penalties.over_escalation,
                        FindingDraft {
                            dimension: Dimension::Escalation,
                            rule: "escalation:over_escalation".into(),
                            citation: over.citation.clone(),
                            minute: entry.minute,
                            entry: Some(index),
                            role: Some(from.clone()),
                            message: format!(
                                "{} was pulled in at severity {severity}, below the level ({}) that warrants it.",
                                g.name(role.as_str()),
                                over.below_severity
                            ),
                            advice: "Handle low-severity events within the responding teams and escalate when the thresholds are met; escalating everything creates noise and erodes trust.".into(),
                        },
                    );
                }
            }
        }
        if let Intent::ClassifySeverity { level, by } = &entry.intent {
            let actual = severity;
            let draft = |message: String, advice: String| FindingDraft {
                dimension: Dimension::Escalation,
                rule: "escalation:severity_classification".into(),
                citation: matrix
                    .severity(actual)
                    .map(|s| format!("Severity {} ({}): {}", s.level, s.name, s.description))
                    .unwrap_or_default(),
                minute: entry.minute,
                entry: Some(index),
                role: Some(by.clone()),
                message,
                advice,
            };
            // Levels with their names: "3 (High)" reads as a severity, a bare "3" as a count.
            let named = |l: u8| {
                matrix
                    .severity(l)
                    .map_or_else(|| l.to_string(), |s| format!("{l} ({})", s.name))
            };
            let (said, stood) = (named(*level), named(actual));
            if level.abs_diff(actual) < 2 {
                let judged = if *level == actual {
                    format!("Severity was classified {said}, as the evidence stood.")
                } else {
                    format!(
                        "Severity was classified {said} while the evidence stood at {stood}: within one level, a defensible call."
                    )
                };
                g.credit(
                    penalties.severity_misjudged,
                    draft(judged, "Keep reclassifying as the facts change.".into()),
                );
            } else {
                let (direction, effect) = if *level < actual {
                    ("below", "delays the escalation the evidence calls for")
                } else {
                    ("above", "pulls in people the event does not need")
                };
                g.deduct(
                    penalties.severity_misjudged,
                    draft(
                        format!(
                            "Severity was classified {said}, two or more levels {direction} the evidence, {stood}; that {effect}."
                        ),
                        "Classify from scope, data involved and business impact as known now, and reclassify as facts change.".into(),
                    ),
                );
            }
        }
    }
    proportionate_response(g, &required);
}

/// A severity call that was right when made but that the facts overtook: standing two or more
/// levels below the evidence for longer than the matrix's `reclassify_within_mins` costs what a
/// call two levels off costs; reclassifying in time is credited.
fn stale_severity_calls(g: &mut Grader<'_>) {
    let session = g.session;
    let matrix = session.matrix();
    let window = matrix.escalation.reclassify_within_mins;
    let worth = matrix.scoring.penalties.severity_misjudged;
    let log = session.log();
    let mut evidence = log.opening.iter().fold(1, apply_severity);
    // The standing call: level, 0-based entry, who made it, and whether it was in line then.
    let mut call: Option<(u8, usize, &RoleId, bool)> = None;
    // The moment the evidence left the standing call two or more levels behind.
    let mut stale_since: Option<(u32, u8)> = None;
    let citation = |level: u8| {
        matrix
            .severity(level)
            .map(|s| format!("Severity {} ({}): {}", s.level, s.name, s.description))
            .unwrap_or_default()
    };
    let draft =
        |minute: u32, entry: usize, by: &RoleId, level: u8, message: String, advice: String| {
            FindingDraft {
                dimension: Dimension::Escalation,
                rule: "escalation:severity_reclassification".into(),
                citation: citation(level),
                minute,
                entry: Some(entry),
                role: Some(by.clone()),
                message,
                advice,
            }
        };
    let advice = format!(
        "Reclassify within {window} min when new facts raise the severity: escalations, notices and the business's attention follow the call."
    );
    for (index, entry) in log.entries.iter().enumerate() {
        if let Intent::ClassifySeverity { level, by } = &entry.intent {
            if let (Some((since, evidence_then)), Some((old, old_entry, old_by, _))) =
                (stale_since.take(), call)
            {
                let waited = entry.minute - since;
                if waited <= window {
                    g.credit(
                        worth,
                        draft(
                            entry.minute,
                            index,
                            by,
                            evidence_then,
                            format!(
                                "Severity was reclassified from {old} to {level} at minute {}, {waited} min after the evidence reached {evidence_then}.",
                                entry.minute
                            ),
                            "Calls that follow the facts keep the escalations right.".into(),
                        ),
                    );
                } else {
                    g.deduct(
                        worth,
                        draft(
                            since.saturating_add(window),
                            old_entry,
                            old_by,
                            evidence_then,
                            format!(
                                "The severity call of {old} stood for {waited} min after the evidence reached {evidence_then} at minute {since}, longer than the {window} min allowed to reclassify.",
                            ),
                            advice.clone(),
                        ),
                    );
                }
            }
            call = Some((*level, index, by, level.abs_diff(evidence) < 2));
        }
        let mut minute = entry.minute;
        for event in &entry.events {
            match event {
                Event::InjectReleased { minute: at, .. } | Event::ClockAdvanced { minute: at } => {
                    minute = *at;
                }
                Event::SeverityChanged { level } => {
                    evidence = *level;
                    match call {
                        // Only a call that was right when made: a wrong one was charged then.
                        Some((called, _, _, true)) if called.saturating_add(2) <= evidence => {
                            if stale_since.is_none() {
                                stale_since = Some((minute, evidence));
                            } else if let Some((_, level)) = &mut stale_since {
                                *level = evidence;
                            }
                        }
                        _ => stale_since = None,
                    }
                }
                _ => {}
            }
        }
    }
    if let (Some((since, evidence_then)), Some((old, old_entry, old_by, _))) = (stale_since, call) {
        let deadline = since.saturating_add(window);
        match g.due(deadline) {
            Due::Passed => g.deduct(
                worth,
                draft(
                    deadline,
                    old_entry,
                    old_by,
                    evidence_then,
                    format!(
                        "The severity call of {old} was never revised after the evidence reached {evidence_then} at minute {since}; it stood two or more levels too low past the {window} min allowed to reclassify."
                    ),
                    advice,
                ),
            ),
            Due::NotReached | Due::Pending => {}
        }
    }
}

/// Restraint is a result: in a run where no escalation ever fell due, a player who made a
/// severity call and kept leadership out kept the response proportionate.
fn proportionate_response(g: &mut Grader<'_>, required: &BTreeMap<(String, RoleId), Requirement>) {
    let session = g.session;
    // Nothing fell due: a requirement whose deadline the exercise never reached asked nothing.
    let fell_due = required.values().any(|r| g.due(r.deadline) == Due::Passed);
    if !session.ended() || fell_due {
        return;
    }
    let over = &session.matrix().escalation.over_escalation;
    let log = &session.log().entries;
    let Some((index, by)) = log.iter().enumerate().find_map(|(i, e)| match &e.intent {
        Intent::ClassifySeverity { by, .. } => Some((i, by)),
        _ => None,
    }) else {
        return;
    };
    let pulled_in = log.iter().any(|e| {
        matches!(&e.intent, Intent::Escalate { to, .. } if to.iter().any(|r| over.roles.contains(r)))
    });
    // A call or an escalation already faulted is no restraint.
    let faulted = g
        .findings
        .iter()
        .any(|f| f.dimension == Dimension::Escalation && f.kind == FindingKind::Deduction);
    if pulled_in || faulted {
        return;
    }
    let matrix = session.matrix();
    let leaders: Vec<&RoleId> = over
        .roles
        .iter()
        .filter(|r| {
            matrix
                .role(r.as_str())
                .is_none_or(|role| role.kind == RoleKind::Internal)
        })
        .collect();
    g.credit(
        session.matrix().scoring.penalties.over_escalation,
        FindingDraft {
            dimension: Dimension::Escalation,
            rule: "escalation:proportionate".into(),
            citation: over.citation.clone(),
            minute: session.minute(),
            entry: Some(index),
            role: Some(by.clone()),
            message: format!(
                "Proportionate response: no escalation fell due in this incident, and {} stayed out of it.",
                g.names(leaders)
            ),
            advice: "Handling a low-severity event within the responding teams is the right call.".into(),
        },
    );
}

/// The role whose intent engaged others.
fn engaged_by(intent: &Intent) -> Option<RoleId> {
    match intent {
        Intent::Escalate { from, .. } => Some(from.clone()),
        Intent::Handoff(h) => Some(h.from.clone()),
        Intent::RequestApproval { requested_by, .. }
        | Intent::RequestMessageApproval { requested_by, .. } => Some(requested_by.clone()),
        _ => None,
    }
}

/// Lateness costs in proportion to the delay relative to the allowed window, at least 1 point.
pub(crate) fn late_penalty(max: u32, late_mins: u32, window_mins: u32) -> u32 {
    let window = window_mins.max(1);
    let scaled = (u64::from(max) * u64::from(late_mins)).div_ceil(u64::from(window));
    (scaled.max(1) as u32).min(max)
}

/// What the matrix gives each role to do in the run, besides its escalation rules.
struct Parts {
    /// Roles with a part: the Responsible, Accountable and Consulted roles of the work the
    /// released injects offer (and of classifying and declaring), the Informed roles of the work
    /// the run did, the approvers the run needed, the receivers of its handoffs, and the senders
    /// and approvers of the audiences it spoke to or had to.
    any: BTreeSet<RoleId>,
    /// For each role Responsible for offered work, the minute the first such work was released.
    responsible_since: BTreeMap<RoleId, u32>,
}

impl Parts {
    /// One pass over the released injects and the log; `approvers` are the roles whose approval
    /// the run needed ([`approvers_needed`]).
    fn of(session: &Session, approvers: &BTreeSet<RoleId>) -> Self {
        let matrix = session.matrix();
        let mut parts = Self {
            any: approvers.clone(),
            responsible_since: BTreeMap::new(),
        };
        // Classifying and declaring are on the table in every incident.
        for task in [TASK_CLASSIFY, TASK_DECLARE]
            .iter()
            .filter_map(|t| matrix.task(t))
        {
            parts.add_task(session, task, None);
        }
        for inject in &session.scenario().injects {
            let Some(released) = session.released_at(inject.id.as_str()) else {
                continue;
            };
            for action in inject.decisions.iter().flat_map(|d| &d.actions) {
                let Some(task) = matrix.task(action.task.as_str()) else {
                    continue;
                };
                let target = action.target_id();
                parts.add_task(session, task, target);
                for role in session.resolve_roles(&task.responsible, target) {
                    let since = parts.responsible_since.entry(role).or_insert(released);
                    *since = (*since).min(released);
                }
            }
            for notice in &inject.notify {
                parts.add_audience(session, notice.audience.as_str());
            }
        }
        for entry in &session.log().entries {
            match &entry.intent {
                Intent::Communicate { audience, .. } => {
                    parts.add_audience(session, audience.as_str());
                }
                Intent::Handoff(h) => {
                    parts.any.insert(h.to.clone());
                }
                // A role Informed of work the run did must hear of it: bringing it in is one way
                // to tell it, never noise.
                Intent::AssignAction { action, .. } => {
                    if let Some((_, _, option)) = session.scenario().action(action.as_str())
                        && let Some(task) = matrix.task(option.task.as_str())
                    {
                        parts
                            .any
                            .extend(session.resolve_roles(&task.informed, option.target_id()));
                    }
                }
                _ => {}
            }
        }
        parts
    }

    fn add_task(&mut self, session: &Session, task: &TaskKind, target: Option<&str>) {
        for roles in [
            &task.responsible,
            &task.consulted,
            std::slice::from_ref(&task.accountable),
        ] {
            self.any.extend(session.resolve_roles(roles, target));
        }
    }

    fn add_audience(&mut self, session: &Session, audience: &str) {
        if let Some(policy) = session.audience(audience) {
            self.any
                .extend(policy.senders.iter().chain(&policy.approvals).cloned());
        }
    }

    /// Whether `role` is Responsible for work released by `minute`.
    fn responsible_by(&self, role: &RoleId, minute: u32) -> bool {
        self.responsible_since
            .get(role)
            .is_some_and(|&since| since <= minute)
    }
}

/// Roles whose approval the run needed by the matrix: approvers of the audiences it sent to and
/// of the changes it made or sought approval for.
fn approvers_needed(session: &Session) -> BTreeSet<RoleId> {
    let matrix = session.matrix();
    let mut needed = BTreeSet::new();
    for entry in &session.log().entries {
        match &entry.intent {
            Intent::Communicate { audience, .. } => {
                if let Some(policy) = session.audience(audience.as_str()) {
                    needed.extend(policy.approvals.iter().cloned());
                }
            }
            // Only approvals the matrix asks for: asking anyone at all proves nothing.
            Intent::AssignAction { action, .. } | Intent::RequestApproval { action, .. } => {
                let task = session
                    .scenario()
                    .action(action.as_str())
                    .and_then(|(_, _, a)| matrix.task(a.task.as_str()));
                needed.extend(
                    task.into_iter()
                        .flat_map(|t| t.approvals.iter().chain(&t.approvals_any_of).cloned()),
                );
            }
            _ => {}
        }
    }
    needed
}

#[cfg(test)]
mod tests {
    use super::late_penalty;

    #[test]
    fn lateness_is_scaled_and_capped() {
        assert_eq!(late_penalty(25, 1, 30), 1);
        assert_eq!(late_penalty(25, 15, 30), 13);
        assert_eq!(late_penalty(25, 30, 30), 25);
        assert_eq!(late_penalty(25, 300, 30), 25);
        assert!(late_penalty(25, 5, 30) <= late_penalty(25, 6, 30));
    }
}
