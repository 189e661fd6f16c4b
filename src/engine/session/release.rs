//! What releases an inject and when, worked out once per scenario so the clock never re-reads every
//! inject every minute: timed injects in minute order, conditional ones as a circuit of gates
//! (see [`Gates`]) whose literals are set when what they read changes. Severity is the circuit's
//! class rather than a literal: a condition's value is known for every band of severity at once,
//! so a change of severity costs only the injects it releases.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use crate::engine::model::gates::{GateValues, Gates, MAX_CLASSES, Mask, every_class};
use crate::engine::model::id::{VariantId, VariationId};
use crate::engine::model::scenario::{Condition, Release, Scenario};

/// The release plan of a scenario. Positions are indices into `Scenario::injects`.
#[derive(Debug, Default)]
pub(super) struct ReleasePlan {
    /// `At(minute)` injects, by (minute, position).
    pub(super) scheduled: Vec<(u32, usize)>,
    /// The release conditions of `When(..)` injects.
    pub(super) gates: Gates,
    /// The inject of each condition, by condition.
    pub(super) inject_of: Vec<usize>,
    /// The condition of each inject, by position.
    pub(super) condition_of: HashMap<usize, usize>,
    /// Every level a condition compares the severity with, ascending: a severity's class is how
    /// many of them it reaches.
    pub(super) thresholds: Vec<u8>,
    /// Literals set when an inject is released, a flag set, an action performed, a role engaged.
    pub(super) on_release: HashMap<String, Vec<u32>>,
    pub(super) on_flag: HashMap<String, Vec<u32>>,
    pub(super) on_action: HashMap<String, Vec<u32>>,
    pub(super) on_engaged: HashMap<String, Vec<u32>>,
    /// `TaskDone` literals by (task, target); a target-less one under `None`.
    pub(super) on_task: HashMap<(String, Option<String>), Vec<u32>>,
    /// Clock literals by the minute they turn, with whether they hold from then on.
    pub(super) on_minute: BTreeMap<u32, Vec<(u32, bool)>>,
    /// `MinutesSince` literals by the inject they count from, with their minutes: they turn when
    /// that inject's release is that far behind.
    pub(super) on_since: HashMap<String, Vec<(u32, u32)>>,
    /// Literals that hold before anything happens: clock ones that have yet to turn false,
    /// severity ones (by level), variant ones (by the option they need).
    pub(super) clock_from_start: Vec<u32>,
    pub(super) severity: Vec<(u32, u8)>,
    pub(super) variants: Vec<(u32, VariationId, VariantId)>,
}

impl ReleasePlan {
    pub(super) fn of(scenario: &Scenario) -> Self {
        let mut plan = Self::default();
        let mut thresholds = BTreeSet::new();
        let mut conditions = Vec::new();
        for (position, inject) in scenario.injects.iter().enumerate() {
            match &inject.release {
                Release::At(minute) => plan.scheduled.push((*minute, position)),
                Release::When(condition) => {
                    plan.condition_of.insert(position, conditions.len());
                    plan.inject_of.push(position);
                    conditions.push(condition);
                }
            }
        }
        plan.scheduled.sort_unstable();
        let mut literals = Vec::new();
        plan.gates = Gates::build(conditions, false, |node, c| literals.push((node, c)));
        for (node, literal) in literals {
            plan.index(node, literal, &mut thresholds);
        }
        plan.thresholds = thresholds.into_iter().collect();
        plan
    }

