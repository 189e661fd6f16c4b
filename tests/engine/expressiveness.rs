//! What a scenario can say that it could not before: a decision answered by the board's Declare and
//! Classify controls, discussion questions, scenario-local tasks and timing relative to an inject.

use std::sync::Arc;

use warroom::engine::content::load::Source;
use warroom::engine::content::script::{self, Decisions};
use warroom::engine::{Scenario, Session, score};

use crate::support::{fixtures_dir, matrix, scenarios_dir};

/// The ransomware scenario with `edit` applied to its text.
fn ransomware_edited(edit: impl FnOnce(&str) -> String) -> Arc<Scenario> {
    let text = std::fs::read_to_string(scenarios_dir().join("ransomware-file-server.ron")).unwrap();
    let edited = edit(&text);
    assert_ne!(edited, text, "the edit changed nothing");
    let source = Source::from_text("ransomware-edited.ron", edited);
    Arc::new(
        warroom::engine::content::library::scenario_from_source(&source, &matrix())
            .unwrap_or_else(|e| panic!("{e:#?}"))
            .scenario
            .as_ref()
            .clone(),
    )
}

fn run(scenario: Arc<Scenario>, script: &str) -> Session {
    let path = fixtures_dir()
        .join(scenario.id.as_str())
        .join(format!("{script}.ron"));
    let source = Source::read(&path).unwrap();
    let decisions: Decisions = source.parse().unwrap();
    script::run(
        scenario,
        matrix(),
        &decisions,
        decisions.seed.unwrap_or(0),
        &source,
    )
    .unwrap_or_else(|e| panic!("{e:#?}"))
}

const DECLARE_DECISION: &str = r#"DecisionPoint(
                    id: "d-declare",
                    prompt: "Is this an incident, and who says so?",
                    expires_after_mins: 15,
                    actions: [
                        ActionOption(id: "declare-major", label: "Declare a major incident and open the bridge", task: "declare_incident"),
                    ],
                ),
                DecisionPoint(
                    id: "d-triage","#;

#[test]
fn declaring_with_the_boards_control_answers_a_decision_that_offers_declaring() {
    let scenario = ransomware_edited(|text| {
        text.replacen(
            "DecisionPoint(\n                    id: \"d-triage\",",
            DECLARE_DECISION,
            1,
        )
    });
    // The exemplary play declares with the control at T+03 and never picks the option.
    let session = run(scenario.clone(), "exemplary");
    let done = session.performed().get("declare-major").expect("declared");
    assert_eq!(done.role.as_str(), "ir_manager");
    assert_eq!(done.minute, 3);
    let card = score(&session);
    assert_eq!(card.total, 100, "{:#?}", card.findings);
    // The declaration is graded once, as the declaring it is.
    let declared: Vec<_> = card
        .findings
        .iter()
        .filter(|f| f.rule == "raci:declare_incident")
        .collect();
    assert_eq!(declared.len(), 1, "{declared:#?}");

    // An exercise recorded under rules 5 replays as it was played then: declaring did not carry
    // the option out, so the events recorded now no longer match it.
    let mut old = session.log().clone();
    old.rules = 5;
    assert!(matches!(
        Session::replay(scenario.clone(), matrix(), &old),
        Err(warroom::engine::session::ReplayError::Diverged { .. })
    ));
    let replayed = Session::replay(scenario, matrix(), session.log()).unwrap();
    assert!(replayed.performed().contains_key("declare-major"));
}

#[test]
fn discussion_questions_follow_their_inject_into_the_report_and_the_msel_and_are_checked() {
    use warroom::engine::exercise::ExerciseRecord;
    use warroom::engine::model::scenario::Mode;
    use warroom::engine::reports::aar::AfterActionReport;

    let shipped = crate::support::scenario("ransomware-file-server");
    assert_eq!(shipped.discussion.len(), 3);
    // Ended at T+20: the payment and the journalist have not come yet.
    let mut session = Session::new(shipped.clone(), matrix(), 4);
    session
        .apply(warroom::engine::Intent::Advance { minutes: 20 })
        .unwrap();
    session.apply(warroom::engine::Intent::EndExercise).unwrap();
    let record = ExerciseRecord::new("d", Mode::Facilitated, 1, &session);
    let report = AfterActionReport::build(&record, &session);
    let rows = &report.discussion;
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].reached_at, Some(0));
    assert_eq!(rows[1].reached_at, None);
    assert_eq!(rows[1].roles, "Business Leadership and Legal Counsel");
    let text = report.markdown();
    assert!(text.contains("## Discussion questions"), "{text}");
    assert!(text.contains("not reached"), "{text}");

    let (_, msel) = warroom::interop::msel::msel_table(&shipped, &matrix());
    let journalist = msel.iter().find(|r| r[1] == "journalist").unwrap();
    assert!(
        journalist[14].contains("Discuss (PR and Communications, Legal Counsel and Business Leadership): What can we say"),
        "{}",
        journalist[14]
    );

    // A question after an inject the scenario does not have is refused where it stands.
    let text = std::fs::read_to_string(scenarios_dir().join("ransomware-file-server.ron"))
        .unwrap()
        .replace("after: \"journalist\"", "after: \"journalists\"");
    let source = Source::from_text("bad.ron", text.clone());
    let problems =
        warroom::engine::content::library::scenario_from_source(&source, &matrix()).unwrap_err();
    let problem = problems
        .iter()
        .find(|d| d.code == "unknown-inject")
        .unwrap();
    assert!(
        problem
            .hint
            .as_deref()
            .unwrap_or_default()
            .contains("journalist")
    );
    let line = text
        .lines()
        .position(|l| l.contains("\"journalists\""))
        .unwrap()
        + 1;
    assert_eq!(problem.line, line);
}

