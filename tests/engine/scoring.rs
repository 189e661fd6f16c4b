//! Scoring against the fixture scripts: exemplary runs score 100 with no deduction, each flawed run loses
//! points in the dimension of its mistake and the finding cites the matrix rule it breaks.

use std::sync::Arc;

use warroom::engine::content::library::load_matrix;
use warroom::engine::model::matrix::Dimension;
use warroom::engine::{FindingKind, Scorecard, Session, score};

use crate::support::{
    fixtures_dir, flawed_scripts, matrix, matrix_path, play, play_with, scenario, shipped_scenarios,
};

/// The play the matrix wants scores 100 with no deduction at all: no rule of the matrix penalises
/// what another requires.
#[test]
fn every_exemplary_script_scores_100_with_no_deduction() {
    for id in shipped_scenarios() {
        let card = score(&play(&id, "exemplary"));
        assert!(card.complete, "{id}: run should reach the end");
        let deductions: Vec<_> = card.deductions().collect();
        assert!(deductions.is_empty(), "{id}: {deductions:#?}");
        assert_eq!(card.total, 100, "{id}");
    }
}

/// The run where the player does nothing at all: the clock runs to the scenario's end.
fn passive_run(id: &str) -> Session {
    let scenario = scenario(id);
    let duration = scenario.duration_mins;
    let mut session = Session::new(scenario, matrix(), 0);
    session
        .apply(warroom::engine::Intent::Advance { minutes: duration })
        .unwrap();
    session
}

#[test]
fn doing_nothing_scores_at_most_20_and_every_flawed_run_less_than_the_exemplary() {
    for id in shipped_scenarios() {
        let passive = score(&passive_run(&id));
        assert!(passive.complete && !passive.ended_early, "{id}");
        assert!(
            passive.total <= 20,
            "{id}: doing nothing scored {}: {:?}",
            passive.total,
            passive.dimensions
        );
        // Nothing was done, so nothing can have been credited.
        assert!(
            !passive
                .findings
                .iter()
                .any(|f| f.kind == FindingKind::Credit),
            "{id}"
        );
        let exemplary = score(&play(&id, "exemplary")).total;
        for name in flawed_scripts(&id) {
            let flawed = score(&play(&id, &name));
            // Each flawed play loses at least 5 points of the total, and is still better than
            // doing nothing.
            assert!(
                flawed.total + 5 <= exemplary && flawed.total > passive.total,
                "{id}/{name}: {} (exemplary {exemplary}, passive {})",
                flawed.total,
                passive.total
            );
        }
    }
}

/// Calibration (docs/format.md): each classic mistake a flawed fixture makes costs at least the
/// matrix's `mistake_floor` of the total, however many checks its dimension passed; only a run
/// whose faults are all a matter of timing (late, not wrong) may lose less.
#[test]
fn every_classic_mistake_costs_at_least_the_floor_of_the_total() {
    let floor = matrix().scoring.mistake_floor;
    assert_eq!(floor, 5, "the reference matrix's calibration");
    for id in shipped_scenarios() {
        let exemplary = score(&play(&id, "exemplary")).total;
        for name in flawed_scripts(&id) {
            let flawed = score(&play(&id, &name));
            let mistakes: u32 = flawed.points.values().map(|p| p.mistakes).sum();
            if mistakes == 0 {
                assert!(
                    flawed
                        .deductions()
                        .all(|f| f.message.contains("late") || f.message.contains("after")),
                    "{id}/{name}: a deduction that is no mistake must be about timing"
                );
                continue;
            }
            assert!(
                exemplary - flawed.total >= floor,
                "{id}/{name}: {mistakes} mistake(s) cost only {} points",
                exemplary - flawed.total
            );
        }
    }
}

#[test]
fn untested_dimensions_are_null_with_a_reason_and_count_for_nothing() {
    // The false-alarm scenario needs no handoff: handoffs are not tested.
    let card = score(&play("maintenance-window-false-alarm", "exemplary"));
    assert_eq!(card.dimension(Dimension::Handoffs), None);
    let reason = card.not_tested_reason(Dimension::Handoffs).unwrap();
    assert!(reason.starts_with("Not tested:"), "{reason}");
    let json: serde_json::Value = serde_json::from_str(&card.to_json()).unwrap();
    assert!(json["dimensions"]["handoffs"].is_null());
    // The total is 100 less what the deductions cost; an untested dimension has none.
    assert_eq!(u64::from(card.total), 100 - card.deducted);
    assert_eq!(card.total_explained(), "100: nothing deducted");
}

#[test]
fn ending_early_grades_what_was_due_and_lists_the_rest_as_not_reached() {
    use warroom::engine::Intent;
    // The exemplary ransomware run, stopped at minute 13 of 60.
    let full = play("ransomware-file-server", "exemplary");
    let mut session = Session::new(full.scenario_arc(), matrix(), full.seed());
    for entry in &full.log().entries {
        if entry.minute > 13 {
            break;
        }
        if matches!(entry.intent, Intent::Advance { .. } | Intent::EndExercise) {
            continue;
        }
        if entry.minute > session.minute() {
            let minutes = entry.minute - session.minute();
            session.apply(Intent::Advance { minutes }).unwrap();
        }
        session.apply(entry.intent.clone()).unwrap();
    }
    session.apply(Intent::EndExercise).unwrap();
    let card = score(&session);
    assert!(card.ended_early && card.complete);
    assert!(card.total <= 100);
    // What lay ahead is listed, never charged: the media were due long after.
    let not_reached: Vec<&str> = card.not_reached().map(|f| f.rule.as_str()).collect();
    assert!(
        not_reached.contains(&"communication:media:required"),
        "{not_reached:?}"
    );
    assert!(
        !card
            .deductions()
            .any(|f| f.rule == "communication:media:required")
    );
}

