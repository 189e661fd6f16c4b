//! Conditions and reachability: what a condition refers to, whether it can ever hold, and which
//! injects a player can reach.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::engine::diagnostic::Code;
use crate::engine::model::gates::{GateValues, Gates, Mask};
use crate::engine::model::id::{AssetId, FlagId};
use crate::engine::model::matrix::Matrix;
use crate::engine::model::scenario::{Condition, Inject, Release, Scenario};

use super::collector::{Collector, unknown_hint};

/// What a scenario declares and offers anywhere, gathered once so each condition is checked in
/// constant time whatever the number of injects.
pub(super) struct Known<'s> {
    pub(super) declared_flags: HashSet<&'s str>,
    flags_set: HashSet<&'s str>,
    /// Tasks some action performs, with and without its target.
    tasks: HashSet<(&'s str, Option<&'s str>)>,
}

impl<'s> Known<'s> {
    pub(super) fn of(s: &'s Scenario) -> Self {
        let mut known = Self {
            declared_flags: s.flags.iter().map(|f| f.id.as_str()).collect(),
            flags_set: s
                .injects
                .iter()
                .flat_map(|i| &i.sets)
                .map(FlagId::as_str)
                .collect(),
            tasks: HashSet::new(),
        };
        for (_, _, action) in s.actions() {
            known
                .flags_set
                .extend(action.sets.iter().map(FlagId::as_str));
            known.tasks.insert((action.task.as_str(), None));
            if let Some(target) = &action.target {
                known
                    .tasks
                    .insert((action.task.as_str(), Some(target.as_str())));
            }
        }
        known
    }
}

/// What a scenario makes possible, used to decide reachability.
#[derive(Default)]
struct Reach<'s> {
    injects: HashSet<&'s str>,
    flags: HashSet<&'s str>,
    actions: HashSet<&'s str>,
    /// (task, target) pairs some reachable action performs, and (task, None) for each task.
    tasks: HashSet<(&'s str, Option<&'s str>)>,
    max_severity: u8,
}

