//! The headless CLI: exit codes, located errors, JSON output. Run in-process, plus one check of the
//! real binary's argument handling.

use std::path::{Path, PathBuf};

use warroom::cli::{Command, EXIT_INVALID, EXIT_OK, EXIT_USAGE, Format, run};

use crate::support::{fixtures_dir, matrix_path, play_cmd, play_saving_log, scenarios_dir};

fn exec(cmd: &Command, matrix: Option<&Path>) -> (u8, String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run(cmd, matrix, &mut out, &mut err);
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

fn validate(paths: Vec<PathBuf>, format: Format) -> Command {
    Command::Validate { paths, format }
}

#[test]
fn validate_shipped_content_exits_0() {
    let (code, out, err) = exec(
        &validate(vec![scenarios_dir()], Format::Text),
        Some(&matrix_path()),
    );
    assert_eq!(code, EXIT_OK, "{out}\n{err}");
    assert!(out.contains("ok      "), "{out}");
    assert!(out.contains("0 errors"), "{out}");
}

#[test]
fn validate_broken_file_exits_1_with_location() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.ron");
    let text = std::fs::read_to_string(scenarios_dir().join("ransomware-file-server.ron"))
        .unwrap()
        .replace("task: \"isolate_host\"", "task: \"isolate_hots\"");
    std::fs::write(&broken, &text).unwrap();
    let (code, out, err) = exec(
        &validate(vec![broken.clone()], Format::Text),
        Some(&matrix_path()),
    );
    assert_eq!(code, EXIT_INVALID);
    assert!(out.contains("INVALID"), "{out}");
    let line = text
        .lines()
        .position(|l| l.contains("isolate_hots"))
        .unwrap()
        + 1;
    assert!(err.contains(&format!("broken.ron:{line}:")), "{err}");
    assert!(err.contains("did you mean `isolate_host`?"), "{err}");

    let (code, out, _) = exec(&validate(vec![broken], Format::Json), Some(&matrix_path()));
    assert_eq!(code, EXIT_INVALID);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["valid"], false);
    assert_eq!(json["diagnostics"][0]["code"], "unknown-task");
    assert_eq!(json["diagnostics"][0]["line"], line);
}

#[test]
fn validate_missing_path_is_a_usage_error() {
    let (code, _, err) = exec(&validate(vec!["no/such/dir".into()], Format::Text), None);
    assert_eq!(code, EXIT_USAGE);
    assert!(err.contains("no/such/dir"));
}

/// A scenario with an absurd id no longer loads, and listing a folder that holds one says so
/// instead of panicking on a column width.
#[test]
fn list_survives_a_scenario_with_a_huge_id() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(scenarios_dir().join("maintenance-window-false-alarm.ron"))
        .unwrap()
        .replacen(
            "id: \"maintenance-window-false-alarm\"",
            &format!("id: \"{}\"", "y".repeat(70_000)),
            1,
        );
    std::fs::write(dir.path().join("huge-id.ron"), text).unwrap();
    std::fs::copy(
        scenarios_dir().join("journalist-calls.ron"),
        dir.path().join("journalist-calls.ron"),
    )
    .unwrap();
    let (code, out, err) = exec(
        &Command::List {
            paths: vec![dir.path().to_path_buf()],
            format: Format::Text,
        },
        Some(&matrix_path()),
    );
    assert_eq!(code, EXIT_OK, "{out}\n{err}");
    assert!(out.contains("journalist-calls"), "{out}");
    assert!(out.contains("1 file could not be loaded"), "{out}");
}

#[test]
fn titles_with_terminal_escapes_are_printed_escaped_by_every_command() {
    let dir = tempfile::tempdir().unwrap();
    // A title that would retitle the terminal, clear it and then read backwards.
    let hostile = r"Pwned\u{1b}]0;owned\u{7}\u{1b}[2J \u{202e}desrever";
    let text = std::fs::read_to_string(scenarios_dir().join("maintenance-window-false-alarm.ron"))
        .unwrap()
        .replacen("title: \"", &format!("title: \"{hostile} "), 1);
    let scenario = dir.path().join("maintenance-window-false-alarm.ron");
    std::fs::write(&scenario, text).unwrap();
    let script = fixtures_dir().join("maintenance-window-false-alarm/exemplary.ron");
    let commands = [
        Command::List {
            paths: vec![dir.path().to_path_buf()],
            format: Format::Text,
        },
        Command::List {
            paths: vec![dir.path().to_path_buf()],
            format: Format::Json,
        },
        play_cmd(scenario.to_str().unwrap(), script, Format::Text),
    ];
    for command in &commands {
        let (code, out, err) = exec(command, Some(&matrix_path()));
        assert_eq!(code, EXIT_OK, "{out}\n{err}");
        for shown in [&out, &err] {
            assert!(
                !shown
                    .chars()
                    .any(|c| (c.is_control() && c != '\n' && c != '\t') || c == '\u{202e}'),
                "{shown:?}"
            );
        }
        assert!(
            out.contains("\\u001b]0;owned") && out.contains("\\u202edesrever"),
            "{out}"
        );
    }
}

