//! An MSEL spreadsheet read into a scenario. A column map (`MselMap`) says which sheet and which
//! columns hold the time, title, narrative, recipients, expected actions and notes, and what the
//! organisation calls its roles; the rows become injects, in order. Warroom's own export carries
//! each inject whole in a data column (and the scenario's brief on its `Scenario` sheet), so an
//! exported MSEL edited in a spreadsheet comes back as the scenario with the edits; a foreign MSEL
//! becomes a skeleton to finish, its expected actions matched to the plan's tasks.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::sheet::{Row, Sheet, read_csv};
use super::workbook::read_xlsx;
use crate::engine::content::validate::suggest;
use crate::engine::diagnostic::{Code, Diagnostic, Level};
use crate::engine::model::id::{ActionId, DecisionId, InjectId, RoleId, ScenarioId};
use crate::engine::model::matrix::Matrix;
use crate::engine::model::scenario::{
    ActionOption, DecisionPoint, Difficulty, Inject, Mode, Release, Scenario,
};

/// How to read an MSEL sheet. Column names are headers as the sheet writes them (any case and
/// spacing); the header row is the first of the top 20 rows that has the `time` column's header.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MselMap {
    /// The sheet to read (a workbook's first sheet with the time header when left out).
    #[serde(default)]
    pub sheet: Option<String>,
    /// The column of each row's time (`T+15`, `+15`, `D+1 H+2 M+30`, `00:15`, a clock time with
    /// `--start`). A row without one is a section heading, kept as a comment.
    pub time: String,
    /// The inject's title.
    pub title: String,
    /// What the room is told.
    #[serde(default)]
    pub narrative: Option<String>,
    /// The roles it goes to.
    #[serde(default)]
    pub to: Option<String>,
    /// What the players are expected to do: matched to the plan's task names.
    #[serde(default)]
    pub expected: Option<String>,
    /// Columns kept as facilitator notes.
    #[serde(default)]
    pub notes: Vec<String>,
    /// The inject's id (made from the title when left out).
    #[serde(default)]
    pub id: Option<String>,
    /// Warroom's data column: the whole inject as its export wrote it.
    #[serde(default)]
    pub data: Option<String>,
    /// What the sheet calls roles, by role id: `{"SOC Lead": "soc"}` (role names, short names, ids
    /// and aliases are known without it).
    #[serde(default)]
    pub roles: BTreeMap<String, String>,
}

/// The maps that ship: Warroom's own export, and the HSEEP-style layout of exercise platforms'
/// MSEL workbooks (a title above, `Time`, `Inject Title`, `Description`, `To`, `Expected Player
/// Action`, `Notes`).
pub fn builtin_map(name: &str) -> Option<MselMap> {
    let text = match name {
        "warroom" => include_str!("maps/warroom.ron"),
        "hseep" => include_str!("maps/hseep.ron"),
        _ => return None,
    };
    ron::from_str(text).ok()
}

/// The names of the maps that ship.
pub const BUILTIN_MAPS: [&str; 2] = ["warroom", "hseep"];

/// The shipped map a file's layout is in, if any: one of its sheets has a header row with the
/// map's time and title columns.
pub fn detect_map(path: &Path, bytes: &[u8]) -> Option<&'static str> {
    let sheets = if super::is_workbook(path) {
        read_xlsx(path, bytes, |_| true).ok()?
    } else {
        vec![read_csv(path, bytes).ok()?]
    };
    BUILTIN_MAPS.into_iter().find(|name| {
        builtin_map(name).is_some_and(|map| {
            sheets.iter().any(|sheet| {
                header_row(sheet, &map.time).is_some_and(|row| {
                    row.cells()
                        .any(|(_, text)| normalise(text) == normalise(&map.title))
                })
            })
        })
    })
}

/// The header of the export's data column.
pub const DATA_COLUMN: &str = "Warroom data (do not edit)";
/// The `Scenario` sheet's key for the scenario's own data.
pub const SCENARIO_DATA: &str = "Warroom data";