/// Checks what a condition names. `positive` is false under an odd number of `Not`s, where waiting
/// for the inject's own release is a way of saying "at once", not a deadlock.
pub(super) fn check_condition_refs(
    r: &mut Collector<'_>,
    s: &Scenario,
    matrix: &Matrix,
    known: &Known<'_>,
    (anchor, positive): (&str, bool),
    condition: &Condition,
) {
    match condition {
        Condition::Flag(flag) => {
            if !known.declared_flags.contains(flag.as_str()) {
                r.error(
                    Code::UnknownFlag,
                    Some(anchor),
                    flag.as_str(),
                    format!("unknown flag `{flag}`"),
                    Some("declare it in `flags: [...]`".into()),
                );
            }
        }
        Condition::Released(id) | Condition::MinutesSince(id, _) => {
            if s.inject(id.as_str()).is_none() {
                r.error(
                    Code::UnknownInject,
                    Some(anchor),
                    id.as_str(),
                    format!("unknown inject `{id}`"),
                    unknown_hint(id.as_str(), s.injects.iter().map(|i| i.id.as_str())),
                );
            } else if id.as_str() == anchor && positive {
                r.error(
                    Code::ImpossibleCondition,
                    Some(anchor),
                    id.as_str(),
                    format!("inject `{anchor}` waits for its own release"),
                    None,
                );
            }
        }
        Condition::ActionDone(id) => {
            if s.action(id.as_str()).is_none() {
                r.error(
                    Code::UnknownAction,
                    Some(anchor),
                    id.as_str(),
                    format!("unknown action `{id}`"),
                    unknown_hint(
                        id.as_str(),
                        s.actions()
                            .map(|(_, _, a)| a.id.as_str())
                            .collect::<Vec<_>>(),
                    ),
                );
            }
        }
        Condition::TaskDone(task, asset) => {
            if matrix.task(task.as_str()).is_none() {
                r.error(
                    Code::UnknownTask,
                    Some(anchor),
                    task.as_str(),
                    format!("unknown task kind `{task}`"),
                    unknown_hint(task.as_str(), matrix.tasks.iter().map(|t| t.id.as_str())),
                );
            }
            if let Some(asset) = asset
                && s.asset(asset.as_str()).is_none()
            {
                r.error(
                    Code::UnknownAsset,
                    Some(anchor),
                    asset.as_str(),
                    format!("unknown asset `{asset}`"),
                    unknown_hint(asset.as_str(), s.assets.iter().map(|a| a.id.as_str())),
                );
            }
        }
        Condition::Engaged(role) => {
            if matrix.role(role.as_str()).is_none() {
                r.error(
                    Code::UnknownRole,
                    Some(anchor),
                    role.as_str(),
                    format!("unknown role `{role}`"),
                    unknown_hint(role.as_str(), matrix.roles.iter().map(|x| x.id.as_str())),
                );
            }
        }
        Condition::SeverityAtLeast(level) => {
            if *level == 0 || *level > matrix.max_severity() {
                r.error(
                    Code::SeverityOutOfRange,
                    Some(anchor),
                    "SeverityAtLeast",
                    format!("severity {level} is not a level of matrix `{}`", matrix.id),
                    None,
                );
            }
        }
        Condition::Variant(variation, option) => {
            match s.variations.iter().find(|v| v.id == *variation) {
                None => r.error(
                    Code::UnknownVariation,
                    Some(anchor),
                    variation.as_str(),
                    format!("unknown variation `{variation}`"),
                    None,
                ),
                Some(v) if !v.options.iter().any(|o| o.id == *option) => r.error(
                    Code::UnknownVariation,
                    Some(anchor),
                    option.as_str(),
                    format!("variation `{variation}` has no option `{option}`"),
                    unknown_hint(option.as_str(), v.options.iter().map(|o| o.id.as_str())),
                ),
                Some(_) => {}
            }
        }
        Condition::All(items) | Condition::Any(items) => {
            for item in items {
                check_condition_refs(r, s, matrix, known, (anchor, positive), item);
            }
        }
        Condition::Not(inner) => {
            check_condition_refs(r, s, matrix, known, (anchor, !positive), inner);
        }
        Condition::MinuteAtLeast(_) | Condition::MinuteBefore(_) => {}
    }
}

/// Why a condition can never hold regardless of what the player does, if it cannot.
fn never_holds(c: &Condition, s: &Scenario, known: &Known<'_>) -> Option<String> {
    let end = s.duration_mins;
    match c {
        Condition::MinuteAtLeast(m) if *m > end => Some(format!(
            "minute {m} is after the scenario ends at minute {end}"
        )),
        Condition::MinuteBefore(0) => Some("no minute is before minute 0".into()),
        Condition::Flag(f) => (!known.flags_set.contains(f.as_str()))
            .then(|| format!("nothing in the scenario ever sets flag `{f}`")),
        Condition::TaskDone(task, asset) => {
            let offered = known
                .tasks
                .contains(&(task.as_str(), asset.as_ref().map(AssetId::as_str)));
            (!offered)
                .then(|| format!("no action in the scenario performs `{task}` on that target"))
        }
        Condition::Variant(v, o) => s
            .variations
            .iter()
            .find(|x| x.id == *v)
            .and_then(|x| x.options.iter().find(|opt| opt.id == *o))
            .filter(|opt| opt.weight == 0)
            .map(|_| format!("option `{o}` of `{v}` has weight 0 and is never drawn")),
        Condition::All(items) => {
            if let Some(why) = items.iter().find_map(|i| never_holds(i, s, known)) {
                return Some(why);
            }
            let lower = items
                .iter()
                .filter_map(|i| match i {
                    Condition::MinuteAtLeast(m) => Some(*m),
                    _ => None,
                })
                .max();
            let upper = items
                .iter()
                .filter_map(|i| match i {
                    Condition::MinuteBefore(m) => Some(*m),
                    _ => None,
                })
                .min();
            if let (Some(lo), Some(hi)) = (lower, upper)
                && lo >= hi
            {
                return Some(format!(
                    "it needs minute {lo} or later and also before minute {hi}"
                ));
            }
            items.iter().find_map(|i| match i {
                Condition::Not(inner) if items.contains(inner) => {
                    Some("it requires a condition and its negation at once".into())
                }
                _ => None,
            })
        }
        Condition::Any(items) => {
            if items.is_empty() {
                return Some("`Any([])` has no alternative that could hold".into());
            }
            let reasons: Vec<String> = items
                .iter()
                .filter_map(|i| never_holds(i, s, known))
                .collect();
            (reasons.len() == items.len()).then(|| reasons.join("; and "))
        }
        Condition::Not(inner) => match inner.as_ref() {
            Condition::MinuteAtLeast(0) => Some("every minute is at least minute 0".into()),
            Condition::MinuteBefore(m) if *m > end => Some(format!(
                "the scenario ends at minute {end}, always before minute {m}"
            )),
            _ => None,
        },
        _ => None,
    }
}

