//! One test per diagnostic kind: a shipped file broken in one place must be reported with the
//! right code, message and `file:line:column`. Also hostile input never panics.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use warroom::engine::content::library::{Library, load_matrix};
use warroom::engine::content::load::{MAX_FILE_BYTES, Source, line_col};
use warroom::engine::content::validate::{validate_matrix, validate_scenario};
use warroom::engine::diagnostic::{Diagnostic, Level};
use warroom::engine::{Matrix, Scenario};

use crate::support::{matrix, matrix_path, scenarios_dir};

const SCENARIO: &str = "ransomware-file-server.ron";

fn base(file: &Path) -> String {
    std::fs::read_to_string(file).unwrap()
}

fn mutate(text: &str, edits: &[(&str, &str)]) -> String {
    let mut out = text.to_owned();
    for (from, to) in edits {
        assert!(out.contains(from), "mutation target not found: {from}");
        out = out.replacen(from, to, 1);
    }
    out
}

/// Diagnostics for a mutated copy of the shipped scenario (parse errors included).
fn scenario_diagnostics(edits: &[(&str, &str)]) -> (String, Vec<Diagnostic>) {
    let path = scenarios_dir().join(SCENARIO);
    let text = mutate(&base(&path), edits);
    let source = Source::from_text(&path, text.clone());
    let diagnostics = match source.parse::<Scenario>() {
        Ok(s) => validate_scenario(&s, &matrix(), &path, &text),
        Err(d) => vec![d],
    };
    (text, diagnostics)
}

fn matrix_diagnostics(edits: &[(&str, &str)]) -> (String, Vec<Diagnostic>) {
    let path = matrix_path();
    let text = mutate(&base(&path), edits);
    let source = Source::from_text(&path, text.clone());
    let diagnostics = match source.parse::<Matrix>() {
        Ok(m) => validate_matrix(&m, &path, &text),
        Err(d) => vec![d],
    };
    (text, diagnostics)
}

/// Line and column of `needle`, searched after `anchor` when given.
fn position(text: &str, anchor: Option<&str>, needle: &str) -> (usize, usize) {
    let from = anchor.map_or(0, |a| text.find(a).unwrap_or_else(|| panic!("anchor {a}")));
    let at = text[from..]
        .find(needle)
        .unwrap_or_else(|| panic!("needle {needle}"))
        + from;
    line_col(text, at)
}

/// Asserts exactly one diagnostic has `code`, its message contains `says`, and it points at `needle`.
#[track_caller]
fn expect(
    (text, diagnostics): (String, Vec<Diagnostic>),
    code: &str,
    says: &str,
    anchor: Option<&str>,
    needle: &str,
) -> Diagnostic {
    let found: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.code == code).collect();
    assert!(!found.is_empty(), "no `{code}` among {diagnostics:#?}");
    let d = found[0];
    assert!(
        d.message.contains(says),
        "message {:?} lacks {says:?}",
        d.message
    );
    assert_eq!(
        (d.line, d.column),
        position(&text, anchor, needle),
        "location of {d}"
    );
    assert!(d.file.ends_with(SCENARIO) || d.file.ends_with("responsibilities.ron"));
    d.clone()
}

// ---------- scenario diagnostics ----------

#[test]
fn parse_error_is_located() {
    let (text, diags) =
        scenario_diagnostics(&[("difficulty: Intermediate,", "difficulty: Intermediat,")]);
    let d = &diags[0];
    assert_eq!(d.code, "parse-error");
    assert!(d.message.contains("Intermediat"), "{}", d.message);
    assert_eq!(d.line, position(&text, None, "Intermediat").0);
    assert!(
        d.hint
            .as_deref()
            .unwrap_or_default()
            .contains("Intermediate")
    );
}

#[test]
fn unknown_role() {
    let d = expect(
        scenario_diagnostics(&[("owner: \"business_owner\"", "owner: \"busines_owner\"")]),
        "unknown-role",
        "unknown role `busines_owner`",
        None,
        "\"busines_owner\"",
    );
    assert_eq!(d.hint.as_deref(), Some("did you mean `business_owner`?"));
}

#[test]
fn unknown_task() {
    let d = expect(
        scenario_diagnostics(&[("task: \"isolate_host\"", "task: \"isolate_hots\"")]),
        "unknown-task",
        "unknown task kind `isolate_hots`",
        None,
        "\"isolate_hots\"",
    );
    assert_eq!(d.hint.as_deref(), Some("did you mean `isolate_host`?"));
}

#[test]
fn unknown_asset() {
    expect(
        scenario_diagnostics(&[("target: Some(\"perimeter\")", "target: Some(\"perimiter\")")]),
        "unknown-asset",
        "unknown asset `perimiter`",
        None,
        "\"perimiter\"",
    );
}

#[test]
fn unknown_flag() {
    expect(
        scenario_diagnostics(&[(
            "sets: [\"evidence_preserved\"]",
            "sets: [\"evidence_preservd\"]",
        )]),
        "unknown-flag",
        "unknown flag `evidence_preservd`",
        None,
        "\"evidence_preservd\"",
    );
}

#[test]
fn unknown_inject() {
    expect(
        scenario_diagnostics(&[(
            "All([MinuteAtLeast(30),",
            "All([Released(\"ransom-notes\"),",
        )]),
        "unknown-inject",
        "unknown inject `ransom-notes`",
        None,
        "\"ransom-notes\"",
    );
}

#[test]
fn unknown_action() {
    expect(
        scenario_diagnostics(&[(
            "ActionDone(\"reimage-fs01\")",
            "ActionDone(\"reimage-fs1\")",
        )]),
        "unknown-action",
        "unknown action `reimage-fs1`",
        None,
        "\"reimage-fs1\"",
    );
}

