//! Scoring: grades a session against the responsibility matrix and explains every point.
//!
//! Each dimension is graded on what the run asked of it: every check (a decision that fell due, an
//! escalation owed, a message sent or required, a handoff's elements, an approval) is worth its
//! matrix penalty, kept when passed and lost when failed; omissions are failed checks. A dimension's
//! score is the share of its points kept, capped so that each check failed outright costs at least
//! the matrix's `mistake_floor` of the total; one with nothing at stake is "not tested" and left
//! out of the total, which is the matrix-weighted mean of the tested dimensions.

mod card;
mod communication;
mod deadlines;
mod escalation;
mod evidence;
mod grader;
mod handoff;
mod ownership;
mod separation;

use std::collections::BTreeMap;

pub use card::{Finding, FindingKind, Points, Scorecard};
pub use deadlines::{Deadline, DeadlineKind, advance_stop, deadlines};
pub use escalation::{Obligation, obligations};

use crate::engine::model::matrix::{Dimension, Weights};

use crate::engine::session::Session;
use grader::{FindingDraft, Grader};

/// Grades a session as it stands (a live scorecard mid-exercise, or the final one).
pub fn score(session: &Session) -> Scorecard {
    let mut grader = Grader::new(session);
    ownership::grade(&mut grader);
    handoff::grade(&mut grader);
    escalation::grade(&mut grader);
    communication::grade(&mut grader);
    evidence::grade(&mut grader);
    separation::grade(&mut grader);

    let ended_early = grader.ended_early();
    let points = std::mem::take(&mut grader.points);
    let policy = &session.matrix().scoring;
    let dimensions = dimension_scores(&points, &policy.weights, policy.mistake_floor);
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

    Scorecard {
        scenario: session.scenario().id.clone(),
        matrix: session.matrix().id.clone(),
        seed: session.seed(),
        minute: session.minute(),
        complete: session.ended(),
        ended_early,
        recorded_under_rules: Some(session.log().rules)
            .filter(|&rules| rules < crate::engine::session::RULES_VERSION),
        total: total(&dimensions, &session.matrix().scoring.weights),
        dimensions,
        points,
        findings,
    }
}

/// Each dimension's score: the share of its points kept, and no more than 100 less what its
/// mistakes cost. A mistake costs at least `floor` points of the total, so in a dimension of
/// weight `w` out of `tested` it takes at least `floor × tested / w` points off the dimension:
/// a classic mistake is never lost among many checks passed.
fn dimension_scores(
    points: &BTreeMap<Dimension, Points>,
    weights: &Weights,
    floor: u32,
) -> BTreeMap<Dimension, Option<u32>> {
    let points_of = |d: &Dimension| points.get(d).copied().unwrap_or_default();
    let tested: u64 = Dimension::ALL
        .iter()
        .filter(|d| points_of(d).score().is_some())
        .map(|d| u64::from(weights.of(*d)))
        .sum();
    Dimension::ALL
        .iter()
        .map(|d| {
            let p = points_of(d);
            let weight = u64::from(weights.of(*d));
            let per_mistake = (u64::from(floor) * tested).div_ceil(weight.max(1)).min(100);
            let capped = 100u64.saturating_sub(per_mistake.saturating_mul(u64::from(p.mistakes)));
            let score = p
                .score()
                .map(|s| if weight == 0 { s } else { s.min(capped as u32) });
            (*d, score)
        })
        .collect()
}

/// The weighted mean of the tested dimensions, rounded to the nearest point; 0 when none was.
fn total(dimensions: &BTreeMap<Dimension, Option<u32>>, weights: &Weights) -> u32 {
    let tested = dimensions
        .iter()
        .filter_map(|(d, score)| score.map(|s| (u64::from(weights.of(*d)), u64::from(s))));
    let (weighted, weight_sum) = tested.fold((0u64, 0u64), |(sum, weights), (w, s)| {
        (sum + w * s, weights + w)
    });
    ((weighted + weight_sum / 2)
        .checked_div(weight_sum)
        .unwrap_or(0)) as u32
}

/// Why nothing in the run put a dimension to the test.
fn not_tested(dimension: Dimension, session: &Session, ended_early: bool) -> FindingDraft {
    let why = match dimension {
        Dimension::Ownership => "No decision fell due and nobody was assigned work.",
        Dimension::Handoffs => {
            "No work moved from the team holding the investigation's context, and no handoff was made."
        }
        Dimension::Escalation => {
            "No escalation fell due, nobody was escalated to and no severity was classified."
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
        advice: "Left out of the total rather than counted as perfect.".into(),
    }
}
