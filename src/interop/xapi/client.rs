//! Talking to a learning record store over HTTP(S): sending statements in batches, reading its
//! `/about`, and voiding a statement. Every failure is said in words a trainer can act on (the
//! host not found, TLS, the key refused, the version) and never quotes the secret.

use std::time::Duration;

use serde_json::{Value, json};
use thiserror::Error;

use super::config::LrsConfig;
use super::{Identity, XAPI_VERSION, activity, adl_verb, agent, statement_id, timestamp};

/// How long a connection may take to open.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a whole request may take.
const REQUEST_TIMEOUT: Duration = Duration::from_mins(1);
/// Pages of statements one query reads at most (500 each): a store that never stops sending
/// `more` links must not keep a report running for ever.
pub const MAX_PAGES: usize = 2_000;
/// How much of an answer's body a message quotes.
const QUOTED: usize = 200;

/// Why the store could not be reached or would not take statements.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum LrsError {
    /// The name does not resolve.
    #[error("the host {host} was not found: check the endpoint's address and the network")]
    HostNotFound {
        /// The endpoint's host.
        host: String,
    },
    /// Nothing listens, or the network is down.
    #[error("could not connect to {endpoint} ({detail}): is the LRS running and reachable?")]
    Unreachable {
        /// The endpoint.
        endpoint: String,
        /// What the system said.
        detail: String,
    },
    /// The secure connection failed.
    #[error(
        "the secure (TLS) connection to {host} failed: {detail}; check the endpoint is https and its certificate is valid for that name"
    )]
    Tls {
        /// The endpoint's host.
        host: String,
        /// What the TLS layer said.
        detail: String,
    },
    /// No answer in time.
    #[error("{endpoint} did not answer within {} s", REQUEST_TIMEOUT.as_secs())]
    Timeout {
        /// The endpoint.
        endpoint: String,
    },
    /// 401.
    #[error(
        "the LRS refused the key and secret (401 Unauthorized): check `key` and `secret` in lrs.ron, or WARROOM_LRS_KEY and WARROOM_LRS_SECRET"
    )]
    Unauthorized,
    /// 403.
    #[error("the LRS does not let this key write statements (403 Forbidden): {detail}")]
    Forbidden {
        /// The store's reason.
        detail: String,
    },
    /// The store does not speak Warroom's version.
    #[error("the LRS does not take xAPI version {XAPI_VERSION}: {detail}")]
    Version {
        /// The store's reason.
        detail: String,
    },
    /// Any other answer.
    #[error("the LRS answered {status} to {what}: {detail}")]
    Status {
        /// The HTTP status.
        status: u16,
        /// What was asked.
        what: String,
        /// The store's reason.
        detail: String,
    },
    /// Anything else on the way.
    #[error("the request to {endpoint} failed: {detail}")]
    Other {
        /// The endpoint.
        endpoint: String,
        /// What went wrong.
        detail: String,
    },
}

/// What became of a batch.
#[derive(Debug, Default)]
pub struct Delivery {
    /// Ids the store took (or already had).
    pub sent: Vec<String>,
    /// Ids it refused for good, with its reason.
    pub refused: Vec<(String, String)>,
    /// Why the rest could not be delivered now.
    pub failure: Option<LrsError>,
}

/// What `/about` said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum About {
    /// The versions the store speaks.
    Versions(Vec<String>),
    /// The store has no `/about` resource (404); some do not.
    Missing,
}

/// A learning record store, signed in to.
pub struct LrsClient {
    agent: ureq::Agent,
    /// The endpoint, ending in `/`.
    endpoint: String,
    authorization: String,
    identity: Identity,
}

/// An HTTP answer: its status and body.
struct Answer {
    status: u16,
    body: String,
}

