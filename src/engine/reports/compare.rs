//! What an edit to a plan or a scenario does: the RACI cells and rules that changed, and for each
//! script the grade before and after with the findings only one side has. `warroom diff` prints it;
//! the Author screen's grading preview shows it on every edit.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde::Serialize;

use crate::engine::content::load::Source;
use crate::engine::content::script::{self, Decisions};
use crate::engine::model::matrix::{Dimension, Matrix};
use crate::engine::model::scenario::Scenario;
use crate::engine::scoring::{Finding, FindingKind, Scorecard, score};
use crate::engine::session::Session;
use crate::engine::solve::solve;

/// One RACI cell that holds other codes in the second matrix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CellChange {
    /// The task's id.
    pub task: String,
    /// The task's name.
    pub task_name: String,
    /// The role's id.
    pub role: String,
    /// The role's name.
    pub role_name: String,
    /// The codes before (`A/R`; empty for none).
    pub before: String,
    /// The codes after.
    pub after: String,
}

/// How two matrices differ.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct MatrixChanges {
    /// Roles only the second matrix has, by name.
    pub roles_added: Vec<String>,
    /// Roles only the first has.
    pub roles_removed: Vec<String>,
    /// Tasks only the second has.
    pub tasks_added: Vec<String>,
    /// Tasks only the first has.
    pub tasks_removed: Vec<String>,
    /// Cells of tasks and roles both have whose codes differ.
    pub cells: Vec<CellChange>,
    /// The parts of the plan besides the RACI that differ ("escalation policy", …).
    pub rules: Vec<String>,
}

impl MatrixChanges {
    /// Whether the two matrices say the same.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// The RACI cells, roles, tasks and rules that differ between `before` and `after`.
pub fn matrix_changes(before: &Matrix, after: &Matrix) -> MatrixChanges {
    let ids =
        |m: &Matrix| -> BTreeSet<String> { m.roles.iter().map(|r| r.id.to_string()).collect() };
    let (roles_before, roles_after) = (ids(before), ids(after));
    let role_name = |id: &str| {
        after
            .role(id)
            .or_else(|| before.role(id))
            .map_or_else(|| id.to_owned(), |r| r.name.clone())
    };
    let mut changes = MatrixChanges {
        roles_added: roles_after
            .difference(&roles_before)
            .map(|id| role_name(id))
            .collect(),
        roles_removed: roles_before
            .difference(&roles_after)
            .map(|id| role_name(id))
            .collect(),
        ..MatrixChanges::default()
    };
    for task in &after.tasks {
        let Some(old) = before.tasks.iter().find(|t| t.id == task.id) else {
            changes.tasks_added.push(task.name.clone());
            continue;
        };
        // Every role either matrix has, and the asset owner, which a task may name.
        let roles = roles_before
            .union(&roles_after)
            .cloned()
            .chain(std::iter::once(
                crate::engine::model::matrix::ASSET_OWNER.to_owned(),
            ));
        for role in roles {
            let (was, is) = (old.raci_codes(&role), task.raci_codes(&role));
            if was != is {
                changes.cells.push(CellChange {
                    task: task.id.to_string(),
                    task_name: task.name.clone(),
                    role_name: role_name(&role),
                    role,
                    before: was,
                    after: is,
                });
            }
        }
    }
    changes.tasks_removed = before
        .tasks
        .iter()
        .filter(|t| after.tasks.iter().all(|a| a.id != t.id))
        .map(|t| t.name.clone())
        .collect();
    for (name, was, is) in [
        (
            "triggers",
            ron_of(&before.triggers),
            ron_of(&after.triggers),
        ),
        (
            "escalation policy",
            ron_of(&before.escalation),
            ron_of(&after.escalation),
        ),
        (
            "communication policy",
            ron_of(&before.communication),
            ron_of(&after.communication),
        ),
        (
            "handoff policy",
            ron_of(&before.handoffs),
            ron_of(&after.handoffs),
        ),
        (
            "separation of duties",
            ron_of(&before.separation_of_duties),
            ron_of(&after.separation_of_duties),
        ),
        (
            "reporting regimes",
            ron_of(&before.regimes),
            ron_of(&after.regimes),
        ),
        ("scoring", ron_of(&before.scoring), ron_of(&after.scoring)),
    ] {
        if was != is {
            changes.rules.push(name.to_owned());
        }
    }
    changes
}

/// Any part of a matrix written out, to compare two of them.
fn ron_of<T: Serialize>(value: &T) -> String {
    ron::to_string(value).unwrap_or_default()
}

/// A script's grade under one version of the content, or why it could not be played.
pub type Graded = Result<Scorecard, String>;

/// A grade's total as people read it: "94", or "does not play".
pub fn total_label(graded: &Graded) -> String {
    graded.as_ref().map_or_else(
        |_| "does not play".to_owned(),
        |card| card.total.to_string(),
    )
}

/// A script's grade before and after an edit.
#[derive(Clone, Debug, Serialize)]
pub struct GradeChange {
    /// The scenario it plays.
    pub scenario: String,
    /// The script, as the author names it (its file name).
    pub script: String,
    /// Its grade before.
    #[serde(serialize_with = "graded_summary")]
    pub before: Graded,
    /// Its grade after.
    #[serde(serialize_with = "graded_summary")]
    pub after: Graded,
    /// Findings only the grade before has.
    pub only_before: Vec<Finding>,
    /// Findings only the grade after has.
    pub only_after: Vec<Finding>,
}

impl GradeChange {
    /// Compares the grades of one script.
    pub fn new(scenario: &str, script: &str, before: Graded, after: Graded) -> Self {
        let (only_before, only_after) = match (&before, &after) {
            (Ok(b), Ok(a)) => (
                unmatched(&b.findings, &a.findings),
                unmatched(&a.findings, &b.findings),
            ),
            _ => (Vec::new(), Vec::new()),
        };
        Self {
            scenario: scenario.to_owned(),
            script: script.to_owned(),
            before,
            after,
            only_before,
            only_after,
        }
    }