/// What to import with.
#[derive(Clone, Debug, Default)]
pub struct MselOptions {
    /// The clock time of minute 0 (`HH:MM` as minutes of the day), for sheets that give clock
    /// times.
    pub start: Option<u32>,
    /// The scenario's id (the file's name when left out).
    pub id: Option<String>,
}

/// What an MSEL made.
#[derive(Clone, Debug)]
pub struct ImportedMsel {
    /// The scenario.
    pub scenario: Scenario,
    /// The scenario as RON, section headings kept as comments.
    pub text: String,
    /// One line per row, for a dry run.
    pub rows: Vec<String>,
    /// What is worth a look: names that matched no role, expected actions that matched no task.
    pub warnings: Vec<Diagnostic>,
}

fn normalise(text: &str) -> String {
    text.replace(['\u{2018}', '\u{2019}'], "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A time as MSELs write it, in minutes from the start: `T+15`, `+15`, `15`, `T+1:30`,
/// `D+1 H+2 M+30`, `00:15` (an offset), or with `start` a clock time (`09:15`, `Day 2 09:15`).
/// `Ok(None)` for an empty cell; text after a leading time (`T+15 (Wed 14:17)`) is ignored.
pub fn parse_time(text: &str, start: Option<u32>) -> Result<Option<u32>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let bad = || {
        format!(
            "`{text}` is not a time Warroom reads: write T+15, +15, D+1 H+2 M+30 or 00:15{}",
            if start.is_some() {
                ", or a clock time such as 09:15"
            } else {
                " (clock times need --start)"
            }
        )
    };
    let hhmm = |s: &str| -> Option<u32> {
        let (h, m) = s.split_once(':')?;
        let (h, m): (u32, u32) = (h.trim().parse().ok()?, m.trim().parse().ok()?);
        (m < 60).then_some(h * 60 + m)
    };
    let upper = text.to_ascii_uppercase();
    // D+1 H+2 M+30, in any order and any subset.
    if upper.contains("D+") || upper.contains("H+") || upper.contains("M+") {
        let mut total = 0u32;
        for part in upper.split_whitespace() {
            let (unit, n) = part.split_once('+').ok_or_else(bad)?;
            let n: u32 = n.parse().map_err(|_| bad())?;
            total += match unit {
                "D" => n * 1440,
                "H" => n * 60,
                "M" | "T" => n,
                _ => return Err(bad()),
            };
        }
        return Ok(Some(total));
    }
    let lead: String = {
        let rest = upper
            .strip_prefix("T+")
            .or_else(|| upper.strip_prefix('+'))
            .map(str::trim_start);
        let body = rest.unwrap_or(&upper);
        body.chars()
            .take_while(|c| c.is_ascii_digit() || *c == ':')
            .collect()
    };
    if lead.is_empty() {
        // `Day 2 09:15` with a start.
        if let (Some(start), Some(rest)) = (start, upper.strip_prefix("DAY ")) {
            let (day, time) = rest.split_once(' ').ok_or_else(bad)?;
            let day: u32 = day.trim().parse().map_err(|_| bad())?;
            let at = hhmm(time).ok_or_else(bad)?;
            return Ok(Some(
                day.saturating_sub(1) * 1440 + at + 1440 * u32::from(at < start) - start,
            ));
        }
        return Err(bad());
    }
    let relative = upper.starts_with("T+") || upper.starts_with('+');
    if lead.contains(':') {
        let at = hhmm(&lead).ok_or_else(bad)?;
        return Ok(Some(match start {
            // A clock time: minutes after the start, into the next day when earlier.
            Some(start) if !relative => {
                if at >= start {
                    at - start
                } else {
                    at + 1440 - start
                }
            }
            _ => at,
        }));
    }
    lead.parse().map(Some).map_err(|_| bad())
}

/// Reads an MSEL file (`.xlsx` or `.csv`) with a column map into a scenario played under
/// `matrix`. Every problem is reported at once, at its cell.
pub fn import_msel(
    path: &Path,
    bytes: &[u8],
    map: &MselMap,
    matrix: &Matrix,
    options: &MselOptions,
) -> Result<ImportedMsel, Vec<Diagnostic>> {
    let sheets = if super::is_workbook(path) {
        read_xlsx(path, bytes, |_| true)?
    } else {
        vec![read_csv(path, bytes)?]
    };
    let has_time_header = |sheet: &Sheet| header_row(sheet, &map.time).is_some();
    let sheet = match &map.sheet {
        Some(name) if super::is_workbook(path) => sheets.iter().find(|s| {
            s.name
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        }),
        _ => sheets.iter().find(|s| has_time_header(s)),
    };
    let Some(sheet) = sheet else {
        return Err(vec![
            Diagnostic::file_error(
                Code::MissingSheet,
                path,
                format!(
                    "no sheet has a `{}` column{}",
                    map.time,
                    map.sheet
                        .as_ref()
                        .map_or_else(String::new, |s| format!(" (the map names sheet `{s}`)"))
                ),
            )
            .with_hint("check the map's `sheet` and `time`, or pass another `--map`"),
        ]);
    };
    let Some(header) = header_row(sheet, &map.time) else {
        return Err(vec![
            Diagnostic::file_error(
                Code::UnknownColumn,
                path,
                format!("{} has no `{}` column", sheet.describe(), map.time),
            )
            .with_hint("the map's `time` names the header of the column of times"),
        ]);
    };
    let mut problems = Vec::new();
    let column = |name: &str| {
        header
            .cells()
            .find(|(_, text)| normalise(text) == normalise(name))
            .map(|(c, _)| c)
    };
    let mut find = |name: Option<&String>, required: bool| -> Option<usize> {
        let name = name?;
        let found = column(name);
        if found.is_none() && required {
            let known: Vec<&str> = header.cells().map(|(_, t)| t).collect();
            let mut problem = sheet.problem(
                (header.number, 0),
                Code::UnknownColumn,
                &format!("the header row has no `{name}` column the map names"),
            );
            problem.hint = suggest(name, known);
            problems.push(problem);
        }
        found
    };
    let time_col = find(Some(&map.time), true);
    let title_col = find(Some(&map.title), true);
    let narrative_col = find(map.narrative.as_ref(), true);
    let to_col = find(map.to.as_ref(), false);
    let expected_col = find(map.expected.as_ref(), false);
    let id_col = find(map.id.as_ref(), false);
    let data_col = find(map.data.as_ref(), false);
    let note_cols: Vec<usize> = map.notes.iter().filter_map(|n| column(n)).collect();
    let (Some(time_col), Some(title_col)) = (time_col, title_col) else {
        return Err(problems);
    };

    let base = scenario_data(&sheets, path, options, matrix)?;
    let mut scenario = base.clone();
    scenario.injects.clear();
    let mut warnings = Vec::new();
    let mut lines = Vec::new();
    let mut comments: Vec<(usize, String)> = Vec::new();
    let mut used_ids: BTreeMap<String, usize> = BTreeMap::new();
    for row in sheet.rows.iter().filter(|r| r.number > header.number) {
        let data = data_col.map(|c| row.get(c)).filter(|t| !t.is_empty());
        let time = match parse_time(row.get(time_col), options.start) {
            Ok(time) => time,
            // Warroom's export writes a condition in words; its data holds the condition.
            Err(_) if data.is_some() => None,
            Err(why) => {
                problems.push(sheet.problem((row.number, time_col), Code::InvalidDuration, &why));
                continue;
            }
        };
        let mut inject = match data {
            Some(text) => match ron::from_str::<Inject>(text) {
                Ok(inject) => inject,
                Err(e) => {
                    problems.push(sheet.problem(
                        (row.number, data_col.unwrap_or(0)),
                        Code::ParseError,
                        &format!("the data column is not an inject Warroom wrote: {e}"),
                    ));
                    continue;
                }
            },
            None if time.is_none() => {
                // A section heading: kept as a comment before the next inject.
                let heading = row.cells().map(|(_, t)| t).collect::<Vec<_>>().join(" · ");
                lines.push(format!(
                    "row {}: section \u{201c}{heading}\u{201d}",
                    row.number
                ));
                comments.push((scenario.injects.len(), heading));
                continue;
            }
            None => blank_inject(),
        };
        let cell = |c: Option<usize>| c.map(|c| row.get(c)).filter(|t| !t.is_empty());
        if let Some(minute) = time
            && (data.is_none() || matches!(inject.release, Release::At(_)))
        {
            inject.release = Release::At(minute);
        }
        if let Some(title) = cell(Some(title_col)) {
            title.clone_into(&mut inject.title);
        }
        if let Some(narrative) = cell(narrative_col) {
            narrative.clone_into(&mut inject.narrative);
        }
        if data.is_none() {
            // A sequence number (`1`, `2`) says nothing in a log; the title does.
            let id = match cell(id_col) {
                Some(id) if !id.chars().all(|c| c.is_ascii_digit()) => slug(id),
                _ => slug(&inject.title),
            };
            inject.id = InjectId::new(unique(&id, &mut used_ids));
            if let Some(to) = cell(to_col) {
                inject.to = roles_named(
                    to,
                    matrix,
                    map,
                    sheet,
                    (row.number, to_col.unwrap_or(0)),
                    &mut warnings,
                );
            }
            let mut notes: Vec<String> = note_cols
                .iter()
                .map(|c| row.get(*c))
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect();
            if let Some(expected) = cell(expected_col) {
                let (decision, unmatched) = expected_actions(
                    expected,
                    &inject.id,
                    matrix,
                    sheet,
                    (row.number, expected_col.unwrap_or(0)),
                    &mut warnings,
                );
                if let Some(decision) = decision {
                    inject.decisions.push(decision);
                }
                if !unmatched.is_empty() {
                    notes.push(format!("Expected: {}", unmatched.join("; ")));
                }
            }
            inject.facilitator_notes = notes.join("\n");
        } else {
            used_ids.insert(inject.id.to_string(), 1);
        }
        lines.push(format!(
            "row {}: {} inject `{}` \u{201c}{}\u{201d}{}{}",
            row.number,
            match inject.release {
                Release::At(m) => format!("T+{m:02}"),
                Release::When(_) => "when its condition holds,".to_owned(),
            },
            inject.id,
            inject.title,
            if inject.to.is_empty() {
                String::new()
            } else {
                format!(
                    " to {}",
                    inject
                        .to
                        .iter()
                        .map(|r| matrix.role_name(r.as_str()))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            },
            match inject
                .decisions
                .iter()
                .map(|d| d.actions.len())
                .sum::<usize>()
            {
                0 => String::new(),
                n => format!("; {n} option{}", if n == 1 { "" } else { "s" }),
            }
        ));
        scenario.injects.push(inject);
    }
    if problems.iter().any(Diagnostic::is_error) {
        return Err(problems);
    }
    reorder_as_written(&mut scenario, &base_order(&sheets));
    if base.injects.is_empty() && base.duration_mins == 0 {
        // A skeleton runs a quarter of an hour past its last timed inject.
        let last = scenario
            .injects
            .iter()
            .filter_map(|i| match i.release {
                Release::At(m) => Some(m),
                Release::When(_) => None,
            })
            .max()
            .unwrap_or(0);
        scenario.duration_mins = (last + 15).div_ceil(5) * 5;
    }
    let text = scenario_text(&scenario, &comments).map_err(|e| {
        vec![Diagnostic::file_error(
            Code::ParseError,
            path,
            format!("the scenario could not be written: {e}"),
        )]
    })?;
    warnings.extend(problems);
    Ok(ImportedMsel {
        scenario,
        text,
        rows: lines,
        warnings,
    })
}

fn header_row<'s>(sheet: &'s Sheet, time: &str) -> Option<&'s Row> {
    sheet
        .rows
        .iter()
        .take(20)
        .find(|row| row.cells().any(|(_, t)| normalise(t) == normalise(time)))
}

