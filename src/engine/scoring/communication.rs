//! Communication: the right sender for the audience, the approvals it needs, and nothing it must not receive.

use std::collections::{BTreeMap, BTreeSet};

use super::escalation::late_penalty;
use super::grader::{Due, FindingDraft, Grader, Work};
use crate::engine::model::id::{ActionId, AudienceId, RoleId};
use crate::engine::model::intent::{Event, Intent};
use crate::engine::model::matrix::{Dimension, MessageContent, TaskKind};
use crate::engine::session::{LogEntry, Session, either_list};

pub(super) fn grade(g: &mut Grader<'_>) {
    let session = g.session;
    let matrix = session.matrix();
    let penalties = &matrix.scoring.penalties;
    for (index, entry) in session.log().entries.iter().enumerate() {
        let Intent::Communicate {
            audience,
            sender,
            message,
            ..
        } = &entry.intent
        else {
            continue;
        };
        let Some(policy) = session.audience(audience.as_str()) else {
            continue;
        };
        let Some((_, msg)) = session.scenario().message(message.as_str()) else {
            continue;
        };
        let draft = |rule: &str, message: String, advice: String| FindingDraft {
            dimension: Dimension::Communication,
            rule: format!("communication:{}:{rule}", policy.id),
            citation: policy.citation.clone(),
            minute: entry.minute,
            entry: Some(index),
            role: Some(sender.clone()),
            message,
            advice,
        };
        let mut faults = 0;
        let mut kept = 0;
        if policy.senders.contains(sender) {
            kept += penalties.wrong_sender;
        } else {
            faults += 1;
            g.deduct(
                penalties.wrong_sender,
                draft(
                    "sender",
                    format!(
                        "{} sent \"{}\" to {}; only {} may.",
                        g.name(sender.as_str()),
                        msg.label,
                        policy.name,
                        g.names(&policy.senders)
                    ),
                    format!(
                        "Route messages to {} through {}.",
                        policy.name,
                        g.names(&policy.senders)
                    ),
                ),
            );
        }
        for approver in &policy.approvals {
            // Only an approval granted before the message left counts, as for changes; the
            // sender's own approval goes without saying.
            let request = session.message_approvals().iter().find(|r| {
                r.message == *message && r.audience == *audience && r.approver == *approver
            });
            let granted = request
                .and_then(|r| r.granted)
                .is_some_and(|granted| granted.entry < index);
            if approver == sender || granted {
                kept += penalties.missing_approval;
                continue;
            }
            faults += 1;
            let approver_name = g.name(approver.as_str());
            let message = match request {
                Some(r) => format!(
                    "\"{}\" went to {} while {approver_name}'s approval, asked for at minute {}, was still pending.",
                    msg.label, policy.name, r.requested_at
                ),
                None => format!(
                    "\"{}\" went to {} without {approver_name}'s approval.",
                    msg.label, policy.name
                ),
            };
            g.deduct(
                penalties.missing_approval,
                draft(
                    "approval",
                    message,
                    format!(
                        "Ask {approver_name} to approve the message and wait for the approval before anything goes to {}.",
                        policy.name
                    ),
                ),
            );
        }
        let forbidden: Vec<MessageContent> = msg
            .content
            .iter()
            .copied()
            .filter(|c| policy.forbidden.contains(c))
            .collect();
        if forbidden.is_empty() && !policy.forbidden.is_empty() {
            kept += penalties.forbidden_content;
        }
        for content in forbidden {
            faults += 1;
            g.deduct(
                penalties.forbidden_content,
                draft(
                    "content",
                    format!(
                        "\"{}\" contains {} and went to {}, which must never receive it.",
                        msg.label,
                        content.label(),
                        policy.name
                    ),
                    content_advice(content).into(),
                ),
            );
        }
        if faults == 0 {
            g.credit(
                kept,
                draft(
                    "ok",
                    format!(
                        "\"{}\" went to {} from the right sender with the approvals it needs.",
                        msg.label, policy.name
                    ),
                    "Verified, approved, need-to-know: that is the standard.".into(),
                ),
            );
        } else {
            g.keep(Dimension::Communication, kept);
        }
    }
    required_notices(g);
    informed(g);
    external_contacts(g);
}

/// Who contacts whom by an intent: escalating to, handing work to, asking the approval of, or
/// telling a role are all contact.
fn contacts(intent: &Intent) -> Option<(&RoleId, Vec<&RoleId>)> {
    let reached = match intent {
        Intent::Escalate { to, .. } | Intent::Inform { to, .. } => to.iter().collect(),
        Intent::Handoff(h) => vec![&h.to],
        Intent::RequestApproval { approver, .. }
        | Intent::RequestMessageApproval { approver, .. } => vec![approver],
        _ => return None,
    };
    Some((intent.actor()?, reached))
}