    /// Whether any verdict differs: the total, a dimension, a finding, or whether it plays at all.
    pub fn changed(&self) -> bool {
        match (&self.before, &self.after) {
            (Ok(b), Ok(a)) => {
                b.total != a.total
                    || b.dimensions != a.dimensions
                    || !self.only_before.is_empty()
                    || !self.only_after.is_empty()
            }
            (Err(b), Err(a)) => b != a,
            _ => true,
        }
    }
}

/// The findings of `side` with no like finding in `other`: the same check (dimension, kind, rule,
/// role, minute and log entry) at the same cost.
fn unmatched(side: &[Finding], other: &[Finding]) -> Vec<Finding> {
    let key = |f: &Finding| {
        (
            f.dimension,
            f.kind,
            f.rule.clone(),
            f.role.clone(),
            f.minute,
            f.entry,
            f.points,
        )
    };
    let mut left: Vec<_> = other.iter().map(key).collect();
    side.iter()
        .filter(|f| {
            let k = key(f);
            match left.iter().position(|l| *l == k) {
                Some(i) => {
                    left.swap_remove(i);
                    false
                }
                None => true,
            }
        })
        .filter(|f| f.kind != FindingKind::NotTested)
        .cloned()
        .collect()
}

fn graded_summary<S: serde::Serializer>(graded: &Graded, s: S) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Summary<'a> {
        total: Option<u32>,
        dimensions: Vec<(Dimension, Option<u32>)>,
        #[serde(skip_serializing_if = "Option::is_none")]
        error: Option<&'a str>,
    }
    match graded {
        Ok(card) => Summary {
            total: Some(card.total),
            dimensions: card.dimensions.iter().map(|(d, v)| (*d, *v)).collect(),
            error: None,
        },
        Err(why) => Summary {
            total: None,
            dimensions: Vec::new(),
            error: Some(why),
        },
    }
    .serialize(s)
}

