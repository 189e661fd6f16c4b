//! Reporting duties set by law or contract: once an inject starts a regime's clock, each of its
//! reports is due within the regime's span, whatever the scenario's own decisions ask.

use super::escalation::late_penalty;
use super::grader::{Due, FindingDraft, Grader};
use crate::engine::model::intent::Intent;
use crate::engine::model::matrix::{Dimension, Regime, ReportStage};
use crate::engine::model::scenario::Inject;
use crate::engine::session::Session;
use crate::engine::text::duration_words;

/// A regime's clock, started by an inject's release.
#[derive(Clone, Debug)]
pub struct ReportingClock<'s> {
    /// The regime.
    pub regime: &'s Regime,
    /// The inject that started it (the first released, when several can).
    pub inject: &'s Inject,
    /// The minute it started.
    pub started: u32,
}

/// One report a clock asks for, with its deadline and the filing that met it, if any.
#[derive(Clone, Debug)]
pub struct ReportDue<'s> {
    /// The clock.
    pub clock: ReportingClock<'s>,
    /// Which report (0-based) of the regime.
    pub stage_index: usize,
    /// The report.
    pub stage: &'s ReportStage,
    /// The minute its span counts from: the clock's start, or the previous report.
    pub from: u32,
    /// The last minute it may be filed.
    pub deadline: u32,
    /// The filing that counts for it: the `stage_index`-th filing under the regime, as (0-based
    /// log entry, minute).
    pub filed: Option<(usize, u32)>,
}

/// Every regime clock the run has started, in the order the matrix lists the regimes.
pub fn reporting_clocks(session: &Session) -> Vec<ReportingClock<'_>> {
    let mut clocks: Vec<ReportingClock<'_>> = Vec::new();
    for inject in &session.scenario().injects {
        let Some(released) = session.released_at(inject.id.as_str()) else {
            continue;
        };
        for id in &inject.starts_reporting {
            let Some(regime) = session.matrix().regime(id.as_str()) else {
                continue;
            };
            match clocks.iter_mut().find(|c| c.regime.id == regime.id) {
                Some(clock) if clock.started <= released => {}
                Some(clock) => {
                    clock.inject = inject;
                    clock.started = released;
                }
                None => clocks.push(ReportingClock {
                    regime,
                    inject,
                    started: released,
                }),
            }
        }
    }
    let position = |c: &ReportingClock<'_>| {
        session
            .matrix()
            .regimes
            .iter()
            .position(|r| r.id == c.regime.id)
    };
    clocks.sort_by_key(position);
    clocks
}

/// Every report the started clocks ask for, with its deadline and filing.
pub fn reports_due(session: &Session) -> Vec<ReportDue<'_>> {
    let mut out = Vec::new();
    for clock in reporting_clocks(session) {
        let filings = filings(session, clock.regime);
        let mut previous: Option<u32> = None;
        for (stage_index, stage) in clock.regime.stages.iter().enumerate() {
            let from = match previous {
                Some(minute) if stage.after_previous => minute,
                _ => clock.started,
            };
            let deadline = session.scenario().minute_after(from, stage.within);
            let filed = filings.get(stage_index).copied();
            previous = Some(filed.map_or(deadline, |(_, minute)| minute));
            out.push(ReportDue {
                clock: clock.clone(),
                stage_index,
                stage,
                from,
                deadline,
                filed,
            });
        }
    }
    out
}

/// The log entries that file a report under a regime, in order: work of its task that is not a
/// wrong approach, or a message to its audience. Filings made before the clock started count: a
/// report is not less filed for being early.
fn filings(session: &Session, regime: &Regime) -> Vec<(usize, u32)> {
    let scenario = session.scenario();
    session
        .log()
        .entries
        .iter()
        .enumerate()
        .filter(|(_, e)| match &e.intent {
            Intent::AssignAction { action, .. } => regime.task.as_ref().is_some_and(|task| {
                scenario
                    .action(action.as_str())
                    .is_some_and(|(_, _, o)| o.task == *task && o.misdirected.is_none())
            }),
            Intent::Communicate { audience, .. } => regime.audience.as_ref() == Some(audience),
            _ => false,
        })
        .map(|(entry, e)| (entry, e.minute))
        .collect()
}

pub(super) fn grade(g: &mut Grader<'_>) {
    let session = g.session;
    let scenario = session.scenario();
    let worth = session.matrix().scoring.penalties.report_missed;
    for due in reports_due(session) {
        // A deadline past the scenario's end is after the exercise by design, not missed.
        if due.deadline > scenario.duration_mins {
            continue;
        }
        let regime = due.clock.regime;
        let clock = |minute: u32| scenario.clock_label(minute);
        let report = format!("{}: {}", regime.name, due.stage.name.to_lowercase());
        let started = format!(
            "the clock started at {} with \"{}\"",
            clock(due.clock.started),
            due.clock.inject.title
        );
        let draft = |minute: u32, entry: Option<usize>, message: String| FindingDraft {
            dimension: Dimension::Communication,
            rule: format!("communication:report:{}", regime.id),
            citation: regime.citation.clone(),
            minute,
            entry,
            role: entry.and_then(|e| session.log().entries.get(e)?.intent.actor().cloned()),
            message,
            advice: format!(
                "{} is due to {} within {} of {}: assess the duty early, then file what is known by the deadline and follow up as the facts come in.",
                due.stage.name,
                regime.recipient,
                due.stage.within.label(),
                regime.clock_starts
            ),
        };
        match due.filed {
            Some((entry, minute)) if minute <= due.deadline => g.credit(
                worth,
                draft(
                    minute,
                    Some(entry),
                    format!(
                        "{report} filed at {}, before its deadline of {} ({started}).",
                        clock(minute),
                        clock(due.deadline)
                    ),
                ),
            ),
            Some((entry, minute)) => {
                let late = minute - due.deadline;
                let window = due.deadline.saturating_sub(due.from);
                g.deduct_part(
                    worth,
                    late_penalty(worth, late, window),
                    draft(
                        minute,
                        Some(entry),
                        format!(
                            "{report} filed at {}, {} after its deadline of {} ({started}).",
                            clock(minute),
                            duration_words(late),
                            clock(due.deadline)
                        ),
                    ),
                );
            }
            None => match g.due(due.deadline) {
                Due::Passed => g.deduct(
                    worth,
                    draft(
                        due.deadline,
                        None,
                        format!(
                            "{report} was never filed, though it was due by {} ({started}).",
                            clock(due.deadline)
                        ),
                    ),
                ),
                Due::NotReached => g.not_reached(draft(
                    session.minute(),
                    None,
                    format!(
                        "Not reached: {report} is due by {}; the exercise ended at {}.",
                        clock(due.deadline),
                        clock(session.minute())
                    ),
                )),
                Due::Pending => {}
            },
        }
    }
}
