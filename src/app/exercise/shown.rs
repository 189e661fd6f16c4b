//! What the views show of the exercise on screen besides its session and record: the outcome of
//! the last intent, the running score, the new inject, the arrows on the board, the final
//! scorecard.

use std::collections::VecDeque;

use bevy::prelude::*;

use crate::engine::Session;
use crate::engine::scoring::{Finding, Scorecard, score};

/// Sent when another exercise takes the screen (started or resumed), so every view drops what it
/// remembered of the previous one.
#[derive(Message, Clone, Debug, PartialEq, Eq)]
pub struct ExerciseBegan;

/// What became of the last intent, for the UI.
#[derive(Resource, Debug, Default, Clone, PartialEq)]
pub enum LastOutcome {
    /// Nothing yet.
    #[default]
    None,
    /// Accepted, with the practice-mode feedback it earned.
    Accepted {
        /// What the intent was.
        summary: String,
        /// Findings caused by this intent (shown immediately in practice mode).
        feedback: Vec<Finding>,
    },
    /// Refused by the engine; nothing changed.
    Rejected {
        /// What the intent was.
        summary: String,
        /// Why.
        reason: String,
    },
}

/// The grade as the exercise goes: the running total, what the last step changed and why, and what
/// lapsed with nobody acting (a decision closed, an escalation or a notice overdue).
#[derive(Resource, Debug, Default, Clone, PartialEq)]
pub struct ScoreTrail {
    /// The scorecard after the last accepted intent.
    pub card: Option<Scorecard>,
    /// How the total moved with the last intent.
    pub change: i64,
    /// What moved it besides the findings of the step itself (shown with the step): deductions
    /// about earlier work that fell due (an Informed role never told), and deductions that no
    /// longer count (a missed notice replaced by a late one).
    pub changes: Vec<ScoreChange>,
    /// Deductions that time brought rather than a choice, newest last (the last few only); one
    /// that a later step replaced is dropped.
    pub missed: Vec<Finding>,
}

/// One deduction that came or went with the last step.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreChange {
    /// Points of the total: negative for a deduction added, positive for one that went.
    pub points: i64,
    /// The deduction.
    pub finding: Finding,
}

/// The inject that just arrived, announced until the player dismisses it or another replaces it.
#[derive(Resource, Debug, Default, Clone, PartialEq, Eq)]
pub struct InjectBanner(pub Option<NewInject>);

/// What the banner announces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInject {
    /// Scenario minute of release.
    pub minute: u32,
    /// The inject's title.
    pub title: String,
    /// Others released in the same step.
    pub more: usize,
}

/// How many lapses the trail keeps on screen.
const MISSED_SHOWN: usize = 4;

impl ScoreTrail {
    /// The trail of a session just started or resumed: nothing lapsed yet on screen.
    pub fn start(session: &Session) -> Self {
        Self {
            card: Some(score(session)),
            change: 0,
            changes: Vec::new(),
            missed: Vec::new(),
        }
    }

    /// Moves on to `card` after the intent at 1-based log entry `entry` (`None` for the clock):
    /// the change of the total, the deductions that came or went other than the step's own, and
    /// the lapses.
    pub fn advance(&mut self, card: Scorecard, entry: Option<usize>) {
        // Before anything is graded the run stands at the full 100 it starts from, so the first
        // graded step moves the total by what that step cost, not from a zero nobody earned.
        let shown = |c: &Scorecard| if c.graded() { c.total } else { 100 };
        let before = self.card.take();
        self.change =
            i64::from(shown(&card)) - i64::from(before.as_ref().map_or(shown(&card), shown));
        let holds = |c: &Scorecard, f: &Finding| c.deductions().any(|old| old == f);
        let added: Vec<&Finding> = card
            .deductions()
            .filter(|f| !before.as_ref().is_some_and(|b| holds(b, f)))
            .collect();
        let gone: Vec<Finding> = before
            .iter()
            .flat_map(Scorecard::deductions)
            .filter(|f| !holds(&card, f))
            .cloned()
            .collect();
        self.changes = added
            .iter()
            .filter(|f| f.entry.is_some() && f.entry != entry)
            .map(|f| ScoreChange {
                points: i64::from(f.points),
                finding: (*f).clone(),
            })
            .chain(gone.iter().map(|f| ScoreChange {
                points: -i64::from(f.points),
                finding: f.clone(),
            }))
            .collect();
        self.missed.retain(|m| holds(&card, m));
        self.missed.extend(
            added
                .iter()
                .filter(|f| f.entry.is_none())
                .map(|f| (*f).clone()),
        );
        let excess = self.missed.len().saturating_sub(MISSED_SHOWN);
        self.missed.drain(..excess);
        self.card = Some(card);
    }
}

/// What an arrow on the board stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArrowKind {
    /// Work handed from one team to another.
    Handoff,
    /// A role engaging others.
    Escalation,
}

/// A handoff or escalation to animate on the board.
#[derive(Debug, Clone, PartialEq)]
pub struct BoardArrow {
    /// From this role.
    pub from: String,
    /// To this role.
    pub to: String,
    /// Handoff or escalation.
    pub kind: ArrowKind,
    /// Seconds since it appeared.
    pub age_secs: f32,
}

/// Arrows currently on the board.
#[derive(Resource, Debug, Default)]
pub struct BoardArrows(pub VecDeque<BoardArrow>);

/// How long an arrow stays on the board.
pub const ARROW_LIFETIME_SECS: f32 = 20.0;

/// The final scorecard, set when the exercise ends.
#[derive(Resource, Debug, Clone)]
pub struct FinalScorecard(pub Scorecard);
