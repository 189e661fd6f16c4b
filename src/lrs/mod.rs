//! Organisation records: what Warroom sends to the organisation's learning record store (xAPI).
//! The statements of a finished run or a checked answer are queued in the progress database's
//! outbox in the same transaction as the record itself ([`crate::store`]), built here from the
//! interchange layer's statement types ([`crate::interop::xapi`]), and sent in the background by
//! a [`sender::Sender`] or at once by `warroom lrs push`. This layer joins the two; neither knows the
//! other.

pub mod history;
pub mod sender;

use crate::engine::exercise::ExerciseRecord;
use crate::engine::learning::progress::AnswerRecord;
use crate::engine::model::quiz::Question;
use crate::engine::scoring::Scorecard;
use crate::engine::session::Session;
use crate::interop::xapi::client::LrsClient;
use crate::interop::xapi::config::{self, LrsConfig};
use crate::interop::xapi::exercise::{exercise_statements, room_statements};
use crate::interop::xapi::quiz::answer_statement;
use crate::interop::xapi::{Identity, Statement};
use crate::store::{Answered, Delivered, DrainReport, Outgoing, ProgressDb, StoreError, unix_now};

/// Statements per request.
pub const BATCH: usize = 50;

/// The learning record store configured in the data folder and the environment, if any.
pub fn configured() -> Result<Option<LrsConfig>, String> {
    config::load(&crate::store::data_dir(), |name| std::env::var(name).ok())
}

/// Statements as the outbox keeps them.
pub fn outgoing(statements: Vec<Statement>) -> Vec<Outgoing> {
    statements
        .into_iter()
        .filter_map(|statement| {
            // Serialising these plain types cannot fail; a statement that did would be left out.
            let json = serde_json::to_string(&statement).ok()?;
            Some(Outgoing {
                id: statement.id,
                json,
            })
        })
        .collect()
}

/// The statements of a finished run: those of each person who held a seat of its room, or, with
/// no room or nobody in it, the learner's.
pub fn run_statements(
    identity: &Identity,
    learner: &str,
    record: &ExerciseRecord,
    session: &Session,
    card: &Scorecard,
) -> Vec<Statement> {
    let room = room_statements(identity, record, session, card);
    if room.is_empty() {
        exercise_statements(identity, learner, record, session, card)
    } else {
        room
    }
}

/// [`run_statements`], as the outbox keeps them.
pub fn run_outgoing(
    identity: &Identity,
    learner: &str,
    record: &ExerciseRecord,
    session: &Session,
    card: &Scorecard,
) -> Vec<Outgoing> {
    outgoing(run_statements(identity, learner, record, session, card))
}

/// The statement of one checked answer to `question`, as the outbox keeps it.
pub fn answer_outgoing(
    identity: &Identity,
    learner: &str,
    question: &Question,
    answer: Answered,
) -> Vec<Outgoing> {
    let record = AnswerRecord {
        sitting: answer.sitting,
        question: question.id.clone(),
        dimension: question.dimension,
        roles: question.roles.clone(),
        correct: answer.correct,
        first_try: answer.first_try,
        at: answer.at,
    };
    outgoing(vec![answer_statement(
        identity,
        learner,
        &record,
        Some(&question.situation),
    )])
}

/// Sends what waits in `db`'s outbox to the store until it is empty or a delivery fails.
pub fn drain(db: &mut ProgressDb, client: &LrsClient) -> Result<DrainReport, StoreError> {
    db.drain_outbox(BATCH, unix_now, |batch| {
        let pairs: Vec<(&str, &str)> = batch
            .iter()
            .map(|s| (s.id.as_str(), s.json.as_str()))
            .collect();
        let delivery = client.deliver(&pairs);
        Delivered {
            sent: delivery.sent,
            refused: delivery.refused,
            failure: delivery.failure.map(|e| e.to_string()),
        }
    })
}
