//! What the Author screen edits: a content folder's plan, checked as `warroom validate` would
//! check it and its scripts graded again after every change. Plain Rust: the screen draws it and
//! the plugin runs its grading off the main thread.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use bevy_egui::egui::util::undoer::Undoer;

use super::drafts::{ScenarioDraft, ScenarioEdit};
use crate::engine::content::library::{Edits, Library};
use crate::engine::diagnostic::Diagnostic;
use crate::engine::model::id::RoleId;
use crate::engine::model::matrix::{Matrix, TaskKind};
use crate::engine::reports::compare::{GradeChange, GradingSet, Reach, ScriptGrade, grade_changes};

/// A RACI code as the grid cycles through them on a click.
pub const CELL_CYCLE: [&str; 7] = ["", "R", "A", "C", "I", "S", "S1"];

/// The grading preview: every script of the folder before and after the edits.
#[derive(Clone, Debug)]
pub enum Preview {
    /// The folder has no scripts to grade.
    NoScripts,
    /// The plan has errors: nothing can be graded until they are fixed.
    Blocked,
    /// Grading the edited plan (the last preview stays shown meanwhile).
    Grading(Vec<GradeChange>),
    /// Each script's grade before → after.
    Ready(Vec<GradeChange>),
}

/// A plan being authored.
pub struct AuthorDoc {
    /// The content folder.
    pub folder: PathBuf,
    /// The plan's file in it.
    pub matrix_path: PathBuf,
    /// The plan as edited.
    matrix: Matrix,
    /// `matrix` as Save writes it (canonical RON).
    text: String,
    /// The file's text as opened or last saved.
    on_disk: String,
    /// Whether `text` reads as a plan (it may not, half-way through a typed change).
    text_reads: bool,
    /// `text` as opened or last saved: the edits since are unsaved.
    saved: String,
    undoer: Undoer<Texts>,
    /// The folder's scenarios edited in the forms.
    pub drafts: Vec<ScenarioDraft>,
    /// The scenario last written from the template, for the forms to show.
    pub newest_scenario: Option<PathBuf>,
    /// The folder checked with the edited plan: scenarios, question sets, scripts and every
    /// diagnostic `warroom validate` would give once it is saved.
    pub library: Library,
    /// The folder's scripts, and for a scenario none plays, a perfect play solved under the
    /// plan as saved.
    grading: Arc<GradingSet>,
    /// The plan as opened or last saved.
    saved_plan: Arc<Matrix>,
    /// Each script's grade under the plan as opened or last saved.
    baseline: Vec<ScriptGrade>,
    /// Whether the baseline waits to be graded again (the plan was saved or the folder changed).
    rebase: bool,
    /// Counts the baselines asked for, so one graded for an older folder is not taken.
    base: u64,
    /// What a play of each scenario can score under the edited plan, once graded.
    pub reach: Option<Vec<Reach>>,
    /// What the edits do to the grades.
    pub preview: Preview,
    /// Counts edits, so a grading finished for an older edit is not shown.
    revision: u64,
}

/// What undo and redo step through: the plan's text and each edited scenario's.
#[derive(Clone, Debug, PartialEq)]
struct Texts {
    plan: String,
    scenarios: Vec<(PathBuf, String)>,
}

/// A grading to run off the main thread: every script under the edited plan, what each
/// scenario can score under it, and, when the saved plan or the folder changed, the baseline.
pub struct GradingJob {
    /// The edit it grades.
    pub revision: u64,
    base: u64,
    matrix: Arc<Matrix>,
    /// The saved plan, when the baseline is to be graded again.
    rebase: Option<Arc<Matrix>>,
    grading: Arc<GradingSet>,
    /// Scenario files with unsaved edits, and their texts.
    scenario_texts: Vec<(PathBuf, String)>,
}

