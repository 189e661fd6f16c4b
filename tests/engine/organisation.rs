//! The organisation's report from statements: Warroom's own `completed` and `answered` only, each
//! statement once, every point lost on the heat map (a row for deductions on no single role), the
//! responsibilities most often broken first, and text from statements escaped in the page.

use serde_json::{Value, json};
use warroom::engine::exercise::ExerciseRecord;
use warroom::engine::model::scenario::Mode;
use warroom::engine::scoring::{FindingKind, score};
use warroom::interop::xapi::Identity;
use warroom::interop::xapi::exercise::exercise_statements;
use warroom::interop::xapi::organisation::{aggregate, read_statements};
use warroom::interop::xapi::organisation_html::to_html;

use crate::support::play;

fn identity() -> Identity {
    Identity {
        base_iri: "https://lrs.example.org/warroom".into(),
        home_page: "https://example.org".into(),
        pseudonymous: false,
        emails: std::collections::BTreeMap::new(),
    }
}

/// The statements of a fixture played by `learner`, as JSON, and the points it lost.
fn played(scenario: &str, script: &str, learner: &str, id: &str) -> (Vec<Value>, f64) {
    let session = play(scenario, script);
    let mut record = ExerciseRecord::new(id, Mode::Practice, 1_796_547_600, &session);
    record.updated_at = record.started_at + 3000;
    let card = score(&session);
    let lost: i32 = card
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::Deduction)
        .map(|f| f.points.abs())
        .sum();
    let statements = exercise_statements(&identity(), learner, &record, &session, &card)
        .iter()
        .map(|s| serde_json::to_value(s).unwrap())
        .collect();
    (statements, f64::from(lost))
}

#[test]
fn every_point_lost_is_on_the_map_and_each_statement_counts_once() {
    let (mut statements, lost_a) =
        played("ransomware-file-server", "legal-too-late", "Ana Costa", "a");
    let (more, lost_b) = played(
        "journalist-calls",
        "statement-before-legal",
        "Ben Okafor",
        "b",
    );
    assert!(lost_a > 0.0 && lost_b > 0.0);
    statements.extend(more);
    // The same statement twice (two pages of a store), another platform's, and a voiding.
    statements.push(statements[statements.len() - 2].clone());
    statements.push(
        json!({"id": "x", "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "actor": {"account": {"name": "Someone"}}, "timestamp": "2026-12-06T10:00:00Z",
        "result": {"score": {"raw": 10}}, "context": {"platform": "Moodle"}}),
    );
    let (runs, answers) = read_statements(&statements);
    assert_eq!(runs.len(), 2);
    assert!(answers.is_empty());
    let report = aggregate(&runs, &answers);
    assert_eq!(report.learners, 2);
    let on_map: f64 = report.heat.values().flat_map(|cells| cells.values()).sum();
    assert!(
        (on_map - f64::midpoint(lost_a, lost_b)).abs() < 1e-6,
        "{on_map}"
    );
    let times: Vec<usize> = report.broken.iter().map(|b| b.times).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "{times:?}");
    assert_eq!(report.cohorts.len(), 1);
    assert_eq!(report.months[0].name, "2026-12");
}

#[test]
fn text_from_statements_is_escaped_in_the_page() {
    let statement = json!({
        "id": "s1",
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "actor": {"account": {"name": "<img src=x onerror=alert(1)>"}},
        "timestamp": "2026-11-02T10:00:00Z",
        "context": {"platform": "Warroom"},
        "result": {"score": {"raw": 40}, "extensions": {
            "https://x.example/warroom/extensions/deductions": [
                {"cites": "<script>alert(1)</script>", "dimension": "evidence", "role": "it_ops",
                 "points": -12}
            ]
        }}
    });
    let (runs, answers) = read_statements(&[statement]);
    let report = aggregate(&runs, &answers);
    let html = to_html(&report, &|id| format!("<b>{id}</b>"), "a \"store\"");
    assert!(!html.contains("<script>alert"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("<b>it_ops</b>"));
    assert!(html.contains("12.0"));
    assert_eq!(report.cohorts[0].name, "2026-Q4");
}