#[test]
fn an_error_heavy_file_shows_the_first_200_errors_then_a_count_and_json_carries_all() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("errors.ron");
    std::fs::write(
        &file,
        warroom::engine::content::synthetic::error_heavy_scenario(300),
    )
    .unwrap();
    let (code, _, err) = exec(
        &validate(vec![file.clone()], Format::Text),
        Some(&matrix_path()),
    );
    assert_eq!(code, EXIT_INVALID);
    assert_eq!(err.matches("error[unknown-flag]").count(), 200, "{err}");
    assert!(err.contains("… and 100 more in"), "{err}");
    // Each shown error keeps its own line and column (inject i sets the flag on line i + 2).
    assert!(err.contains("errors.ron:201:"), "{err}");
    let (_, out, _) = exec(&validate(vec![file], Format::Json), Some(&matrix_path()));
    assert_eq!(out.matches("\"unknown-flag\"").count(), 300);
}

#[test]
fn a_binary_run_far_from_its_source_plays_the_content_built_into_it() {
    // No scenarios/ here, no WARROOM_CONTENT: the build machine's source folder must not be read.
    let elsewhere = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_warroom"))
            .args(args)
            .current_dir(elsewhere.path())
            .env("WARROOM_DATA_DIR", data.path())
            .env_remove("WARROOM_CONTENT")
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (code, out, err) = run(&["list"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.starts_with("Scenarios in the content built into warroom"),
        "{out}"
    );
    assert!(out.contains(&data.path().display().to_string()), "{out}");
    assert!(!out.contains(env!("CARGO_MANIFEST_DIR")), "{out}");
    assert_eq!(
        out.lines().filter(|l| l.contains("Practice")).count(),
        shipped_scenario_count(),
        "{out}"
    );
    let (code, out, err) = run(&["validate"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.starts_with("Checking the content built into warroom"),
        "{out}"
    );
    // And it plays: a fixture through the built-in scenario.
    let script = fixtures_dir().join("ransomware-file-server/exemplary.ron");
    let (code, out, err) = run(&[
        "play",
        "ransomware-file-server",
        "--decisions",
        script.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("100"), "{out}");
}

fn shipped_scenario_count() -> usize {
    std::fs::read_dir(scenarios_dir())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| {
            e.path().extension().is_some_and(|x| x == "ron")
                && e.file_name() != "responsibilities.ron"
        })
        .count()
}

#[test]
fn a_script_played_with_another_seed_says_it_was_written_for_its_own() {
    let script = fixtures_dir().join("customer-data-exfiltration/exemplary.ron");
    let mut command = play_cmd("customer-data-exfiltration", script, Format::Text);
    if let Command::Play { seed, .. } = &mut command {
        // Seed 2 draws the variation without card data: the card steps have nothing to act on.
        *seed = Some(2);
    }
    let (code, _, err) = exec(&command, Some(&matrix_path()));
    assert_eq!(code, EXIT_INVALID, "{err}");
    assert!(
        err.contains("the script was written for seed 0; --seed 2 draws other variations"),
        "{err}"
    );
}

#[test]
fn messages_about_the_saves_folder_and_empty_content_are_in_words() {
    use warroom::cli::ResumeArgs;
    let dir = tempfile::tempdir().unwrap();
    // A saves "folder" that is a file.
    let file = dir.path().join("saves");
    std::fs::write(&file, "not a folder").unwrap();
    let list = ResumeArgs {
        session: None,
        saves: Some(file.clone()),
        check: false,
        list: true,
        format: Format::Text,
    };
    let (code, _, err) = exec(&Command::Resume(list), Some(&matrix_path()));
    assert_eq!(code, EXIT_USAGE);
    assert!(err.contains("is a file, not a folder"), "{err}");
    let (code, _, err) = exec(&play_into(&file, "mine", false), Some(&matrix_path()));
    assert_eq!(code, EXIT_USAGE);
    assert!(err.contains("is a file, not a folder"), "{err}");
    assert!(!err.contains("os error"), "{err}");

    // An empty folder, as JSON: still a JSON answer on stdout.
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let (code, out, _) = exec(&validate(vec![empty], Format::Json), Some(&matrix_path()));
    assert_eq!(code, EXIT_INVALID);
    let answer: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(answer["valid"], false);
    assert!(
        answer["message"]
            .as_str()
            .unwrap()
            .contains("no data file found")
    );

    // A folder holding only its matrix checks the matrix.
    let own = dir.path().join("my-org");
    std::fs::create_dir(&own).unwrap();
    std::fs::copy(matrix_path(), own.join("responsibilities.ron")).unwrap();
    let (code, out, err) = exec(&validate(vec![own], Format::Text), None);
    assert_eq!(code, EXIT_OK, "{out}{err}");
    assert!(out.contains("(matrix `reference`)"), "{out}");

    // A trainer's decisions/ folder beside the scenario is checked too.
    let org = dir.path().join("org");
    std::fs::create_dir_all(org.join("decisions")).unwrap();
    std::fs::copy(
        scenarios_dir().join("ransomware-file-server.ron"),
        org.join("ransomware-file-server.ron"),
    )
    .unwrap();
    std::fs::write(
        org.join("decisions/broken.ron"),
        "Decisions(scenario: \"ransomware-file-server\", steps: [Step(at: 1, intent: AssignAction(action: \"nope\", role: \"soc\"))])",
    )
    .unwrap();
    let (code, out, err) = exec(&validate(vec![org], Format::Text), Some(&matrix_path()));
    assert_eq!(code, EXIT_INVALID, "{out}");
    assert!(err.contains("decisions/broken.ron"), "{err}");
}

#[test]
fn list_prints_every_scenario() {
    let (code, out, _) = exec(
        &Command::List {
            paths: vec![scenarios_dir()],
            format: Format::Json,
        },
        Some(&matrix_path()),
    );
    assert_eq!(code, EXIT_OK);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let row = rows
        .iter()
        .find(|r| r["id"] == "ransomware-file-server")
        .unwrap();
    assert_eq!(row["duration_mins"], 60);
    assert_eq!(row["difficulty"], "Intermediate");
    assert_eq!(row["injects"], 10);
    assert_eq!(row["modes"].as_array().unwrap().len(), 3);
}

#[test]
fn play_prints_scorecard_and_exits_0() {
    let script = fixtures_dir().join("ransomware-file-server/exemplary.ron");
    let (code, out, err) = exec(
        &play_cmd("ransomware-file-server", script.clone(), Format::Text),
        Some(&matrix_path()),
    );
    assert_eq!(code, EXIT_OK, "{err}");
    assert!(out.contains("TOTAL 100/100"), "{out}");
    let (code, out, _) = exec(
        &play_cmd("ransomware-file-server", script, Format::Json),
        Some(&matrix_path()),
    );
    assert_eq!(code, EXIT_OK);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["scenario"], "ransomware-file-server");
    assert_eq!(json["seed"], 4);
}

#[test]
fn play_invalid_script_exits_1_with_location() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("bad.ron");
    std::fs::write(
        &script,
        "Decisions(\n  scenario: \"ransomware-file-server\",\n  steps: [\n    Step(at: 5, intent: Advance(minutes: 1)),\n    Step(at: 2, intent: DeclareIncident(by: \"ir_manager\")),\n  ],\n)",
    )
    .unwrap();
    let (code, _, err) = exec(
        &play_cmd("ransomware-file-server", script, Format::Text),
        Some(&matrix_path()),
    );
    assert_eq!(code, EXIT_INVALID);
    assert!(err.contains("bad.ron:5:10"), "{err}");
    assert!(err.contains("clock is already at minute 6"), "{err}");
}

