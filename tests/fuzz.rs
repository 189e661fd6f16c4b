//! A mutation fuzzer over every kind of file Warroom reads: the shipped scenarios, matrix and question
//! sets, the decisions scripts under `tests/fixtures/`, and a session log and a saved exercise made
//! from them. Each mutated file goes through what the CLI and app do with it (validate, play to the
//! end, score, replay, resume) and must finish within 5 s, without a panic, and with every problem
//! inside the file located at a line and column.
//!
//! Runs on the stable toolchain as a plain test binary (`harness = false`):
//!
//! ```sh
//! cargo test --test fuzz                                              # the CI budget, 60 s
//! WARROOM_FUZZ_SECS=600 cargo test --release --no-default-features --test fuzz   # 10 minutes
//! WARROOM_FUZZ_SEED=7 …                                               # another sequence
//! ```
//!
//! Every input that ever failed is kept under `tests/fuzz/regressions/` and is replayed first on
//! every run; a new failure is written there (named by kind and a hash) for the fix to keep.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a test harness should fail loudly at the point of the problem, and report on the terminal"
)]

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash as _, Hasher as _};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use rand::{RngExt as _, SeedableRng as _};
use rand_chacha::ChaCha8Rng;
use warroom::cli::{Command, Format, ImportCommand, ResumeArgs};
use warroom::engine::content::library::Library;
use warroom::engine::content::load::{FileKind, Source};
use warroom::engine::content::script::{self, Decisions};
use warroom::engine::content::shipped;
use warroom::engine::diagnostic::{Code, Diagnostic};
use warroom::engine::exercise::ExerciseRecord;
use warroom::engine::model::scenario::Mode;
use warroom::engine::{Intent, Session, score};
use warroom::store::saves;

/// Longer than any file may take to go through everything.
const HANG: Duration = Duration::from_secs(5);
/// Problems that concern the whole file, not a place in it.
const WHOLE_FILE: [Code; 8] = [
    Code::UnreadableFile,
    Code::NotAFile,
    Code::FileTooLarge,
    Code::UnknownFileKind,
    Code::UnsupportedSave,
    Code::UnsafeWorkbook,
    Code::TooManyCells,
    Code::MissingSheet,
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Matrix,
    Content,
    Save,
    /// A sheet (CSV) for `warroom import raci`, `import msel` and `validate`.
    RaciSheet,
    /// A workbook (xlsx), RACI or MSEL, for the same.
    Workbook,
}

struct Seed {
    name: String,
    kind: Kind,
    bytes: Vec<u8>,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn regressions_dir() -> PathBuf {
    root().join("tests/fuzz/regressions")
}

fn ron_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    let mut out = Vec::new();
    for path in files {
        if path.is_dir() {
            out.extend(ron_files(&path));
        } else if path.extension().is_some_and(|x| x == "ron") {
            out.push(path);
        }
    }
    out
}

