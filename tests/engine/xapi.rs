//! xAPI statements of a played exercise: shaped as xAPI 1.0.3 requires, one per graded choice with
//! the verdict it got, the same ids however often they are built, and no name when pseudonymous.

use std::collections::BTreeSet;

use serde_json::Value;
use warroom::engine::exercise::ExerciseRecord;
use warroom::engine::model::scenario::Mode;
use warroom::engine::scoring::score;
use warroom::interop::xapi::exercise::exercise_statements;
use warroom::interop::xapi::{Identity, Statement};

use crate::support::play;

fn identity(pseudonymous: bool) -> Identity {
    Identity {
        base_iri: "https://lrs.example.org/warroom".into(),
        home_page: "https://example.org".into(),
        pseudonymous,
        emails: std::collections::BTreeMap::new(),
    }
}

/// The statements of a fixture played as exercise `id` by Dana Reyes, started at 2026-12-06 09:00 UTC.
fn statements(scenario: &str, script: &str, id: &str, pseudonymous: bool) -> Vec<Statement> {
    let session = play(scenario, script);
    let mut record = ExerciseRecord::new(id, Mode::Practice, 1_796_547_600, &session);
    record.updated_at = record.started_at + 50 * 60;
    exercise_statements(
        &identity(pseudonymous),
        "Dana Reyes",
        &record,
        &session,
        &score(&session),
    )
}

fn is_iri(text: &str) -> bool {
    (text.starts_with("https://") || text.starts_with("http://"))
        && !text.contains(' ')
        && text.len() > "https://x".len()
}

/// The xAPI 1.0.3 rules a statement Warroom writes must keep.
fn check_shape(statement: &Statement) {
    let json = serde_json::to_value(statement).unwrap();
    let id = json["id"].as_str().unwrap();
    let parsed = uuid::Uuid::parse_str(id).unwrap();
    assert_eq!(parsed.get_version_num(), 5, "{id}");
    assert_eq!(json["actor"]["objectType"], "Agent");
    // Exactly one inverse functional identifier: an account, or a mailto: address.
    let actor = json["actor"].as_object().unwrap();
    let ifis = ["mbox", "mbox_sha1sum", "openid", "account"];
    assert_eq!(ifis.iter().filter(|k| actor.contains_key(**k)).count(), 1);
    if let Some(mbox) = actor.get("mbox") {
        let address = mbox.as_str().unwrap().strip_prefix("mailto:").unwrap();
        assert!(address.contains('@') && !address.contains(' '), "{address}");
    } else {
        assert!(is_iri(
            json["actor"]["account"]["homePage"].as_str().unwrap()
        ));
        assert!(
            !json["actor"]["account"]["name"]
                .as_str()
                .unwrap()
                .is_empty()
        );
    }
    assert!(is_iri(json["verb"]["id"].as_str().unwrap()));
    assert!(json["verb"]["display"]["en-US"].is_string());
    assert_eq!(json["object"]["objectType"], "Activity");
    assert!(
        is_iri(json["object"]["id"].as_str().unwrap()),
        "{}",
        json["object"]["id"]
    );
    assert!(is_iri(
        json["object"]["definition"]["type"].as_str().unwrap()
    ));
    let timestamp = json["timestamp"].as_str().unwrap();
    assert!(
        timestamp.len() == 20
            && timestamp.ends_with('Z')
            && timestamp.as_bytes()[10] == b'T'
            && timestamp[..4].parse::<u32>().is_ok(),
        "{timestamp}"
    );
    if let Some(score) = json["result"].get("score") {
        let scaled = score["scaled"].as_f64().unwrap();
        let (raw, min, max) = (
            score["raw"].as_f64().unwrap(),
            score["min"].as_f64().unwrap(),
            score["max"].as_f64().unwrap(),
        );
        assert!((-1.0..=1.0).contains(&scaled));
        assert!(min <= raw && raw <= max);
    }
    for extensions in [
        &json["result"]["extensions"],
        &json["context"]["extensions"],
    ] {
        if let Value::Object(map) = extensions {
            assert!(map.keys().all(|k| is_iri(k)), "{map:?}");
        }
    }
    if let Some(registration) = json["context"].get("registration") {
        uuid::Uuid::parse_str(registration.as_str().unwrap()).unwrap();
    }
    // Nothing optional is sent as null.
    for key in ["result", "context"] {
        assert_ne!(json.get(key), Some(&Value::Null));
    }
}

