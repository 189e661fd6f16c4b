//! Every shipped file loads and validates clean, and every scenario has its fixture scripts.

use warroom::engine::content::library::Library;

use crate::support::{fixtures_dir, matrix_path, scenarios_dir, shipped_scenarios};

#[test]
fn shipped_content_validates_without_errors_or_warnings() {
    let library = Library::load(&[scenarios_dir()], &matrix_path());
    let diagnostics: Vec<String> = library
        .diagnostics()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(diagnostics.is_empty(), "diagnostics: {diagnostics:#?}");
    assert!(library.is_valid());
    assert!(library.scenarios.len() >= 2, "at least two scenarios ship");
}

#[test]
fn every_scenario_file_is_named_after_its_id() {
    let library = Library::load(&[scenarios_dir()], &matrix_path());
    for loaded in &library.scenarios {
        let stem = loaded.path.file_stem().unwrap().to_string_lossy();
        assert_eq!(stem, loaded.scenario.id.as_str());
    }
}

#[test]
fn every_scenario_has_an_exemplary_and_flawed_scripts() {
    for id in shipped_scenarios() {
        let dir = fixtures_dir().join(&id);
        assert!(
            dir.join("exemplary.ron").is_file(),
            "{id}: exemplary.ron missing"
        );
        let flawed = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name() != "exemplary.ron")
            .count();
        assert!(
            flawed >= 2,
            "{id}: at least two flawed scripts expected, found {flawed}"
        );
    }
}

#[test]
fn shipped_scenarios_use_every_feature_of_the_format() {
    use warroom::engine::model::scenario::{Condition, Release};
    let library = Library::load(&[scenarios_dir()], &matrix_path());
    let all: Vec<_> = library
        .scenarios
        .iter()
        .map(|s| s.scenario.clone())
        .collect();
    let injects = || all.iter().flat_map(|s| s.injects.iter());
    assert!(all.iter().any(|s| !s.variations.is_empty()), "variations");
    assert!(all.iter().any(|s| !s.flags.is_empty()), "flags");
    assert!(
        all.iter().any(|s| !s.references.is_empty()),
        "framework references"
    );
    assert!(
        injects().any(|i| matches!(i.release, Release::When(_))),
        "conditional release"
    );
    assert!(
        injects().any(|i| i.narrative.contains('{')),
        "variation placeholders"
    );
    assert!(injects().any(|i| !i.reveals.is_empty()), "revealed facts");
    assert!(injects().any(|i| !i.messages.is_empty()), "messages");
    assert!(
        injects().any(|i| !i.facilitator_notes.is_empty()),
        "facilitator notes"
    );
    assert!(
        injects().any(|i| i.business_impact.is_some()),
        "business impact"
    );
    assert!(
        injects()
            .flat_map(|i| &i.decisions)
            .any(|d| d.expires_after_mins.is_some()),
        "expiring decisions"
    );
    let conditions: Vec<&Condition> = injects()
        .filter_map(|i| match &i.release {
            Release::When(c) => Some(c),
            Release::At(_) => None,
        })
        .collect();
    let text = format!("{conditions:?}");
    for needle in [
        "Not(",
        "Any(",
        "All(",
        "Variant(",
        "Flag(",
        "ActionDone(",
        "Engaged(",
        "MinuteAtLeast(",
    ] {
        assert!(text.contains(needle), "no shipped condition uses {needle}");
    }
}

/// The facilitator's schedule shows release conditions in words: no backticks, no compound ids.
#[test]
fn release_conditions_read_without_ids() {
    use warroom::engine::Session;
    use warroom::engine::model::scenario::Release;
    let matrix = crate::support::matrix();
    for id in shipped_scenarios() {
        let scenario = crate::support::scenario(&id);
        let session = Session::new(scenario.clone(), matrix.clone(), 0);
        for inject in &scenario.injects {
            let Release::When(condition) = &inject.release else {
                continue;
            };
            let text = session.describe_condition(condition);
            assert!(!text.contains('`'), "{id}/{}: {text}", inject.id);
            // Quoted labels and titles are the scenario's own words; look outside them.
            let outside: String = text
                .split('“')
                .map(|part| part.split_once('”').map_or(part, |(_, after)| after))
                .collect();
            let compound = outside
                .split(|c: char| c.is_whitespace() || "(),.".contains(c))
                .find(|w| w.contains('_') || (w.contains('-') && !w.starts_with("T+")));
            assert!(compound.is_none(), "{id}/{}: {text}", inject.id);
        }
    }
}
