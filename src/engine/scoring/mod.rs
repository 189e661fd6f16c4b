//! Scoring: grades a session against the responsibility matrix and explains every point.
//!
//! Each dimension starts at 100 and loses the points of its deductions (never below 0); credits
//! explain what went right and cost nothing. The total is the matrix-weighted mean of the dimensions.

mod card;
mod communication;
mod escalation;
mod evidence;
mod grader;
mod handoff;
mod ownership;
mod separation;

use std::collections::BTreeMap;

pub use card::{Finding, FindingKind, Scorecard};
pub use escalation::{Obligation, obligations};

use crate::engine::model::matrix::Dimension;
use crate::engine::session::Session;
use grader::Grader;

/// Grades a session as it stands (a live scorecard mid-exercise, or the final one).
pub fn score(session: &Session) -> Scorecard {
    let mut grader = Grader {
        session,
        findings: Vec::new(),
    };
    ownership::grade(&mut grader);
    handoff::grade(&mut grader);
    escalation::grade(&mut grader);
    communication::grade(&mut grader);
    evidence::grade(&mut grader);
    separation::grade(&mut grader);

    let mut findings = grader.findings;
    findings.sort_by_key(|f| (f.dimension, f.minute, f.entry));

    let mut dimensions = BTreeMap::new();
    for dimension in Dimension::ALL {
        let lost: i64 = findings
            .iter()
            .filter(|f| f.dimension == dimension)
            .map(|f| i64::from(f.points))
            .sum();
        let score = (100 + lost).clamp(0, 100) as u32;
        dimensions.insert(dimension, score);
    }
    let weights = &session.matrix().scoring.weights;
    let weight_sum: u32 = Dimension::ALL.iter().map(|d| weights.of(*d)).sum();
    let weighted: u32 = Dimension::ALL
        .iter()
        .map(|d| weights.of(*d) * dimensions.get(d).copied().unwrap_or(100))
        .sum();
    // Rounded to the nearest point; a matrix with all weights 0 is refused by validation.
    let total = (weighted + weight_sum / 2)
        .checked_div(weight_sum)
        .unwrap_or(0);

    Scorecard {
        scenario: session.scenario().id.clone(),
        matrix: session.matrix().id.clone(),
        seed: session.seed(),
        minute: session.minute(),
        complete: session.ended(),
        total,
        dimensions,
        findings,
    }
}