#[test]
fn unknown_trigger() {
    expect(
        scenario_diagnostics(&[("reveals: [\"extortion\"]", "reveals: [\"extorsion\"]")]),
        "unknown-trigger",
        "unknown trigger `extorsion`",
        None,
        "\"extorsion\"",
    );
}

#[test]
fn unknown_audience_to_notify() {
    let d = expect(
        scenario_diagnostics(&[(
            "audience: \"media\", within_mins: 10",
            "audience: \"press\", within_mins: 10",
        )]),
        "unknown-audience",
        "unknown audience `press`",
        None,
        "\"press\"",
    );
    assert!(
        d.hint.as_deref().is_some_and(|h| h.contains("media")),
        "{d:?}"
    );
}

#[test]
fn unknown_variation_option() {
    expect(
        scenario_diagnostics(&[(
            "Variant(\"entry_vector\", \"rdp\")",
            "Variant(\"entry_vector\", \"vpn\")",
        )]),
        "unknown-variation",
        "has no option `vpn`",
        None,
        "\"vpn\"",
    );
}

#[test]
fn unknown_placeholder() {
    expect(
        scenario_diagnostics(&[("points to {entry_vector} as", "points to {entry_vectr} as")]),
        "unknown-variation",
        "placeholder `{entry_vectr}`",
        None,
        "{entry_vectr}",
    );
}

#[test]
fn duplicate_id_points_at_the_second_occurrence() {
    expect(
        scenario_diagnostics(&[("id: \"restore\",", "id: \"alert\",")]),
        "duplicate-id",
        "duplicate inject id `alert`",
        Some("Mass file renames"),
        "\"alert\"",
    );
}

#[test]
fn decision_without_actions() {
    expect(
        scenario_diagnostics(&[(
            "ActionOption(id: \"triage-fs01\", label: \"Triage the EDR alert on FS-01\", task: \"triage_alert\", target: Some(\"fs01\")),\n                        ActionOption(id: \"isolate-fs01\", label: \"Isolate FS-01 from the network (it stays powered on, memory intact)\", task: \"isolate_host\", target: Some(\"fs01\")),",
            "",
        )]),
        "decision-without-actions",
        "decision point `d-triage` offers no actions",
        Some("\"d-triage\""),
        "actions",
    );
}

#[test]
fn impossible_condition() {
    expect(
        scenario_diagnostics(&[("MinuteAtLeast(45)", "MinuteAtLeast(90)")]),
        "impossible-condition",
        "minute 90 is after the scenario ends at minute 60",
        Some("\"journalist\""),
        "When",
    );
}

#[test]
fn contradictory_condition() {
    expect(
        scenario_diagnostics(&[(
            "MinuteAtLeast(45), Variant",
            "MinuteAtLeast(45), MinuteBefore(40), Variant",
        )]),
        "impossible-condition",
        "minute 45 or later and also before minute 40",
        Some("\"journalist\""),
        "When",
    );
}

#[test]
fn unreachable_inject() {
    expect(
        scenario_diagnostics(&[
            ("MinuteAtLeast(45)", "MinuteAtLeast(90)"),
            (
                "release: At(50),",
                "release: When(Released(\"journalist\")),",
            ),
        ]),
        "unreachable-inject",
        "inject `wrap-up` can never be released",
        None,
        "\"wrap-up\"",
    );
}

#[test]
fn inject_beyond_the_end() {
    expect(
        scenario_diagnostics(&[("release: At(50),", "release: At(75),")]),
        "beyond-end",
        "released at minute 75, after the scenario ends at minute 60",
        Some("\"wrap-up\""),
        "At",
    );
}

#[test]
fn decision_deadline_out_of_order() {
    expect(
        scenario_diagnostics(&[("expires_after_mins: 15,", "expires_after_mins: 0,")]),
        "deadline-order",
        "expires the moment it is released",
        Some("\"d-triage\""),
        "expires_after_mins",
    );
}

#[test]
fn severity_out_of_range() {
    expect(
        scenario_diagnostics(&[("severity: 3,", "severity: 7,")]),
        "severity-out-of-range",
        "severity 7 is not a level",
        Some("\"alert\""),
        "severity",
    );
}

#[test]
fn business_impact_out_of_range() {
    expect(
        scenario_diagnostics(&[("business_impact: 10,", "business_impact: 150,")]),
        "impact-out-of-range",
        "0 to 100",
        Some("\"alert\""),
        "business_impact",
    );
}

#[test]
fn variation_that_cannot_be_drawn() {
    expect(
        scenario_diagnostics(&[("weight: 2,", "weight: 0,"), ("weight: 1,", "weight: 0,")]),
        "empty-variation",
        "variation `entry_vector` has no option that can be drawn",
        None,
        "\"entry_vector\"",
    );
}

#[test]
fn no_modes() {
    expect(
        scenario_diagnostics(&[("modes: [Practice, Drill, Facilitated],", "modes: [],")]),
        "no-modes",
        "names no mode",
        None,
        "modes",
    );
}

#[test]
fn zero_duration() {
    expect(
        scenario_diagnostics(&[("duration_mins: 60,", "duration_mins: 0,")]),
        "invalid-duration",
        "at least 1",
        None,
        "duration_mins",
    );
}

const MINIMAL: &str = r#"Scenario(
    id: "tiny", title: "Tiny", summary: "s", difficulty: Introductory,
    modes: [Practice], duration_mins: 10, objectives: [],
    assets: [],
    injects: [
        Inject(id: "only", title: "t", release: When(MinuteAtLeast(1)), narrative: "n"),
    ],
)"#;

