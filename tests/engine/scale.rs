//! Large files stay correct: tens of thousands of injects in the shapes that were once quadratic
//! validate cleanly and play to the end with every inject released at the right minute. (How fast:
//! `cargo bench --no-default-features --bench engine`, figures in the README.)

use std::path::Path;
use std::sync::Arc;

use warroom::engine::Intent;
use warroom::engine::Session;
use warroom::engine::content::load::Source;
use warroom::engine::content::shipped;
use warroom::engine::content::synthetic::{Shape, scenario};
use warroom::engine::content::validate::validate_scenario;
use warroom::engine::model::scenario::Scenario;

const INJECTS: usize = 20_000;

fn played(shape: Shape) -> Session {
    let path = Path::new("synthetic.ron");
    let text = scenario(shape, INJECTS);
    let parsed: Scenario = Source::from_text(path, text.clone()).parse().unwrap();
    let problems = validate_scenario(&parsed, &shipped::matrix(), path, &text);
    assert!(
        problems.is_empty(),
        "{:?}",
        &problems[..problems.len().min(3)]
    );
    let mut session = Session::new(Arc::new(parsed), shipped::matrix(), 0);
    session
        .apply(Intent::Advance { minutes: u32::MAX })
        .unwrap();
    assert!(session.ended());
    let waiting = usize::from(shape.waiting().is_some());
    assert_eq!(session.released().len(), INJECTS + 1 + waiting);
    session
}

#[test]
fn a_long_chain_read_backwards_releases_in_one_minute() {
    let session = played(Shape::Chain);
    // The chain unwinds from the opening inject: the last in the file first.
    assert_eq!(session.released()[1].as_str(), format!("i{}", INJECTS - 1));
    assert_eq!(session.released().last().unwrap().as_str(), "i0");
    assert_eq!(session.released_at("i0"), Some(0));
}

#[test]
fn many_injects_behind_one_flag_release_together() {
    let session = played(Shape::FlagGate);
    assert_eq!(session.released()[0].as_str(), "open");
    assert_eq!(session.released_at(&format!("i{}", INJECTS - 1)), Some(0));
}

#[test]
fn timed_injects_over_a_week_each_come_at_their_minute() {
    let session = played(Shape::Timed);
    assert_eq!(session.released_at("i0"), Some(0));
    assert_eq!(session.released_at("i10079"), Some(10_079));
    assert_eq!(session.released_at("i10080"), Some(0));
    assert_eq!(session.minute(), 10_080);
}

#[test]
fn one_inject_waiting_for_thousands_comes_once_they_all_have() {
    let session = played(Shape::WaitsForAll);
    assert_eq!(session.released().last().unwrap().as_str(), "waiting");
    assert_eq!(session.released_at("waiting"), Some(0));
}

#[test]
fn one_inject_waiting_for_any_of_thousands_comes_with_the_one_that_completes_it() {
    let session = played(Shape::WaitsForAny);
    let last = session.released().len() - 1;
    assert_eq!(session.released()[last - 1].as_str(), "i0");
    assert_eq!(session.released()[last].as_str(), "waiting");
}

#[test]
fn an_inject_waiting_through_thousands_of_severity_flips_comes_at_the_right_one() {
    let session = played(Shape::SeverityFlips);
    assert_eq!(
        session.released_at(&format!("i{}", INJECTS - 1)),
        Some(10_079)
    );
    assert_eq!(session.released_at("waiting"), Some(10_079));
    assert_eq!(session.severity(), 2);
}