/// What a [`GradingJob`] found.
#[derive(Clone)]
pub struct Graded {
    revision: u64,
    base: u64,
    /// The set with its solved plays and every script's grade under the saved plan.
    rebased: Option<(Arc<GradingSet>, Vec<ScriptGrade>)>,
    grades: Vec<ScriptGrade>,
    reach: Vec<Reach>,
}

impl GradingJob {
    /// Grades (slow: a tenth of a second per script or scenario in a debug build).
    pub fn run(self) -> Graded {
        let (grading, rebased) = match &self.rebase {
            Some(saved) => {
                let set = Arc::new(self.grading.with_solved(saved));
                let baseline = set.grade(saved);
                (Arc::clone(&set), Some((set, baseline)))
            }
            None => (self.grading, None),
        };
        // The scripts play the scenarios as edited: "after" is the edited plan and scenarios.
        let edited = if self.scenario_texts.is_empty() {
            grading
        } else {
            Arc::new(grading.with_scenario_texts(&self.scenario_texts))
        };
        let unchanged = self.scenario_texts.is_empty()
            && self
                .rebase
                .as_ref()
                .is_some_and(|r| Arc::ptr_eq(r, &self.matrix));
        let grades = match &rebased {
            Some((_, baseline)) if unchanged => baseline.clone(),
            _ => edited.grade(&self.matrix),
        };
        Graded {
            revision: self.revision,
            base: self.base,
            rebased,
            grades,
            reach: edited.reach(&self.matrix),
        }
    }
}

impl AuthorDoc {
    /// Opens `folder`'s plan (`responsibilities.ron`) and its scenarios and scripts, grading every
    /// script once under the plan as it is.
    pub fn open(folder: &Path) -> Result<Self, String> {
        let matrix_path = folder.join(crate::engine::content::library::DEFAULT_MATRIX_FILE);
        let on_disk = std::fs::read_to_string(&matrix_path)
            .map_err(|e| format!("cannot read {}: {e}", matrix_path.display()))?;
        let library = Library::load(&[folder.to_path_buf()], &matrix_path);
        let Some(loaded) = &library.matrix else {
            let why = library
                .matrix_errors
                .first()
                .map_or_else(String::new, ToString::to_string);
            return Err(format!(
                "{} does not load as a plan, so it cannot be edited here: {why}",
                matrix_path.display()
            ));
        };
        if on_disk.trim_start().starts_with("MatrixPatch") {
            return Err(format!(
                "{} is a plan patch (MatrixPatch): edit it as text, or write the plan it makes with `warroom derive matrix` and open that",
                matrix_path.display()
            ));
        }
        let matrix = (*loaded.matrix).clone();
        let saved_plan = Arc::clone(&loaded.matrix);
        // The file as written, comments and all, until an edit in the grid rewrites it.
        let text = on_disk.clone();
        let grading = Arc::new(GradingSet::read(folder, &[folder.to_path_buf()]));
        let mut undoer = Undoer::default();
        undoer.add_undo(&Texts {
            plan: text.clone(),
            scenarios: Vec::new(),
        });
        let mut doc = Self {
            folder: folder.to_path_buf(),
            matrix_path,
            matrix,
            saved: text.clone(),
            text,
            on_disk,
            text_reads: true,
            undoer,
            drafts: Vec::new(),
            newest_scenario: None,
            library,
            grading,
            preview: Preview::NoScripts,
            saved_plan,
            baseline: Vec::new(),
            rebase: true,
            base: 0,
            reach: None,
            revision: 0,
        };
        // The library just loaded is the folder with this very text: no need to load it again.
        // Grading waits for the thread the screen runs it on.
        doc.await_grading();
        Ok(doc)
    }

    /// The plan as edited.
    pub fn matrix(&self) -> &Matrix {
        &self.matrix
    }

