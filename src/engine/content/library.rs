//! Loading content from disk: the matrix and every scenario, with all their diagnostics.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::engine::content::derive::{Derived, PatchEntry, derive};
use crate::engine::content::load::{
    FileKind, Source, line_col, nth_field, ron_files_in, ron_files_under,
};
use crate::engine::content::script::{self, Decisions};
use crate::engine::content::validate::{validate_matrix, validate_question_set, validate_scenario};
use crate::engine::diagnostic::{Code, Diagnostic, Level, error_count};
use crate::engine::model::id::ScenarioId;
use crate::engine::model::matrix::Matrix;
use crate::engine::model::patch::MatrixPatch;
use crate::engine::model::quiz::{Question, QuestionSet, ResolveError};
use crate::engine::model::scenario::Scenario;
use crate::engine::session::{ReplayError, Session, SessionLog};

/// Sub-folder of a content directory that holds question sets.
pub const QUESTIONS_DIR: &str = "questions";

/// File name of the default matrix inside the content directory.
pub const DEFAULT_MATRIX_FILE: &str = "responsibilities.ron";

/// The default content folder (see [`default_content`]).
pub fn default_content_dir() -> PathBuf {
    default_content().0
}

/// Where the default content was found, in words for `validate` and `list` to say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContentOrigin {
    /// The folder `WARROOM_CONTENT` names.
    Environment,
    /// `scenarios/` in the current folder.
    CurrentFolder,
    /// The content built into the program, installed in the data folder.
    BuiltIn,
    /// None of these: there is no default content.
    Missing,
}

impl ContentOrigin {
    /// "the content built into warroom 0.1.0", "scenarios/ in the current folder", …
    pub fn describe(self) -> String {
        match self {
            Self::Environment => "the folder WARROOM_CONTENT names".to_owned(),
            Self::CurrentFolder => "scenarios/ in the current folder".to_owned(),
            Self::BuiltIn => format!(
                "the content built into warroom {}",
                env!("CARGO_PKG_VERSION")
            ),
            Self::Missing => "no content: no scenarios/ folder here and none built in".to_owned(),
        }
    }
}

static BUILT_IN: OnceLock<PathBuf> = OnceLock::new();

/// Records where the program installed the content built into it; set once at start-up, before
/// any default is asked for.
pub fn use_built_in_content(dir: PathBuf) {
    let _ = BUILT_IN.set(dir);
}

/// The default content folder and where it comes from: `$WARROOM_CONTENT`, else `scenarios/` in the
/// current folder, else the content built into the program. Never the folder the program was
/// compiled in, which exists on one machine only and may hold other files than were built in.
pub fn default_content() -> (PathBuf, ContentOrigin) {
    if let Some(dir) = std::env::var_os("WARROOM_CONTENT") {
        return (PathBuf::from(dir), ContentOrigin::Environment);
    }
    let local = PathBuf::from("scenarios");
    if local.is_dir() {
        return (local, ContentOrigin::CurrentFolder);
    }
    match BUILT_IN.get() {
        Some(dir) => (dir.clone(), ContentOrigin::BuiltIn),
        None => (local, ContentOrigin::Missing),
    }
}

/// The default matrix path.
pub fn default_matrix_path() -> PathBuf {
    default_content_dir().join(DEFAULT_MATRIX_FILE)
}

/// Files read from memory instead of disk, by path: an editor's unsaved text.
pub type Edits = std::collections::BTreeMap<PathBuf, String>;

/// `path` as `edits` has it, else as it is on disk.
fn read_edited(path: &Path, edits: &Edits) -> Result<Source, Diagnostic> {
    match edits.get(path) {
        Some(text) => Ok(Source::from_text(path, text.clone())),
        None => Source::read(path),
    }
}

/// A matrix loaded and validated.
#[derive(Clone, Debug)]
pub struct LoadedMatrix {
    /// Where from.
    pub path: PathBuf,
    /// The matrix.
    pub matrix: Arc<Matrix>,
    /// Warnings (no errors, or it would not have loaded).
    pub warnings: Vec<Diagnostic>,
}

/// Loads and validates a matrix, or the plan a `MatrixPatch` file derives from its base; all
/// errors are returned together.
pub fn load_matrix(path: &Path) -> Result<LoadedMatrix, Vec<Diagnostic>> {
    let source = Source::read(path).map_err(|d| vec![d])?;
    matrix_from_source(&source)
}