/// (scenario, flawed script, dimension that must drop, rule the finding applies, citation source).
const FLAWED: &[(&str, &str, Dimension, &str)] = &[
    (
        "edge-gateway-zero-day",
        "reset-before-capture",
        Dimension::Evidence,
        "evidence:reimage_host",
    ),
    (
        "edge-gateway-zero-day",
        "private-channel-in-the-same-chat",
        Dimension::Ownership,
        "decision:d-channel",
    ),
    (
        "edge-gateway-zero-day",
        "one-line-handover",
        Dimension::Ownership,
        "decision:d-handover",
    ),
    (
        "edge-gateway-zero-day",
        "early-warning-after-forensics",
        Dimension::Communication,
        "communication:report:nis2_art23",
    ),
    (
        "edge-gateway-zero-day",
        "waits-for-the-patch",
        Dimension::Ownership,
        "decision:d-advisory",
    ),
    (
        "customer-data-exfiltration",
        "filing-waits-for-full-report",
        Dimension::Communication,
        "communication:report:gdpr_art33",
    ),
    (
        "exposed-storage-bucket",
        "ticket-to-provider",
        Dimension::Ownership,
        "decision:d-first",
    ),
    (
        "hijacked-session-token",
        "password-reset-instead-of-revoke",
        Dimension::Ownership,
        "decision:d-triage",
    ),
    (
        "customer-data-exfiltration",
        "rotate-secret-instead-of-patching",
        Dimension::Ownership,
        "decision:d-contain",
    ),
    (
        "leaked-pipeline-secret",
        "waits-for-the-fork-to-go",
        Dimension::Ownership,
        "decision:d-triage",
    ),
    (
        "poisoned-vendor-update",
        "redeploys-unverified-build",
        Dimension::Ownership,
        "decision:d-patch",
    ),
    (
        "journalist-calls",
        "no-comment-to-the-press",
        Dimension::Ownership,
        "decision:d-media",
    ),
    (
        "helpdesk-mfa-reset",
        "callback-to-the-callers-number",
        Dimension::Ownership,
        "decision:d-first",
    ),
    (
        "helpdesk-mfa-reset",
        "agent-disciplined",
        Dimension::Ownership,
        "decision:d-process",
    ),
    (
        "misdirected-email",
        "relies-on-the-recall",
        Dimension::Ownership,
        "decision:d-recover",
    ),
    (
        "misdirected-email",
        "sender-disciplined",
        Dimension::Ownership,
        "decision:d-prevent",
    ),
    (
        "helpdesk-mfa-reset",
        "finance-told-too-late",
        Dimension::Escalation,
        "escalation:fraud_finance",
    ),
    (
        "researcher-vulnerability-report",
        "assumes-no-earlier-exploitation",
        Dimension::Ownership,
        "decision:d-logs",
    ),
    (
        "ransomware-file-server",
        "speculation-to-executives",
        Dimension::Communication,
        "communication:executives:content",
    ),
    (
        "ransomware-file-server",
        "soc-remediates-before-evidence",
        Dimension::Evidence,
        "evidence:reimage_host",
    ),
    (
        "ransomware-file-server",
        "soc-remediates-before-evidence",
        Dimension::Ownership,
        "raci:reimage_host",
    ),
    (
        "ransomware-file-server",
        "escalate-everything",
        Dimension::Escalation,
        "escalation:needless_engagement",
    ),
    (
        "ransomware-file-server",
        "statement-before-legal",
        Dimension::Communication,
        "communication:media:approval",
    ),
    (
        "leaked-pipeline-secret",
        "key-left-without-owner",
        Dimension::Ownership,
        "ownership:unowned:deploy_key",
    ),
    (
        "poisoned-vendor-update",
        "analyst-contacts-vendor",
        Dimension::Communication,
        "communication:contact:software_vendor",
    ),
    (
        "hijacked-session-token",
        "policy-reviewed-by-help-desk",
        Dimension::SeparationOfDuties,
        "sod:update_access_policy",
    ),
    (
        "ransomware-file-server",
        "handoff-states-a-guess-as-fact",
        Dimension::Handoffs,
        "handoff:elements",
    ),
    (
        "maintenance-window-false-alarm",
        "pages-every-team",
        Dimension::Escalation,
        "escalation:needless_engagement",
    ),
    (
        "departing-insider",
        "accounts-disabled-help-desk-unaware",
        Dimension::Communication,
        "communication:informed:disable_account",
    ),
    (
        "journalist-calls",
        "statement-while-approvals-pending",
        Dimension::Communication,
        "communication:media:approval",
    ),
    (
        "ransomware-file-server",
        "handoff-without-evidence",
        Dimension::Handoffs,
        "handoff:elements",
    ),
    (
        "ransomware-file-server",
        "self-approved-firewall-change",
        Dimension::SeparationOfDuties,
        "sod:self_approval",
    ),
    (
        "ransomware-file-server",
        "legal-too-late",
        Dimension::Escalation,
        "escalation:personal_data_legal",
    ),
    (
        "customer-data-exfiltration",
        "legal-too-late",
        Dimension::Escalation,
        "escalation:personal_data_legal",
    ),
    (
        "customer-data-exfiltration",
        "customer-notice-before-legal",
        Dimension::Communication,
        "communication:customers:approval",
    ),
    (
        "customer-data-exfiltration",
        "customer-notice-before-legal",
        Dimension::Communication,
        "communication:customers:content",
    ),
    (
        "leaked-pipeline-secret",
        "soc-revokes-key-itself",
        Dimension::Ownership,
        "raci:revoke_credential",
    ),
    (
        "leaked-pipeline-secret",
        "soc-revokes-key-itself",
        Dimension::Escalation,
        "escalation:identity_iam",
    ),
    (
        "leaked-pipeline-secret",
        "pipeline-paused-without-approval",
        Dimension::SeparationOfDuties,
        "sod:pause_pipeline",
    ),
    (
        "exposed-storage-bucket",
        "provider-asked-to-fix",
        Dimension::Ownership,
        "raci:fix_cloud_permissions",
    ),
    (
        "exposed-storage-bucket",
        "legal-too-late",
        Dimension::Escalation,
        "escalation:personal_data_legal",
    ),
    (
        "hijacked-session-token",
        "soc-resets-password",
        Dimension::Ownership,
        "raci:reset_user_credentials",
    ),
    (
        "hijacked-session-token",
        "revocation-without-handoff",
        Dimension::Handoffs,
        "handoff:context",
    ),
    (
        "invoice-fraud-bec",
        "finance-engaged-late",
        Dimension::Escalation,
        "escalation:fraud_finance",
    ),
    (
        "invoice-fraud-bec",
        "soc-calls-police",
        Dimension::Ownership,
        "raci:contact_law_enforcement",
    ),
    (
        "invoice-fraud-bec",
        "soc-calls-police",
        Dimension::Communication,
        "communication:law_enforcement:sender",
    ),
    (
        "departing-insider",
        "soc-investigates-employee",
        Dimension::Ownership,
        "raci:employee_investigation",
    ),
    (
        "departing-insider",
        "employee-named-to-all-staff",
        Dimension::Communication,
        "communication:all_staff:content",
    ),
    (
        "departing-insider",
        "wipe-before-imaging",
        Dimension::Evidence,
        "evidence:reimage_host",
    ),
    (
        "ddos-customer-portal",
        "it-decides-tradeoff",
        Dimension::Ownership,
        "raci:approve_service_shutdown",
    ),
    (
        "ddos-customer-portal",
        "soc-posts-status",
        Dimension::Communication,
        "communication:customers:sender",
    ),
    (
        "poisoned-vendor-update",
        "shares-without-legal",
        Dimension::SeparationOfDuties,
        "sod:share_indicators",
    ),
    (
        "poisoned-vendor-update",
        "rebuild-before-imaging",
        Dimension::Evidence,
        "evidence:reimage_host",
    ),
    (
        "maintenance-window-false-alarm",
        "executives-woken-up",
        Dimension::Escalation,
        "escalation:over_escalation",
    ),
    (
        "maintenance-window-false-alarm",
        "declared-critical",
        Dimension::Escalation,
        "escalation:severity_classification",
    ),
    (
        "researcher-vulnerability-report",
        "threatening-reply",
        Dimension::Communication,
        "communication:researchers:approval",
    ),
    (
        "researcher-vulnerability-report",
        "statement-without-approval",
        Dimension::SeparationOfDuties,
        "sod:external_statement",
    ),
    (
        "journalist-calls",
        "analyst-answers-reporter",
        Dimension::Communication,
        "communication:media:sender",
    ),
    (
        "journalist-calls",
        "analyst-answers-reporter",
        Dimension::Ownership,
        "raci:external_statement",
    ),
    (
        "journalist-calls",
        "statement-before-legal",
        Dimension::Communication,
        "communication:media:approval",
    ),
    (
        "journalist-calls",
        "statement-before-legal",
        Dimension::Escalation,
        "escalation:media_pr",
    ),
    (
        "customer-data-exfiltration",
        "soc-revokes-credential",
        Dimension::Ownership,
        "raci:revoke_credential",
    ),
];

