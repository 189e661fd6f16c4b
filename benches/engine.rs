//! Engine benchmarks: loading and validating the shipped content, and scoring sessions of growing
//! size to show scoring is linear in the number of intents.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::sync::Arc;
use warroom::engine::content::library::Library;

use warroom::engine::content::load::Source;
use warroom::engine::content::validate::validate_scenario;
use warroom::engine::content::{shipped, synthetic};
use warroom::engine::model::scenario::Scenario;
use warroom::engine::{Handoff, Intent, Session, Urgency, score};

fn load_and_validate(c: &mut Criterion) {
    let dir = shipped::dir();
    let matrix = shipped::matrix_path();
    c.bench_function("load + validate all shipped content", |b| {
        b.iter(|| {
            let library = Library::load(black_box(std::slice::from_ref(&dir)), &matrix);
            assert!(library.is_valid());
            library
        });
    });
}

/// A session with `n` accepted intents: the repeatable kinds of intent cycled at a steady pace.
fn synthetic_session(n: usize) -> Session {
    let mut session = shipped::session("ransomware-file-server", 7);
    let roles = ["soc", "ir_manager", "it_ops", "legal", "exec", "pr_comms"];
    let mut i = 0usize;
    while session.log().entries.len() < n {
        let role = roles[i % roles.len()];
        let next = roles[(i + 1) % roles.len()];
        let intent = match i % 5 {
            0 => Intent::Escalate {
                from: role.into(),
                to: vec![next.into()],
                reason: "synthetic".into(),
            },
            1 => Intent::ClassifySeverity {
                level: (i % 4) as u8 + 1,
                by: role.into(),
            },
            2 => Intent::Communicate {
                audience: "incident_team".into(),
                sender: "soc".into(),
                message: "msg-team-initial".into(),
                approvals: vec![],
            },
            3 => Intent::Handoff(Handoff {
                from: role.into(),
                to: next.into(),
                observed: "Synthetic observation for the benchmark".into(),
                facts: vec![],
                evidence: vec!["edr-alert".into()],
                actions_taken: vec![],
                recommended: vec!["isolate-fs01".into()],
                urgency: Some(Urgency::High),
            }),
            _ if session.minute() < 59 && i % 50 == 4 => Intent::Advance { minutes: 1 },
            _ => Intent::Escalate {
                from: next.into(),
                to: vec![role.into()],
                reason: String::new(),
            },
        };
        // Rejections (none expected) would simply not count towards n.
        let _ = session.apply(intent);
        i += 1;
    }
    session
}

fn scoring(c: &mut Criterion) {
    let mut group = c.benchmark_group("score session");
    for n in [1_000usize, 5_000, 10_000] {
        let session = synthetic_session(n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &session, |b, s| {
            b.iter(|| score(black_box(s)));
        });
    }
    group.finish();
}

/// Validation and play of scenarios of 1k to 50k injects in the shapes that were once quadratic.
fn scale(c: &mut Criterion) {
    let matrix = shipped::matrix();
    let path = std::path::Path::new("synthetic.ron");
    for shape in synthetic::Shape::ALL {
        let mut validate = c.benchmark_group(format!("parse + validate {}", shape.name()));
        validate.sample_size(10);
        let texts: Vec<(usize, String)> = [1_000, 10_000, 50_000]
            .map(|n| (n, synthetic::scenario(shape, n)))
            .into();
        for (n, text) in &texts {
            validate.throughput(Throughput::Elements(*n as u64));
            validate.bench_with_input(BenchmarkId::from_parameter(n), text, |b, text| {
                b.iter(|| {
                    let scenario: Scenario = Source::from_text(path, text.clone())
                        .parse()
                        .expect("synthetic scenarios parse");
                    let problems = validate_scenario(&scenario, &matrix, path, text);
                    assert!(problems.is_empty(), "{problems:?}");
                });
            });
        }
        validate.finish();
        let mut play = c.benchmark_group(format!("play to the end {}", shape.name()));
        play.sample_size(10);
        for (n, text) in &texts {
            let scenario: Arc<Scenario> = Arc::new(
                Source::from_text(path, text.clone())
                    .parse()
                    .expect("synthetic scenarios parse"),
            );
            play.throughput(Throughput::Elements(*n as u64));
            play.bench_with_input(BenchmarkId::from_parameter(n), &scenario, |b, scenario| {
                b.iter(|| {
                    let mut session = Session::new(Arc::clone(scenario), Arc::clone(&matrix), 0);
                    session
                        .apply(Intent::Advance { minutes: u32::MAX })
                        .expect("the clock advances");
                    let waiting = usize::from(shape.waiting().is_some());
                    assert_eq!(session.released().len(), n + 1 + waiting);
                });
            });
        }
        play.finish();
    }
}

/// A file with thousands of errors: validated, and printed as text the way `warroom validate`
/// prints it (at most 200 shown). Each error is located and rendered in constant time, so the
/// whole is linear in the file's size.
fn error_heavy(c: &mut Criterion) {
    let matrix = shipped::matrix();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut group = c.benchmark_group("validate + print an error-heavy scenario");
    group.sample_size(10);
    for n in [1_000, 5_000, 20_000] {
        let text = synthetic::error_heavy_scenario(n);
        let path = dir.path().join(format!("errors-{n}.ron"));
        std::fs::write(&path, &text).expect("written");
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &text, |b, text| {
            b.iter(|| {
                let scenario: Scenario = Source::from_text(&path, text.clone())
                    .parse()
                    .expect("parses; the errors are references");
                let problems = validate_scenario(&scenario, &matrix, &path, text);
                assert!(problems.len() >= n);
                let all: Vec<&warroom::engine::Diagnostic> = problems.iter().collect();
                warroom::cli::write_diagnostics(&mut std::io::sink(), &all).expect("printed");
            });
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = load_and_validate, scoring, scale, error_heavy
}
criterion_main!(benches);
