//! The after-action report (golden Markdown and HTML of a fixed exercise), escaping of hostile
//! text, and saves that survive the process being killed at any moment.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use warroom::engine::exercise::{
    AdHocInject, ExerciseRecord, HotwashEntry, ObserverNote, Participant,
};
use warroom::engine::model::id::RoleId;
use warroom::engine::model::scenario::Mode;
use warroom::engine::reports::aar::{AfterActionReport, utc_date};
use warroom::engine::{Dimension, Session};
use warroom::store::saves;

use crate::support::{fixtures_dir, matrix, play, scenario};

/// A fixed facilitated exercise: a flawed ransomware run with a room, notes and a hotwash.
fn fixed_record(session: &Session, hostile: &str) -> ExerciseRecord {
    let mut record = ExerciseRecord::new("golden", Mode::Facilitated, 1_795_000_000, session);
    record.facilitator = format!("Dana Facilitator{hostile}");
    record.participants = vec![
        Participant {
            name: format!("Sam (SOC lead){hostile}"),
            role: RoleId::new("soc"),
        },
        Participant {
            name: "Ivo".to_owned(),
            role: RoleId::new("it_ops"),
        },
        Participant {
            name: "Lee".to_owned(),
            role: RoleId::new("legal"),
        },
    ];
    record.notes = vec![
        ObserverNote {
            minute: 12,
            role: Some(RoleId::new("soc")),
            dimension: Some(Dimension::Evidence),
            text: format!("SOC asked IT to wipe before imaging{hostile}"),
            after_intents: None,
        },
        ObserverNote {
            minute: 31,
            role: None,
            dimension: None,
            text: "Good energy in the room".to_owned(),
            after_intents: None,
        },
    ];
    record.adhoc_injects = vec![AdHocInject {
        minute: 20,
        title: format!("CEO calls{hostile}"),
        narrative: "The CEO wants to know if customers are affected.".to_owned(),
        after_intents: None,
        to: vec![],
    }];
    record.hotwash = vec![HotwashEntry {
        role: RoleId::new("legal"),
        strengths: vec!["Clear advice on notification".to_owned()],
        improvements: vec![format!("Join the bridge earlier{hostile}")],
    }];
    record
}

#[test]
fn markdown_and_html_reports_match_the_golden_files() {
    let session = play("ransomware-file-server", "legal-too-late");
    let record = fixed_record(&session, "");
    let report = AfterActionReport::build(&record, &session);
    // The plan's digest changes with every edit of the shipped content; the report's layout is
    // what the golden files hold.
    let digest = &session.graded_under().matrix_digest;
    assert!(report.markdown().contains(digest.as_str()));
    let stable = |text: String| text.replace(digest.as_str(), "<plan digest>");
    insta::assert_snapshot!("aar_markdown", stable(report.markdown()));
    insta::assert_snapshot!("aar_html", stable(report.html()));
}

#[test]
fn objectives_are_never_met_by_what_an_early_end_left_unplayed() {
    use warroom::engine::Intent;
    use warroom::engine::reports::aar::Rating;
    // A facilitated session ended at T+13 of 60 with nothing done.
    let mut session = Session::new(scenario("ransomware-file-server"), matrix(), 0);
    session.apply(Intent::Advance { minutes: 13 }).unwrap();
    session.apply(Intent::EndExercise).unwrap();
    let report = AfterActionReport::build(&fixed_record(&session, ""), &session);
    assert!(!report.objectives.is_empty());
    for objective in &report.objectives {
        assert!(
            matches!(objective.rating, Rating::NotExercised | Rating::NotMet),
            "{}: {:?} ({})",
            objective.text,
            objective.rating,
            objective.evidence
        );
    }
    let md = report.markdown();
    assert!(md.contains("Not exercised"), "{md}");
    assert!(md.contains("### Not reached"), "{md}");
    assert!(md.contains("ended early at minute 13"), "{md}");

    // The exemplary run played to the end meets every objective without challenges.
    let full = play("ransomware-file-server", "exemplary");
    let report = AfterActionReport::build(&fixed_record(&full, ""), &full);
    for objective in &report.objectives {
        assert_eq!(objective.rating, Rating::Met, "{}", objective.text);
    }
}

