//! What is coming on the clock: injects due, decisions about to close, escalations and notices
//! falling due. The player's countdowns, and where "+N min" stops so nothing lapses unseen.

use super::communication::first_message_to;
use super::escalation::obligations;
use super::reporting::reports_due;
use crate::engine::model::scenario::Release;
use crate::engine::session::Session;

/// What falls due at a minute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeadlineKind {
    /// An inject is released.
    Inject,
    /// The last minute to act on a decision before it closes.
    DecisionCloses,
    /// The last minute to engage a role on time.
    EscalationDue,
    /// The last minute to tell an audience on time.
    NoticeDue,
    /// The last minute to file a report a law or contract requires.
    ReportDue,
}

/// One thing ahead on the clock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deadline {
    /// The scenario minute: an inject's release, or the last minute to act in time.
    pub minute: u32,
    /// What kind of thing it is.
    pub kind: DeadlineKind,
    /// What it is, in words ("Ransom note and spreading encryption", "engage Legal Counsel").
    pub what: String,
}

/// A notice an inject says an audience is owed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoticeOwed {
    /// The audience, by name.
    pub audience: String,
    /// The roles that may send to it, by name.
    pub senders: Vec<String>,
    /// The last minute to send it on time.
    pub deadline: u32,
    /// Minute something was sent to it, once sent.
    pub sent_at: Option<u32>,
}

/// The notices the released injects made owed, in the order they fall due.
pub fn notices_owed(session: &Session) -> Vec<NoticeOwed> {
    let matrix = session.matrix();
    let mut out = Vec::new();
    for inject in &session.scenario().injects {
        let Some(released) = session.released_at(inject.id.as_str()) else {
            continue;
        };
        for notice in &inject.notify {
            let (audience, senders) = session.audience(notice.audience.as_str()).map_or_else(
                || (notice.audience.to_string(), Vec::new()),
                |a| {
                    (
                        a.name.clone(),
                        a.senders
                            .iter()
                            .map(|r| matrix.role_name(r.as_str()).to_owned())
                            .collect(),
                    )
                },
            );
            out.push(NoticeOwed {
                audience,
                senders,
                deadline: released.saturating_add(notice.within_mins),
                sent_at: first_message_to(session, &notice.audience, released)
                    .map(|(_, entry)| entry.minute),
            });
        }
    }
    out.sort_by_key(|n| n.deadline);
    out
}

/// Everything still ahead of the clock (at or after the current minute), earliest first.
pub fn deadlines(session: &Session) -> Vec<Deadline> {
    let now = session.minute();
    let matrix = session.matrix();
    let mut out = Vec::new();
    for inject in session.pending_injects() {
        if session.held().contains(&inject.id) {
            continue;
        }
        if let Release::At(minute) = inject.release {
            out.push(Deadline {
                minute,
                kind: DeadlineKind::Inject,
                what: inject.title.clone(),
            });
        }
    }
    for decision in session.open_decisions() {
        if let Some(closes) = session.closes_at(decision) {
            out.push(Deadline {
                // It closes when the clock reaches that minute; the one before is the last chance.
                minute: closes.saturating_sub(1),
                kind: DeadlineKind::DecisionCloses,
                what: decision.prompt.clone(),
            });
        }
    }
    for notice in notices_owed(session) {
        if notice.sent_at.is_none() {
            out.push(Deadline {
                minute: notice.deadline,
                kind: DeadlineKind::NoticeDue,
                what: format!("tell {}", notice.audience),
            });
        }
    }
    for due in reports_due(session) {
        if due.filed.is_none() {
            out.push(Deadline {
                minute: due.deadline,
                kind: DeadlineKind::ReportDue,
                what: format!("file {} ({})", due.stage.name, due.clock.regime.name),
            });
        }
    }
    for obligation in obligations(session) {
        if obligation.engaged_at.is_none() {
            out.push(Deadline {
                minute: obligation.deadline,
                kind: DeadlineKind::EscalationDue,
                what: format!("engage {}", matrix.role_name(obligation.role.as_str())),
            });
        }
    }
    out.retain(|d| d.minute >= now && d.minute <= session.scenario().duration_mins);
    out.sort_by(|a, b| (a.minute, &a.what).cmp(&(b.minute, &b.what)));
    out
}

/// How far "+`minutes` min" should move the clock: no further than the next deadline, so an
/// inject or a last chance to act is never skipped; at least one minute.
pub fn advance_stop(session: &Session, minutes: u32) -> u32 {
    step_toward(session.minute(), next_stop(session).as_ref(), minutes)
}

/// [`advance_stop`] given the next thing due, for a caller that already has it.
pub fn step_toward(now: u32, next: Option<&Deadline>, minutes: u32) -> u32 {
    next.map_or(minutes, |d| minutes.min(d.minute.saturating_sub(now)))
        .max(1)
}

/// The next thing due after the current minute, if anything is still ahead within the scenario.
pub fn next_stop(session: &Session) -> Option<Deadline> {
    let now = session.minute();
    deadlines(session).into_iter().find(|d| d.minute > now)
}
