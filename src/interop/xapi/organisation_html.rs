//! The organisation's report as one self-contained HTML file: a heat map of roles × dimensions
//! (inline SVG), the responsibilities most often broken, cohorts, and the months. Every piece of
//! text from statements or content is escaped.

use std::fmt::Write as _;

use super::organisation::{OrganisationReport, ratio};
use crate::engine::model::matrix::Dimension;
use crate::engine::reports::aar::esc;

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1100px;\
color:#1d232b;padding:0 1rem}h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}\
table{border-collapse:collapse;width:100%;font-size:.92rem}th,td{text-align:left;\
padding:.35rem .5rem;border-bottom:1px solid #dde2e8;vertical-align:top}th{background:#f2f4f7}\
td.n{text-align:right;font-variant-numeric:tabular-nums}td.k{white-space:nowrap}.lead{color:#4a5561}\
figure{margin:1rem 0}figcaption{color:#4a5561;font-size:.9rem}\
@media print{body{margin:0}h2{break-after:avoid}}";

/// What a deduction that falls on no single role is listed under.
pub const NO_ROLE: &str = "No single role";

/// Cell width and height of the heat map, and the width of its role column.
const CELL_W: usize = 110;
const CELL_H: usize = 34;
const LABEL_W: usize = 230;

/// What a table shows where there is nothing to show.
const DASH: &str = "—";

fn number(value: f64) -> String {
    format!("{value:.1}")
}

fn percent(share: f64) -> String {
    format!("{:.0} %", share * 100.0)
}

fn or_dash(value: Option<f64>, shown: fn(f64) -> String) -> String {
    value.map_or_else(|| DASH.to_owned(), shown)
}

/// A table cell: its text (escaped when written) and how it is set.
enum Cell {
    /// Prose, wrapping.
    Text(String),
    /// A row's name that must not wrap (a month, a cohort).
    Key(String),
    /// A figure, right-aligned.
    Number(String),
}

/// A table of `headers` and `rows`; every piece of text is escaped here.
fn table(out: &mut String, headers: &[&str], rows: impl Iterator<Item = Vec<Cell>>) {
    out.push_str("<table><thead><tr>");
    for header in headers {
        let _ = write!(out, "<th>{}</th>", esc(header));
    }
    out.push_str("</tr></thead><tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            let (class, text) = match &cell {
                Cell::Text(text) => ("", text),
                Cell::Key(text) => (" class=\"k\"", text),
                Cell::Number(text) => (" class=\"n\"", text),
            };
            let _ = write!(out, "<td{class}>{}</td>", esc(text));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>\n");
}

/// Red of a cell: white at nothing lost, deep red at the most lost anywhere.
fn shade(value: f64, max: f64) -> String {
    let t = if max > 0.0 {
        (value / max).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let channel = |from: f64, to: f64| (from + (to - from) * t).round();
    format!(
        "rgb({},{},{})",
        channel(255.0, 190.0),
        channel(255.0, 30.0),
        channel(255.0, 45.0)
    )
}

/// The heat map: one row per role (most points lost first), one column per dimension.
fn heat_map(report: &OrganisationReport, role_name: &dyn Fn(&str) -> String) -> String {
    let mut rows: Vec<(&String, f64)> = report
        .heat
        .iter()
        .map(|(role, cells)| (role, cells.values().sum()))
        .collect();
    rows.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    let max = report
        .heat
        .values()
        .flat_map(|cells| cells.values().copied())
        .fold(0.0_f64, f64::max);
    let width = LABEL_W + CELL_W * Dimension::ALL.len();
    // The header holds each dimension's name on up to two lines.
    let header = CELL_H + 14;
    let height = header + CELL_H * rows.len();
    let mut svg = format!(
        "<svg role=\"img\" aria-label=\"Points lost per exercise by role and dimension\" \
         xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\" font-family=\"system-ui,sans-serif\" font-size=\"13\">\n"
    );
    for (column, dimension) in Dimension::ALL.iter().enumerate() {
        let x = LABEL_W + column * CELL_W + CELL_W / 2;
        let label = dimension.label();
        let lines: Vec<&str> = match label.split_once(' ') {
            Some((first, rest)) => vec![first, rest],
            None => vec![label],
        };
        let top = header - 8 - 16 * lines.len() + 16;
        let _ = write!(
            svg,
            "<text x=\"{x}\" y=\"{top}\" text-anchor=\"middle\" font-weight=\"600\">"
        );
        for (n, line) in lines.iter().enumerate() {
            let dy = if n == 0 { "0" } else { "16" };
            let _ = write!(svg, "<tspan x=\"{x}\" dy=\"{dy}\">{}</tspan>", esc(line));
        }
        svg.push_str("</text>\n");
    }
    for (row, (role, _)) in rows.iter().enumerate() {
        let y = header + CELL_H * row;
        let _ = writeln!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            LABEL_W - 10,
            y + CELL_H / 2 + 5,
            esc(&role_name(role))
        );
        for (column, dimension) in Dimension::ALL.iter().enumerate() {
            let value = report.heat[*role].get(dimension).copied().unwrap_or(0.0);
            let x = LABEL_W + column * CELL_W;
            let _ = writeln!(
                svg,
                "<rect x=\"{x}\" y=\"{y}\" width=\"{}\" height=\"{}\" fill=\"{}\" stroke=\"#fff\"><title>{}: {} — {} points per exercise</title></rect>",
                CELL_W,
                CELL_H,
                shade(value, max),
                esc(&role_name(role)),
                esc(dimension.label()),
                number(value)
            );
            if value > 0.0 {
                let ink = if max > 0.0 && value / max > 0.55 {
                    "#fff"
                } else {
                    "#1d232b"
                };
                let _ = writeln!(
                    svg,
                    "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{ink}\">{}</text>",
                    x + CELL_W / 2,
                    y + CELL_H / 2 + 5,
                    number(value)
                );
            }
        }
    }
    svg.push_str("</svg>");
    svg
}

/// The whole report. `role_name` gives a role id's name under the organisation's plan; `source`
/// says where the statements came from.
pub fn to_html(
    report: &OrganisationReport,
    role_name: &dyn Fn(&str) -> String,
    source: &str,
) -> String {
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>Where the plan breaks: organisation report</title>\n<style>{STYLE}</style>\n\
         </head>\n<body>\n<h1>Where the plan breaks: organisation report</h1>\n\
         <p class=\"lead\">{} learners · {} finished exercises · {} quiz answers · from {}</p>\n",
        report.learners,
        report.runs,
        report.answers,
        esc(source)
    );
    if report.runs == 0 && report.answers == 0 {
        out.push_str("<p>No Warroom exercise or quiz answer was found.</p>\n</body>\n</html>\n");
        return out;
    }
    if !report.heat.is_empty() {
        let _ = write!(
            out,
            "<h2>Roles × dimensions</h2>\n<figure>{}<figcaption>Average points lost per finished \
             exercise, by the role a deduction falls on and its dimension (darker: more lost).\
             </figcaption></figure>\n",
            heat_map(report, role_name)
        );
    }
    if !report.broken.is_empty() {
        out.push_str("<h2>Responsibilities most often broken</h2>\n");
        let rows = report.broken.iter().take(20).map(|b| {
            let roles: Vec<String> = b.roles.iter().map(|r| role_name(r)).collect();
            vec![
                Cell::Text(b.cites.clone()),
                Cell::Text(b.dimension.label().to_owned()),
                Cell::Text(if roles.is_empty() {
                    NO_ROLE.to_owned()
                } else {
                    roles.join(", ")
                }),
                Cell::Number(b.times.to_string()),
                Cell::Number(b.learners.to_string()),
                Cell::Number(number(b.points)),
            ]
        });
        let headers = [
            "Responsibility (as the plan words it)",
            "Dimension",
            "Falls on",
            "Times",
            "Learners",
            "Points lost",
        ];
        table(&mut out, &headers, rows);
    }
    out.push_str(
        "<h2>By cohort</h2>\n<p class=\"lead\">A learner's cohort is the quarter of their first \
         record.</p>\n",
    );
    let rows = report.cohorts.iter().map(|c| {
        vec![
            Cell::Key(c.name.clone()),
            Cell::Number(c.learners.to_string()),
            Cell::Number(c.runs.to_string()),
            Cell::Number(or_dash(c.average, number)),
            Cell::Text(c.most_broken.clone().unwrap_or_else(|| DASH.to_owned())),
        ]
    });
    let headers = [
        "Cohort",
        "Learners",
        "Exercises",
        "Average score",
        "Most often broken",
    ];
    table(&mut out, &headers, rows);
    out.push_str("<h2>Over time</h2>\n");
    let rows = report.months.iter().map(|m| {
        vec![
            Cell::Key(m.name.clone()),
            Cell::Number(m.runs.to_string()),
            Cell::Number(or_dash(m.average, number)),
            Cell::Number(or_dash(m.deductions_per_run, number)),
            Cell::Number(m.answers.to_string()),
            Cell::Number(or_dash(m.right, percent)),
        ]
    });
    let headers = [
        "Month",
        "Exercises",
        "Average score",
        "Deductions per exercise",
        "Quiz answers",
        "Right",
    ];
    table(&mut out, &headers, rows);
    if !report.quiz.is_empty() {
        out.push_str("<h2>Question bank by dimension</h2>\n");
        let rows = report.quiz.iter().map(|(dimension, (right, asked))| {
            vec![
                Cell::Text(dimension.label().to_owned()),
                Cell::Number(format!("{right} / {asked}")),
                Cell::Number(or_dash(ratio(*right, *asked), percent)),
            ]
        });
        table(&mut out, &["Dimension", "Right / asked", "Right"], rows);
    }
    out.push_str(
        "<footer><p class=\"lead\">Generated by Warroom.</p></footer>\n</body>\n</html>\n",
    );
    out
}
