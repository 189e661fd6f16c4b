//! The progress database: creation, migrations, profiles, spaced-repetition cards, and the damaged,
//! locked, foreign and newer cases, which must be reported and leave the file untouched.

use std::path::Path;

use rusqlite::Connection;
use warroom::engine::Dimension;
use warroom::engine::content::library::Library;
use warroom::engine::learning::progress::Area;
use warroom::store::progress_db::{MIGRATIONS, SCHEMA_VERSION};
use warroom::store::{ProgressDb, StoreError};

use crate::support::{matrix_path, play, scenarios_dir};

fn library() -> Library {
    Library::load(&[scenarios_dir()], &matrix_path())
}

fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

#[test]
fn a_missing_database_is_created_with_its_folders() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deep/er/progress.sqlite3");
    let db = ProgressDb::open(&path, "ana").unwrap();
    assert!(path.is_file());
    assert_eq!(db.profile(), "ana");
    assert_eq!(db.next_sitting().unwrap(), 1);
    let conn = Connection::open(&path).unwrap();
    let version: u32 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
}

#[test]
fn runs_and_answers_are_kept_per_profile_and_feed_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sqlite3");
    let lib = library();
    let mut db = ProgressDb::open(&path, "ana").unwrap();
    let flawed = warroom::engine::score(&play(
        "ransomware-file-server",
        "soc-remediates-before-evidence",
    ));
    db.record_run(&flawed, "practice", 1_000).unwrap();
    let sitting = db.start_sitting(7, 2_000).unwrap();
    let (_, q) = lib.question("ev-first-ransomware-server").unwrap();
    let card = db.record_answer(sitting, q, false, true, 2_001).unwrap();
    assert_eq!(card.map(|c| c.level), Some(0));
    // A second asking in the same sitting is stored but does not move the card.
    assert_eq!(
        db.record_answer(sitting, q, true, false, 2_002).unwrap(),
        None
    );

    let report = db.report(&lib).unwrap();
    assert_eq!((report.runs, report.answers), (1, 2));
    assert_eq!(
        report.first_try_correct,
        warroom::engine::learning::tally::Tally { right: 0, asked: 1 }
    );
    let evidence = report
        .dimensions
        .iter()
        .find(|s| s.area == Area::Dimension(Dimension::Evidence))
        .unwrap();
    let scores: Vec<u32> = evidence.points.iter().map(|p| p.score).collect();
    assert_eq!(scores, [flawed.dimension(Dimension::Evidence).unwrap(), 0]);
    assert_eq!(report.weakest[0].area, Area::Dimension(Dimension::Evidence));
    assert_eq!(
        report.due_questions, 1,
        "the missed question is due next sitting"
    );
    assert!(report.suggestions.iter().any(|s| s.kind == "review"));
    assert!(
        report
            .suggestions
            .iter()
            .any(|s| s.kind == "question_set" && s.id == "evidence")
    );

    // Another learner starts from nothing; the first learner's data is still there.
    db.use_profile("ben").unwrap();
    assert_eq!(db.report(&lib).unwrap().runs, 0);
    assert_eq!(db.next_sitting().unwrap(), 1);
    drop(db);
    let db = ProgressDb::open(&path, "ana").unwrap();
    assert_eq!(db.runs().unwrap().len(), 1);
    // Ben only looked: nothing of Ben was written.
    assert_eq!(db.profiles().unwrap(), ["ana"]);
}

