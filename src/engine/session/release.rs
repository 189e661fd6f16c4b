//! What releases an inject and when, worked out once per scenario so the clock never re-reads every
//! inject every minute: timed injects in minute order, conditional ones by the earliest minute they
//! could hold and by what they read (other injects, flags, severity, the clock).

use std::collections::{BTreeSet, HashMap};

use crate::engine::model::scenario::{Condition, Release, Scenario};

/// The release plan of a scenario. Positions are indices into `Scenario::injects`.
#[derive(Debug, Default)]
pub(super) struct ReleasePlan {
    /// `At(minute)` injects, by (minute, position).
    pub(super) scheduled: Vec<(u32, usize)>,
    /// `When(..)` injects, by (earliest minute the condition could hold, position).
    pub(super) conditional: Vec<(u32, usize)>,
    /// Conditional injects whose condition reads the clock, by position.
    pub(super) reads_clock: Vec<bool>,
    /// Conditional injects whose condition reads the severity, by position.
    pub(super) reads_severity: Vec<bool>,
    /// Conditional injects reading whether an inject was released, by that inject's id.
    pub(super) on_release: HashMap<String, Vec<usize>>,
    /// Conditional injects reading a flag, by flag id.
    pub(super) on_flag: HashMap<String, Vec<usize>>,
    /// Every minute a condition compares the clock with: the only minutes a clock-reading
    /// condition can change its value.
    pub(super) clock_marks: BTreeSet<u32>,
}

impl ReleasePlan {
    pub(super) fn of(scenario: &Scenario) -> Self {
        let mut plan = Self {
            reads_clock: vec![false; scenario.injects.len()],
            reads_severity: vec![false; scenario.injects.len()],
            ..Self::default()
        };
        for (position, inject) in scenario.injects.iter().enumerate() {
            match &inject.release {
                Release::At(minute) => plan.scheduled.push((*minute, position)),
                Release::When(condition) => {
                    plan.conditional.push((earliest(condition), position));
                    plan.index(condition, position);
                }
            }
        }
        plan.scheduled.sort_unstable();
        plan.conditional.sort_unstable();
        for list in plan
            .on_release
            .values_mut()
            .chain(plan.on_flag.values_mut())
        {
            list.dedup();
        }
        plan
    }

    fn index(&mut self, condition: &Condition, position: usize) {
        match condition {
            Condition::MinuteAtLeast(m) | Condition::MinuteBefore(m) => {
                if let Some(reads) = self.reads_clock.get_mut(position) {
                    *reads = true;
                }
                self.clock_marks.insert(*m);
            }
            Condition::Released(id) => self
                .on_release
                .entry(id.to_string())
                .or_default()
                .push(position),
            Condition::Flag(flag) => self
                .on_flag
                .entry(flag.to_string())
                .or_default()
                .push(position),
            Condition::SeverityAtLeast(_) => {
                if let Some(reads) = self.reads_severity.get_mut(position) {
                    *reads = true;
                }
            }
            Condition::All(items) | Condition::Any(items) => {
                for item in items {
                    self.index(item, position);
                }
            }
            Condition::Not(inner) => self.index(inner, position),
            // These change only through an intent, after which every condition is read again.
            Condition::ActionDone(_)
            | Condition::TaskDone(..)
            | Condition::Engaged(_)
            | Condition::Variant(..) => {}
        }
    }
}

/// A minute before which the condition cannot hold (0 when the clock alone never rules it out).
fn earliest(condition: &Condition) -> u32 {
    match condition {
        Condition::MinuteAtLeast(m) => *m,
        Condition::All(items) => items.iter().map(earliest).max().unwrap_or(0),
        // An empty `Any` never holds: it never needs reading.
        Condition::Any(items) => items.iter().map(earliest).min().unwrap_or(u32::MAX),
        _ => 0,
    }
}

