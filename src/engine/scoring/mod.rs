//! Scoring: grades a session against the responsibility matrix and explains every point.
//!
//! Every check the run asked for (a decision that fell due, an escalation owed, a message sent or
//! required, a handoff's elements, an approval) is worth its matrix penalty, kept when passed and
//! lost when failed; omissions are failed checks. What a failed check loses costs the total in
//! proportion to its dimension's weight (at least the matrix's `mistake_floor` when it failed
//! outright), whatever else the run did: the total is 100 less the cost of every deduction, and a
//! dimension's score is 100 less the cost of its own. A run that left required decisions without
//! an owner scores at most the share it acted on. A dimension with nothing at stake is "not
//! tested".

mod card;
mod communication;
mod deadlines;
mod escalation;
mod evidence;
mod grader;
mod handoff;
mod ownership;
mod reporting;
mod separation;

use std::collections::BTreeMap;

pub use card::{DecisionCap, Finding, FindingKind, Points, Scorecard};
pub use deadlines::{
    Deadline, DeadlineKind, NoticeOwed, advance_stop, deadlines, next_stop, notices_owed,
    step_toward,
};
pub use escalation::{Obligation, obligations};
pub use grader::cost_of;
pub use reporting::{ReportDue, ReportingClock, reporting_clocks, reports_due};

use crate::engine::model::matrix::Dimension;

use crate::engine::session::Session;
use grader::{FindingDraft, Grader};

/// Grades a session as it stands (a live scorecard mid-exercise, or the final one).
pub fn score(session: &Session) -> Scorecard {
    let mut grader = Grader::new(session);
    ownership::grade(&mut grader);
    handoff::grade(&mut grader);
    escalation::grade(&mut grader);
    communication::grade(&mut grader);
    reporting::grade(&mut grader);
    evidence::grade(&mut grader);
    separation::grade(&mut grader);

    let ended_early = grader.ended_early();
    let points = std::mem::take(&mut grader.points);
    let dimensions: BTreeMap<Dimension, Option<u32>> = Dimension::ALL
        .iter()
        .map(|d| (*d, points.get(d).copied().unwrap_or_default().score()))
        .collect();
    let decision_cap = DecisionCap::of(grader.decisions.acted, grader.decisions.graded);
    for (dimension, score) in &dimensions {
        if score.is_none() {
            grader.push(
                FindingKind::NotTested,
                0,
                not_tested(*dimension, session, ended_early),
            );
        }
    }

    let mut findings = grader.findings;
    findings.sort_by_key(|f| (f.dimension, f.minute, f.entry));
    let deducted: u64 = points.values().map(|p| p.cost).sum();

    Scorecard {
        scenario: session.scenario().id.clone(),
        matrix: session.matrix().id.clone(),
        seed: session.seed(),
        minute: session.minute(),
        complete: session.ended(),
        ended_early,
        recorded_under_rules: Some(session.log().rules)
            .filter(|&rules| rules < crate::engine::session::RULES_VERSION),
        graded_under: Some(session.graded_under().clone()),
        recorded_under_plan: session
            .log()
            .plan
            .clone()
            .filter(|recorded| recorded != session.graded_under()),
        total: total(&dimensions, deducted, decision_cap),
        deducted,
        decision_cap,
        dimensions,
        points,
        findings,
    }
}

/// 100 less what the deductions cost, 0 at the least and no more than the decision cap; 0 when
/// nothing was graded.
fn total(
    dimensions: &BTreeMap<Dimension, Option<u32>>,
    deducted: u64,
    cap: Option<DecisionCap>,
) -> u32 {
    if dimensions.values().all(Option::is_none) {
        return 0;
    }
    let kept = 100u64.saturating_sub(deducted) as u32;
    cap.map_or(kept, |cap| kept.min(cap.at_most))
}

/// Why nothing in the run put a dimension to the test.
fn not_tested(dimension: Dimension, session: &Session, ended_early: bool) -> FindingDraft {
    let why = match dimension {
        Dimension::Ownership => "No decision fell due and nobody was assigned work.",
        Dimension::Handoffs => {
            "No work moved from the team holding the investigation's context, and no handoff was made."
        }
        Dimension::Escalation => {
            if session
                .log()
                .entries
                .iter()
                .any(|e| matches!(e.intent, crate::engine::Intent::ClassifySeverity { .. }))
            {
                "No escalation fell due and nobody was escalated to."
            } else {
                "No severity call was made, no escalation fell due and nobody was escalated to."
            }
        }
        Dimension::Communication => "No message was required or sent.",
        Dimension::Evidence => "Nothing called for preserving evidence or put it at risk.",
        Dimension::SeparationOfDuties => "No approval was needed, requested or given.",
    };
    let message = if ended_early {
        format!(
            "Not tested: {why} The exercise ended at minute {}.",
            session.minute()
        )
    } else {
        format!("Not tested: {why}")
    };
    FindingDraft {
        dimension,
        rule: format!("{}:not_tested", dimension.key()),
        citation: String::new(),
        minute: session.minute(),
        entry: None,
        role: None,
        message,
        advice: "Nothing in it counted toward the total, for or against.".into(),
    }
}