fn blank_inject() -> Inject {
    Inject::new("inject", "", Release::At(0), "")
}

/// An id made of a title: `Ransom note arrives` → `ransom-note-arrives`.
fn slug(title: &str) -> String {
    crate::engine::text::slug(title).unwrap_or_else(|| "inject".to_owned())
}

fn unique(id: &str, used: &mut BTreeMap<String, usize>) -> String {
    let n = used.entry(id.to_owned()).or_insert(0);
    *n += 1;
    if *n == 1 {
        id.to_owned()
    } else {
        format!("{id}-{n}")
    }
}

/// Roles named in a cell: by the map's names, role names, short names, ids or aliases.
fn roles_named(
    text: &str,
    matrix: &Matrix,
    map: &MselMap,
    sheet: &Sheet,
    at: (usize, usize),
    warnings: &mut Vec<Diagnostic>,
) -> Vec<RoleId> {
    let mut out: Vec<RoleId> = Vec::new();
    for name in text
        .split([',', ';', '/', '\n'])
        .flat_map(|part| part.split(" and "))
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        let wanted = normalise(name);
        let mapped = map
            .roles
            .iter()
            .find(|(k, _)| normalise(k) == wanted)
            .map(|(_, id)| id.clone());
        let found = mapped.or_else(|| {
            matrix
                .roles
                .iter()
                .find(|r| {
                    normalise(r.id.as_str()) == wanted
                        || normalise(&r.name) == wanted
                        || normalise(&r.short) == wanted
                })
                .map(|r| r.id.to_string())
                .or_else(|| {
                    matrix
                        .aliases
                        .iter()
                        .find(|a| normalise(&a.id) == wanted)
                        .map(|a| a.is.to_string())
                })
        });
        match found {
            Some(id) if matrix.role(&id).is_some() => {
                let id = RoleId::new(id);
                if !out.contains(&id) {
                    out.push(id);
                }
            }
            _ if matches!(
                wanted.as_str(),
                "all" | "everyone" | "all players" | "the whole room"
            ) => {}
            _ => {
                let mut warning = sheet.problem(
                    at,
                    Code::UnknownRole,
                    &format!(
                        "`{name}` is not a role of matrix `{}`; the inject goes to the whole room",
                        matrix.id
                    ),
                );
                warning.level = Level::Warning;
                warning.hint = suggest(name, matrix.roles.iter().map(|r| r.name.as_str()))
                    .or_else(|| Some("name the role in the map's `roles`".to_owned()));
                warnings.push(warning);
            }
        }
    }
    out
}

