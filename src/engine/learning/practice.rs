//! Spaced repetition for the question bank: a Leitner system counted in sittings, not days, so a
//! learner who practises twice a day and one who practises weekly both see missed questions again
//! at their next sitting.
//!
//! Within a sitting, a missed question comes back a few questions later ([`Sitting::answer`]);
//! across sittings, each question's [`Card`] says when it is next due ([`Card::after`]), and
//! [`plan_sitting`] puts due questions first.

use std::collections::{BTreeMap, VecDeque};

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::tally::Tally;
use crate::engine::model::id::QuestionId;

/// Sittings to wait before a question at each Leitner level is due again.
pub const INTERVALS: [u32; 6] = [1, 2, 4, 8, 16, 32];

/// Questions between a miss and its second asking in the same sitting.
pub const REVISIT_GAP: usize = 3;

/// How many times a missed question is asked again within one sitting.
pub const MAX_REVISITS: u32 = 2;

/// A learner's memory of one question.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Card {
    /// Leitner level: 0 = just missed, up to `INTERVALS.len() - 1`.
    pub level: u8,
    /// The sitting number from which it is due again.
    pub due_sitting: u32,
}

impl Card {
    /// The card after a first answer in `sitting` (`None` = never asked before).
    pub fn after(previous: Option<Self>, correct: bool, sitting: u32) -> Self {
        let level = match (previous, correct) {
            (_, false) => 0,
            (None, true) => 1,
            (Some(c), true) => (c.level + 1).min(INTERVALS.len() as u8 - 1),
        };
        let wait = INTERVALS.get(usize::from(level)).copied().unwrap_or(1);
        Self {
            level,
            due_sitting: sitting + wait,
        }
    }

    /// Whether the card is due in `sitting`.
    pub fn is_due(self, sitting: u32) -> bool {
        self.due_sitting <= sitting
    }
}

/// How many of `bank` are due in `sitting`.
pub fn due_count(bank: &[QuestionId], cards: &BTreeMap<QuestionId, Card>, sitting: u32) -> usize {
    bank.iter()
        .filter(|q| cards.get(*q).is_some_and(|c| c.is_due(sitting)))
        .count()
}

/// Chooses up to `size` questions for `sitting`: due questions first (most overdue, then weakest),
/// then questions never asked in a seeded random order, then the rest soonest-due first.
pub fn plan_sitting(
    bank: &[QuestionId],
    cards: &BTreeMap<QuestionId, Card>,
    sitting: u32,
    seed: u64,
    size: usize,
) -> Vec<QuestionId> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ u64::from(sitting).rotate_left(32));
    let mut due = Vec::new();
    let mut new = Vec::new();
    let mut later = Vec::new();
    for id in bank {
        match cards.get(id) {
            Some(card) if card.is_due(sitting) => due.push((card.due_sitting, card.level, id)),
            Some(card) => later.push((card.due_sitting, card.level, id)),
            None => new.push(id),
        }
    }
    due.sort();
    later.sort();
    new.shuffle(&mut rng);
    due.into_iter()
        .map(|(_, _, id)| id)
        .chain(new)
        .chain(later.into_iter().map(|(_, _, id)| id))
        .take(size)
        .cloned()
        .collect()
}

/// What happened to one answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AnswerOutcome {
    /// Whether it was right.
    pub correct: bool,
    /// Whether it was the question's first asking in this sitting (only those move its card).
    pub first_try: bool,
    /// Whether the question was put back in the queue.
    pub will_return: bool,
}

/// One practice sitting: a queue of questions where misses come back later.
#[derive(Clone, Debug, Default)]
pub struct Sitting {
    queue: VecDeque<QuestionId>,
    revisits: BTreeMap<QuestionId, u32>,
    answered: Vec<(QuestionId, bool)>,
}

impl Sitting {
    /// A sitting over the planned questions.
    pub fn new(planned: Vec<QuestionId>) -> Self {
        Self {
            queue: planned.into(),
            ..Self::default()
        }
    }

    /// The question being asked, if any remain.
    pub fn current(&self) -> Option<&QuestionId> {
        self.queue.front()
    }

    /// Questions still queued, the current one included.
    pub fn remaining(&self) -> usize {
        self.queue.len()
    }

    /// Every answer so far, in order.
    pub fn answered(&self) -> &[(QuestionId, bool)] {
        &self.answered
    }

    /// Whether every question has been answered.
    pub fn is_finished(&self) -> bool {
        self.queue.is_empty()
    }