/// The ransomware scenario with a task of its own: checking the backup before restoring, graded as
/// a restore is.
fn with_backup_check(like: &str) -> Result<Arc<Scenario>, Vec<warroom::engine::Diagnostic>> {
    let text = std::fs::read_to_string(scenarios_dir().join("ransomware-file-server.ron"))
        .unwrap()
        .replacen(
            "    injects: [",
            &format!(
                "    tasks: [\n        Task(id: \"confirm_backup\", name: \"Confirm the backup is clean\", like: \"{like}\", preserves_evidence: Some(false), citation: \"A restore from a backup that holds the attacker's tooling reinfects the server; whoever restores checks first.\"),\n    ],\n    injects: ["
            ),
            1,
        )
        .replacen(
            "ActionOption(id: \"restore-fs01\",",
            "ActionOption(id: \"check-backup\", label: \"Scan last night's backup for the attacker's tooling\", task: \"confirm_backup\", target: Some(\"fs01\")),\n                        ActionOption(id: \"restore-fs01\",",
            1,
        );
    let source = Source::from_text("ransomware-local.ron", text);
    warroom::engine::content::library::scenario_from_source(&source, &matrix()).map(|l| l.scenario)
}

#[test]
fn a_scenario_task_of_its_own_is_graded_by_the_matrix_task_it_is_like() {
    let scenario = with_backup_check("restore_from_backup").unwrap();
    let restore = matrix().task("restore_from_backup").unwrap().clone();
    let session_for = |role: &str| {
        let mut session = Session::new(scenario.clone(), matrix(), 4);
        session
            .apply(warroom::engine::Intent::Advance { minutes: 35 })
            .unwrap();
        session
            .apply(warroom::engine::Intent::AssignAction {
                action: "check-backup".into(),
                role: role.into(),
            })
            .unwrap();
        session.apply(warroom::engine::Intent::EndExercise).unwrap();
        score(&session)
    };
    // The restore's doer checks: credited, citing the scenario's own reason.
    let doer = restore.responsible[0].as_str();
    let card = session_for(doer);
    let credit = card
        .findings
        .iter()
        .find(|f| f.rule == "raci:confirm_backup")
        .unwrap();
    assert_eq!(credit.kind, warroom::engine::FindingKind::Credit);
    assert!(
        credit.citation.contains("reinfects the server"),
        "{credit:?}"
    );
    assert!(
        credit.message.contains("\"Confirm the backup is clean\""),
        "{}",
        credit.message
    );
    // Another role does it: the same deduction a restore by the wrong role would earn.
    let card = session_for("pr_comms");
    let wrong = card
        .findings
        .iter()
        .find(|f| f.rule == "raci:confirm_backup")
        .unwrap();
    assert_eq!(wrong.kind, warroom::engine::FindingKind::Deduction);

    // Like a task the matrix does not have: refused, with the one meant.
    let problems = with_backup_check("restore_from_backups").unwrap_err();
    let problem = problems.iter().find(|d| d.code == "unknown-task").unwrap();
    assert!(
        problem
            .hint
            .as_deref()
            .unwrap_or_default()
            .contains("restore_from_backup")
    );
}