/// The citation text the matrix gives for a rule id.
fn citation_for(rule: &str) -> String {
    let m = matrix();
    let (family, rest) = rule.split_once(':').unwrap();
    match family {
        "raci" => m.task(rest).unwrap().citation.clone(),
        "evidence" => m
            .tasks
            .iter()
            .find(|t| t.preserves_evidence)
            .unwrap()
            .citation
            .clone(),
        "handoff" if rest == "context" => m.handoffs.context_citation.clone(),
        "handoff" => m.handoffs.citation.clone(),
        "sod" if rest == "self_approval" => m.separation_of_duties.citation.clone(),
        "sod"
            if m.task(rest)
                .is_some_and(|t| !t.approvals.is_empty() || !t.approvals_any_of.is_empty()) =>
        {
            m.separation_of_duties.approval_citation.clone()
        }
        "sod" => m.separation_of_duties.citation.clone(),
        "ownership" if rest.starts_with("unowned:") => {
            m.task("establish_owner").unwrap().citation.clone()
        }
        "communication" if rest.starts_with("contact:") => m
            .contact(&rest["contact:".len()..])
            .unwrap()
            .citation
            .clone(),
        "communication" if rest.starts_with("informed:") => {
            m.task(&rest["informed:".len()..]).unwrap().citation.clone()
        }
        "communication" if rest.starts_with("report:") => {
            m.regime(&rest["report:".len()..]).unwrap().citation.clone()
        }
        "communication" => {
            let audience = rest.split(':').next().unwrap();
            m.audience(audience).unwrap().citation.clone()
        }
        "escalation" if rest == "over_escalation" || rest == "needless_engagement" => {
            m.escalation.over_escalation.citation.clone()
        }
        // The severity-classification finding quotes the level's own description.
        "escalation" if rest == "severity_classification" => {
            let s = m.severity(2).unwrap();
            format!("Severity {} ({}): {}", s.level, s.name, s.description)
        }
        "escalation" => m
            .escalation
            .rules
            .iter()
            .find(|r| r.id.as_str() == rest)
            .unwrap()
            .citation
            .clone(),
        _ => panic!("unknown rule family {family}"),
    }
}

/// A wrong approach to a decision cites the responsibility of the option that resolves it.
fn misdirection_citation(scenario_id: &str, decision: &str) -> String {
    let scenario = scenario(scenario_id);
    let point = scenario
        .injects
        .iter()
        .flat_map(|i| &i.decisions)
        .find(|d| d.id.as_str() == decision)
        .unwrap();
    let wrong = point
        .actions
        .iter()
        .find_map(|a| a.misdirected.as_ref())
        .unwrap();
    let instead = point
        .actions
        .iter()
        .find(|a| a.id == wrong.instead)
        .unwrap();
    matrix()
        .task(instead.task.as_str())
        .unwrap()
        .citation
        .clone()
}

