//! Organisation records against a real learning record store: the Ralph LRS (`ralph-malph` 5.1.0,
//! file-system backend), started on a free port, and the real `warroom` binary pointed at it by an
//! `lrs.ron` in its data folder. Two fixtures and a quiz sitting reach the store; what waited while
//! the store was down arrives only once the outbox is drained; a second push sends nothing again;
//! `kill -9` in the middle of pushes loses nothing.
//!
//! `.ci/run` installs Ralph in `target/ralph-venv` and sets `WARROOM_REQUIRE_LRS=1`, so there a
//! missing Ralph fails the test. Elsewhere, without it, the test says so and stops.

use std::collections::{BTreeMap, BTreeSet};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use warroom::engine::exercise::ExerciseRecord;
use warroom::engine::scoring::score;
use warroom::engine::{Intent, session::Session};

use crate::support::{fixtures_dir, matrix, root, run_with_input, scenario};

const KEY: &str = "warroom-ci";
const SECRET: &str = "not-a-real-secret-7";

/// The Ralph virtual environment's `bin` folder, if Ralph is installed.
fn ralph_bin() -> Option<PathBuf> {
    let bin = std::env::var_os("WARROOM_RALPH_VENV")
        .map_or_else(|| root().join("target/ralph-venv"), PathBuf::from)
        .join("bin");
    bin.join("ralph").is_file().then_some(bin)
}

/// A Ralph LRS on loopback; stopped when dropped. Its statements survive a restart.
struct Ralph {
    bin: PathBuf,
    dir: tempfile::TempDir,
    port: u16,
    process: Option<Child>,
}

impl Ralph {
    fn start() -> Option<Self> {
        let Some(bin) = ralph_bin() else {
            assert!(
                std::env::var_os("WARROOM_REQUIRE_LRS").is_none(),
                "WARROOM_REQUIRE_LRS is set but Ralph is not installed in target/ralph-venv (see .ci/run)"
            );
            #[expect(clippy::print_stderr, reason = "says why the LRS test did nothing")]
            {
                eprintln!(
                    "LRS test skipped: no Ralph LRS in target/ralph-venv (python3 -m venv target/ralph-venv && target/ralph-venv/bin/pip install 'ralph-malph[lrs,cli]==5.1.0' requests)"
                );
            }
            return None;
        };
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("statements")).unwrap();
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut ralph = Self {
            bin,
            dir,
            port,
            process: None,
        };
        let made = ralph
            .command(&ralph.bin.join("ralph"))
            .args(["auth", "-u", KEY, "-p", SECRET, "-s", "all", "-w"])
            .args(["-M", "mailto:warroom-ci@example.org"])
            .output()
            .unwrap();
        assert!(
            made.status.success(),
            "{}",
            String::from_utf8_lossy(&made.stderr)
        );
        ralph.resume();
        Some(ralph)
    }

    fn command(&self, program: &Path) -> Command {
        let mut command = Command::new(program);
        command
            .env("RALPH_APP_DIR", self.dir.path().join("app"))
            .env("RALPH_AUTH_FILE", self.dir.path().join("auth.json"))
            .env("RALPH_RUNSERVER_BACKEND", "fs")
            .env(
                "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH",
                self.dir.path().join("statements"),
            );
        command
    }

    /// Starts (again) on the same port and statements.
    fn resume(&mut self) {
        let process = self
            .command(&self.bin.join("python"))
            .arg(root().join("tests/lrs/ralph_server.py"))
            .args(["127.0.0.1", &self.port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        self.process = Some(process);
        let deadline = Instant::now() + Duration::from_mins(1);
        loop {
            let up = ureq::get(&format!("http://127.0.0.1:{}/__heartbeat__", self.port)).call();
            if up.is_ok() {
                return;
            }
            assert!(Instant::now() < deadline, "Ralph did not start");
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    fn stop(&mut self) {
        if let Some(mut process) = self.process.take() {
            let _ = process.kill();
            let _ = process.wait();
        }
    }

    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}/xAPI/", self.port)
    }

    /// Every statement the store returns, following its `more` links.
    fn statements(&self) -> Vec<Value> {
        use base64::Engine as _;
        let auth = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{KEY}:{SECRET}"))
        );
        let mut out = Vec::new();
        let mut next = format!("{}statements?limit=100", self.endpoint());
        loop {
            let mut answer = ureq::get(&next)
                .header("Authorization", &auth)
                .header("X-Experience-API-Version", "1.0.3")
                .call()
                .unwrap();
            let page: Value =
                serde_json::from_str(&answer.body_mut().read_to_string().unwrap()).unwrap();
            out.extend(page["statements"].as_array().unwrap().iter().cloned());
            match page["more"].as_str().filter(|m| !m.is_empty()) {
                Some(more) => next = format!("http://127.0.0.1:{}{more}", self.port),
                None => return out,
            }
        }
    }
}

