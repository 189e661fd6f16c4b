//! The shipped question bank: size, coverage, validity, and every matrix-derived answer recomputed
//! here from the matrix's own fields (independently of `Question::resolve`).

use std::collections::{BTreeMap, BTreeSet};

use warroom::engine::content::library::Library;
use warroom::engine::model::matrix::{ASSET_OWNER, Dimension, Matrix, Phase};
use warroom::engine::model::quiz::{Ask, Question};

use crate::support::{matrix, matrix_path, scenarios_dir};

fn library() -> Library {
    Library::load(&[scenarios_dir()], &matrix_path())
}

fn owner_sub(
    roles: &[warroom::engine::model::id::RoleId],
    owner: Option<&str>,
) -> BTreeSet<String> {
    roles
        .iter()
        .map(|r| {
            if r.as_str() == ASSET_OWNER {
                owner.expect("owner given").to_owned()
            } else {
                r.as_str().to_owned()
            }
        })
        .collect()
}

/// The answer the reference matrix gives, computed straight from its tables.
fn expected_from_matrix(m: &Matrix, q: &Question) -> Option<BTreeSet<String>> {
    let task = |id: &str| m.tasks.iter().find(|t| t.id.as_str() == id).expect("task");
    let audience = |id: &str| {
        m.communication
            .audiences
            .iter()
            .find(|a| a.id.as_str() == id)
            .expect("audience")
    };
    let engaged = |trigger: Option<&str>, severity: Option<u8>| -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        if let Some(level) = severity {
            let s = m
                .escalation
                .severities
                .iter()
                .find(|s| s.level == level)
                .expect("severity");
            out.extend(s.engage.iter().map(|r| r.as_str().to_owned()));
        }
        for rule in &m.escalation.rules {
            if Some(rule.when.as_str()) == trigger {
                out.extend(rule.engage.iter().map(|r| r.as_str().to_owned()));
            }
        }
        out
    };
    let offered: BTreeSet<String> = q.options.iter().cloned().collect();
    let among = |all: BTreeSet<String>| all.intersection(&offered).cloned().collect();
    let owner =
        |o: &Option<warroom::engine::model::id::RoleId>| o.as_ref().map(|r| r.as_str().to_owned());
    Some(match &q.ask {
        Ask::WhoActs { task: t, owner: o } => among(owner_sub(
            &task(t.as_str()).responsible,
            owner(o).as_deref(),
        )),
        Ask::WhoIsAccountable { task: t, owner: o } => among(owner_sub(
            std::slice::from_ref(&task(t.as_str()).accountable),
            owner(o).as_deref(),
        )),
        Ask::WhoIsConsulted { task: t, owner: o } => {
            among(owner_sub(&task(t.as_str()).consulted, owner(o).as_deref()))
        }
        Ask::WhoIsInformed { task: t, owner: o } => {
            among(owner_sub(&task(t.as_str()).informed, owner(o).as_deref()))
        }
        Ask::WhoApproves {
            task: t,
            owner: o,
            requested_by,
        } => {
            let mut approvers = owner_sub(&task(t.as_str()).approvals, owner(o).as_deref());
            if let Some(r) = requested_by {
                approvers.remove(r.as_str());
            }
            among(approvers)
        }
        Ask::WhoMustBeEngaged { trigger, severity } => among(engaged(
            trigger
                .as_ref()
                .map(warroom::engine::model::id::TriggerId::as_str),
            *severity,
        )),
        Ask::IsEscalationWarranted {
            role,
            severity,
            trigger,
        } => {
            let required = engaged(
                trigger
                    .as_ref()
                    .map(warroom::engine::model::id::TriggerId::as_str),
                Some(*severity),
            );
            let yes = required.contains(role.as_str());
            BTreeSet::from([if yes { "yes" } else { "no" }.to_owned()])
        }
        Ask::WhoMaySend { audience: a } => among(
            audience(a.as_str())
                .senders
                .iter()
                .map(|r| r.as_str().to_owned())
                .collect(),
        ),
        Ask::WhoApprovesMessage { audience: a } => among(
            audience(a.as_str())
                .approvals
                .iter()
                .map(|r| r.as_str().to_owned())
                .collect(),
        ),
        Ask::MayShare {
            audience: a,
            content,
        } => {
            let allowed = !audience(a.as_str()).forbidden.contains(content);
            BTreeSet::from([if allowed { "yes" } else { "no" }.to_owned()])
        }
        Ask::WhatFirst => {
            // Evidence-preserving tasks go before system changes; otherwise the operational
            // phases run analyse, contain, eradicate, recover.
            let tasks: Vec<_> = q.options.iter().map(|o| task(o)).collect();
            let rank = |t: &warroom::engine::model::matrix::TaskKind| -> u8 {
                if t.preserves_evidence {
                    0
                } else {
                    match t.phase {
                        Phase::Analyze => 1,
                        Phase::Contain => 2,
                        Phase::Eradicate => 3,
                        Phase::Recover => 4,
                        Phase::Communicate | Phase::Govern => 9,
                    }
                }
            };
            let best = tasks.iter().map(|t| rank(t)).min().expect("options");
            tasks
                .iter()
                .filter(|t| rank(t) == best)
                .map(|t| t.id.as_str().to_owned())
                .collect()
        }
        Ask::Judgement { .. } => return None,
    })
}