#[test]
fn each_flawed_script_loses_points_in_its_dimension_and_cites_the_rule() {
    for (scenario, script, dimension, rule) in FLAWED {
        let exemplary = score(&play(scenario, "exemplary"));
        let flawed = score(&play(scenario, script));
        assert!(
            flawed.dimension(*dimension) < exemplary.dimension(*dimension),
            "{scenario}/{script}: {dimension:?} did not drop ({:?} vs {:?})",
            flawed.dimension(*dimension),
            exemplary.dimension(*dimension)
        );
        let finding = flawed
            .deductions()
            .find(|f| f.rule == *rule)
            .unwrap_or_else(|| {
                panic!(
                    "{scenario}/{script}: no deduction for {rule}: {:#?}",
                    flawed.findings
                )
            });
        assert_eq!(finding.dimension, *dimension, "{scenario}/{script}");
        let expected = if let Some(decision) = rule.strip_prefix("decision:") {
            misdirection_citation(scenario, decision)
        } else {
            citation_for(rule)
        };
        assert_eq!(finding.citation, expected, "{scenario}/{script}: citation");
        assert!(finding.points < 0);
        assert!(!finding.advice.is_empty());
        assert!(
            flawed.total < exemplary.total,
            "{scenario}/{script}: total should drop"
        );
    }
}

#[test]
fn a_message_is_approved_only_by_approvals_granted_before_it_was_sent() {
    let card = score(&play(
        "journalist-calls",
        "statement-while-approvals-pending",
    ));
    let pending: Vec<&str> = card
        .deductions()
        .filter(|f| f.rule == "communication:media:approval")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(pending.len(), 2, "Legal and leadership: {pending:?}");
    assert!(
        pending
            .iter()
            .all(|m| m.contains("asked for at minute 10, was still pending")),
        "{pending:?}"
    );
    // The same requests granted before sending: no approval deduction.
    let exemplary = score(&play("journalist-calls", "exemplary"));
    assert!(
        !exemplary
            .deductions()
            .any(|f| f.rule.ends_with(":approval"))
    );
}

#[test]
fn a_handoffs_urgency_is_judged_at_the_severity_of_its_moment() {
    use warroom::engine::{Handoff, Intent, Urgency};
    // The web-shop breach climbs from severity 2 to 4 within the first quarter hour.
    let mut session = Session::new(scenario("customer-data-exfiltration"), matrix(), 0);
    let severity_then = session.severity();
    session
        .apply(Intent::Handoff(Handoff {
            from: "soc".into(),
            to: "it_ops".into(),
            observed: "Large responses to injected searches on the web shop".into(),
            facts: vec![],
            evidence: vec![],
            actions_taken: vec![],
            recommended: vec![],
            urgency: Some(Urgency::Medium),
        }))
        .unwrap();
    session.apply(Intent::Advance { minutes: 30 }).unwrap();
    assert!(
        session.severity() >= severity_then + 2,
        "severity rose after the handoff"
    );
    let card = score(&session);
    assert!(
        !card.deductions().any(|f| f.message.contains("urgency")),
        "{:#?}",
        card.deductions().collect::<Vec<_>>()
    );
}

#[test]
fn an_owner_recorded_during_play_is_who_owner_means_from_then_on() {
    use warroom::engine::Intent;
    use warroom::engine::model::id::RoleId;
    let mut session = Session::new(scenario("leaked-pipeline-secret"), matrix(), 0);
    let owner = RoleId::from("owner");
    assert_eq!(session.resolve_role(&owner, Some("deploy_key")), None);
    session
        .apply(Intent::AssignAction {
            action: "record-key-owner".into(),
            role: "iam".into(),
        })
        .unwrap();
    assert_eq!(
        session.resolve_role(&owner, Some("deploy_key")),
        Some(&RoleId::from("platform"))
    );
    // An asset with an owner in the scenario keeps it.
    assert_eq!(
        session.resolve_role(&owner, Some("pipeline")),
        Some(&RoleId::from("business_owner"))
    );
}

#[test]
fn leadership_engaged_for_a_decision_of_its_own_is_never_escalation_noise() {
    use warroom::engine::Intent;
    use warroom::engine::content::load::Source;
    let text = r#"Scenario(id: "own-call", title: "T", summary: "s", difficulty: Introductory,
        modes: [Practice], duration_mins: 30, objectives: [], flags: [],
        assets: [Asset(id: "shop", name: "Shop", owner: "business_owner", classification: Internal, criticality: High)],
        injects: [
            Inject(id: "slow", title: "t", release: At(0), narrative: "n"),
            Inject(id: "call", title: "t", release: At(5), narrative: "n", decisions: [
                DecisionPoint(id: "d", prompt: "p", actions: [
                    ActionOption(id: "decide", label: "Decide on the shop", task: "approve_service_shutdown", target: "shop"),
                ]),
            ]),
        ])"#;
    let scenario = Arc::new(Source::from_text("own-call.ron", text).parse().unwrap());
    let over = |escalate_at: u32| {
        let mut session = Session::new(Arc::clone(&scenario), matrix(), 0);
        session
            .apply(Intent::Advance {
                minutes: escalate_at,
            })
            .unwrap();
        session
            .apply(Intent::Escalate {
                from: "ir_manager".into(),
                to: vec!["exec".into()],
                reason: String::new(),
            })
            .unwrap();
        score(&session)
            .deductions()
            .any(|f| f.rule == "escalation:over_escalation")
    };
    assert!(
        over(1),
        "before its decision arrives, paging leadership at severity 1 is noise"
    );
    assert!(
        !over(6),
        "once the decision is leadership's to make, it is needed"
    );
}

