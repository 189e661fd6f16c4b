//! Helpers for the app's panel tests.

use std::sync::Arc;

use crate::engine::Session;
use crate::engine::content::library::{load_matrix, load_scenario};

/// A fresh session of the shipped ransomware scenario against the shipped matrix.
pub fn ransomware_session(seed: u64) -> Session {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let matrix = load_matrix(&dir.join("responsibilities.ron"))
        .unwrap()
        .matrix;
    let scenario = load_scenario(&dir.join("ransomware-file-server.ron"), &matrix)
        .unwrap()
        .scenario;
    Session::new(scenario, Arc::clone(&matrix), seed)
}