/// The shipped files, the fixture scripts, and a session log and saved exercise of a real run.
fn seeds() -> Vec<Seed> {
    let mut seeds = Vec::new();
    let files = ron_files(&root().join("scenarios"))
        .into_iter()
        .chain(ron_files(&root().join("tests/fixtures/decisions")));
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let kind = if text.contains("Matrix(") && path.ends_with("responsibilities.ron") {
            Kind::Matrix
        } else {
            Kind::Content
        };
        seeds.push(Seed {
            name: path.display().to_string(),
            kind,
            bytes: text.into(),
        });
    }
    let script_path = root().join("tests/fixtures/decisions/ransomware-file-server/exemplary.ron");
    let source = Source::read(&script_path).unwrap();
    let decisions: Decisions = source.parse().unwrap();
    let matrix = shipped::matrix();
    let scenario = shipped::scenario_with("ransomware-file-server", &matrix);
    let session = script::run(scenario, matrix, &decisions, 4, &source).unwrap();
    let log = ron::ser::to_string_pretty(
        session.log(),
        ron::ser::PrettyConfig::new().struct_names(true),
    )
    .unwrap();
    seeds.push(Seed {
        name: "session log".into(),
        kind: Kind::Content,
        bytes: log.into(),
    });
    for layout in [
        warroom::interop::raci::Layout::Wide,
        warroom::interop::raci::Layout::Long,
    ] {
        seeds.push(Seed {
            name: format!("RACI sheet ({layout:?})"),
            kind: Kind::RaciSheet,
            bytes: warroom::interop::raci::export_csv(&shipped::matrix(), layout).into(),
        });
        seeds.push(Seed {
            name: format!("plan workbook ({layout:?})"),
            kind: Kind::Workbook,
            bytes: warroom::interop::plan_workbook::export_workbook(&shipped::matrix(), layout)
                .unwrap(),
        });
    }
    // A derived plan, its base named by an absolute path so that it resolves from the fuzzer's
    // scratch folder.
    let patch = std::fs::read_to_string(root().join("tests/fixtures/plans/merged-desks.ron"))
        .unwrap()
        .replace(
            "../../../scenarios/responsibilities.ron",
            &shipped::matrix_path().display().to_string(),
        );
    seeds.push(Seed {
        name: "matrix patch".into(),
        kind: Kind::Matrix,
        bytes: patch.into(),
    });
    let ransomware = shipped::scenario("ransomware-file-server");
    seeds.push(Seed {
        name: "MSEL (CSV)".into(),
        kind: Kind::RaciSheet,
        bytes: warroom::interop::msel::export_csv(&ransomware, &shipped::matrix()).into(),
    });
    seeds.push(Seed {
        name: "MSEL workbook".into(),
        kind: Kind::Workbook,
        bytes: warroom::interop::msel::export_workbook(&ransomware, &shipped::matrix()).unwrap(),
    });
    let hseep = root().join("tests/fixtures/msel/clinic-ransomware-hseep.csv");
    seeds.push(Seed {
        name: hseep.display().to_string(),
        kind: Kind::RaciSheet,
        bytes: std::fs::read(&hseep).unwrap(),
    });
    let hand_made = root().join("tests/fixtures/plans/acme-raci.xlsx");
    seeds.push(Seed {
        name: hand_made.display().to_string(),
        kind: Kind::Workbook,
        bytes: std::fs::read(&hand_made).unwrap(),
    });
    let mut record = ExerciseRecord::new("fuzz", Mode::Facilitated, 1_700_000_000, &session);
    record.facilitator = "Dana".into();
    seeds.push(Seed {
        name: "saved exercise".into(),
        kind: Kind::Save,
        bytes: saves::to_ron(&record).unwrap().into(),
    });
    seeds
}

/// What the app and CLI do with a file of this kind; returns the diagnostics about it.
fn exercise(kind: Kind, path: &Path) -> Vec<Diagnostic> {
    let matrix_path = shipped::matrix_path();
    match kind {
        Kind::Matrix => {
            let library = Library::load(&[], path);
            if let Some(m) = &library.matrix {
                // Play a shipped scenario with the mutated matrix when it still fits.
                if let Ok(loaded) = warroom::engine::content::library::load_scenario(
                    &shipped::dir().join("ransomware-file-server.ron"),
                    &m.matrix,
                ) {
                    play_to_end(Session::new(loaded.scenario, m.matrix.clone(), 3));
                }
            }
            library.diagnostics().into_iter().cloned().collect()
        }
        Kind::Content => {
            let library = Library::load(&[path.to_path_buf()], &matrix_path);
            if let Some(m) = &library.matrix {
                for s in &library.scenarios {
                    play_to_end(Session::new(s.scenario.clone(), m.matrix.clone(), 3));
                }
            }
            let _ = library.questions().count();
            // What a trainer runs next on a file that loads, or not: the list, and a replay when
            // it is a session log.
            run_cli(&Command::List {
                paths: vec![path.to_path_buf()],
                format: Format::Text,
            });
            if library
                .scripts
                .iter()
                .any(|s| s.kind == FileKind::SessionLog)
            {
                run_cli(&Command::Replay {
                    log: path.to_path_buf(),
                    scenarios: Some(shipped::dir()),
                    format: Format::Text,
                });
            }
            library.diagnostics().into_iter().cloned().collect()
        }
        Kind::RaciSheet | Kind::Workbook => {
            run_cli(&Command::Import(ImportCommand::Raci {
                file: path.to_path_buf(),
                base: None,
                output: None,
                dry_run: true,
                format: Format::Text,
            }));
            run_cli(&Command::Validate {
                paths: vec![path.to_path_buf()],
                format: Format::Text,
            });
            match warroom::engine::content::load::read_bytes(path) {
                Err(d) => vec![d],
                Ok(bytes) => {
                    // The same file read as an MSEL, through each map that ships.
                    let mut problems = Vec::new();
                    for map in warroom::interop::msel_import::BUILTIN_MAPS {
                        let map = warroom::interop::msel_import::builtin_map(map).unwrap();
                        if let Err(found) = warroom::interop::msel_import::import_msel(
                            path,
                            &bytes,
                            &map,
                            &shipped::matrix(),
                            &warroom::interop::msel_import::MselOptions::default(),
                        ) {
                            problems.extend(found);
                        }
                    }
                    problems.extend(
                        match warroom::interop::raci::import_file(path, &bytes, &shipped::matrix())
                        {
                            Err(problems) => problems,
                            // What imports must be a matrix the validator can judge.
                            Ok(imported) => {
                                let text = ron::ser::to_string_pretty(
                                    &imported.matrix,
                                    ron::ser::PrettyConfig::new().struct_names(true),
                                )
                                .unwrap();
                                let _ = warroom::engine::content::validate::validate_matrix(
                                    &imported.matrix,
                                    Path::new("imported.ron"),
                                    &text,
                                );
                                Vec::new()
                            }
                        },
                    );
                    problems
                }
            }
        }
        Kind::Save => {
            if let (Some(dir), Some(id)) = (path.parent(), path.file_stem()) {
                let args = ResumeArgs {
                    session: Some(id.to_string_lossy().into_owned()),
                    saves: Some(dir.to_path_buf()),
                    check: true,
                    list: false,
                    format: Format::Text,
                };
                run_cli(&Command::Resume(args.clone()));
                run_cli(&Command::Resume(ResumeArgs {
                    session: None,
                    check: false,
                    list: true,
                    ..args
                }));
            }
            exercise_save(path)
        }
    }
}

