//! The organisation's weak spots, read back from statements: many learners' finished exercises
//! and quiz answers, from a learning record store or built from a folder of saves, aggregated per
//! role and dimension, per broken responsibility (by its citation), per cohort and over time.
//! Only Warroom's own statements count (its `completed` of a scenario and its `answered`); the
//! rest of a store, voided statements among them, is left alone.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::engine::model::matrix::Dimension;

/// One deduction of a finished exercise.
#[derive(Clone, Debug, PartialEq)]
pub struct Deduction {
    /// The responsibility it cites.
    pub cites: String,
    /// Its dimension.
    pub dimension: Dimension,
    /// The role it falls on (id), when one.
    pub role: Option<String>,
    /// Points it cost.
    pub points: f64,
}

/// One finished exercise of one learner.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    /// Who (the account name, or its hash when pseudonymous).
    pub learner: String,
    /// The day it ended (`YYYY-MM-DD`).
    pub day: String,
    /// The total, out of 100.
    pub total: f64,
    /// Every deduction.
    pub deductions: Vec<Deduction>,
}

/// One quiz answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// Who.
    pub learner: String,
    /// The day (`YYYY-MM-DD`).
    pub day: String,
    /// Right or not.
    pub correct: bool,
    /// The question's dimension.
    pub dimension: Option<Dimension>,
}

/// The value of the extension whose IRI ends in `/extensions/{name}` (any base IRI).
fn extension<'v>(extensions: &'v Value, name: &str) -> Option<&'v Value> {
    let suffix = format!("/extensions/{name}");
    extensions
        .as_object()?
        .iter()
        .find(|(iri, _)| iri.ends_with(&suffix))
        .map(|(_, value)| value)
}

fn dimension_of(key: &str) -> Option<Dimension> {
    Dimension::ALL.into_iter().find(|d| d.key() == key)
}

fn verb(statement: &Value) -> &str {
    statement["verb"]["id"]
        .as_str()
        .and_then(|id| id.rsplit('/').next())
        .unwrap_or_default()
}

fn learner(statement: &Value) -> Option<String> {
    statement["actor"]["account"]["name"]
        .as_str()
        .or_else(|| statement["actor"]["mbox"].as_str())
        .map(str::to_owned)
}

fn day(statement: &Value) -> Option<String> {
    statement["timestamp"]
        .as_str()
        .filter(|t| t.len() >= 10)
        .map(|t| t[..10].to_owned())
}

/// Warroom's finished exercises and quiz answers among `statements`.
pub fn read_statements(statements: &[Value]) -> (Vec<Run>, Vec<Answer>) {
    let ours = |s: &&Value| s["context"]["platform"] == "Warroom";
    let mut runs = Vec::new();
    let mut answers = Vec::new();
    let mut seen = BTreeSet::new();
    for statement in statements.iter().filter(ours) {
        // A store may return a statement twice across pages; count it once.
        if !seen.insert(statement["id"].as_str().unwrap_or_default().to_owned()) {
            continue;
        }
        let (Some(who), Some(when)) = (learner(statement), day(statement)) else {
            continue;
        };
        let result = &statement["result"];
        match verb(statement) {
            "completed" => {
                let Some(total) = result["score"]["raw"].as_f64() else {
                    continue;
                };
                let deductions = extension(&result["extensions"], "deductions")
                    .and_then(Value::as_array)
                    .map(|list| list.iter().filter_map(deduction).collect())
                    .unwrap_or_default();
                runs.push(Run {
                    learner: who,
                    day: when,
                    total,
                    deductions,
                });
            }
            "answered" => answers.push(Answer {
                learner: who,
                day: when,
                correct: result["success"].as_bool().unwrap_or(false),
                dimension: extension(&result["extensions"], "dimension")
                    .and_then(Value::as_str)
                    .and_then(dimension_of),
            }),
            _ => {}
        }
    }
    (runs, answers)
}

fn deduction(value: &Value) -> Option<Deduction> {
    Some(Deduction {
        cites: value["cites"].as_str()?.to_owned(),
        dimension: dimension_of(value["dimension"].as_str()?)?,
        role: value["role"].as_str().map(str::to_owned),
        points: value["points"].as_f64().map_or(0.0, f64::abs),
    })
}

/// A responsibility broken, and how often.
#[derive(Clone, Debug, PartialEq)]
pub struct Broken {
    /// Its citation.
    pub cites: String,
    /// Its dimension.
    pub dimension: Dimension,
    /// The roles it fell on (ids).
    pub roles: BTreeSet<String>,
    /// Times broken.
    pub times: usize,
    /// Learners who broke it.
    pub learners: usize,
    /// Points lost in all.
    pub points: f64,
}

/// The learners who started in one quarter.
#[derive(Clone, Debug, PartialEq)]
pub struct Cohort {
    /// `2026-Q4`: the quarter of each learner's first record.
    pub name: String,
    /// Learners in it.
    pub learners: usize,
    /// Their finished exercises.
    pub runs: usize,
    /// Their average total.
    pub average: Option<f64>,
    /// The responsibility they broke most often.
    pub most_broken: Option<String>,
}

/// One month.
#[derive(Clone, Debug, PartialEq)]
pub struct Month {
    /// `2026-12`.
    pub name: String,
    /// Finished exercises.
    pub runs: usize,
    /// Their average total.
    pub average: Option<f64>,
    /// Deductions per exercise.
    pub deductions_per_run: Option<f64>,
    /// Quiz answers.
    pub answers: usize,
    /// Share right.
    pub right: Option<f64>,
}