/// Expected actions matched to the plan's tasks, one option each; what matches no task is
/// handed back for the facilitator notes.
fn expected_actions(
    text: &str,
    inject: &InjectId,
    matrix: &Matrix,
    sheet: &Sheet,
    at: (usize, usize),
    warnings: &mut Vec<Diagnostic>,
) -> (Option<DecisionPoint>, Vec<String>) {
    let mut options: Vec<ActionOption> = Vec::new();
    let mut unmatched = Vec::new();
    for item in text
        .split(['\n', ';'])
        .map(|s| s.trim().trim_start_matches(['-', '•', '*']).trim())
        .filter(|s| !s.is_empty())
    {
        let wanted = normalise(item);
        let task = matrix.tasks.iter().find(|t| {
            let name = normalise(&t.name);
            wanted == name || wanted.contains(&name) || wanted == normalise(t.id.as_str())
        });
        if let Some(task) = task {
            if !options.iter().any(|o| o.task == task.id) {
                options.push(ActionOption {
                    id: ActionId::new(format!("{inject}-{}", task.id).replace('_', "-")),
                    label: item.to_owned(),
                    task: task.id.clone(),
                    target: None,
                    sets: Vec::new(),
                    misdirected: None,
                    records_owner: None,
                });
            }
        } else {
            let mut warning = sheet.problem(
                at,
                Code::UnknownTask,
                &format!(
                    "\u{201c}{item}\u{201d} matches no task of the plan; kept in the facilitator notes"
                ),
            );
            warning.level = Level::Warning;
            warning.hint = suggest(item, matrix.tasks.iter().map(|t| t.name.as_str()));
            warnings.push(warning);
            unmatched.push(item.to_owned());
        }
    }
    let decision = (!options.is_empty()).then(|| DecisionPoint {
        id: DecisionId::new(format!("d-{inject}")),
        prompt: "What now, and who does it?".to_owned(),
        actions: options,
        expires_after_mins: None,
        required: true,
    });
    (decision, unmatched)
}