/// Runs a command as the binary would, and fails the input if anything it printed could act on
/// a terminal (an escape sequence, a direction override).
fn run_cli(command: &Command) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let _ = warroom::cli::run(command, Some(&shipped::matrix_path()), &mut out, &mut err);
    for printed in [out, err] {
        let printed = String::from_utf8_lossy(&printed);
        if let Some(c) = printed
            .chars()
            .find(|&c| warroom::engine::text::must_not_show(c))
        {
            panic!("{command:?} printed U+{:04X} raw", u32::from(c));
        }
    }
}

fn exercise_save(path: &Path) -> Vec<Diagnostic> {
    {
        match saves::load(path) {
            Err(d) => vec![d],
            Ok(record) => {
                let matrix = shipped::matrix();
                let id = record.log.scenario.to_string();
                let scenario_path = shipped::dir().join(format!("{id}.ron"));
                if let Ok(loaded) =
                    warroom::engine::content::library::load_scenario(&scenario_path, &matrix)
                    && let Ok(session) = record.resume(loaded.scenario, matrix)
                {
                    let _ = score(&session);
                    let _ = record.notes.len();
                }
                Vec::new()
            }
        }
    }
}

fn play_to_end(mut session: Session) {
    let _ = session.apply(Intent::Advance { minutes: u32::MAX });
    let _ = score(&session);
}

/// Why an input failed, if it did.
fn check(kind: Kind, text: &[u8], dir: &Path) -> Option<String> {
    // The importer tells a workbook from CSV by its extension.
    let path = dir.join(if kind == Kind::Workbook {
        "case.xlsx"
    } else {
        "case.ron"
    });
    std::fs::write(&path, text).unwrap();
    let (send, receive) = mpsc::channel();
    let worker_path = path.clone();
    std::thread::spawn(move || {
        let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| exercise(kind, &worker_path)));
        let _ = send.send(outcome);
    });
    match receive.recv_timeout(HANG) {
        Err(_) => Some(format!("no answer within {} s", HANG.as_secs())),
        Ok(Err(panic)) => Some(format!(
            "panicked: {}",
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default()
        )),
        Ok(Ok(diagnostics)) => diagnostics
            .iter()
            .filter(|d| d.file == path && !WHOLE_FILE.contains(&d.code))
            .find(|d| d.line == 0 || d.column == 0)
            .map(|d| format!("unlocated {}: {}", d.code, d.message)),
    }
}

const EXTREMES: [&str; 8] = [
    "0",
    "4294967295",
    "4294967296",
    "-1",
    "18446744073709551615",
    "1e308",
    "99999999999999999999999",
    "255",
];
const JUNK: [&str; 12] = [
    "\u{feff}",
    "\r\n",
    "\u{1b}]0;title\u{7}",
    "“",
    "(",
    ")",
    "[",
    "]",
    "Some(",
    "None",
    "r#\"",
    "((((((((((((((((((((((((((((((((",
];