/// The ransomware scenario with the ransom note arriving at `note_at`, and the business call
/// timed 10 minutes after it rather than at T+20.
fn ransomware_with_note_at(note_at: u32) -> Arc<Scenario> {
    ransomware_edited(|text| {
        text.replacen(
            "notify: [Notification(audience: \"executives\", within_mins: 15)],\n            release: At(10),",
            &format!(
                "notify: [Notification(audience: \"executives\", within_mins: 15)],\n            release: At({note_at}),"
            ),
            1,
        )
        .replacen(
            "title: \"Operations asks about downtime\",\n            release: At(20),",
            "title: \"Operations asks about downtime\",\n            release: When(MinutesSince(\"ransom-note\", 10)),",
            1,
        )
    })
}

#[test]
fn an_inject_timed_after_another_moves_with_it_and_so_do_the_steps_that_follow_it() {
    for note_at in [10, 13] {
        let scenario = ransomware_with_note_at(note_at);
        let mut session = Session::new(scenario.clone(), matrix(), 4);
        session
            .apply(warroom::engine::Intent::Advance { minutes: 40 })
            .unwrap();
        assert_eq!(session.released_at("ransom-note"), Some(note_at));
        assert_eq!(session.released_at("business-call"), Some(note_at + 10));

        // A script whose steps count from the note plays wherever the note is.
        let script = "Decisions(scenario: \"ransomware-file-server\", seed: 4, steps: [\n\
             Step(at: 1, intent: AssignAction(action: \"triage-fs01\", role: \"soc\")),\n\
             Step(after: (\"ransom-note\", 1), intent: AssignAction(action: \"image-fs01\", role: \"soc\")),\n\
             Step(after: (\"business-call\", 2), intent: AssignAction(action: \"decide-shutdown\", role: \"exec\")),\n\
             ])";
        let source = Source::from_text("relative.ron", script);
        let decisions: Decisions = source.parse().unwrap();
        let (session, minutes) =
            script::run_resolved(scenario, matrix(), &decisions, 4, &source, &mut |_| {})
                .unwrap_or_else(|e| panic!("{e:#?}"));
        assert_eq!(minutes, [Some(1), Some(note_at + 1), Some(note_at + 12)]);
        assert_eq!(session.performed()["image-fs01"].minute, note_at + 1);
    }
    // Counting from an inject the scenario does not have is an error at that step.
    let source = Source::from_text(
        "bad.ron",
        "Decisions(scenario: \"ransomware-file-server\", steps: [\n    Step(after: (\"ransom-notes\", 1), intent: EndExercise),\n])",
    );
    let decisions: Decisions = source.parse().unwrap();
    let problems = script::run(
        crate::support::scenario("ransomware-file-server"),
        matrix(),
        &decisions,
        4,
        &source,
    )
    .unwrap_err();
    assert_eq!(problems[0].line, 2, "{problems:#?}");
    assert!(
        problems[0].message.contains("no inject `ransom-notes`"),
        "{problems:#?}"
    );
}

#[test]
fn a_release_counting_from_an_unknown_inject_is_refused() {
    let text = std::fs::read_to_string(scenarios_dir().join("ransomware-file-server.ron"))
        .unwrap()
        .replacen(
            "release: At(20),",
            "release: When(MinutesSince(\"ransom-notes\", 10)),",
            1,
        );
    let source = Source::from_text("bad.ron", text);
    let problems =
        warroom::engine::content::library::scenario_from_source(&source, &matrix()).unwrap_err();
    assert!(
        problems.iter().any(|d| d.code == "unknown-inject"),
        "{problems:#?}"
    );
}