/// The first contact with each external party the matrix has a rule for: made by its point of
/// contact, after the roles that must come first were in the response.
fn external_contacts(g: &mut Grader<'_>) {
    let session = g.session;
    let matrix = session.matrix();
    let worth = matrix.scoring.penalties.external_contact;
    // The log entry at which each role was first engaged.
    let mut engaged_at: BTreeMap<&RoleId, usize> = BTreeMap::new();
    let mut contacted: BTreeSet<&RoleId> = BTreeSet::new();
    for (index, entry) in session.log().entries.iter().enumerate() {
        if let Some((from, parties)) = contacts(&entry.intent) {
            for party in parties {
                let Some(rule) = matrix.contact(party.as_str()) else {
                    continue;
                };
                if !contacted.insert(party) {
                    continue;
                }
                let draft = |message: String, advice: String| FindingDraft {
                    dimension: Dimension::Communication,
                    rule: format!("communication:contact:{party}"),
                    citation: rule.citation.clone(),
                    minute: entry.minute,
                    entry: Some(index),
                    role: Some(from.clone()),
                    message,
                    advice,
                };
                let party_name = g.name(party.as_str());
                if rule.by.contains(from) {
                    g.keep(Dimension::Communication, worth);
                } else {
                    let points_of_contact =
                        either_list(rule.by.iter().map(|r| g.name(r.as_str())).collect());
                    g.deduct(
                        worth,
                        draft(
                            format!(
                                "{} contacted {party_name}; its point of contact is {points_of_contact}.",
                                g.name(from.as_str())
                            ),
                            format!("Route contact with {party_name} through {points_of_contact}."),
                        ),
                    );
                }
                let not_yet: Vec<&RoleId> = rule
                    .after
                    .iter()
                    .filter(|r| engaged_at.get(r).is_none_or(|&at| at >= index))
                    .collect();
                if not_yet.is_empty() {
                    g.keep(Dimension::Communication, worth);
                } else {
                    g.deduct(
                        worth,
                        draft(
                            format!(
                                "{party_name} was contacted before {} had been brought in.",
                                g.names(not_yet.iter().copied())
                            ),
                            format!(
                                "Engage {} before anything goes to {party_name}.",
                                g.names(not_yet.iter().copied())
                            ),
                        ),
                    );
                }
            }
        }
        for event in &entry.events {
            if let Event::RolesEngaged { roles } = event {
                for role in roles {
                    engaged_at.entry(role).or_insert(index);
                }
            }
        }
    }
}

/// How a role came to know of a piece of work: the minute it counts from and the way, in words.
struct Told {
    minute: u32,
    entry: usize,
    how: String,
}

/// Roles the RACI lists as Informed of a task must be told of the work, before it or within the
/// matrix's window after it is done (RACI's "kept up to date", usually on completion), in any of
/// the ways people tell each other: an `Inform` about it, being asked to approve it, being in
/// the response when it is done, being brought in (or joining by acting) after it, or a message
/// to an audience they belong to after it. Told late costs half; never told, all. Work taken
/// by a wrong approach is not graded here: telling people about it earns nothing.
fn informed(g: &mut Grader<'_>) {
    let session = g.session;
    let matrix = session.matrix();
    let worth = matrix.scoring.penalties.uninformed;
    for Work {
        action,
        done,
        option,
        task,
    } in g.work()
    {
        if option.misdirected.is_some() {
            continue;
        }
        let target = option.target_id();
        let severity = g.severities.get(done.entry).copied().unwrap_or(1);
        let window = informed_window(session, task, severity);
        let deadline = done.minute.saturating_add(window);
        let roles = session.resolve_roles(&task.informed, target);
        for role in roles.iter().filter(|r| **r != done.role) {
            let told = told_about(g, role, action, done.entry, done.minute);
            let name = g.name(role.as_str());
            let draft = |minute: u32, entry: usize, message: String, advice: String| FindingDraft {
                dimension: Dimension::Communication,
                rule: format!("communication:informed:{}", task.id),
                citation: task.citation.clone(),
                minute,
                entry: Some(entry),
                role: Some(role.clone()),
                message,
                advice,
            };
            let advice = format!(
                "Tell {name} about \"{}\" within {window} min of doing it (an Inform, an escalation, a handoff or a message to a team {name} is part of): the matrix lists {name} as Informed of \"{}\".",
                option.label, task.name
            );
            match told {
                Some(t) if t.minute <= deadline => g.credit(
                    worth,
                    draft(
                        t.minute,
                        t.entry,
                        format!(
                            "{name} knew of \"{}\" (done at minute {}): {}.",
                            option.label, done.minute, t.how
                        ),
                        "Informed roles kept up to date can act on the change.".into(),
                    ),
                ),
                Some(t) => g.deduct_part(
                    worth,
                    worth / 2,
                    draft(
                        t.minute,
                        t.entry,
                        format!(
                            "{name} heard of \"{}\" only at minute {} ({}), {} min after it was done at minute {}; the matrix allows {window} min.",
                            option.label,
                            t.minute,
                            t.how,
                            t.minute - done.minute,
                            done.minute
                        ),
                        advice,
                    ),
                ),
                None => match g.due(deadline) {
                    Due::Passed => g.deduct(
                        worth,
                        draft(
                            deadline.min(session.minute()),
                            done.entry,
                            format!(
                                "{name} was never told about \"{}\", done at minute {}, though the matrix lists {name} as Informed of \"{}\": no Inform, escalation, handoff or message reached {name}.",
                                option.label, done.minute, task.name
                            ),
                            advice,
                        ),
                    ),
                    Due::NotReached => g.not_reached(draft(
                        session.minute(),
                        done.entry,
                        format!(
                            "Not reached: {name} had until minute {deadline} to hear of \"{}\"; the exercise ended at minute {}.",
                            option.label,
                            session.minute()
                        ),
                        advice,
                    )),
                    Due::Pending => {}
                },
            }
        }
    }
}