#[test]
fn an_exemplary_exercise_is_launched_graded_choice_by_choice_completed_and_terminated() {
    let statements = statements("ransomware-file-server", "exemplary", "ex-1", false);
    for s in &statements {
        check_shape(s);
    }
    let verbs: Vec<&str> = statements
        .iter()
        .map(|s| s.verb.id.rsplit('/').next().unwrap())
        .collect();
    assert_eq!(verbs.first(), Some(&"launched"));
    assert_eq!(&verbs[verbs.len() - 2..], ["completed", "terminated"]);
    let responded = statements
        .iter()
        .filter(|s| s.verb.id.ends_with("/responded"))
        .count();
    let session = play("ransomware-file-server", "exemplary");
    let assigned = session
        .log()
        .entries
        .iter()
        .filter(|e| matches!(e.intent, warroom::engine::Intent::AssignAction { .. }))
        .count();
    assert_eq!(responded, assigned);
    assert!(
        statements
            .iter()
            .any(|s| s.object.id.ends_with("/injects/alert/actions/isolate-fs01"))
    );
    // Every choice of the exemplary run met the plan.
    for s in statements
        .iter()
        .filter(|s| s.verb.id.ends_with("/responded"))
    {
        assert_eq!(s.result.as_ref().unwrap().success, Some(true), "{s:?}");
    }
    let completed = &statements[statements.len() - 2];
    let result = completed.result.as_ref().unwrap();
    assert!((result.score.as_ref().unwrap().raw - 100.0).abs() < f64::EPSILON);
    assert_eq!(result.completion, Some(true));
    assert!(
        result
            .extensions
            .contains_key("https://lrs.example.org/warroom/extensions/dimension/evidence")
    );
    let context = completed.context.as_ref().unwrap();
    assert_eq!(
        context.extensions["https://lrs.example.org/warroom/extensions/scenario"],
        "ransomware-file-server"
    );
}

#[test]
fn a_broken_responsibility_reaches_the_record_with_its_citation() {
    let statements = statements("ransomware-file-server", "legal-too-late", "ex-2", false);
    let faulted: Vec<&Statement> = statements
        .iter()
        .filter(|s| s.result.as_ref().is_some_and(|r| r.success == Some(false)))
        .collect();
    assert!(!faulted.is_empty());
    for s in faulted {
        let result = s.result.as_ref().unwrap();
        assert!(result.response.as_ref().is_some_and(|r| !r.is_empty()));
        let cites = &result.extensions["https://lrs.example.org/warroom/extensions/cites"];
        assert!(cites.as_array().is_some_and(|c| !c.is_empty()), "{cites}");
        assert!(
            result.extensions["https://lrs.example.org/warroom/extensions/points"]
                .as_i64()
                .unwrap()
                < 0
        );
    }
    let total = statements[statements.len() - 2]
        .result
        .as_ref()
        .unwrap()
        .score
        .as_ref()
        .unwrap()
        .raw;
    assert!(total < 100.0);
}

#[test]
fn statement_ids_are_the_same_every_time_and_never_repeat() {
    let first = statements("misdirected-email", "exemplary", "ex-3", false);
    let again = statements("misdirected-email", "exemplary", "ex-3", false);
    assert_eq!(
        first, again,
        "a replay or a second push makes the same statements"
    );
    let ids: BTreeSet<&str> = first.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids.len(), first.len());
    let other = statements("misdirected-email", "exemplary", "ex-4", false);
    assert!(other.iter().all(|s| !ids.contains(s.id.as_str())));
}

#[test]
fn a_pseudonymous_organisation_sends_no_name() {
    let statements = statements("misdirected-email", "exemplary", "ex-5", true);
    let json = serde_json::to_string(&statements).unwrap();
    assert!(!json.contains("Dana"), "{json}");
    let accounts: BTreeSet<&str> = statements
        .iter()
        .map(|s| s.actor.account.as_ref().unwrap().name.as_str())
        .collect();
    assert_eq!(accounts.len(), 1, "one learner, one stable pseudonym");
    for s in &statements {
        check_shape(s);
    }
}

#[test]
fn timestamps_are_utc_rfc_3339() {
    use warroom::interop::xapi::timestamp;
    assert_eq!(timestamp(1_796_547_600), "2026-12-06T09:00:00Z");
    assert_eq!(timestamp(0), "1970-01-01T00:00:00Z");
    assert_eq!(timestamp(951_827_696), "2000-02-29T12:34:56Z");
}

