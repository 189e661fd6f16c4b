//! Exam-practice questions: a one-paragraph situation and one decision, answered from the
//! responsibility matrix wherever the matrix can answer it.
//!
//! A question file states the answer its author expects; the answer the learner is graded against
//! is always recomputed from the matrix in use ([`Question::resolve`]), so a bank written for the
//! reference matrix teaches an organisation's own matrix when that is swapped in. Validation warns
//! where the two disagree.

mod model;
mod resolve;

pub use model::{
    Ask, Choice, Cite, Question, QuestionSet, ResolveError, Resolved, all_questions, letter,
};
pub use resolve::precedes;

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::engine::model::id::{AudienceId, QuestionId, RoleId, TaskId};
    use crate::engine::model::matrix::{Dimension, Matrix};

    fn matrix() -> Matrix {
        (*crate::engine::content::shipped::matrix()).clone()
    }

    fn question(ask: Ask, options: &[&str]) -> Question {
        Question {
            id: QuestionId::new("q"),
            situation: String::new(),
            ask,
            prompt: None,
            options: options.iter().map(|s| (*s).to_owned()).collect(),
            answer: Vec::new(),
            explanation: String::new(),
            dimension: Dimension::Ownership,
            roles: Vec::new(),
        }
    }

    #[test]
    fn owner_placeholder_needs_an_owner() {
        let m = matrix();
        let ask = |owner: Option<&str>| Ask::WhoIsAccountable {
            task: TaskId::new("restore_from_backup"),
            owner: owner.map(RoleId::from),
        };
        let q = question(ask(None), &["it_ops", "soc"]);
        assert_eq!(
            q.resolve(&m),
            Err(ResolveError::OwnerNeeded(TaskId::new(
                "restore_from_backup"
            )))
        );
        let q = question(ask(Some("business_owner")), &["business_owner", "soc"]);
        let r = q.resolve(&m).expect("resolves");
        assert_eq!(r.correct_keys(), ["business_owner"]);
    }

    #[test]
    fn requester_is_removed_from_approvers() {
        let m = matrix();
        let q = question(
            Ask::WhoApproves {
                task: TaskId::new("external_statement"),
                owner: None,
                requested_by: Some(RoleId::new("exec")),
            },
            &["exec", "legal", "pr_comms"],
        );
        let r = q.resolve(&m).expect("resolves");
        assert_eq!(r.correct_keys(), ["legal"]);
        assert!(r.citation.contains(&m.separation_of_duties.citation));
    }

    #[test]
    fn evidence_comes_before_reimaging_but_not_before_nothing() {
        let m = matrix();
        let q = question(Ask::WhatFirst, &["reimage_host", "preserve_evidence"]);
        let r = q.resolve(&m).expect("resolves");
        assert_eq!(r.correct_keys(), ["preserve_evidence"]);
        let q = question(Ask::WhatFirst, &["notify_regulator", "external_statement"]);
        assert!(matches!(q.resolve(&m), Err(ResolveError::Undecided(_))));
    }

    #[test]
    fn escalation_question_refuses_an_undecided_case() {
        let m = matrix();
        let ask = |role: &str, severity| Ask::IsEscalationWarranted {
            role: RoleId::from(role),
            severity,
            trigger: None,
        };
        let yes = question(ask("exec", 4), &[]).resolve(&m).expect("resolves");
        assert_eq!(yes.correct_keys(), ["yes"]);
        let no = question(ask("exec", 2), &[]).resolve(&m).expect("resolves");
        assert_eq!(no.correct_keys(), ["no"]);
        assert_eq!(no.citation, m.escalation.over_escalation.citation);
        // HR is neither required at severity 2 nor on the over-escalation list.
        assert!(matches!(
            question(ask("hr", 2), &[]).resolve(&m),
            Err(ResolveError::Undecided(_))
        ));
    }

    #[test]
    fn grading_needs_exactly_the_correct_set() {
        let m = matrix();
        let q = question(
            Ask::WhoMaySend {
                audience: AudienceId::new("regulators"),
            },
            &["soc", "legal", "pr_comms"],
        );
        let r = q.resolve(&m).expect("resolves");
        assert!(r.is_correct(&BTreeSet::from([1])));
        assert!(!r.is_correct(&BTreeSet::from([1, 2])));
        assert!(!r.is_correct(&BTreeSet::new()));
    }
}