#[test]
fn play_rejected_intent_exits_1_naming_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("unknown-role.ron");
    std::fs::write(
        &script,
        "Decisions(scenario: \"ransomware-file-server\", steps: [\n  Step(at: 1, intent: AssignAction(action: \"triage-fs01\", role: \"janitor\")),\n])",
    )
    .unwrap();
    let (code, _, err) = exec(
        &play_cmd("ransomware-file-server", script, Format::Text),
        Some(&matrix_path()),
    );
    assert_eq!(code, EXIT_INVALID);
    assert!(err.contains("unknown-role.ron:2:8"), "{err}");
    assert!(err.contains("no role `janitor`"), "{err}");
}

#[test]
fn play_unknown_scenario_is_a_usage_error() {
    let script = fixtures_dir().join("ransomware-file-server/exemplary.ron");
    let (code, _, err) = exec(
        &play_cmd("no-such-scenario", script, Format::Text),
        Some(&matrix_path()),
    );
    assert_eq!(code, EXIT_USAGE);
    assert!(err.contains("no scenario `no-such-scenario`"), "{err}");
}

#[test]
fn play_saves_a_log_that_replay_rescored_identically() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("session.ron");
    let script = fixtures_dir().join("customer-data-exfiltration/legal-too-late.ron");
    let cmd = play_saving_log("customer-data-exfiltration", script, &log);
    let (code, played, _) = exec(&cmd, Some(&matrix_path()));
    assert_eq!(code, EXIT_OK);
    let replay = Command::Replay {
        log,
        scenarios: Some(scenarios_dir()),
        format: Format::Json,
    };
    let (code, replayed, err) = exec(&replay, Some(&matrix_path()));
    assert_eq!(code, EXIT_OK, "{err}");
    assert_eq!(played, replayed);
}

