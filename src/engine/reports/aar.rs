//! The after-action report / improvement plan (HSEEP style) of an exercise: overview, objectives
//! and how they were met, timeline, scores and findings by dimension and by role, observer notes,
//! hotwash, and an improvement-plan table. Rendered as Markdown or as one self-contained HTML file
//! (inline CSS, charts as inline SVG) in which every piece of scenario or user text is escaped.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::engine::exercise::ExerciseRecord;
use crate::engine::model::id::RoleId;
use crate::engine::model::matrix::Dimension;
use crate::engine::reports::scorecard::{md_escape, timeline};
use crate::engine::scoring::{FindingKind, Scorecard, score};
use crate::engine::session::Session;

/// Dimension scores at or above this meet an objective; at or above [`PARTLY`] partly meet it.
pub const MET: u32 = 85;
/// See [`MET`].
pub const PARTLY: u32 = 60;

/// How an objective was met.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rating {
    /// Every dimension it rests on scored at least [`MET`].
    Met,
    /// The weakest scored at least [`PARTLY`].
    PartlyMet,
    /// Below that.
    NotMet,
    /// The objective names no dimension; the facilitator judges it from the notes.
    NotAssessed,
}

impl Rating {
    /// Human label (HSEEP wording).
    pub fn label(self) -> &'static str {
        match self {
            Self::Met => "Performed without challenges",
            Self::PartlyMet => "Performed with some challenges",
            Self::NotMet => "Performed with major challenges",
            Self::NotAssessed => "Not assessed by the scorecard",
        }
    }
}

/// One objective and how it was met.
#[derive(Clone, Debug, PartialEq)]
pub struct ObjectiveRow {
    /// Its text.
    pub text: String,
    /// The rating.
    pub rating: Rating,
    /// The scores it rests on ("Evidence preservation 100").
    pub evidence: String,
}

/// One line of the improvement plan.
#[derive(Clone, Debug, PartialEq)]
pub struct ImprovementRow {
    /// The capability (dimension) or "Hotwash".
    pub capability: String,
    /// The issue observed.
    pub issue: String,
    /// What to do about it.
    pub action: String,
    /// The role that owns the action.
    pub owner: String,
}

/// One row of the exercise timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct TimelineEntry {
    /// Scenario minute.
    pub minute: u32,
    /// "Inject", "Decision", "Ad-hoc inject" or "Observation".
    pub kind: &'static str,
    /// What happened.
    pub text: String,
    /// What the matrix expected, if it says.
    pub expected: Option<String>,
}

/// Per-role tally of findings.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RoleRow {
    /// Role name.
    pub role: String,
    /// People who played it.
    pub people: Vec<String>,
    /// Credits.
    pub credits: usize,
    /// Deductions.
    pub deductions: usize,
    /// Points lost.
    pub points_lost: i32,
}

/// The report's content, rendered by [`AfterActionReport::markdown`] and [`AfterActionReport::html`].
#[derive(Clone, Debug, PartialEq)]
pub struct AfterActionReport {
    /// Scenario title.
    pub title: String,
    /// Scenario summary.
    pub summary: String,
    /// Exercise date (UTC, YYYY-MM-DD).
    pub date: String,
    /// Mode label.
    pub mode: String,
    /// Facilitator.
    pub facilitator: String,
    /// Matrix name.
    pub matrix: String,
    /// Seed.
    pub seed: u64,
    /// Minute reached, of the scenario's length.
    pub minutes: (u32, u32),
    /// Participants by role name.
    pub participants: Vec<(String, Vec<String>)>,
    /// Objectives.
    pub objectives: Vec<ObjectiveRow>,
    /// Timeline.
    pub timeline: Vec<TimelineEntry>,
    /// The scorecard.
    pub card: Scorecard,
    /// Findings per role.
    pub roles: Vec<RoleRow>,
    /// Observer notes: (minute, role, dimension, text).
    pub notes: Vec<(u32, String, String, String)>,
    /// Hotwash: (role, strengths, improvements).
    pub hotwash: Vec<(String, Vec<String>, Vec<String>)>,
    /// Improvement plan.
    pub plan: Vec<ImprovementRow>,
}

