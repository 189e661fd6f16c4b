//! A count of right answers out of those asked.

use serde::Serialize;

/// How many were right of how many asked. Serialised as `[right, asked]`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(into = "[usize; 2]")]
pub struct Tally {
    /// Answered right.
    pub right: usize,
    /// Asked.
    pub asked: usize,
}

impl From<Tally> for [usize; 2] {
    fn from(t: Tally) -> Self {
        [t.right, t.asked]
    }
}
