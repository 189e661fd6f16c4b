//! Validation of a question set against the matrix.

use std::path::Path;

use crate::engine::diagnostic::{Code, Diagnostic};
use crate::engine::model::matrix::Matrix;
use crate::engine::model::quiz::{QuestionSet, ResolveError};

use super::collector::{Collector, unknown_hint};

/// Validates a question set against the matrix: every question resolves, its stated answer is one
/// of its options, and (a warning) agrees with what the matrix says.
pub fn validate_question_set(
    set: &QuestionSet,
    matrix: &Matrix,
    file: &Path,
    text: &str,
) -> Vec<Diagnostic> {
    let mut r = Collector::new(file, text);
    if set.questions.is_empty() {
        r.error(
            Code::NoQuestions,
            None,
            "questions",
            format!("question set `{}` has no questions", set.id),
            "add at least one `Question(…)`".to_owned(),
        );
    }
    r.duplicates("question", set.questions.iter().map(|q| q.id.as_str()));
    let role_ids = || matrix.roles.iter().map(|x| x.id.as_str());
    for q in &set.questions {
        let anchor = Some(q.id.as_str());
        for role in &q.roles {
            if matrix.role(role.as_str()).is_none() {
                r.error(
                    Code::UnknownRole,
                    anchor,
                    role.as_str(),
                    format!("question `{}` is tagged with unknown role `{role}`", q.id),
                    unknown_hint(role.as_str(), role_ids()),
                );
            }
        }
        if q.roles.is_empty() {
            r.warning(
                Code::UntaggedQuestion,
                None,
                q.id.as_str(),
                format!(
                    "question `{}` has no `roles`; progress per role will not count it",
                    q.id
                ),
            );
        }
        if q.situation.trim().is_empty() {
            r.error(
                Code::EmptySituation,
                None,
                q.id.as_str(),
                format!("question `{}` has no situation", q.id),
                "describe the scene in one paragraph".to_owned(),
            );
        }
        let resolved = match q.resolve(matrix) {
            Ok(resolved) => resolved,
            Err(e) => {
                let (code, needle, hint) = match &e {
                    ResolveError::Unknown { kind, id } => {
                        let hint = match *kind {
                            "role" => unknown_hint(id, role_ids()),
                            "task" => unknown_hint(id, matrix.tasks.iter().map(|t| t.id.as_str())),
                            "trigger" => {
                                unknown_hint(id, matrix.triggers.iter().map(|t| t.id.as_str()))
                            }
                            "audience" => unknown_hint(
                                id,
                                matrix.communication.audiences.iter().map(|a| a.id.as_str()),
                            ),
                            _ => format!("severity levels run from 1 to {}", matrix.max_severity()),
                        };
                        let code = match *kind {
                            "role" => Code::UnknownRole,
                            "task" => Code::UnknownTask,
                            "trigger" => Code::UnknownTrigger,
                            "audience" => Code::UnknownAudience,
                            _ => Code::SeverityOutOfRange,
                        };
                        (code, id.clone(), hint)
                    }
                    ResolveError::OwnerNeeded(task) => (
                        Code::OwnerNeeded,
                        task.0.clone(),
                        "add `owner: \"<role id>\"` to the ask".to_owned(),
                    ),
                    ResolveError::Malformed(_) => (
                        Code::MalformedQuestion,
                        q.id.0.clone(),
                        "see the question format in docs/format.md".to_owned(),
                    ),
                    ResolveError::Undecided(_) => (
                        Code::UndecidedQuestion,
                        q.id.0.clone(),
                        "ask something the matrix decides, or make it a `Judgement` question"
                            .to_owned(),
                    ),
                };
                r.error(
                    code,
                    anchor,
                    &needle,
                    format!("question `{}`: {e}", q.id),
                    hint,
                );
                continue;
            }
        };
        let keys: Vec<&str> = resolved.choices.iter().map(|c| c.key.as_str()).collect();
        for given in &q.answer {
            if !keys.contains(&given.as_str()) {
                r.error(
                    Code::UnknownAnswer,
                    anchor,
                    "answer",
                    format!(
                        "question `{}`: answer `{given}` is not one of its options",
                        q.id
                    ),
                    format!("options are {}", keys.join(", ")),
                );
            }
        }
        if q.answer.is_empty() {
            r.error(
                Code::MissingAnswer,
                None,
                q.id.as_str(),
                format!("question `{}` states no answer", q.id),
                "write the expected answer; matrix-derived questions are checked against it"
                    .to_owned(),
            );
        }
        let mut stated: Vec<&str> = q.answer.iter().map(String::as_str).collect();
        stated.sort_unstable();
        let mut derived = resolved.correct_keys();
        derived.sort_unstable();
        if q.is_derived() && !q.answer.is_empty() && stated != derived {
            r.warning(
                Code::AnswerDiffersFromMatrix,
                anchor,
                "answer",
                format!(
                    "question `{}`: the file says {} but the matrix says {}; the matrix's answer is used",
                    q.id,
                    stated.join(", "),
                    derived.join(", ")
                ),
            );
        }
    }
    r.out
}
