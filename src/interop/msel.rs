//! A scenario as a master scenario events list (MSEL): one row per inject in release order, with
//! what the room is told, and what the plan expects of it. No other exercise tool can fill the
//! *Expected actions* column, because none grades against the plan: here each option's
//! Responsible and Accountable roles, sign-offs and who must be told come from the matrix, as do
//! the escalations, notices and reporting clocks the inject starts. The same scenario under two
//! matrices differs in that column only.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::sheet::write_csv;
use super::workbook::{SheetOut, write_xlsx};
use crate::engine::model::id::RoleId;
use crate::engine::model::matrix::Matrix;
use crate::engine::model::scenario::{Condition, Inject, Release, Scenario};
use crate::engine::session::Session;

/// The MSEL's columns, in order: what people read, then the inject whole, for the way back.
pub const COLUMNS: [&str; 16] = [
    "#",
    "Inject id",
    "Time",
    "Title",
    "Narrative",
    "Delivery",
    "To",
    "Severity",
    "Impact",
    "Decision",
    "Options",
    "Expected actions",
    "Objectives",
    "References",
    "Facilitator notes",
    super::msel_import::DATA_COLUMN,
];
/// The column the plan fills.
pub const EXPECTED_ACTIONS: usize = 11;

/// The injects in the order they reach the room: timed ones at their minute, a conditional one
/// at the earliest its condition allows, just after the inject it waits for (or that offers the
/// action it waits for); the file's order breaks ties, and one whose time cannot be told comes last.
pub fn release_order(scenario: &Scenario) -> Vec<&Inject> {
    /// Minutes × 1000, plus one for each inject waited on: "just after" sorts after.
    type Key = u64;
    fn earliest<'s>(
        condition: &Condition,
        scenario: &'s Scenario,
        keys: &mut BTreeMap<&'s str, Option<Key>>,
        depth: usize,
    ) -> Option<Key> {
        if depth > 16 {
            return None;
        }
        match condition {
            Condition::MinuteAtLeast(m) => Some(Key::from(*m) * 1000),
            Condition::Released(id) => scenario
                .inject(id.as_str())
                .and_then(|i| key(i, scenario, keys, depth + 1))
                .map(|k| k + 1),
            Condition::MinutesSince(id, minutes) => scenario
                .inject(id.as_str())
                .and_then(|i| key(i, scenario, keys, depth + 1))
                .map(|k| k + Key::from(*minutes) * 1000 + 1),
            Condition::ActionDone(action) => scenario
                .action(action.as_str())
                .and_then(|(i, _, _)| key(i, scenario, keys, depth + 1))
                .map(|k| k + 1),
            Condition::All(items) => items
                .iter()
                .filter_map(|c| earliest(c, scenario, keys, depth + 1))
                .max(),
            Condition::Any(items) => items
                .iter()
                .filter_map(|c| earliest(c, scenario, keys, depth + 1))
                .min(),
            _ => None,
        }
    }
    fn key<'s>(
        inject: &'s Inject,
        scenario: &'s Scenario,
        keys: &mut BTreeMap<&'s str, Option<Key>>,
        depth: usize,
    ) -> Option<Key> {
        if let Some(k) = keys.get(inject.id.as_str()) {
            return *k;
        }
        // Marked before the condition is read, so a cycle ends here.
        keys.insert(inject.id.as_str(), None);
        let k = match &inject.release {
            Release::At(m) => Some(Key::from(*m) * 1000),
            Release::When(c) => earliest(c, scenario, keys, depth),
        };
        keys.insert(inject.id.as_str(), k);
        k
    }
    let mut keys = BTreeMap::new();
    let mut order: Vec<(Key, usize, &Inject)> = scenario
        .injects
        .iter()
        .enumerate()
        .map(|(i, inject)| {
            let k = key(inject, scenario, &mut keys, 0).unwrap_or(Key::MAX);
            (k, i, inject)
        })
        .collect();
    order.sort_by_key(|(k, i, _)| (*k, *i));
    order.into_iter().map(|(_, _, inject)| inject).collect()
}