impl LrsClient {
    /// A client for the store `config` names.
    pub fn new(config: &LrsConfig) -> Self {
        use base64::Engine as _;
        // The system's trust store, so an organisation's own certificate authority works too.
        let tls = ureq::tls::TlsConfig::builder()
            .root_certs(ureq::tls::RootCerts::PlatformVerifier)
            .build();
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .tls_config(tls)
            .http_status_as_error(false)
            .timeout_connect(Some(CONNECT_TIMEOUT))
            .timeout_global(Some(REQUEST_TIMEOUT))
            .user_agent(concat!("Warroom/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        let credentials = format!("{}:{}", config.key, config.secret.reveal());
        let endpoint = if config.endpoint.ends_with('/') {
            config.endpoint.clone()
        } else {
            format!("{}/", config.endpoint)
        };
        Self {
            agent,
            endpoint,
            authorization: format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(credentials)
            ),
            identity: config.identity.clone(),
        }
    }

    /// The endpoint, as given.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// `scheme://host[:port]` of the endpoint (which the configuration checked has one).
    fn origin(&self) -> &str {
        super::config::origin(&self.endpoint).unwrap_or(&self.endpoint)
    }

    /// `host[:port]` of the endpoint.
    fn host(&self) -> String {
        let origin = self.origin();
        origin
            .split_once("://")
            .map_or(origin, |(_, host)| host)
            .to_owned()
    }

    fn error_of(&self, error: ureq::Error) -> LrsError {
        let endpoint = self.endpoint.clone();
        match error {
            ureq::Error::HostNotFound => LrsError::HostNotFound { host: self.host() },
            ureq::Error::Timeout(_) => LrsError::Timeout { endpoint },
            ureq::Error::ConnectionFailed => LrsError::Unreachable {
                endpoint,
                detail: "the connection failed".into(),
            },
            // The system's resolver says "failed to lookup address information".
            ureq::Error::Io(e) if e.to_string().contains("lookup address") => {
                LrsError::HostNotFound { host: self.host() }
            }
            // rustls reports a handshake that went wrong (a plain-HTTP server on an https
            // address, a certificate for another name) as invalid data on the stream.
            ureq::Error::Io(e)
                if e.kind() == std::io::ErrorKind::InvalidData
                    && self.endpoint.starts_with("https://") =>
            {
                LrsError::Tls {
                    host: self.host(),
                    detail: e.to_string(),
                }
            }
            ureq::Error::Io(e) => LrsError::Unreachable {
                endpoint,
                detail: e.to_string(),
            },
            ureq::Error::Tls(detail) => LrsError::Tls {
                host: self.host(),
                detail: detail.into(),
            },
            ureq::Error::Rustls(e) => LrsError::Tls {
                host: self.host(),
                detail: e.to_string(),
            },
            ureq::Error::BadUri(detail) => LrsError::Other {
                endpoint,
                detail: format!("the endpoint is not a usable address ({detail})"),
            },
            other => LrsError::Other {
                endpoint,
                detail: other.to_string(),
            },
        }
    }

    fn answer(
        &self,
        sent: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<Answer, LrsError> {
        let mut response = sent.map_err(|e| self.error_of(e))?;
        let status = response.status().as_u16();
        // A body that cannot be read is only a missing detail.
        let body = response.body_mut().read_to_string().unwrap_or_default();
        Ok(Answer { status, body })
    }

    /// A request signed in and saying its xAPI version, as every request to the store must.
    fn signed<B>(&self, request: ureq::RequestBuilder<B>) -> ureq::RequestBuilder<B> {
        request
            .header("Authorization", &self.authorization)
            .header("X-Experience-API-Version", XAPI_VERSION)
    }

    /// GET of `url`, a full address.
    fn get_url(&self, url: &str) -> Result<Answer, LrsError> {
        self.answer(self.signed(self.agent.get(url)).call())
    }

    /// GET of `path` under the endpoint.
    fn get(&self, path: &str) -> Result<Answer, LrsError> {
        self.get_url(&format!("{}{path}", self.endpoint))
    }

    fn post(&self, body: &str) -> Result<Answer, LrsError> {
        let url = format!("{}statements", self.endpoint);
        let request = self.signed(self.agent.post(&url));
        self.answer(request.content_type("application/json").send(body))
    }

    fn put(&self, id: &str, body: &str) -> Result<Answer, LrsError> {
        let url = format!("{}statements", self.endpoint);
        let request = self.signed(self.agent.put(&url).query("statementId", id));
        self.answer(request.content_type("application/json").send(body))
    }

    /// The error an unsuccessful answer to `what` means.
    fn refusal(answer: &Answer, what: &str) -> LrsError {
        let detail = detail_of(&answer.body);
        match answer.status {
            401 => LrsError::Unauthorized,
            403 => LrsError::Forbidden { detail },
            400 if about_version(&answer.body) => LrsError::Version { detail },
            status => LrsError::Status {
                status,
                what: what.into(),
                detail,
            },
        }
    }

    /// Sends `batch` (ids and JSON, oldest first) as one request; when the store will not take it
    /// whole (a statement it refuses, or one it holds differently), one statement at a time, so
    /// one bad statement never holds up the rest. A statement the store already has counts as
    /// sent: ids are deterministic, so it is the same statement.
    pub fn deliver(&self, batch: &[(&str, &str)]) -> Delivery {
        let mut delivery = Delivery::default();
        if batch.is_empty() {
            return delivery;
        }
        let body = format!(
            "[{}]",
            batch
                .iter()
                .map(|(_, json)| *json)
                .collect::<Vec<_>>()
                .join(",")
        );
        match self.post(&body) {
            Ok(answer) if matches!(answer.status, 200 | 204) => {
                delivery.sent = batch.iter().map(|(id, _)| (*id).to_owned()).collect();
                return delivery;
            }
            Ok(answer) if matches!(answer.status, 400 | 409) && !about_version(&answer.body) => {}
            Ok(answer) => {
                delivery.failure = Some(Self::refusal(&answer, "a batch of statements"));
                return delivery;
            }
            Err(e) => {
                delivery.failure = Some(e);
                return delivery;
            }
        }
        for (id, json) in batch {
            match self.put(id, json) {
                Ok(answer) if matches!(answer.status, 200 | 204 | 409) => {
                    delivery.sent.push((*id).to_owned());
                }
                Ok(answer) if answer.status == 400 && !about_version(&answer.body) => {
                    delivery
                        .refused
                        .push(((*id).to_owned(), detail_of(&answer.body)));
                }
                Ok(answer) => {
                    delivery.failure = Some(Self::refusal(&answer, "a statement"));
                    return delivery;
                }
                Err(e) => {
                    delivery.failure = Some(e);
                    return delivery;
                }
            }
        }
        delivery
    }

    /// Every statement the store returns (since `since`, an RFC 3339 time, when given),
    /// following its `more` links page by page.
    pub fn fetch_statements(&self, since: Option<&str>) -> Result<Vec<Value>, LrsError> {
        let mut next = String::from("statements?limit=500");
        if let Some(since) = since {
            next.push_str("&since=");
            next.push_str(&super::encode_segment(since));
        }
        let mut all = Vec::new();
        let mut visited = std::collections::BTreeSet::new();
        for _ in 0..MAX_PAGES {
            let answer = match next.strip_prefix('/') {
                Some(absolute) => self.get_url(&format!("{}/{absolute}", self.origin()))?,
                None => self.get(&next)?,
            };
            if answer.status != 200 {
                return Err(Self::refusal(&answer, "a query for statements"));
            }
            let page: Value = serde_json::from_str(&answer.body).map_err(|e| LrsError::Other {
                endpoint: self.endpoint.clone(),
                detail: format!("its statements were not JSON ({e})"),
            })?;
            if let Some(statements) = page["statements"].as_array() {
                all.extend(statements.iter().cloned());
            }
            match page["more"].as_str().filter(|more| !more.is_empty()) {
                // A store that sends the same page again would never end: stop there.
                Some(more) if visited.insert(more.to_owned()) => more.clone_into(&mut next),
                _ => return Ok(all),
            }
        }
        Err(LrsError::Other {
            endpoint: self.endpoint.clone(),
            detail: format!(
                "it was still sending statements after {MAX_PAGES} pages ({} statements); read fewer with --since",
                all.len()
            ),
        })
    }

    /// What the store's `/about` says of the versions it speaks.
    pub fn about(&self) -> Result<About, LrsError> {
        let answer = self.get("about")?;
        match answer.status {
            200 => {
                let versions = serde_json::from_str::<Value>(&answer.body)
                    .ok()
                    .and_then(|about| {
                        about["version"].as_array().map(|versions| {
                            versions
                                .iter()
                                .filter_map(|v| v.as_str().map(str::to_owned))
                                .collect()
                        })
                    })
                    .ok_or_else(|| LrsError::Other {
                        endpoint: self.endpoint.clone(),
                        detail: "its /about did not list the xAPI versions it speaks".into(),
                    })?;
                Ok(About::Versions(versions))
            }
            404 => Ok(About::Missing),
            _ => Err(Self::refusal(&answer, "/about")),
        }
    }

    /// Sends one test statement (Warroom checked the connection), then voids it so no report
    /// counts it; returns its id.
    pub fn send_test_statement(&self, now: i64) -> Result<String, LrsError> {
        let identity = &self.identity;
        let run = format!("connection-test/{now}/{}", std::process::id());
        let test = super::Statement {
            id: statement_id(&run, 0, "test"),
            actor: agent(identity, "Warroom connection test"),
            verb: adl_verb("initialized"),
            object: activity(
                identity,
                &["connection-test"],
                "Warroom connection test",
                "interaction",
            ),
            result: None,
            context: None,
            timestamp: timestamp(now),
        };
        let mut voiding = json!({
            "id": statement_id(&run, 1, "void"),
            "actor": test.actor,
            "verb": {
                "id": "http://adlnet.gov/expapi/verbs/voided",
                "display": {"en-US": "voided"}
            },
            "object": {"objectType": "StatementRef", "id": test.id},
            "timestamp": timestamp(now),
        });
        let test_json = serde_json::to_string(&test).unwrap_or_default();
        self.send_one(&test.id, &test_json)?;
        let void_id = voiding["id"].as_str().unwrap_or_default().to_owned();
        let void_json = serde_json::to_string(&voiding.take()).unwrap_or_default();
        self.send_one(&void_id, &void_json)?;
        Ok(test.id)
    }

    fn send_one(&self, id: &str, json: &str) -> Result<(), LrsError> {
        let delivery = self.deliver(&[(id, json)]);
        if let Some(failure) = delivery.failure {
            return Err(failure);
        }
        match delivery.refused.into_iter().next() {
            Some((_, reason)) => Err(LrsError::Status {
                status: 400,
                what: "the test statement".into(),
                detail: reason,
            }),
            None => Ok(()),
        }
    }
}

/// The words of an HTML error page (a proxy's or a web server's), or the body as it is.
fn without_markup(body: &str) -> String {
    let body = body.trim();
    if !body.starts_with('<') {
        return body.to_owned();
    }
    // The head (title, styles) repeats or hides what the body says.
    let text = body.find("<body").map_or(body, |start| &body[start..]);
    let mut words = String::new();
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => {
                in_tag = true;
                words.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => words.push(c),
            _ => {}
        }
    }
    words.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a 400's body is about the version header.
fn about_version(body: &str) -> bool {
    body.to_ascii_lowercase().contains("version")
}

/// The store's reason from an error body: its `detail`, `message` or `error` field, else the
/// start of the body.
fn detail_of(body: &str) -> String {
    let parsed = serde_json::from_str::<Value>(body).ok();
    let reason = parsed.as_ref().and_then(|v| {
        ["detail", "message", "error"]
            .iter()
            .find_map(|key| v.get(*key))
            .map(|field| match field {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            })
    });
    let reason = reason.unwrap_or_else(|| without_markup(body));
    let reason: String = crate::engine::text::one_clean_line(&reason)
        .chars()
        .take(QUOTED)
        .collect();
    if reason.is_empty() {
        "no reason given".into()
    } else {
        reason
    }
}