#[test]
fn a_quiz_answer_is_answered_right_or_wrong_in_its_sitting() {
    use warroom::engine::learning::progress::AnswerRecord;
    use warroom::engine::model::matrix::Dimension;
    use warroom::interop::xapi::quiz::answer_statement;
    let answer = |correct: bool, at: i64| AnswerRecord {
        sitting: 3,
        question: "who-isolates".into(),
        dimension: Dimension::Ownership,
        roles: vec!["it_ops".into()],
        correct,
        first_try: true,
        at,
    };
    let wrong = answer_statement(
        &identity(false),
        "Dana Reyes",
        &answer(false, 1_796_547_600),
        Some("Who isolates the host?"),
    );
    check_shape(&wrong);
    assert!(wrong.verb.id.ends_with("/answered"));
    assert_eq!(wrong.result.as_ref().unwrap().success, Some(false));
    assert!(wrong.object.id.ends_with("/questions/who-isolates"));
    let again = answer_statement(
        &identity(false),
        "Dana Reyes",
        &answer(false, 1_796_547_600),
        Some("Who isolates the host?"),
    );
    assert_eq!(wrong, again);
    // The same question answered again later in the sitting is a statement of its own, in the
    // same registration.
    let later = answer_statement(
        &identity(false),
        "Dana Reyes",
        &answer(true, 1_796_547_700),
        None,
    );
    assert_ne!(later.id, wrong.id);
    assert_eq!(
        later.context.as_ref().unwrap().registration,
        wrong.context.as_ref().unwrap().registration
    );
    assert_eq!(later.result.as_ref().unwrap().success, Some(true));
}

#[test]
fn a_learner_with_an_address_is_known_by_it() {
    let session = play("misdirected-email", "exemplary");
    let record = ExerciseRecord::new("ex-mail", Mode::Practice, 1_796_547_600, &session);
    let mut known = identity(false);
    known
        .emails
        .insert("Dana Reyes".into(), "dana.reyes@example.org".into());
    let statements = exercise_statements(&known, "Dana Reyes", &record, &session, &score(&session));
    for s in &statements {
        check_shape(s);
        assert_eq!(
            s.actor.mbox.as_deref(),
            Some("mailto:dana.reyes@example.org")
        );
        assert!(s.actor.account.is_none());
    }
    // Pseudonymous wins over an address: no name and no address leave the machine.
    known.pseudonymous = true;
    let hidden = exercise_statements(&known, "Dana Reyes", &record, &session, &score(&session));
    let json = serde_json::to_string(&hidden).unwrap();
    assert!(!json.contains("dana") && !json.contains("Dana"), "{json}");
}

/// In a hosted room each person who held a seat gets the statements of their seat's choices,
/// under their own name and ids; nobody gets another seat's.
#[test]
fn each_person_in_a_room_gets_their_own_seats_statements() {
    use warroom::engine::room::{RoomRecord, Seat};
    use warroom::interop::xapi::exercise::room_statements;
    let session = play("ransomware-file-server", "natural");
    let mut record = ExerciseRecord::new("room-1", Mode::Facilitated, 1_796_547_600, &session);
    record.updated_at = record.started_at + 3600;
    let seats = Seat::per_role(&session);
    let mut room = RoomRecord::new("join".into(), "console".into(), seats.clone());
    room.take("soc", "Ana Costa", "t1".into()).unwrap();
    room.take("it_ops", "Ben Okafor", "t2".into()).unwrap();
    room.take("it_ops", "Ben's phone", "t3".into()).unwrap();
    record.room = Some(room);
    let card = score(&session);
    let statements = room_statements(&identity(false), &record, &session, &card);
    let of = |name: &str| -> Vec<&Statement> {
        statements
            .iter()
            .filter(|s| s.actor.name.as_deref() == Some(name))
            .collect()
    };
    let choices_of = |role: &str| {
        session
            .log()
            .entries
            .iter()
            .filter(|e| e.intent.actor().is_some_and(|a| a.as_str() == role))
            .filter(|e| {
                matches!(
                    e.intent,
                    warroom::engine::Intent::AssignAction { .. }
                        | warroom::engine::Intent::Handoff(_)
                        | warroom::engine::Intent::Escalate { .. }
                        | warroom::engine::Intent::Communicate { .. }
                )
            })
            .count()
    };
    assert!(choices_of("soc") > 0 && choices_of("it_ops") > 0);
    // Launched, completed and terminated, and each of the seat's own choices.
    assert_eq!(of("Ana Costa").len(), choices_of("soc") + 3);
    assert_eq!(of("Ben Okafor").len(), choices_of("it_ops") + 3);
    assert_eq!(of("Ben's phone").len(), choices_of("it_ops") + 3);
    let ids: BTreeSet<&str> = statements.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids.len(),
        statements.len(),
        "no two people share a statement id"
    );
    for s in &statements {
        check_shape(s);
    }
}
