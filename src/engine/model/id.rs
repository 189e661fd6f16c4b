//! String newtypes for every kind of id, so a role id can never be passed where an inject id is meant.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! string_id {
    ($(#[$doc:meta] $name:ident),* $(,)?) => {$(
        #[$doc]
        #[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

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
    )*};
}

string_id! {
    /// A role in the responsibility matrix (`soc`, `legal`, …).
    RoleId,
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
}