#[test]
fn no_opening_inject_and_no_injects() {
    let path = PathBuf::from("tiny.ron");
    let scenario: Scenario = Source::from_text(&path, MINIMAL).parse().unwrap();
    let diags = validate_scenario(&scenario, &matrix(), &path, MINIMAL);
    let d = diags
        .iter()
        .find(|d| d.code == "no-opening-inject")
        .expect("no-opening-inject");
    assert_eq!((d.line, d.column), position(MINIMAL, None, "injects"));

    let empty = MINIMAL.replace(
        "Inject(id: \"only\", title: \"t\", release: When(MinuteAtLeast(1)), narrative: \"n\"),",
        "",
    );
    let scenario: Scenario = Source::from_text(&path, empty.clone()).parse().unwrap();
    let diags = validate_scenario(&scenario, &matrix(), &path, &empty);
    assert!(diags.iter().any(|d| d.code == "no-injects"), "{diags:#?}");
}

#[test]
fn every_error_is_reported_not_only_the_first() {
    let (_, diags) = scenario_diagnostics(&[
        ("owner: \"business_owner\"", "owner: \"nobody\""),
        ("task: \"isolate_host\"", "task: \"nothing\""),
        ("reveals: [\"extortion\"]", "reveals: [\"nope\"]"),
    ]);
    let codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
    for code in ["unknown-role", "unknown-task", "unknown-trigger"] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
}

// ---------- matrix diagnostics ----------

#[test]
fn matrix_duplicate_task() {
    expect(
        matrix_diagnostics(&[("id: \"remove_malware\"", "id: \"reimage_host\"")]),
        "duplicate-id",
        "duplicate task id `reimage_host`",
        Some("name: \"Wipe and reimage a host\""),
        "\"reimage_host\"",
    );
}

#[test]
fn matrix_unknown_role() {
    expect(
        matrix_diagnostics(&[(
            "responsible: [\"soc\"], accountable: \"soc\", consulted: [\"it_ops\"],",
            "responsible: [\"soc\"], accountable: \"soc\", consulted: [\"it_ops\"], informed: [\"ir_mgr\"],",
        )]),
        "unknown-role",
        "unknown role `ir_mgr`",
        None,
        "\"ir_mgr\"",
    );
}

#[test]
fn matrix_task_without_responsible() {
    expect(
        matrix_diagnostics(&[(
            "responsible: [\"finance\"], accountable: \"finance\"",
            "responsible: [], accountable: \"finance\"",
        )]),
        "task-without-responsible",
        "task `recall_payment` has no Responsible role",
        Some("id: \"recall_payment\""),
        "responsible",
    );
}

#[test]
fn matrix_missing_citation() {
    expect(
        matrix_diagnostics(&[(
            "citation: \"Finance owns payments and bank relationships and is the only function that can recall a transfer.\"",
            "citation: \"\"",
        )]),
        "missing-citation",
        "task `recall_payment` has no citation",
        Some("id: \"recall_payment\""),
        "citation",
    );
}

#[test]
fn matrix_contradictory_task() {
    expect(
        matrix_diagnostics(&[(
            "preserves_evidence: true,",
            "preserves_evidence: true, destroys_evidence: true,",
        )]),
        "contradictory-task",
        "both destroys and preserves evidence",
        Some("\"preserve_evidence\""),
        "destroys_evidence",
    );
}

#[test]
fn matrix_severity_levels_out_of_order() {
    expect(
        matrix_diagnostics(&[(
            "level: 2, name: \"Moderate\"",
            "level: 5, name: \"Moderate\"",
        )]),
        "severity-order",
        "severity level 5 is listed where level 2 was expected",
        None,
        "\"Moderate\"",
    );
}

#[test]
fn matrix_deadlines_out_of_order() {
    expect(
        matrix_diagnostics(&[(
            "engage: [\"ir_manager\", \"ciso\", \"exec\"], within_mins: 15,",
            "engage: [\"ir_manager\", \"ciso\", \"exec\"], within_mins: 45,",
        )]),
        "deadline-order",
        "severity `Critical` allows 45 min",
        Some("\"Critical\""),
        "within_mins",
    );
}

#[test]
fn matrix_unknown_trigger() {
    expect(
        matrix_diagnostics(&[("when: \"personal_data\"", "when: \"personal_dta\"")]),
        "unknown-trigger",
        "unknown trigger `personal_dta`",
        None,
        "\"personal_dta\"",
    );
}

#[test]
fn matrix_rule_without_roles() {
    expect(
        matrix_diagnostics(&[(
            "engage: [\"legal\"], within_mins: 60,",
            "engage: [], within_mins: 60,",
        )]),
        "rule-without-roles",
        "escalation rule `crime_legal` engages nobody",
        Some("\"crime_legal\""),
        "engage",
    );
}

#[test]
fn matrix_audience_without_sender() {
    expect(
        matrix_diagnostics(&[(
            "senders: [\"legal\"], approvals: [\"exec\"],",
            "senders: [], approvals: [\"exec\"],",
        )]),
        "audience-without-sender",
        "nobody may send to audience `regulators`",
        Some("\"regulators\""),
        "senders",
    );
}

#[test]
fn regime_without_a_way_to_file() {
    expect(
        matrix_diagnostics(&[("task: \"notify_csirt\",\n", "\n")]),
        "regime-without-filing",
        "regime `nis2_art23` says neither how a report is filed",
        Some("\"nis2_art23\""),
        "stages",
    );
}

#[test]
fn regime_filing_through_an_unknown_task() {
    expect(
        matrix_diagnostics(&[(
            "task: \"notify_acquirer\",\n",
            "task: \"notify_aquirer\",\n",
        )]),
        "unknown-task",
        "regime `pci_acquirer` files through unknown task `notify_aquirer`",
        Some("\"pci_acquirer\""),
        "\"notify_aquirer\"",
    );
}