/// The MSEL as a table: its header and one row per inject.
pub fn msel_table(
    scenario: &Arc<Scenario>,
    matrix: &Arc<Matrix>,
) -> (Vec<String>, Vec<Vec<String>>) {
    let session = Session::new(scenario.clone(), matrix.clone(), 0);
    let mut rows = Vec::new();
    for (n, inject) in release_order(scenario).into_iter().enumerate() {
        let first = n == 0;
        rows.push(vec![
            (n + 1).to_string(),
            inject.id.to_string(),
            time(&session, inject),
            inject.title.clone(),
            inject.narrative.clone(),
            inject
                .artifacts
                .iter()
                .map(|a| format!("{}: {}", a.kind.label(), a.title))
                .collect::<Vec<_>>()
                .join("\n"),
            if inject.to.is_empty() {
                "The whole room".to_owned()
            } else {
                names(matrix, &inject.to)
            },
            inject.severity.map_or_else(String::new, |level| {
                matrix
                    .severity(level)
                    .map_or_else(|| level.to_string(), |s| format!("{level} ({})", s.name))
            }),
            inject
                .business_impact
                .map_or_else(String::new, |i| i.to_string()),
            inject
                .decisions
                .iter()
                .map(|d| d.prompt.clone())
                .collect::<Vec<_>>()
                .join("\n"),
            options(inject),
            expected_actions(&session, inject),
            if first {
                scenario
                    .objectives
                    .iter()
                    .map(|o| o.text.clone())
                    .collect::<Vec<_>>()
                    .join("\n")
            } else {
                String::new()
            },
            if first {
                scenario
                    .references
                    .iter()
                    .map(|r| format!("{} {}", r.framework, r.item))
                    .collect::<Vec<_>>()
                    .join("\n")
            } else {
                String::new()
            },
            facilitator_notes(scenario, matrix, inject),
            ron::to_string(inject).unwrap_or_default(),
        ]);
    }
    (COLUMNS.iter().map(|c| (*c).to_owned()).collect(), rows)
}

/// The private guidance, then the questions to ask the room once the inject is in.
fn facilitator_notes(scenario: &Scenario, matrix: &Matrix, inject: &Inject) -> String {
    let mut lines: Vec<String> = Vec::new();
    if !inject.facilitator_notes.is_empty() {
        lines.push(inject.facilitator_notes.clone());
    }
    for question in scenario.discussion_after(inject.id.as_str()) {
        let whom = if question.roles.is_empty() {
            String::new()
        } else {
            format!(" ({})", names(matrix, &question.roles))
        };
        lines.push(format!("Discuss{whom}: {}", question.prompt));
    }
    lines.join("\n")
}

fn names(matrix: &Matrix, roles: &[RoleId]) -> String {
    crate::engine::session::names_list(
        roles
            .iter()
            .map(|r| matrix.role_name(r.as_str()).to_owned())
            .collect(),
    )
}

/// "does it", or "do it" for several roles.
fn does(roles: &[RoleId]) -> &'static str {
    if roles.len() == 1 { "does it" } else { "do it" }
}

/// `T+15`, or the release condition in words; with the weekday and time when the scenario has a
/// start.
fn time(session: &Session, inject: &Inject) -> String {
    let scenario = session.scenario();
    match &inject.release {
        Release::At(m) if scenario.start.is_some() => {
            format!("T+{m:02} ({})", scenario.clock_label(*m))
        }
        Release::At(m) => format!("T+{m:02}"),
        Release::When(condition) => {
            let words = session.describe_condition(condition);
            let mut chars = words.chars();
            chars.next().map_or_else(String::new, |c| {
                format!("{}{}", c.to_uppercase(), chars.as_str())
            })
        }
    }
}

fn options(inject: &Inject) -> String {
    let mut lines = Vec::new();
    for decision in &inject.decisions {
        for (i, option) in decision.actions.iter().enumerate() {
            lines.push(format!(
                "{}) {}",
                crate::engine::model::quiz::letter(i),
                option.label
            ));
        }
    }
    lines.join("\n")
}