/// Plays `decisions` (read from `source`) through `scenario` under `matrix` and grades it.
pub fn grade_script(
    scenario: Arc<Scenario>,
    matrix: Arc<Matrix>,
    decisions: &Decisions,
    source: &Source,
) -> Graded {
    let seed = decisions.seed.unwrap_or(0);
    script::run(scenario, matrix, decisions, seed, source)
        .map(|session| score(&session))
        .map_err(|errors| {
            errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        })
}

/// A folder's scenarios and scripts, read once, to be graded again under each version of a plan
/// (the Author screen's preview grades it on every edit).
#[derive(Clone, Debug, Default)]
pub struct GradingSet {
    /// Each scenario file with the id it declares.
    scenarios: Vec<(String, Source)>,
    /// The `Decisions(…)` files.
    scripts: Vec<Source>,
}

/// `scenario` played to its end under `matrix` with nobody doing anything.
fn left_alone(scenario: &Arc<Scenario>, matrix: &Arc<Matrix>) -> Session {
    let mut idle = Session::new(Arc::clone(scenario), Arc::clone(matrix), 0);
    // Refused only past the end, which a fresh session is not.
    let _ = idle.apply(crate::engine::Intent::Advance {
        minutes: scenario.duration_mins,
    });
    idle
}

/// The name a solved play goes by in a grading set, after its scenario's id.
pub const SOLVED_SCRIPT: &str = "perfect play (solved)";

/// What a play of one scenario can score under a plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reach {
    /// The scenario's id.
    pub scenario: String,
    /// Its title.
    pub title: String,
    /// The total when nobody acts.
    pub lowest: u32,
    /// The best play's total.
    pub highest: u32,
    /// What keeps the best play below 100: what the plan makes impossible, then the checks lost.
    pub short_of_100: Vec<String>,
    /// Objectives (their text) whose dimensions nothing in the best play puts to the test.
    pub untested: Vec<String>,
}

/// One script's grade under one plan.
#[derive(Clone, Debug)]
pub struct ScriptGrade {
    /// The scenario it plays.
    pub scenario: String,
    /// The script's file name.
    pub script: String,
    /// Its grade, or why it does not play.
    pub graded: Graded,
}

impl GradingSet {
    /// Reads the scenarios under `scenario_dir` and the scripts under `script_paths` (files or
    /// folders). Files of other kinds, and files that cannot be read, are left out: the
    /// validation of the folder reports those.
    pub fn read(scenario_dir: &std::path::Path, script_paths: &[std::path::PathBuf]) -> Self {
        use crate::engine::content::load::{FileKind, ron_files_of};
        let sources = |paths: &[std::path::PathBuf], kind: FileKind| -> Vec<Source> {
            ron_files_of(paths)
                .iter()
                .filter_map(|f| Source::read(f).ok())
                .filter(|s| s.kind() == kind)
                .collect()
        };
        let scenarios = sources(&[scenario_dir.to_path_buf()], FileKind::Scenario)
            .into_iter()
            .filter_map(|s| {
                let id = s.parse::<Scenario>().ok()?.id.to_string();
                Some((id, s))
            })
            .collect();
        Self {
            scenarios,
            scripts: sources(script_paths, FileKind::Decisions),
        }
    }

    /// How many scripts it grades.
    pub fn scripts(&self) -> usize {
        self.scripts.len()
    }