#[test]
fn report_sections_follow_hseep() {
    let session = play("ransomware-file-server", "legal-too-late");
    let md = AfterActionReport::build(&fixed_record(&session, ""), &session).markdown();
    let order = [
        "## Exercise overview",
        "### Participants",
        "## Objectives",
        "## Timeline",
        "## Scores",
        "### Findings by dimension",
        "### Findings by role",
        "## Observer notes",
        "## Hotwash",
        "## Improvement plan",
    ];
    let positions: Vec<usize> = order
        .iter()
        .map(|h| md.find(h).unwrap_or_else(|| panic!("{h}")))
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
    // The flawed run's escalation finding becomes an improvement-plan row owned by a role.
    assert!(md.contains("| Escalation timing |"), "{md}");
    // A hotwash improvement becomes a plan row owned by its role.
    assert!(
        md.contains("| Hotwash | Join the bridge earlier | Agree a corrective action at the improvement-plan review. | Legal Counsel | ____ |"),
        "{md}"
    );
    assert!(
        md.contains("- **Security Operations Center**: Sam (SOC lead)"),
        "{md}"
    );
}

#[test]
fn hostile_text_cannot_inject_markup_or_script() {
    let hostile = "<script>alert('x')</script><img src=x onerror=\"alert(1)\">&amp;";
    // Hostile scenario text too: a copy of the scenario with a poisoned title and inject title.
    let escaped = hostile.replace('"', "\\\"");
    let text =
        std::fs::read_to_string(crate::support::scenarios_dir().join("ransomware-file-server.ron"))
            .unwrap()
            .replacen(
                "title: \"Ransomware on the operations file server\"",
                &format!("title: \"Ransomware {escaped}\""),
                1,
            )
            .replacen(
                "title: \"Mass file renames on FS-01\"",
                &format!("title: \"Mass file renames {escaped}\""),
                1,
            );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ransomware-file-server.ron");
    std::fs::write(&path, text).unwrap();
    let scenario = warroom::engine::content::library::load_scenario(&path, &matrix())
        .unwrap()
        .scenario;
    let script = warroom::engine::content::load::Source::read(
        &fixtures_dir().join("ransomware-file-server/legal-too-late.ron"),
    )
    .unwrap();
    let session = warroom::engine::content::script::run(
        scenario,
        matrix(),
        &script.parse().unwrap(),
        0,
        &script,
    )
    .unwrap();
    let report = AfterActionReport::build(&fixed_record(&session, hostile), &session);
    let html = report.html();
    assert!(!html.contains("<script"), "raw script tag in HTML");
    assert!(!html.contains("<img"), "raw img tag in HTML");
    assert!(!html.contains("onerror=\""), "raw attribute in HTML");
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assert!(html.contains("&amp;amp;"), "ampersands escaped once more");
    // Every hostile string (scenario and inject titles, facilitator, participant, note, ad-hoc
    // inject, hotwash) is there, escaped.
    assert!(
        html.matches("&lt;script&gt;").count() >= 6,
        "{}",
        html.matches("&lt;script&gt;").count()
    );
    let md = report.markdown();
    // In Markdown every `<` of user text is backslash-escaped, so no renderer treats it as HTML.
    let unescaped = md
        .char_indices()
        .filter(|(i, c)| *c == '<' && !md[..*i].ends_with('\\'))
        .count();
    assert_eq!(unescaped, 0, "raw `<` in Markdown");
    assert!(md.contains("\\<script\\>"));
}

#[test]
fn dates_are_utc_calendar_days() {
    assert_eq!(utc_date(0), "1970-01-01");
    assert_eq!(utc_date(951_782_400), "2000-02-29");
    assert_eq!(utc_date(1_795_000_000), "2026-11-18");
    assert_eq!(utc_date(-86_400), "1969-12-31");
}

#[test]
fn a_damaged_save_is_reported_with_its_location_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let session = play("ransomware-file-server", "exemplary");
    let record = fixed_record(&session, "");
    let path = saves::path_of(dir.path(), "golden");
    saves::save_atomic(&record, &path).unwrap();
    assert_eq!(saves::load(&path).unwrap(), record);
    let full = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, &full[..full.len() / 2]).unwrap();
    let before = std::fs::read(&path).unwrap();
    let error = saves::load(&path).unwrap_err();
    assert!(error.line > 0, "{error}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let listed = saves::list(dir.path());
    assert_eq!(listed.len(), 1);
    assert!(listed[0].record.is_err());
}

