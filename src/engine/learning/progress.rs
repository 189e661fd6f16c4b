//! A learner's progress: score series per dimension and per role over their attempts, the weakest
//! areas and what to practise next. Pure functions over stored records, so the Progress screen and
//! `warroom progress` print the same thing and the rules are unit-tested without a database.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::tally::Tally;

use crate::engine::content::library::Library;
use crate::engine::model::id::{QuestionId, RoleId};
use crate::engine::model::matrix::{Dimension, Matrix};
use crate::engine::model::scenario::{Difficulty, Scenario};
use crate::engine::scoring::{FindingKind, Scorecard};

/// Recent points averaged to rate an area.
pub const RECENT: usize = 3;

/// Areas averaging below this are reported as weak.
pub const WEAK_BELOW: u32 = 80;

/// One finished scenario run, as stored.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunRecord {
    /// Scenario id.
    pub scenario: String,
    /// Unix seconds when it finished.
    pub at: i64,
    /// Weighted total.
    pub total: u32,
    /// Score per dimension.
    pub dimensions: BTreeMap<Dimension, u32>,
    /// Per role: findings in the role's favour and against it.
    pub roles: BTreeMap<RoleId, RoleTally>,
}

/// Credits and deductions attributed to one role in a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RoleTally {
    /// Findings that credited a choice involving the role.
    pub credits: u32,
    /// Findings that deducted for a choice involving the role.
    pub deductions: u32,
}

impl RoleTally {
    /// Share of the role's graded choices that were right, 0–100.
    pub fn score(self) -> Option<u32> {
        let all = self.credits + self.deductions;
        (all > 0).then(|| self.credits * 100 / all)
    }
}

impl RunRecord {
    /// The record of a scorecard.
    pub fn from_scorecard(card: &Scorecard, at: i64) -> Self {
        let mut roles: BTreeMap<RoleId, RoleTally> = BTreeMap::new();
        for finding in &card.findings {
            if let Some(role) = &finding.role {
                let tally = roles.entry(role.clone()).or_default();
                match finding.kind {
                    FindingKind::Credit => tally.credits += 1,
                    FindingKind::Deduction => tally.deductions += 1,
                }
            }
        }
        Self {
            scenario: card.scenario.0.clone(),
            at,
            total: card.total,
            dimensions: card.dimensions.clone(),
            roles,
        }
    }
}

/// One quiz answer, as stored.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AnswerRecord {
    /// The sitting it was given in.
    pub sitting: u32,
    /// The question.
    pub question: QuestionId,
    /// The question's dimension.
    pub dimension: Dimension,
    /// The question's roles.
    pub roles: Vec<RoleId>,
    /// Whether it was right.
    pub correct: bool,
    /// Whether it was the question's first asking in its sitting.
    pub first_try: bool,
    /// Unix seconds.
    pub at: i64,
}

/// Something progress is tracked for.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Area {
    /// A scoring dimension.
    Dimension(Dimension),
    /// A role.
    Role(RoleId),
}

impl Area {
    /// Human label.
    pub fn label(&self, matrix: Option<&Matrix>) -> String {
        match self {
            Self::Dimension(d) => d.label().to_owned(),
            Self::Role(r) => {
                matrix.map_or_else(|| r.0.clone(), |m| m.role_name(r.as_str()).to_owned())
            }
        }
    }
}

/// Where a point came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AttemptKind {
    /// A scenario run.
    Scenario,
    /// A quiz sitting.
    Quiz,
}

/// One score of an area at one attempt.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Point {
    /// 1-based attempt number (scenario runs and quiz sittings, in time order).
    pub attempt: usize,
    /// Unix seconds.
    pub at: i64,
    /// 0–100.
    pub score: u32,
    /// Run or sitting.
    pub source: AttemptKind,
}

/// The scores of one area over time.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Series {
    /// The area.
    pub area: Area,
    /// Its label.
    pub label: String,
    /// Points in attempt order.
    pub points: Vec<Point>,
}

impl Series {
    /// Mean of the last [`RECENT`] points.
    pub fn recent(&self) -> u32 {
        let tail: Vec<u32> = self
            .points
            .iter()
            .rev()
            .take(RECENT)
            .map(|p| p.score)
            .collect();
        if tail.is_empty() {
            return 100;
        }
        tail.iter().sum::<u32>() / tail.len() as u32
    }
}

/// A weak area.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Weakness {
    /// The area.
    pub area: Area,
    /// Its label.
    pub label: String,
    /// Mean of its recent points.
    pub recent: u32,
    /// How many points it has.
    pub samples: usize,
}