#[test]
fn bank_has_at_least_sixty_valid_questions_covering_every_dimension() {
    let lib = library();
    let broken: Vec<_> = lib
        .invalid
        .iter()
        .filter(|f| f.path.starts_with(scenarios_dir().join("questions")))
        .collect();
    assert!(broken.is_empty(), "{broken:#?}");
    let warnings: Vec<_> = lib.question_sets.iter().flat_map(|s| &s.warnings).collect();
    assert!(warnings.is_empty(), "{warnings:#?}");
    let questions: Vec<&Question> = lib.questions().map(|(_, q)| q).collect();
    assert!(questions.len() >= 60, "{} questions", questions.len());

    let mut per_dimension: BTreeMap<Dimension, usize> = BTreeMap::new();
    for q in &questions {
        *per_dimension.entry(q.dimension).or_default() += 1;
        assert!(!q.roles.is_empty(), "{} has no roles", q.id);
        assert!(q.situation.len() > 60, "{}: situation too thin", q.id);
        assert!(!q.explanation.is_empty(), "{}: no explanation", q.id);
    }
    for d in Dimension::ALL {
        assert!(
            per_dimension.get(&d).copied().unwrap_or(0) >= 8,
            "{d:?} has only {:?} questions",
            per_dimension.get(&d)
        );
    }
    // Most of the bank is answered by the matrix, not by the author.
    let derived = questions.iter().filter(|q| q.is_derived()).count();
    assert!(
        derived * 4 >= questions.len() * 3,
        "{derived} of {}",
        questions.len()
    );
}

#[test]
fn every_derived_answer_is_what_the_matrix_says() {
    let m = matrix();
    let lib = library();
    let mut checked = 0;
    for (_, q) in lib.questions() {
        let resolved = q.resolve(&m).expect("resolves");
        let engine: BTreeSet<String> = resolved
            .correct_keys()
            .into_iter()
            .map(str::to_owned)
            .collect();
        let stated: BTreeSet<String> = q.answer.iter().cloned().collect();
        if let Some(expected) = expected_from_matrix(&m, q) {
            assert_eq!(expected, stated, "{}: the file's answer", q.id);
            assert_eq!(expected, engine, "{}: the engine's answer", q.id);
            checked += 1;
        } else {
            assert_eq!(
                stated, engine,
                "{}: judgement answers stand as written",
                q.id
            );
        }
        assert!(!resolved.citation.is_empty(), "{}: no citation", q.id);
    }
    assert!(checked >= 45, "only {checked} derived answers checked");
}

#[test]
fn a_different_matrix_changes_the_answer_and_the_file_is_flagged() {
    // An organisation where the SOC, not IAM, revokes credentials.
    let text = std::fs::read_to_string(matrix_path()).unwrap().replace(
        "responsible: [\"iam\"], accountable: \"iam\", consulted: [\"platform\", \"soc\"]",
        "responsible: [\"soc\"], accountable: \"iam\", consulted: [\"platform\", \"soc\"]",
    );
    let dir = tempfile::tempdir().unwrap();
    let custom = dir.path().join("ours.ron");
    std::fs::write(&custom, &text).unwrap();
    let lib = Library::load(&[scenarios_dir()], &custom);
    let (_, q) = lib
        .question("own-revoke-pipeline-secret")
        .expect("question");
    let m = &lib.matrix.as_ref().expect("custom matrix loads").matrix;
    assert_eq!(q.resolve(m).unwrap().correct_keys(), ["soc"]);
    let warning = lib
        .question_sets
        .iter()
        .flat_map(|s| &s.warnings)
        .find(|w| w.code == "answer-differs-from-matrix")
        .expect("flagged");
    assert!(
        warning.message.contains("own-revoke-pipeline-secret"),
        "{warning}"
    );
    assert!(warning.line > 0);
}

#[test]
fn broken_question_files_are_located() {
    let dir = tempfile::tempdir().unwrap();
    let questions = dir.path().join("questions");
    std::fs::create_dir(&questions).unwrap();
    let text = std::fs::read_to_string(scenarios_dir().join("questions/ownership.ron"))
        .unwrap()
        .replace("task: \"recall_payment\"", "task: \"recall_paymnet\"")
        .replace("answer: [\"hr\"]", "answer: [\"h_r\"]");
    std::fs::write(questions.join("ownership.ron"), &text).unwrap();
    let lib = Library::load(&[dir.path().to_path_buf()], &matrix_path());
    let file = lib
        .invalid
        .iter()
        .find(|f| f.path.ends_with("ownership.ron"))
        .expect("invalid");
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let task = file
        .diagnostics
        .iter()
        .find(|d| d.code == "unknown-task")
        .expect("unknown task");
    assert_eq!(task.line, line_of("recall_paymnet"));
    assert_eq!(task.hint.as_deref(), Some("did you mean `recall_payment`?"));
    let answer = file
        .diagnostics
        .iter()
        .find(|d| d.code == "unknown-answer")
        .expect("bad answer");
    assert!(answer.message.contains("h_r"), "{answer}");
}

#[test]
fn duplicate_question_ids_across_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let questions = dir.path().join("questions");
    std::fs::create_dir(&questions).unwrap();
    let text = std::fs::read_to_string(scenarios_dir().join("questions/ownership.ron")).unwrap();
    std::fs::write(questions.join("a.ron"), &text).unwrap();
    std::fs::write(
        questions.join("b.ron"),
        text.replace("id: \"ownership\"", "id: \"copy\"")
            .replace("title: \"Who owns the work?\"", "title: \"Zz copy\""),
    )
    .unwrap();
    let lib = Library::load(&[dir.path().to_path_buf()], &matrix_path());
    assert_eq!(lib.question_sets.len(), 1);
    let refused = lib
        .invalid
        .iter()
        .find(|f| f.path.ends_with("b.ron"))
        .expect("refused");
    assert_eq!(refused.diagnostics[0].code, "duplicate-id");
    assert!(refused.diagnostics[0].line > 0);
}