/// Minutes after the work within which its Informed roles must be told: the task's setting, else
/// the severity level's at the time of the work, else the policy's.
fn informed_window(session: &Session, task: &TaskKind, severity: u8) -> u32 {
    let matrix = session.matrix();
    task.informed_within_mins
        .or_else(|| {
            matrix
                .severity(severity)
                .and_then(|s| s.informed_within_mins)
        })
        .unwrap_or(matrix.escalation.informed_within_mins)
}

/// The earliest moment `role` knew of the work done at log entry `done_entry` (minute
/// `done_minute`), and how. Anything before the work counts from the work's own minute.
fn told_about(
    g: &Grader<'_>,
    role: &RoleId,
    action: &ActionId,
    done_entry: usize,
    done_minute: u32,
) -> Option<Told> {
    let session = g.session;
    let mut best: Option<Told> = None;
    // On a tie, the telling that names the work (an Inform, an approval asked) is the one said.
    let mut offer = |entry: usize, minute: u32, how: String, names_the_work: bool| {
        let minute = if entry < done_entry {
            done_minute
        } else {
            minute
        };
        if best
            .as_ref()
            .is_none_or(|b| minute < b.minute || (names_the_work && minute == b.minute))
        {
            best = Some(Told { minute, entry, how });
        }
    };
    if let Some(joined) = g.involved.get(role) {
        let how = if joined.entry <= done_entry {
            format!("already in the response, since minute {}", joined.minute)
        } else {
            format!(
                "{} at minute {}",
                joining(g, role, joined.entry, joined.acted),
                joined.minute
            )
        };
        offer(joined.entry, joined.minute, how, false);
    }
    for (index, e) in session.log().entries.iter().enumerate() {
        let how = match &e.intent {
            Intent::Inform { from, to, about } if about == action && to.contains(role) => format!(
                "told by {} at minute {}{}",
                g.name(from.as_str()),
                e.minute,
                if index < done_entry {
                    ", before it was done"
                } else {
                    ""
                }
            ),
            Intent::RequestApproval {
                action: asked,
                requested_by,
                approver,
            } if asked == action && approver == role => format!(
                "asked by {} to approve it at minute {}",
                g.name(requested_by.as_str()),
                e.minute
            ),
            Intent::Communicate {
                audience,
                sender,
                message,
                ..
            } if index > done_entry => {
                let Some(heard_by) = session
                    .audience(audience.as_str())
                    .filter(|a| a.members.contains(role))
                else {
                    continue;
                };
                format!(
                    "told with \"{}\", sent by {} to {} at minute {}",
                    session.message_label(message),
                    g.name(sender.as_str()),
                    heard_by.name,
                    e.minute
                )
            }
            _ => continue,
        };
        let names_the_work = !matches!(e.intent, Intent::Communicate { .. });
        offer(index, e.minute, how, names_the_work);
        if index >= done_entry {
            // Entries run in time order: nothing later can be earlier.
            break;
        }
    }
    best
}

/// How a role joined the response at a log entry, in words ("brought in by an escalation from
/// the SOC", "joined by declaring an incident").
fn joining(g: &Grader<'_>, role: &RoleId, entry: usize, acted: bool) -> String {
    let Some(e) = g.session.log().entries.get(entry) else {
        return "brought into the response".into();
    };
    let by = |from: &RoleId| g.name(from.as_str());
    if acted {
        return format!(
            "joined the response by acting ({})",
            g.session.describe(&e.intent)
        );
    }
    match &e.intent {
        Intent::Escalate { from, .. } => format!("brought in by an escalation from {}", by(from)),
        Intent::Handoff(h) if h.to == *role => format!("handed work by {}", by(&h.from)),
        Intent::RequestApproval { requested_by, .. }
        | Intent::RequestMessageApproval { requested_by, .. } => {
            format!("asked for an approval by {}", by(requested_by))
        }
        Intent::AssignAction { .. } => "given work in the response".into(),
        other => format!("brought into the response ({})", g.session.describe(other)),
    }
}