/// An output that is not a regular file is refused before anything is written: a named pipe
/// with no reader would otherwise hold `play --save-log` forever.
#[test]
fn play_refuses_to_save_its_log_into_a_pipe_or_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let pipe = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo").arg(&pipe).status();
    let mut targets = vec![dir.path().to_path_buf()];
    if made.is_ok_and(|s| s.success()) {
        targets.push(pipe);
    }
    for target in targets {
        let mut cmd = play_cmd(
            "maintenance-window-false-alarm",
            fixtures_dir().join("maintenance-window-false-alarm/exemplary.ron"),
            Format::Json,
        );
        if let Command::Play { save_log, .. } = &mut cmd {
            *save_log = Some(target.clone());
        }
        let (code, _, err) = exec(&cmd, Some(&matrix_path()));
        assert_eq!(code, EXIT_USAGE, "{}", target.display());
        assert!(err.contains("not a regular file"), "{err}");
    }
}

#[test]
fn replay_of_a_corrupt_log_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("corrupt.ron");
    std::fs::write(
        &log,
        "SessionLog(format_version: 1, scenario: \"ransomware-file-server\", matrix: ",
    )
    .unwrap();
    let (code, _, err) = exec(
        &Command::Replay {
            log,
            scenarios: Some(scenarios_dir()),
            format: Format::Text,
        },
        Some(&matrix_path()),
    );
    assert_eq!(code, EXIT_INVALID);
    assert!(err.contains("corrupt.ron:1:"), "{err}");
}

