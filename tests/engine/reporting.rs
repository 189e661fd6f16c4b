//! Reporting regimes with their real clocks: GDPR Art. 33's 72 hours, the card brands' 24, NIS2's
//! three reports and the SEC's four business days, started by the inject where the organisation
//! becomes aware and graded on the day they fall due.

use std::sync::Arc;

use warroom::engine::model::matrix::MessageContent;
use warroom::engine::model::matrix::{Dimension, ReportStage, Span};
use warroom::engine::model::scenario::MessageOption;
use warroom::engine::model::scenario::{ScenarioStart, Weekday};
use warroom::engine::scoring::reports_due;
use warroom::engine::{Finding, FindingKind, Intent, Scorecard, Session, score};

use crate::support::{matrix, play, play_edited, scenario, with_steps, without_lines};

const GDPR: &str = "communication:report:gdpr_art33";
const PCI: &str = "communication:report:pci_acquirer";
/// The exemplary's day-three filing, approved by leadership at minute 3180.
const FILING: &str = r#"AssignAction(action: "file-initial", role: "legal")"#;
const FILING_APPROVAL: &[&str] = &[
    r#"RequestApproval(action: "file-initial""#,
    r#"GrantApproval(action: "file-initial""#,
];

fn report_finding<'c>(card: &'c Scorecard, rule: &str) -> &'c Finding {
    let found: Vec<&Finding> = card.findings.iter().filter(|f| f.rule == rule).collect();
    assert_eq!(found.len(), 1, "{:#?}", card.findings);
    found[0]
}

/// The exfiltration exemplary with its day-three filing replaced by `steps`.
fn exfiltration_filing(steps: &[&str]) -> Scorecard {
    let mut needles = vec![FILING];
    needles.extend_from_slice(FILING_APPROVAL);
    score(&play_edited(
        "customer-data-exfiltration",
        "exemplary",
        |text| with_steps(&without_lines(text, &needles), steps),
    ))
}

#[test]
fn a_filing_before_the_deadline_keeps_the_points_and_says_when_the_clock_started() {
    let card = score(&play("customer-data-exfiltration", "exemplary"));
    let finding = report_finding(&card, GDPR);
    assert_eq!(finding.kind, FindingKind::Credit, "{finding:#?}");
    assert!(
        finding.message.contains("filed at Thu 14:20 (day 3)")
            && finding.message.contains("deadline of Fri 09:23 (day 4)")
            && finding.message.contains(
                "the clock started at Tue 09:23 with \"The customer table was read out\""
            ),
        "{}",
        finding.message
    );
    assert!(finding.citation.contains("Art. 33"));
}

#[test]
fn a_filing_after_the_72_hours_loses_a_share_scaled_by_the_delay() {
    // Friday 09:23 is minute 4328: filed five minutes late, just before the exercise ends.
    let late = exfiltration_filing(&[
        r#"Step(at: 4300, intent: RequestApproval(action: "file-initial", requested_by: "legal", approver: "exec")),"#,
        r#"Step(at: 4330, intent: GrantApproval(action: "file-initial", approver: "exec")),"#,
        r#"Step(at: 4333, intent: AssignAction(action: "file-initial", role: "legal")),"#,
    ]);
    let finding = report_finding(&late, GDPR);
    assert_eq!(finding.kind, FindingKind::Deduction);
    assert!(
        finding.message.contains("5 min after its deadline"),
        "{}",
        finding.message
    );
    let never = exfiltration_filing(&[]);
    let missed = report_finding(&never, GDPR);
    assert!(missed.message.contains("never filed"), "{}", missed.message);
    assert!(
        finding.points < 0 && finding.points > missed.points,
        "a late filing ({}) costs less than none ({})",
        finding.points,
        missed.points
    );
    assert!(late.total > never.total && never.total < 100);
}

#[test]
fn ended_before_the_deadline_the_report_is_not_reached_rather_than_missed() {
    let mut session = Session::new(scenario("customer-data-exfiltration"), matrix(), 0);
    session.apply(Intent::Advance { minutes: 200 }).unwrap();
    session.apply(Intent::EndExercise).unwrap();
    let card = score(&session);
    let finding = report_finding(&card, GDPR);
    assert_eq!(finding.kind, FindingKind::NotReached, "{finding:#?}");
    // The acquirer's 24 hours had not run out either.
    assert_eq!(report_finding(&card, PCI).kind, FindingKind::NotReached);
}

#[test]
fn a_clock_whose_deadline_falls_after_the_scenario_is_shown_but_not_graded() {
    // The ransomware hour starts GDPR's clock with the HR export; its 72 hours end on Saturday.
    let session = play("ransomware-file-server", "exemplary");
    let due = reports_due(&session);
    assert_eq!(due.len(), 1, "{due:#?}");
    assert_eq!(due[0].clock.regime.id.as_str(), "gdpr_art33");
    assert_eq!(due[0].clock.started, 25);
    assert_eq!(
        session.scenario().clock_label(due[0].deadline),
        "Sat 14:27 (day 4)"
    );
    let card = score(&session);
    assert!(card.findings.iter().all(|f| f.rule != GDPR));
}

#[test]
fn a_wrong_approach_files_nothing() {
    let card = exfiltration_filing(&[
        r#"Step(at: 3170, intent: AssignAction(action: "file-when-complete", role: "legal")),"#,
    ]);
    assert_eq!(report_finding(&card, GDPR).kind, FindingKind::Deduction);
    assert!(card.dimension(Dimension::Communication) < Some(100));
}