/// The first message to `audience` at or after minute `from`, with its 0-based log entry: what
/// answers a notice an inject asked for.
pub(super) fn first_message_to<'s>(
    session: &'s Session,
    audience: &AudienceId,
    from: u32,
) -> Option<(usize, &'s LogEntry)> {
    session.log().entries.iter().enumerate().find(|(_, e)| {
        e.minute >= from
            && matches!(&e.intent, Intent::Communicate { audience: to, .. } if to == audience)
    })
}

/// Audiences an inject says must hear from the organisation, each a check once its deadline falls.
fn required_notices(g: &mut Grader<'_>) {
    let session = g.session;
    let matrix = session.matrix();
    let penalties = &matrix.scoring.penalties;
    for inject in &session.scenario().injects {
        let released = session.released_at(inject.id.as_str());
        for notice in &inject.notify {
            let Some(policy) = session.audience(notice.audience.as_str()) else {
                continue;
            };
            let Some(released) = released else {
                if g.ended_early() {
                    g.not_reached(FindingDraft {
                        dimension: Dimension::Communication,
                        rule: format!("communication:{}:required", policy.id),
                        citation: policy.citation.clone(),
                        minute: session.minute(),
                        entry: None,
                        role: None,
                        message: format!(
                            "Not reached: {} was to be told after \"{}\", still to come when the exercise ended at minute {}.",
                            policy.name,
                            inject.title,
                            session.minute()
                        ),
                        advice: "Play the scenario to its end to be graded on it.".into(),
                    });
                }
                continue;
            };
            let deadline = released.saturating_add(notice.within_mins);
            let sent = first_message_to(session, &notice.audience, released);
            let because = format!("\"{}\" at minute {released}", inject.title);
            let draft = |minute: u32, entry: Option<usize>, message: String| FindingDraft {
                dimension: Dimension::Communication,
                rule: format!("communication:{}:required", policy.id),
                citation: policy.citation.clone(),
                minute,
                entry,
                role: None,
                message,
                advice: format!(
                    "Once {because}, {} must hear from the organisation within {} min: a message sent by {}.",
                    policy.name,
                    notice.within_mins,
                    either_list(policy.senders.iter().map(|r| g.name(r.as_str())).collect())
                ),
            };
            let worth = penalties.communication_missed;
            match sent {
                Some((entry, e)) if e.minute <= deadline => g.credit(
                    worth,
                    draft(
                        e.minute,
                        Some(entry),
                        format!(
                            "{} heard from the organisation at minute {}, within the deadline of minute {deadline}.",
                            policy.name, e.minute
                        ),
                    ),
                ),
                Some((entry, e)) => {
                    let late = e.minute - deadline;
                    let points = late_penalty(worth, late, notice.within_mins);
                    g.deduct_part(
                        worth,
                        points,
                        draft(
                            e.minute,
                            Some(entry),
                            format!(
                                "{} heard from the organisation at minute {}, {late} min after the deadline of minute {deadline}.",
                                policy.name, e.minute
                            ),
                        ),
                    );
                }
                None => match g.due(deadline) {
                    Due::Passed => g.deduct(
                        worth,
                        draft(
                            deadline,
                            None,
                            format!(
                                "Nothing was sent to {} after {because}, though it was due by minute {deadline}.",
                                policy.name
                            ),
                        ),
                    ),
                    Due::NotReached => g.not_reached(draft(
                        session.minute(),
                        None,
                        format!(
                            "Not reached: a message to {} was due by minute {deadline}; the exercise ended at minute {}.",
                            policy.name,
                            session.minute()
                        ),
                    )),
                    Due::Pending => {}
                },
            }
        }
    }
}

fn content_advice(content: MessageContent) -> &'static str {
    match content {
        MessageContent::Speculation => {
            "Say only what the evidence confirms; premature claims cause harm that is hard to undo."
        }
        MessageContent::RawEvidence => {
            "Summarise findings; keep logs and samples inside the investigation, on a need-to-know basis."
        }
        MessageContent::PersonalData => {
            "Leave personal data out; sharing it widely creates a new privacy incident."
        }
        MessageContent::TechnicalDetail => "Keep technical detail for the teams that act on it.",
        MessageContent::Assessment => {
            "Keep hypotheses, even labelled ones, inside the organisation; outside it, say only what is verified."
        }
        MessageContent::VerifiedFacts | MessageContent::Guidance => "Check the audience's policy.",
    }
}
