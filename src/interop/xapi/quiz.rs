//! The statement of one quiz answer: `answered`, right or not, with the question's dimension and
//! roles, in the context of its sitting.

use std::collections::BTreeMap;

use serde_json::json;

use super::{
    Context, Identity, Statement, StatementResult, activity, adl_verb, agent, extension,
    statement_id, timestamp,
};
use crate::engine::learning::progress::AnswerRecord;
use crate::engine::model::id::RoleId;

/// The statement of `answer`, given by `learner`; `question` is its text, if known.
pub fn answer_statement(
    identity: &Identity,
    learner: &str,
    answer: &AnswerRecord,
    question: Option<&str>,
) -> Statement {
    let extension = |name: &str| extension(identity, name);
    // A learner's sitting is the registration; the same question can come back later in it.
    let sitting = format!("{learner}/quiz/{}", answer.sitting);
    let what = format!("{}@{}", answer.question, answer.at);
    Statement {
        id: statement_id(&sitting, 0, &what),
        actor: agent(identity, learner),
        verb: adl_verb("answered"),
        object: activity(
            identity,
            &["questions", answer.question.as_str()],
            question.unwrap_or(answer.question.as_str()),
            "cmi.interaction",
        ),
        result: Some(StatementResult {
            success: Some(answer.correct),
            extensions: BTreeMap::from([
                (extension("dimension"), json!(answer.dimension.key())),
                (extension("first-try"), json!(answer.first_try)),
                (
                    extension("roles"),
                    json!(answer.roles.iter().map(RoleId::as_str).collect::<Vec<_>>()),
                ),
            ]),
            ..StatementResult::default()
        }),
        context: Some(Context {
            registration: Some(statement_id(&sitting, 0, "registration")),
            platform: "Warroom".into(),
            context_activities: None,
            extensions: BTreeMap::new(),
        }),
        timestamp: timestamp(answer.at),
    }
}