/// What the plan expects of the room once the inject is in.
fn expected_actions(session: &Session, inject: &Inject) -> String {
    let matrix = session.matrix();
    let scenario = session.scenario();
    let mut lines = Vec::new();
    for decision in &inject.decisions {
        for option in &decision.actions {
            let label = format!("\u{201c}{}\u{201d}", option.label);
            if let Some(wrong) = &option.misdirected {
                let instead = scenario
                    .action(wrong.instead.as_str())
                    .map_or_else(|| wrong.instead.to_string(), |(_, _, o)| o.label.clone());
                lines.push(format!(
                    "{label}: not this ({}); instead \u{201c}{instead}\u{201d}.",
                    wrong.why
                ));
                continue;
            }
            let Some(task) = matrix.task(option.task.as_str()) else {
                continue;
            };
            let target = option.target_id();
            let role_names =
                |roles: &[RoleId]| names(matrix, &session.resolve_roles(roles, target));
            let doers = session.resolve_roles(&task.responsible, target);
            let answers = session.resolve_role(&task.accountable, target);
            let mut parts = match answers {
                Some(a) if doers.len() == 1 && doers.contains(a) => vec![format!(
                    "{} does it and answers for it",
                    matrix.role_name(a.as_str())
                )],
                Some(a) => vec![
                    format!("{} {}", names(matrix, &doers), does(&doers)),
                    format!("{} answers for it", matrix.role_name(a.as_str())),
                ],
                None => vec![format!("{} {}", names(matrix, &doers), does(&doers))],
            };
            if !task.approvals.is_empty() {
                parts.push(format!("sign-off first: {}", role_names(&task.approvals)));
            }
            if !task.approvals_any_of.is_empty() {
                parts.push(format!(
                    "sign-off first by one of {}",
                    role_names(&task.approvals_any_of)
                ));
            }
            if !task.informed.is_empty() {
                let within = task
                    .informed_within_mins
                    .map_or_else(String::new, |m| format!(" within {m} min"));
                parts.push(format!("tell {}{within}", role_names(&task.informed)));
            }
            lines.push(format!("{label} ({}): {}.", task.name, parts.join("; ")));
        }
    }
    for trigger in &inject.reveals {
        for rule in matrix
            .escalation
            .rules
            .iter()
            .filter(|r| r.when == *trigger)
        {
            let fact = matrix
                .triggers
                .iter()
                .find(|t| t.id == *trigger)
                .map_or_else(|| trigger.to_string(), |t| t.description.clone());
            lines.push(format!(
                "Escalate: engage {} within {} min ({fact}).",
                names(matrix, &rule.engage),
                rule.within_mins
            ));
        }
    }
    if let Some(level) = inject.severity.and_then(|l| matrix.severity(l))
        && !level.engage.is_empty()
    {
        lines.push(format!(
            "Escalate: at severity {} ({}), engage {} within {} min.",
            level.level,
            level.name,
            names(matrix, &level.engage),
            level.within_mins
        ));
    }
    for notice in &inject.notify {
        let (name, senders) = session.audience(notice.audience.as_str()).map_or_else(
            || (notice.audience.to_string(), String::new()),
            |a| {
                let senders = a
                    .senders
                    .iter()
                    .map(|r| matrix.role_name(r.as_str()).to_owned())
                    .collect();
                (a.name.clone(), crate::engine::session::either_list(senders))
            },
        );
        lines.push(format!(
            "Tell {name} within {} min (sent by {senders}).",
            notice.within_mins
        ));
    }
    for regime in inject
        .starts_reporting
        .iter()
        .filter_map(|id| matrix.regimes.iter().find(|r| r.id == *id))
    {
        let stages: Vec<String> = regime
            .stages
            .iter()
            .map(|s| format!("{} within {}", s.name.to_lowercase(), s.within.label()))
            .collect();
        lines.push(format!(
            "Reporting clock starts: {} to {}: {}.",
            regime.name,
            regime.recipient,
            stages.join(", then ")
        ));
    }
    lines.join("\n")
}

