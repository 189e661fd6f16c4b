//! Shared helpers: paths to shipped content, loading, and playing fixture scripts.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use warroom::engine::content::load::Source;
use warroom::engine::content::script::{self, Decisions};
use warroom::engine::content::shipped;
use warroom::engine::{Matrix, Scenario, Session};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn scenarios_dir() -> PathBuf {
    shipped::dir()
}

pub fn matrix_path() -> PathBuf {
    shipped::matrix_path()
}

pub fn fixtures_dir() -> PathBuf {
    root().join("tests/fixtures/decisions")
}

pub fn matrix() -> Arc<Matrix> {
    shipped::matrix()
}

pub fn scenario(id: &str) -> Arc<Scenario> {
    shipped::scenario(id)
}

/// Plays a fixture script against a matrix, with the script's own seed.
pub fn play_with(matrix: Arc<Matrix>, scenario_id: &str, script_path: &Path) -> Session {
    let source = Source::read(script_path).expect("script readable");
    let decisions: Decisions = source.parse().expect("script parses");
    let seed = decisions.seed.unwrap_or(0);
    let scenario = shipped::scenario_with(scenario_id, &matrix);
    script::run(scenario, matrix, &decisions, seed, &source).expect("script runs")
}

pub fn play(scenario_id: &str, script: &str) -> Session {
    play_with(
        matrix(),
        scenario_id,
        &fixtures_dir()
            .join(scenario_id)
            .join(format!("{script}.ron")),
    )
}

/// The flawed fixture scripts of a scenario (every script but the exemplary and the natural
/// one), by name.
pub fn flawed_scripts(scenario_id: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixtures_dir().join(scenario_id))
        .expect("fixtures dir")
        .filter_map(Result::ok)
        .filter_map(|e| Some(e.path().file_stem()?.to_string_lossy().into_owned()))
        .filter(|name| name != "exemplary" && name != "natural")
        .collect();
    names.sort();
    names
}

/// Every shipped scenario id (file stem of each scenario file).
pub fn shipped_scenarios() -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(scenarios_dir())
        .expect("scenarios dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .filter(|p| {
            Source::read(p)
                .is_ok_and(|s| s.kind() == warroom::engine::content::load::FileKind::Scenario)
        })
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    ids.sort();
    ids
}

/// Plays a fixture script after an edit of its text (steps removed, moved or added), as a trainer
/// varies a play to see what the grade makes of it. The edit must change the script.
pub fn play_edited(scenario_id: &str, script: &str, edit: impl FnOnce(&str) -> String) -> Session {
    play_edited_with(matrix(), scenario_id, script, edit)
}

/// [`play_edited`] against another matrix.
pub fn play_edited_with(
    matrix: Arc<Matrix>,
    scenario_id: &str,
    script: &str,
    edit: impl FnOnce(&str) -> String,
) -> Session {
    let path = fixtures_dir()
        .join(scenario_id)
        .join(format!("{script}.ron"));
    let text = std::fs::read_to_string(&path).expect("fixture readable");
    let edited = edit(&text);
    assert_ne!(edited, text, "the edit changed nothing in {script}");
    let dir = tempfile::tempdir().expect("temp dir");
    let copy = dir.path().join(format!("{script}.ron"));
    std::fs::write(&copy, edited).expect("edited script written");
    play_with(matrix, scenario_id, &copy)
}

/// A script's text with the lines containing `needle` removed (each must match once at least).
pub fn without_lines(text: &str, needles: &[&str]) -> String {
    for needle in needles {
        assert!(text.contains(needle), "no step contains {needle:?}");
    }
    let mut out = String::with_capacity(text.len());
    for line in text
        .lines()
        .filter(|l| !needles.iter().any(|n| l.contains(n)))
    {
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// A script's text with `steps` (each `Step(at: N, …),` on one line) put in minute order among
/// the existing ones: after every step at the same minute or earlier.
pub fn with_steps(text: &str, steps: &[&str]) -> String {
    let minute_of = |line: &str| -> Option<u32> {
        let rest = line.trim_start().strip_prefix("Step(at: ")?;
        rest.split(',').next()?.trim().parse().ok()
    };
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    for step in steps {
        let at = minute_of(step).expect("a step starts `Step(at: N,`");
        let end = lines
            .iter()
            .rposition(|l| l.trim_start() == "],")
            .expect("a steps list");
        let index = lines
            .iter()
            .position(|l| minute_of(l).is_some_and(|m| m > at))
            .unwrap_or(end);
        lines.insert(index, format!("        {step}"));
    }
    let mut out = String::with_capacity(text.len() + 200);
    for line in &lines {
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Runs a CLI command as the binary would, with the shipped matrix: (exit code, stdout, stderr).
pub fn exec_with_shipped_matrix(cmd: &warroom::cli::Command) -> (u8, String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = warroom::cli::run(cmd, Some(&matrix_path()), &mut out, &mut err);
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

/// `warroom play SCENARIO --decisions FILE` in `format`, nothing else set.
pub fn play_cmd(
    scenario: &str,
    decisions: PathBuf,
    format: warroom::cli::Format,
) -> warroom::cli::Command {
    warroom::cli::Command::Play {
        scenario: scenario.into(),
        decisions,
        seed: None,
        format,
        save_log: None,
        record: None,
        db: None,
        session: None,
        saves: None,
        step_delay_ms: 0,
        replace: false,
    }
}

/// `warroom play … --format json --save-log LOG`.
pub fn play_saving_log(scenario: &str, decisions: PathBuf, log: &Path) -> warroom::cli::Command {
    let mut play = play_cmd(scenario, decisions, warroom::cli::Format::Json);
    if let warroom::cli::Command::Play { save_log, .. } = &mut play {
        *save_log = Some(log.to_path_buf());
    }
    play
}

/// Runs `command` with `input` on its standard input, to the end.
pub fn run_with_input(command: &mut std::process::Command, input: &[u8]) -> std::process::Output {
    use std::io::Write as _;
    use std::process::Stdio;
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}
