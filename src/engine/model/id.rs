//! String newtypes for every kind of id, so a role id can never be passed where an inject id is meant.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The longest id a data file may use: ids are names people type, read and line up in lists.
pub const MAX_ID_CHARS: usize = 64;

/// Why a string cannot be an id, in words, or `None` when it can: ids are short, have no spaces,
/// and carry no control or text-direction characters that could disguise them on a screen.
pub fn id_problem(id: &str) -> Option<String> {
    let count = id.chars().count();
    if id.is_empty() {
        return Some("an id cannot be empty".into());
    }
    if count > MAX_ID_CHARS {
        return Some(format!(
            "an id is at most {MAX_ID_CHARS} characters; this one has {count}"
        ));
    }
    if let Some(c) = id
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || is_direction_override(*c))
    {
        return Some(format!(
            "an id cannot contain {}",
            if c.is_whitespace() {
                "spaces".to_owned()
            } else {
                format!("the invisible character U+{:04X}", u32::from(c))
            }
        ));
    }
    None
}

/// The bidirectional override and isolate characters, which reorder how text is shown.
pub fn is_direction_override(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

macro_rules! string_id {
    ($(#[$doc:meta] $name:ident),* $(,)?) => {$(
        #[$doc]
        #[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        string_id_methods!($name);
    )*};
}

macro_rules! string_id_methods {
    ($name:ident) => {
        impl $name {
            /// Wraps an id string.
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            /// The id as written in the data file.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_owned())
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
    };
}

/// A role in the responsibility matrix (`soc`, `legal`, …). Read from a file while a matrix's
/// role aliases are in force ([`with_role_aliases`]), an alias reads as the role it stands for.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct RoleId(pub String);

string_id_methods!(RoleId);

impl<'de> Deserialize<'de> for RoleId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let id = String::deserialize(deserializer)?;
        let real = ROLE_ALIASES.with(|aliases| aliases.borrow().get(&id).cloned());
        Ok(Self(real.unwrap_or(id)))
    }
}

thread_local! {
    /// The role aliases in force while a file is read: alias → the role it stands for.
    static ROLE_ALIASES: std::cell::RefCell<std::collections::BTreeMap<String, String>> =
        const { std::cell::RefCell::new(std::collections::BTreeMap::new()) };
}

/// Runs `read` with `aliases` (alias → real role id) in force, so that every [`RoleId`] it
/// deserializes names a real role: one scenario, script or log serves organisations whose roles
/// are cut differently. The aliases in force before are restored afterwards, even on a panic.
pub fn with_role_aliases<T>(
    aliases: &std::collections::BTreeMap<String, String>,
    read: impl FnOnce() -> T,
) -> T {
    struct Restore(std::collections::BTreeMap<String, String>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = std::mem::take(&mut self.0);
            ROLE_ALIASES.with(|aliases| *aliases.borrow_mut() = previous);
        }
    }
    let previous = ROLE_ALIASES.with(|current| current.replace(aliases.clone()));
    let _restore = Restore(previous);
    read()
}

string_id! {
    /// A kind of task in the responsibility matrix (`preserve_evidence`, …).
    TaskId,
    /// A fact a scenario can reveal that escalation rules react to (`personal_data`, …).
    TriggerId,
    /// An audience of the communication policy (`customers`, …).
    AudienceId,
    /// A scenario.
    ScenarioId,
    /// An inject within a scenario.
    InjectId,
    /// An asset of the scenario's organisation.
    AssetId,
    /// A scenario state flag used for branching.
    FlagId,
    /// A decision point within an inject.
    DecisionId,
    /// An action offered by a decision point; unique across the scenario.
    ActionId,
    /// A message the player may send; unique across the scenario.
    MessageId,
    /// An artifact (alert, log excerpt, email) attached to an inject; unique across the scenario.
    ArtifactId,
    /// A seeded random variation of a scenario.
    VariationId,
    /// One option of a variation.
    VariantId,
    /// An escalation rule of the matrix.
    RuleId,
    /// An exam-practice question; unique across the question bank.
    QuestionId,
    /// A legal or contractual reporting regime of the matrix (`gdpr_art33`, …).
    RegimeId,
}