/// The scenario's own data from a Warroom workbook's `Scenario` sheet, else a skeleton named
/// after the file.
fn scenario_data(
    sheets: &[Sheet],
    path: &Path,
    options: &MselOptions,
    matrix: &Matrix,
) -> Result<Scenario, Vec<Diagnostic>> {
    let row = sheets
        .iter()
        .filter(|s| {
            s.name
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case("Scenario"))
        })
        .flat_map(|s| s.rows.iter().map(move |r| (s, r)))
        .find(|(_, r)| r.get(0) == SCENARIO_DATA);
    if let Some((sheet, row)) = row {
        return ron::from_str::<Scenario>(row.get(1)).map_err(|e| {
            vec![sheet.problem(
                (row.number, 1),
                Code::ParseError,
                &format!("the scenario's data is not what Warroom wrote: {e}"),
            )]
        });
    }
    let stem = path
        .file_stem()
        .map_or_else(|| "imported".to_owned(), |s| slug(&s.to_string_lossy()));
    let id = options.id.clone().unwrap_or(stem);
    let mut skeleton: Scenario = ron::from_str(&format!(
        "Scenario(id: \"{id}\", title: \"\", summary: \"\", difficulty: Intermediate, modes: [Facilitated], duration_mins: 0, objectives: [], assets: [], injects: [])"
    ))
    .map_err(|e| vec![Diagnostic::file_error(Code::ParseError, path, e.to_string())])?;
    skeleton.id = ScenarioId::new(id);
    skeleton.title = format!(
        "{} (imported)",
        path.file_stem()
            .map_or_else(String::new, |s| s.to_string_lossy().into_owned())
    );
    skeleton.summary = format!(
        "Imported from {}; grade it against `{}` once its decisions and assets are filled in.",
        path.file_name()
            .map_or_else(String::new, |s| s.to_string_lossy().into_owned()),
        matrix.id
    );
    skeleton.difficulty = Difficulty::Intermediate;
    skeleton.modes = vec![Mode::Facilitated];
    Ok(skeleton)
}

