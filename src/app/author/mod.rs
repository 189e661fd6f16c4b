//! The Author screen's document and its upkeep: a content folder's plan edited in the app, checked
//! on every change and its scripts graded again off the main thread.

pub mod doc;
pub mod drafts;

use std::path::PathBuf;

pub use crate::app::messages::{AuthorAction, ScenarioEdit, TaskFlag};
pub use doc::{AuthorDoc, CELL_CYCLE, Preview};

/// The Author screen's document, why none is open, and the grading running for it.
#[derive(bevy::prelude::Resource, Default)]
pub struct Authoring {
    /// The folder being authored.
    pub doc: Option<AuthorDoc>,
    /// Why the last folder asked for could not be opened, or the last save failed.
    pub problem: Option<String>,
    /// What the last action did, in words ("Saved …").
    pub done: Option<String>,
    grading: Option<RunningGrading>,
    watch: Option<FolderWatch>,
}

/// Watches the open folder for changes made outside the app, waking the window when one lands.
struct FolderWatch {
    folder: PathBuf,
    _debouncer: notify_debouncer_mini::Debouncer<notify_debouncer_mini::notify::RecommendedWatcher>,
    changed: std::sync::Mutex<std::sync::mpsc::Receiver<Vec<PathBuf>>>,
    /// Each file's last-modified time and length as last seen: the system also reports files
    /// merely opened (our own reads among them), which change nothing.
    seen: std::sync::Mutex<std::collections::BTreeMap<PathBuf, Fingerprint>>,
}

/// When a file was last modified and how long it is; `None` when it is not there.
type Fingerprint = Option<(std::time::SystemTime, u64)>;

fn fingerprint(path: &std::path::Path) -> Fingerprint {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

impl FolderWatch {
    /// Starts watching `folder` and what is under it; `None` where the system cannot watch it
    /// (the screen then works as before, without picking up outside changes).
    fn start(folder: &std::path::Path, wake: Option<Box<dyn Fn() + Send + Sync>>) -> Option<Self> {
        use notify_debouncer_mini::notify::RecursiveMode;
        let (send, changed) = std::sync::mpsc::channel();
        // Editors save in bursts (a temporary file, a rename): a quarter second gathers one.
        let mut debouncer = notify_debouncer_mini::new_debouncer(
            std::time::Duration::from_millis(250),
            move |events: notify_debouncer_mini::DebounceEventResult| {
                if let Ok(events) = events {
                    let paths = events.into_iter().map(|e| e.path).collect();
                    if send.send(paths).is_ok()
                        && let Some(wake) = &wake
                    {
                        wake();
                    }
                }
            },
        )
        .ok()?;
        debouncer
            .watcher()
            .watch(folder, RecursiveMode::Recursive)
            .ok()?;
        let (files, _) = crate::engine::content::load::ron_files_under(folder);
        let seen = files.into_iter().map(|f| {
            let print = fingerprint(&f);
            (f, print)
        });
        Some(Self {
            folder: folder.to_path_buf(),
            _debouncer: debouncer,
            changed: std::sync::Mutex::new(changed),
            seen: std::sync::Mutex::new(seen.collect()),
        })
    }

    /// The files changed since the last look (written, created or removed, not merely read).
    fn changes(&self) -> Vec<PathBuf> {
        let (Ok(changed), Ok(mut seen)) = (self.changed.lock(), self.seen.lock()) else {
            return Vec::new();
        };
        let reported: std::collections::BTreeSet<PathBuf> = changed.try_iter().flatten().collect();
        reported
            .into_iter()
            .filter(|path| {
                let now = fingerprint(path);
                let before = seen.insert(path.clone(), now);
                // A folder's own events stand for the files in it, reported beside them.
                !path.is_dir() && before.flatten() != now
            })
            .collect()
    }
}

/// A grading running on a thread of its own.
struct RunningGrading {
    result: std::sync::Mutex<std::sync::mpsc::Receiver<doc::Graded>>,
}

/// What the screen says under its folder bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// Nothing to say.
    Quiet,
    /// What the last action did.
    Done(String),
    /// Why it could not.
    Problem(String),
}

impl Authoring {
    /// What to say about the last action.
    pub fn status(&self) -> Status {
        match (&self.problem, &self.done) {
            (Some(problem), _) => Status::Problem(problem.clone()),
            (None, Some(done)) => Status::Done(done.clone()),
            (None, None) => Status::Quiet,
        }
    }

    /// Opens `folder`; on failure the folder open before stays, and the problem is kept to show.
    pub fn open(&mut self, folder: &std::path::Path) {
        match AuthorDoc::open(folder) {
            Ok(doc) => {
                self.doc = Some(doc);
                self.problem = None;
                self.done = None;
                self.grading = None;
            }
            Err(problem) => self.problem = Some(problem),
        }
    }