/// What the reachability search sets when something becomes reachable: the literals of every
/// release condition, by what they read.
#[derive(Default)]
struct Literals<'s> {
    injects: HashMap<&'s str, Vec<u32>>,
    flags: HashMap<&'s str, Vec<u32>>,
    actions: HashMap<&'s str, Vec<u32>>,
    tasks: HashMap<(&'s str, Option<&'s str>), Vec<u32>>,
    /// `SeverityAtLeast` literals by level.
    severity: BTreeMap<u8, Vec<u32>>,
    /// Literals whose satisfiability does not depend on reachability, with it.
    fixed: Vec<(u32, bool)>,
}

impl<'s> Literals<'s> {
    fn add(&mut self, node: u32, c: &'s Condition, s: &Scenario, known: &Known<'_>) {
        match c {
            // Reachable once the inject is: the clock runs on to any minute within the scenario.
            Condition::Released(i) | Condition::MinutesSince(i, _) => {
                self.injects.entry(i.as_str()).or_default().push(node);
            }
            Condition::Flag(f) => self.flags.entry(f.as_str()).or_default().push(node),
            Condition::ActionDone(a) => self.actions.entry(a.as_str()).or_default().push(node),
            Condition::TaskDone(t, asset) => self
                .tasks
                .entry((t.as_str(), asset.as_ref().map(AssetId::as_str)))
                .or_default()
                .push(node),
            Condition::SeverityAtLeast(level) => {
                self.severity.entry(*level).or_default().push(node);
            }
            // Not, the clock, engagement and variants: possible unless the condition says why not.
            _ => self.fixed.push((node, never_holds(c, s, known).is_none())),
        }
    }
}

/// Marks an inject reachable and sets the literals of what it makes possible; conditions that
/// come to hold are queued on `held`, by index.
fn mark_reachable<'s>(
    reach: &mut Reach<'s>,
    (gates, values, literals): (&Gates, &mut GateValues, &Literals<'s>),
    held: &mut Vec<usize>,
    inject: &'s Inject,
) {
    let mut set = |list: Option<&Vec<u32>>, values: &mut GateValues| {
        for &node in list.into_iter().flatten() {
            values.set(gates, node, 1, |released, _, new| {
                if new != 0 {
                    held.push(released);
                }
            });
        }
    };
    if !reach.injects.insert(inject.id.as_str()) {
        return;
    }
    set(literals.injects.get(inject.id.as_str()), values);
    if let Some(level) = inject.severity
        && level > reach.max_severity
    {
        for (_, list) in literals.severity.range(reach.max_severity + 1..=level) {
            set(Some(list), values);
        }
        reach.max_severity = level;
    }
    let action_flags = inject
        .decisions
        .iter()
        .flat_map(|d| &d.actions)
        .flat_map(|a| &a.sets);
    for flag in inject.sets.iter().chain(action_flags) {
        if reach.flags.insert(flag.as_str()) {
            set(literals.flags.get(flag.as_str()), values);
        }
    }
    for action in inject.decisions.iter().flat_map(|d| &d.actions) {
        if reach.actions.insert(action.id.as_str()) {
            set(literals.actions.get(action.id.as_str()), values);
        }
        let task = action.task.as_str();
        for key in [(task, None), (task, action.target_id())] {
            if reach.tasks.insert(key) {
                set(literals.tasks.get(&key), values);
            }
        }
    }
}

