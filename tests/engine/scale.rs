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

/// Whatever Warroom writes it reads back: a scenario near the 4 MiB limit for files people write,
/// played to its end, makes a save and a session log larger than that limit, and both are read,
/// resumed, replayed and reported.
#[test]
fn the_largest_scenario_played_to_its_end_is_saved_read_back_resumed_replayed_and_reported() {
    use warroom::engine::content::library::load_scenario;
    use warroom::engine::content::load::MAX_FILE_BYTES;
    use warroom::engine::exercise::ExerciseRecord;
    use warroom::engine::model::scenario::Mode;
    use warroom::engine::reports::aar::AfterActionReport;
    use warroom::store::saves;

    let dir = tempfile::tempdir().unwrap();
    let text = scenario(Shape::Timed, 66_000);
    let size = text.len() as u64;
    assert!(
        size <= MAX_FILE_BYTES && size > MAX_FILE_BYTES * 3 / 4,
        "{size}"
    );
    let scenario_path = dir.path().join("synthetic.ron");
    std::fs::write(&scenario_path, &text).unwrap();
    let matrix = shipped::matrix();
    let loaded = load_scenario(&scenario_path, &matrix).unwrap();
    let mut session = Session::new(Arc::clone(&loaded.scenario), Arc::clone(&matrix), 0);
    // A long exercise: a call every few minutes over the week, then the clock to the end.
    for minute in (7..10_080).step_by(7) {
        session.apply(Intent::Advance { minutes: 7 }).unwrap();
        let level = u8::try_from(1 + minute % 4).unwrap();
        session
            .apply(Intent::ClassifySeverity {
                level,
                by: "soc".into(),
            })
            .unwrap();
    }
    session
        .apply(Intent::Advance { minutes: u32::MAX })
        .unwrap();
    assert!(session.ended());
    assert_eq!(session.released().len(), 66_001);

    let record = ExerciseRecord::new("largest", Mode::Drill, 1, &session);
    let save = saves::path_of(dir.path(), "largest");
    saves::save_atomic(&record, &save).unwrap();
    let written = std::fs::metadata(&save).unwrap().len();
    assert!(written > MAX_FILE_BYTES, "the save is {written} bytes");
    let back = saves::load(&save).unwrap();
    let resumed = back
        .resume(Arc::clone(&loaded.scenario), Arc::clone(&matrix))
        .unwrap();
    assert_eq!(resumed.released().len(), session.released().len());
    assert_eq!(resumed.log().entries.len(), session.log().entries.len());
    let report = AfterActionReport::build(&back, &resumed).markdown();
    assert!(report.contains("After-action report"));

    // The session log, as `play --save-log` writes it, replays through the command line.
    let log = dir.path().join("largest-log.ron");
    let log_text = session.log().to_ron().unwrap();
    saves::fits_read_limit(&log_text).unwrap();
    std::fs::write(&log, &log_text).unwrap();
    assert!(log_text.len() as u64 > MAX_FILE_BYTES);
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = warroom::cli::run(
        &warroom::cli::Command::Replay {
            log,
            scenarios: Some(dir.path().to_path_buf()),
            format: warroom::cli::Format::Json,
        },
        Some(&shipped::matrix_path()),
        &mut out,
        &mut err,
    );
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&err));
}

/// A script with thousands of refused steps is located in one pass over its file (each error at
/// its own step), not one pass per error.
#[test]
fn thousands_of_refused_steps_are_each_located_at_their_step() {
    use warroom::engine::content::library::Library;
    let dir = tempfile::tempdir().unwrap();
    let steps: String = (0..3_000)
        .map(|_| "        Step(at: 1, intent: AssignAction(action: \"nope\", role: \"soc\")),\n")
        .collect();
    let text = format!(
        "Decisions(\n    scenario: \"ransomware-file-server\",\n    steps: [\n{steps}    ],\n)\n"
    );
    let path = dir.path().join("refused.ron");
    std::fs::write(&path, text).unwrap();
    let library = Library::load(&[path], &shipped::matrix_path());
    let refused: Vec<_> = library
        .diagnostics()
        .into_iter()
        .filter(|d| d.code == "invalid-step")
        .collect();
    assert_eq!(refused.len(), 3_000);
    for (k, d) in refused.iter().enumerate() {
        // Step k sits on line k + 4 (three lines of header), its `at:` at column 14.
        assert_eq!((d.line, d.column), (k + 4, 14), "{}", d.message);
    }
}
