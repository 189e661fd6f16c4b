//! `warroom quiz` and `warroom progress` end to end, in-process with scripted input.

use std::path::Path;

use warroom::cli::{
    Command, EXIT_OK, EXIT_USAGE, Format, ProgressArgs, QuizArgs, run, run_interactive,
};

use crate::support::matrix_path;

fn quiz_args(db: &Path, sets: &[&str], count: usize, seed: u64) -> QuizArgs {
    QuizArgs {
        sets: sets.iter().map(|s| (*s).to_owned()).collect(),
        count,
        seed: Some(seed),
        profile: Some("ana".to_owned()),
        db: Some(db.to_path_buf()),
        no_record: false,
        content: None,
    }
}

fn quiz(args: QuizArgs, input: &str) -> (u8, String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run_interactive(
        &Command::Quiz(args),
        Some(&matrix_path()),
        &mut input.as_bytes(),
        &mut out,
        &mut err,
    );
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

fn progress_json(db: &Path) -> serde_json::Value {
    let (code, out, err) = progress(db);
    assert_eq!(code, EXIT_OK, "{err}");
    serde_json::from_str(&out).unwrap()
}

/// `warroom progress --format json` on `db`: exit code, standard output, standard error.
fn progress(db: &Path) -> (u8, String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let args = ProgressArgs {
        profile: Some("ana".to_owned()),
        db: Some(db.to_path_buf()),
        content: None,
        format: Format::Json,
    };
    let code = run(
        &Command::Progress(args),
        Some(&matrix_path()),
        &mut out,
        &mut err,
    );
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

fn recorded_db(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("progress.sqlite3");
    let (code, _, err) = quiz(quiz_args(&db, &["evidence"], 2, 3), "1\n\n1\n\n");
    assert_eq!(code, EXIT_OK, "{err}");
    db
}

#[test]
fn reading_progress_writes_nothing_even_while_another_program_reads() {
    let dir = tempfile::tempdir().unwrap();
    let db = recorded_db(dir.path());
    let before = std::fs::read(&db).unwrap();
    // Another program holds a read lock for the whole time.
    let holder = rusqlite::Connection::open(&db).unwrap();
    holder
        .execute_batch("BEGIN; SELECT count(*) FROM profiles;")
        .unwrap();
    let report = progress_json(&db);
    assert_eq!(report["answers"], 2);
    // Another learner's report: empty, and the learner is not written in.
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let args = ProgressArgs {
        profile: Some("ben".to_owned()),
        db: Some(db.clone()),
        content: None,
        format: Format::Json,
    };
    assert_eq!(
        run(
            &Command::Progress(args),
            Some(&matrix_path()),
            &mut out,
            &mut err
        ),
        EXIT_OK
    );
    holder.execute_batch("COMMIT").unwrap();
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "reading changed the file"
    );
    let names: Vec<String> = holder
        .prepare("SELECT name FROM profiles")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(names, ["ana"]);
}

#[test]
fn nothing_recorded_yet_is_said_and_nothing_is_created() {
    let dir = tempfile::tempdir().unwrap();
    // No file; an empty file; a link to a file that does not exist.
    let missing = dir.path().join("none.sqlite3");
    let empty = dir.path().join("empty.sqlite3");
    std::fs::write(&empty, b"").unwrap();
    let target = dir.path().join("elsewhere").join("target.sqlite3");
    let link = dir.path().join("link.sqlite3");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    for db in [&missing, &empty, &link] {
        let (code, out, err) = progress(db);
        assert_eq!(code, EXIT_OK, "{err}");
        assert!(err.contains("nothing recorded yet"), "{err}");
        let report: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            (report["runs"].as_u64(), report["answers"].as_u64()),
            (Some(0), Some(0))
        );
    }
    assert!(!missing.exists());
    assert_eq!(std::fs::read(&empty).unwrap(), b"");
    assert!(!target.exists() && !target.parent().unwrap().exists());
    // Recording through the dangling link is refused rather than creating its target.
    let (code, _, err) = quiz(quiz_args(&link, &["evidence"], 1, 3), "1\n\n");
    assert_eq!(code, EXIT_OK, "{err}");
    assert!(err.contains("does not exist; nothing was created"), "{err}");
    assert!(!target.exists());
}

