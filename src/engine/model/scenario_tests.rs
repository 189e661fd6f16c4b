//! Scenario lookups and their index, tested.

use super::{Condition, Release};
use crate::engine::content::load::Source;

#[test]
fn lookups_stay_right_when_the_scenario_is_edited_after_the_first() {
    let mut s = (*crate::engine::content::shipped::scenario("ransomware-file-server")).clone();
    assert_eq!(s.inject_position("ransom-note"), Some(1));
    assert!(s.action("image-fs01").is_some());
    // Moved: the indexed position no longer holds the id, so it is found by a scan.
    s.injects.swap(0, 1);
    assert_eq!(s.inject_position("ransom-note"), Some(0));
    assert_eq!(
        s.action("image-fs01").map(|(i, _, _)| i.id.as_str()),
        Some("ransom-note")
    );
    // Added: absent from the index, but the count changed, so it is found by a scan.
    let mut extra = s.injects[0].clone();
    extra.id = "extra".into();
    s.injects.push(extra);
    assert_eq!(s.inject_position("extra"), Some(s.injects.len() - 1));
    assert_eq!(s.inject_position("nowhere"), None);
}

#[test]
fn conditions_parse_as_documented() {
    let parse = |text: &str| {
        Source::from_text("c.ron", text)
            .parse::<Condition>()
            .unwrap()
    };
    assert_eq!(
        parse(r#"TaskDone("preserve_evidence", "fs01")"#),
        Condition::TaskDone("preserve_evidence".into(), Some("fs01".into()))
    );
    assert_eq!(
        parse(r#"TaskDone("preserve_evidence", None)"#),
        Condition::TaskDone("preserve_evidence".into(), None)
    );
    assert_eq!(
        parse(r#"All([MinuteAtLeast(30), Not(Flag("evidence_preserved"))])"#),
        Condition::All(vec![
            Condition::MinuteAtLeast(30),
            Condition::Not(Box::new(Condition::Flag("evidence_preserved".into()))),
        ])
    );
    let release = Source::from_text("r.ron", "When(Engaged(\"legal\"))")
        .parse::<Release>()
        .unwrap();
    assert_eq!(release, Release::When(Condition::Engaged("legal".into())));
}