    /// Carries out an action on the document; returns what it asks of the rest of the app
    /// (another screen, other content).
    pub fn apply(&mut self, action: &AuthorAction) -> Vec<crate::app::messages::UiCommand> {
        use std::sync::Arc;

        use crate::app::flow::Screen;
        use crate::app::messages::{ContentCommand, Navigate};
        if let AuthorAction::Open(folder) = action {
            self.open(folder);
            return Vec::new();
        }
        if let AuthorAction::Leave = action {
            return vec![Navigate::GoTo(Screen::Title).into()];
        }
        let Some(doc) = self.doc.as_mut() else {
            return Vec::new();
        };
        self.done = None;
        self.problem = None;
        match action {
            AuthorAction::CycleCell { task, role } => doc.cycle_cell(*task, role),
            AuthorAction::SetCell { task, role, codes } => {
                let codes: Vec<&str> = codes.iter().map(String::as_str).collect();
                doc.set_cell(*task, role, &codes);
            }
            AuthorAction::SetFlag { task, flag, on } => doc.set_flag(*task, *flag, *on),
            AuthorAction::EditText(text) => doc.edit_text(text.clone()),
            AuthorAction::Undo => {
                doc.undo();
            }
            AuthorAction::Redo => {
                doc.redo();
            }
            AuthorAction::Save => self.save(),
            AuthorAction::Play => {
                if doc.errors() > 0 {
                    return Vec::new();
                }
                if doc.is_dirty() {
                    self.save();
                }
                let Some(doc) = self.doc.as_ref().filter(|d| !d.is_dirty()) else {
                    return Vec::new();
                };
                return vec![
                    ContentCommand::LoadFolder {
                        dir: doc.folder.clone(),
                        matrix: doc.matrix_path.clone(),
                    }
                    .into(),
                    Navigate::OpenLibrary(crate::engine::model::scenario::Mode::Practice).into(),
                ];
            }
            AuthorAction::ExportRaci => {
                let path = doc.folder.join("raci.xlsx");
                let written = crate::interop::plan_workbook::export_workbook(
                    doc.matrix(),
                    crate::interop::raci::Layout::Wide,
                )
                .and_then(|bytes| std::fs::write(&path, bytes).map_err(|e| e.to_string()));
                match written {
                    Ok(()) => self.done = Some(format!("Wrote {}", path.display())),
                    Err(e) => self.problem = Some(format!("cannot write {}: {e}", path.display())),
                }
            }
            AuthorAction::EditScenario { file, edit } => {
                if let Err(problem) = doc.edit_scenario(file, edit) {
                    self.problem = Some(problem);
                }
            }
            AuthorAction::NewScenario => match doc.new_scenario() {
                Ok(path) => self.done = Some(format!("Wrote {} from the template", path.display())),
                Err(problem) => self.problem = Some(problem),
            },
            AuthorAction::ExportMsel { file } => {
                let matrix = doc.library.matrix.as_ref().map(|m| Arc::clone(&m.matrix));
                let scenario = doc
                    .library
                    .scenarios
                    .iter()
                    .find(|s| s.path == *file)
                    .map(|s| Arc::clone(&s.scenario));
                let (Some(matrix), Some(scenario)) = (matrix, scenario) else {
                    self.problem = Some(format!(
                        "{} does not load under the plan: fix its problems to export its MSEL",
                        file.display()
                    ));
                    return Vec::new();
                };
                let path = file.with_file_name(format!("{}-msel.xlsx", scenario.id));
                let written = crate::interop::msel::export_workbook(&scenario, &matrix)
                    .and_then(|bytes| std::fs::write(&path, bytes).map_err(|e| e.to_string()));
                match written {
                    Ok(()) => self.done = Some(format!("Wrote {}", path.display())),
                    Err(e) => self.problem = Some(format!("cannot write {}: {e}", path.display())),
                }
            }
            AuthorAction::Open(_) | AuthorAction::Leave | AuthorAction::ShowLine { .. } => {}
        }
        Vec::new()
    }

    fn save(&mut self) {
        let Some(doc) = self.doc.as_mut() else {
            return;
        };
        match doc.save() {
            Ok(()) => {
                self.problem = None;
                self.done = Some(format!("Saved the edits in {}", doc.folder.display()));
            }
            Err(e) => {
                self.problem = Some(format!(
                    "cannot save {}: {e} (nothing was lost: the edits are still here)",
                    doc.matrix_path.display()
                ));
            }
        }
    }