/// The injects' order as the scenario file had it, from a Warroom workbook's `Scenario` sheet.
fn base_order(sheets: &[Sheet]) -> Vec<String> {
    sheets
        .iter()
        .filter(|s| {
            s.name
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case("Scenario"))
        })
        .flat_map(|s| s.rows.iter())
        .find(|r| r.get(0) == "Inject order")
        .map(|r| r.get(1).split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default()
}

/// Puts the injects back in the order the scenario file had (the export lists them in release
/// order; within a minute, file order decides what comes first).
fn reorder_as_written(scenario: &mut Scenario, order: &[String]) {
    if order.is_empty() {
        return;
    }
    let position = |id: &str| order.iter().position(|o| o == id).unwrap_or(usize::MAX);
    scenario
        .injects
        .sort_by_key(|inject| position(inject.id.as_str()));
}

/// The scenario as RON, each section heading of the sheet a comment before its first inject.
fn scenario_text(scenario: &Scenario, comments: &[(usize, String)]) -> Result<String, ron::Error> {
    let config = ron::ser::PrettyConfig::new().struct_names(true);
    let text = ron::ser::to_string_pretty(scenario, config)?;
    if comments.is_empty() {
        return Ok(format!("{text}\n"));
    }
    let mut out = String::new();
    let mut inject = 0;
    for line in text.lines() {
        if line == "        Inject(" {
            for (_, heading) in comments.iter().filter(|(at, _)| *at == inject) {
                let _ = writeln!(out, "        // {}", heading.replace('\n', " "));
            }
            inject += 1;
        }
        out.push_str(line);
        out.push('\n');
    }
    Ok(out)
}