    /// The plan as Save would write it.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Counts the edits: it changes whenever what the screen shows of the plan may have.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// When each inject of each scenario comes in, left alone and in the exemplary run.
    pub fn timelines(&self) -> Vec<crate::engine::reports::compare::InjectTimeline> {
        let Some(matrix) = self.library.matrix.as_ref().map(|m| &m.matrix) else {
            return Vec::new();
        };
        self.library
            .scenarios
            .iter()
            .map(|s| self.grading.timeline(&s.scenario, matrix))
            .collect()
    }

    /// Replaces the plan's text (the RON tab): the plan follows it whenever it reads as a plan,
    /// and the text is saved as written, comments and all.
    pub fn edit_text(&mut self, text: String) {
        if text == self.text {
            return;
        }
        self.set_text(text);
        self.undoer.add_undo(&self.texts());
        self.changed();
    }

    /// The texts undo and redo step through.
    fn texts(&self) -> Texts {
        Texts {
            plan: self.text.clone(),
            // A scenario as on disk is left out: undoing to before its first edit matches it.
            scenarios: self.unsaved_scenarios(),
        }
    }

    /// Each scenario file with unsaved edits, and its text.
    fn unsaved_scenarios(&self) -> Vec<(PathBuf, String)> {
        self.drafts
            .iter()
            .filter(|d| d.is_dirty())
            .map(|d| (d.path.clone(), d.text.clone()))
            .collect()
    }

    /// The text of scenario `file` as edited, or as on disk.
    pub fn scenario_text(&self, file: &Path) -> Option<String> {
        match self.drafts.iter().find(|d| d.path == file) {
            Some(draft) => Some(draft.text.clone()),
            None => std::fs::read_to_string(file).ok(),
        }
    }

    /// The scenario of `file` as edited, or as the folder has it.
    pub fn scenario(&self, file: &Path) -> Option<&crate::engine::model::scenario::Scenario> {
        self.drafts
            .iter()
            .find(|d| d.path == file)
            .map(|d| &d.scenario)
            .or_else(|| {
                self.library
                    .scenarios
                    .iter()
                    .find(|s| s.path == file)
                    .map(|s| &*s.scenario)
            })
    }

    /// Edits a scenario of the folder (opening it in the forms the first time).
    pub fn edit_scenario(&mut self, file: &Path, edit: &ScenarioEdit) -> Result<(), String> {
        if !self.drafts.iter().any(|d| d.path == file) {
            let draft = ScenarioDraft::open(file, &self.matrix)?;
            self.drafts.push(draft);
        }
        let changed = self
            .drafts
            .iter_mut()
            .find(|d| d.path == file)
            .is_some_and(|d| d.apply(edit));
        if changed {
            self.undoer.add_undo(&self.texts());
            self.changed();
        }
        Ok(())
    }

    /// Writes a new scenario from the template into the folder, and takes it in.
    pub fn new_scenario(&mut self) -> Result<PathBuf, String> {
        let taken: Vec<String> = self
            .library
            .scenarios
            .iter()
            .map(|s| s.scenario.id.to_string())
            .chain(
                std::fs::read_dir(&self.folder)
                    .into_iter()
                    .flatten()
                    .filter_map(Result::ok)
                    .filter_map(|e| Some(e.path().file_stem()?.to_string_lossy().into_owned())),
            )
            .collect();
        let id = super::drafts::unique_id("new-scenario", taken.iter().map(String::as_str));
        let scenario = crate::engine::content::template::new_scenario(&id, &self.matrix);
        let text = scenario.to_ron().map_err(|e| e.to_string())?;
        let path = self.folder.join(format!("{id}.ron"));
        crate::store::write_atomic(&path, &text)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        self.reread_folder();
        self.newest_scenario = Some(path.clone());
        Ok(path)
    }

    /// Reads the folder's scenarios and scripts again and grades them afresh.
    fn reread_folder(&mut self) {
        self.grading = Arc::new(GradingSet::read(
            &self.folder,
            std::slice::from_ref(&self.folder),
        ));
        let saved = parse_plan(&self.saved).map_or_else(|_| Arc::clone(&self.saved_plan), Arc::new);
        self.rebase_on(saved);
        self.changed();
    }