/// The organisation's report.
#[derive(Clone, Debug, PartialEq)]
pub struct OrganisationReport {
    /// Distinct learners.
    pub learners: usize,
    /// Finished exercises.
    pub runs: usize,
    /// Quiz answers.
    pub answers: usize,
    /// Average points lost per exercise, by role (id; empty: no single role) and dimension.
    pub heat: BTreeMap<String, BTreeMap<Dimension, f64>>,
    /// Quiz answers right, per dimension: (right, asked).
    pub quiz: BTreeMap<Dimension, (usize, usize)>,
    /// Responsibilities broken, most often first.
    pub broken: Vec<Broken>,
    /// By cohort, oldest first.
    pub cohorts: Vec<Cohort>,
    /// By month, oldest first.
    pub months: Vec<Month>,
}

fn average(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, count) = values.fold((0.0, 0_u32), |(s, n), v| (s + v, n + 1));
    (count > 0).then(|| sum / f64::from(count))
}

fn quarter(day: &str) -> String {
    let month: u32 = day.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
    format!("{}-Q{}", day.get(..4).unwrap_or("????"), month.div_ceil(3))
}

/// `part` of `whole`, as a share; `None` of nothing.
pub fn ratio(part: usize, whole: usize) -> Option<f64> {
    let (part, whole) = (u32::try_from(part).ok()?, u32::try_from(whole).ok()?);
    (whole > 0).then(|| f64::from(part) / f64::from(whole))
}

/// Aggregates `runs` and `answers`.
pub fn aggregate(runs: &[Run], answers: &[Answer]) -> OrganisationReport {
    let learners: BTreeSet<&str> = runs
        .iter()
        .map(|r| r.learner.as_str())
        .chain(answers.iter().map(|a| a.learner.as_str()))
        .collect();
    let run_count = u32::try_from(runs.len()).unwrap_or(u32::MAX).max(1);
    let mut heat: BTreeMap<String, BTreeMap<Dimension, f64>> = BTreeMap::new();
    let mut broken: BTreeMap<&str, (Broken, BTreeSet<&str>)> = BTreeMap::new();
    for run in runs {
        for d in &run.deductions {
            // A deduction on no single role (a notice nobody sent) still counts, on a row of its
            // own, so the map accounts for every point lost.
            let row = d.role.clone().unwrap_or_default();
            *heat.entry(row).or_default().entry(d.dimension).or_default() +=
                d.points / f64::from(run_count);
            let (entry, who) = broken.entry(&d.cites).or_insert_with(|| {
                (
                    Broken {
                        cites: d.cites.clone(),
                        dimension: d.dimension,
                        roles: BTreeSet::new(),
                        times: 0,
                        learners: 0,
                        points: 0.0,
                    },
                    BTreeSet::new(),
                )
            });
            entry.times += 1;
            entry.points += d.points;
            entry.roles.extend(d.role.clone());
            who.insert(&run.learner);
        }
    }
    let mut broken: Vec<Broken> = broken
        .into_values()
        .map(|(mut b, who)| {
            b.learners = who.len();
            b
        })
        .collect();
    broken.sort_by(|a, b| b.times.cmp(&a.times).then(a.cites.cmp(&b.cites)));

    let mut quiz: BTreeMap<Dimension, (usize, usize)> = BTreeMap::new();
    for answer in answers {
        if let Some(d) = answer.dimension {
            let cell = quiz.entry(d).or_default();
            cell.0 += usize::from(answer.correct);
            cell.1 += 1;
        }
    }

    // A learner's cohort: the quarter of their first record.
    let mut first: BTreeMap<&str, &str> = BTreeMap::new();
    for (who, when) in runs
        .iter()
        .map(|r| (r.learner.as_str(), r.day.as_str()))
        .chain(answers.iter().map(|a| (a.learner.as_str(), a.day.as_str())))
    {
        let day = first.entry(who).or_insert(when);
        if when < *day {
            *day = when;
        }
    }
    let cohort_of = |who: &str| quarter(first.get(who).copied().unwrap_or_default());
    let names: BTreeSet<String> = first.keys().map(|who| cohort_of(who)).collect();
    let cohorts = names
        .into_iter()
        .map(|name| {
            let theirs: Vec<&Run> = runs
                .iter()
                .filter(|r| cohort_of(&r.learner) == name)
                .collect();
            let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
            for d in theirs.iter().flat_map(|r| &r.deductions) {
                *counts.entry(&d.cites).or_default() += 1;
            }
            let most_broken = counts
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
                .map(|(cites, _)| cites.to_owned());
            Cohort {
                learners: first.keys().filter(|who| cohort_of(who) == name).count(),
                runs: theirs.len(),
                average: average(theirs.iter().map(|r| r.total)),
                most_broken,
                name,
            }
        })
        .collect();

    let month_names: BTreeSet<&str> = runs
        .iter()
        .map(|r| &r.day[..7.min(r.day.len())])
        .chain(answers.iter().map(|a| &a.day[..7.min(a.day.len())]))
        .collect();
    let months = month_names
        .into_iter()
        .map(|name| {
            let theirs: Vec<&Run> = runs.iter().filter(|r| r.day.starts_with(name)).collect();
            let answered: Vec<&Answer> =
                answers.iter().filter(|a| a.day.starts_with(name)).collect();
            let deductions: usize = theirs.iter().map(|r| r.deductions.len()).sum();
            Month {
                name: name.to_owned(),
                runs: theirs.len(),
                average: average(theirs.iter().map(|r| r.total)),
                deductions_per_run: ratio(deductions, theirs.len()),
                answers: answered.len(),
                right: ratio(
                    answered.iter().filter(|a| a.correct).count(),
                    answered.len(),
                ),
            }
        })
        .collect();

    OrganisationReport {
        learners: learners.len(),
        runs: runs.len(),
        answers: answers.len(),
        heat,
        quiz,
        broken,
        cohorts,
        months,
    }
}