#[test]
fn a_role_engaged_by_asking_its_approval_of_a_message_is_credited_to_the_asker() {
    use warroom::engine::Intent;
    let mut session = Session::new(scenario("ransomware-file-server"), matrix(), 4);
    session.apply(Intent::Advance { minutes: 12 }).unwrap();
    let message = session.released_messages()[0].id.clone();
    session
        .apply(Intent::RequestMessageApproval {
            message,
            audience: "executives".into(),
            requested_by: "ir_manager".into(),
            approver: "legal".into(),
        })
        .unwrap();
    let card = score(&session);
    let legal = card
        .findings
        .iter()
        .find(|f| f.rule == "escalation:extortion_legal_exec" && f.message.starts_with("Legal"))
        .unwrap_or_else(|| panic!("{:#?}", card.findings));
    assert_eq!(
        legal
            .role
            .as_ref()
            .map(warroom::engine::model::id::RoleId::as_str),
        Some("ir_manager")
    );
}

#[test]
fn every_flawed_fixture_is_covered_by_a_test() {
    for id in shipped_scenarios() {
        for stem in flawed_scripts(&id) {
            assert!(
                FLAWED.iter().any(|(s, f, _, _)| *s == id && *f == stem),
                "{id}/{stem}.ron has no assertion in FLAWED"
            );
        }
    }
}

#[test]
fn late_escalation_costs_less_than_a_missed_one_and_scales_with_delay() {
    let late = score(&play("ransomware-file-server", "legal-too-late"));
    let f = late
        .deductions()
        .find(|f| f.rule == "escalation:personal_data_legal")
        .unwrap();
    let missed = matrix().scoring.penalties.escalation_missed as i32;
    assert!(-f.points < missed);
    assert!(
        f.message.contains("3 min after the deadline"),
        "{}",
        f.message
    );
}

#[test]
fn credit_is_explained_too() {
    let card = score(&play("ransomware-file-server", "exemplary"));
    for dimension in Dimension::ALL {
        assert!(
            card.findings_in(dimension)
                .any(|f| f.kind == FindingKind::Credit),
            "no credit explained for {dimension:?}"
        );
    }
    assert!(card.findings.iter().all(|f| !f.citation.is_empty()));
}

#[test]
fn saved_logs_replay_to_the_identical_scorecard() {
    for id in shipped_scenarios() {
        let session = play(&id, "exemplary");
        let text = session.log().to_ron().unwrap();
        let log: warroom::engine::SessionLog =
            warroom::engine::content::load::Source::from_text("log.ron", text)
                .parse()
                .unwrap();
        assert_eq!(&log, session.log());
        let replayed = Session::replay(session.scenario_arc(), session.matrix_arc(), &log).unwrap();
        assert_eq!(score(&replayed).to_json(), score(&session).to_json());
    }
}

#[test]
fn a_tampered_log_is_refused() {
    let session = play("ransomware-file-server", "exemplary");
    let mut log = session.log().clone();
    log.entries[3].minute += 1;
    let err = Session::replay(session.scenario_arc(), session.matrix_arc(), &log).unwrap_err();
    assert!(err.to_string().contains("entry 4"), "{err}");
}

/// The same decisions graded against another organisation's matrix give that organisation's answer.
#[test]
fn another_matrix_changes_ownership_findings() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("soc-rebuilds.ron");
    let text = std::fs::read_to_string(matrix_path()).unwrap().replace(
        "id: \"reimage_host\", name: \"Wipe and reimage a host\", phase: Eradicate,\n            responsible: [\"it_ops\"],",
        "id: \"reimage_host\", name: \"Wipe and reimage a host\", phase: Eradicate,\n            responsible: [\"soc\"],",
    );
    std::fs::write(&path, text).unwrap();
    let other = load_matrix(&path).unwrap().matrix;
    let script = fixtures_dir().join("ransomware-file-server/soc-remediates-before-evidence.ron");

    let reference: Scorecard = score(&play_with(matrix(), "ransomware-file-server", &script));
    let custom: Scorecard = score(&play_with(
        Arc::clone(&other),
        "ransomware-file-server",
        &script,
    ));
    assert!(
        reference
            .deductions()
            .any(|f| f.rule == "raci:reimage_host")
    );
    assert!(!custom.deductions().any(|f| f.rule == "raci:reimage_host"));
    assert!(custom.dimension(Dimension::Ownership) > reference.dimension(Dimension::Ownership));
    // Evidence is still destroyed whoever does it.
    assert_eq!(
        custom.dimension(Dimension::Evidence),
        reference.dimension(Dimension::Evidence)
    );
}

#[test]
fn unowned_decisions_cost_ownership_once_they_fall_due() {
    use crate::support::scenario as scenario_of;
    use warroom::engine::Intent;
    let scenario = scenario("ransomware-file-server");
    let duration = scenario.duration_mins;
    let mut early = Session::new(Arc::clone(&scenario), matrix(), 4);
    let live = score(&early);
    assert!(!live.deductions().any(|f| f.rule.starts_with("decision:")));
    assert!(!live.complete && live.not_reached().next().is_none());

    // Ended at once: the triage decision was not yet due, so it is listed, not charged.
    early.apply(Intent::EndExercise).unwrap();
    let cut = score(&early);
    assert!(cut.ended_early);
    assert!(!cut.deductions().any(|f| f.rule == "decision:d-triage"));
    assert!(cut.not_reached().any(|f| f.rule == "decision:d-triage"));
    assert_eq!(cut.dimension(Dimension::Ownership), None);

    // Played to the end without acting: every required decision is a miss.
    let mut full = Session::new(scenario, matrix(), 4);
    full.apply(Intent::Advance { minutes: duration }).unwrap();
    let card = score(&full);
    assert!(card.complete && !card.ended_early);
    assert!(card.deductions().any(|f| f.rule == "decision:d-triage"));
    let unowned: i64 = card
        .findings_in(Dimension::Ownership)
        .map(|f| -i64::from(f.points))
        .sum();
    assert_eq!(
        card.dimension(Dimension::Ownership),
        Some((100 - unowned).max(0) as u32)
    );
    assert_eq!(card.not_reached().count(), 0);
    // No decision had an owner, so the total is capped at nothing, and says why.
    let cap = card.decision_cap.unwrap();
    assert_eq!((cap.acted, cap.at_most, card.total), (0, 0, 0));
    assert!(
        card.total_explained().contains("stops at 0"),
        "{}",
        card.total_explained()
    );

    // A severity call alone leaves the one required decision without an owner: the cap binds
    // before the deductions do, and the explanation says so.
    let mut alone = Session::new(scenario_of("maintenance-window-false-alarm"), matrix(), 0);
    alone
        .apply(Intent::ClassifySeverity {
            level: 1,
            by: "soc".into(),
        })
        .unwrap();
    alone.apply(Intent::Advance { minutes: 15 }).unwrap();
    let card = score(&alone);
    assert_eq!(card.total, 0);
    assert!(
        card.total_explained()
            .ends_with("at most 0 because nobody acted on 1 of 1 required decisions"),
        "{}",
        card.total_explained()
    );
}

