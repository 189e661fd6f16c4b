//! Which injects of a scenario no play can ever bring in: timed after the end, or waiting on a
//! condition nothing in the scenario can make true (a flag nobody sets, an action never offered,
//! an inject itself unreachable). The Author screen names them; a play simply never sees them.

use std::collections::BTreeSet;

use crate::engine::model::id::InjectId;
use crate::engine::model::scenario::{Condition, Release, Scenario};

/// The injects no play can release. Optimistic where the scenario cannot say (an escalation, a
/// drawn variation, a negation): only what is certainly impossible is named.
pub fn unreachable_injects(scenario: &Scenario) -> BTreeSet<InjectId> {
    let mut reachable: BTreeSet<&str> = BTreeSet::new();
    // Each round may make more injects reachable (one released after another): a fixed point.
    loop {
        let before = reachable.len();
        for inject in &scenario.injects {
            if reachable.contains(inject.id.as_str()) {
                continue;
            }
            let can = match &inject.release {
                Release::At(minute) => *minute <= scenario.duration_mins,
                Release::When(condition) => possible(condition, scenario, &reachable),
            };
            if can {
                reachable.insert(inject.id.as_str());
            }
        }
        if reachable.len() == before {
            break;
        }
    }
    scenario
        .injects
        .iter()
        .filter(|i| !reachable.contains(i.id.as_str()))
        .map(|i| i.id.clone())
        .collect()
}

/// Whether `condition` can hold in some play, given the injects known reachable so far.
fn possible(condition: &Condition, scenario: &Scenario, reachable: &BTreeSet<&str>) -> bool {
    let offered = scenario
        .injects
        .iter()
        .filter(|i| reachable.contains(i.id.as_str()))
        .flat_map(|i| i.decisions.iter())
        .flat_map(|d| d.actions.iter());
    match condition {
        Condition::MinuteAtLeast(minute) => *minute <= scenario.duration_mins,
        Condition::MinuteBefore(minute) => *minute > 0,
        Condition::Flag(flag) => {
            scenario
                .injects
                .iter()
                .filter(|i| reachable.contains(i.id.as_str()))
                .any(|i| i.sets.contains(flag))
                || offered.clone().any(|a| a.sets.contains(flag))
        }
        Condition::Released(inject) | Condition::MinutesSince(inject, _) => {
            reachable.contains(inject.as_str())
        }
        Condition::ActionDone(action) => offered.clone().any(|a| a.id == *action),
        Condition::TaskDone(task, asset) => offered.clone().any(|a| {
            a.task == *task && asset.as_ref().is_none_or(|t| a.target.as_ref() == Some(t))
        }),
        Condition::SeverityAtLeast(level) => {
            *level <= 1
                || scenario
                    .injects
                    .iter()
                    .filter(|i| reachable.contains(i.id.as_str()))
                    .any(|i| i.severity.is_some_and(|s| s >= *level))
        }
        Condition::Engaged(_) | Condition::Variant(..) | Condition::Not(_) => true,
        Condition::All(all) => all.iter().all(|c| possible(c, scenario, reachable)),
        Condition::Any(any) => any.iter().any(|c| possible(c, scenario, reachable)),
    }
}

#[cfg(test)]
mod tests {
    use super::unreachable_injects;
    use crate::engine::content::load::Source;
    use crate::engine::model::scenario::{Condition, Release, Scenario};

    #[test]
    fn every_shipped_inject_can_come_in_and_a_broken_chain_cannot() {
        for path in
            crate::engine::content::load::ron_files_in(&crate::engine::content::shipped::dir())
                .unwrap()
        {
            let source = Source::read(&path).unwrap();
            let Ok(scenario) = source.parse::<Scenario>() else {
                continue;
            };
            assert!(
                unreachable_injects(&scenario).is_empty(),
                "{}: {:?}",
                path.display(),
                unreachable_injects(&scenario)
            );
        }
        let mut scenario =
            (*crate::engine::content::shipped::scenario("ransomware-file-server")).clone();
        let last = scenario.injects.len() - 1;
        // The first waits on a flag nothing sets; one timed after the end; one after the first.
        scenario.injects[0].release = Release::When(Condition::Flag("no-such-flag".into()));
        scenario.injects[1].release = Release::At(scenario.duration_mins + 1);
        let first = scenario.injects[0].id.clone();
        scenario.injects[last].release = Release::When(Condition::MinutesSince(first.clone(), 5));
        let unreachable = unreachable_injects(&scenario);
        assert!(unreachable.contains(&first));
        assert!(unreachable.contains(&scenario.injects[1].id));
        assert!(unreachable.contains(&scenario.injects[last].id));
        assert_eq!(unreachable.len(), 3, "{unreachable:?}");
    }
}