#[test]
fn foreign_and_strange_schema_versions_get_the_promised_message() {
    for (what, setup) in [
        ("user_version -1", "PRAGMA user_version = -1;"),
        (
            "user_version 2 without our tables",
            "CREATE TABLE recipes (name TEXT); PRAGMA user_version = 2;",
        ),
        (
            "user_version 1 without our tables",
            "CREATE TABLE profiles (x); PRAGMA user_version = 1;",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("progress.sqlite3");
        rusqlite::Connection::open(&db)
            .unwrap()
            .execute_batch(setup)
            .unwrap();
        let before = std::fs::read(&db).unwrap();
        let (code, _, err) = progress(&db);
        assert_ne!(code, EXIT_OK, "{what}");
        assert!(
            err.contains("not a Warroom progress database"),
            "{what}: {err}"
        );
        let (_, _, err) = quiz(quiz_args(&db, &["evidence"], 1, 3), "1\n\n");
        assert!(
            err.contains("not a Warroom progress database"),
            "{what}: {err}"
        );
        assert_eq!(std::fs::read(&db).unwrap(), before, "{what}: file changed");
    }
}

#[test]
fn missed_questions_return_in_the_sitting_and_lead_the_next_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.sqlite3");
    // Yes/no questions only (escalation has several), answered "no" throughout: some are wrong.
    let (code, out, err) = quiz(
        quiz_args(&db, &["communication"], 4, 3),
        &"9\n1\n".repeat(40),
    );
    assert_eq!(code, EXIT_OK, "{err}");
    assert!(
        out.contains("sitting 1, 4 questions (0 due for review), seed 3"),
        "{out}"
    );
    assert!(
        out.contains("Please answer with option numbers between 1 and"),
        "{out}"
    );
    assert!(out.contains("Why ("), "{out}");
    let missed = out.matches("Not quite.").count();
    assert!(missed > 0, "{out}");
    assert!(out.contains("(This question will come back later in this sitting.)"));
    let report = progress_json(&db);
    let first_tries = report["first_try_correct"][1].as_u64().unwrap();
    assert_eq!(first_tries, 4);
    let wrong_first = 4 - report["first_try_correct"][0].as_u64().unwrap();
    assert_eq!(report["due_questions"].as_u64().unwrap(), wrong_first);

    let (code, out, _) = quiz(quiz_args(&db, &["communication"], 4, 3), "q\n");
    assert_eq!(code, EXIT_OK);
    assert!(
        out.contains(&format!(
            "sitting 2, 4 questions ({wrong_first} due for review)"
        )),
        "{out}"
    );
    assert!(out.contains("Stopped. Answers so far are saved."), "{out}");
}

#[test]
fn same_seed_same_questions_and_unknown_set_is_a_usage_error() {
    let first_question = |seed| {
        let args = QuizArgs {
            no_record: true,
            ..quiz_args(Path::new("unused"), &[], 3, seed)
        };
        let (_, out, _) = quiz(args, "");
        out.lines()
            .find(|l| l.starts_with("── Question 1"))
            .map(str::to_owned)
            .zip(out.lines().nth(4).map(str::to_owned))
    };
    assert_eq!(first_question(11), first_question(11));
    let (code, _, err) = quiz(quiz_args(Path::new("unused"), &["nope"], 3, 1), "");
    assert_eq!(code, EXIT_USAGE);
    assert!(err.contains("unknown question set `nope`"), "{err}");
}

#[test]
fn a_corrupt_database_does_not_stop_the_quiz_or_get_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.sqlite3");
    std::fs::write(&db, "not a database at all, sorry ".repeat(100)).unwrap();
    let before = std::fs::read(&db).unwrap();
    let (code, out, err) = quiz(quiz_args(&db, &["evidence"], 2, 1), "1\n1\n1\n1\n1\n1\n");
    assert_eq!(code, EXIT_OK);
    assert!(err.contains("damaged or not a database"), "{err}");
    assert!(err.contains("will not be recorded"), "{err}");
    assert!(out.contains("Sitting over"), "{out}");
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

/// Runs the real binary (the terminal width comes from the environment) with scripted answers.
fn quiz_at_width(columns: u16) -> String {
    let output = crate::support::run_with_input(
        std::process::Command::new(env!("CARGO_BIN_EXE_warroom"))
            .args(["quiz", "--count", "4", "--seed", "7", "--no-record"])
            .env("COLUMNS", columns.to_string()),
        b"1\n2\n1\n2\n1\n2\nq\n",
    );
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn quiz_text_wraps_at_word_boundaries_to_the_terminal_width() {
    let narrow = quiz_at_width(40);
    let wide = quiz_at_width(200);
    for line in narrow.lines() {
        assert!(line.chars().count() <= 40, "too wide: {line:?}");
    }
    assert!(
        narrow.lines().count() > wide.lines().count(),
        "narrow output should wrap"
    );
    // Wrapping changes only where lines break, never a word.
    let words = |text: &str| {
        text.split_whitespace()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    assert_eq!(words(&narrow), words(&wide));
    assert!(narrow.contains("4 questions"), "{narrow}");
}