fn mutate(rng: &mut ChaCha8Rng, text: &[u8], seeds: &[Seed]) -> Vec<u8> {
    let mut out = text.to_vec();
    let rounds = rng.random_range(1..=4);
    for _ in 0..rounds {
        let len = out.len().max(1);
        let at = rng.random_range(0..len).min(out.len());
        match rng.random_range(0..9) {
            0 => {
                if let Some(b) = out.get_mut(at) {
                    *b ^= 1 << rng.random_range(0..8);
                }
            }
            1 => out.insert(at, rng.random()),
            2 => {
                let end = (at + rng.random_range(1..64)).min(out.len());
                out.drain(at..end);
            }
            3 => {
                let end = (at + rng.random_range(1..256)).min(out.len());
                let chunk = out[at..end].to_vec();
                let to = rng.random_range(0..=out.len());
                out.splice(to..to, chunk);
            }
            4 => {
                // A run of digits becomes an extreme number.
                if let Some(start) = out[at..].iter().position(u8::is_ascii_digit) {
                    let start = at + start;
                    let end = out[start..]
                        .iter()
                        .position(|b| !b.is_ascii_digit())
                        .map_or(out.len(), |e| start + e);
                    let extreme = EXTREMES[rng.random_range(0..EXTREMES.len())];
                    out.splice(start..end, extreme.bytes());
                }
            }
            5 => {
                // A quoted string takes another file's quoted string: ids cross files.
                let other = String::from_utf8_lossy(&seeds[rng.random_range(0..seeds.len())].bytes);
                let quoted: Vec<&str> = other.split('"').skip(1).step_by(2).take(400).collect();
                if let Some(word) = quoted.get(rng.random_range(0..quoted.len().max(1)))
                    && let Some(q) = out[at..].iter().position(|b| *b == b'"')
                    && let Some(e) = out[at + q + 1..].iter().position(|b| *b == b'"')
                {
                    let start = at + q + 1;
                    out.splice(start..start + e, word.bytes());
                }
            }
            6 => {
                let junk = JUNK[rng.random_range(0..JUNK.len())];
                out.splice(at..at, junk.bytes());
            }
            7 => out.truncate(at),
            _ => {
                // Splice a piece of another file in.
                let other = &seeds[rng.random_range(0..seeds.len())].bytes;
                let from = rng.random_range(0..other.len().max(1)).min(other.len());
                let end = (from + rng.random_range(1..512)).min(other.len());
                out.splice(at..at, other[from..end].iter().copied());
            }
        }
    }
    out
}

fn kind_of_regression(name: &str) -> Kind {
    if name.starts_with("matrix-") {
        Kind::Matrix
    } else if name.starts_with("save-") {
        Kind::Save
    } else if name.starts_with("raci-") {
        Kind::RaciSheet
    } else if name.starts_with("xlsx-") {
        Kind::Workbook
    } else {
        Kind::Content
    }
}

fn keep(kind: Kind, input: &[u8]) -> PathBuf {
    let mut hasher = DefaultHasher::new();
    input.hash(&mut hasher);
    let prefix = match kind {
        Kind::Matrix => "matrix",
        Kind::Content => "content",
        Kind::Save => "save",
        Kind::RaciSheet => "raci",
        Kind::Workbook => "xlsx",
    };
    let dir = regressions_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{prefix}-{:016x}.ron", hasher.finish()));
    std::fs::write(&path, input).unwrap();
    path
}

fn main() {
    let budget = Duration::from_secs(
        std::env::var("WARROOM_FUZZ_SECS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(60),
    );
    let seed: u64 = std::env::var("WARROOM_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    // A panic is caught and reported as a failure; its default message would only repeat it.
    std::panic::set_hook(Box::new(|_| {}));
    let work = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();

    let regressions = ron_files(&regressions_dir());
    for path in &regressions {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let input = std::fs::read(path).unwrap();
        if let Some(why) = check(kind_of_regression(&name), &input, work.path()) {
            failures.push(format!("regression {name}: {why}"));
        }
    }

    let seeds = seeds();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let started = Instant::now();
    let mut runs = 0u64;
    while started.elapsed() < budget && failures.is_empty() {
        let base = &seeds[rng.random_range(0..seeds.len())];
        let input = mutate(&mut rng, &base.bytes, &seeds);
        runs += 1;
        if let Some(why) = check(base.kind, &input, work.path()) {
            let kept = keep(base.kind, &input);
            failures.push(format!(
                "run {runs}, a mutation of {}: {why}\n  input kept as {}",
                base.name,
                kept.display()
            ));
        }
    }
    println!(
        "fuzz: {} regression file{} replayed, {runs} mutated files in {:.0} s (seed {seed}, {} seed files)",
        regressions.len(),
        if regressions.len() == 1 { "" } else { "s" },
        started.elapsed().as_secs_f64(),
        seeds.len()
    );
    if !failures.is_empty() {
        for failure in &failures {
            eprintln!("fuzz: FAILED {failure}");
        }
        std::process::exit(1);
    }
}