/// [`load_matrix`] of a file already read (or being edited).
pub fn matrix_from_source(source: &Source) -> Result<LoadedMatrix, Vec<Diagnostic>> {
    let path = source.path.as_path();
    if source.kind() == FileKind::MatrixPatch {
        return derive_from_patch(source).map(|(loaded, _)| loaded);
    }
    let matrix: Matrix = source.parse().map_err(|d| vec![d])?;
    let diagnostics = validate_matrix(&matrix, path, &source.text);
    if error_count(&diagnostics) > 0 {
        return Err(diagnostics);
    }
    Ok(LoadedMatrix {
        path: path.to_path_buf(),
        matrix: Arc::new(matrix),
        warnings: diagnostics,
    })
}

/// The plan a `MatrixPatch` file makes of its base (a `Matrix(` file, relative to the patch):
/// entries that no longer apply to the base and conflicts the merges created are warnings at
/// their entry; the derived plan is validated as a matrix file would be. Also hands back what the
/// derivation found, for `warroom derive` to print.
pub fn derive_from_patch(source: &Source) -> Result<(LoadedMatrix, Derived), Vec<Diagnostic>> {
    let patch: MatrixPatch = source.parse().map_err(|d| vec![d])?;
    let locator = source.locator();
    let at_field = |path: &[&str]| locator.field_path(path).unwrap_or((1, 1));
    let located = |level, code, (line, column): (usize, usize), message: String| Diagnostic {
        level,
        line,
        column,
        ..Diagnostic::file_error(code, &source.path, message)
    };
    let base_path = source
        .path
        .parent()
        .unwrap_or_else(|| Path::new("."))
        .join(&patch.base);
    let base_source = Source::read(&base_path).map_err(|d| {
        vec![located(
            Level::Error,
            d.code,
            at_field(&["base"]),
            format!(
                "the base matrix {} cannot be read: {}",
                base_path.display(),
                d.message
            ),
        )]
    })?;
    if base_source.kind() != FileKind::Matrix {
        return Err(vec![located(
            Level::Error,
            Code::UnknownFileKind,
            at_field(&["base"]),
            format!(
                "the base {} is not a `Matrix(` file; a patch changes a full matrix",
                base_path.display()
            ),
        )]);
    }
    let base = load_matrix(&base_path).map_err(|mut problems| {
        problems.insert(
            0,
            located(
                Level::Error,
                Code::ParseError,
                at_field(&["base"]),
                format!("the base matrix {} does not load", base_path.display()),
            ),
        );
        problems
    })?;
    let derived = derive(&base.matrix, &patch);
    let entry_at = |entry: PatchEntry| {
        let (section, field, index) = entry.field();
        locator.entry(section, field, index).unwrap_or((1, 1))
    };
    let mut diagnostics: Vec<Diagnostic> = derived
        .stale
        .iter()
        .map(|stale| {
            located(
                Level::Warning,
                Code::StalePatchEntry,
                entry_at(stale.entry),
                format!(
                    "this entry no longer applies and was left out: {}",
                    stale.message
                ),
            )
        })
        .chain(
            derived
                .conflicts
                .iter()
                .filter(|c| !c.fixed)
                .map(|conflict| {
                    located(
                        Level::Warning,
                        Code::MergeConflict,
                        entry_at(conflict.entry),
                        format!("{}: {}", conflict.place, conflict.problem),
                    )
                    .with_hint(conflict.fix.clone())
                }),
        )
        .collect();
    // The validator's warnings about what a merge conflict already names would repeat it, at
    // no useful place in the patch.
    let named = |d: &Diagnostic| {
        let subject = d.message.split(':').next().unwrap_or_default();
        derived
            .conflicts
            .iter()
            .any(|c| !c.fixed && c.place.starts_with(subject))
    };
    diagnostics.extend(
        validate_matrix(&derived.matrix, &source.path, &source.text)
            .into_iter()
            .filter(|d| d.is_error() || !named(d)),
    );
    if error_count(&diagnostics) > 0 {
        return Err(diagnostics);
    }
    Ok((
        LoadedMatrix {
            path: source.path.clone(),
            matrix: Arc::new(derived.matrix.clone()),
            warnings: diagnostics,
        },
        derived,
    ))
}