/// Plays a script in a child process that saves after every intent, kills it with SIGKILL after
/// `kill_after` acknowledgements, and checks the save holds at least every acknowledged intent and
/// still replays.
fn kill_and_resume(kill_after: usize) {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args(["play", "ransomware-file-server", "--decisions"])
        .arg(fixtures_dir().join("ransomware-file-server/exemplary.ron"))
        .args(["--session", "killed", "--step-delay-ms", "15", "--saves"])
        .arg(dir.path())
        .arg("--matrix")
        .arg(crate::support::matrix_path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut acknowledged = 0;
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if let Some(n) = line.strip_prefix("acknowledged ") {
            acknowledged = n.parse().unwrap();
            if acknowledged >= kill_after {
                child.kill().unwrap(); // SIGKILL on Unix
                break;
            }
        }
    }
    child.wait().unwrap();
    assert!(
        acknowledged >= kill_after,
        "the run ended before {kill_after} intents"
    );
    let record =
        saves::load(&saves::path_of(dir.path(), "killed")).expect("save readable after SIGKILL");
    assert!(
        record.log.entries.len() >= acknowledged,
        "lost acknowledged intents"
    );
    let session = record
        .resume(scenario("ransomware-file-server"), matrix())
        .expect("resumes");
    assert!(session.log().entries.len() >= acknowledged);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".ron"))
        .collect();
    assert_eq!(leftovers.len(), 1, "exactly one save file");
}

#[test]
fn killed_at_several_points_the_save_loses_no_acknowledged_intent() {
    for point in [1, 7, 20, 33] {
        kill_and_resume(point);
    }
}

#[test]
fn the_timeline_keeps_the_order_things_happened_in_within_a_minute_and_names_each_kind() {
    use warroom::engine::Intent;
    let mut session = Session::new(scenario("ransomware-file-server"), matrix(), 0);
    let mut record = ExerciseRecord::new("order", Mode::Facilitated, 0, &session);
    session.apply(Intent::Advance { minutes: 12 }).unwrap();
    session
        .apply(Intent::ClassifySeverity {
            level: 3,
            by: "soc".into(),
        })
        .unwrap();
    // Made between the classification and the end, at the same minute: the CEO's call, then a
    // note on how the room took it.
    record
        .release_adhoc(
            12,
            session.log().entries.len(),
            "CEO calls",
            "Is payroll safe?",
            vec![],
        )
        .unwrap();
    record
        .add_note(ObserverNote {
            minute: 12,
            role: None,
            dimension: None,
            text: "The SOC called it high at once".into(),
            after_intents: Some(session.log().entries.len()),
        })
        .unwrap();
    session.apply(Intent::EndExercise).unwrap();
    let report = AfterActionReport::build(&record, &session);
    let at_twelve: Vec<&str> = report
        .timeline
        .iter()
        .filter(|e| e.minute == 12)
        .map(|e| e.kind)
        .collect();
    let position = |kind: &str| at_twelve.iter().position(|k| *k == kind).unwrap();
    let last_decision = at_twelve.iter().rposition(|k| *k == "Decision").unwrap();
    // Between the same two intents, an ad-hoc inject comes before a note (the note is usually
    // about how the room took it); both come before the end the facilitator called after them.
    assert!(
        position("Decision") < position("Ad-hoc inject"),
        "{at_twelve:?}"
    );
    assert!(
        position("Ad-hoc inject") < position("Observation"),
        "{at_twelve:?}"
    );
    assert!(position("Observation") < last_decision, "{at_twelve:?}");
    // A severity change and a revealed fact are named for what they are, not "Inject".
    let kinds: Vec<&str> = report.timeline.iter().map(|e| e.kind).collect();
    assert!(kinds.contains(&"Severity"), "{kinds:?}");
    assert!(
        report
            .timeline
            .iter()
            .filter(|e| e.kind == "Inject")
            .all(|e| e.text.starts_with("Inject: ")),
        "{:#?}",
        report.timeline
    );
}