#[test]
fn scenario_starting_an_unknown_regime() {
    expect(
        scenario_diagnostics(&[(
            "starts_reporting: [\"gdpr_art33\"]",
            "starts_reporting: [\"gdpr_art_33\"]",
        )]),
        "unknown-regime",
        "unknown regime `gdpr_art_33`",
        Some("\"hr-data\""),
        "\"gdpr_art_33\"",
    );
}

#[test]
fn start_time_that_is_not_a_time_of_day() {
    expect(
        scenario_diagnostics(&[("time: \"14:02\"", "time: \"2:02pm\"")]),
        "bad-start-time",
        "`time: \"2:02pm\"` is not a time of day",
        None,
        "\"2:02pm\"",
    );
}

#[test]
fn business_day_regime_without_a_weekday() {
    expect(
        scenario_diagnostics(&[
            ("    start: (weekday: Wednesday, time: \"14:02\"),\n", ""),
            (
                "starts_reporting: [\"gdpr_art33\"]",
                "starts_reporting: [\"sec_8k_item105\"]",
            ),
        ]),
        "bad-start-time",
        "regime `sec_8k_item105` counts business days",
        Some("\"hr-data\""),
        "\"sec_8k_item105\"",
    );
}

#[test]
fn matrix_reserved_role_id() {
    expect(
        matrix_diagnostics(&[(
            "id: \"hr\", name: \"Human Resources\"",
            "id: \"owner\", name: \"Human Resources\"",
        )]),
        "reserved-id",
        "`owner` is reserved",
        None,
        "\"owner\"",
    );
}

#[test]
fn matrix_over_escalation_threshold_out_of_range() {
    expect(
        matrix_diagnostics(&[("below_severity: 3,", "below_severity: 9,")]),
        "severity-out-of-range",
        "`below_severity: 9`",
        Some("over_escalation"),
        "below_severity",
    );
}

#[test]
fn matrix_zero_weights() {
    expect(
        matrix_diagnostics(&[(
            "Weights(ownership: 20, handoffs: 15, escalation: 20, communication: 20, evidence: 15, separation_of_duties: 10)",
            "Weights(ownership: 0, handoffs: 0, escalation: 0, communication: 0, evidence: 0, separation_of_duties: 0)",
        )]),
        "zero-weights",
        "every scoring weight is 0",
        None,
        "weights",
    );
}

#[test]
fn scenarios_are_checked_against_the_matrix_given() {
    // A matrix without the `extortion` trigger makes the shipped scenario invalid.
    let dir = tempfile::tempdir().unwrap();
    let custom = dir.path().join("org.ron");
    let text = base(&matrix_path()).replace(
        "Trigger(id: \"extortion\", description: \"An attacker demands payment\"),",
        "",
    ).replace(
        "EscalationRule(\n                id: \"extortion_legal_exec\", when: \"extortion\", engage: [\"legal\", \"exec\"], within_mins: 30,",
        "EscalationRule(\n                id: \"extortion_legal_exec\", when: \"media_inquiry\", engage: [\"legal\", \"exec\"], within_mins: 30,",
    );
    std::fs::write(&custom, text).unwrap();
    assert!(load_matrix(&custom).is_ok());
    let library = Library::load(&[scenarios_dir().join(SCENARIO)], &custom);
    let diags: Vec<_> = library.diagnostics();
    assert!(
        diags
            .iter()
            .any(|d| d.code == "unknown-trigger" && d.message.contains("extortion")),
        "{diags:#?}"
    );
}

// ---------- files and hostile input ----------

#[test]
fn a_directory_is_not_a_file() {
    let err = Source::read(&scenarios_dir()).unwrap_err();
    assert_eq!(err.code, "not-a-file");
}

#[test]
fn a_missing_file_is_reported() {
    let err = Source::read(Path::new("does/not/exist.ron")).unwrap_err();
    assert_eq!(err.code, "unreadable-file");
    assert!(err.to_string().contains("does/not/exist.ron"));
}

#[test]
fn oversized_files_are_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.ron");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(50 * 1024 * 1024).unwrap();
    let err = Source::read(&path).unwrap_err();
    assert_eq!(err.code, "file-too-large");
    assert!(err.message.contains(&MAX_FILE_BYTES.to_string()));
}

#[test]
fn non_utf8_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latin1.ron");
    std::fs::write(&path, b"Scenario(\n    title: \"Caf\xe9\",\n)").unwrap();
    let err = Source::read(&path).unwrap_err();
    assert_eq!(
        (err.code.as_str(), err.line, err.column),
        ("invalid-utf8", 2, 16)
    );
}

#[test]
fn unknown_file_kinds_are_listed_as_invalid() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.ron"), "(a: 1)").unwrap();
    let library = Library::load(&[dir.path().to_path_buf()], &matrix_path());
    assert_eq!(library.invalid.len(), 1);
    let d = &library.invalid[0].diagnostics[0];
    assert_eq!(d.code, "unknown-file-kind");
    // Every kind Warroom checks is named, scripts and logs included.
    for kind in [
        "Scenario(",
        "Matrix(",
        "QuestionSet(",
        "Decisions(",
        "SessionLog(",
    ] {
        assert!(d.message.contains(kind), "{}", d.message);
    }
    let hint = d.hint.as_deref().unwrap_or_default();
    assert!(
        hint.contains("decisions scripts and session logs"),
        "{hint}"
    );
}