#[test]
fn the_binary_rejects_bad_arguments_with_exit_2() {
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args(["validate", "--format", "yaml"])
        .output()
        .unwrap();
    assert_eq!(status.status.code(), Some(2));
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_warroom"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["validate"])
        .output()
        .unwrap();
    assert_eq!(
        status.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
}

mod launch {
    use clap::Parser as _;
    use warroom::cli::{AppRequest, Cli, Launch};
    use warroom::engine::exercise::ExerciseRecord;
    use warroom::engine::model::scenario::Mode;
    use warroom::engine::{Intent, Session};

    use crate::support::{matrix, scenario};

    fn launch(args: &[&str], app_built_in: bool) -> Launch {
        let command_line = std::iter::once("warroom").chain(args.iter().copied());
        Cli::try_parse_from(command_line)
            .unwrap()
            .launch(app_built_in)
    }

    /// Saves one exercise into `dir`, ended or not.
    fn saved(dir: &std::path::Path, id: &str, ended: bool) -> std::path::PathBuf {
        let mut session = Session::new(scenario("ransomware-file-server"), matrix(), 0);
        session.apply(Intent::Advance { minutes: 1 }).unwrap();
        if ended {
            session.apply(Intent::EndExercise).unwrap();
        }
        let record = ExerciseRecord::new(id, Mode::Drill, 1, &session);
        let path = warroom::store::saves::path_of(dir, id);
        warroom::store::saves::save_atomic(&record, &path).unwrap();
        path
    }

    #[test]
    fn no_command_opens_the_app_with_what_the_command_line_asks() {
        let expected = AppRequest {
            scenario: Some("journalist-calls".into()),
            mode: Some(Mode::Drill),
            seed: Some(7),
            matrix: Some("my-plan.ron".into()),
            ..AppRequest::default()
        };
        assert_eq!(
            launch(
                &[
                    "--scenario",
                    "journalist-calls",
                    "--mode",
                    "drill",
                    "--seed",
                    "7",
                    "--matrix",
                    "my-plan.ron"
                ],
                true
            ),
            Launch::App(expected)
        );
        assert_eq!(launch(&["list"], true), Launch::Headless);
    }

    #[test]
    fn resume_opens_the_app_on_the_latest_unfinished_save_only() {
        let dir = tempfile::tempdir().unwrap();
        let saves = dir.path().to_str().unwrap();
        // Nothing to resume: the headless command says so.
        assert_eq!(
            launch(&["resume", "--saves", saves], true),
            Launch::Headless
        );
        saved(dir.path(), "finished", true);
        assert_eq!(
            launch(&["resume", "--saves", saves], true),
            Launch::Headless
        );
        let open = saved(dir.path(), "open", false);
        let Launch::App(request) = launch(&["resume", "--saves", saves], true) else {
            panic!("an unfinished save opens the app");
        };
        assert_eq!(request.resume, Some(open.clone()));
        // Checking or listing only prints, and so does a build without the app.
        for args in [
            &["resume", "--saves", saves, "--check"][..],
            &["resume", "--saves", saves, "--list"][..],
        ] {
            assert_eq!(launch(args, true), Launch::Headless);
        }
        assert_eq!(
            launch(&["resume", "--saves", saves], false),
            Launch::Headless
        );
        // A save named by id opens that one.
        let Launch::App(request) = launch(&["resume", "open", "--saves", saves], true) else {
            panic!("a named save opens the app");
        };
        assert_eq!(request.resume, Some(open));
    }
}

fn play_into(saves: &Path, id: &str, replace: bool) -> Command {
    let mut cmd = play_cmd(
        "ransomware-file-server",
        fixtures_dir().join("ransomware-file-server/exemplary.ron"),
        Format::Json,
    );
    if let Command::Play {
        session,
        saves: dir,
        replace: r,
        ..
    } = &mut cmd
    {
        *session = Some(id.to_owned());
        *dir = Some(saves.to_path_buf());
        *r = replace;
    }
    cmd
}

#[test]
fn session_ids_are_checked_and_saves_are_never_silently_replaced() {
    let root = tempfile::tempdir().unwrap();
    let saves = root.path().join("saves");
    std::fs::create_dir(&saves).unwrap();
    // Ids that would escape the folder, hide the file or mean nothing.
    for id in ["../escaped", "", ".hidden", "a/b", "x".repeat(101).as_str()] {
        let (code, _, err) = exec(&play_into(&saves, id, false), Some(&matrix_path()));
        assert_eq!(code, EXIT_USAGE, "{id:?}: {err}");
        assert!(err.contains("session id"), "{id:?}: {err}");
    }
    assert!(!root.path().join("escaped.ron").exists());
    assert_eq!(std::fs::read_dir(&saves).unwrap().count(), 0);

    // A damaged save is never overwritten, even when asked to replace.
    let victim = saves.join("victim.ron");
    std::fs::write(&victim, "ExerciseRecord(garbage").unwrap();
    for replace in [false, true] {
        let (code, _, err) = exec(&play_into(&saves, "victim", replace), Some(&matrix_path()));
        assert_eq!(code, EXIT_USAGE, "{err}");
        assert!(err.contains("cannot be read"), "{err}");
    }
    assert_eq!(
        std::fs::read_to_string(&victim).unwrap(),
        "ExerciseRecord(garbage"
    );

    // A healthy save is replaced only with --replace.
    let (code, _, err) = exec(&play_into(&saves, "mine", false), Some(&matrix_path()));
    assert_eq!(code, EXIT_OK, "{err}");
    let (code, _, err) = exec(&play_into(&saves, "mine", false), Some(&matrix_path()));
    assert_eq!(code, EXIT_USAGE, "{err}");
    assert!(err.contains("--replace"), "{err}");
    let (code, _, err) = exec(&play_into(&saves, "mine", true), Some(&matrix_path()));
    assert_eq!(code, EXIT_OK, "{err}");

    // An id that names a file would be saved as `x.ron.ron`: refused, saying what to write.
    let (code, _, err) = exec(&play_into(&saves, "x.ron", false), Some(&matrix_path()));
    assert_eq!(code, EXIT_USAGE, "{err}");
    assert!(err.contains("leave out `.ron` (`x`)"), "{err}");
    assert!(!saves.join("x.ron.ron").exists());
}

#[test]
fn a_copied_save_is_listed_under_the_id_resume_opens_it_by() {
    use warroom::cli::ResumeArgs;
    let root = tempfile::tempdir().unwrap();
    let saves = root.path().join("saves");
    std::fs::create_dir(&saves).unwrap();
    let (code, _, err) = exec(&play_into(&saves, "original", false), Some(&matrix_path()));
    assert_eq!(code, EXIT_OK, "{err}");
    std::fs::copy(saves.join("original.ron"), saves.join("copy.ron")).unwrap();
    let list = ResumeArgs {
        session: None,
        saves: Some(saves.clone()),
        check: false,
        list: true,
        format: Format::Json,
    };
    let (_, out, err) = exec(&Command::Resume(list.clone()), Some(&matrix_path()));
    let rows: Vec<serde_json::Value> =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    let copy = rows
        .iter()
        .find(|r| r["id"] == "copy")
        .expect("listed as `copy`");
    assert_eq!(copy["recorded_id"], "original");
    // And that id opens it.
    let check = ResumeArgs {
        session: Some("copy".into()),
        check: true,
        list: false,
        ..list
    };
    let (code, _, err) = exec(&Command::Resume(check), Some(&matrix_path()));
    assert_eq!(code, EXIT_OK, "{err}");
}

#[test]
fn validate_with_no_data_file_fails_and_says_where_it_looked() {
    let dir = tempfile::tempdir().unwrap();
    let named_like_a_file = dir.path().join("x.ron");
    std::fs::create_dir(&named_like_a_file).unwrap();
    for path in [dir.path().to_path_buf(), named_like_a_file] {
        let (code, out, err) = exec(
            &validate(vec![path.clone()], Format::Text),
            Some(&matrix_path()),
        );
        assert_eq!(code, EXIT_INVALID, "{out}");
        assert!(err.contains("no data file found in"), "{err}");
        assert!(err.contains(&path.display().to_string()), "{err}");
    }
}

#[test]
fn validate_plays_decisions_scripts_and_replays_session_logs() {
    let dir = tempfile::tempdir().unwrap();
    let exemplary = fixtures_dir().join("ransomware-file-server/exemplary.ron");
    let text = std::fs::read_to_string(&exemplary).unwrap();
    let garbage = dir.path().join("garbage.ron");
    std::fs::write(&garbage, "Decisions(garbage").unwrap();
    let wrong_role = dir.path().join("wrong-role.ron");
    std::fs::write(
        &wrong_role,
        text.replacen("role: \"soc\"", "role: \"socc\"", 1),
    )
    .unwrap();
    let (code, out, err) = exec(
        &validate(vec![garbage, wrong_role.clone()], Format::Text),
        Some(&matrix_path()),
    );
    assert_eq!(code, EXIT_INVALID, "{out}");
    assert!(err.contains("garbage.ron:1:"), "{err}");
    assert!(err.contains("no role `socc`"), "{err}");
    assert!(err.contains("wrong-role.ron:"), "{err}");

    // A sound script and the log of its run are checked and listed.
    let log = dir.path().join("log.ron");
    let play = play_saving_log("ransomware-file-server", exemplary.clone(), &log);
    assert_eq!(exec(&play, Some(&matrix_path())).0, EXIT_OK);
    let (code, out, err) = exec(
        &validate(vec![exemplary, log.clone()], Format::Text),
        Some(&matrix_path()),
    );
    assert_eq!(code, EXIT_OK, "{err}");
    assert!(
        out.contains("(decisions script for `ransomware-file-server`)"),
        "{out}"
    );
    assert!(
        out.contains("(session log for `ransomware-file-server`)"),
        "{out}"
    );
    // A log whose events no longer match is caught.
    let tampered = std::fs::read_to_string(&log)
        .unwrap()
        .replacen("seed: ", "seed: 9", 1);
    std::fs::write(&log, &tampered).unwrap();
    let (code, _, err) = exec(
        &validate(vec![log.clone()], Format::Text),
        Some(&matrix_path()),
    );
    assert_eq!(code, EXIT_INVALID);
    assert!(err.contains("log-does-not-replay"), "{err}");
    // Located at the entry that stops matching (another seed draws other variations).
    let entry: usize = err
        .split("entry ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    let at = tampered.match_indices("intent:").nth(entry - 1).unwrap().0;
    let (line, column) = warroom::engine::content::load::line_col(&tampered, at);
    assert!(err.contains(&format!("log.ron:{line}:{column}")), "{err}");
    // `replay` locates the same entry, where it used to say only "entry N".
    let replay = Command::Replay {
        log: log.clone(),
        scenarios: None,
        format: Format::Text,
    };
    let (code, _, replay_err) = exec(&replay, Some(&matrix_path()));
    assert_eq!(code, EXIT_INVALID);
    assert!(
        replay_err.contains(&format!("log.ron:{line}:{column}")),
        "{replay_err}"
    );
}

#[test]
fn resume_list_shows_the_state_resume_check_would_report() {
    use warroom::cli::ResumeArgs;
    use warroom::engine::exercise::ExerciseRecord;
    use warroom::engine::model::scenario::Mode;
    use warroom::engine::{Intent, Session};
    use warroom::store::saves;

    let dir = tempfile::tempdir().unwrap();
    let mut session = Session::new(
        crate::support::scenario("ransomware-file-server"),
        crate::support::matrix(),
        0,
    );
    session.apply(Intent::Advance { minutes: 3 }).unwrap();
    let write = |id: &str, edit: &dyn Fn(String) -> String| {
        let record = ExerciseRecord::new(id, Mode::Drill, 1, &session);
        let text = edit(saves::to_ron(&record).unwrap());
        std::fs::write(saves::path_of(dir.path(), id), text).unwrap();
    };
    write("healthy", &|t| t);
    // The recorded event says the clock reached T+4 where replaying the intent gives T+3.
    write("diverged", &|t| t.replacen("minute: 3,", "minute: 4,", 1));
    write("orphan", &|t| {
        t.replace("\"ransomware-file-server\"", "\"no-such-scenario\"")
    });
    std::fs::write(saves::path_of(dir.path(), "damaged"), "ExerciseRecord(").unwrap();
    let args = ResumeArgs {
        session: None,
        saves: Some(dir.path().to_path_buf()),
        check: false,
        list: true,
        format: Format::Json,
    };
    let (code, out, err) = exec(&Command::Resume(args.clone()), Some(&matrix_path()));
    assert_eq!(code, EXIT_OK, "{err}");
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let state = |id: &str| {
        rows.iter()
            .find(|r| {
                r["id"] == id
                    || r["path"]
                        .as_str()
                        .is_some_and(|p| p.ends_with(&format!("{id}.ron")))
            })
            .map(|r| r["state"].as_str().unwrap().to_owned())
            .unwrap()
    };
    assert_eq!(state("healthy"), "resumable");
    assert_eq!(state("diverged"), "cannot_resume");
    assert_eq!(state("orphan"), "cannot_resume");
    assert_eq!(state("damaged"), "damaged");
    // And each agrees with --check.
    for (id, ok) in [("healthy", true), ("diverged", false), ("orphan", false)] {
        let check = ResumeArgs {
            session: Some(id.into()),
            check: true,
            list: false,
            ..args.clone()
        };
        let (code, _, _) = exec(&Command::Resume(check), Some(&matrix_path()));
        assert_eq!(code == EXIT_OK, ok, "{id}");
    }
    let text = ResumeArgs {
        format: Format::Text,
        ..args
    };
    let (_, out, _) = exec(&Command::Resume(text), Some(&matrix_path()));
    assert!(out.contains("CANNOT RESUME diverged"), "{out}");
    // `--check` locates the entry that no longer replays inside the save.
    let diverged = std::fs::read_to_string(saves::path_of(dir.path(), "diverged")).unwrap();
    let at = diverged.match_indices("intent:").next().unwrap().0;
    let (line, column) = warroom::engine::content::load::line_col(&diverged, at);
    let check = ResumeArgs {
        session: Some("diverged".into()),
        saves: Some(dir.path().to_path_buf()),
        check: true,
        list: false,
        format: Format::Text,
    };
    let (_, _, err) = exec(&Command::Resume(check), Some(&matrix_path()));
    assert!(
        err.contains(&format!("diverged.ron:{line}:{column}")),
        "{err}"
    );
    assert!(out.contains("DAMAGED "), "{out}");
}

#[test]
fn every_error_of_a_script_is_reported_at_once_with_suggestions() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("several.ron");
    std::fs::write(
        &script,
        "Decisions(scenario: \"ransomware-file-server\", steps: [
  Step(at: 1, intent: AssignAction(action: \"triage-fs01\", role: \"scc\")),
  Step(at: 2, intent: AssignAction(action: \"image-fs01\", role: \"soc\")),
  Step(at: 3, intent: Escalate(from: \"soc\", to: [\"legl\"])),
  Step(at: 2, intent: ClassifySeverity(level: 2, by: \"soc\")),
])",
    )
    .unwrap();
    for command in [
        play_cmd("ransomware-file-server", script.clone(), Format::Text),
        validate(vec![script.clone()], Format::Text),
    ] {
        let (code, _, err) = exec(&command, Some(&matrix_path()));
        assert_eq!(code, EXIT_INVALID, "{err}");
        // Four steps, four errors, each at its own step.
        assert!(err.contains("several.ron:2:8"), "{err}");
        assert!(err.contains("`scc`: did you mean `soc`?"), "{err}");
        assert!(err.contains("several.ron:3:8"), "{err}");
        assert!(
            err.contains("inject `ransom-note` (“Ransom note and spreading encryption”), which carries it, comes at T+10; the clock is at T+02"),
            "{err}"
        );
        assert!(err.contains("several.ron:4:8"), "{err}");
        assert!(err.contains("`legl`: did you mean `legal`?"), "{err}");
        assert!(err.contains("several.ron:5:8"), "{err}");
        assert!(err.contains("clock is already at minute 3"), "{err}");
    }
}

#[test]
fn validate_with_only_a_matrix_checks_it_and_says_what_shipped_content_it_can_play() {
    let dir = tempfile::tempdir().unwrap();
    let own = dir.path().join("my-plan.ron");
    let reference = std::fs::read_to_string(matrix_path()).unwrap();
    std::fs::write(&own, reference.replace("\"it_ops\"", "\"it_team\"")).unwrap();
    let (code, out, err) = exec(&validate(vec![], Format::Text), Some(&own));
    assert_eq!(code, EXIT_OK, "{err}");
    assert!(
        err.is_empty(),
        "nothing the author did not write is an error: {err}"
    );
    assert!(out.contains("ok      "), "{out}");
    assert!(
        out.contains(
            "not with it: ransomware-file-server.ron (it needs role `it_ops` the matrix lacks)"
        ),
        "{out}"
    );
    assert!(out.contains("warroom validate --matrix"), "{out}");

    // The matrix's own problems are errors, located in it.
    let broken = reference.replacen("responsible: [\"soc\"]", "responsible: []", 1);
    std::fs::write(&own, &broken).unwrap();
    let (code, out, err) = exec(&validate(vec![], Format::Text), Some(&own));
    assert_eq!(code, EXIT_INVALID, "{out}");
    assert!(err.contains("my-plan.ron:"), "{err}");
    assert!(err.contains("task-without-responsible"), "{err}");
    assert!(!err.contains("scenarios/"), "{err}");
}

#[test]
fn a_folder_with_its_own_matrix_is_checked_against_it() {
    let dir = tempfile::tempdir().unwrap();
    let rename = |path: PathBuf| {
        std::fs::read_to_string(path)
            .unwrap()
            .replace("\"pr_comms\"", "\"comms\"")
    };
    std::fs::write(
        dir.path().join("responsibilities.ron"),
        rename(matrix_path()),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("journalist-calls.ron"),
        rename(scenarios_dir().join("journalist-calls.ron")),
    )
    .unwrap();
    let (code, out, err) = exec(
        &validate(vec![dir.path().to_path_buf()], Format::Text),
        None,
    );
    assert_eq!(code, EXIT_OK, "{err}");
    assert!(out.contains("(scenario `journalist-calls`)"), "{out}");
    // Against the reference matrix the renamed role is unknown.
    let (code, _, err) = exec(
        &validate(vec![dir.path().to_path_buf()], Format::Text),
        Some(&matrix_path()),
    );
    assert_eq!(code, EXIT_INVALID);
    assert!(err.contains("unknown role `comms`"), "{err}");
}
