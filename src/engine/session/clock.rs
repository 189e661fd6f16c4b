//! The session's clock: which injects are due, releasing them, closing decision windows, and the
//! next minute anything can happen. Derived state, rebuilt by replaying the log.

use std::ops::Bound;
use std::sync::Arc;

use crate::engine::model::id::{ActionId, DecisionId, InjectId};
use crate::engine::model::intent::Event;
use crate::engine::model::scenario::Release;

use super::release::{Clock, ReleasePlan, mark_ready};
use super::state::Session;

impl Session {
    /// Sets the literals `which` picks out of the plan as holding from now on.
    pub(super) fn literals_hold(&mut self, which: impl FnOnce(&ReleasePlan) -> Option<&Vec<u32>>) {
        let plan = Arc::clone(&self.clock.plan);
        for &node in which(&plan).into_iter().flatten() {
            self.set_literal(&plan, node, true);
        }
    }

    fn set_literal(&mut self, plan: &ReleasePlan, node: u32, holds: bool) {
        let Self {
            clock,
            released,
            held,
            scenario,
            ..
        } = self;
        if clock.naive {
            return;
        }
        let mask = if holds { clock.values.all_classes() } else { 0 };
        let Clock { values, ready, .. } = clock;
        values.set(&plan.gates, node, mask, |condition, old, new| {
            let Some(&position) = plan.inject_of.get(condition) else {
                return;
            };
            let pending = scenario
                .injects
                .get(position)
                .is_some_and(|i| !released.contains_key(&i.id) && !held.contains(&i.id));
            if pending {
                mark_ready(ready, position, old, new);
            }
        });
    }

    /// Sets the literals an action being performed makes hold: the action's, its task's.
    pub(super) fn action_done(&mut self, action: &ActionId) {
        self.literals_hold(|plan| plan.on_action.get(action.as_str()));
        let scenario = Arc::clone(&self.scenario);
        let Some((_, _, option)) = scenario.action(action.as_str()) else {
            return;
        };
        let task = option.task.to_string();
        let target = option.target.as_ref().map(ToString::to_string);
        if target.is_some() {
            self.literals_hold(|plan| plan.on_task.get(&(task.clone(), target)));
        }
        self.literals_hold(|plan| plan.on_task.get(&(task, None)));
    }

    /// Holds an inject back (or lets it go again): a held inject is never due.
    pub(super) fn hold(&mut self, inject: &InjectId, on: bool) {
        let scenario = Arc::clone(&self.scenario);
        let Some((position, found)) = scenario.inject_with_position(inject.as_str()) else {
            return;
        };
        if on {
            self.held.insert(inject.clone());
            self.clock.overdue.remove(&position);
            self.set_ready(position, false);
        } else {
            self.held.remove(inject);
            if self.released.contains_key(inject) {
                return;
            }
            match found.release {
                Release::At(minute) if minute <= self.minute => {
                    self.clock.overdue.insert(position);
                }
                Release::At(_) => {}
                Release::When(_) => self.set_ready(position, true),
            }
        }
    }

    /// Puts a conditional inject on (or takes it off) the ready lists its condition holds in.
    fn set_ready(&mut self, position: usize, on: bool) {
        let plan = Arc::clone(&self.clock.plan);
        let Some(&condition) = plan.condition_of.get(&position) else {
            return;
        };
        let mask = self.clock.values.condition(&plan.gates, condition);
        let (old, new) = if on { (0, mask) } else { (mask, 0) };
        mark_ready(&mut self.clock.ready, position, old, new);
    }