#[test]
fn truncated_files_never_panic_and_always_fail() {
    let path = scenarios_dir().join(SCENARIO);
    let text = base(&path);
    let m = matrix();
    let mut cut = 0;
    while cut < text.len() - 2 {
        if text.is_char_boundary(cut) {
            let src = Source::from_text(&path, &text[..cut]);
            match src.parse::<Scenario>() {
                Ok(s) => {
                    let _ = validate_scenario(&s, &m, &path, &text[..cut]);
                }
                Err(d) => {
                    assert_eq!(d.code, "parse-error");
                    assert!(d.line >= 1);
                }
            }
        }
        cut += 89;
    }
}

#[test]
fn deeply_nested_input_is_refused_not_overflowed() {
    let nested = format!(
        "Scenario(id: \"x\", title: \"t\", summary: \"s\", difficulty: Introductory, modes: [Practice], duration_mins: 5, objectives: [], assets: [], injects: [Inject(id: \"a\", title: \"t\", narrative: \"n\", release: When({}MinuteAtLeast(1){}))])",
        "Not(".repeat(5000),
        ")".repeat(5000)
    );
    let err = Source::from_text("deep.ron", nested)
        .parse::<Scenario>()
        .unwrap_err();
    assert_eq!(err.code, "parse-error");
    // In words a trainer can act on, not the parser's settings.
    assert!(err.message.contains("nested too deeply"), "{}", err.message);
    let hint = err.hint.unwrap_or_default();
    assert!(hint.contains("never closed"), "{hint}");
    assert!(!format!("{}{hint}", err.message).contains("recursion_limit"));
}

#[test]
fn a_value_in_the_wrong_case_is_named_with_the_rule_that_fits_it() {
    // Lower-case values (dimensions) and capitalised ones (difficulties) each get their own rule.
    let (_, diagnostics) = scenario_diagnostics(&[(
        "dimensions: [ownership, handoffs]",
        "dimensions: [Ownership, handoffs]",
    )]);
    let d = diagnostics.first().expect("a parse error");
    assert!(
        d.message.contains(
            "`Ownership` must be written `ownership`: this value name is written in lower case"
        ),
        "{}",
        d.message
    );
    let (_, diagnostics) =
        scenario_diagnostics(&[("difficulty: Intermediate", "difficulty: intermediate")]);
    let d = diagnostics.first().expect("a parse error");
    assert!(
        d.message.contains("starts with a capital letter"),
        "{}",
        d.message
    );
}

#[test]
fn matrix_zero_deadline_is_a_warning() {
    let (text, diagnostics) = matrix_diagnostics(&[(
        "engage: [\"ir_manager\"], within_mins: 60,",
        "engage: [\"ir_manager\"], within_mins: 0,",
    )]);
    let d = diagnostics
        .iter()
        .find(|d| d.code == "zero-deadline")
        .expect("zero-deadline");
    assert_eq!(d.level, Level::Warning);
    assert!(d.message.contains("severity `Moderate` gives no time"));
    assert_eq!(
        (d.line, d.column),
        position(&text, Some("\"Moderate\""), "within_mins")
    );
}

#[test]
fn more_severity_levels_than_can_be_told_apart_are_refused_at_the_first_too_many() {
    let critical = "engage: [\"ir_manager\", \"ciso\", \"exec\"], within_mins: 15,";
    let mut extra = String::new();
    for level in 5..=17 {
        let _ = write!(
            extra,
            "engage: [\"ir_manager\"], within_mins: 15, citation: \"c\"),\n            \
             SeverityLevel(level: {level}, name: \"Level {level}\", description: \"d\",\n                "
        );
    }
    let (text, diagnostics) = matrix_diagnostics(&[(critical, &format!("{extra}{critical}"))]);
    let d = diagnostics
        .iter()
        .find(|d| d.code == "number-out-of-range")
        .unwrap_or_else(|| panic!("{diagnostics:?}"));
    assert!(
        d.message.contains("defines 17 severity levels; at most 16"),
        "{}",
        d.message
    );
    assert_eq!(
        (d.line, d.column),
        position(&text, Some("name: \"Level 17\""), "\"Level 17\"")
    );
}

#[test]
fn a_decision_right_the_tasks_ignore_is_warned_about_at_the_role() {
    let decides = "decides: [\"notify_regulator\", \"assess_obligations\", \"external_statement\", \"customer_notice\", \"notify_insurer\", \"employee_notice\"],";
    let (text, diagnostics) = matrix_diagnostics(&[(
        decides,
        "decides: [\"notify_regulator\", \"contact_law_enforcement\", \"no_such_task\"],",
    )]);
    let ignored = diagnostics
        .iter()
        .find(|d| d.code == "decision-right-ignored")
        .unwrap_or_else(|| panic!("{diagnostics:?}"));
    assert_eq!(ignored.level, Level::Warning);
    assert!(
        ignored
            .message
            .contains("role `legal` decides `contact_law_enforcement`"),
        "{}",
        ignored.message
    );
    assert_eq!(
        (ignored.line, ignored.column),
        position(&text, Some("id: \"legal\""), "\"contact_law_enforcement\"")
    );
    let unknown = diagnostics
        .iter()
        .find(|d| d.code == "unknown-task")
        .unwrap_or_else(|| panic!("{diagnostics:?}"));
    assert!(
        unknown
            .message
            .contains("decides unknown task `no_such_task`")
    );
    // The reference matrix honours every decision right it states.
    let (_, clean) = matrix_diagnostics(&[]);
    assert!(!clean.iter().any(|d| d.code == "decision-right-ignored"));
}

