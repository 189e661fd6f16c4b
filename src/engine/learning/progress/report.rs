//! The progress report: series per area, the weakest areas, and what to practise next.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::engine::learning::tally::Tally;

use crate::engine::model::matrix::Matrix;

use super::records::{
    AnswerRecord, Area, AttemptKind, Catalogue, Point, RunRecord, ScenarioInfo, Series, Suggestion,
    WEAK_BELOW, Weakness,
};

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
                reason: format!(
                    "{} on {}",
                    crate::engine::text::count(n, "question"),
                    weak.label
                ),
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