    /// First-try answers that were right, and first-try answers in all.
    pub fn first_try_score(&self) -> Tally {
        let mut seen = std::collections::BTreeSet::new();
        let firsts: Vec<bool> = self
            .answered
            .iter()
            .filter(|(id, _)| seen.insert(id.clone()))
            .map(|(_, ok)| *ok)
            .collect();
        Tally {
            right: firsts.iter().filter(|ok| **ok).count(),
            asked: firsts.len(),
        }
    }

    /// Records the answer to the current question; a miss is queued again `REVISIT_GAP`
    /// questions later (or last), at most `MAX_REVISITS` times.
    pub fn answer(&mut self, correct: bool) -> Option<AnswerOutcome> {
        let id = self.queue.pop_front()?;
        let first_try = !self.answered.iter().any(|(seen, _)| *seen == id);
        self.answered.push((id.clone(), correct));
        let revisits = self.revisits.entry(id.clone()).or_default();
        let will_return = !correct && *revisits < MAX_REVISITS;
        if will_return {
            *revisits += 1;
            let at = REVISIT_GAP.min(self.queue.len());
            self.queue.insert(at, id);
        }
        Some(AnswerOutcome {
            correct,
            first_try,
            will_return,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<QuestionId> {
        (0..n)
            .map(|i| QuestionId::new(format!("q{i:02}")))
            .collect()
    }

    #[test]
    fn missed_question_returns_after_the_gap() {
        let mut s = Sitting::new(ids(6));
        let missed = s.current().cloned().expect("first");
        let outcome = s.answer(false).expect("answered");
        assert!(outcome.will_return && outcome.first_try && !outcome.correct);
        for _ in 0..REVISIT_GAP {
            assert_ne!(s.current(), Some(&missed));
            s.answer(true);
        }
        assert_eq!(s.current(), Some(&missed));
        let again = s.answer(true).expect("answered");
        assert!(!again.first_try && !again.will_return);
        assert_eq!(
            s.first_try_score(),
            Tally {
                right: REVISIT_GAP,
                asked: REVISIT_GAP + 1
            }
        );
    }

    #[test]
    fn a_question_missed_at_the_end_comes_back_last_and_revisits_are_capped() {
        let mut s = Sitting::new(ids(1));
        let mut asked = 0;
        while !s.is_finished() {
            s.answer(false);
            asked += 1;
        }
        assert_eq!(asked, 1 + MAX_REVISITS as usize);
    }

    #[test]
    fn cards_climb_on_success_and_fall_on_a_miss() {
        let first = Card::after(None, true, 1);
        assert_eq!(
            first,
            Card {
                level: 1,
                due_sitting: 1 + INTERVALS[1]
            }
        );
        let second = Card::after(Some(first), true, 3);
        assert_eq!(second.level, 2);
        assert_eq!(second.due_sitting, 3 + INTERVALS[2]);
        let missed = Card::after(Some(second), false, 7);
        assert_eq!(
            missed,
            Card {
                level: 0,
                due_sitting: 8
            }
        );
        let mut top = missed;
        for sitting in 8..30 {
            top = Card::after(Some(top), true, sitting);
        }
        assert_eq!(usize::from(top.level), INTERVALS.len() - 1);
    }

    #[test]
    fn due_questions_come_first_then_new_then_later() {
        let bank = ids(6);
        let mut cards = BTreeMap::new();
        cards.insert(
            bank[4].clone(),
            Card {
                level: 0,
                due_sitting: 2,
            },
        );
        cards.insert(
            bank[5].clone(),
            Card {
                level: 3,
                due_sitting: 9,
            },
        );
        cards.insert(
            bank[0].clone(),
            Card {
                level: 1,
                due_sitting: 1,
            },
        );
        let plan = plan_sitting(&bank, &cards, 2, 7, 6);
        assert_eq!(plan[..2], [bank[0].clone(), bank[4].clone()]);
        assert_eq!(plan.last(), Some(&bank[5]));
        let mut new: Vec<_> = plan[2..5].to_vec();
        new.sort();
        assert_eq!(new, bank[1..4]);
        assert_eq!(plan_sitting(&bank, &cards, 2, 7, 2).len(), 2);
    }

    #[test]
    fn new_question_order_is_seeded() {
        let bank = ids(20);
        let cards = BTreeMap::new();
        let a = plan_sitting(&bank, &cards, 1, 42, 20);
        assert_eq!(a, plan_sitting(&bank, &cards, 1, 42, 20));
        assert_ne!(a, plan_sitting(&bank, &cards, 1, 43, 20));
        assert_ne!(a, bank, "shuffled");
    }
}