#[test]
fn a_contact_rule_names_real_roles_and_someone_who_may_make_contact() {
    let (text, diagnostics) = matrix_diagnostics(&[(
        "party: \"cloud_provider\", by: [\"platform\"],",
        "party: \"cloud_provider\", by: [\"platfrom\"], after: [],",
    )]);
    let d = diagnostics
        .iter()
        .find(|d| d.code == "unknown-role")
        .unwrap_or_else(|| panic!("{diagnostics:?}"));
    assert!(d.message.contains("unknown role `platfrom`"));
    assert_eq!(
        (d.line, d.column),
        position(&text, Some("party: \"cloud_provider\""), "\"platfrom\"")
    );
    let (_, diagnostics) = matrix_diagnostics(&[(
        "party: \"cloud_provider\", by: [\"platform\"],",
        "party: \"cloud_provider\", by: [],",
    )]);
    assert!(
        diagnostics
            .iter()
            .any(|d| d.message.contains("nobody may contact `cloud_provider`")),
        "{diagnostics:?}"
    );
}

#[test]
fn an_ownership_gap_nothing_can_close_is_an_error_at_the_asset() {
    let path = scenarios_dir().join("leaked-pipeline-secret.ron");
    let text = base(&path).replace(", records_owner: \"platform\"", "");
    let scenario: Scenario = Source::from_text(&path, text.clone()).parse().unwrap();
    let diagnostics = validate_scenario(&scenario, &matrix(), &path, &text);
    let d = diagnostics
        .iter()
        .find(|d| d.code == "owner-never-recorded")
        .unwrap_or_else(|| panic!("{diagnostics:?}"));
    assert!(
        d.message
            .contains("asset `deploy_key` has no owner and no action records one")
    );
    assert_eq!(
        (d.line, d.column),
        position(&text, Some("id: \"deploy_key\""), "\"deploy_key\"")
    );
}

#[test]
fn a_level_demanding_what_over_escalation_calls_noise_is_warned_about() {
    let (text, diagnostics) = matrix_diagnostics(&[(
        "engage: [\"ir_manager\"], within_mins: 60,",
        "engage: [\"ir_manager\", \"exec\"], within_mins: 60,",
    )]);
    let d = diagnostics
        .iter()
        .find(|d| d.code == "conflicting-rules")
        .unwrap_or_else(|| panic!("{diagnostics:?}"));
    assert_eq!(d.level, Level::Warning);
    assert!(
        d.message
            .contains("severity `Moderate` requires engaging `exec`")
    );
    assert_eq!(
        (d.line, d.column),
        position(&text, Some("\"Moderate\""), "\"exec\"")
    );
}

#[test]
fn matrix_without_roles_or_severities_is_empty() {
    let text = r#"Matrix(
    id: "m", name: "Empty",
    roles: [], tasks: [], triggers: [],
    escalation: EscalationPolicy(
        severities: [], rules: [],
        over_escalation: OverEscalation(roles: [], below_severity: 1, citation: "c"),
    ),
    communication: CommunicationPolicy(audiences: []),
    handoffs: HandoffPolicy(citation: "c", context_citation: "c"),
    separation_of_duties: SeparationPolicy(citation: "c", approval_citation: "c"),
)"#;
    let path = PathBuf::from("empty.ron");
    let matrix: Matrix = Source::from_text(&path, text).parse().unwrap();
    let diagnostics = validate_matrix(&matrix, &path, text);
    let empties: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.code == "empty-matrix")
        .collect();
    assert_eq!(empties.len(), 2, "{diagnostics:#?}");
    assert!(empties[0].message.contains("no roles"));
    assert_eq!(
        (empties[0].line, empties[0].column),
        position(text, None, "roles")
    );
    assert!(empties[1].message.contains("no severity levels"));
}

#[test]
fn docs_list_every_diagnostic_code_and_no_other() {
    use warroom::engine::diagnostic::Code;
    let docs = std::fs::read_to_string(crate::support::root().join("docs/format.md")).unwrap();
    let section = docs
        .split("## Diagnostic codes")
        .nth(1)
        .expect("docs/format.md has a diagnostic codes section");
    let section = section.split("\n## ").next().unwrap_or(section);
    let documented: std::collections::BTreeSet<&str> = section
        .lines()
        .filter(|l| l.starts_with("| `"))
        .flat_map(|l| {
            l.split('|')
                .nth(1)
                .unwrap_or("")
                .split('`')
                .skip(1)
                .step_by(2)
        })
        .collect();
    let known: std::collections::BTreeSet<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    let undocumented: Vec<_> = known.difference(&documented).collect();
    let unknown: Vec<_> = documented.difference(&known).collect();
    assert!(
        undocumented.is_empty(),
        "codes missing from docs/format.md: {undocumented:?}"
    );
    assert!(
        unknown.is_empty(),
        "docs/format.md lists codes that do not exist: {unknown:?}"
    );
}

#[test]
fn a_scenario_longer_than_a_week_is_refused() {
    expect(
        scenario_diagnostics(&[("duration_mins: 60,", "duration_mins: 4294967295,")]),
        "invalid-duration",
        "at most 10080 minutes",
        None,
        "duration_mins",
    );
}

#[test]
fn scoring_numbers_past_their_bound_are_refused_where_they_stand() {
    expect(
        matrix_diagnostics(&[(
            "weights: Weights(ownership: 20,",
            "weights: Weights(ownership: 4294967295,",
        )]),
        "number-out-of-range",
        "weights `ownership` is 4294967295",
        Some("weights: Weights("),
        "ownership",
    );
    expect(
        matrix_diagnostics(&[(
            "separation_of_duties: 10),\n",
            "separation_of_duties: 10),\n        penalties: Penalties(wrong_owner: 4294967295),\n",
        )]),
        "number-out-of-range",
        "penalties `wrong_owner` is 4294967295",
        None,
        "wrong_owner",
    );
    // `evidence` is mentioned in many descriptions before the weights: the error still points at
    // the weight, not at the first mention.
    let (text, diagnostics) = matrix_diagnostics(&[(
        "evidence: 15, separation_of_duties: 10)",
        "evidence: 4294967295, separation_of_duties: 10)",
    )]);
    assert!(text.find("evidence").unwrap() < text.find("weights: Weights(").unwrap());
    expect(
        (text, diagnostics),
        "number-out-of-range",
        "weights `evidence` is 4294967295",
        Some("weights: Weights("),
        "evidence",
    );
}