    /// Releases every inject whose time or condition has come, until nothing more changes,
    /// and closes decision points whose time is up. Each round releases, in scenario order, every
    /// inject due in the state the round started from.
    pub(super) fn settle(&mut self, events: &mut Vec<Event>) {
        if self.clock.naive {
            return self.settle_naive(events);
        }
        let plan = Arc::clone(&self.clock.plan);
        let minute = self.minute;
        if self.clock.turned_through.is_none_or(|m| m < minute) {
            let from = self
                .clock
                .turned_through
                .map_or(Bound::Unbounded, Bound::Excluded);
            let mut turning: Vec<(u32, bool)> = plan
                .on_minute
                .range((from, Bound::Included(minute)))
                .flat_map(|(_, literals)| literals.iter().copied())
                .collect();
            turning.extend(
                self.clock
                    .since_turns
                    .range((from, Bound::Included(minute)))
                    .flat_map(|(_, nodes)| nodes.iter().map(|&node| (node, true))),
            );
            for (node, holds) in turning {
                self.set_literal(&plan, node, holds);
            }
            self.clock.turned_through = Some(minute);
        }
        while let Some(&(at, position)) = plan.scheduled.get(self.clock.next_scheduled)
            && at <= minute
        {
            if self.pending(position) {
                self.clock.overdue.insert(position);
            }
            self.clock.next_scheduled += 1;
        }
        loop {
            let class = plan.class(self.severity);
            let mut due = self.clock.overdue.clone();
            due.extend(self.clock.ready.get(class).into_iter().flatten());
            if due.is_empty() {
                break;
            }
            let scenario = Arc::clone(&self.scenario);
            for inject in due.iter().filter_map(|&p| scenario.injects.get(p)) {
                self.release(&inject.id, events);
            }
        }
        self.close_decisions(events);
    }

    /// Every inject read every round, every window checked: the fallback, and the reference
    /// [`Self::settle`] is checked against.
    fn settle_naive(&mut self, events: &mut Vec<Event>) {
        loop {
            let due: Vec<InjectId> = (0..self.scenario.injects.len())
                .filter(|&p| self.due_plain(p))
                .filter_map(|p| self.scenario.injects.get(p).map(|i| i.id.clone()))
                .collect();
            if due.is_empty() {
                break;
            }
            for id in due {
                self.release(&id, events);
            }
        }
        let minute = self.minute;
        let newly_expired: Vec<DecisionId> = self
            .scenario
            .injects
            .iter()
            .filter_map(|i| self.released.get(&i.id).map(|at| (i, *at)))
            .flat_map(|(i, at)| i.decisions.iter().map(move |d| (d, at)))
            .filter(|(d, at)| {
                d.expires_after_mins
                    .is_some_and(|after| minute >= at.saturating_add(after))
            })
            .map(|(d, _)| d.id.clone())
            .filter(|id| !self.expired.contains(id))
            .collect();
        for decision in newly_expired {
            self.expired.insert(decision.clone());
            events.push(Event::DecisionExpired { decision });
        }
        // Windows are read above; drop those now closed so the next jump is not stopped by them.
        self.clock.closing = self.clock.closing.split_off(&minute.saturating_add(1));
    }

    /// Not released and not held.
    fn pending(&self, position: usize) -> bool {
        self.scenario
            .injects
            .get(position)
            .is_some_and(|i| !self.released.contains_key(&i.id) && !self.held.contains(&i.id))
    }

    /// A pending inject whose time or condition has come, reading the whole condition.
    fn due_plain(&self, position: usize) -> bool {
        self.pending(position)
            && self
                .scenario
                .injects
                .get(position)
                .is_some_and(|i| match &i.release {
                    Release::When(condition) => self.holds(condition),
                    Release::At(m) => *m <= self.minute,
                })
    }

    /// Closes the decision points whose window is up, in scenario order.
    fn close_decisions(&mut self, events: &mut Vec<Event>) {
        let later = self
            .clock
            .closing
            .split_off(&(self.minute.saturating_add(1)));
        let mut closing: Vec<(usize, usize)> = std::mem::replace(&mut self.clock.closing, later)
            .into_values()
            .flatten()
            .collect();
        closing.sort_unstable();
        let scenario = Arc::clone(&self.scenario);
        let decisions = closing
            .into_iter()
            .filter_map(|(inject, decision)| scenario.injects.get(inject)?.decisions.get(decision));
        for decision in decisions {
            let id: DecisionId = decision.id.clone();
            if self.expired.insert(id.clone()) {
                events.push(Event::DecisionExpired { decision: id });
            }
        }
    }