/// What to practise next.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Suggestion {
    /// `scenario`, `question_set` or `review`.
    pub kind: &'static str,
    /// Scenario or question-set id (empty for a review).
    pub id: String,
    /// Its title.
    pub title: String,
    /// Why.
    pub reason: String,
}

/// A scenario as the suggestion rules see it.
#[derive(Clone, Debug)]
pub struct ScenarioInfo {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Difficulty.
    pub difficulty: Difficulty,
    /// Dimensions its decisions exercise.
    pub dimensions: BTreeSet<Dimension>,
    /// Roles seated at its board.
    pub roles: BTreeSet<RoleId>,
}

/// A question set as the suggestion rules see it.
#[derive(Clone, Debug)]
pub struct SetInfo {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Questions per dimension.
    pub dimensions: BTreeMap<Dimension, usize>,
    /// Questions per role.
    pub roles: BTreeMap<RoleId, usize>,
}

/// What can be suggested.
#[derive(Clone, Debug, Default)]
pub struct Catalogue {
    /// Scenarios.
    pub scenarios: Vec<ScenarioInfo>,
    /// Question sets.
    pub sets: Vec<SetInfo>,
}

impl Catalogue {
    /// The catalogue of a loaded library.
    pub fn of(library: &Library) -> Self {
        let Some(matrix) = &library.matrix else {
            return Self::default();
        };
        let scenarios = library
            .scenarios
            .iter()
            .map(|s| ScenarioInfo {
                id: s.scenario.id.0.clone(),
                title: s.scenario.title.clone(),
                difficulty: s.scenario.difficulty,
                dimensions: exercised_dimensions(&s.scenario, &matrix.matrix),
                roles: if s.scenario.cast.is_empty() {
                    matrix.matrix.roles.iter().map(|r| r.id.clone()).collect()
                } else {
                    s.scenario.cast.iter().cloned().collect()
                },
            })
            .collect();
        let sets = library
            .question_sets
            .iter()
            .map(|l| {
                let mut dimensions = BTreeMap::new();
                let mut roles = BTreeMap::new();
                for q in &l.set.questions {
                    *dimensions.entry(q.dimension).or_default() += 1;
                    for r in &q.roles {
                        *roles.entry(r.clone()).or_default() += 1;
                    }
                }
                SetInfo {
                    id: l.set.id.clone(),
                    title: l.set.title.clone(),
                    dimensions,
                    roles,
                }
            })
            .collect();
        Self { scenarios, sets }
    }
}

/// The dimensions a scenario's decisions can be graded on, read from its content: every scenario
/// grades ownership; evidence needs a task that preserves or destroys evidence; separation of
/// duties needs a task behind an approval or a privileged one; communication needs messages;
/// escalation needs a severity or a trigger; handoffs need work that changes systems.
pub fn exercised_dimensions(scenario: &Scenario, matrix: &Matrix) -> BTreeSet<Dimension> {
    let mut out = BTreeSet::from([Dimension::Ownership]);
    for inject in &scenario.injects {
        if !inject.messages.is_empty() {
            out.insert(Dimension::Communication);
        }
        if inject.severity.is_some() || !inject.reveals.is_empty() {
            out.insert(Dimension::Escalation);
        }
        for action in inject.decisions.iter().flat_map(|d| &d.actions) {
            let Some(task) = matrix.task(action.task.as_str()) else {
                continue;
            };
            if task.preserves_evidence || task.destroys_evidence {
                out.insert(Dimension::Evidence);
            }
            if !task.approvals.is_empty() || task.privileged {
                out.insert(Dimension::SeparationOfDuties);
            }
            if task.phase.changes_systems() {
                out.insert(Dimension::Handoffs);
            }
        }
    }
    out
}

/// Everything the Progress screen and `warroom progress` show.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProgressReport {
    /// Learner profile.
    pub profile: String,
    /// Scenario runs recorded.
    pub runs: usize,
    /// Quiz answers recorded.
    pub answers: usize,
    /// Quiz answers right at the first try, of first tries.
    pub first_try_correct: Tally,
    /// Questions due for review in the next sitting.
    pub due_questions: usize,
    /// Series per dimension (every dimension with data, in report order).
    pub dimensions: Vec<Series>,
    /// Series per role (every role with data).
    pub roles: Vec<Series>,
    /// Weakest areas first.
    pub weakest: Vec<Weakness>,
    /// What to do next.
    pub suggestions: Vec<Suggestion>,
}

