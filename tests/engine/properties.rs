//! Property tests over generated sessions: determinism, bounded scores, monotone escalation timing,
//! and grading that follows whichever matrix is supplied.

use std::sync::Arc;

use proptest::prelude::*;
use warroom::engine::model::discussion::Discussion;
use warroom::engine::model::id::{ActionId, AudienceId, MessageId, RoleId};
use warroom::engine::model::matrix::{Dimension, Matrix};
use warroom::engine::{Intent, Scenario, Session, score};

use crate::support::{matrix, scenario};

const SCENARIOS: [&str; 2] = ["ransomware-file-server", "customer-data-exfiltration"];

/// A generated intent, as indices into the scenario's and matrix's id lists.
#[derive(Clone, Debug)]
enum Gen {
    Wait(u32),
    Assign(usize, usize),
    Escalate(usize, usize),
    Classify(u8, usize),
    Communicate(usize, usize, usize, Vec<usize>),
    Request(usize, usize, usize),
    Grant(usize, usize),
    Handoff(usize, usize, bool, Vec<usize>),
    /// Facilitator steering: 0 release, 1 hold, 2 unhold.
    Steer(u8, usize),
}

fn gen_intent() -> impl Strategy<Value = Gen> {
    prop_oneof![
        (1u32..12).prop_map(Gen::Wait),
        (any::<usize>(), any::<usize>()).prop_map(|(a, r)| Gen::Assign(a, r)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Gen::Escalate(a, b)),
        (1u8..5, any::<usize>()).prop_map(|(l, r)| Gen::Classify(l, r)),
        (
            any::<usize>(),
            any::<usize>(),
            any::<usize>(),
            prop::collection::vec(any::<usize>(), 0..3)
        )
            .prop_map(|(a, s, m, ap)| Gen::Communicate(a, s, m, ap)),
        (any::<usize>(), any::<usize>(), any::<usize>())
            .prop_map(|(a, r, ap)| Gen::Request(a, r, ap)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, r)| Gen::Grant(a, r)),
        (
            any::<usize>(),
            any::<usize>(),
            any::<bool>(),
            prop::collection::vec(any::<usize>(), 0..3)
        )
            .prop_map(|(f, t, o, r)| Gen::Handoff(f, t, o, r)),
        (0u8..3, any::<usize>()).prop_map(|(k, i)| Gen::Steer(k, i)),
    ]
}

fn pick<T: Clone>(items: &[T], i: usize) -> T {
    items[i % items.len()].clone()
}

fn realise(generated: &Gen, session: &Session) -> Intent {
    let scenario = session.scenario();
    let matrix = session.matrix();
    let roles: Vec<RoleId> = matrix.roles.iter().map(|r| r.id.clone()).collect();
    let actions: Vec<ActionId> = scenario.actions().map(|(_, _, a)| a.id.clone()).collect();
    let messages: Vec<MessageId> = scenario
        .injects
        .iter()
        .flat_map(|i| i.messages.iter().map(|m| m.id.clone()))
        .collect();
    let audiences: Vec<AudienceId> = matrix
        .communication
        .audiences
        .iter()
        .map(|a| a.id.clone())
        .collect();
    match generated {
        Gen::Wait(n) => Intent::Advance { minutes: *n },
        Gen::Assign(a, r) => Intent::AssignAction {
            action: pick(&actions, *a),
            role: pick(&roles, *r),
        },
        Gen::Escalate(a, b) => Intent::Escalate {
            from: pick(&roles, *a),
            to: vec![pick(&roles, *b)],
            reason: String::new(),
        },
        Gen::Classify(l, r) => Intent::ClassifySeverity {
            level: *l,
            by: pick(&roles, *r),
        },
        Gen::Communicate(a, snd, msg, ap) => Intent::Communicate {
            audience: pick(&audiences, *a),
            sender: pick(&roles, *snd),
            message: pick(&messages, *msg),
            approvals: ap.iter().map(|i| pick(&roles, *i)).collect(),
        },
        Gen::Request(a, r, ap) => Intent::RequestApproval {
            action: pick(&actions, *a),
            requested_by: pick(&roles, *r),
            approver: pick(&roles, *ap),
        },
        Gen::Grant(a, r) => Intent::GrantApproval {
            action: pick(&actions, *a),
            approver: pick(&roles, *r),
        },
        Gen::Handoff(f, t, observed, rec) => Intent::Handoff(warroom::engine::Handoff {
            from: pick(&roles, *f),
            to: pick(&roles, *t),
            observed: if *observed {
                "Encryption seen on the server from an unsigned binary".into()
            } else {
                String::new()
            },
            facts: vec![],
            evidence: vec![],
            actions_taken: vec![],
            recommended: rec.iter().map(|i| pick(&actions, *i)).collect(),
            urgency: Some(warroom::engine::Urgency::High),
        }),
        Gen::Steer(kind, i) => {
            let inject = pick(
                &scenario
                    .injects
                    .iter()
                    .map(|i| i.id.clone())
                    .collect::<Vec<_>>(),
                *i,
            );
            match kind {
                0 => Intent::ReleaseInject { inject },
                1 => Intent::HoldInject { inject },
                _ => Intent::UnholdInject { inject },
            }
        }
    }
}

