//! Grading a trainer can defend (rules 4): an Informed role counts as told in any of the ways
//! people tell each other, acting in the response is being engaged, a stale severity call is a
//! misjudgement, restraint is a result, and a mistake costs what the matrix says it is worth
//! wherever it happens.

use warroom::engine::model::matrix::Dimension;
use warroom::engine::{Finding, FindingKind, Intent, Scorecard, Session, score};

use crate::support::{
    fixtures_dir, matrix, play, play_edited, play_edited_with, scenario, shipped_scenarios,
    with_steps, without_lines,
};

/// The departing-insider exemplary tells the Help Desk a minute after IAM disables the engineer's
/// accounts at minute 15; the tests below take that telling out and tell it another way.
const TELL_HELP_DESK: &str = r#"Inform(from: "iam", to: ["help_desk"], about: "disable-engineer")"#;
const HELP_DESK_RULE: &str = "communication:informed:disable_account";

fn help_desk_finding(card: &Scorecard) -> &Finding {
    let found: Vec<&Finding> = card
        .findings
        .iter()
        .filter(|f| f.rule == HELP_DESK_RULE)
        .collect();
    assert_eq!(found.len(), 1, "{:#?}", card.findings);
    found[0]
}

/// The departing-insider exemplary without the Inform, with `steps` added.
fn insider_with(steps: &[&str]) -> Scorecard {
    score(&play_edited("departing-insider", "exemplary", |text| {
        with_steps(&without_lines(text, &[TELL_HELP_DESK]), steps)
    }))
}

/// 100 with nothing deducted, showing the deductions when not.
fn assert_full_marks(card: &Scorecard) {
    let deductions: Vec<&Finding> = card.deductions().collect();
    assert!(
        card.total == 100 && deductions.is_empty(),
        "{deductions:#?}"
    );
}

fn assert_told(card: &Scorecard, how: &str) {
    let finding = help_desk_finding(card);
    assert_eq!(finding.kind, FindingKind::Credit, "{finding:#?}");
    assert!(finding.message.contains(how), "{}", finding.message);
}

#[test]
fn informed_by_an_inform_before_the_work() {
    let card = insider_with(&[&format!("Step(at: 14, intent: {TELL_HELP_DESK}),")]);
    assert_told(&card, "before it was done");
}

#[test]
fn informed_on_completion_as_the_exemplary_does() {
    let card = score(&play("departing-insider", "exemplary"));
    assert_told(&card, "told by Identity and Access Management at minute 16");
}

#[test]
fn informed_by_an_inform_within_the_window_after_the_work() {
    let card = insider_with(&[&format!("Step(at: 20, intent: {TELL_HELP_DESK}),")]);
    assert_told(&card, "told by Identity and Access Management at minute 20");
    assert_full_marks(&card);
}

#[test]
fn informed_by_an_escalation_after_the_work() {
    let card = insider_with(&[
        r#"Step(at: 17, intent: Escalate(from: "iam", to: ["help_desk"], reason: "Expect calls about the locked accounts")),"#,
    ]);
    assert_told(
        &card,
        "brought in by an escalation from Identity and Access Management at minute 17",
    );
    // Bringing in a role to tell it what it must hear is not noise.
    assert!(card.deductions().next().is_none(), "{:#?}", card.findings);
}

#[test]
fn informed_by_a_handoff_after_the_work() {
    let card = insider_with(&[
        r#"Step(at: 18, intent: Handoff(Handoff(from: "iam", to: "help_desk", facts: ["insider_suspected"], observed: "The engineer's accounts are disabled; HR has a case open.", evidence: ["dlp-event"], actions_taken: ["disable-engineer"], recommended: [], urgency: Medium))),"#,
    ]);
    assert_told(
        &card,
        "handed work by Identity and Access Management at minute 18",
    );
}

#[test]
fn informed_by_being_asked_to_approve_the_work() {
    let card = insider_with(&[
        r#"Step(at: 14, intent: RequestApproval(action: "disable-engineer", requested_by: "iam", approver: "help_desk")),"#,
    ]);
    assert_told(
        &card,
        "asked by Identity and Access Management to approve it",
    );
}

#[test]
fn informed_by_being_in_the_response_when_the_work_is_done() {
    let card = insider_with(&[
        r#"Step(at: 12, intent: Escalate(from: "ir_manager", to: ["help_desk"], reason: "Accounts will be cut off")),"#,
    ]);
    assert_told(&card, "already in the response, since minute 12");
}

