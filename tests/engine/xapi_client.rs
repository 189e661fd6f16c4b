//! The LRS client against a scripted HTTP server on loopback: the headers xAPI 1.0.3 requires on
//! every request, a batch the store will not take whole sent one statement at a time, and each
//! failure said in words that never quote the secret.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpListener;
use std::sync::mpsc;
use std::thread;

use warroom::interop::xapi::client::{LrsClient, LrsError};
use warroom::interop::xapi::config::load;

/// One request as the server read it.
#[derive(Debug)]
struct Seen {
    line: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Serves `answers` (status, body) to the next requests in turn, one connection each; returns
/// the endpoint and what was asked.
fn server(answers: Vec<(u16, &'static str)>) -> (String, mpsc::Receiver<Seen>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}/xAPI", listener.local_addr().unwrap());
    let (tell, seen) = mpsc::channel();
    thread::spawn(move || {
        for (status, body) in answers {
            let (stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let mut headers = Vec::new();
            loop {
                let mut header = String::new();
                reader.read_line(&mut header).unwrap();
                let header = header.trim_end();
                if header.is_empty() {
                    break;
                }
                let (name, value) = header.split_once(':').unwrap();
                headers.push((name.trim().to_owned(), value.trim().to_owned()));
            }
            let length: usize = headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
                .map_or(0, |(_, v)| v.parse().unwrap());
            let mut bytes = vec![0; length];
            reader.read_exact(&mut bytes).unwrap();
            let mut stream = stream;
            write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )
            .unwrap();
            let _ = tell.send(Seen {
                line: line.trim_end().to_owned(),
                headers,
                body: String::from_utf8(bytes).unwrap(),
            });
        }
    });
    (endpoint, seen)
}

fn client(endpoint: &str) -> LrsClient {
    let dir = tempfile::tempdir().unwrap();
    let env = |name: &str| match name {
        "WARROOM_LRS_ENDPOINT" => Some(endpoint.to_owned()),
        "WARROOM_LRS_KEY" => Some("trainer".to_owned()),
        "WARROOM_LRS_SECRET" => Some("hunter2-secret".to_owned()),
        _ => None,
    };
    LrsClient::new(&load(dir.path(), env).unwrap().unwrap())
}

const BATCH: [(&str, &str); 2] = [
    (
        "7d5c6b2e-0000-5000-8000-000000000001",
        r#"{"id":"7d5c6b2e-0000-5000-8000-000000000001"}"#,
    ),
    (
        "7d5c6b2e-0000-5000-8000-000000000002",
        r#"{"id":"7d5c6b2e-0000-5000-8000-000000000002"}"#,
    ),
];

#[test]
fn every_request_says_its_xapi_version_and_signs_in_with_basic_auth() {
    let (endpoint, seen) = server(vec![(200, "[]")]);
    let delivery = client(&endpoint).deliver(&BATCH);
    assert!(delivery.failure.is_none(), "{:?}", delivery.failure);
    assert_eq!(delivery.sent.len(), 2);
    let request = seen.recv().unwrap();
    assert_eq!(request.line, "POST /xAPI/statements HTTP/1.1");
    assert_eq!(request.header("X-Experience-API-Version"), Some("1.0.3"));
    assert_eq!(request.header("Content-Type"), Some("application/json"));
    // "trainer:hunter2-secret" in base64.
    assert_eq!(
        request.header("Authorization"),
        Some("Basic dHJhaW5lcjpodW50ZXIyLXNlY3JldA==")
    );
    let body: serde_json::Value = serde_json::from_str(&request.body).unwrap();
    assert_eq!(body.as_array().unwrap().len(), 2);
}

#[test]
fn a_batch_not_taken_whole_goes_one_statement_at_a_time_and_a_conflict_counts_as_sent() {
    // The batch: a conflict. Then one by one: already there (409), and refused as invalid (400).
    let (endpoint, seen) = server(vec![
        (409, r#"{"detail":"Differing statements already exist"}"#),
        (
            409,
            r#"{"detail":"A different statement already exists with the same ID"}"#,
        ),
        (400, r#"{"detail":"object: field required"}"#),
    ]);
    let delivery = client(&endpoint).deliver(&BATCH);
    assert!(delivery.failure.is_none(), "{:?}", delivery.failure);
    assert_eq!(delivery.sent, vec![BATCH[0].0.to_owned()]);
    assert_eq!(
        delivery.refused,
        vec![(BATCH[1].0.to_owned(), "object: field required".to_owned())]
    );
    let lines: Vec<String> = seen.iter().take(3).map(|s| s.line).collect();
    assert_eq!(lines[0], "POST /xAPI/statements HTTP/1.1");
    assert_eq!(
        lines[1],
        format!("PUT /xAPI/statements?statementId={} HTTP/1.1", BATCH[0].0)
    );
}

#[test]
fn failures_are_said_in_words_without_the_secret() {
    let (endpoint, _seen) = server(vec![
        (401, r#"{"detail":"Invalid authentication credentials"}"#),
        (
            400,
            r#"{"detail":"X-Experience-API-Version header missing or unsupported"}"#,
        ),
        (503, "upstream down"),
        (
            502,
            "<!DOCTYPE html><html><head><title>502</title><style>p{}</style></head><body><h1>Bad \
             Gateway</h1><p>The proxy could not reach the LRS.</p></body></html>",
        ),
    ]);
    let lrs = client(&endpoint);
    let said: Vec<LrsError> = (0..4)
        .map(|_| lrs.deliver(&BATCH).failure.unwrap())
        .collect();
    assert_eq!(said[0], LrsError::Unauthorized);
    assert!(matches!(said[1], LrsError::Version { .. }), "{:?}", said[1]);
    assert!(
        matches!(&said[2], LrsError::Status { status: 503, detail, .. } if detail == "upstream down"),
        "{:?}",
        said[2]
    );
    // A proxy's HTML page is said in its words, not its markup.
    assert!(
        matches!(&said[3], LrsError::Status { status: 502, detail, .. }
            if detail == "Bad Gateway The proxy could not reach the LRS."),
        "{:?}",
        said[3]
    );
    for error in &said {
        assert!(!error.to_string().contains("hunter2"), "{error}");
    }
    assert!(said[0].to_string().contains("key and secret"));

    // Nothing listens on a port just closed.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = closed.local_addr().unwrap();
    drop(closed);
    let failure = client(&format!("http://{address}/xAPI/"))
        .deliver(&BATCH)
        .failure
        .unwrap();
    assert!(
        matches!(failure, LrsError::Unreachable { .. }),
        "{failure:?}"
    );
    assert!(
        failure.to_string().contains("could not connect"),
        "{failure}"
    );

    // An https address served by plain HTTP: the secure connection is what failed.
    let plain = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = plain.local_addr().unwrap();
    thread::spawn(move || {
        if let Ok((mut stream, _)) = plain.accept() {
            let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        }
    });
    let failure = client(&format!("https://{address}/xAPI/"))
        .deliver(&BATCH)
        .failure
        .unwrap();
    assert!(matches!(failure, LrsError::Tls { .. }), "{failure:?}");
    assert!(
        failure.to_string().contains("secure (TLS) connection"),
        "{failure}"
    );
}

#[test]
fn a_store_that_never_stops_paging_is_given_up_on_in_words() {
    use warroom::interop::xapi::client::MAX_PAGES;
    let pages: Vec<(u16, &'static str)> = (0..=MAX_PAGES)
        .map(|n| {
            let page = format!(r#"{{"statements":[],"more":"/xAPI/statements?page={n}"}}"#);
            (200, &*Box::leak(page.into_boxed_str()))
        })
        .collect();
    let (endpoint, _seen) = server(pages);
    let failure = client(&endpoint).fetch_statements(None).unwrap_err();
    assert!(
        failure
            .to_string()
            .contains("still sending statements after 2000 pages"),
        "{failure}"
    );
}
