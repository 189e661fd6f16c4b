//! `warroom script solve`: a play that meets every check of the plan, written as a script that
//! plays back to the same grade, or the checks the plan makes impossible.

use std::sync::Arc;

use clap::Parser;
use warroom::cli::{Cli, EXIT_UNMET};
use warroom::engine::content::library::load_matrix;
use warroom::engine::content::load::Source;
use warroom::engine::content::script::{self, Decisions};
use warroom::engine::content::shipped;
use warroom::engine::model::intent::Intent;
use warroom::engine::scoring::score;
use warroom::engine::solve::solve;
use warroom::engine::{Matrix, Scenario};

use crate::support::{matrix, matrix_path, root, scenarios_dir};

/// Runs a `warroom …` command line as the program would (the shipped plan unless `--matrix`).
fn exec(args: &[&str]) -> (u8, String, String) {
    let cli = Cli::try_parse_from(std::iter::once("warroom").chain(args.iter().copied()))
        .unwrap_or_else(|e| panic!("{args:?}: {e}"));
    let plan = cli.matrix.clone().unwrap_or_else(matrix_path);
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = warroom::cli::run(
        cli.command.as_ref().unwrap(),
        Some(&plan),
        &mut out,
        &mut err,
    );
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

fn shipped_scenarios(plan: &Arc<Matrix>) -> Vec<Arc<Scenario>> {
    let mut ids: Vec<String> = std::fs::read_dir(scenarios_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "ron") && !p.ends_with("responsibilities.ron")
        })
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    ids.sort();
    ids.iter()
        .map(|id| shipped::scenario_with(id, plan))
        .collect()
}

#[test]
fn every_shipped_scenario_solves_to_100_and_its_script_plays_back_to_100() {
    let plan = matrix();
    let scenarios = shipped_scenarios(&plan);
    assert!(scenarios.len() >= 12, "{}", scenarios.len());
    for scenario in scenarios {
        let id = scenario.id.to_string();
        let solution = solve(scenario.clone(), plan.clone(), 0);
        assert!(solution.gaps.is_empty(), "{id}: {:?}", solution.gaps);
        assert_eq!(
            solution.scorecard.total,
            100,
            "{id}: {:?}",
            solution.failed_checks()
        );
        assert!(solution.failed_checks().is_empty(), "{id}");

        // What it writes is what it played: the script read back and run scores the same.
        let text = solution.to_ron();
        let source = Source::from_text(format!("{id}-solved.ron"), text.clone());
        let decisions: Decisions = source
            .parse_under(&plan)
            .unwrap_or_else(|e| panic!("{id}: {e:?}\n{text}"));
        assert_eq!(decisions.steps.len(), solution.decisions.steps.len());
        let replayed = script::run(scenario.clone(), plan.clone(), &decisions, 0, &source)
            .unwrap_or_else(|e| panic!("{id}: {e:?}"));
        assert_eq!(score(&replayed).total, 100, "{id} played back");

        // The habits it teaches: no wrong approach taken, and nothing that destroys evidence
        // before that asset's evidence is preserved.
        let session = &solution.session;
        let mut performed: Vec<_> = session.performed().iter().collect();
        performed.sort_by_key(|(_, p)| p.entry);
        for (index, (action, done)) in performed.iter().enumerate() {
            let (_, _, option) = scenario.action(action.as_str()).unwrap();
            assert!(option.misdirected.is_none(), "{id}: took {action}");
            let task = plan.task(option.task.as_str()).unwrap();
            if task.destroys_evidence
                && let Some(target) = &option.target
            {
                let preserved = performed[..index].iter().any(|(other, _)| {
                    let (_, _, o) = scenario.action(other.as_str()).unwrap();
                    o.target.as_ref() == Some(target)
                        && plan.task(o.task.as_str()).unwrap().preserves_evidence
                });
                let offered = scenario
                    .injects
                    .iter()
                    .flat_map(|i| i.decisions.iter())
                    .flat_map(|d| d.actions.iter())
                    .any(|o| {
                        o.target.as_ref() == Some(target)
                            && plan.task(o.task.as_str()).unwrap().preserves_evidence
                    });
                assert!(
                    preserved || !offered,
                    "{id}: {action} at minute {} before {target} was preserved",
                    done.minute
                );
            }
        }
    }
}

#[test]
fn other_seeds_solve_too() {
    let plan = matrix();
    for scenario in shipped_scenarios(&plan) {
        for seed in [1, 7] {
            let solution = solve(scenario.clone(), plan.clone(), seed);
            assert_eq!(
                solution.scorecard.total,
                100,
                "{} seed {seed}: {:?}",
                scenario.id,
                solution.failed_checks()
            );
        }
    }
}

/// Legal and Communications one desk: a statement Communications writes needs Legal's approval,
/// which is now the same desk's.
fn merged_desks() -> Arc<Matrix> {
    load_matrix(&root().join("tests/fixtures/plans/merged-desks.ron"))
        .unwrap()
        .matrix
}