    /// Whether the grid can edit: the text reads as the plan it shows (not mid-way through a
    /// typed change that does not parse).
    pub fn grid_editable(&self) -> bool {
        self.text_reads
    }

    /// Takes `text` as the plan's text; the plan follows it when it reads as one, else stays the
    /// last that did.
    fn set_text(&mut self, text: String) {
        match parse_plan(&text) {
            Ok(matrix) => {
                self.matrix = matrix;
                self.text_reads = true;
            }
            Err(_) => self.text_reads = false,
        }
        self.text = text;
    }

    /// Sets one of a task's flags.
    pub fn set_flag(&mut self, task: usize, flag: super::TaskFlag, on: bool) {
        let Some(kind) = self.matrix.tasks.get_mut(task) else {
            return;
        };
        *flag.of_mut(kind) = on;
        self.edited();
    }

    /// Whether there are edits not yet saved.
    pub fn is_dirty(&self) -> bool {
        self.text != self.saved || self.drafts.iter().any(ScenarioDraft::is_dirty)
    }

    /// Whether the plan itself has edits not yet saved.
    pub fn plan_is_dirty(&self) -> bool {
        self.text != self.saved
    }

    /// Whether saving now would drop `//` comments the file has: the grid writes the plan afresh.
    pub fn drops_comments(&self) -> bool {
        let comments = |text: &str| {
            text.lines()
                .filter(|line| line.trim_start().starts_with("//"))
                .count()
        };
        comments(&self.text) < comments(&self.on_disk)
            || self
                .drafts
                .iter()
                .any(|d| comments(&d.text) < comments(&d.on_disk))
    }

    /// Every diagnostic of the folder with the edited plan.
    pub fn diagnostics(&self) -> Vec<&Diagnostic> {
        self.library.diagnostics()
    }

    /// How many of them are errors.
    pub fn errors(&self) -> usize {
        self.diagnostics().iter().filter(|d| d.is_error()).count()
    }

    /// Gives the cell of `task` (index) and `role` the next code of [`CELL_CYCLE`]: an empty cell
    /// becomes R, S1 becomes empty. Making a role Accountable takes A from whoever held it; taking
    /// A away leaves the task with no one accountable until another role is given it.
    pub fn cycle_cell(&mut self, task: usize, role: &str) {
        let Some(kind) = self.matrix.tasks.get(task) else {
            return;
        };
        let codes = kind.raci_codes(role);
        let held = codes
            .split('/')
            .filter(|c| !c.is_empty())
            .collect::<Vec<_>>();
        let position = held
            .iter()
            .filter_map(|c| CELL_CYCLE.iter().position(|x| x == c))
            .max()
            .unwrap_or(0);
        let next = CELL_CYCLE[(position + 1) % CELL_CYCLE.len()];
        self.set_cell(task, role, &[next]);
    }

    /// Gives the cell of `task` (index) and `role` exactly `codes` (each of [`CELL_CYCLE`]).
    pub fn set_cell(&mut self, task: usize, role: &str, codes: &[&str]) {
        let Some(kind) = self.matrix.tasks.get_mut(task) else {
            return;
        };
        set_codes(kind, role, codes);
        self.edited();
    }

    /// Steps back one edit (Ctrl+Z).
    pub fn undo(&mut self) -> bool {
        let Some(previous) = self.undoer.undo(&self.texts()).cloned() else {
            return false;
        };
        self.restore(previous)
    }

    /// Steps forward again (Ctrl+Shift+Z).
    pub fn redo(&mut self) -> bool {
        let Some(next) = self.undoer.redo(&self.texts()).cloned() else {
            return false;
        };
        self.restore(next)
    }

    /// Whether there is an edit to undo or redo.
    pub fn can_undo_redo(&self) -> (bool, bool) {
        (
            self.undoer.has_undo(&self.texts()),
            self.undoer.has_redo(&self.texts()),
        )
    }