    /// Watches the open folder (and no other), and takes in what changed in it since the last
    /// look; `wake` wakes the window when something does.
    pub fn keep_watching(&mut self, wake: impl Fn() -> Option<Box<dyn Fn() + Send + Sync>>) {
        let Some(doc) = self.doc.as_mut() else {
            self.watch = None;
            return;
        };
        if self.watch.as_ref().is_none_or(|w| w.folder != doc.folder) {
            self.watch = FolderWatch::start(&doc.folder, wake());
        }
        let changes = self
            .watch
            .as_ref()
            .map(FolderWatch::changes)
            .unwrap_or_default();
        if !changes.is_empty()
            && let Err(problem) = doc.files_changed(&changes)
        {
            self.problem = Some(problem);
        }
    }

    /// Takes a finished grading and starts the one the preview waits for, if none runs; `wake`
    /// wakes the window when it is done.
    pub fn keep_grading(&mut self, wake: Option<Box<dyn Fn() + Send + Sync>>) {
        let Some(doc) = self.doc.as_mut() else {
            self.grading = None;
            return;
        };
        if let Some(running) = &self.grading {
            let Ok(result) = running.result.lock() else {
                return;
            };
            match result.try_recv() {
                Ok(graded) => {
                    drop(result);
                    doc.graded(graded);
                    self.grading = None;
                }
                Err(std::sync::mpsc::TryRecvError::Empty) => return,
                Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                    drop(result);
                    self.grading = None;
                }
            }
        }
        if let Some(job) = doc.grading_job() {
            let (send, receive) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let _ = send.send(job.run());
                if let Some(wake) = wake {
                    wake();
                }
            });
            self.grading = Some(RunningGrading {
                result: std::sync::Mutex::new(receive),
            });
        }
    }
}

/// Opens the folder `warroom author FOLDER` named, handles the screen's actions and keeps the
/// preview's grading going.
pub(super) fn plugin(app: &mut bevy::prelude::App) {
    use bevy::prelude::*;
    app.init_resource::<Authoring>()
        .add_message::<AuthorAction>()
        .add_systems(
            Update,
            (
                handle_author.in_set(crate::app::flow::AppSystems::Commands),
                keep_grading.in_set(crate::app::flow::AppSystems::Update),
            ),
        );
}

fn handle_author(
    mut reader: bevy::prelude::MessageReader<AuthorAction>,
    mut authoring: bevy::prelude::ResMut<Authoring>,
    mut navigate: bevy::prelude::MessageWriter<crate::app::messages::Navigate>,
    mut content: bevy::prelude::MessageWriter<crate::app::messages::ContentCommand>,
) {
    use crate::app::messages::UiCommand;
    for action in reader.read() {
        for follow_up in authoring.apply(action) {
            match follow_up {
                UiCommand::Navigate(n) => drop(navigate.write(n)),
                UiCommand::Content(c) => drop(content.write(c)),
                // `apply` asks only for screens and content.
                _ => {}
            }
        }
    }
}

fn keep_grading(
    mut authoring: bevy::prelude::ResMut<Authoring>,
    window_loop: Option<bevy::prelude::Res<bevy::winit::EventLoopProxyWrapper>>,
) {
    if authoring.doc.is_none() {
        return;
    }
    let waker = || crate::app::wake::window_waker(window_loop.as_deref());
    authoring.keep_watching(waker);
    authoring.keep_grading(waker());
}

#[cfg(test)]
mod tests {
    use super::FolderWatch;

    /// What the watch reports within `seconds`, polled as the app does.
    fn reported(watch: &FolderWatch, seconds: u64) -> Vec<std::path::PathBuf> {
        let until = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
        let mut seen = Vec::new();
        while std::time::Instant::now() < until {
            seen.extend(watch.changes());
            if !seen.is_empty() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        seen
    }

    #[test]
    fn a_file_read_is_no_change_and_a_file_written_is() {
        let dir = tempfile::tempdir().unwrap();
        let plan = dir.path().join("responsibilities.ron");
        std::fs::write(&plan, "Matrix()").unwrap();
        let watch = FolderWatch::start(dir.path(), None).expect("the test machine watches folders");
        // Reading (as the app does after every change it hears of) must not be heard as one.
        for _ in 0..3 {
            let _ = std::fs::read_to_string(&plan).unwrap();
        }
        assert_eq!(reported(&watch, 1), Vec::<std::path::PathBuf>::new());
        std::fs::write(&plan, "Matrix(id: \"edited\")").unwrap();
        assert!(reported(&watch, 5).contains(&plan));
        let added = dir.path().join("new.ron");
        std::fs::write(&added, "Scenario()").unwrap();
        assert!(reported(&watch, 5).contains(&added));
    }
}