#[test]
fn a_plan_that_makes_a_check_impossible_is_named_not_hidden() {
    let plan = merged_desks();
    let scenario = shipped::scenario_with("customer-data-exfiltration", &plan);
    let solution = solve(scenario, plan, 0);
    assert!(!solution.perfect());
    assert!(solution.scorecard.total < 100);
    assert!(
        solution
            .gaps
            .iter()
            .any(|g| g.contains("its own work") && g.contains("Legal and Communications")),
        "{:?}",
        solution.gaps
    );
    let failed = solution.failed_checks();
    assert!(
        failed.iter().any(|f| f.contains("without approval")),
        "{failed:?}"
    );
    // Everything else still done: the only checks lost are the impossible approval's.
    assert_eq!(failed.len(), 1, "{failed:?}");
    // And the self-approval was not faked: no role approved its own request.
    for entry in &solution.session.log().entries {
        if let Intent::GrantApproval { approver, action } = &entry.intent {
            let request = solution
                .session
                .approvals()
                .iter()
                .find(|r| r.action == *action && r.approver == *approver)
                .unwrap();
            assert_ne!(request.requested_by, *approver);
        }
    }
}

#[test]
fn the_cli_writes_a_script_that_plays_to_100_and_exits_3_when_the_plan_forbids_it() {
    let dir = tempfile::tempdir().unwrap();
    let written = dir.path().join("exemplary.ron");
    let (code, out, err) = exec(&[
        "script",
        "solve",
        "misdirected-email",
        "-o",
        written.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("It scores 100"), "{out}");
    let (code, out, err) = exec(&[
        "play",
        "misdirected-email",
        "--decisions",
        written.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let card: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(card["total"], 100);

    let plan = root().join("tests/fixtures/plans/merged-desks.ron");
    let (code, out, err) = exec(&[
        "script",
        "solve",
        "journalist-calls",
        "--matrix",
        plan.to_str().unwrap(),
    ]);
    assert_eq!(code, EXIT_UNMET, "{err}");
    assert!(
        out.starts_with("Decisions("),
        "the script is still printed: {out}"
    );
    assert!(err.contains("What the plan makes impossible"), "{err}");
    assert!(err.contains("The checks it fails"), "{err}");
}

#[test]
fn the_reach_of_every_shipped_scenario_is_0_to_100_and_names_what_a_plan_makes_impossible() {
    use warroom::engine::reports::compare::GradingSet;
    let set = GradingSet::read(&scenarios_dir(), &[]);
    assert!(set.scenarios() >= 12);
    let reach = set.reach(&matrix());
    assert_eq!(reach.len(), set.scenarios());
    for r in &reach {
        assert_eq!((r.lowest, r.highest), (0, 100), "{r:?}");
        assert!(r.short_of_100.is_empty(), "{r:?}");
        // Every objective a shipped scenario states is put to the test by its best play.
        assert!(r.untested.is_empty(), "{r:?}");
    }

    let merged = GradingSet::read(&scenarios_dir(), &[]).reach(&merged_desks());
    let journalist = merged
        .iter()
        .find(|r| r.scenario == "journalist-calls")
        .unwrap();
    assert!(journalist.highest < 100);
    assert!(
        journalist
            .short_of_100
            .iter()
            .any(|why| why.contains("its own work")),
        "{journalist:?}"
    );
}

#[test]
fn a_folder_without_scripts_is_graded_on_a_solved_play() {
    use warroom::engine::reports::compare::{GradingSet, SOLVED_SCRIPT};
    let set = GradingSet::read(&scenarios_dir(), &[]);
    assert_eq!(set.scripts(), 0);
    let plan = matrix();
    let solved = set.with_solved(&plan);
    assert_eq!(solved.scripts(), set.scenarios());
    for grade in solved.grade(&plan) {
        assert_eq!(grade.script, SOLVED_SCRIPT);
        assert_eq!(grade.graded.unwrap().total, 100, "{}", grade.scenario);
    }
    // A scenario some script already plays is not solved again.
    let with_one = GradingSet::read(
        &scenarios_dir(),
        &[root().join("tests/fixtures/decisions/misdirected-email/exemplary.ron")],
    )
    .with_solved(&plan);
    assert_eq!(with_one.scripts(), set.scenarios());
}

#[test]
fn the_timeline_of_a_scenario_no_script_plays_follows_its_solved_play() {
    use warroom::engine::reports::compare::GradingSet;
    let plan = matrix();
    let scenario = shipped::scenario_with("ransomware-file-server", &plan);
    let bare = GradingSet::read(&scenarios_dir(), &[]);
    assert_eq!(bare.timeline(&scenario, &plan).played_by, None);
    let timeline = bare.with_solved(&plan).timeline(&scenario, &plan);
    assert_eq!(
        timeline.played_by.as_deref(),
        Some("the best play (solved)")
    );
    assert!(timeline.unreachable.is_empty());
    // The solved play preserves FS-01's evidence, so "evidence gone" never comes in; left alone
    // it does.
    let (_, _, idle, played) = timeline
        .injects
        .iter()
        .find(|(id, ..)| id == "evidence-gone")
        .unwrap();
    assert!(idle.is_some());
    assert_eq!(*played, None);

    let with_exemplary = GradingSet::read(
        &scenarios_dir(),
        &[root().join("tests/fixtures/decisions/ransomware-file-server/exemplary.ron")],
    )
    .with_solved(&plan)
    .timeline(&scenario, &plan);
    assert_eq!(with_exemplary.played_by.as_deref(), Some("exemplary.ron"));
}