#[test]
fn json_has_the_documented_shape() {
    let card = score(&play("ransomware-file-server", "legal-too-late"));
    let value: serde_json::Value = serde_json::from_str(&card.to_json()).unwrap();
    for key in ["scenario", "seed", "total", "dimensions", "findings"] {
        assert!(value.get(key).is_some(), "missing {key}");
    }
    let dims = value["dimensions"].as_object().unwrap();
    let keys: Vec<&str> = dims.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "communication",
            "escalation",
            "evidence",
            "handoffs",
            "ownership",
            "separation_of_duties"
        ]
    );
    let finding = &value["findings"][0];
    for key in [
        "dimension",
        "points",
        "rule",
        "citation",
        "minute",
        "advice",
    ] {
        assert!(finding.get(key).is_some(), "finding missing {key}");
    }
}

#[test]
fn deadlines_still_ahead_when_the_exercise_ends_are_not_graded() {
    use warroom::engine::Intent;
    let ransomware = scenario("ransomware-file-server");
    let mut session = Session::new(ransomware.clone(), matrix(), 4);
    session.apply(Intent::Advance { minutes: 5 }).unwrap();
    session.apply(Intent::EndExercise).unwrap();
    // Severity 2 from minute 0 gives the IR manager until minute 60: not yet missed at minute 5.
    let card = score(&session);
    assert!(
        !card.deductions().any(|f| f.rule.starts_with("escalation:")),
        "{:#?}",
        card.findings
    );

    // Past the deadline it is missed.
    let mut session = Session::new(ransomware, matrix(), 4);
    session.apply(Intent::Advance { minutes: 60 }).unwrap();
    let card = score(&session);
    assert!(card.deductions().any(|f| f.rule == "escalation:severity_2"
        || f.rule == "escalation:severity_3"
        || f.rule == "escalation:severity_4"));
}

/// Every decision of every fixture, described for people: names and labels, never ids. Once the
/// names and labels it quotes are taken out, no word of the description may be an id.
#[test]
fn intents_read_without_ids() {
    let matrix = matrix();
    let mut ids: std::collections::BTreeSet<String> =
        matrix.roles.iter().map(|r| r.id.to_string()).collect();
    ids.extend(
        matrix
            .communication
            .audiences
            .iter()
            .map(|a| a.id.to_string()),
    );
    let mut names: Vec<String> = matrix.roles.iter().map(|r| r.name.clone()).collect();
    names.extend(
        matrix
            .communication
            .audiences
            .iter()
            .map(|a| a.name.clone()),
    );
    for scenario_id in shipped_scenarios() {
        let scenario = scenario(&scenario_id);
        let mut known = ids.clone();
        known.extend(scenario.actions().map(|(_, _, a)| a.id.to_string()));
        known.extend(scenario.injects.iter().map(|i| i.id.to_string()));
        let mut labels = names.clone();
        labels.extend(scenario.actions().map(|(_, _, a)| a.label.clone()));
        labels.extend(scenario.injects.iter().map(|i| i.title.clone()));
        labels.extend(
            scenario
                .injects
                .iter()
                .flat_map(|i| i.messages.iter().map(|m| m.label.clone())),
        );
        // Longest first, so a name inside a longer label does not split it.
        labels.sort_by_key(|l| std::cmp::Reverse(l.len()));
        let dir = fixtures_dir().join(&scenario_id);
        for script in std::fs::read_dir(&dir).unwrap() {
            let path = script.unwrap().path();
            let session = play_with(matrix.clone(), &scenario_id, &path);
            for entry in &session.log().entries {
                let text = session.describe(&entry.intent);
                assert!(!text.contains('`'), "{}: {text}", path.display());
                let mut rest = text.clone();
                for label in &labels {
                    rest = rest.replace(label.as_str(), " ");
                }
                for word in rest.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-')) {
                    assert!(
                        !known.contains(word),
                        "{}: `{word}` is an id in \"{text}\"",
                        path.display()
                    );
                }
            }
        }
    }
}