/// Builds the report from stored records.
pub fn summarize(
    profile: &str,
    runs: &[RunRecord],
    answers: &[AnswerRecord],
    due_questions: usize,
    catalogue: &Catalogue,
    matrix: Option<&Matrix>,
) -> ProgressReport {
    // Attempts in time order: each run, and each sitting (at its first answer).
    enum Attempt<'a> {
        Run(&'a RunRecord),
        Sitting(i64, Vec<&'a AnswerRecord>),
    }
    let mut sittings: BTreeMap<u32, Vec<&AnswerRecord>> = BTreeMap::new();
    for a in answers.iter().filter(|a| a.first_try) {
        sittings.entry(a.sitting).or_default().push(a);
    }
    let mut attempts: Vec<(i64, Attempt<'_>)> =
        runs.iter().map(|r| (r.at, Attempt::Run(r))).collect();
    for (_, list) in sittings {
        let at = list.iter().map(|a| a.at).min().unwrap_or_default();
        attempts.push((at, Attempt::Sitting(at, list)));
    }
    attempts.sort_by_key(|(at, _)| *at);

    let mut series: BTreeMap<Area, Vec<Point>> = BTreeMap::new();
    for (index, (_, attempt)) in attempts.iter().enumerate() {
        let mut push = |area: Area, at: i64, score: u32, source: AttemptKind| {
            series.entry(area).or_default().push(Point {
                attempt: index + 1,
                at,
                score,
                source,
            });
        };
        match attempt {
            Attempt::Run(run) => {
                for (d, score) in &run.dimensions {
                    push(Area::Dimension(*d), run.at, *score, AttemptKind::Scenario);
                }
                for (role, tally) in &run.roles {
                    if let Some(score) = tally.score() {
                        push(
                            Area::Role(role.clone()),
                            run.at,
                            score,
                            AttemptKind::Scenario,
                        );
                    }
                }
            }
            Attempt::Sitting(at, list) => {
                let mut tallies: BTreeMap<Area, (u32, u32)> = BTreeMap::new();
                for a in list {
                    let areas = std::iter::once(Area::Dimension(a.dimension))
                        .chain(a.roles.iter().cloned().map(Area::Role));
                    for area in areas {
                        let t = tallies.entry(area).or_default();
                        t.0 += u32::from(a.correct);
                        t.1 += 1;
                    }
                }
                for (area, (right, all)) in tallies {
                    push(area, *at, right * 100 / all.max(1), AttemptKind::Quiz);
                }
            }
        }
    }

    let to_series = |(area, points): (Area, Vec<Point>)| Series {
        label: area.label(matrix),
        area,
        points,
    };
    let (dimensions, roles): (Vec<Series>, Vec<Series>) = series
        .into_iter()
        .map(to_series)
        .partition(|s| matches!(s.area, Area::Dimension(_)));

    let mut weakest: Vec<Weakness> = dimensions
        .iter()
        .chain(&roles)
        .filter(|s| s.recent() < WEAK_BELOW)
        .map(|s| Weakness {
            area: s.area.clone(),
            label: s.label.clone(),
            recent: s.recent(),
            samples: s.points.len(),
        })
        .collect();
    // Dimensions before roles at equal scores: they are what the scorecard grades.
    weakest.sort_by(|a, b| (a.recent, &a.area).cmp(&(b.recent, &b.area)));
    weakest.truncate(5);

    let first_tries: Vec<&AnswerRecord> = answers.iter().filter(|a| a.first_try).collect();
    let first_try_correct = Tally {
        right: first_tries.iter().filter(|a| a.correct).count(),
        asked: first_tries.len(),
    };
    let suggestions = suggest(runs, &weakest, due_questions, catalogue);
    ProgressReport {
        profile: profile.to_owned(),
        runs: runs.len(),
        answers: answers.len(),
        first_try_correct,
        due_questions,
        dimensions,
        roles,
        weakest,
        suggestions,
    }
}

fn suggest(
    runs: &[RunRecord],
    weakest: &[Weakness],
    due_questions: usize,
    catalogue: &Catalogue,
) -> Vec<Suggestion> {
    let mut out = Vec::new();
    if due_questions > 0 {
        out.push(Suggestion {
            kind: "review",
            id: String::new(),
            title: "Questions due for review".to_owned(),
            reason: format!(
                "{due_questions} question{} you missed or have not seen for a while {} due",
                if due_questions == 1 { "" } else { "s" },
                if due_questions == 1 { "is" } else { "are" }
            ),
        });
    }
    let played: BTreeMap<&str, &RunRecord> =
        runs.iter().map(|r| (r.scenario.as_str(), r)).collect();
    let mut suggested = BTreeSet::new();
    for weak in weakest.iter().take(2) {
        let fits = |s: &ScenarioInfo| match &weak.area {
            Area::Dimension(d) => s.dimensions.contains(d),
            Area::Role(r) => s.roles.contains(r),
        };
        // Unplayed scenarios first (easiest first), then the played one scored lowest there.
        let scenario = catalogue
            .scenarios
            .iter()
            .filter(|s| fits(s) && !suggested.contains(s.id.as_str()))
            .min_by_key(|s| match played.get(s.id.as_str()) {
                None => (0, s.difficulty as u32, 0),
                Some(run) => (1, 0, area_score(run, &weak.area)),
            });
        if let Some(s) = scenario {
            suggested.insert(s.id.as_str());
            out.push(Suggestion {
                kind: "scenario",
                id: s.id.clone(),
                title: s.title.clone(),
                reason: format!(
                    "practises {} (recent average {}){}",
                    weak.label,
                    weak.recent,
                    if played.contains_key(s.id.as_str()) {
                        "; replay it"
                    } else {
                        "; not played yet"
                    }
                ),
            });
        }
        let set = catalogue
            .sets
            .iter()
            .map(|set| {
                let n = match &weak.area {
                    Area::Dimension(d) => set.dimensions.get(d).copied().unwrap_or(0),
                    Area::Role(r) => set.roles.get(r).copied().unwrap_or(0),
                };
                (n, set)
            })
            .filter(|(n, set)| *n > 0 && !suggested.contains(set.id.as_str()))
            .max_by_key(|(n, set)| (*n, std::cmp::Reverse(set.id.clone())));
        if let Some((n, set)) = set {
            suggested.insert(set.id.as_str());
            out.push(Suggestion {
                kind: "question_set",
                id: set.id.clone(),
                title: set.title.clone(),
                reason: format!("{n} questions on {}", weak.label),
            });
        }
    }
    if out.is_empty() {
        let next = catalogue
            .scenarios
            .iter()
            .filter(|s| !played.contains_key(s.id.as_str()))
            .min_by_key(|s| s.difficulty as u32);
        if let Some(s) = next {
            out.push(Suggestion {
                kind: "scenario",
                id: s.id.clone(),
                title: s.title.clone(),
                reason: if runs.is_empty() {
                    "a good first scenario".to_owned()
                } else {
                    "no weak areas right now; try a scenario you have not played".to_owned()
                },
            });
        }
    }
    out
}

fn area_score(run: &RunRecord, area: &Area) -> u32 {
    match area {
        Area::Dimension(d) => run.dimensions.get(d).copied().unwrap_or(100),
        Area::Role(r) => run.roles.get(r).and_then(|t| t.score()).unwrap_or(100),
    }
}

/// Plain-text rendering for the terminal.
pub fn render_text(report: &ProgressReport) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let Tally {
        right,
        asked: tries,
    } = report.first_try_correct;
    let _ = writeln!(
        out,
        "Progress of `{}`: {} scenario run{}, {} quiz answer{} ({right}/{tries} right first time)",
        report.profile,
        report.runs,
        if report.runs == 1 { "" } else { "s" },
        report.answers,
        if report.answers == 1 { "" } else { "s" },
    );
    if report.dimensions.is_empty() {
        let _ = writeln!(out, "\nNo attempts yet.");
    }
    for (title, list) in [
        ("By dimension", &report.dimensions),
        ("By role", &report.roles),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "\n{title} (recent average, then every attempt oldest first):"
        );
        for s in list {
            let history: Vec<String> = s.points.iter().map(|p| p.score.to_string()).collect();
            let _ = writeln!(
                out,
                "  {:<36} {:>3}   {}",
                s.label,
                s.recent(),
                history.join(" ")
            );
        }
    }
    if !report.weakest.is_empty() {
        let _ = writeln!(out, "\nWeakest areas:");
        for w in &report.weakest {
            let _ = writeln!(
                out,
                "  {:<36} {:>3} ({} attempts)",
                w.label, w.recent, w.samples
            );
        }
    }
    if !report.suggestions.is_empty() {
        let _ = writeln!(out, "\nNext:");
        for s in &report.suggestions {
            let id = if s.id.is_empty() {
                String::new()
            } else {
                format!(" [{}]", s.id)
            };
            let _ = writeln!(out, "  {}{id}: {}", s.title, s.reason);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(scenario: &str, at: i64, evidence: u32) -> RunRecord {
        RunRecord {
            scenario: scenario.to_owned(),
            at,
            total: 90,
            dimensions: Dimension::ALL
                .iter()
                .map(|d| {
                    (
                        *d,
                        if *d == Dimension::Evidence {
                            evidence
                        } else {
                            100
                        },
                    )
                })
                .collect(),
            roles: BTreeMap::from([(
                RoleId::new("soc"),
                RoleTally {
                    credits: 3,
                    deductions: 1,
                },
            )]),
        }
    }

    fn answer(sitting: u32, q: &str, d: Dimension, correct: bool, at: i64) -> AnswerRecord {
        AnswerRecord {
            sitting,
            question: QuestionId::new(q),
            dimension: d,
            roles: vec![RoleId::new("legal")],
            correct,
            first_try: true,
            at,
        }
    }

    fn catalogue() -> Catalogue {
        let info = |id: &str, difficulty, dims: &[Dimension]| ScenarioInfo {
            id: id.to_owned(),
            title: id.to_uppercase(),
            difficulty,
            dimensions: dims.iter().copied().collect(),
            roles: BTreeSet::from([RoleId::new("soc"), RoleId::new("legal")]),
        };
        Catalogue {
            scenarios: vec![
                info("played", Difficulty::Introductory, &[Dimension::Evidence]),
                info("hard", Difficulty::Advanced, &[Dimension::Evidence]),
                info("easy", Difficulty::Intermediate, &[Dimension::Evidence]),
                info(
                    "comms",
                    Difficulty::Introductory,
                    &[Dimension::Communication],
                ),
            ],
            sets: vec![SetInfo {
                id: "evidence".to_owned(),
                title: "Evidence first".to_owned(),
                dimensions: BTreeMap::from([(Dimension::Evidence, 4)]),
                roles: BTreeMap::new(),
            }],
        }
    }

    #[test]
    fn attempts_are_numbered_in_time_order_across_runs_and_sittings() {
        let runs = [run("played", 300, 40)];
        let answers = [
            answer(1, "q1", Dimension::Evidence, true, 100),
            answer(1, "q2", Dimension::Evidence, false, 110),
            answer(2, "q3", Dimension::Evidence, true, 500),
        ];
        let r = summarize("me", &runs, &answers, 0, &catalogue(), None);
        let evidence = r
            .dimensions
            .iter()
            .find(|s| s.area == Area::Dimension(Dimension::Evidence))
            .expect("evidence series");
        let points: Vec<(usize, u32, AttemptKind)> = evidence
            .points
            .iter()
            .map(|p| (p.attempt, p.score, p.source))
            .collect();
        assert_eq!(
            points,
            [
                (1, 50, AttemptKind::Quiz),
                (2, 40, AttemptKind::Scenario),
                (3, 100, AttemptKind::Quiz)
            ]
        );
        assert_eq!(evidence.recent(), (50 + 40 + 100) / 3);
        let legal = r
            .roles
            .iter()
            .find(|s| s.area == Area::Role(RoleId::new("legal")));
        assert_eq!(legal.map(|s| s.points.len()), Some(2));
        assert_eq!(r.first_try_correct, Tally { right: 2, asked: 3 });
    }

    #[test]
    fn weakest_area_leads_to_an_unplayed_scenario_and_a_question_set() {
        let runs = [run("played", 10, 30)];
        let r = summarize("me", &runs, &[], 4, &catalogue(), None);
        assert_eq!(r.weakest[0].area, Area::Dimension(Dimension::Evidence));
        assert_eq!(r.weakest[0].recent, 30);
        // The SOC's 3 credits / 1 deduction = 75: weak, after evidence.
        assert_eq!(r.weakest[1].area, Area::Role(RoleId::new("soc")));
        let kinds: Vec<(&str, &str)> = r
            .suggestions
            .iter()
            .map(|s| (s.kind, s.id.as_str()))
            .collect();
        assert_eq!(kinds[0], ("review", ""));
        // `easy` is the easiest unplayed scenario that practises evidence.
        assert_eq!(kinds[1], ("scenario", "easy"));
        assert_eq!(kinds[2], ("question_set", "evidence"));
    }

    #[test]
    fn a_newcomer_is_pointed_at_an_easy_scenario() {
        let r = summarize("me", &[], &[], 0, &catalogue(), None);
        assert!(r.weakest.is_empty() && r.dimensions.is_empty());
        assert_eq!(r.suggestions.len(), 1);
        assert_eq!(r.suggestions[0].kind, "scenario");
        assert!(["played", "comms"].contains(&r.suggestions[0].id.as_str()));
        assert!(render_text(&r).contains("No attempts yet."));
    }

    #[test]
    fn role_tally_score_is_a_share() {
        assert_eq!(
            RoleTally {
                credits: 1,
                deductions: 3
            }
            .score(),
            Some(25)
        );
        assert_eq!(RoleTally::default().score(), None);
    }
}
