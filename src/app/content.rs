//! The content the app plays: the matrix and scenario library, loaded through the engine at startup
//! and reloaded when the player picks another matrix.

use std::path::PathBuf;

use bevy::prelude::*;

use crate::engine::library::{Library, default_content_dir, default_matrix_path};

/// Loaded content plus where it came from.
#[derive(Resource, Debug)]
pub struct Content {
    /// Scenario directory.
    pub dir: PathBuf,
    /// Matrix file in use.
    pub matrix_path: PathBuf,
    /// Everything that loaded, and everything that did not, with diagnostics.
    pub library: Library,
}

impl Content {
    /// Loads from a directory and matrix file.
    pub fn load(dir: PathBuf, matrix_path: PathBuf) -> Self {
        let library = Library::load(std::slice::from_ref(&dir), &matrix_path);
        Self {
            dir,
            matrix_path,
            library,
        }
    }

    /// Loads the default content, or the given matrix.
    pub fn load_default(matrix: Option<PathBuf>) -> Self {
        Self::load(
            default_content_dir(),
            matrix.unwrap_or_else(default_matrix_path),
        )
    }

    /// Reloads with another matrix; the scenario directory stays.
    pub fn reload(&mut self, matrix_path: PathBuf) {
        *self = Self::load(self.dir.clone(), matrix_path);
    }
}