/// Plays generated intents; rejected ones must leave the session untouched.
fn run(scenario_index: usize, seed: u64, gens: &[Gen], matrix: Arc<Matrix>) -> Session {
    let sc = scenario(SCENARIOS[scenario_index % SCENARIOS.len()]);
    run_in(sc, seed, gens, matrix)
}

fn run_in(sc: Arc<Scenario>, seed: u64, gens: &[Gen], matrix: Arc<Matrix>) -> Session {
    let mut session = Session::new(sc, matrix, seed);
    for g in gens {
        if session.ended() {
            break;
        }
        let intent = realise(g, &session);
        let before = session.log().clone();
        if session.apply(intent).is_err() {
            assert_eq!(
                &before,
                session.log(),
                "a rejected intent changed the session"
            );
        }
    }
    let _ = session.apply(Intent::EndExercise);
    session
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn identical_inputs_give_byte_identical_json(
        scenario_index in 0usize..2, seed in any::<u64>(), gens in prop::collection::vec(gen_intent(), 0..60)
    ) {
        let a = score(&run(scenario_index, seed, &gens, matrix())).to_json();
        let b = score(&run(scenario_index, seed, &gens, matrix())).to_json();
        prop_assert_eq!(a, b);
    }

    /// A copy that follows a session by its log, in steps of any size (a window that looked now
    /// and then), is the same session: same log, minute and grade.
    #[test]
    fn a_copy_that_follows_the_log_is_the_same_session(
        scenario_index in 0usize..2, seed in any::<u64>(),
        gens in prop::collection::vec(gen_intent(), 0..60), step in 1usize..7
    ) {
        let played = run(scenario_index, seed, &gens, matrix());
        let sc = scenario(SCENARIOS[scenario_index % SCENARIOS.len()]);
        let mut copy = Session::new(sc, matrix(), seed);
        let entries = &played.log().entries;
        let mut upto = 0;
        while upto < entries.len() {
            upto = (upto + step).min(entries.len());
            prop_assert!(copy.follow(&entries[..upto]).is_ok());
            prop_assert_eq!(copy.log().entries.len(), upto);
        }
        prop_assert_eq!(copy.log(), played.log());
        prop_assert_eq!(copy.minute(), played.minute());
        prop_assert_eq!(score(&copy).to_json(), score(&played).to_json());
        // A log that is not this session's continuation is refused, not shown.
        if let Some(first) = entries.first() {
            let mut other = first.clone();
            other.minute += 1;
            let mut fresh = Session::new(scenario(SCENARIOS[scenario_index % SCENARIOS.len()]), matrix(), seed);
            prop_assert!(fresh.follow(&[other]).is_err());
        }
    }

    #[test]
    fn every_score_stays_within_0_to_100(
        scenario_index in 0usize..2, seed in any::<u64>(), gens in prop::collection::vec(gen_intent(), 0..80)
    ) {
        let card = score(&run(scenario_index, seed, &gens, matrix()));
        prop_assert!(card.total <= 100);
        for dimension in Dimension::ALL {
            prop_assert!(card.dimension(dimension).is_none_or(|s| s <= 100));
            // A dimension is scored exactly when something was at stake in it.
            let at_stake = card.points.get(&dimension).is_some_and(|p| p.at_stake > 0);
            prop_assert_eq!(card.dimension(dimension).is_some(), at_stake);
        }
        // Every number follows from the findings beside it: a dimension is 100 less what its
        // deductions cost, the total 100 less what all of them cost (0 at the least, no more than
        // the decision cap); with nothing tested it is 0.
        let cost_in = |d: Dimension| -> i64 {
            card.findings_in(d).map(|f| -i64::from(f.points)).sum()
        };
        for (dimension, score) in card.tested() {
            prop_assert_eq!(i64::from(score), (100 - cost_in(dimension)).max(0));
        }
        let all: i64 = Dimension::ALL.iter().map(|d| cost_in(*d)).sum();
        prop_assert_eq!(card.deducted, all as u64);
        if card.graded() {
            let cap = card.decision_cap.map_or(100, |c| i64::from(c.at_most));
            prop_assert_eq!(i64::from(card.total), (100 - all).max(0).min(cap));
        } else {
            prop_assert_eq!(card.total, 0);
        }
    }

    /// Discussion questions are for the room, never for the grade: any number of them, after any
    /// inject and for any roles, leave every score as it was.
    #[test]
    fn discussion_questions_never_change_a_score(
        scenario_index in 0usize..2,
        seed in any::<u64>(),
        gens in prop::collection::vec(gen_intent(), 0..60),
        questions in prop::collection::vec((0usize..100, prop::collection::vec(0usize..100, 0..4)), 1..6),
    ) {
        let plain = scenario(SCENARIOS[scenario_index % SCENARIOS.len()]);
        let mut asked = (*plain).clone();
        let roles: Vec<_> = matrix().roles.iter().map(|r| r.id.clone()).collect();
        for (n, (inject, for_roles)) in questions.iter().enumerate() {
            asked.discussion.push(Discussion {
                id: format!("q{n}"),
                prompt: format!("Question {n}?"),
                roles: for_roles.iter().map(|r| pick(&roles, *r)).collect(),
                after: pick(&plain.injects, *inject).id,
            });
        }
        // The scenario's digest differs (it has questions now); every grade must not.
        let graded = |scenario| {
            let mut card = score(&run_in(scenario, seed, &gens, matrix()));
            card.graded_under = None;
            card.to_json()
        };
        prop_assert_eq!(graded(plain), graded(Arc::new(asked)));
    }

    /// Once Legal is required (the extortion reveal at minute 10), engaging it earlier never lowers
    /// the escalation score.
    #[test]
    fn escalating_a_required_role_earlier_never_lowers_escalation(
        seed in any::<u64>(), a in 10u32..60, b in 10u32..60, never in any::<bool>()
    ) {
        let (early, late) = (a.min(b), a.max(b));
        let escalation_at = |minute: Option<u32>| {
            // Both runs play to the scenario's end, so only the escalation minute differs.
            let mut session = Session::new(scenario("ransomware-file-server"), matrix(), seed);
            if let Some(m) = minute {
                session.apply(Intent::Advance { minutes: m }).unwrap();
                session.apply(Intent::Escalate { from: "soc".into(), to: vec!["legal".into()], reason: String::new() }).unwrap();
            }
            let rest = session.scenario().duration_mins - session.minute();
            session.apply(Intent::Advance { minutes: rest }).unwrap();
            assert!(session.ended());
            score(&session).dimension(Dimension::Escalation)
        };
        let later = if never { escalation_at(None) } else { escalation_at(Some(late)) };
        prop_assert!(escalation_at(Some(early)) >= later);
    }

    /// Whoever the matrix makes Responsible for triage is credited for it; anyone else is not.
    #[test]
    fn ownership_follows_the_matrix_supplied(responsible in 0usize..100, performer in 0usize..100) {
        let mut custom = (*matrix()).clone();
        let roles: Vec<RoleId> = custom.roles.iter().map(|r| r.id.clone()).collect();
        let owner = pick(&roles, responsible);
        let actor = pick(&roles, performer);
        custom.tasks.iter_mut().find(|t| t.id.as_str() == "triage_alert").unwrap().responsible = vec![owner.clone()];
        let mut session = Session::new(scenario("ransomware-file-server"), Arc::new(custom), 0);
        session.apply(Intent::AssignAction { action: "triage-fs01".into(), role: actor.clone() }).unwrap();
        let card = score(&session);
        let wrong = card.deductions().any(|f| f.rule == "raci:triage_alert");
        prop_assert_eq!(wrong, owner != actor);
    }
}