    /// The set with some scenario files' texts replaced (the Author screen's unsaved edits);
    /// a file it did not have is added when its text reads as a scenario.
    #[must_use]
    pub fn with_scenario_texts(&self, texts: &[(std::path::PathBuf, String)]) -> Self {
        let mut set = self.clone();
        for (path, text) in texts {
            let source = Source::from_text(path.clone(), text.clone());
            let Ok(scenario) = source.parse::<Scenario>() else {
                continue;
            };
            let id = scenario.id.to_string();
            match set.scenarios.iter_mut().find(|(_, s)| s.path == *path) {
                Some(entry) => *entry = (id, source),
                None => set.scenarios.push((id, source)),
            }
        }
        set
    }

    /// How many scenarios it has.
    pub fn scenarios(&self) -> usize {
        self.scenarios.len()
    }

    /// The set with a script added for every scenario no script plays: the play `warroom script
    /// solve` writes under `matrix` (named [`SOLVED_SCRIPT`]), so an edit to a plan shows what it
    /// does to a perfect play even in a folder with no scripts of its own.
    #[must_use]
    pub fn with_solved(&self, matrix: &Arc<Matrix>) -> Self {
        use crate::engine::content::library::scenario_from_source;
        let played: BTreeSet<String> = self
            .scripts
            .iter()
            .filter_map(|s| s.parse::<Decisions>().ok())
            .map(|d| d.scenario.to_string())
            .collect();
        let mut set = self.clone();
        for (id, source) in &self.scenarios {
            if played.contains(id) {
                continue;
            }
            let Ok(loaded) = scenario_from_source(source, matrix) else {
                continue;
            };
            let solution = solve(loaded.scenario, Arc::clone(matrix), 0);
            let path = source.path.with_file_name(SOLVED_SCRIPT);
            set.scripts.push(Source::from_text(path, solution.to_ron()));
        }
        set
    }

    /// What a play of each scenario can score under `matrix`: from nobody acting to the best
    /// play `warroom script solve` finds, what keeps the best below 100, and the objectives
    /// nothing in the best play puts to the test.
    pub fn reach(&self, matrix: &Arc<Matrix>) -> Vec<Reach> {
        use crate::engine::content::library::scenario_from_source;
        self.scenarios
            .iter()
            .filter_map(|(_, source)| scenario_from_source(source, matrix).ok())
            .map(|loaded| {
                let scenario = loaded.scenario;
                let lowest = score(&left_alone(&scenario, matrix)).total;
                let best = solve(Arc::clone(&scenario), Arc::clone(matrix), 0);
                let untested = scenario
                    .objectives
                    .iter()
                    .filter(|o| {
                        !o.dimensions.is_empty()
                            && o.dimensions.iter().all(|d| {
                                best.scorecard
                                    .dimensions
                                    .get(d)
                                    .copied()
                                    .flatten()
                                    .is_none()
                            })
                    })
                    .map(|o| o.text.clone())
                    .collect();
                let mut short_of_100 = best.gaps.clone();
                short_of_100.extend(best.failed_checks());
                Reach {
                    title: scenario.title.clone(),
                    scenario: scenario.id.to_string(),
                    lowest,
                    highest: best.scorecard.total,
                    short_of_100,
                    untested,
                }
            })
            .collect()
    }