/// UTC calendar date of a Unix timestamp (civil-from-days, proleptic Gregorian).
pub fn utc_date(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

impl AfterActionReport {
    /// Builds the report of a record and its replayed session.
    pub fn build(record: &ExerciseRecord, session: &Session) -> Self {
        let scenario = session.scenario();
        let matrix = session.matrix();
        let card = score(session);
        let role_name = |r: &RoleId| matrix.role_name(r.as_str()).to_owned();

        let mut participants: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for p in &record.participants {
            participants
                .entry(role_name(&p.role))
                .or_default()
                .push(p.name.clone());
        }

        let objectives = scenario
            .objectives
            .iter()
            .map(|o| {
                let scores: Vec<(Dimension, u32)> = o
                    .dimensions
                    .iter()
                    .map(|d| (*d, card.dimension(*d)))
                    .collect();
                let rating = match scores.iter().map(|(_, s)| *s).min() {
                    None => Rating::NotAssessed,
                    Some(s) if s >= MET => Rating::Met,
                    Some(s) if s >= PARTLY => Rating::PartlyMet,
                    Some(_) => Rating::NotMet,
                };
                ObjectiveRow {
                    text: o.text.clone(),
                    rating,
                    evidence: scores
                        .iter()
                        .map(|(d, s)| format!("{} {s}", d.label()))
                        .collect::<Vec<_>>()
                        .join(", "),
                }
            })
            .collect();

        let mut entries: Vec<TimelineEntry> = timeline(session)
            .into_iter()
            .map(|row| TimelineEntry {
                minute: row.minute,
                kind: if row.by_player { "Decision" } else { "Inject" },
                text: row.actual,
                expected: row.expected,
            })
            .collect();
        entries.extend(record.adhoc_injects.iter().map(|a| TimelineEntry {
            minute: a.minute,
            kind: "Ad-hoc inject",
            text: format!("{}: {}", a.title, a.narrative),
            expected: None,
        }));
        entries.extend(record.notes.iter().map(|n| TimelineEntry {
            minute: n.minute,
            kind: "Observation",
            text: n.text.clone(),
            expected: None,
        }));
        // Stable: scenario order within a minute, facilitator additions after it.
        entries.sort_by_key(|e| e.minute);

        let mut roles: BTreeMap<String, RoleRow> = BTreeMap::new();
        for f in &card.findings {
            let Some(role) = &f.role else { continue };
            let row = roles.entry(role_name(role)).or_insert_with(|| RoleRow {
                role: role_name(role),
                people: record
                    .people_in(role)
                    .into_iter()
                    .map(str::to_owned)
                    .collect(),
                ..RoleRow::default()
            });
            match f.kind {
                FindingKind::Credit => row.credits += 1,
                FindingKind::Deduction => {
                    row.deductions += 1;
                    row.points_lost += f.points.abs();
                }
            }
        }

        let mut plan: Vec<ImprovementRow> = Vec::new();
        for f in card.deductions() {
            let owner = f
                .role
                .as_ref()
                .map_or_else(|| "Incident Response Manager".to_owned(), role_name);
            let row = ImprovementRow {
                capability: f.dimension.label().to_owned(),
                issue: f.message.clone(),
                action: f.advice.clone(),
                owner,
            };
            if !plan.contains(&row) {
                plan.push(row);
            }
        }
        for h in &record.hotwash {
            for issue in &h.improvements {
                plan.push(ImprovementRow {
                    capability: "Hotwash".to_owned(),
                    issue: issue.clone(),
                    action: "Agree a corrective action at the improvement-plan review.".to_owned(),
                    owner: role_name(&h.role),
                });
            }
        }

        Self {
            title: scenario.title.clone(),
            summary: scenario.summary.clone(),
            date: utc_date(record.started_at),
            mode: record.mode.label().to_owned(),
            facilitator: record.facilitator.clone(),
            matrix: matrix.name.clone(),
            seed: record.log.seed,
            minutes: (session.minute(), scenario.duration_mins),
            participants: participants.into_iter().collect(),
            objectives,
            timeline: entries,
            card,
            roles: roles.into_values().collect(),
            notes: record
                .notes
                .iter()
                .map(|n| {
                    (
                        n.minute,
                        n.role.as_ref().map(role_name).unwrap_or_default(),
                        n.dimension
                            .map(|d| d.label().to_owned())
                            .unwrap_or_default(),
                        n.text.clone(),
                    )
                })
                .collect(),
            hotwash: record
                .hotwash
                .iter()
                .map(|h| {
                    (
                        role_name(&h.role),
                        h.strengths.clone(),
                        h.improvements.clone(),
                    )
                })
                .collect(),
            plan,
        }
    }

    /// The report as Markdown; user and scenario text is escaped.
    pub fn markdown(&self) -> String {
        let e = md_escape;
        let mut o = String::new();
        let _ = writeln!(o, "# After-action report: {}\n", e(&self.title));
        let _ = writeln!(o, "## Exercise overview\n");
        let _ = writeln!(o, "| | |\n|---|---|");
        for (k, v) in self.overview() {
            let _ = writeln!(o, "| {k} | {} |", e(&v));
        }
        let _ = writeln!(o, "\n{}\n", e(&self.summary));
        let _ = writeln!(o, "### Participants\n");
        if self.participants.is_empty() {
            let _ = writeln!(o, "No participants were recorded.\n");
        }
        for (role, people) in &self.participants {
            let names: Vec<String> = people.iter().map(|p| e(p)).collect();
            let _ = writeln!(o, "- **{}**: {}", e(role), names.join(", "));
        }
        let _ = writeln!(
            o,
            "\n## Objectives\n\n| Objective | Rating | Scores |\n|---|---|---|"
        );
        for ob in &self.objectives {
            let _ = writeln!(
                o,
                "| {} | {} | {} |",
                e(&ob.text),
                ob.rating.label(),
                e(&ob.evidence)
            );
        }
        let _ = writeln!(
            o,
            "\n## Timeline\n\n| Minute | | What happened | What the matrix expected |\n|---|---|---|---|"
        );
        for t in &self.timeline {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} |",
                t.minute,
                t.kind,
                e(&t.text),
                t.expected.as_deref().map(e).unwrap_or_default()
            );
        }
        let _ = writeln!(
            o,
            "\n## Scores\n\n**Total: {}/100**\n\n| Dimension | Score |\n|---|---|",
            self.card.total
        );
        for d in Dimension::ALL {
            let _ = writeln!(o, "| {} | {} |", d.label(), self.card.dimension(d));
        }
        let _ = writeln!(o, "\n### Findings by dimension\n");
        for d in Dimension::ALL {
            let findings: Vec<_> = self
                .card
                .findings_in(d)
                .filter(|f| f.kind == FindingKind::Deduction)
                .collect();
            if findings.is_empty() {
                continue;
            }
            let _ = writeln!(o, "**{}**\n", d.label());
            for f in findings {
                let _ = writeln!(
                    o,
                    "- minute {}, {} points: {} *Responsibility:* {}",
                    f.minute,
                    f.points,
                    e(&f.message),
                    e(&f.citation)
                );
            }
            let _ = writeln!(o);
        }
        let _ = writeln!(
            o,
            "### Findings by role\n\n| Role | Played by | Credits | Deductions | Points lost |\n|---|---|---|---|---|"
        );
        for r in &self.roles {
            let people: Vec<String> = r.people.iter().map(|p| e(p)).collect();
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} |",
                e(&r.role),
                people.join(", "),
                r.credits,
                r.deductions,
                r.points_lost
            );
        }
        let _ = writeln!(o, "\n## Observer notes\n");
        if self.notes.is_empty() {
            let _ = writeln!(o, "None recorded.");
        }
        for (minute, role, dimension, text) in &self.notes {
            let tags: Vec<String> = [role, dimension]
                .iter()
                .filter(|t| !t.is_empty())
                .map(|t| e(t))
                .collect();
            let _ = writeln!(o, "- minute {minute} [{}]: {}", tags.join(", "), e(text));
        }
        let _ = writeln!(o, "\n## Hotwash\n");
        if self.hotwash.is_empty() {
            let _ = writeln!(o, "No hotwash was recorded.");
        }
        for (role, strengths, improvements) in &self.hotwash {
            let _ = writeln!(o, "**{}**\n", e(role));
            for s in strengths {
                let _ = writeln!(o, "- Strength: {}", e(s));
            }
            for i in improvements {
                let _ = writeln!(o, "- To improve: {}", e(i));
            }
            let _ = writeln!(o);
        }
        let _ = writeln!(
            o,
            "\n## Improvement plan\n\n| Capability | Issue | Corrective action | Owner (role) | Due date |\n|---|---|---|---|---|"
        );
        for p in &self.plan {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | ____ |",
                e(&p.capability),
                e(&p.issue),
                e(&p.action),
                e(&p.owner)
            );
        }
        o
    }

    fn overview(&self) -> Vec<(&'static str, String)> {
        vec![
            ("Scenario", self.title.clone()),
            ("Date", self.date.clone()),
            ("Mode", self.mode.clone()),
            (
                "Facilitator",
                if self.facilitator.is_empty() {
                    "—".to_owned()
                } else {
                    self.facilitator.clone()
                },
            ),
            ("Responsibility matrix", self.matrix.clone()),
            (
                "Scenario time",
                format!("{} of {} minutes", self.minutes.0, self.minutes.1),
            ),
            ("Seed", self.seed.to_string()),
        ]
    }

    /// The report as one self-contained HTML page; every piece of text is escaped.
    pub fn html(&self) -> String {
        let mut o = String::new();
        let _ = write!(
            o,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>After-action report: {}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
            esc(&self.title)
        );
        let _ = writeln!(o, "<h1>After-action report: {}</h1>", esc(&self.title));
        let _ = writeln!(o, "<h2>Exercise overview</h2>\n<table class=\"kv\">");
        for (k, v) in self.overview() {
            let _ = writeln!(o, "<tr><th>{k}</th><td>{}</td></tr>", esc(&v));
        }
        let _ = writeln!(
            o,
            "</table>\n<p>{}</p>\n<h3>Participants</h3>",
            esc(&self.summary)
        );
        if self.participants.is_empty() {
            let _ = writeln!(o, "<p>No participants were recorded.</p>");
        } else {
            let _ = writeln!(o, "<ul>");
            for (role, people) in &self.participants {
                let names: Vec<String> = people.iter().map(|p| esc(p)).collect();
                let _ = writeln!(
                    o,
                    "<li><strong>{}</strong>: {}</li>",
                    esc(role),
                    names.join(", ")
                );
            }
            let _ = writeln!(o, "</ul>");
        }
        let _ = writeln!(
            o,
            "<h2>Objectives</h2>\n<table><tr><th>Objective</th><th>Rating</th><th>Scores</th></tr>"
        );
        for ob in &self.objectives {
            let class = match ob.rating {
                Rating::Met => "good",
                Rating::PartlyMet => "fair",
                Rating::NotMet => "poor",
                Rating::NotAssessed => "",
            };
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td class=\"{class}\">{}</td><td>{}</td></tr>",
                esc(&ob.text),
                ob.rating.label(),
                esc(&ob.evidence)
            );
        }
        let _ = writeln!(
            o,
            "</table>\n<h2>Timeline</h2>\n<table><tr><th>Minute</th><th></th><th>What happened</th><th>What the matrix expected</th></tr>"
        );
        for t in &self.timeline {
            let _ = writeln!(
                o,
                "<tr><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                t.minute,
                t.kind,
                esc(&t.text),
                t.expected.as_deref().map(esc).unwrap_or_default()
            );
        }
        let _ = writeln!(
            o,
            "</table>\n<h2>Scores</h2>\n<p class=\"total\">Total: {}/100</p>",
            self.card.total
        );
        let bars: Vec<(String, u32)> = Dimension::ALL
            .iter()
            .map(|d| (d.label().to_owned(), self.card.dimension(*d)))
            .collect();
        o.push_str(&bar_chart("Score per dimension", &bars, 100));
        let _ = writeln!(o, "<h3>Findings by dimension</h3>");
        for d in Dimension::ALL {
            let findings: Vec<_> = self
                .card
                .findings_in(d)
                .filter(|f| f.kind == FindingKind::Deduction)
                .collect();
            if findings.is_empty() {
                continue;
            }
            let _ = writeln!(o, "<h4>{}</h4>\n<ul>", d.label());
            for f in findings {
                let _ = writeln!(
                    o,
                    "<li>minute {}, {} points: {} <em>Responsibility:</em> {}</li>",
                    f.minute,
                    f.points,
                    esc(&f.message),
                    esc(&f.citation)
                );
            }
            let _ = writeln!(o, "</ul>");
        }
        let _ = writeln!(o, "<h3>Findings by role</h3>");
        if !self.roles.is_empty() {
            let lost: Vec<(String, u32)> = self
                .roles
                .iter()
                .map(|r| (r.role.clone(), r.points_lost as u32))
                .collect();
            let max = lost.iter().map(|(_, v)| *v).max().unwrap_or(0).max(10);
            o.push_str(&bar_chart("Points lost per role", &lost, max));
        }
        let _ = writeln!(
            o,
            "<table><tr><th>Role</th><th>Played by</th><th>Credits</th><th>Deductions</th><th>Points lost</th></tr>"
        );
        for r in &self.roles {
            let people: Vec<String> = r.people.iter().map(|p| esc(p)).collect();
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                esc(&r.role),
                people.join(", "),
                r.credits,
                r.deductions,
                r.points_lost
            );
        }
        let _ = writeln!(o, "</table>\n<h2>Observer notes</h2>");
        if self.notes.is_empty() {
            let _ = writeln!(o, "<p>None recorded.</p>");
        } else {
            let _ = writeln!(
                o,
                "<table><tr><th>Minute</th><th>Role</th><th>Dimension</th><th>Note</th></tr>"
            );
            for (minute, role, dimension, text) in &self.notes {
                let _ = writeln!(
                    o,
                    "<tr><td class=\"num\">{minute}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(role),
                    esc(dimension),
                    esc(text)
                );
            }
            let _ = writeln!(o, "</table>");
        }
        let _ = writeln!(o, "<h2>Hotwash</h2>");
        if self.hotwash.is_empty() {
            let _ = writeln!(o, "<p>No hotwash was recorded.</p>");
        }
        for (role, strengths, improvements) in &self.hotwash {
            let _ = writeln!(o, "<h4>{}</h4>\n<ul>", esc(role));
            for s in strengths {
                let _ = writeln!(o, "<li>Strength: {}</li>", esc(s));
            }
            for i in improvements {
                let _ = writeln!(o, "<li>To improve: {}</li>", esc(i));
            }
            let _ = writeln!(o, "</ul>");
        }
        let _ = writeln!(
            o,
            "<h2>Improvement plan</h2>\n<table><tr><th>Capability</th><th>Issue</th><th>Corrective action</th><th>Owner (role)</th><th>Due date</th></tr>"
        );
        for p in &self.plan {
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"due\"></td></tr>",
                esc(&p.capability),
                esc(&p.issue),
                esc(&p.action),
                esc(&p.owner)
            );
        }
        let _ = writeln!(
            o,
            "</table>\n<footer>Generated by Warroom.</footer>\n</body>\n</html>"
        );
        o
    }
}

