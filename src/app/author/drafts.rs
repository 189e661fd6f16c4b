//! The folder's scenarios as the Author screen's forms edit them: each one edited is a draft
//! kept as canonical RON beside the text on disk, checked and graded with the plan, saved with it.

use std::path::{Path, PathBuf};

use crate::engine::content::load::Source;
use crate::engine::model::matrix::Matrix;
use crate::engine::model::scenario::{Inject, Release, Scenario};

pub use crate::app::messages::ScenarioEdit;

/// A scenario file being edited.
#[derive(Clone, Debug)]
pub struct ScenarioDraft {
    /// The file.
    pub path: PathBuf,
    /// The scenario as edited.
    pub scenario: Scenario,
    /// `scenario` as Save writes it.
    pub(super) text: String,
    /// The file's text as opened or last saved.
    pub(super) on_disk: String,
}

impl ScenarioDraft {
    /// Reads `path` to edit it.
    pub(super) fn open(path: &Path, plan: &Matrix) -> Result<Self, String> {
        let source = Source::read(path).map_err(|d| d.to_string())?;
        let scenario: Scenario = source.parse_under(plan).map_err(|d| {
            format!(
                "{} does not read as a scenario, so the forms cannot edit it: {d}",
                path.display()
            )
        })?;
        Ok(Self {
            path: path.to_path_buf(),
            scenario,
            text: source.text.clone(),
            on_disk: source.text,
        })
    }

    /// Whether it has edits not yet saved.
    pub fn is_dirty(&self) -> bool {
        self.text != self.on_disk
    }

    /// Carries out an edit; `false` when it changes nothing.
    pub(super) fn apply(&mut self, edit: &ScenarioEdit) -> bool {
        let injects = &mut self.scenario.injects;
        match edit {
            ScenarioEdit::ReplaceInject { index, inject } => match injects.get_mut(*index) {
                Some(old) if **inject != *old => *old = (**inject).clone(),
                _ => return false,
            },
            ScenarioEdit::AddInject => {
                let id = unique_id("inject", injects.iter().map(|i| i.id.as_str()));
                let release = injects
                    .iter()
                    .filter_map(|i| match i.release {
                        Release::At(m) => Some(m),
                        Release::When(_) => None,
                    })
                    .max()
                    .map_or(0, |m| m.saturating_add(10))
                    .min(self.scenario.duration_mins);
                injects.push(Inject::new(
                    &id,
                    "New inject",
                    Release::At(release),
                    "What the players hear or see.",
                ));
            }
            ScenarioEdit::DeleteInject { index } => {
                if *index >= injects.len() {
                    return false;
                }
                injects.remove(*index);
            }
        }
        match self.scenario.to_ron() {
            Ok(text) => {
                self.text = text;
                true
            }
            Err(_) => false,
        }
    }

    /// Takes a text back (undo and redo): the scenario follows it when it reads as one.
    pub(super) fn restore(&mut self, text: &str, plan: &Matrix) {
        if let Ok(scenario) = Source::from_text(self.path.clone(), text).parse_under(plan) {
            self.scenario = scenario;
        }
        text.clone_into(&mut self.text);
    }
}

/// `stem`, or `stem-2`, `stem-3` …: the first not among `taken`.
pub fn unique_id<'a>(stem: &str, taken: impl Iterator<Item = &'a str>) -> String {
    let taken: std::collections::BTreeSet<&str> = taken.collect();
    if !taken.contains(stem) {
        return stem.to_owned();
    }
    // One of the first len + 2 numbers is free.
    (2..taken.len() + 3)
        .map(|n| format!("{stem}-{n}"))
        .find(|id| !taken.contains(id.as_str()))
        .unwrap_or_else(|| stem.to_owned())
}

/// An id made from a label ("Wipe FS-01" → "wipe-fs-01"; "item" when it has no letters).
pub fn slug(label: &str) -> String {
    crate::engine::text::slug(label).unwrap_or_else(|| "item".to_owned())
}

#[cfg(test)]
mod tests {
    use super::{slug, unique_id};

    #[test]
    fn ids_are_made_from_labels_and_never_collide() {
        assert_eq!(
            slug("Wipe and reimage FS-01 now!"),
            "wipe-and-reimage-fs-01-now"
        );
        assert_eq!(slug("¿?"), "item");
        let taken = ["inject", "inject-2"];
        assert_eq!(unique_id("inject", taken.into_iter()), "inject-3");
        assert_eq!(unique_id("note", taken.into_iter()), "note");
    }
}