/// A scenario loaded and validated.
#[derive(Clone, Debug)]
pub struct LoadedScenario {
    /// Where from.
    pub path: PathBuf,
    /// The scenario.
    pub scenario: Arc<Scenario>,
    /// Warnings.
    pub warnings: Vec<Diagnostic>,
}

/// Loads and validates a scenario against a matrix.
pub fn load_scenario(path: &Path, matrix: &Matrix) -> Result<LoadedScenario, Vec<Diagnostic>> {
    let source = Source::read(path).map_err(|d| vec![d])?;
    scenario_from_source(&source, matrix)
}

/// Parses and validates a scenario already read.
pub fn scenario_from_source(
    source: &Source,
    matrix: &Matrix,
) -> Result<LoadedScenario, Vec<Diagnostic>> {
    let mut scenario: Scenario = source.parse_under(matrix).map_err(|d| vec![d])?;
    scenario.merge_repeated_roles();
    let diagnostics = validate_scenario(&scenario, matrix, &source.path, &source.text);
    if error_count(&diagnostics) > 0 {
        return Err(diagnostics);
    }
    Ok(LoadedScenario {
        path: source.path.clone(),
        scenario: Arc::new(scenario),
        warnings: diagnostics,
    })
}

/// Finds a scenario by path, or by id in `dir` (default: the shipped folder); `Err` is a usage
/// error message naming the scenarios that are there.
pub fn find_scenario(
    spec: &str,
    dir: Option<&Path>,
    matrix: &Matrix,
) -> Result<Result<LoadedScenario, Vec<Diagnostic>>, String> {
    let as_path = Path::new(spec);
    if as_path.is_file() {
        return Ok(load_scenario(as_path, matrix));
    }
    let dir = dir.map_or_else(default_content_dir, Path::to_path_buf);
    let mut known = Vec::new();
    for file in ron_files_in(&dir).unwrap_or_default() {
        let Ok(source) = Source::read(&file) else {
            continue;
        };
        if source.kind() != FileKind::Scenario {
            continue;
        }
        let Ok(scenario) = source.parse::<Scenario>() else {
            continue;
        };
        if scenario.id.as_str() == spec {
            return Ok(scenario_from_source(&source, matrix));
        }
        known.push(scenario.id.to_string());
    }
    Err(format!(
        "no scenario `{spec}` in {} (known: {})",
        dir.display(),
        known.join(", ")
    ))
}

/// A question set loaded and validated.
#[derive(Clone, Debug)]
pub struct LoadedQuestionSet {
    /// Where from.
    pub path: PathBuf,
    /// The questions.
    pub set: Arc<QuestionSet>,
    /// Warnings (answers that differ from the matrix in use, untagged questions).
    pub warnings: Vec<Diagnostic>,
}

/// Loads and validates a question set against a matrix.
pub fn question_set_from_source(
    source: &Source,
    matrix: &Matrix,
) -> Result<LoadedQuestionSet, Vec<Diagnostic>> {
    let mut set: QuestionSet = source.parse_under(matrix).map_err(|d| vec![d])?;
    set.resolve_role_aliases(&matrix.alias_map());
    let mut diagnostics = validate_question_set(&set, matrix, &source.path, &source.text);
    if !matrix.aliases.is_empty() {
        // Under a plan whose roles are cut otherwise, a question the plan leaves undecided (who is
        // consulted, when one desk now does it all) does not apply: it leaves the bank, the rest
        // of its set stays.
        let undecided: Vec<String> = set
            .questions
            .iter()
            .filter(|q| matches!(q.resolve(matrix), Err(ResolveError::Undecided(_))))
            .map(|q| q.id.to_string())
            .collect();
        set.questions
            .retain(|q| !undecided.iter().any(|id| id == q.id.as_str()));
        for d in &mut diagnostics {
            if d.code == Code::UndecidedQuestion {
                d.level = Level::Warning;
                d.message = format!(
                    "{}; under plan `{}` the question does not apply and is left out",
                    d.message, matrix.id
                );
            }
        }
    }
    if error_count(&diagnostics) > 0 {
        return Err(diagnostics);
    }
    Ok(LoadedQuestionSet {
        path: source.path.clone(),
        set: Arc::new(set),
        warnings: diagnostics,
    })
}