#[test]
fn waiting_for_its_own_release_is_impossible_only_when_not_negated() {
    let (_, diags) = scenario_diagnostics(&[(
        "release: At(35),",
        "release: When(Not(Released(\"restore\"))),",
    )]);
    assert!(diags.is_empty(), "{diags:#?}");
    expect(
        scenario_diagnostics(&[(
            "release: At(35),",
            "release: When(Not(Not(Released(\"restore\")))),",
        )]),
        "impossible-condition",
        "waits for its own release",
        Some("id: \"restore\""),
        "\"restore\"",
    );
}

#[test]
fn each_inject_of_a_cycle_is_located_at_its_own_definition() {
    // `restore` mentions `wrap-up` before `wrap-up` is defined.
    let (text, diags) = scenario_diagnostics(&[
        ("release: At(35),", "release: When(Released(\"wrap-up\")),"),
        ("release: At(50),", "release: When(Released(\"restore\")),"),
    ]);
    let mut found: Vec<(String, (usize, usize))> = diags
        .iter()
        .filter(|d| d.code == "unreachable-inject")
        .map(|d| (d.message.clone(), (d.line, d.column)))
        .collect();
    found.sort();
    assert_eq!(found.len(), 2, "{diags:#?}");
    for (message, at) in found {
        let id = if message.contains("`restore`") {
            "restore"
        } else {
            "wrap-up"
        };
        let definition = format!("id: \"{id}\"");
        assert_eq!(
            at,
            position(&text, Some(&definition), &format!("\"{id}\"")),
            "{message}"
        );
    }
}

#[test]
fn deadlines_windows_and_draw_weights_past_their_bound_are_refused_where_they_stand() {
    expect(
        scenario_diagnostics(&[("expires_after_mins: 15,", "expires_after_mins: 4294967295,")]),
        "number-out-of-range",
        "stays open 4294967295 minutes",
        None,
        "expires_after_mins: 4294967295",
    );
    expect(
        scenario_diagnostics(&[(
            "Notification(audience: \"incident_team\", within_mins: 10)",
            "Notification(audience: \"incident_team\", within_mins: 99999)",
        )]),
        "number-out-of-range",
        "due after 99999 minutes",
        Some("id: \"alert\""),
        "within_mins",
    );
    expect(
        scenario_diagnostics(&[(
            "VariantOption(id: \"phishing\", weight: 2,",
            "VariantOption(id: \"phishing\", weight: 4294967295,",
        )]),
        "number-out-of-range",
        "has weight 4294967295",
        Some("id: \"phishing\""),
        "weight",
    );
    expect(
        matrix_diagnostics(&[(
            "engage: [\"ir_manager\"], within_mins: 60,",
            "engage: [\"ir_manager\"], within_mins: 600000,",
        )]),
        "number-out-of-range",
        "`within_mins: 600000` is longer than any exercise",
        None,
        "within_mins: 600000",
    );
}

#[test]
fn common_slips_get_plain_words_at_the_value() {
    expect(
        scenario_diagnostics(&[("release: At(10),", "release: 10,")]),
        "parse-error",
        "`10` is a bare number for `release`",
        Some("id: \"ransom-note\""),
        "10,",
    );
    let (text, diags) = scenario_diagnostics(&[(
        "title: \"Mass file renames on FS-01\",",
        "title: “Mass file renames on FS-01”,",
    )]);
    assert!(diags[0].message.contains("curly quotes"), "{diags:#?}");
    assert_eq!((diags[0].line, diags[0].column), position(&text, None, "“"));
    expect(
        scenario_diagnostics(&[("title: \"Mass file renames on FS-01\",", "title: 12,")]),
        "parse-error",
        "expected text in double quotes for `title`, found a number",
        None,
        "12,",
    );
    expect(
        scenario_diagnostics(&[("modes: [Practice", "modes: [practice")]),
        "parse-error",
        "`practice` must be written `Practice`",
        None,
        "practice",
    );
    expect(
        scenario_diagnostics(&[("severity: 3,", "severity: \"3\",")]),
        "parse-error",
        "`severity` takes a number, written without quotes",
        None,
        "\"3\"",
    );
}

#[test]
fn raci_rows_that_grade_against_their_intent_are_warned_about() {
    expect(
        matrix_diagnostics(&[(
            "responsible: [\"soc\"], accountable: \"soc\", consulted: [\"it_ops\"],",
            "responsible: [\"soc\"], accountable: \"soc\", consulted: [\"it_ops\", \"it_ops\"],",
        )]),
        "repeated-role",
        "lists `it_ops` twice in `consulted`",
        Some("id: \"triage_alert\""),
        "consulted",
    );
    expect(
        matrix_diagnostics(&[(
            "responsible: [\"it_ops\"], accountable: \"ir_manager\", consulted: [\"soc\"], informed: [\"owner\"],",
            "responsible: [\"it_ops\"], accountable: \"ir_manager\", consulted: [\"soc\"], informed: [\"owner\", \"it_ops\"],",
        )]),
        "overlapping-raci",
        "`it_ops` is Responsible and also Informed",
        Some("id: \"isolate_host\""),
        "informed",
    );
    let (text, diags) = matrix_diagnostics(&[(
        "responsible: [\"it_ops\"], accountable: \"it_ops\", consulted: [\"soc\"],\n            privileged: true,",
        "responsible: [\"it_ops\"], accountable: \"it_ops\", consulted: [\"soc\"], approvals: [\"it_ops\"],\n            privileged: true,",
    )]);
    let warning = diags
        .iter()
        .find(|d| d.code == "doer-approves")
        .expect("doer-approves");
    assert_eq!(warning.level, Level::Warning);
    assert!(warning.message.contains("self-approval"), "{warning:?}");
    assert_eq!(
        (warning.line, warning.column),
        position(&text, Some("id: \"change_firewall_rule\""), "approvals")
    );
    // Warnings only: the matrix still loads and grades.
    assert!(
        diags.iter().all(|d| d.level == Level::Warning),
        "{diags:#?}"
    );
}