/// Whether a condition, once it holds, holds for the rest of the session: nothing is un-released,
/// un-set, undone or disengaged, and the clock only moves forward.
pub(super) fn lasting(condition: &Condition) -> bool {
    match condition {
        Condition::Released(_)
        | Condition::Flag(_)
        | Condition::ActionDone(_)
        | Condition::TaskDone(..)
        | Condition::Engaged(_)
        | Condition::MinuteAtLeast(_)
        | Condition::Variant(..) => true,
        Condition::All(items) | Condition::Any(items) => items.iter().all(lasting),
        Condition::MinuteBefore(_) | Condition::SeverityAtLeast(_) | Condition::Not(_) => false,
    }
}

/// Whether a condition reads the clock anywhere inside it.
pub(super) fn reads_clock(condition: &Condition) -> bool {
    match condition {
        Condition::MinuteAtLeast(_) | Condition::MinuteBefore(_) => true,
        Condition::All(items) | Condition::Any(items) => items.iter().any(reads_clock),
        Condition::Not(inner) => reads_clock(inner),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use proptest::prelude::*;

    use super::*;
    use crate::engine::content::load::Source;
    use crate::engine::content::shipped;
    use crate::engine::model::intent::Intent;
    use crate::engine::session::Session;

    const INJECTS: usize = 7;

    fn condition() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            (0..INJECTS).prop_map(|k| format!("Released(\"i{k}\")")),
            prop_oneof![Just("a"), Just("b")].prop_map(|f| format!("Flag(\"{f}\")")),
            (0u32..25).prop_map(|m| format!("MinuteAtLeast({m})")),
            (0u32..25).prop_map(|m| format!("MinuteBefore({m})")),
            (1u8..=4).prop_map(|l| format!("SeverityAtLeast({l})")),
            (0..INJECTS).prop_map(|k| format!("ActionDone(\"x{k}\")")),
        ];
        leaf.prop_recursive(2, 8, 3, |inner| {
            prop_oneof![
                inner.clone().prop_map(|c| format!("Not({c})")),
                prop::collection::vec(inner.clone(), 0..3)
                    .prop_map(|cs| format!("All([{}])", cs.join(","))),
                prop::collection::vec(inner, 0..3)
                    .prop_map(|cs| format!("Any([{}])", cs.join(","))),
            ]
        })
    }

    fn inject(k: usize) -> impl Strategy<Value = String> {
        let release = prop_oneof![
            (0u32..25).prop_map(|m| format!("At({m})")),
            condition().prop_map(|c| format!("When({c})")),
        ];
        (
            release,
            prop::option::of(1u8..=4),
            prop::sample::subsequence(vec!["\"a\"", "\"b\""], 0..=2),
            prop::option::of(0u32..6),
        )
            .prop_map(move |(release, severity, sets, window)| {
                let severity = severity.map_or(String::new(), |l| format!("severity: {l},"));
                let window = window.map_or(String::new(), |w| format!("expires_after_mins: {w},"));
                format!(
                    "Inject(id: \"i{k}\", title: \"t\", release: {release}, narrative: \"n\", {severity} \
                     sets: [{}], decisions: [DecisionPoint(id: \"d{k}\", prompt: \"p\", {window} \
                     actions: [ActionOption(id: \"x{k}\", label: \"l\", task: \"triage_alert\")])]),",
                    sets.join(",")
                )
            })
    }

    fn intent() -> impl Strategy<Value = Intent> {
        let id = |prefix: &'static str| (0..INJECTS).prop_map(move |k| format!("{prefix}{k}"));
        prop_oneof![
            4 => (0u32..12).prop_map(|minutes| Intent::Advance { minutes }),
            1 => id("i").prop_map(|i| Intent::HoldInject { inject: i.as_str().into() }),
            1 => id("i").prop_map(|i| Intent::UnholdInject { inject: i.as_str().into() }),
            1 => id("i").prop_map(|i| Intent::ReleaseInject { inject: i.as_str().into() }),
            2 => id("x").prop_map(|a| Intent::AssignAction { action: a.as_str().into(), role: "soc".into() }),
        ]
    }

    fn scenario(injects: &str, duration: u32) -> Arc<Scenario> {
        let text = format!(
            "Scenario(id: \"p\", title: \"P\", summary: \"s\", difficulty: Introductory, \
             modes: [Practice], duration_mins: {duration}, objectives: [], assets: [], \
             flags: [Flag(id: \"a\", description: \"d\"), Flag(id: \"b\", description: \"d\")], \
             injects: [{injects}])"
        );
        Arc::new(Source::from_text("p.ron", text).parse().unwrap())
    }

    #[test]
    fn a_jump_stops_where_a_clock_condition_turns() {
        let s = scenario(
            r#"Inject(id: "open", title: "t", release: At(0), narrative: "n"),
               Inject(id: "five", title: "t", release: At(5), narrative: "n"),
               Inject(id: "late", title: "t", release: When(Any([Not(MinuteBefore(6)), Flag("a")])), narrative: "n"),
               Inject(id: "early", title: "t", release: When(All([MinuteBefore(3), Released("late")])), narrative: "n"),"#,
            10080,
        );
        let mut session = Session::new(s, shipped::matrix(), 1);
        session.apply(Intent::Advance { minutes: 10_000 }).unwrap();
        assert_eq!(session.released_at("late"), Some(6));
        assert_eq!(session.released_at("early"), None);
        assert_eq!(session.minute(), 10_000);
    }

    #[test]
    fn a_condition_held_back_by_what_the_clock_will_change_is_still_read_as_it_moves() {
        let s = scenario(
            r#"Inject(id: "open", title: "t", release: At(0), narrative: "n"),
               Inject(id: "either", title: "t", release: When(All([Any([MinuteAtLeast(6), Flag("a")]), Released("open")])), narrative: "n"),
               Inject(id: "gated", title: "t", release: When(All([Flag("b"), SeverityAtLeast(1)])), narrative: "n"),
               Inject(id: "sets-b", title: "t", release: At(8), narrative: "n", sets: ["b"]),"#,
            60,
        );
        let mut session = Session::new(s, shipped::matrix(), 1);
        session.apply(Intent::Advance { minutes: 30 }).unwrap();
        assert_eq!(session.released_at("either"), Some(6));
        // Held back by a flag, then released by it.
        assert_eq!(session.released_at("gated"), Some(8));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]
        /// The planned clock (jumps, re-reading only what changed) gives exactly the events of the
        /// reference that reads every inject every minute, so old saves replay unchanged.
        #[test]
        fn the_planned_clock_matches_reading_everything_every_minute(
            injects in (0..INJECTS).map(inject).collect::<Vec<_>>(),
            intents in prop::collection::vec(intent(), 0..14),
            duration in 20u32..40,
        ) {
            let scenario = scenario(&injects.join("\n"), duration);
            let matrix = shipped::matrix();
            let mut planned = Session::new(Arc::clone(&scenario), Arc::clone(&matrix), 1);
            let mut reference = Session::unopened(scenario, matrix, 1);
            reference.clock.naive = true;
            let mut reference = reference.opened();
            prop_assert_eq!(&planned.log().opening, &reference.log().opening);
            for intent in intents {
                let a = planned.apply(intent.clone());
                let b = reference.apply(intent);
                prop_assert_eq!(a, b);
            }
            prop_assert_eq!(planned.minute(), reference.minute());
        }
    }

    #[test]
    fn earliest_is_a_lower_bound_the_clock_sets() {
        let at = Condition::MinuteAtLeast;
        assert_eq!(earliest(&at(30)), 30);
        assert_eq!(
            earliest(&Condition::All(vec![
                at(10),
                at(30),
                Condition::Flag("f".into())
            ])),
            30
        );
        assert_eq!(earliest(&Condition::Any(vec![at(10), at(30)])), 10);
        assert_eq!(
            earliest(&Condition::Any(vec![at(10), Condition::Flag("f".into())])),
            0
        );
        // Not(MinuteAtLeast(30)) holds before 30: no lower bound.
        assert_eq!(earliest(&Condition::Not(Box::new(at(30)))), 0);
        assert_eq!(earliest(&Condition::Any(vec![])), u32::MAX);
    }
}
