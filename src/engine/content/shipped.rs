//! The content shipped in the source tree's `scenarios/` folder, for tests, benchmarks and examples:
//! one place that knows where it is and how to load it ready for play. Panics with the file's
//! diagnostics when shipped content does not load, which is a bug in the shipped content.

use std::path::PathBuf;
use std::sync::Arc;

use super::library::{DEFAULT_MATRIX_FILE, load_matrix, load_scenario};
use crate::engine::model::matrix::Matrix;
use crate::engine::model::scenario::Scenario;
use crate::engine::session::Session;

/// The shipped `scenarios/` folder of the source tree.
pub fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

/// The shipped reference matrix's file.
pub fn matrix_path() -> PathBuf {
    dir().join(DEFAULT_MATRIX_FILE)
}

/// The shipped reference matrix.
pub fn matrix() -> Arc<Matrix> {
    match load_matrix(&matrix_path()) {
        Ok(loaded) => loaded.matrix,
        Err(problems) => panic!("the shipped matrix does not load: {problems:?}"),
    }
}

/// A shipped scenario by id, checked against `matrix`.
pub fn scenario_with(id: &str, matrix: &Matrix) -> Arc<Scenario> {
    match load_scenario(&dir().join(format!("{id}.ron")), matrix) {
        Ok(loaded) => loaded.scenario,
        Err(problems) => panic!("shipped scenario `{id}` does not load: {problems:?}"),
    }
}

/// A shipped scenario by id, checked against the shipped matrix.
pub fn scenario(id: &str) -> Arc<Scenario> {
    scenario_with(id, &matrix())
}

/// A fresh session of a shipped scenario against the shipped matrix.
pub fn session(id: &str, seed: u64) -> Session {
    let matrix = matrix();
    Session::new(scenario_with(id, &matrix), matrix, seed)
}