#[test]
fn a_version_1_database_is_migrated_without_losing_answers_and_backed_up() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite3");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.execute_batch(
            "INSERT INTO profiles (id, name, created_at) VALUES (1, 'ana', 5);
             INSERT INTO quiz_answers (profile_id, question, dimension, correct, answered_at)
                 VALUES (1, 'esc-insider', 'escalation', 1, 10), (1, 'ho-triage-informed', 'handoffs', 0, 11);
             INSERT INTO scenario_runs (id, profile_id, scenario, matrix, seed, mode, finished_at, total)
                 VALUES (1, 1, 'journalist-calls', 'reference', 0, 'practice', 20, 77);
             INSERT INTO run_dimensions VALUES (1, 'communication', 55);
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let before = bytes(&path);
    let db = ProgressDb::open(&path, "ana").unwrap();
    assert_eq!(
        bytes(&path.with_extension("v1.bak")),
        before,
        "backup of the old file"
    );
    let answers = db.answers().unwrap();
    assert_eq!(answers.len(), 2);
    assert!(answers.iter().all(|a| a.first_try && a.sitting == 0));
    let runs = db.runs().unwrap();
    assert_eq!(runs[0].dimensions.get(&Dimension::Communication), Some(&55));
    assert!(runs[0].roles.is_empty());
    // The new tables work on the migrated file.
    drop(db);
    let mut db = ProgressDb::open(&path, "ana").unwrap();
    assert_eq!(db.start_sitting(1, 30).unwrap(), 1);
}

fn assert_untouched(path: &Path, before: &[u8], result: Result<ProgressDb, StoreError>) -> String {
    let message = result.expect_err("must refuse").to_string();
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert_eq!(bytes(path), before, "file left as it was");
    message
}

#[test]
fn a_file_that_is_not_a_database_is_reported_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.sqlite3");
    std::fs::write(&path, b"these are my notes, not a database ".repeat(200)).unwrap();
    let before = bytes(&path);
    let message = assert_untouched(&path, &before, ProgressDb::open(&path, "ana"));
    assert!(message.contains("damaged or not a database"), "{message}");
}

#[test]
fn a_truncated_database_is_reported_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.sqlite3");
    {
        let mut db = ProgressDb::open(&path, "ana").unwrap();
        let lib = library();
        let (_, q) = lib.question("esc-insider").unwrap();
        for i in 0..200 {
            db.record_answer(1, q, i % 2 == 0, true, i).unwrap();
        }
    }
    let full = bytes(&path);
    std::fs::write(&path, &full[..full.len() / 2 + 100]).unwrap();
    let before = bytes(&path);
    let message = assert_untouched(&path, &before, ProgressDb::open(&path, "ana"));
    assert!(message.contains("damaged"), "{message}");
}

#[test]
fn a_database_from_a_newer_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.sqlite3");
    drop(ProgressDb::open(&path, "ana").unwrap());
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    let before = bytes(&path);
    let message = assert_untouched(&path, &before, ProgressDb::open(&path, "ana"));
    assert!(message.contains("newer Warroom"), "{message}");
}

#[test]
fn another_programs_sqlite_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.sqlite3");
    Connection::open(&path)
        .unwrap()
        .execute_batch("CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('soup');")
        .unwrap();
    let before = bytes(&path);
    let message = assert_untouched(&path, &before, ProgressDb::open(&path, "ana"));
    assert!(
        message.contains("not a Warroom progress database"),
        "{message}"
    );
}

#[test]
fn a_locked_database_is_reported_and_works_once_released() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.sqlite3");
    drop(ProgressDb::open(&path, "ana").unwrap());
    let holder = Connection::open(&path).unwrap();
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let error = ProgressDb::open(&path, "ana").expect_err("locked");
    assert!(matches!(error, StoreError::Locked { .. }), "{error:?}");
    assert!(
        error.to_string().contains("locked by another program"),
        "{error}"
    );
    holder.execute_batch("COMMIT").unwrap();
    assert!(ProgressDb::open(&path, "ana").is_ok());
}

#[test]
fn temporary_files_of_dead_processes_are_removed_and_a_live_ones_kept() {
    use warroom::store::saves;
    let dir = tempfile::tempdir().unwrap();
    // A pid far above any Linux pid_max: no such process.
    let dead = dir.path().join(".ex-1.ron.4294967.tmp");
    let alive = dir
        .path()
        .join(format!(".ex-2.ron.{}.tmp", std::process::id()));
    let other = dir.path().join(".notes.tmp");
    for file in [&dead, &alive, &other] {
        std::fs::write(file, "partial").unwrap();
    }
    assert!(saves::list(dir.path()).is_empty());
    assert!(!dead.exists(), "a dead process's temp file stays");
    assert!(alive.exists() && other.exists());
}