    fn restore(&mut self, texts: Texts) -> bool {
        // A typed text that did not parse is restored as text; the plan stays the last that did.
        self.set_text(texts.plan);
        let plan = self.matrix.clone();
        for draft in &mut self.drafts {
            // A scenario first edited after this point goes back to its text on disk.
            let text = texts
                .scenarios
                .iter()
                .find(|(p, _)| *p == draft.path)
                .map_or(draft.on_disk.clone(), |(_, t)| t.clone());
            draft.restore(&text, &plan);
        }
        self.changed();
        true
    }

    fn edited(&mut self) {
        match self.matrix.to_ron() {
            Ok(text) => {
                self.text = text;
                self.text_reads = true;
            }
            Err(_) => return,
        }
        self.undoer.add_undo(&self.texts());
        self.changed();
    }

    fn changed(&mut self) {
        self.revision += 1;
        self.check();
    }

    /// Checks the folder with the edited plan; the preview waits for a grading, or for the errors
    /// to be fixed.
    fn check(&mut self) {
        let mut edits = Edits::from([(self.matrix_path.clone(), self.text.clone())]);
        for draft in &self.drafts {
            edits.insert(draft.path.clone(), draft.text.clone());
        }
        self.library = Library::load_edited(
            std::slice::from_ref(&self.folder),
            &self.matrix_path,
            &edits,
        );
        self.await_grading();
    }

    /// The preview waits for a grading of the plan as checked, or for its errors to be fixed.
    fn await_grading(&mut self) {
        let shown = match std::mem::replace(&mut self.preview, Preview::NoScripts) {
            Preview::Ready(changes) | Preview::Grading(changes) => changes,
            Preview::NoScripts | Preview::Blocked => Vec::new(),
        };
        self.preview = if self.grading.scripts() == 0 && self.grading.scenarios() == 0 {
            Preview::NoScripts
        } else if self.library.matrix.is_none() {
            Preview::Blocked
        } else {
            Preview::Grading(shown)
        };
    }

    /// The grading the preview waits for, if any.
    pub fn grading_job(&self) -> Option<GradingJob> {
        if !matches!(self.preview, Preview::Grading(_)) {
            return None;
        }
        let matrix = Arc::clone(&self.library.matrix.as_ref()?.matrix);
        Some(GradingJob {
            revision: self.revision,
            base: self.base,
            rebase: self.rebase.then(|| {
                // Unsaved edits graded against the plan as saved; none, against themselves.
                if self.is_dirty() {
                    Arc::clone(&self.saved_plan)
                } else {
                    Arc::clone(&matrix)
                }
            }),
            matrix,
            grading: Arc::clone(&self.grading),
            scenario_texts: self.unsaved_scenarios(),
        })
    }

    /// Takes a finished grading: a baseline for the folder and plan as they still are, and the
    /// grades of the edit still shown (one since superseded is dropped).
    pub fn graded(&mut self, graded: Graded) {
        if let Some((set, baseline)) = graded.rebased
            && graded.base == self.base
        {
            self.grading = set;
            self.baseline = baseline;
            self.rebase = false;
        }
        if graded.revision == self.revision
            && !self.rebase
            && matches!(self.preview, Preview::Grading(_))
        {
            self.preview = Preview::Ready(grade_changes(self.baseline.clone(), graded.grades));
            self.reach = Some(graded.reach);
        }
    }

    /// The baseline is graded again with the next grading: the saved plan or the folder changed.
    fn rebase_on(&mut self, saved: Arc<Matrix>) {
        self.saved_plan = saved;
        self.rebase = true;
        self.base += 1;
    }