    fn index(&mut self, node: u32, literal: &Condition, thresholds: &mut BTreeSet<u8>) {
        let under = |map: &mut HashMap<String, Vec<u32>>, key: &str| {
            map.entry(key.to_owned()).or_default().push(node);
        };
        match literal {
            Condition::MinuteAtLeast(m) => self.on_minute.entry(*m).or_default().push((node, true)),
            Condition::MinuteBefore(m) => {
                self.clock_from_start.push(node);
                self.on_minute.entry(*m).or_default().push((node, false));
            }
            Condition::Released(id) => under(&mut self.on_release, id.as_str()),
            Condition::MinutesSince(id, minutes) => self
                .on_since
                .entry(id.to_string())
                .or_default()
                .push((node, *minutes)),
            Condition::Flag(flag) => under(&mut self.on_flag, flag.as_str()),
            Condition::ActionDone(action) => under(&mut self.on_action, action.as_str()),
            Condition::Engaged(role) => under(&mut self.on_engaged, role.as_str()),
            Condition::TaskDone(task, target) => self
                .on_task
                .entry((task.to_string(), target.as_ref().map(ToString::to_string)))
                .or_default()
                .push(node),
            Condition::SeverityAtLeast(level) => {
                thresholds.insert(*level);
                self.severity.push((node, *level));
            }
            Condition::Variant(variation, option) => {
                self.variants
                    .push((node, variation.clone(), option.clone()));
            }
            // Gates, not literals, when the circuit is built with `Not` as a gate.
            Condition::All(_) | Condition::Any(_) | Condition::Not(_) => {}
        }
    }

    /// How many classes of severity the conditions tell apart.
    pub(super) fn classes(&self) -> usize {
        self.thresholds.len() + 1
    }

    /// Whether the circuit can follow the conditions: a mask holds so many severity classes.
    /// Only a scenario comparing with more severity levels than any matrix allows goes without.
    pub(super) fn followable(&self) -> bool {
        self.classes() <= MAX_CLASSES
    }

    /// The class of a severity.
    pub(super) fn class(&self, severity: u8) -> usize {
        self.thresholds.partition_point(|&t| t <= severity)
    }

    /// The classes in which `SeverityAtLeast(level)` holds.
    pub(super) fn at_least(&self, level: u8, all: Mask) -> Mask {
        let below = self.thresholds.partition_point(|&t| t < level);
        // Classes above `below` are severities that reach `level`.
        all & Mask::MAX.checked_shl(below as u32 + 1).unwrap_or(0)
    }
}

/// Where the session stands on its release plan.
#[derive(Clone, Debug)]
pub(super) struct Clock {
    pub(super) plan: Arc<ReleasePlan>,
    /// The value of every release condition, per severity class.
    pub(super) values: GateValues,
    /// Per severity class, the conditional injects neither released nor held whose condition
    /// holds in that class: at any moment, those of the current class are due.
    pub(super) ready: Vec<BTreeSet<usize>>,
    /// How far into `plan.scheduled` the clock has come.
    pub(super) next_scheduled: usize,
    /// Timed injects whose minute has come, neither released nor held.
    pub(super) overdue: BTreeSet<usize>,
    /// The minute up to which clock literals have turned (none before the opening).
    pub(super) turned_through: Option<u32>,
    /// `MinutesSince` literals due to turn, by minute: scheduled when their inject is released.
    pub(super) since_turns: BTreeMap<u32, Vec<u32>>,
    /// Decision windows of released injects, by closing minute: (inject, decision) positions.
    pub(super) closing: BTreeMap<u32, Vec<(usize, usize)>>,
    /// Read every condition every round instead, as the clock first did: for a scenario
    /// comparing with more severity levels than a mask holds, and as the tests' reference.
    pub(super) naive: bool,
    /// Tests only: step the reference minute by minute.
    #[cfg(test)]
    pub(super) every_minute: bool,
}

impl Clock {
    pub(super) fn new(plan: Arc<ReleasePlan>, variants: &BTreeMap<VariationId, VariantId>) -> Self {
        let classes = plan.classes().min(MAX_CLASSES);
        let all = every_class(classes);
        let mut start: HashMap<u32, Mask> = plan
            .clock_from_start
            .iter()
            .map(|&node| (node, all))
            .collect();
        start.extend(
            plan.severity
                .iter()
                .map(|&(node, level)| (node, plan.at_least(level, all))),
        );
        start.extend(
            plan.variants
                .iter()
                .filter(|(_, variation, option)| variants.get(variation) == Some(option))
                .map(|(node, ..)| (*node, all)),
        );
        let values = GateValues::new(&plan.gates, classes, |node| {
            start.get(&node).copied().unwrap_or(0)
        });
        let mut ready = vec![BTreeSet::new(); classes];
        for (condition, &position) in plan.inject_of.iter().enumerate() {
            mark_ready(
                &mut ready,
                position,
                0,
                values.condition(&plan.gates, condition),
            );
        }
        Self {
            naive: !plan.followable(),
            plan,
            values,
            ready,
            next_scheduled: 0,
            overdue: BTreeSet::new(),
            turned_through: None,
            since_turns: BTreeMap::new(),
            closing: BTreeMap::new(),
            #[cfg(test)]
            every_minute: false,
        }
    }

