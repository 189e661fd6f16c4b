//! Where the organisation's learning record store is and how Warroom signs in to it: `lrs.ron` in
//! the data folder, each field overridable by `WARROOM_LRS_ENDPOINT`, `WARROOM_LRS_KEY` and
//! `WARROOM_LRS_SECRET`. The secret is never shown: not in a message, a log or a debug print.

use std::path::Path;

use serde::Deserialize;

use super::Identity;
use crate::engine::content::load::Source;

/// The file in the data folder.
pub const CONFIG_FILE: &str = "lrs.ron";

/// A learning record store and Warroom's identity in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LrsConfig {
    /// The xAPI endpoint (`https://lrs.example.org/xAPI/`).
    pub endpoint: String,
    /// The Basic-auth user.
    pub key: String,
    /// The Basic-auth password.
    pub secret: Secret,
    /// Activity ids and accounts.
    pub identity: Identity,
}

/// A password: kept, sent, never shown.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// The password itself, for the Authorization header only.
    pub fn reveal(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_empty() {
            "(none)"
        } else {
            "(hidden)"
        })
    }
}

/// `lrs.ron` as written; every field may be left to the environment.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename = "Lrs")]
struct LrsFile {
    #[serde(default)]
    endpoint: Option<String>,
    #[serde(default)]
    key: Option<String>,
    #[serde(default)]
    secret: Option<Secret>,
    /// Default: the endpoint's origin followed by `/warroom`.
    #[serde(default)]
    base_iri: Option<String>,
    /// Default: the endpoint's origin.
    #[serde(default)]
    home_page: Option<String>,
    #[serde(default)]
    pseudonymous: bool,
    /// Learners' e-mail addresses by the name they play under.
    #[serde(default)]
    emails: std::collections::BTreeMap<String, String>,
}

/// The configuration in `data_dir`, with `env` over it; `Ok(None)` when neither names an LRS.
/// A file that does not read, or an endpoint that is not an http(s) address, is an error that
/// says where and why (never quoting the secret).
pub fn load(
    data_dir: &Path,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Option<LrsConfig>, String> {
    let path = data_dir.join(CONFIG_FILE);
    let file: LrsFile = if path.is_file() {
        let source = Source::read(&path).map_err(|d| d.to_string())?;
        source.parse().map_err(|d| d.to_string())?
    } else {
        LrsFile::default()
    };
    let endpoint = env("WARROOM_LRS_ENDPOINT").or(file.endpoint);
    let Some(endpoint) = endpoint.filter(|e| !e.trim().is_empty()) else {
        return Ok(None);
    };
    let endpoint = endpoint.trim().to_owned();
    let Some(origin) = origin(&endpoint) else {
        return Err(format!(
            "the LRS endpoint `{endpoint}` is not an http:// or https:// address (set in {} or WARROOM_LRS_ENDPOINT)",
            path.display()
        ));
    };
    let key = env("WARROOM_LRS_KEY").or(file.key).unwrap_or_default();
    let secret = env("WARROOM_LRS_SECRET")
        .map(Secret)
        .or(file.secret)
        .unwrap_or(Secret(String::new()));
    Ok(Some(LrsConfig {
        identity: Identity {
            base_iri: file.base_iri.unwrap_or_else(|| format!("{origin}/warroom")),
            home_page: file.home_page.unwrap_or_else(|| origin.to_owned()),
            pseudonymous: file.pseudonymous,
            emails: file.emails,
        },
        endpoint: if endpoint.ends_with('/') {
            endpoint
        } else {
            format!("{endpoint}/")
        },
        key,
        secret,
    }))
}

/// `scheme://host[:port]` of an http(s) address.
pub(super) fn origin(endpoint: &str) -> Option<&str> {
    let rest = endpoint
        .strip_prefix("https://")
        .or_else(|| endpoint.strip_prefix("http://"))?;
    let host_len = rest.find('/').unwrap_or(rest.len());
    if host_len == 0 {
        return None;
    }
    Some(&endpoint[..endpoint.len() - rest.len() + host_len])
}

#[cfg(test)]
mod tests {
    use super::{CONFIG_FILE, load};

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn nothing_configured_is_no_lrs() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load(dir.path(), no_env).unwrap(), None);
    }

    #[test]
    fn the_file_is_read_the_environment_wins_and_the_secret_is_never_shown() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(CONFIG_FILE),
            "Lrs(endpoint: \"https://lrs.example.org/xAPI\", key: \"warroom\", secret: \"s3cret-from-file\", pseudonymous: true)",
        )
        .unwrap();
        let config = load(dir.path(), no_env).unwrap().unwrap();
        assert_eq!(config.endpoint, "https://lrs.example.org/xAPI/");
        assert_eq!(config.identity.base_iri, "https://lrs.example.org/warroom");
        assert_eq!(config.identity.home_page, "https://lrs.example.org");
        assert!(config.identity.pseudonymous);
        assert_eq!(config.secret.reveal(), "s3cret-from-file");
        assert!(!format!("{config:?}").contains("s3cret"));

        let env = |name: &str| match name {
            "WARROOM_LRS_SECRET" => Some("from-env".to_owned()),
            "WARROOM_LRS_ENDPOINT" => Some("http://127.0.0.1:8100/xAPI/".to_owned()),
            _ => None,
        };
        let config = load(dir.path(), env).unwrap().unwrap();
        assert_eq!(config.secret.reveal(), "from-env");
        assert_eq!(config.endpoint, "http://127.0.0.1:8100/xAPI/");
        assert_eq!(config.key, "warroom");
    }

    #[test]
    fn a_bad_file_or_address_says_where_and_never_quotes_the_secret() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(CONFIG_FILE);
        std::fs::write(
            &file,
            "Lrs(\n  endpoint: \"https://x\",\n  secret: \"hunter2\",\n  colour: 1,\n)",
        )
        .unwrap();
        let error = load(dir.path(), no_env).unwrap_err();
        assert!(error.contains("lrs.ron:4"), "{error}");
        assert!(!error.contains("hunter2"), "{error}");
        std::fs::write(&file, "Lrs(endpoint: \"ftp://x\", secret: \"hunter2\")").unwrap();
        let error = load(dir.path(), no_env).unwrap_err();
        assert!(error.contains("not an http"), "{error}");
        assert!(!error.contains("hunter2"), "{error}");
    }
}