/// A file that could not be used, with every reason.
#[derive(Clone, Debug)]
pub struct InvalidFile {
    /// The file.
    pub path: PathBuf,
    /// Why.
    pub diagnostics: Vec<Diagnostic>,
}

/// All content found: the matrix in use, the scenarios that loaded and the files that did not.
#[derive(Clone, Debug, Default)]
pub struct Library {
    /// The matrix, when it loaded.
    pub matrix: Option<LoadedMatrix>,
    /// Why the matrix did not load.
    pub matrix_errors: Vec<Diagnostic>,
    /// Scenarios that loaded, sorted by difficulty then title.
    pub scenarios: Vec<LoadedScenario>,
    /// Question sets that loaded, sorted by title.
    pub question_sets: Vec<LoadedQuestionSet>,
    /// Files that did not load.
    pub invalid: Vec<InvalidFile>,
    /// Other matrix files that were checked.
    pub other_matrices: Vec<PathBuf>,
    /// Decisions scripts and session logs that were checked against their scenario and found
    /// sound.
    pub scripts: Vec<CheckedScript>,
}

/// Shipped scenarios looked up by the scripts being checked (`None`: no such shipped scenario).
type ShippedScenarios = std::collections::BTreeMap<ScenarioId, Option<Arc<Scenario>>>;

/// A decisions script or session log that plays through against its scenario.
#[derive(Clone, Debug)]
pub struct CheckedScript {
    /// The file.
    pub path: PathBuf,
    /// `Decisions` or `SessionLog`.
    pub kind: FileKind,
    /// The scenario it plays.
    pub scenario: ScenarioId,
}

impl Library {
    /// Loads the matrix and every scenario under `paths` (files or directories).
    pub fn load(paths: &[PathBuf], matrix_path: &Path) -> Self {
        Self::load_edited(paths, matrix_path, &Edits::new())
    }

    /// [`Self::load`] with some files read as `edits` has them rather than as they are on disk
    /// (an editor's unsaved text): what `warroom validate` would say once they are saved.
    pub fn load_edited(paths: &[PathBuf], matrix_path: &Path, edits: &Edits) -> Self {
        let mut library = Self::default();
        match read_edited(matrix_path, edits)
            .map_err(|d| vec![d])
            .and_then(|source| matrix_from_source(&source))
        {
            Ok(m) => library.matrix = Some(m),
            Err(d) => library.matrix_errors = d,
        }
        let mut files = Vec::new();
        let mut scripts = Vec::new();
        for path in paths {
            if path.is_dir() {
                // Sub-folders too: `questions/`, and a trainer's `decisions/` beside the scenarios.
                let (found, problems) = ron_files_under(path);
                files.extend(found);
                for d in problems {
                    library.invalid.push(InvalidFile {
                        path: d.file.clone(),
                        diagnostics: vec![d],
                    });
                }
            } else {
                files.push(path.clone());
            }
        }
        for file in files {
            if let Some(script) = library.add_file(&file, matrix_path, edits) {
                scripts.push(script);
            }
        }
        // Scripts and logs once every scenario beside them is known; a shipped scenario several
        // of them play is loaded once.
        let mut shipped = ShippedScenarios::new();
        for source in scripts {
            library.check_script(&source, &mut shipped);
        }
        library.scenarios.sort_by(|a, b| {
            (a.scenario.difficulty, &a.scenario.title)
                .cmp(&(b.scenario.difficulty, &b.scenario.title))
        });
        library
            .question_sets
            .sort_by(|a, b| a.set.title.cmp(&b.set.title));
        library.reject_duplicate_questions();
        library
    }