    /// Tests only: make this the reference the circuit is checked against.
    #[cfg(test)]
    pub(super) fn make_reference(&mut self) {
        self.naive = true;
        self.every_minute = true;
    }
}

/// Moves an inject between the ready lists of the classes its condition's value changed in.
pub(super) fn mark_ready(ready: &mut [BTreeSet<usize>], position: usize, old: Mask, new: Mask) {
    let mut changed = old ^ new;
    while changed != 0 {
        let class = changed.trailing_zeros() as usize;
        changed &= changed - 1;
        if let Some(list) = ready.get_mut(class) {
            if new & (1 << class) != 0 {
                list.insert(position);
            } else {
                list.remove(&position);
            }
        }
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
            prop_oneof![Just("soc"), Just("legal")].prop_map(|r| format!("Engaged(\"{r}\")")),
            Just("TaskDone(\"triage_alert\", None)".to_owned()),
            prop_oneof![Just("heads"), Just("tails")]
                .prop_map(|o| format!("Variant(\"coin\", \"{o}\")")),
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
            1 => Just(Intent::Escalate { from: "soc".into(), to: vec!["legal".into()], reason: String::new() }),
        ]
    }

    fn scenario(injects: &str, duration: u32) -> Arc<Scenario> {
        let text = format!(
            "Scenario(id: \"p\", title: \"P\", summary: \"s\", difficulty: Introductory, \
             modes: [Practice], duration_mins: {duration}, objectives: [], assets: [], \
             flags: [Flag(id: \"a\", description: \"d\"), Flag(id: \"b\", description: \"d\")], \
             variations: [Variation(id: \"coin\", options: [VariantOption(id: \"heads\", text: \"h\"), \
             VariantOption(id: \"tails\", text: \"t\")])], \
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

    #[test]
    fn a_held_inject_whose_condition_came_true_is_released_when_let_go() {
        let s = scenario(
            r#"Inject(id: "waits", title: "t", release: When(Flag("a")), narrative: "n"),
               Inject(id: "timed", title: "t", release: At(3), narrative: "n"),
               Inject(id: "sets-a", title: "t", release: At(2), narrative: "n", sets: ["a"]),"#,
            60,
        );
        let mut session = Session::new(s, shipped::matrix(), 1);
        for inject in ["waits", "timed"] {
            session
                .apply(Intent::HoldInject {
                    inject: inject.into(),
                })
                .unwrap();
        }
        session.apply(Intent::Advance { minutes: 5 }).unwrap();
        assert_eq!(session.released_at("sets-a"), Some(2));
        assert_eq!(session.released_at("waits"), None);
        assert_eq!(session.released_at("timed"), None);
        for inject in ["waits", "timed"] {
            session
                .apply(Intent::UnholdInject {
                    inject: inject.into(),
                })
                .unwrap();
            assert_eq!(session.released_at(inject), Some(5), "{inject}");
        }
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
            reference.clock.make_reference();
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
    fn severity_classes_split_at_the_levels_conditions_compare_with() {
        let s = scenario(
            r#"Inject(id: "a", title: "t", release: When(SeverityAtLeast(2)), narrative: "n"),
               Inject(id: "b", title: "t", release: When(Not(SeverityAtLeast(4))), narrative: "n"),"#,
            60,
        );
        let plan = ReleasePlan::of(&s);
        assert_eq!(plan.thresholds, [2, 4]);
        assert_eq!(
            (1..=5).map(|level| plan.class(level)).collect::<Vec<_>>(),
            [0, 1, 1, 2, 2]
        );
        assert_eq!(plan.at_least(2, 0b111), 0b110);
        assert_eq!(plan.at_least(4, 0b111), 0b100);
        assert!(plan.followable());
    }
}