    /// Takes in files of the folder changed by someone else (an editor beside the app): the
    /// scenarios and scripts are read again and everything re-checked and re-graded. The plan's
    /// own file is taken in when there are no unsaved edits (its new text becomes the saved one);
    /// with unsaved edits it is left alone and `Err` says so. Our own save, seen again, changes
    /// nothing.
    pub fn files_changed(&mut self, paths: &[PathBuf]) -> Result<(), String> {
        let ours = |p: &&PathBuf| {
            p.extension().is_some_and(|e| e == "ron")
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        };
        let changed: Vec<&PathBuf> = paths.iter().filter(ours).collect();
        if changed.is_empty() {
            return Ok(());
        }
        let mut refused = Ok(());
        if changed.iter().any(|p| **p == self.matrix_path)
            && let Ok(text) = std::fs::read_to_string(&self.matrix_path)
            && text != self.saved
        {
            if self.plan_is_dirty() {
                refused = Err(format!(
                    "{} was changed outside the app; your unsaved edits are kept here, and Save would write over that change",
                    self.matrix_path.display()
                ));
            } else {
                self.on_disk.clone_from(&text);
                self.saved.clone_from(&text);
                self.set_text(text);
                self.undoer.add_undo(&self.texts());
            }
        }
        // A scenario edited here and changed outside: kept while it has unsaved edits (saving
        // writes over the other change), else read again.
        for path in &changed {
            let Some(at) = self.drafts.iter().position(|d| d.path == **path) else {
                continue;
            };
            let on_disk = std::fs::read_to_string(path).unwrap_or_default();
            let Some(draft) = self.drafts.get(at) else {
                continue;
            };
            if on_disk == draft.on_disk {
                continue;
            }
            if draft.is_dirty() {
                refused = Err(format!(
                    "{} was changed outside the app; your unsaved edits are kept here, and Save would write over that change",
                    path.display()
                ));
            } else {
                self.drafts.remove(at);
            }
        }
        self.reread_folder();
        refused
    }

    /// Writes the edited plan over its file, atomically (temporary file, sync, rename), as
    /// canonical RON; what is saved becomes the preview's "before".
    pub fn save(&mut self) -> std::io::Result<()> {
        if self.plan_is_dirty() || self.text != self.on_disk {
            crate::store::write_atomic(&self.matrix_path, &self.text)?;
        }
        self.on_disk = self.text.clone();
        self.saved = self.text.clone();
        for draft in self.drafts.iter_mut().filter(|d| d.is_dirty()) {
            crate::store::write_atomic(&draft.path, &draft.text)?;
            draft.on_disk.clone_from(&draft.text);
        }
        // The solved plays are solved again under the plan as now saved.
        let saved = Arc::new(self.matrix.clone());
        self.rebase_on(saved);
        self.changed();
        Ok(())
    }
}

/// Reads a plan's text as the loader does (with `severity: 3` for `Some(3)`).
fn parse_plan(text: &str) -> Result<Matrix, Diagnostic> {
    crate::engine::content::load::Source::from_text("plan", text).parse()
}

/// Sets exactly `codes` for `role` on `task`, leaving other roles as they are, except that A moves.
fn set_codes(task: &mut TaskKind, role: &str, codes: &[&str]) {
    let id = RoleId::from(role);
    let lists: [(&str, &mut Vec<RoleId>); 5] = [
        ("R", &mut task.responsible),
        ("C", &mut task.consulted),
        ("I", &mut task.informed),
        ("S", &mut task.approvals),
        ("S1", &mut task.approvals_any_of),
    ];
    for (code, list) in lists {
        let wanted = codes.contains(&code);
        let has = list.iter().any(|r| r.as_str() == role);
        if wanted && !has {
            list.push(id.clone());
        } else if !wanted && has {
            list.retain(|r| r.as_str() != role);
        }
    }
    if codes.contains(&"A") {
        task.accountable = id;
    } else if task.accountable.as_str() == role {
        task.accountable = RoleId::from("");
    }
}

#[cfg(test)]
#[path = "doc_tests.rs"]
pub(crate) mod tests;
