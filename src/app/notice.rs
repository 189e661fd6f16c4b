//! The one-line message shown to the player until replaced: what just succeeded or failed.

use bevy::prelude::*;

/// A message for the player shown until replaced (success or error).
#[derive(Resource, Clone, Debug, Default, PartialEq, Eq)]
pub struct Notice(pub Option<NoticeText>);

/// The text of a notice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoticeText {
    /// Whether it reports a problem.
    pub is_error: bool,
    /// What to say.
    pub text: String,
}

impl Notice {
    /// A problem to report.
    pub fn error(text: impl Into<String>) -> Self {
        Self(Some(NoticeText {
            is_error: true,
            text: text.into(),
        }))
    }

    /// A success to report.
    pub fn info(text: impl Into<String>) -> Self {
        Self(Some(NoticeText {
            is_error: false,
            text: text.into(),
        }))
    }
}