    /// The minute `inject` comes in if nobody does anything more: now, if it is in already; `None`
    /// if it would not come before the end. Worked out on a copy of the session.
    pub fn release_minute_if_left_alone(&self, inject: &str) -> Option<u32> {
        if let Some(at) = self.released.get(inject) {
            return Some(*at);
        }
        let mut copy = self.clone();
        let end = copy.scenario.duration_mins;
        let mut events = Vec::new();
        while copy.minute < end && !copy.released.contains_key(inject) {
            copy.minute = copy.next_event_minute().min(end);
            copy.settle(&mut events);
            events.clear();
        }
        copy.released.get(inject).copied()
    }

    /// The next minute after now at which an inject can come due or a decision can close: a
    /// timed inject's minute, a window's end, or a minute a condition compares the clock with.
    pub(super) fn next_event_minute(&self) -> u32 {
        let now = self.minute;
        #[cfg(test)]
        if self.clock.every_minute {
            return now.saturating_add(1);
        }
        let plan = &self.clock.plan;
        [
            plan.scheduled.get(self.clock.next_scheduled).map(|x| x.0),
            self.clock.closing.keys().next().copied(),
            plan.on_minute
                .range(now.saturating_add(1)..)
                .next()
                .map(|(m, _)| *m),
            self.clock
                .since_turns
                .range(now.saturating_add(1)..)
                .next()
                .map(|(m, _)| *m),
        ]
        .into_iter()
        .flatten()
        .filter(|&m| m > now)
        .min()
        .unwrap_or(u32::MAX)
    }

    /// Releases an inject now: its decisions open, its severity, impact, facts and flags apply.
    pub(super) fn release(&mut self, id: &InjectId, events: &mut Vec<Event>) {
        let scenario = Arc::clone(&self.scenario);
        let Some((position, inject)) = scenario.inject_with_position(id.as_str()) else {
            return;
        };
        self.set_ready(position, false);
        self.clock.overdue.remove(&position);
        self.released.insert(id.clone(), self.minute);
        self.release_order.push(id.clone());
        for (d, decision) in inject.decisions.iter().enumerate() {
            if let Some(window) = decision.expires_after_mins {
                let closes = self.minute.saturating_add(window);
                self.clock
                    .closing
                    .entry(closes)
                    .or_default()
                    .push((position, d));
            }
        }
        events.push(Event::InjectReleased {
            inject: id.clone(),
            minute: self.minute,
        });
        self.literals_hold(|plan| plan.on_release.get(id.as_str()));
        // Relative timing: what counts from this release turns that many minutes on.
        let plan = Arc::clone(&self.clock.plan);
        for &(node, minutes) in plan.on_since.get(id.as_str()).into_iter().flatten() {
            if minutes == 0 {
                self.set_literal(&plan, node, true);
            } else {
                let at = self.minute.saturating_add(minutes);
                self.clock.since_turns.entry(at).or_default().push(node);
            }
        }
        if let Some(level) = inject.severity
            && level != self.severity
        {
            self.severity = level;
            for reached in 1..=level {
                self.severity_reached.entry(reached).or_insert(self.minute);
            }
            events.push(Event::SeverityChanged { level });
        }
        if let Some(impact) = inject.business_impact
            && impact != self.business_impact
        {
            self.business_impact = impact;
            events.push(Event::ImpactChanged { impact });
        }
        for trigger in &inject.reveals {
            if !self.revealed.contains_key(trigger) {
                self.revealed.insert(trigger.clone(), self.minute);
                events.push(Event::FactRevealed {
                    trigger: trigger.clone(),
                });
            }
        }
        for flag in &inject.sets {
            self.set_flag(flag.clone(), events);
        }
    }
}