    /// Every script graded under `matrix`, in file order. A script (or its scenario) that does not
    /// read or play under this plan is graded as the reason why.
    pub fn grade(&self, matrix: &Arc<Matrix>) -> Vec<ScriptGrade> {
        use crate::engine::content::library::scenario_from_source;
        let mut loaded: std::collections::BTreeMap<&str, Result<Arc<Scenario>, String>> =
            std::collections::BTreeMap::new();
        self.scripts
            .iter()
            .map(|source| {
                let script = source.path.file_name().map_or_else(
                    || source.path.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
                let decisions: Decisions = match source.parse_under(matrix) {
                    Ok(d) => d,
                    Err(problem) => {
                        return ScriptGrade {
                            scenario: String::new(),
                            script,
                            graded: Err(problem.to_string()),
                        };
                    }
                };
                let id = decisions.scenario.to_string();
                let scenario = match self.scenarios.iter().find(|(known, _)| *known == id) {
                    Some((known, source)) => loaded
                        .entry(known.as_str())
                        .or_insert_with(|| {
                            scenario_from_source(source, matrix)
                                .map(|l| l.scenario)
                                .map_err(|problems| {
                                    problems
                                        .first()
                                        .map(ToString::to_string)
                                        .unwrap_or_default()
                                })
                        })
                        .clone(),
                    None => Err(format!("there is no scenario `{id}` in the folder")),
                };
                let graded = scenario.and_then(|scenario| {
                    grade_script(scenario, Arc::clone(matrix), &decisions, source)
                });
                ScriptGrade {
                    scenario: id,
                    script,
                    graded,
                }
            })
            .collect()
    }
}

/// The grade changes from `before` to `after`, script by script (both graded from one set).
pub fn grade_changes(before: Vec<ScriptGrade>, after: Vec<ScriptGrade>) -> Vec<GradeChange> {
    before
        .into_iter()
        .zip(after)
        .map(|(b, a)| {
            let scenario = if a.scenario.is_empty() {
                b.scenario
            } else {
                a.scenario
            };
            GradeChange::new(&scenario, &a.script, b.graded, a.graded)
        })
        .collect()
}

/// When each inject of a scenario comes in: in a run where nobody does anything, and in the run
/// of the folder's exemplary script (`exemplary.ron`) for it, if it has one.
#[derive(Clone, Debug)]
pub struct InjectTimeline {
    /// The scenario.
    pub scenario: Arc<Scenario>,
    /// Per inject, in the scenario's order: its id, title, and the minute it comes in when nobody
    /// acts and in the exemplary run (`None`: it never does).
    pub injects: Vec<(String, String, Option<u32>, Option<u32>)>,
    /// The script of the second run: the folder's `exemplary.ron`, else the play `script solve`
    /// wrote for it (`None`: neither).
    pub played_by: Option<String>,
    /// Injects no play can bring in, by id.
    pub unreachable: BTreeSet<String>,
}

impl GradingSet {
    /// The release minutes of every inject of `scenario`, left alone and in the exemplary run.
    pub fn timeline(&self, scenario: &Arc<Scenario>, matrix: &Arc<Matrix>) -> InjectTimeline {
        let idle = left_alone(scenario, matrix);
        // The folder's exemplary run, else a solved play: both meet every check of the plan.
        let mut scripts: Vec<&Source> = self.scripts.iter().collect();
        scripts.sort_by_key(|s| s.path.file_name().is_none_or(|n| n != "exemplary.ron"));
        let exemplary = scripts.into_iter().find_map(|source| {
            let name = source.path.file_name()?.to_string_lossy().into_owned();
            let is_exemplary = name == "exemplary.ron" || name == SOLVED_SCRIPT;
            let decisions: Decisions = source.parse_under(matrix).ok()?;
            if !is_exemplary || decisions.scenario != scenario.id {
                return None;
            }
            let seed = decisions.seed.unwrap_or(0);
            script::run(
                Arc::clone(scenario),
                Arc::clone(matrix),
                &decisions,
                seed,
                source,
            )
            .ok()
            .map(|session| (name, session))
        });
        InjectTimeline {
            injects: scenario
                .injects
                .iter()
                .map(|inject| {
                    let id = inject.id.as_str();
                    (
                        id.to_owned(),
                        inject.title.clone(),
                        idle.released_at(id),
                        exemplary.as_ref().and_then(|(_, s)| s.released_at(id)),
                    )
                })
                .collect(),
            played_by: exemplary.map(|(name, _)| {
                if name == SOLVED_SCRIPT {
                    "the best play (solved)".to_owned()
                } else {
                    name
                }
            }),
            unreachable: crate::engine::model::reachable::unreachable_injects(scenario)
                .into_iter()
                .map(|id| id.to_string())
                .collect(),
            scenario: Arc::clone(scenario),
        }
    }
}
