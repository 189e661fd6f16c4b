//! Helpers for the app's panel tests.

use crate::engine::Session;
use crate::engine::content::shipped;

/// A fresh session of the shipped ransomware scenario against the shipped matrix.
pub fn ransomware_session(seed: u64) -> Session {
    shipped::session("ransomware-file-server", seed)
}