impl Drop for Ralph {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The `warroom` binary with its own data folder, pointed at `endpoint`.
struct Warroom {
    data: tempfile::TempDir,
}

impl Warroom {
    fn new(endpoint: &str) -> Self {
        let data = tempfile::tempdir().unwrap();
        std::fs::write(
            data.path().join("lrs.ron"),
            format!("Lrs(endpoint: {endpoint:?}, key: {KEY:?}, secret: {SECRET:?})\n"),
        )
        .unwrap();
        Self { data }
    }

    fn db(&self) -> PathBuf {
        self.data.path().join("progress.sqlite3")
    }

    fn saves(&self) -> PathBuf {
        self.data.path().join("saves")
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_warroom"));
        command
            .current_dir(root())
            .env("WARROOM_DATA_DIR", self.data.path())
            .env_remove("WARROOM_LRS_ENDPOINT")
            .env_remove("WARROOM_LRS_KEY")
            .env_remove("WARROOM_LRS_SECRET")
            .args(args);
        command
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    /// Plays `script` of `scenario` as exercise `id`, recorded for `ana`.
    fn play(&self, scenario: &str, script: &str, id: &str) -> Output {
        let decisions = fixtures_dir().join(scenario).join(format!("{script}.ron"));
        let saves = self.saves();
        let db = self.db();
        self.run(&[
            "play",
            scenario,
            "--decisions",
            decisions.to_str().unwrap(),
            "--record",
            "ana",
            "--db",
            db.to_str().unwrap(),
            "--session",
            id,
            "--saves",
            saves.to_str().unwrap(),
        ])
    }

    /// A quiz sitting of three questions, answering the first option each time.
    fn quiz(&self) -> Output {
        let db = self.db();
        let mut quiz = self.command(&[
            "quiz",
            "--count",
            "3",
            "--seed",
            "5",
            "--profile",
            "ana",
            "--db",
            db.to_str().unwrap(),
        ]);
        run_with_input(&mut quiz, b"1\n1\n1\n1\n1\n1\n")
    }

    fn push(&self) -> Output {
        let db = self.db();
        let saves = self.saves();
        self.run(&[
            "lrs",
            "push",
            "--profile",
            "ana",
            "--db",
            db.to_str().unwrap(),
            "--saves",
            saves.to_str().unwrap(),
        ])
    }

    /// The saved exercise `id`, replayed.
    fn exercise(&self, id: &str) -> (ExerciseRecord, Session) {
        let path = self.saves().join(format!("{id}.ron"));
        let record = warroom::store::saves::load(&path).unwrap();
        let session = record
            .resume(scenario(record.log.scenario.as_str()), matrix())
            .unwrap();
        (record, session)
    }
}

fn text(output: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn verb(statement: &Value) -> &str {
    statement["verb"]["id"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
}

/// The statements of one exercise: those in its registration.
fn of_registration<'s>(statements: &'s [Value], completed_of: &Value) -> Vec<&'s Value> {
    let registration = &completed_of["context"]["registration"];
    statements
        .iter()
        .filter(|s| &s["context"]["registration"] == registration)
        .collect()
}

/// Checks exercise `id`'s statements in the store against its save: one launched, one completed
/// with the grade, one terminated, and one per graded choice of its log.
fn check_exercise(store: &[Value], warroom: &Warroom, id: &str) {
    let (record, session) = warroom.exercise(id);
    let card = score(&session);
    let scenario_iri_end = format!("/scenarios/{}", session.scenario().id);
    // The exercise's registration: the same for all its statements, and for no other exercise.
    let registration = warroom::interop::xapi::statement_id(&record.id, 0, "registration");
    let completed: Vec<&Value> = store
        .iter()
        .filter(|s| verb(s) == "completed")
        .filter(|s| s["context"]["registration"] == registration.as_str())
        .collect();
    assert_eq!(completed.len(), 1, "{id}: {completed:#?}");
    let completed = completed[0];
    assert!(
        completed["object"]["id"]
            .as_str()
            .unwrap()
            .ends_with(&scenario_iri_end)
    );
    let raw = completed["result"]["score"]["raw"].as_f64().unwrap();
    assert!((raw - f64::from(card.total)).abs() < 0.5, "{id}: {raw}");
    assert_eq!(completed["actor"]["account"]["name"], "ana");
    let mine = of_registration(store, completed);
    let count = |word: &str| mine.iter().filter(|s| verb(s) == word).count();
    assert_eq!(count("launched"), 1, "{id}");
    assert_eq!(count("terminated"), 1, "{id}");
    let choices = session
        .log()
        .entries
        .iter()
        .filter(|e| {
            matches!(
                e.intent,
                Intent::AssignAction { .. }
                    | Intent::Handoff(_)
                    | Intent::Escalate { .. }
                    | Intent::Communicate { .. }
            )
        })
        .count();
    assert!(choices > 5, "{id}: a natural play makes choices");
    assert_eq!(count("responded") + count("interacted"), choices, "{id}");
    assert_eq!(mine.len(), choices + 3, "{id}");
}

#[test]
fn exercises_and_answers_reach_the_store_once_even_after_it_was_down() {
    let Some(mut ralph) = Ralph::start() else {
        return;
    };
    let warroom = Warroom::new(&ralph.endpoint());

    let tested = warroom.run(&["lrs", "test"]);
    assert!(tested.status.success(), "{}", text(&tested));
    assert!(text(&tested).contains("The LRS works with Warroom."));
    // The test statement and its voiding: neither a learner's.
    let before = ralph.statements().len();
    assert_eq!(before, 2);

    // The first exercise is sent as soon as it is recorded.
    let played = warroom.play("ransomware-file-server", "natural", "first");
    assert!(played.status.success(), "{}", text(&played));
    assert!(
        text(&played).contains("statements sent"),
        "{}",
        text(&played)
    );
    let store = ralph.statements();
    check_exercise(&store, &warroom, "first");
    let after_first = store.len();

    // The store goes down: the second exercise and a quiz sitting wait in the outbox.
    ralph.stop();
    let played = warroom.play("customer-data-exfiltration", "legal-too-late", "second");
    assert!(played.status.success(), "{}", text(&played));
    assert!(
        text(&played).contains("wait in the outbox") && text(&played).contains("could not connect"),
        "{}",
        text(&played)
    );
    let sat = warroom.quiz();
    assert!(sat.status.success(), "{}", text(&sat));
    let db = warroom.db();
    let progress = warroom.run(&["progress", "--profile", "ana", "--db", db.to_str().unwrap()]);
    let shown = text(&progress);
    assert!(shown.contains("waiting"), "{shown}");
    assert!(shown.contains("last try failed"), "{shown}");
    assert!(!shown.contains(SECRET), "{shown}");
    let json = warroom.run(&[
        "progress",
        "--profile",
        "ana",
        "--db",
        db.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let json: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(json["outbox"]["waiting"].as_u64().unwrap() > 0, "{json}");
    assert!(
        json["outbox"]["last_error"]
            .as_str()
            .unwrap()
            .contains("could not connect")
    );

    // Back up: nothing new arrives by itself (no process is running to send it) …
    ralph.resume();
    assert_eq!(ralph.statements().len(), after_first);
    // … until the outbox is drained.
    let pushed = warroom.push();
    assert!(pushed.status.success(), "{}", text(&pushed));
    let store = ralph.statements();
    check_exercise(&store, &warroom, "first");
    check_exercise(&store, &warroom, "second");
    let answered: Vec<&Value> = store.iter().filter(|s| verb(s) == "answered").collect();
    assert_eq!(answered.len(), 3, "{}", text(&sat));
    for answer in &answered {
        assert!(answer["result"]["success"].is_boolean());
        assert!(
            answer["result"]["extensions"]
                .as_object()
                .unwrap()
                .keys()
                .any(|k| k.ends_with("/extensions/dimension"))
        );
    }

    // A second push sends nothing again, and no statement is there twice.
    let again = warroom.push();
    assert!(again.status.success(), "{}", text(&again));
    assert!(
        text(&again).contains("0 statements newly queued"),
        "{}",
        text(&again)
    );
    let store_again = ralph.statements();
    assert_eq!(store_again.len(), store.len());
    let ids: BTreeSet<&str> = store_again
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), store_again.len());
    // No statement names the secret.
    assert!(
        !serde_json::to_string(&store_again)
            .unwrap()
            .contains(SECRET)
    );

    // The organisation's report reads the same from the store as from the saves.
    let counts = "(1 learners, 2 finished exercises, 3 quiz answers)";
    for source in [
        &["--lrs"][..],
        &["--saves", warroom.saves().to_str().unwrap()][..],
    ] {
        let html = warroom.data.path().join("organisation.html");
        let mut args = vec!["report", "organisation", "-o", html.to_str().unwrap()];
        args.extend(["--db", db.to_str().unwrap()]);
        args.extend(source);
        let reported = warroom.run(&args);
        assert!(reported.status.success(), "{}", text(&reported));
        assert!(
            text(&reported).contains(counts),
            "{source:?}: {}",
            text(&reported)
        );
        let page = std::fs::read_to_string(&html).unwrap();
        assert!(page.contains("<svg"), "{source:?}");
        assert!(!page.contains(SECRET));
    }
}

#[test]
fn kill_9_during_pushes_loses_nothing_and_sends_nothing_twice() {
    let Some(ralph) = Ralph::start() else {
        return;
    };
    // Played with no store configured: the history is all there is to send.
    let warroom = Warroom::new(&ralph.endpoint());
    std::fs::remove_file(warroom.data.path().join("lrs.ron")).unwrap();
    for n in 0..6 {
        let played = warroom.play("ransomware-file-server", "natural", &format!("run-{n}"));
        assert!(played.status.success(), "{}", text(&played));
    }
    std::fs::write(
        warroom.data.path().join("lrs.ron"),
        format!(
            "Lrs(endpoint: {:?}, key: {KEY:?}, secret: {SECRET:?})\n",
            ralph.endpoint()
        ),
    )
    .unwrap();
    let push = || {
        warroom
            .command(&[
                "lrs",
                "push",
                "--profile",
                "ana",
                "--db",
                warroom.db().to_str().unwrap(),
                "--saves",
                warroom.saves().to_str().unwrap(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    // Killed while it reads the history and fills the outbox (a few milliseconds in) …
    for delay in [5, 15, 30] {
        let mut early = push();
        std::thread::sleep(Duration::from_millis(delay));
        early.kill().unwrap();
        early.wait().unwrap();
    }
    // … and between batches: watched, and killed as soon as some statements are sent and
    // others wait.
    let mut midway = 0;
    for _ in 0..20 {
        let mut pushing = push();
        let caught = loop {
            if let Some((sent, queued)) = outbox_counts(&warroom.db())
                && sent > 0
                && sent < queued
            {
                pushing.kill().unwrap();
                pushing.wait().unwrap();
                break true;
            }
            if pushing.try_wait().unwrap().is_some() {
                break false;
            }
            std::thread::sleep(Duration::from_millis(1));
        };
        if !caught {
            break;
        }
        midway += 1;
    }
    assert!(
        midway > 0,
        "no push was caught between its first and its last batch"
    );
    let last = warroom.push();
    assert!(last.status.success(), "{}", text(&last));
    assert!(text(&last).contains("0 waiting"), "{}", text(&last));
    let store = ralph.statements();
    let mut per_id: BTreeMap<&str, usize> = BTreeMap::new();
    for statement in &store {
        *per_id.entry(statement["id"].as_str().unwrap()).or_default() += 1;
    }
    assert!(per_id.values().all(|&n| n == 1), "a statement stored twice");
    for n in 0..6 {
        check_exercise(&store, &warroom, &format!("run-{n}"));
    }
}

/// Statements sent and queued in the outbox of `db`, once it has one.
fn outbox_counts(db: &Path) -> Option<(i64, i64)> {
    let conn = rusqlite::Connection::open(db).ok()?;
    conn.query_row("SELECT count(sent_at), count(*) FROM outbox", [], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })
    .ok()
}