#[test]
fn informed_by_joining_the_response_by_acting() {
    let card = insider_with(&[
        r#"Step(at: 19, intent: Escalate(from: "help_desk", to: ["iam"], reason: "The engineer is calling about a locked account")),"#,
    ]);
    assert_told(&card, "joined the response by acting");
}

#[test]
fn informed_by_a_message_to_a_team_it_belongs_to() {
    // A plan that keeps the IR manager Informed of permission fixes, and the bucket play without
    // the SOC's escalation to him: the SOC's message to the incident team at minute 4, a minute
    // after Platform closed the bucket, is how he hears of it.
    let mut plan = (*matrix()).clone();
    plan.tasks
        .iter_mut()
        .find(|t| t.id.as_str() == "fix_cloud_permissions")
        .unwrap()
        .informed = vec!["ir_manager".into()];
    let session = play_edited_with(
        std::sync::Arc::new(plan),
        "exposed-storage-bucket",
        "exemplary",
        |text| without_lines(text, &[r#"Escalate(from: "soc", to: ["ir_manager"]"#]),
    );
    let card = score(&session);
    let closed = card
        .findings
        .iter()
        .find(|f| f.rule == "communication:informed:fix_cloud_permissions")
        .unwrap();
    assert_eq!(closed.kind, FindingKind::Credit);
    assert!(
        closed
            .message
            .contains("sent by Security Operations Center to Incident team at minute 4"),
        "{}",
        closed.message
    );
}

#[test]
fn informed_after_the_window_costs_half_and_never_costs_all() {
    let penalty = matrix().scoring.penalties.uninformed;
    let points = |card: &Scorecard| card.points[&Dimension::Communication];

    let late = insider_with(&[&format!("Step(at: 31, intent: {TELL_HELP_DESK}),")]);
    let finding = help_desk_finding(&late);
    assert_eq!(finding.kind, FindingKind::Deduction);
    assert!(
        finding
            .message
            .contains("16 min after it was done at minute 15")
            && finding.message.contains("allows 10 min"),
        "{}",
        finding.message
    );
    assert_eq!(points(&late).lost, u64::from(penalty / 2));

    let never = insider_with(&[]);
    let finding = help_desk_finding(&never);
    assert_eq!(finding.kind, FindingKind::Deduction);
    assert!(
        finding.message.contains("never told"),
        "{}",
        finding.message
    );
    assert_eq!(points(&never).lost, u64::from(penalty));
    assert!(finding.points < help_desk_finding(&late).points);
    assert!(never.total < late.total && late.total < 100);
}

#[test]
fn an_exercise_ended_inside_the_window_lists_the_telling_as_not_reached() {
    let session = play_edited("departing-insider", "exemplary", |text| {
        let cut: String = without_lines(text, &[TELL_HELP_DESK, "Step(at: 31"]);
        with_steps(&cut, &["Step(at: 20, intent: EndExercise),"])
    });
    let card = score(&session);
    assert!(card.ended_early);
    let finding = help_desk_finding(&card);
    assert_eq!(finding.kind, FindingKind::NotReached, "{finding:#?}");
}

/// Each scenario's natural play, written from the plan as a trainer would run it (triage, tell or
/// escalate, hand off, act, communicate; nothing added for a grading rule's sake), scores at
/// least 95, and the exemplary still 100 with no deduction.
#[test]
fn plays_written_as_people_play_score_at_least_95() {
    for id in shipped_scenarios() {
        let natural = score(&play(&id, "natural"));
        assert!(natural.complete, "{id}");
        assert!(
            natural.total >= 95,
            "{id}: natural play scored {}: {:#?}",
            natural.total,
            natural.deductions().collect::<Vec<_>>()
        );
        let exemplary = score(&play(&id, "exemplary"));
        assert_eq!(exemplary.total, 100, "{id}");
    }
}

/// The issue's repros: the ransomware exemplary once told the incident manager and PR with an
/// `Inform` before each piece of work; without them (as it is now) PR hears of the shutdown when
/// it is brought in for the staff notice, and IT tells FS-01's owner of the isolation on
/// completion. Nothing is lost, and each credit says how the role was told.
#[test]
fn natural_telling_loses_nothing_in_the_ransomware_exemplary() {
    let card = score(&play("ransomware-file-server", "exemplary"));
    assert_full_marks(&card);
    let informed: Vec<&Finding> = card
        .findings
        .iter()
        .filter(|f| f.rule.starts_with("communication:informed:"))
        .collect();
    assert!(informed.len() >= 3, "{informed:#?}");
    assert!(informed.iter().all(|f| f.kind == FindingKind::Credit));
    assert!(informed.iter().any(|f| f.message.contains(
        "PR and Communications knew of \"Shut FS-01 down\" (done at minute 23): brought in by an escalation"
    )));
    assert!(informed.iter().any(|f| f.message.contains(
        "Business Process Owner knew of \"Isolate FS-01 from the network (it stays powered on, memory intact)\" (done at minute 2): told by IT Operations at minute 2"
    )));
}

/// The issue's repros as they were filed, against the fixture as it then stood (an `Inform` put
/// before the triage, the shutdown decision and the shutdown): taking out the first, or all three,
/// loses nothing.
#[test]
fn the_filed_informed_repros_score_100() {
    let ir_manager_told =
        r#"Step(at: 1, intent: Inform(from: "soc", to: ["ir_manager"], about: "triage-fs01")),"#;
    let pr_told = [
        r#"Step(at: 21, intent: Inform(from: "exec", to: ["pr_comms"], about: "decide-shutdown")),"#,
        r#"Step(at: 23, intent: Inform(from: "it_ops", to: ["pr_comms"], about: "shutdown-fs01")),"#,
    ];
    let with_informs = |steps: &[&str]| {
        score(&play_edited(
            "ransomware-file-server",
            "exemplary",
            |text| with_steps(text, steps),
        ))
    };
    let as_filed = with_informs(&[ir_manager_told, pr_told[0], pr_told[1]]);
    let first_deleted = with_informs(&pr_told);
    let all_deleted = score(&play("ransomware-file-server", "exemplary"));
    for card in [as_filed, first_deleted, all_deleted] {
        assert_full_marks(&card);
    }
}

/// An incident manager nobody escalated to, who declares the incident and brings in the CISO,
/// Legal and leadership himself, is in the response from the moment he acts.
#[test]
fn acting_in_the_response_is_being_engaged() {
    let mut session = Session::new(scenario("ransomware-file-server"), matrix(), 4);
    session.apply(Intent::Advance { minutes: 12 }).unwrap();
    session
        .apply(Intent::DeclareIncident {
            by: "ir_manager".into(),
        })
        .unwrap();
    session
        .apply(Intent::Escalate {
            from: "ir_manager".into(),
            to: vec!["ciso".into(), "legal".into(), "exec".into()],
            reason: "Extortion demand".into(),
        })
        .unwrap();
    let rest = session.scenario().duration_mins - session.minute();
    session.apply(Intent::Advance { minutes: rest }).unwrap();
    let card = score(&session);
    let about_ir: Vec<&Finding> = card
        .findings
        .iter()
        .filter(|f| {
            f.dimension == Dimension::Escalation
                && f.message.starts_with("Incident Response Manager was")
        })
        .collect();
    assert!(!about_ir.is_empty(), "{:#?}", card.findings);
    for finding in about_ir {
        assert_eq!(finding.kind, FindingKind::Credit, "{finding:#?}");
        assert!(finding.message.contains("engaged at minute 12"));
    }
}

const RECLASSIFY_RULE: &str = "escalation:severity_reclassification";
const LATER_CALLS: [&str; 2] = [
    "Step(at: 10, intent: ClassifySeverity",
    "Step(at: 13, intent: ClassifySeverity",
];

/// The web-shop exemplary without its later severity calls: the call of 2 stands while the card
/// data puts the evidence at 4 from minute 12.
#[test]
fn a_severity_call_the_facts_overtook_is_a_misjudgement() {
    let stale = score(&play_edited(
        "customer-data-exfiltration",
        "exemplary",
        |text| without_lines(text, &LATER_CALLS),
    ));
    assert!(stale.total < 100);
    let finding = stale
        .deductions()
        .find(|f| f.rule == RECLASSIFY_RULE)
        .expect("the stale call is faulted");
    assert!(
        finding.message.contains("never revised") && finding.message.contains("minute 12"),
        "{}",
        finding.message
    );

    let reclassify = |minute: u32| {
        score(&play_edited(
            "customer-data-exfiltration",
            "exemplary",
            |text| {
                with_steps(
                    &without_lines(text, &LATER_CALLS),
                    &[&format!(
                        r#"Step(at: {minute}, intent: ClassifySeverity(level: 4, by: "soc")),"#
                    )],
                )
            },
        ))
    };
    let in_time = reclassify(20);
    let credit = in_time
        .findings
        .iter()
        .find(|f| f.rule == RECLASSIFY_RULE)
        .unwrap();
    assert_eq!(credit.kind, FindingKind::Credit);
    assert!(credit.message.contains("8 min after"), "{}", credit.message);
    let too_late = reclassify(30);
    assert!(too_late.deductions().any(|f| f.rule == RECLASSIFY_RULE));
    assert!(too_late.total < in_time.total);
}

#[test]
fn restraint_is_a_result_and_no_call_is_said_in_words() {
    let card = score(&play("maintenance-window-false-alarm", "exemplary"));
    assert_eq!(card.dimension(Dimension::Escalation), Some(100));
    assert!(
        card.findings
            .iter()
            .any(|f| f.rule == "escalation:proportionate" && f.kind == FindingKind::Credit)
    );
    // Triage and context only: no severity call, no escalation.
    let mut session = Session::new(scenario("maintenance-window-false-alarm"), matrix(), 0);
    session.apply(Intent::Advance { minutes: 1 }).unwrap();
    session
        .apply(Intent::AssignAction {
            action: "triage-logins".into(),
            role: "soc".into(),
        })
        .unwrap();
    session.apply(Intent::EndExercise).unwrap();
    let card = score(&session);
    assert_eq!(card.dimension(Dimension::Escalation), None);
    let reason = card.not_tested_reason(Dimension::Escalation).unwrap();
    assert!(reason.contains("No severity call was made"), "{reason}");
}

/// Item 5: the misdirected password reset in place of the revocation never scores higher, in
/// total or in any dimension, than the revocation, in the exemplary play and in plays that
/// differ from it elsewhere.
#[test]
fn a_wrong_approach_never_outscores_the_right_one() {
    let variants: [&[&str]; 4] = [
        &[],
        &[r#"Escalate(from: "soc", to: ["legal"]"#],
        &[
            "RequestApproval(action: \"tighten-policy\"",
            "GrantApproval(action: \"tighten-policy\"",
        ],
        &["AssignAction(action: \"review-crm-logs\""],
    ];
    for removed in variants {
        let right = if removed.is_empty() {
            play("hijacked-session-token", "exemplary")
        } else {
            play_edited("hijacked-session-token", "exemplary", |text| {
                without_lines(text, removed)
            })
        };
        let wrong = play_edited("hijacked-session-token", "exemplary", |text| {
            without_lines(text, removed)
                .replace(
                    r#"AssignAction(action: "revoke-sessions", role: "iam")"#,
                    r#"AssignAction(action: "reset-password-now", role: "help_desk")"#,
                )
                .replace(
                    r#"actions_taken: ["triage-idp", "revoke-sessions"]"#,
                    r#"actions_taken: ["triage-idp", "reset-password-now"]"#,
                )
        });
        let (right, wrong) = (score(&right), score(&wrong));
        assert!(wrong.total < right.total, "{removed:?}");
        for dimension in Dimension::ALL {
            assert!(
                wrong.dimension(dimension).unwrap_or(0)
                    <= right.dimension(dimension).unwrap_or(100),
                "{removed:?} {dimension:?}: {:?} > {:?}",
                wrong.dimension(dimension),
                right.dimension(dimension)
            );
        }
    }
}

/// What one deduction costs the total: the total's drop when it is added to a play.
fn drop_of(base: &Scorecard, with_mistake: &Scorecard) -> i64 {
    i64::from(base.total) - i64::from(with_mistake.total)
}

/// Item 4: the same omission (the staff notice sent without the IR manager's approval), added to
/// plays whose communication dimension has 1, 5 and 20 other checks passed, costs the total the
/// same.
#[test]
fn a_mistake_costs_the_same_however_many_checks_share_its_dimension() {
    let approval = [
        r#"RequestMessageApproval(message: "msg-staff-notice""#,
        r#"GrantMessageApproval(message: "msg-staff-notice""#,
    ];
    let mut drops = Vec::new();
    for extra in [1usize, 5, 20] {
        // Each extra update to the incident team from the SOC is a communication check passed.
        let updates: Vec<String> = (0..extra)
            .map(|i| {
                format!(
                    r#"Step(at: {}, intent: Communicate(audience: "incident_team", sender: "soc", message: "msg-team-initial")),"#,
                    4 + i
                )
            })
            .collect();
        let updates: Vec<&str> = updates.iter().map(String::as_str).collect();
        let clean = score(&play_edited(
            "ransomware-file-server",
            "exemplary",
            |text| with_steps(text, &updates),
        ));
        let checks = clean.findings_in(Dimension::Communication).count();
        assert!(checks > extra, "{checks} communication checks");
        let slip = score(&play_edited(
            "ransomware-file-server",
            "exemplary",
            |text| with_steps(&without_lines(text, &approval), &updates),
        ));
        assert_eq!(slip.deductions().count(), 1, "{:#?}", slip.findings);
        drops.push(drop_of(&clean, &slip));
    }
    let (lo, hi) = (drops.iter().min().unwrap(), drops.iter().max().unwrap());
    assert!(*lo > 0 && hi - lo <= 2, "{drops:?}");
}

/// Item 4: in every shipped scenario, a minor slip (an Informed role never told) costs no more of
/// the total than a major mistake (the wrong owner of a containment action, evidence destroyed,
/// an unapproved public statement), as the matrix prices them there.
#[test]
fn a_minor_slip_never_costs_more_than_a_major_mistake() {
    use warroom::engine::scoring::cost_of;
    let matrix = matrix();
    let penalties = &matrix.scoring.penalties;
    let policy = &matrix.scoring;
    let minor = cost_of(
        policy,
        Dimension::Communication,
        penalties.uninformed,
        penalties.uninformed,
    );
    let majors = [
        (Dimension::Ownership, penalties.wrong_owner),
        (Dimension::Evidence, penalties.evidence_destroyed),
        (Dimension::Communication, penalties.missing_approval),
        (Dimension::SeparationOfDuties, penalties.unapproved_change),
    ];
    for (dimension, penalty) in majors {
        assert!(
            minor <= cost_of(policy, dimension, penalty, penalty),
            "{dimension:?}"
        );
    }
    // And as graded: every Informed deduction any fixture or stripped play meets costs no more
    // than any major deduction of the same scenario.
    for id in shipped_scenarios() {
        let script =
            std::fs::read_to_string(fixtures_dir().join(&id).join("exemplary.ron")).unwrap();
        let informs: Vec<&str> = script
            .lines()
            .filter(|l| l.contains("intent: Inform("))
            .collect();
        let stripped = if informs.is_empty() {
            score(&play(&id, "exemplary"))
        } else {
            score(&play_edited(&id, "exemplary", |text| {
                without_lines(text, &informs)
            }))
        };
        let mut cards = vec![stripped];
        for name in crate::support::flawed_scripts(&id) {
            cards.push(score(&play(&id, &name)));
        }
        let deductions: Vec<&Finding> = cards.iter().flat_map(Scorecard::deductions).collect();
        let worst_minor = deductions
            .iter()
            .filter(|f| f.rule.starts_with("communication:informed:"))
            .map(|f| -f.points)
            .max();
        let least_major = deductions
            .iter()
            .filter(|f| {
                (f.rule.starts_with("raci:") && f.message.contains("Responsible for"))
                    || f.rule.starts_with("evidence:")
                    || f.rule.ends_with(":approval")
            })
            .map(|f| -f.points)
            .min();
        if let (Some(minor), Some(major)) = (worst_minor, least_major) {
            assert!(minor <= major, "{id}: minor {minor} > major {major}");
        }
    }
}

/// Leaders may hear a hypothesis labelled as one, with its confidence; nobody outside may.
#[test]
fn a_labelled_assessment_reaches_executives_and_never_leaves_the_organisation() {
    let to = |audience: &str, sender: &str| {
        score(&play_edited(
            "ransomware-file-server",
            "exemplary",
            |text| {
                with_steps(
                    text,
                    &[&format!(
                        r#"Step(at: 18, intent: Communicate(audience: "{audience}", sender: "{sender}", message: "msg-exec-assessment")),"#
                    )],
                )
            },
        ))
    };
    let executives = to("executives", "ir_manager");
    assert_full_marks(&executives);
    let media = to("media", "pr_comms");
    let leaked: Vec<&Finding> = media
        .deductions()
        .filter(|f| f.rule == "communication:media:content")
        .collect();
    assert!(
        leaked
            .iter()
            .any(|f| f.message.contains("a labelled assessment")),
        "{leaked:#?}"
    );
}