/// What `warroom import msel` needs beyond the rows to give the scenario back: the scenario's
/// own data (without its injects, which the rows carry) and the injects' order in the file.
fn round_trip_rows(scenario: &Scenario) -> Vec<Vec<String>> {
    let mut brief = scenario.clone();
    brief.injects.clear();
    vec![
        vec![
            super::msel_import::SCENARIO_DATA.to_owned(),
            ron::to_string(&brief).unwrap_or_default(),
        ],
        vec![
            "Inject order".to_owned(),
            scenario
                .injects
                .iter()
                .map(|i| i.id.to_string())
                .collect::<Vec<_>>()
                .join(" "),
        ],
    ]
}

/// The MSEL as CSV.
pub fn export_csv(scenario: &Arc<Scenario>, matrix: &Arc<Matrix>) -> String {
    let (header, mut rows) = msel_table(scenario, matrix);
    rows.insert(0, header);
    write_csv(&rows)
}

/// The MSEL as a workbook: the `MSEL` sheet, and the scenario's brief, objectives, references
/// and artifacts (in full) as sheets to read.
pub fn export_workbook(scenario: &Arc<Scenario>, matrix: &Arc<Matrix>) -> Result<Vec<u8>, String> {
    let (header, rows) = msel_table(scenario, matrix);
    let msel = SheetOut {
        name: "MSEL".into(),
        banner: vec![vec![format!(
            "{} \u{2014} under {}",
            scenario.title, matrix.name
        )]],
        header,
        rows,
        frozen_columns: 4,
        widths: vec![
            5.0, 20.0, 16.0, 28.0, 60.0, 28.0, 20.0, 12.0, 8.0, 36.0, 40.0, 70.0, 40.0, 20.0, 48.0,
            2.0,
        ],
        hidden_columns: vec![COLUMNS.len() as u16 - 1],
        printable: true,
        ..SheetOut::default()
    };
    let brief = SheetOut {
        name: "Scenario".into(),
        header: vec!["Item".into(), "Text".into()],
        rows: std::iter::once(vec!["Title".to_owned(), scenario.title.clone()])
            .chain(std::iter::once(vec![
                "Summary".to_owned(),
                scenario.summary.clone(),
            ]))
            .chain(std::iter::once(vec![
                "Length".to_owned(),
                format!("{} min", scenario.duration_mins),
            ]))
            .chain(
                scenario
                    .objectives
                    .iter()
                    .map(|o| vec!["Objective".to_owned(), o.text.clone()]),
            )
            .chain(scenario.references.iter().map(|r| {
                vec![
                    "Reference".to_owned(),
                    format!("{} {}: {}", r.framework, r.item, r.note),
                ]
            }))
            .chain(scenario.assets.iter().map(|a| {
                vec![
                    "Asset".to_owned(),
                    format!(
                        "{}: {}{}",
                        a.name,
                        a.description,
                        a.owner.as_ref().map_or_else(
                            || " (no owner on record)".to_owned(),
                            |o| format!(" (owner: {})", matrix.role_name(o.as_str()))
                        )
                    ),
                ]
            }))
            .chain(round_trip_rows(scenario))
            .collect(),
        frozen_columns: 1,
        widths: vec![14.0, 100.0],
        ..SheetOut::default()
    };
    let artifacts = SheetOut {
        name: "Artifacts".into(),
        header: vec![
            "Inject id".into(),
            "Kind".into(),
            "Title".into(),
            "Body".into(),
        ],
        rows: release_order(scenario)
            .into_iter()
            .flat_map(|inject| {
                inject.artifacts.iter().map(move |a| {
                    vec![
                        inject.id.to_string(),
                        a.kind.label().to_owned(),
                        a.title.clone(),
                        a.body.clone(),
                    ]
                })
            })
            .collect(),
        frozen_columns: 1,
        widths: vec![20.0, 12.0, 36.0, 100.0],
        ..SheetOut::default()
    };
    write_xlsx(&[msel, brief, artifacts])
}