/// The text of an HTML page as people read it: no tags, no style sheet.
fn html_text(html: &str) -> String {
    let body = html.split("</style>").last().unwrap_or(html);
    let mut out = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Every report a person reads — the terminal and Markdown scorecards, the after-action report in
/// Markdown and HTML — for every fixture of every shipped scenario, a passive run and a run ended
/// early: no id and no backtick in any of them.
#[test]
fn every_report_reads_without_ids() {
    use warroom::engine::exercise::ExerciseRecord;
    use warroom::engine::model::scenario::Mode;
    use warroom::engine::reports::aar::AfterActionReport;
    use warroom::engine::reports::scorecard::{scorecard_markdown, scorecard_text};
    use warroom::engine::text::IdWords;

    let matrix = matrix();
    for scenario_id in shipped_scenarios() {
        let scenario = scenario(&scenario_id);
        let words = IdWords::new(&scenario, &matrix);
        let mut runs: Vec<(String, Session)> = Vec::new();
        for script in std::fs::read_dir(fixtures_dir().join(&scenario_id)).unwrap() {
            let path = script.unwrap().path();
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            runs.push((name, play_with(matrix.clone(), &scenario_id, &path)));
        }
        runs.push(("passive".into(), passive_run(&scenario_id)));
        let mut early = Session::new(Arc::clone(&scenario), matrix.clone(), 0);
        early
            .apply(warroom::engine::Intent::Advance { minutes: 5 })
            .unwrap();
        early.apply(warroom::engine::Intent::EndExercise).unwrap();
        runs.push(("ended-early".into(), early));

        for (name, session) in &runs {
            let card = score(session);
            let record = ExerciseRecord::new("readable", Mode::Facilitated, 1_795_000_000, session);
            let report = AfterActionReport::build(&record, session);
            for (format, text) in [
                ("text scorecard", scorecard_text(&card, session)),
                ("Markdown scorecard", scorecard_markdown(&card, session)),
                ("report (Markdown)", report.markdown()),
                ("report (HTML)", html_text(&report.html())),
            ] {
                for line in text.lines() {
                    let leaks = words.leaks(line);
                    assert!(
                        leaks.is_empty(),
                        "{scenario_id}/{name}, {format}: {leaks:?} in {line:?}"
                    );
                }
            }
        }
    }
}

/// "+5 min" stepped through every shipped scenario stops on every scheduled inject and on the last
/// minute of every decision, so nothing is released or lapses between two stops unseen.
#[test]
fn advancing_stops_at_every_inject_and_deadline() {
    use warroom::engine::model::scenario::Release;
    use warroom::engine::scoring::advance_stop;
    use warroom::engine::{Event, Intent};
    for id in shipped_scenarios() {
        let mut session = Session::new(scenario(&id), matrix(), 0);
        let mut stops = vec![0];
        while !session.ended() {
            let before = session.minute();
            let step = advance_stop(&session, 5);
            assert!((1..=5).contains(&step), "{id}: step {step}");
            let events = session.apply(Intent::Advance { minutes: step }).unwrap();
            let now = session.minute();
            for event in events {
                match event {
                    Event::InjectReleased { inject, minute } => {
                        let scheduled = session
                            .scenario()
                            .inject(inject.as_str())
                            .is_some_and(|i| matches!(i.release, Release::At(_)));
                        assert!(
                            !scheduled || minute == now,
                            "{id}: {inject} released at {minute} between stops {before} and {now}"
                        );
                    }
                    // A decision lapses only after a stop on its last minute.
                    Event::DecisionExpired { decision } => {
                        let (inject, window) = session
                            .scenario()
                            .injects
                            .iter()
                            .find_map(|i| {
                                let d = i.decisions.iter().find(|d| d.id == decision)?;
                                Some((i, d.expires_after_mins?))
                            })
                            .unwrap();
                        let released = session.released_at(inject.id.as_str()).unwrap();
                        let last_chance = released + window - 1;
                        assert!(
                            stops.contains(&last_chance),
                            "{id}: {decision} lapsed unseen (last chance {last_chance}, stops {stops:?})"
                        );
                    }
                    _ => {}
                }
            }
            stops.push(now);
        }
        assert!(
            stops.iter().any(|m| m % 5 != 0),
            "{id}: never stopped early: {stops:?}"
        );
    }
}

#[test]
fn a_log_from_older_grading_rules_says_so_wherever_its_scores_show() {
    let session = play("ransomware-file-server", "exemplary");
    let text = session.log().to_ron().unwrap();
    assert!(text.contains(&format!(
        "rules: {}",
        warroom::engine::session::RULES_VERSION
    )));
    assert_eq!(score(&session).recorded_under_rules, None);
    // A log written before the rules were versioned has no `rules` field.
    let old_text = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("rules:"))
        .collect::<Vec<_>>()
        .join("\n");
    let old: warroom::engine::SessionLog =
        warroom::engine::content::load::Source::from_text("old.ron", old_text)
            .parse()
            .unwrap();
    assert_eq!(old.rules, 1);
    let replayed = Session::replay(session.scenario_arc(), session.matrix_arc(), &old).unwrap();
    assert_eq!(
        replayed.log().rules,
        1,
        "a resumed exercise keeps the rules it was recorded under"
    );
    let card = score(&replayed);
    assert_eq!(card.recorded_under_rules, Some(1));
    let json = card.to_json();
    assert!(json.contains("\"recorded_under_rules\": 1"), "{json}");
    let line = warroom::engine::reports::scorecard::tested_line(&card);
    assert!(line.contains("recorded under grading rules 1"), "{line}");
    // The same decisions otherwise grade the same.
    assert_eq!(card.total, score(&session).total);
}

#[test]
fn speculation_never_reaches_executives() {
    let mut session = warroom::engine::content::shipped::session("ransomware-file-server", 4);
    session
        .apply(warroom::engine::Intent::Advance { minutes: 10 })
        .unwrap();
    session
        .apply(warroom::engine::Intent::Communicate {
            audience: "executives".into(),
            sender: "ir_manager".into(),
            message: "msg-staff-rumour".into(),
            approvals: vec![],
        })
        .unwrap();
    let card = score(&session);
    let finding = card
        .findings
        .iter()
        .find(|f| f.rule == "communication:executives:content")
        .expect("speculation to executives is a finding");
    assert_eq!(finding.kind, FindingKind::Deduction);
    assert!(
        finding.message.contains("speculation"),
        "{}",
        finding.message
    );
    assert!(
        finding.citation.contains("not guesses"),
        "{}",
        finding.citation
    );
}

/// What one rule requires is never penalised by another: engaging a costly role below the
/// over-escalation threshold is noise, unless the matrix needed that role's approval for what the
/// run did.
#[test]
fn engaging_a_role_for_its_approval_is_not_over_escalation() {
    use warroom::engine::Intent;
    let run = |action: &str| {
        let mut session =
            warroom::engine::content::shipped::session("researcher-vulnerability-report", 0);
        session.apply(Intent::Advance { minutes: 25 }).unwrap();
        assert_eq!(session.severity(), 2);
        session
            .apply(Intent::Escalate {
                from: "ir_manager".into(),
                to: vec!["exec".into()],
                reason: String::new(),
            })
            .unwrap();
        if !action.is_empty() {
            session
                .apply(Intent::RequestApproval {
                    action: action.into(),
                    requested_by: "pr_comms".into(),
                    approver: "exec".into(),
                })
                .unwrap();
        }
        score(&session)
            .deductions()
            .any(|f| f.rule == "escalation:over_escalation")
    };
    assert!(
        run(""),
        "executives pulled in below severity 3 for nothing is noise"
    );
    // Searching logs needs no one's approval: asking the executives proves nothing.
    assert!(run("check-api-logs"));
    // A public statement needs Legal's and Business Leadership's approval: they were needed.
    assert!(!run("prepare-statement"));
}