#[test]
fn a_value_is_located_in_its_own_item_even_when_another_item_mentions_it_first() {
    // `restore` mentions `wrap-up` before `wrap-up` is defined; the bad severity is wrap-up's own.
    let (text, diags) = scenario_diagnostics(&[
        (
            "release: At(35),",
            "release: When(Any([Released(\"wrap-up\"), MinuteAtLeast(35)])),",
        ),
        ("release: At(50),", "release: At(50), severity: 9,"),
    ]);
    let d = diags
        .iter()
        .find(|d| d.code == "severity-out-of-range")
        .expect("severity-out-of-range");
    assert_eq!(
        (d.line, d.column),
        position(&text, Some("id: \"wrap-up\""), "severity: 9")
    );
}

#[test]
fn a_cast_member_is_located_in_the_cast_not_at_a_same_named_objective() {
    let path = scenarios_dir().join("journalist-calls.ron");
    let text = base(&path).replace("Objective(id: \"approved\"", "Objective(id: \"lawyer\"");
    let text = text.replace(
        "cast: [\"soc\", \"it_ops\", \"pr_comms\", \"legal\",",
        "cast: [\"soc\", \"it_ops\", \"pr_comms\", \"lawyer\",",
    );
    let scenario: Scenario = Source::from_text(&path, text.clone()).parse().unwrap();
    let diags = validate_scenario(&scenario, &matrix(), &path, &text);
    let d = diags
        .iter()
        .find(|d| d.code == "unknown-role")
        .expect("unknown-role");
    assert_eq!(
        (d.line, d.column),
        position(&text, Some("cast:"), "\"lawyer\"")
    );
}

#[test]
fn a_scenario_channel_names_a_real_audience_and_never_shadows_one() {
    let channel = "    channels: [Channel(id: \"staff_chat\", name: \"The all-staff chat\", like: \"all_stuff\")],\n    injects: [";
    expect(
        scenario_diagnostics(&[("    injects: [", channel)]),
        "unknown-audience",
        "channel `staff_chat` is like `all_stuff`",
        Some("id: \"staff_chat\""),
        "\"all_stuff\"",
    );
    let shadow = "    channels: [Channel(id: \"media\", name: \"Press\", like: \"all_staff\")],\n    injects: [";
    expect(
        scenario_diagnostics(&[("    injects: [", shadow)]),
        "duplicate-id",
        "channel `media` has the id of an audience",
        Some("channels:"),
        "\"media\"",
    );
    // A notice may be owed to a channel.
    let fine = "    channels: [Channel(id: \"staff_chat\", name: \"The all-staff chat\", like: \"all_staff\")],\n    injects: [";
    let (_, diags) = scenario_diagnostics(&[
        ("    injects: [", fine),
        (
            "Notification(audience: \"all_staff\"",
            "Notification(audience: \"staff_chat\"",
        ),
    ]);
    assert!(diags.is_empty(), "{diags:#?}");
}

#[test]
fn a_misdirected_option_points_at_an_option_of_its_decision_that_resolves_it() {
    let path = scenarios_dir().join("exposed-storage-bucket.ron");
    let text = base(&path).replace("instead: \"close-bucket\"", "instead: \"close-buckets\"");
    let scenario: Scenario = Source::from_text(&path, text.clone()).parse().unwrap();
    let diags = validate_scenario(&scenario, &matrix(), &path, &text);
    let d = diags
        .iter()
        .find(|d| d.code == "unknown-action")
        .expect("unknown-action");
    assert!(d.message.contains("close-buckets"), "{}", d.message);
    assert_eq!(d.hint.as_deref(), Some("did you mean `close-bucket`?"));
    assert_eq!(
        (d.line, d.column),
        position(&text, Some("id: \"ticket-provider\""), "\"close-buckets\"")
    );
}

/// An id is short, has no spaces and carries nothing invisible: a 65,536-character scenario id once
/// validated and then crashed `warroom list`, and a right-to-left override can disguise an id.
#[test]
fn ids_too_long_or_with_invisible_characters_are_refused_where_they_stand() {
    let long = "x".repeat(70_000);
    let d = expect(
        scenario_diagnostics(&[("id: \"ransomware-file-server\"", &format!("id: \"{long}\""))]),
        "bad-id",
        "scenario id: an id is at most 64 characters; this one has 70000",
        None,
        &format!("\"{long}\""),
    );
    assert!(d.hint.unwrap().contains("up to 64"));
    expect(
        scenario_diagnostics(&[("id: \"alert\"", "id: \"al\u{202E}ert\"")]),
        "bad-id",
        "inject id: an id cannot contain the invisible character U+202E",
        None,
        "\"al\u{202E}ert\"",
    );
    expect(
        scenario_diagnostics(&[("id: \"alert\"", "id: \"the alert\"")]),
        "bad-id",
        "inject id: an id cannot contain spaces",
        None,
        "\"the alert\"",
    );
}