    /// Progress is stored per question id, so an id may appear only once in the whole bank; the
    /// later file (by title) is refused.
    fn reject_duplicate_questions(&mut self) {
        let mut seen = std::collections::BTreeSet::new();
        let mut keep = Vec::new();
        for loaded in std::mem::take(&mut self.question_sets) {
            let clashing: Vec<&str> = loaded
                .set
                .questions
                .iter()
                .filter(|q| !seen.insert(q.id.clone()))
                .map(|q| q.id.as_str())
                .collect();
            // Read the file (for locations) only when there is something to report, and once.
            let source = (!clashing.is_empty())
                .then(|| Source::read(&loaded.path).ok())
                .flatten();
            let clashes: Vec<Diagnostic> = clashing
                .iter()
                .map(|id| {
                    let (line, column) = source.as_ref().map_or((0, 0), |s| s.locator().nth(id, 0));
                    Diagnostic {
                        line,
                        column,
                        ..Diagnostic::file_error(
                            Code::DuplicateId,
                            &loaded.path,
                            format!("question id `{id}` is already used by another question set"),
                        )
                    }
                    .with_hint("question ids must be unique across the bank; rename this one")
                })
                .collect();
            if clashes.is_empty() {
                keep.push(loaded);
            } else {
                self.invalid.push(InvalidFile {
                    path: loaded.path.clone(),
                    diagnostics: clashes,
                });
            }
        }
        self.question_sets = keep;
    }

    /// Every question of the bank with its set, in set order.
    pub fn questions(&self) -> impl Iterator<Item = (&QuestionSet, &Question)> {
        self.question_sets
            .iter()
            .flat_map(|l| l.set.questions.iter().map(move |q| (&*l.set, q)))
    }

    /// Finds a question by id.
    pub fn question(&self, id: &str) -> Option<(&QuestionSet, &Question)> {
        self.questions().find(|(_, q)| q.id.as_str() == id)
    }

    /// Loads one file; a decisions script or session log is handed back to be checked once all
    /// scenarios are in.
    fn add_file(&mut self, file: &Path, matrix_path: &Path, edits: &Edits) -> Option<Source> {
        let invalid = |diagnostics| InvalidFile {
            path: file.to_path_buf(),
            diagnostics,
        };
        let source = match read_edited(file, edits) {
            Ok(s) => s,
            Err(d) => {
                self.invalid.push(invalid(vec![d]));
                return None;
            }
        };
        match source.kind() {
            FileKind::Matrix | FileKind::MatrixPatch => {
                if same_file(file, matrix_path) {
                    return None;
                }
                self.other_matrices.push(file.to_path_buf());
                if let Err(d) = matrix_from_source(&source) {
                    self.invalid.push(invalid(d));
                }
            }
            FileKind::Scenario => {
                let Some(matrix) = &self.matrix else {
                    return None;
                };
                match scenario_from_source(&source, &matrix.matrix) {
                    Ok(s) => self.scenarios.push(s),
                    Err(d) => self.invalid.push(invalid(d)),
                }
            }
            FileKind::QuestionSet => {
                let Some(matrix) = &self.matrix else {
                    return None;
                };
                match question_set_from_source(&source, &matrix.matrix) {
                    Ok(s) => self.question_sets.push(s),
                    Err(d) => self.invalid.push(invalid(d)),
                }
            }
            FileKind::Decisions | FileKind::SessionLog => return Some(source),
            FileKind::Unknown => self.invalid.push(invalid(vec![
                Diagnostic::file_error(
                    Code::UnknownFileKind,
                    file,
                    "not a Warroom data file: it should start with `Scenario(`, `Matrix(`, `MatrixPatch(`, `QuestionSet(`, `Decisions(` or `SessionLog(`",
                )
                .with_hint(
                    "scenarios, matrices, question sets, decisions scripts and session logs are checked; docs/format.md describes each",
                ),
            ])),
        }
        None
    }

    /// Plays a decisions script, or replays a session log, against its scenario: every error it
    /// would meet in `warroom play` or `replay`, reported now.
    fn check_script(&mut self, source: &Source, shipped: &mut ShippedScenarios) {
        let kind = source.kind();
        let file = source.path.clone();
        let matrix = self.matrix.as_ref().map(|m| m.matrix.clone());
        let parse = |source: &Source| match &matrix {
            Some(m) => source.parse_under::<Decisions>(m),
            None => source.parse(),
        };
        let parse_log = |source: &Source| match &matrix {
            Some(m) => source.parse_under::<SessionLog>(m),
            None => source.parse(),
        };
        let checked = match kind {
            FileKind::Decisions => {
                parse(source)
                    .map_err(|d| vec![d])
                    .and_then(|decisions: Decisions| {
                        let (scenario, matrix) = self
                            .scenario_for(&decisions.scenario, source, shipped)
                            .map_err(|d| vec![d])?;
                        let seed = decisions.seed.unwrap_or(0);
                        script::run(scenario, matrix, &decisions, seed, source)?;
                        Ok(decisions.scenario)
                    })
            }
            _ => parse_log(source)
                .and_then(|log: SessionLog| {
                    let (scenario, matrix) = self.scenario_for(&log.scenario, source, shipped)?;
                    Session::replay(scenario, matrix, &log)
                        .map_err(|e| replay_failure(source, &e))?;
                    Ok(log.scenario)
                })
                .map_err(|d| vec![d]),
        };
        match checked {
            Ok(scenario) => self.scripts.push(CheckedScript {
                path: file,
                kind,
                scenario,
            }),
            Err(diagnostics) => self.invalid.push(InvalidFile {
                path: file,
                diagnostics,
            }),
        }
    }