pub(super) fn check_reachability(r: &mut Collector<'_>, s: &Scenario, known: &Known<'_>) {
    let mut impossible = BTreeSet::new();
    for inject in &s.injects {
        if let Release::When(condition) = &inject.release
            && let Some(why) = never_holds(condition, s, known)
        {
            impossible.insert(inject.id.as_str());
            r.error(
                Code::ImpossibleCondition,
                Some(inject.id.as_str()),
                "When",
                format!(
                    "the release condition of inject `{}` can never hold: {why}",
                    inject.id
                ),
                Some("fix the condition, or release the inject by time".into()),
            );
        }
    }

    // Each release condition is a circuit over what it reads (`Not` taken as a whole, as
    // possible unless it says otherwise): each literal is set once when it becomes possible, so
    // the search is linear however many conditions read the same thing.
    let conditional: Vec<(usize, &Condition)> = s
        .injects
        .iter()
        .enumerate()
        .filter_map(|(position, inject)| match &inject.release {
            Release::When(c) => Some((position, c)),
            Release::At(_) => None,
        })
        .collect();
    let mut literals = Literals::default();
    let gates = Gates::build(conditional.iter().map(|(_, c)| *c), true, |node, c| {
        literals.add(node, c, s, known);
    });
    let possible_at_start: HashSet<u32> = literals
        .fixed
        .iter()
        .filter_map(|&(node, possible)| possible.then_some(node))
        .chain(
            literals
                .severity
                .range(..=1)
                .flat_map(|(_, l)| l.iter().copied()),
        )
        .collect();
    let mut values = GateValues::new(&gates, 1, |node| {
        Mask::from(possible_at_start.contains(&node))
    });
    let mut reach = Reach {
        max_severity: 1,
        ..Reach::default()
    };
    // Injects to mark reachable, by position; conditions that came to hold, by index.
    let mut ready: Vec<usize> = s
        .injects
        .iter()
        .enumerate()
        .filter(|(_, i)| matches!(i.release, Release::At(m) if m <= s.duration_mins))
        .map(|(p, _)| p)
        .collect();
    let mut held: Vec<usize> = (0..conditional.len())
        .filter(|&c| values.condition(&gates, c) != 0)
        .collect();
    loop {
        ready.extend(
            held.drain(..)
                .filter_map(|c| conditional.get(c).map(|x| x.0)),
        );
        let Some(inject) = ready.pop().and_then(|p| s.injects.get(p)) else {
            break;
        };
        mark_reachable(
            &mut reach,
            (&gates, &mut values, &literals),
            &mut held,
            inject,
        );
    }
    for inject in &s.injects {
        let id = inject.id.as_str();
        let timed_out = matches!(inject.release, Release::At(m) if m > s.duration_mins);
        if !reach.injects.contains(id) && !impossible.contains(id) && !timed_out {
            r.error(
                Code::UnreachableInject,
                Some(id),
                id,
                format!("inject `{id}` can never be released: its condition depends on injects, flags or actions that are themselves unreachable"),
                Some("check the chain of `Released`, `Flag` and `ActionDone` conditions leading to it".into()),
            );
        }
    }
}
