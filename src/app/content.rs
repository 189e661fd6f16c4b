//! The content the app plays: the matrix and scenario library, loaded through the engine at startup
//! and reloaded when the player picks another matrix ([`ContentCommand`]).

use std::path::PathBuf;

use bevy::prelude::*;

use super::flow::AppSystems;
use super::messages::ContentCommand;
use super::notice::Notice;
use crate::engine::Diagnostic;
use crate::engine::content::library::{Library, default_content_dir, default_matrix_path};

/// Loaded content plus where it came from.
#[derive(Resource, Debug)]
pub struct Content {
    /// Scenario directory.
    pub dir: PathBuf,
    /// Matrix file in use.
    pub matrix_path: PathBuf,
    /// Everything that loaded, and everything that did not, with diagnostics.
    pub library: Library,
    /// The problems of the last matrix that failed to load; the working one stays in use.
    pub failed_matrix: Option<Vec<Diagnostic>>,
}

impl Content {
    /// Loads from a directory and matrix file.
    pub fn load(dir: PathBuf, matrix_path: PathBuf) -> Self {
        let library = Library::load(std::slice::from_ref(&dir), &matrix_path);
        Self {
            dir,
            matrix_path,
            library,
            failed_matrix: None,
        }
    }

    /// Loads the default content, or the given matrix.
    pub fn load_default(matrix: Option<PathBuf>) -> Self {
        Self::load(
            default_content_dir(),
            matrix.unwrap_or_else(default_matrix_path),
        )
    }

    /// Grades with another matrix from now on, if it loads; otherwise the one in use stays and
    /// the failed attempt is kept for its diagnostics. Returns whether it loaded.
    pub fn switch_matrix(&mut self, matrix_path: PathBuf) -> bool {
        let candidate = Self::load(self.dir.clone(), matrix_path);
        // Keep the working library unless there is none to keep.
        if candidate.library.matrix.is_some() || self.library.matrix.is_none() {
            let loaded = candidate.library.matrix.is_some();
            *self = candidate;
            loaded
        } else {
            self.failed_matrix = Some(candidate.library.matrix_errors);
            false
        }
    }
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Update, handle_content.in_set(AppSystems::Commands));
}

fn handle_content(
    mut reader: MessageReader<ContentCommand>,
    mut content: ResMut<Content>,
    mut notice: ResMut<Notice>,
) {
    for command in reader.read() {
        let path = match command {
            ContentCommand::LoadMatrix(path) => path.clone(),
            ContentCommand::RestoreDefaultMatrix => default_matrix_path(),
            ContentCommand::LoadFolder { dir, matrix } => {
                let folder = Content::load(dir.clone(), matrix.clone());
                *notice = if folder.library.matrix.is_some() {
                    *content = folder;
                    Notice::info(format!(
                        "Playing {} under {}",
                        dir.display(),
                        matrix.display()
                    ))
                } else {
                    Notice::error(format!("{} could not be loaded.", matrix.display()))
                };
                continue;
            }
        };
        *notice = if content.switch_matrix(path.clone()) {
            Notice::info(format!("Grading against {}", path.display()))
        } else if content.library.matrix.is_some() {
            Notice::error(format!(
                "{} could not be loaded (its problems are listed below); still grading against {}.",
                path.display(),
                content.matrix_path.display()
            ))
        } else {
            Notice::error(format!(
                "{} could not be loaded; see the problems listed below.",
                path.display()
            ))
        };
    }
}
