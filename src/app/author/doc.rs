//! What the Author screen edits: a content folder's plan, checked as `warroom validate` would
//! check it and its scripts graded again after every change. Plain Rust: the screen draws it and
//! the plugin runs its grading off the main thread.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use bevy_egui::egui::util::undoer::Undoer;

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
    undoer: Undoer<String>,
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
        let grades = match &rebased {
            Some((_, baseline))
                if self
                    .rebase
                    .as_ref()
                    .is_some_and(|r| Arc::ptr_eq(r, &self.matrix)) =>
            {
                baseline.clone()
            }
            _ => grading.grade(&self.matrix),
        };
        Graded {
            revision: self.revision,
            base: self.base,
            rebased,
            grades,
            reach: grading.reach(&self.matrix),
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
        undoer.add_undo(&text);
        let mut doc = Self {
            folder: folder.to_path_buf(),
            matrix_path,
            matrix,
            saved: text.clone(),
            text,
            on_disk,
            text_reads: true,
            undoer,
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
        self.undoer.add_undo(&self.text);
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
        let Some(previous) = self.undoer.undo(&self.text).cloned() else {
            return false;
        };
        self.restore(previous)
    }

    /// Steps forward again (Ctrl+Shift+Z).
    pub fn redo(&mut self) -> bool {
        let Some(next) = self.undoer.redo(&self.text).cloned() else {
            return false;
        };
        self.restore(next)
    }

    /// Whether there is an edit to undo or redo.
    pub fn can_undo_redo(&self) -> (bool, bool) {
        (
            self.undoer.has_undo(&self.text),
            self.undoer.has_redo(&self.text),
        )
    }

    fn restore(&mut self, text: String) -> bool {
        // A typed text that did not parse is restored as text; the plan stays the last that did.
        self.set_text(text);
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
        self.undoer.add_undo(&self.text);
        self.changed();
    }

    fn changed(&mut self) {
        self.revision += 1;
        self.check();
    }

    /// Checks the folder with the edited plan; the preview waits for a grading, or for the errors
    /// to be fixed.
    fn check(&mut self) {
        let edits = Edits::from([(self.matrix_path.clone(), self.text.clone())]);
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
            if self.is_dirty() {
                refused = Err(format!(
                    "{} was changed outside the app; your unsaved edits are kept here, and Save would write over that change",
                    self.matrix_path.display()
                ));
            } else {
                self.on_disk.clone_from(&text);
                self.saved.clone_from(&text);
                self.set_text(text);
                self.undoer.add_undo(&self.text);
            }
        }
        self.grading = Arc::new(GradingSet::read(
            &self.folder,
            std::slice::from_ref(&self.folder),
        ));
        let saved = parse_plan(&self.saved).map_or_else(|_| Arc::clone(&self.saved_plan), Arc::new);
        self.rebase_on(saved);
        self.changed();
        refused
    }

    /// Writes the edited plan over its file, atomically (temporary file, sync, rename), as
    /// canonical RON; what is saved becomes the preview's "before".
    pub fn save(&mut self) -> std::io::Result<()> {
        crate::store::write_atomic(&self.matrix_path, &self.text)?;
        self.on_disk = self.text.clone();
        self.saved = self.text.clone();
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
pub(crate) mod tests {
    use super::{AuthorDoc, Preview};
    use crate::engine::reports::compare::SOLVED_SCRIPT;
    use crate::engine::scoring::FindingKind;

    /// A content folder of the reference plan, the ransomware scenario and two of its scripts.
    pub(crate) fn folder() -> tempfile::TempDir {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().unwrap();
        let copy = |from: &str, to: &str| {
            let to = dir.path().join(to);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(root.join(from), to).unwrap();
        };
        copy("scenarios/responsibilities.ron", "responsibilities.ron");
        copy(
            "scenarios/ransomware-file-server.ron",
            "ransomware-file-server.ron",
        );
        for script in ["exemplary.ron", "legal-too-late.ron"] {
            copy(
                &format!("tests/fixtures/decisions/ransomware-file-server/{script}"),
                &format!("decisions/{script}"),
            );
        }
        dir
    }

    fn task(doc: &AuthorDoc, id: &str) -> usize {
        doc.matrix()
            .tasks
            .iter()
            .position(|t| t.id.as_str() == id)
            .unwrap()
    }

    fn graded_now(doc: &mut AuthorDoc) -> Vec<crate::engine::reports::compare::GradeChange> {
        while let Some(job) = doc.grading_job() {
            doc.graded(job.run());
        }
        match &doc.preview {
            Preview::Ready(changes) => changes.clone(),
            other => panic!("no preview: {other:?}"),
        }
    }

    #[test]
    fn moving_an_r_shows_the_new_deduction_and_undo_takes_it_back() {
        let dir = folder();
        let mut doc = AuthorDoc::open(dir.path()).unwrap();
        assert_eq!(doc.errors(), 0, "{:?}", doc.diagnostics());
        let opened = graded_now(&mut doc);
        assert_eq!(opened.len(), 2);
        assert!(opened.iter().all(|c| !c.changed()));

        let triage = task(&doc, "triage_alert");
        doc.set_cell(triage, "soc", &["A"]);
        doc.set_cell(triage, "it_ops", &["R", "C"]);
        assert!(doc.is_dirty());
        let after = graded_now(&mut doc);
        let exemplary = after.iter().find(|c| c.script == "exemplary.ron").unwrap();
        assert!(exemplary.changed());
        let (Ok(before), Ok(now)) = (&exemplary.before, &exemplary.after) else {
            panic!("the exemplary run stopped playing");
        };
        assert_eq!(before.total, 100);
        assert!(now.total < 100);
        assert!(
            exemplary
                .only_after
                .iter()
                .any(|f| f.kind == FindingKind::Deduction && f.rule == "raci:triage_alert")
        );

        assert!(doc.undo() && doc.undo());
        assert!(!doc.is_dirty());
        assert_eq!(doc.matrix().tasks[triage].raci_codes("soc"), "A/R");
        assert!(graded_now(&mut doc).iter().all(|c| !c.changed()));
        assert!(doc.redo());
        assert_eq!(doc.matrix().tasks[triage].raci_codes("soc"), "A");
    }

    #[test]
    fn a_folder_without_scripts_previews_a_solved_play_and_says_what_an_edit_makes_impossible() {
        let dir = folder();
        std::fs::remove_dir_all(dir.path().join("decisions")).unwrap();
        let mut doc = AuthorDoc::open(dir.path()).unwrap();
        let opened = graded_now(&mut doc);
        assert_eq!(opened.len(), 1);
        assert_eq!(opened[0].script, SOLVED_SCRIPT);
        assert_eq!(opened[0].before.as_ref().unwrap().total, 100);
        let reach = doc.reach.clone().unwrap();
        assert_eq!((reach[0].lowest, reach[0].highest), (0, 100));

        // IT Operations must now sign off its own firewall change: the solved play loses the
        // approval, and the reach says no play can keep it.
        let firewall = task(&doc, "change_firewall_rule");
        let held = doc.matrix().tasks[firewall].raci_codes("it_ops");
        let mut codes: Vec<&str> = held.split('/').collect();
        codes.push("S");
        doc.set_cell(firewall, "it_ops", &codes);
        assert_eq!(doc.errors(), 0, "{:?}", doc.diagnostics());
        let after = graded_now(&mut doc);
        let now = after[0].after.as_ref().unwrap();
        assert!(now.total < 100);
        assert!(
            after[0]
                .only_after
                .iter()
                .any(|f| f.kind == FindingKind::Deduction && f.rule == "sod:change_firewall_rule"),
            "{:?}",
            after[0].only_after
        );
        let reach = doc.reach.clone().unwrap();
        assert!(reach[0].highest < 100);
        assert!(
            reach[0]
                .short_of_100
                .iter()
                .any(|w| w.contains("its own work")),
            "{:?}",
            reach[0].short_of_100
        );

        // Saved, the plan is the new "before": the play is solved again under it.
        doc.save().unwrap();
        let saved = graded_now(&mut doc);
        assert!(saved.iter().all(|c| !c.changed()));
    }

    #[test]
    fn a_task_left_without_accountable_is_an_error_and_blocks_the_preview() {
        let dir = folder();
        let mut doc = AuthorDoc::open(dir.path()).unwrap();
        let triage = task(&doc, "triage_alert");
        doc.cycle_cell(triage, "soc");
        assert_eq!(doc.matrix().tasks[triage].raci_codes("soc"), "C");
        assert!(doc.errors() > 0);
        assert!(matches!(doc.preview, Preview::Blocked));
        assert!(doc.grading_job().is_none());
    }

    #[test]
    fn saving_writes_what_validate_reads_back_and_becomes_the_new_before() {
        let dir = folder();
        let mut doc = AuthorDoc::open(dir.path()).unwrap();
        let triage = task(&doc, "triage_alert");
        doc.set_cell(triage, "it_ops", &["C", "I"]);
        doc.save().unwrap();
        assert!(!doc.is_dirty());
        let written = std::fs::read_to_string(dir.path().join("responsibilities.ron")).unwrap();
        assert_eq!(written, doc.text());
        let reopened = AuthorDoc::open(dir.path()).unwrap();
        assert_eq!(reopened.matrix().tasks[triage].raci_codes("it_ops"), "C/I");
        assert!(graded_now(&mut doc).iter().all(|c| !c.changed()));
    }
}