/// Escapes text for HTML element content and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A horizontal bar chart as inline SVG.
fn bar_chart(title: &str, bars: &[(String, u32)], max: u32) -> String {
    const ROW: u32 = 26;
    const LABEL: u32 = 230;
    const WIDTH: u32 = 420;
    let height = ROW * bars.len() as u32 + 10;
    let mut o = format!(
        "<svg class=\"chart\" role=\"img\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{height}\" viewBox=\"0 0 {} {height}\">\n",
        esc(title),
        LABEL + WIDTH + 50,
        LABEL + WIDTH + 50
    );
    for (i, (label, value)) in bars.iter().enumerate() {
        let y = i as u32 * ROW + 5;
        let w = value.min(&max) * WIDTH / max.max(1);
        let color = if max == 100 {
            match value {
                85.. => "#2e7d32",
                60..85 => "#b26a00",
                _ => "#c62828",
            }
        } else {
            "#c62828"
        };
        let _ = writeln!(
            o,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><rect x=\"{LABEL}\" y=\"{y}\" width=\"{w}\" height=\"{}\" fill=\"{color}\"/><text x=\"{}\" y=\"{}\">{value}</text>",
            LABEL - 8,
            y + 16,
            esc(label),
            ROW - 8,
            LABEL + w + 6,
            y + 16
        );
    }
    o.push_str("</svg>\n");
    o
}

const CSS: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b;line-height:1.45}\
h1{border-bottom:3px solid #1f4e8c;padding-bottom:.3rem}h2{color:#1f4e8c;margin-top:2rem;border-bottom:1px solid #ccd}\
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #ccd;padding:.3rem .5rem;vertical-align:top;text-align:left}\
th{background:#eef2f8}table.kv{width:auto}td.num{text-align:right}td.due{min-width:6rem}.good{color:#2e7d32}.fair{color:#b26a00}.poor{color:#c62828}\
.total{font-size:1.3rem;font-weight:bold}svg.chart{max-width:100%;height:auto;font-size:13px}footer{margin-top:2rem;color:#777;font-size:.85rem}\
@media print{body{margin:0;max-width:none;font-size:10.5pt}h2{break-after:avoid}tr,li,svg{break-inside:avoid}a{color:inherit}}";
