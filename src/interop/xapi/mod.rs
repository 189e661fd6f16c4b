//! xAPI 1.0.3 statements ("actor verb object result context"): what an organisation's learning
//! record store takes from Warroom. The types are the small subset of the specification Warroom
//! writes, serialised as the specification spells them; [`exercise`] builds them from a played
//! exercise. Statement ids are UUID v5 of the exercise and the log position, so a replay, a
//! resume or a second push of the same record never makes a second statement.

pub mod client;
pub mod config;
pub mod exercise;
pub mod organisation;
pub mod organisation_html;
pub mod quiz;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The xAPI version Warroom speaks (the `X-Experience-API-Version` header's value).
pub const XAPI_VERSION: &str = "1.0.3";

/// Namespace of Warroom's statement ids (UUID v5 names are `exercise/position/what`).
const STATEMENT_NAMESPACE: uuid::Uuid = uuid::uuid!("3f1c2a7e-5b9d-4e8a-9c61-2d0f7a4b8e15");

/// Where statements come from and who they are about, as an organisation configures it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// The base of every activity id Warroom mints (`https://lrs.example.org/warroom`).
    pub base_iri: String,
    /// The home page of the accounts learners are known by (`https://example.org`).
    pub home_page: String,
    /// Send a hash of each name instead of the name (for organisations that must not send names).
    pub pseudonymous: bool,
    /// Learners known by e-mail address, by the name they play under: sent as `mbox` instead of
    /// an account (never when pseudonymous).
    #[serde(default)]
    pub emails: BTreeMap<String, String>,
}

/// A statement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    /// Deterministic UUID.
    pub id: String,
    /// Who.
    pub actor: Agent,
    /// Did what.
    pub verb: Verb,
    /// To what.
    pub object: Activity,
    /// How it went.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub result: Option<StatementResult>,
    /// In what setting.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub context: Option<Context>,
    /// When (RFC 3339, UTC).
    pub timestamp: String,
}

/// A learner, known by an account on the organisation's home page or by e-mail address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agent {
    /// Always `Agent`.
    #[serde(rename = "objectType")]
    pub object_type: String,
    /// The display name (left out when pseudonymous).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub name: Option<String>,
    /// The inverse functional identifier: an account …
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub account: Option<Account>,
    /// … or a `mailto:` address.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub mbox: Option<String>,
}

/// An account (xAPI's `account` identifier).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// The system the name belongs to.
    #[serde(rename = "homePage")]
    pub home_page: String,
    /// The name on it.
    pub name: String,
}

/// A verb, from the ADL vocabulary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verb {
    /// The verb's IRI.
    pub id: String,
    /// Its name by language.
    pub display: BTreeMap<String, String>,
}

/// What a statement is about.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    /// Always `Activity`.
    #[serde(rename = "objectType")]
    pub object_type: String,
    /// The activity's IRI.
    pub id: String,
    /// Its name and type.
    pub definition: Definition,
}

/// An activity's definition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Definition {
    /// Its name by language.
    pub name: BTreeMap<String, String>,
    /// Its type's IRI.
    #[serde(rename = "type")]
    pub kind: String,
}

/// How it went.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StatementResult {
    /// The score.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub score: Option<Score>,
    /// Whether it met the mark.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub success: Option<bool>,
    /// Whether it was finished.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub completion: Option<bool>,
    /// The verdict, in words.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub response: Option<String>,
    /// Warroom's own details (dimension scores, the responsibility cited).
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub extensions: BTreeMap<String, serde_json::Value>,
}

/// A score out of 100.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Score {
    /// Between 0 and 1.
    pub scaled: f64,
    /// The total.
    pub raw: f64,
    /// 0.
    pub min: f64,
    /// 100.
    pub max: f64,
}

impl Score {
    /// A total out of 100.
    pub fn of_100(total: u32) -> Self {
        let raw = f64::from(total.min(100));
        Self {
            scaled: raw / 100.0,
            raw,
            min: 0.0,
            max: 100.0,
        }
    }
}

/// The setting: the exercise, the plan and what it belongs to.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Context {
    /// The exercise (one registration per exercise).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub registration: Option<String>,
    /// Always `Warroom`.
    pub platform: String,
    /// The activities it is part of.
    #[serde(
        rename = "contextActivities",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub context_activities: Option<ContextActivities>,
    /// Scenario, plan, seed, mode.
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub extensions: BTreeMap<String, serde_json::Value>,
}

/// The activities a statement belongs to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContextActivities {
    /// The exercise's scenario, for a statement about one of its decisions.
    pub parent: Vec<Activity>,
}

/// An ADL verb by its last word (`launched`, `completed`, `responded` …).
pub fn adl_verb(word: &str) -> Verb {
    Verb {
        id: format!("http://adlnet.gov/expapi/verbs/{word}"),
        display: BTreeMap::from([("en-US".to_owned(), word.to_owned())]),
    }
}

/// An activity under the organisation's base IRI, with its path's segments percent-encoded.
pub fn activity(identity: &Identity, path: &[&str], name: &str, kind: &str) -> Activity {
    let mut id = identity.base_iri.trim_end_matches('/').to_owned();
    for segment in path {
        id.push('/');
        id.push_str(&encode_segment(segment));
    }
    Activity {
        object_type: "Activity".into(),
        id,
        definition: Definition {
            name: BTreeMap::from([("en-US".to_owned(), name.to_owned())]),
            kind: format!("http://adlnet.gov/expapi/activities/{kind}"),
        },
    }
}

/// A learner as the organisation knows them: by name, or by a hash of it when pseudonymous.
pub fn agent(identity: &Identity, name: &str) -> Agent {
    if identity.pseudonymous {
        let hash = blake3::hash(format!("{}\n{name}", identity.home_page).as_bytes());
        Agent {
            object_type: "Agent".into(),
            name: None,
            account: Some(Account {
                home_page: identity.home_page.clone(),
                name: hash.to_hex()[..32].to_owned(),
            }),
            mbox: None,
        }
    } else if let Some(address) = identity.emails.get(name) {
        Agent {
            object_type: "Agent".into(),
            name: Some(name.to_owned()),
            account: None,
            mbox: Some(format!("mailto:{}", address.trim_start_matches("mailto:"))),
        }
    } else {
        Agent {
            object_type: "Agent".into(),
            name: Some(name.to_owned()),
            account: Some(Account {
                home_page: identity.home_page.clone(),
                name: name.to_owned(),
            }),
            mbox: None,
        }
    }
}

/// The IRI of one of Warroom's extensions (`{base}/extensions/{name}`).
pub fn extension(identity: &Identity, name: &str) -> String {
    format!(
        "{}/extensions/{name}",
        identity.base_iri.trim_end_matches('/')
    )
}

/// The statement id for `what` at `position` of exercise `exercise`: the same inputs always give
/// the same id.
pub fn statement_id(exercise: &str, position: usize, what: &str) -> String {
    uuid::Uuid::new_v5(
        &STATEMENT_NAMESPACE,
        format!("{exercise}/{position}/{what}").as_bytes(),
    )
    .to_string()
}

/// RFC 3339 UTC time of a Unix timestamp.
pub fn timestamp(unix: i64) -> String {
    let seconds = unix.rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        crate::engine::reports::aar::utc_date(unix),
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// A path segment with everything but unreserved characters percent-encoded (RFC 3986).
fn encode_segment(segment: &str) -> String {
    use std::fmt::Write as _;
    // Writing to a String cannot fail.
    let mut out = String::new();
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}