#[test]
fn a_deadline_inside_the_exercise_is_graded_whatever_the_matrix_gives() {
    // The ransomware hour against a plan whose GDPR regime gives 30 minutes: the deadline falls
    // inside the hour, and the exemplary (which leaves the filing to a later day) misses it.
    let mut edited = (*matrix()).clone();
    let regime = edited
        .regimes
        .iter_mut()
        .find(|r| r.id.as_str() == "gdpr_art33")
        .unwrap();
    regime.stages = vec![ReportStage {
        name: "Initial notification".into(),
        within: Span::Minutes(30),
        after_previous: false,
    }];
    let session = crate::support::play_with(
        Arc::new(edited),
        "ransomware-file-server",
        &crate::support::fixtures_dir()
            .join("ransomware-file-server")
            .join("exemplary.ron"),
    );
    let card = score(&session);
    let finding = report_finding(&card, GDPR);
    assert_eq!(finding.kind, FindingKind::Deduction);
    assert!(
        finding
            .message
            .contains("never filed, though it was due by Wed 14:57"),
        "{}",
        finding.message
    );
}

#[test]
fn a_message_to_the_regimes_audience_files_a_report_too() {
    let mut edited = (*scenario("ransomware-file-server")).clone();
    let hr_data = edited
        .injects
        .iter_mut()
        .find(|i| i.id.as_str() == "hr-data")
        .unwrap();
    hr_data.messages.push(MessageOption {
        id: "msg-regulator".into(),
        label: "Regulator: initial notification".into(),
        text: "Initial notification of a personal-data breach; details follow.".into(),
        content: vec![MessageContent::VerifiedFacts],
    });
    let mut session = Session::new(Arc::new(edited), matrix(), 0);
    session.apply(Intent::Advance { minutes: 40 }).unwrap();
    session
        .apply(Intent::Communicate {
            audience: "regulators".into(),
            sender: "legal".into(),
            message: "msg-regulator".into(),
            approvals: Vec::new(),
        })
        .unwrap();
    let due = reports_due(&session);
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].filed.map(|(_, minute)| minute), Some(40));
}

#[test]
fn nis2_counts_its_final_report_from_the_notification() {
    let mut edited = (*scenario("customer-data-exfiltration")).clone();
    let confirmed = edited
        .injects
        .iter_mut()
        .find(|i| i.id.as_str() == "exfil-confirmed")
        .unwrap();
    confirmed.starts_reporting = vec!["nis2_art23".into()];
    let mut session = Session::new(Arc::new(edited), matrix(), 0);
    session.apply(Intent::Advance { minutes: 20 }).unwrap();
    let due = reports_due(&session);
    let minutes: Vec<u32> = due
        .iter()
        .filter(|d| d.clock.regime.id.as_str() == "nis2_art23")
        .map(|d| d.deadline)
        .collect();
    // Awareness at minute 8: 24 hours, 72 hours, then 30 days after the notification's deadline
    // (it was never filed).
    assert_eq!(minutes, vec![8 + 1440, 8 + 4320, 8 + 4320 + 30 * 1440]);
}

#[test]
fn business_days_skip_the_weekend_and_run_to_the_end_of_the_last_day() {
    let mut s = (*scenario("ransomware-file-server")).clone();
    s.start = Some(ScenarioStart {
        weekday: Weekday::Thursday,
        time: "16:00".into(),
    });
    // Thursday 16:00 plus four business days: Friday, Monday, Tuesday, Wednesday, to 23:59.
    let deadline = s.minute_after(0, Span::BusinessDays(4));
    assert_eq!(s.clock_label(deadline), "Wed 23:59 (day 7)");
    // Determined on a Saturday: Monday is the first business day, Thursday the fourth.
    let saturday = s.minute_after(2 * 1440, Span::BusinessDays(4));
    assert_eq!(s.clock_label(saturday), "Thu 23:59 (day 8)");
    // Ten business days are two whole weeks.
    let ten = s.minute_after(0, Span::BusinessDays(10));
    assert_eq!(s.clock_label(ten), "Thu 23:59 (day 15)");
    assert_eq!(s.minute_after(u32::MAX - 5, Span::Days(3)), u32::MAX);
}

#[test]
fn a_filing_decision_graded_by_its_clock_is_not_charged_twice() {
    // Nobody files on day three: one deduction, for the missed deadline, and no "nobody acted".
    let card = exfiltration_filing(&[]);
    let charged: Vec<&Finding> = card
        .deductions()
        .filter(|f| f.rule == GDPR || f.rule.contains("d-file"))
        .collect();
    assert_eq!(charged.len(), 1, "{charged:#?}");
    assert_eq!(charged[0].rule, GDPR);
}

#[test]
fn the_after_action_report_lists_every_clock_with_its_deadline_and_what_became_of_it() {
    use warroom::engine::exercise::ExerciseRecord;
    use warroom::engine::model::scenario::Mode;
    use warroom::engine::reports::aar::AfterActionReport;

    let session = play("customer-data-exfiltration", "filing-waits-for-full-report");
    let record = ExerciseRecord::new("clocks", Mode::Practice, 1_795_000_000, &session);
    let report = AfterActionReport::build(&record, &session);
    let rows: Vec<(&str, &str, &str)> = report
        .reporting
        .iter()
        .map(|r| (r.report.as_str(), r.deadline.as_str(), r.status.as_str()))
        .collect();
    assert_eq!(
        rows,
        vec![
            (
                "GDPR Art. 33: Initial notification",
                "Fri 09:23 (day 4)",
                "Not filed"
            ),
            (
                "Card-brand rules (PCI): Notice to the acquirer",
                "Wed 09:27 (day 2)",
                "Filed Tue 09:33, on time"
            ),
        ]
    );
    let md = report.markdown();
    assert!(md.contains("## Reporting clocks"), "{md}");
}