/// A scenario's own channel follows the rules of the matrix audience it is like, under its name.
#[test]
fn a_scenario_channel_is_graded_by_the_rules_of_the_audience_it_is_like() {
    use warroom::engine::Intent;
    let path = crate::support::scenarios_dir().join("ransomware-file-server.ron");
    let text = std::fs::read_to_string(&path).unwrap().replacen(
        "    injects: [",
        "    channels: [Channel(id: \"staff_chat\", name: \"The all-staff chat\", like: \"all_staff\")],\n    injects: [",
        1,
    );
    let scenario: warroom::engine::Scenario =
        warroom::engine::content::load::Source::from_text(&path, text)
            .parse()
            .unwrap();
    let mut session = Session::new(Arc::new(scenario), matrix(), 4);
    session.apply(Intent::Advance { minutes: 10 }).unwrap();
    let unknown = session.apply(Intent::Communicate {
        audience: "staff_room".into(),
        sender: "pr_comms".into(),
        message: "msg-staff-rumour".into(),
        approvals: vec![],
    });
    assert!(unknown.is_err());
    session
        .apply(Intent::Communicate {
            audience: "staff_chat".into(),
            sender: "soc".into(),
            message: "msg-staff-rumour".into(),
            approvals: vec![],
        })
        .unwrap();
    let card = score(&session);
    let all_staff = matrix().audience("all_staff").unwrap().citation.clone();
    for rule in ["sender", "approval", "content"] {
        let finding = card
            .deductions()
            .find(|f| f.rule == format!("communication:staff_chat:{rule}"))
            .unwrap_or_else(|| panic!("no {rule} finding: {:#?}", card.findings));
        assert_eq!(finding.citation, all_staff);
        assert!(
            finding.message.contains("The all-staff chat"),
            "{}",
            finding.message
        );
    }
}

/// A decision is owned only by an option that resolves it: a wrong approach is a finding of its
/// own, and the right option taken afterwards still resolves the decision.
#[test]
fn a_wrong_approach_does_not_own_the_decision() {
    use warroom::engine::Intent;
    let run = |actions: &[(&str, &str)]| {
        let mut session = warroom::engine::content::shipped::session("exposed-storage-bucket", 4);
        session.apply(Intent::Advance { minutes: 1 }).unwrap();
        for (action, role) in actions {
            session
                .apply(Intent::AssignAction {
                    action: (*action).into(),
                    role: (*role).into(),
                })
                .unwrap();
        }
        session.apply(Intent::Advance { minutes: 30 }).unwrap();
        let card = score(&session);
        let findings: Vec<_> = card
            .findings
            .iter()
            .filter(|f| f.rule == "decision:d-first")
            .map(|f| (f.kind, f.message.clone()))
            .collect();
        findings
    };
    let wrong = run(&[("ticket-provider", "platform")]);
    assert_eq!(wrong.len(), 1, "{wrong:#?}");
    assert_eq!(wrong[0].0, FindingKind::Deduction);
    assert!(wrong[0].1.contains("does not resolve"), "{}", wrong[0].1);
    assert!(
        wrong[0].1.contains("not the customer's configuration"),
        "{}",
        wrong[0].1
    );
    let corrected = run(&[
        ("ticket-provider", "platform"),
        ("close-bucket", "platform"),
    ]);
    let kinds: Vec<FindingKind> = corrected.iter().map(|f| f.0).collect();
    assert!(kinds.contains(&FindingKind::Credit), "{corrected:#?}");
    assert!(
        kinds.contains(&FindingKind::Deduction),
        "the wrong step still counts"
    );
}

/// Each approver a rule names is graded on its own: a public statement needs Legal's and
/// leadership's approval, and a missing one costs as much as the other.
#[test]
fn each_required_approver_is_a_check_of_its_own() {
    use warroom::engine::Intent;
    let run = |approvers: &[&str]| {
        let mut session = warroom::engine::content::shipped::session("journalist-calls", 0);
        session.apply(Intent::Advance { minutes: 7 }).unwrap();
        for approver in approvers {
            for intent in [
                Intent::RequestApproval {
                    action: "media-statement".into(),
                    requested_by: "pr_comms".into(),
                    approver: (*approver).into(),
                },
                Intent::GrantApproval {
                    action: "media-statement".into(),
                    approver: (*approver).into(),
                },
            ] {
                session.apply(intent).unwrap();
            }
        }
        session
            .apply(Intent::AssignAction {
                action: "media-statement".into(),
                role: "pr_comms".into(),
            })
            .unwrap();
        let card = score(&session);
        let missing: Vec<String> = card
            .deductions()
            .filter(|f| f.rule == "sod:external_statement")
            .map(|f| f.message.clone())
            .collect();
        (missing, card.dimension(Dimension::SeparationOfDuties))
    };
    let (none, none_score) = run(&[]);
    assert_eq!(none.len(), 2, "{none:#?}");
    let (legal_only, legal_score) = run(&["legal"]);
    assert_eq!(legal_only.len(), 1, "{legal_only:#?}");
    assert!(
        legal_only[0].contains("Business Leadership"),
        "{}",
        legal_only[0]
    );
    let (both, both_score) = run(&["legal", "exec"]);
    assert!(both.is_empty(), "{both:#?}");
    assert!(none_score < legal_score && legal_score < both_score);
    assert_eq!(both_score, Some(100));
}