    /// The scenario a script plays: among the files checked, else the shipped one of that id.
    fn scenario_for(
        &self,
        id: &ScenarioId,
        source: &Source,
        shipped: &mut ShippedScenarios,
    ) -> Result<(Arc<Scenario>, Arc<Matrix>), Diagnostic> {
        let (line, column) = source.locator().find(None, id.as_str());
        let located = |code, message: String| Diagnostic {
            line,
            column,
            ..Diagnostic::file_error(code, &source.path, message)
        };
        let matrix = self.matrix.as_ref().ok_or_else(|| {
            located(
                Code::UnknownScenario,
                "the matrix did not load, so the script cannot be checked".into(),
            )
        })?;
        if let Some(s) = self.scenario(id.as_str()) {
            return Ok((Arc::clone(&s.scenario), Arc::clone(&matrix.matrix)));
        }
        shipped
            .entry(id.clone())
            .or_insert_with(|| {
                Source::read(&default_content_dir().join(format!("{id}.ron")))
                    .ok()
                    .and_then(|s| scenario_from_source(&s, &matrix.matrix).ok())
                    .map(|s| s.scenario)
            })
            .clone()
            .map(|scenario| (scenario, Arc::clone(&matrix.matrix)))
            .ok_or_else(|| {
                located(
                    Code::UnknownScenario,
                    format!("scenario `{id}` is neither among the files checked nor shipped"),
                )
                .with_hint("validate the script together with its scenario file")
            })
    }

    /// Finds a scenario by id.
    pub fn scenario(&self, id: &str) -> Option<&LoadedScenario> {
        self.scenarios.iter().find(|s| s.scenario.id.as_str() == id)
    }

    /// Every diagnostic, matrix first.
    pub fn diagnostics(&self) -> Vec<&Diagnostic> {
        let matrix_warnings = self.matrix.iter().flat_map(|m| m.warnings.iter());
        let scenario_warnings = self
            .scenarios
            .iter()
            .flat_map(|s| s.warnings.iter())
            .chain(self.question_sets.iter().flat_map(|s| s.warnings.iter()));
        let invalid = self.invalid.iter().flat_map(|f| f.diagnostics.iter());
        self.matrix_errors
            .iter()
            .chain(matrix_warnings)
            .chain(invalid)
            .chain(scenario_warnings)
            .collect()
    }

    /// Whether everything loaded without errors.
    pub fn is_valid(&self) -> bool {
        self.matrix.is_some() && self.invalid.is_empty()
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// A session log that does not replay, located at the entry (or field) where it failed, as
/// `validate`, `replay` and `resume --check` all report it.
pub fn replay_failure(source: &Source, error: &ReplayError) -> Diagnostic {
    let (line, column) = where_replay_failed(source, error);
    Diagnostic {
        line,
        column,
        ..Diagnostic::file_error(Code::LogDoesNotReplay, &source.path, error.to_string())
    }
}

/// Where in a session log its replay failed: the entry (each has one `intent:`), the opening, or
/// the field that does not match.
fn where_replay_failed(source: &Source, error: &ReplayError) -> (usize, usize) {
    let field = |name: &str| source.locator().find(None, name);
    match error {
        ReplayError::Version(_) => field("format_version"),
        ReplayError::WrongScenario { .. } => field("scenario"),
        ReplayError::Diverged { entry: 0 } => field("opening"),
        ReplayError::Diverged { entry } | ReplayError::Rejected { entry, .. } => {
            nth_field(&source.text, "intent", entry.saturating_sub(1))
                .map_or_else(|| field("entries"), |at| line_col(&source.text, at))
        }
    }
}
