//! Scorecards rendered as text for the terminal and as Markdown for export.

use std::fmt::Write as _;

use crate::engine::model::id::RoleId;
use crate::engine::model::intent::{Event, Intent};
use crate::engine::model::matrix::Dimension;
use crate::engine::scoring::{FindingKind, Scorecard};
use crate::engine::session::{PlanStamp, Session, either_list, names_list};

/// Plain-text scorecard for `warroom play`.
pub fn scorecard_text(card: &Scorecard, session: &Session) -> String {
    let mut out = String::new();
    let scenario = session.scenario();
    let _ = writeln!(out, "{} — seed {}", scenario.title, card.seed);
    let _ = writeln!(
        out,
        "Matrix: {}   Ended at minute {}{}",
        plan_line(card, session),
        card.minute,
        if card.complete { "" } else { " (in progress)" }
    );
    if !session.variants().is_empty() {
        // What was drawn, as the scenario words it: "What the stolen table contained: …".
        let drawn: Vec<String> = session
            .variants()
            .iter()
            .filter_map(|(variation, option)| {
                let v = scenario.variations.iter().find(|v| v.id == *variation)?;
                let o = v.options.iter().find(|o| o.id == *option)?;
                let what = v.description.trim_end_matches('.');
                Some(if what.is_empty() {
                    o.text.clone()
                } else {
                    format!("{what}: {}", o.text)
                })
            })
            .collect();
        let _ = writeln!(out, "Drawn this time: {}", drawn.join("; "));
    }
    if card.graded() {
        let _ = writeln!(
            out,
            "\nTOTAL {:>3}/100   {}\n      {}: each deduction shows what it cost the total\n",
            card.total,
            tested_line(card),
            card.total_explained()
        );
    } else {
        let _ = writeln!(out, "\nNOT GRADED YET   {}\n", tested_line(card));
    }
    for dimension in Dimension::ALL {
        match card.dimension(dimension) {
            Some(score) => {
                let bar = "#".repeat((score / 5) as usize);
                let cost = card.points.get(&dimension).map_or(0, |p| p.cost);
                let deducted = if cost == 0 {
                    String::new()
                } else {
                    format!("  (−{cost})")
                };
                let _ = writeln!(
                    out,
                    "  {:<22} {score:>3}  {bar:<20}{deducted}",
                    dimension.label()
                );
            }
            None => {
                let _ = writeln!(out, "  {:<22}   —  not tested", dimension.label());
            }
        }
    }
    for dimension in Dimension::ALL {
        let findings: Vec<_> = card.findings_in(dimension).collect();
        if findings.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{}", dimension.label().to_uppercase());
        for f in findings {
            let mark = match f.kind {
                FindingKind::Credit => "  +  ".to_owned(),
                FindingKind::Deduction => format!("{:>4} ", f.points),
                FindingKind::NotReached => "  ·  ".to_owned(),
                FindingKind::NotTested => {
                    let _ = writeln!(out, "  {}", f.message);
                    continue;
                }
            };
            let _ = writeln!(out, "{mark}[min {:>3}] {}", f.minute, f.message);
            if f.kind == FindingKind::Deduction {
                let _ = writeln!(out, "        why:  {}", f.citation);
                let _ = writeln!(out, "        do:   {}", f.advice);
            }
        }
    }
    out
}

/// "5 of 6 dimensions tested", and when the exercise was cut short.
pub fn tested_line(card: &Scorecard) -> String {
    let tested = card.tested().count();
    let mut line = format!("{tested} of {} dimensions tested", Dimension::ALL.len());
    if card.ended_early {
        let _ = write!(line, "; ended early at minute {}", card.minute);
    }
    if let Some(note) = older_rules_note(card) {
        let _ = write!(line, "; {note}");
    }
    if let Some(note) = other_plan_note(card) {
        let _ = write!(line, "; {note}");
    }
    line
}

/// The plan that graded the run, in words ("Warroom reference plan, version 3 (digest …)").
pub fn plan_line(card: &Scorecard, session: &Session) -> String {
    card.graded_under
        .as_ref()
        .map_or_else(|| session.matrix().name.clone(), PlanStamp::describe)
}

/// For a run recorded under another plan or another version of its scenario than the one that
/// graded it (a replay after the plan was edited): said wherever its scores are shown, never
/// re-graded silently.
pub fn other_plan_note(card: &Scorecard) -> Option<String> {
    let recorded = card.recorded_under_plan.as_ref()?;
    let now = card.graded_under.as_ref()?;
    Some(if recorded.matrix_digest == now.matrix_digest {
        format!(
            "recorded under another version of the scenario (digest {}, now {}): the grades follow the scenario as it is now",
            recorded.scenario_digest, now.scenario_digest
        )
    } else {
        format!(
            "recorded under {}, graded now under {}: the grades follow the plan in force now",
            recorded.describe(),
            now.describe()
        )
    })
}

/// For an exercise recorded under older grading rules: said wherever its scores are shown.
pub fn older_rules_note(card: &Scorecard) -> Option<String> {
    card.recorded_under_rules.map(|old| {
        format!(
            "recorded under grading rules {old}, graded now under rules {}: scores may differ from those shown at the time",
            crate::engine::session::RULES_VERSION
        )
    })
}

/// A dimension's score as people read it: "85" or "not tested".
pub fn score_label(score: Option<u32>) -> String {
    score.map_or_else(|| "not tested".to_owned(), |s| s.to_string())
}

pub(crate) fn md_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#'
        ) {
            out.push('\\');
        }
        if c == '\n' {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// Markdown scorecard for export from the debrief.
pub fn scorecard_markdown(card: &Scorecard, session: &Session) -> String {
    let mut out = String::new();
    let scenario = session.scenario();
    let _ = writeln!(out, "# Warroom scorecard: {}\n", md_escape(&scenario.title));
    let _ = writeln!(
        out,
        "- Scenario: {} (seed {})\n- Matrix: {}\n- Minute: {}{}\n- **Total: {}/100** ({})\n",
        md_escape(&scenario.title),
        card.seed,
        md_escape(&plan_line(card, session)),
        card.minute,
        if card.complete { "" } else { " (in progress)" },
        card.total,
        tested_line(card)
    );
    let _ = writeln!(out, "| Dimension | Score |\n|---|---:|");
    for dimension in Dimension::ALL {
        let _ = writeln!(
            out,
            "| {} | {} |",
            dimension.label(),
            score_label(card.dimension(dimension))
        );
    }
    for dimension in Dimension::ALL {
        let findings: Vec<_> = card.findings_in(dimension).collect();
        if findings.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n## {}\n", dimension.label());
        for f in findings {
            match f.kind {
                FindingKind::Credit => {
                    let _ = writeln!(out, "- ✔ minute {}: {}", f.minute, md_escape(&f.message));
                }
                FindingKind::Deduction => {
                    let _ = writeln!(
                        out,
                        "- **{}** minute {}: {}\n  - Why: {}\n  - Instead: {}",
                        f.points,
                        f.minute,
                        md_escape(&f.message),
                        md_escape(&f.citation),
                        md_escape(&f.advice)
                    );
                }
                FindingKind::NotReached => {
                    let _ = writeln!(out, "- · {}", md_escape(&f.message));
                }
                FindingKind::NotTested => {
                    let _ = writeln!(out, "{}", md_escape(&f.message));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::md_escape;

    #[test]
    fn markdown_specials_are_escaped() {
        assert_eq!(md_escape("a|b <x> *y*\nz"), "a\\|b \\<x\\> \\*y\\* z");
    }
}

/// One row of the debrief timeline: what happened or was done, beside what the matrix expected.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct TimelineRow {
    /// Scenario minute.
    pub minute: u32,
    /// Whether the row is the player's own intent (rather than something the scenario did).
    pub by_player: bool,
    /// What kind of row it is, in a word for a report's "Type" column.
    pub kind: TimelineKind,
    /// How many intents the log held once this row had happened: its place among the events of
    /// its minute, beside notes and ad-hoc injects that record the same count.
    #[serde(skip)]
    pub after_intents: usize,
    /// What happened.
    pub actual: String,
    /// What the responsibility matrix expected at that point, when it says something.
    pub expected: Option<String>,
}

/// What a timeline row is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimelineKind {
    /// A scripted inject reached the room.
    Inject,
    /// The scenario revealed a fact.
    Fact,
    /// The true severity changed.
    Severity,
    /// The facilitator released, held or rescheduled an inject.
    Facilitator,
    /// Something the players did.
    Decision,
}

impl TimelineKind {
    /// The word a report shows.
    pub fn label(self) -> &'static str {
        match self {
            Self::Inject => "Inject",
            Self::Fact => "Fact revealed",
            Self::Severity => "Severity",
            Self::Facilitator => "Facilitator",
            Self::Decision => "Decision",
        }
    }
}

/// The session as a timeline: injects, revealed facts with the escalations they require, and every
/// intent with the matrix's expectation for it.
pub fn timeline(session: &Session) -> Vec<TimelineRow> {
    let mut walker = TimelineWalker {
        session,
        rows: Vec::new(),
        severity: 1,
    };
    walker.scenario_events(&session.log().opening, 0, 0);
    for (index, entry) in session.log().entries.iter().enumerate() {
        let after_intents = index + 1;
        let steered = match &entry.intent {
            Intent::ReleaseInject { inject } => Some((inject, "released early")),
            Intent::HoldInject { inject } => Some((inject, "held back")),
            Intent::UnholdInject { inject } => Some((inject, "put back on schedule")),
            _ => None,
        };
        if let Some((inject, what)) = steered {
            let title = session
                .scenario()
                .inject(inject.as_str())
                .map_or(inject.as_str(), |i| i.title.as_str());
            walker.rows.push(TimelineRow {
                minute: entry.minute,
                by_player: false,
                kind: TimelineKind::Facilitator,
                after_intents,
                actual: format!("Facilitator {what}: {title}"),
                expected: None,
            });
        } else if !matches!(entry.intent, Intent::Advance { .. }) {
            let expected = walker.expected(&entry.intent);
            walker.rows.push(TimelineRow {
                minute: entry.minute,
                by_player: true,
                kind: TimelineKind::Decision,
                after_intents,
                actual: session.describe(&entry.intent),
                expected,
            });
        }
        walker.scenario_events(&entry.events, entry.minute, after_intents);
    }
    walker.rows
}

/// What the matrix expects for one scenario action: who is responsible, whose approval comes
/// first, and whether evidence must be preserved before it.
pub fn action_expectation(session: &Session, action: &str) -> Option<String> {
    let (_, _, option) = session.scenario().action(action)?;
    let task = session.matrix().task(option.task.as_str())?;
    let target = option.target_id();
    let names = |roles: &[RoleId]| role_names(session, roles, target);
    let mut text = format!("Responsible: {}", names(&task.responsible));
    if !task.approvals.is_empty() {
        let _ = write!(text, "; approval from {} first", names(&task.approvals));
    }
    if !task.approvals_any_of.is_empty() {
        let either: Vec<String> = session
            .resolve_roles(&task.approvals_any_of, target)
            .iter()
            .map(|r| session.matrix().role_name(r.as_str()).to_owned())
            .collect();
        let _ = write!(text, "; approval from {} first", either_list(either));
    }
    if task.destroys_evidence {
        text.push_str("; preserve evidence first");
    }
    Some(text)
}

/// "A, B and C", each role once: `owner` may resolve to a role the list already names.
fn role_names(session: &Session, roles: &[RoleId], target: Option<&str>) -> String {
    names_list(
        session
            .resolve_roles(roles, target)
            .iter()
            .map(|r| session.matrix().role_name(r.as_str()).to_owned())
            .collect(),
    )
}

struct TimelineWalker<'s> {
    session: &'s Session,
    rows: Vec<TimelineRow>,
    /// True severity as of the events walked so far.
    severity: u8,
}

impl TimelineWalker<'_> {
    fn names(&self, roles: &[RoleId], target: Option<&str>) -> String {
        role_names(self.session, roles, target)
    }

    fn scenario_events(&mut self, events: &[Event], mut minute: u32, after_intents: usize) {
        let matrix = self.session.matrix();
        for event in events {
            let row = match event {
                Event::InjectReleased { inject, minute: at } => {
                    minute = *at;
                    let title = self
                        .session
                        .scenario()
                        .inject(inject.as_str())
                        .map_or(inject.as_str(), |i| i.title.as_str());
                    (TimelineKind::Inject, format!("Inject: {title}"), None)
                }
                Event::FactRevealed { trigger } => {
                    let due: Vec<String> = matrix
                        .escalation
                        .rules
                        .iter()
                        .filter(|r| r.when == *trigger)
                        .map(|r| {
                            format!(
                                "engage {} by T+{:02}",
                                self.names(&r.engage, None),
                                minute + r.within_mins
                            )
                        })
                        .collect();
                    let what = matrix
                        .triggers
                        .iter()
                        .find(|t| t.id == *trigger)
                        .map_or(trigger.as_str(), |t| t.description.as_str());
                    (
                        TimelineKind::Fact,
                        format!("Revealed: {what}"),
                        (!due.is_empty()).then(|| due.join("; ")),
                    )
                }
                Event::SeverityChanged { level } => {
                    self.severity = *level;
                    let s = matrix.severity(*level);
                    let expected = s.filter(|s| !s.engage.is_empty()).map(|s| {
                        format!(
                            "engage {} by T+{:02}",
                            self.names(&s.engage, None),
                            minute + s.within_mins
                        )
                    });
                    let name = s.map_or("?", |s| s.name.as_str());
                    (
                        TimelineKind::Severity,
                        format!("Severity is now {level} ({name})"),
                        expected,
                    )
                }
                _ => continue,
            };
            self.rows.push(TimelineRow {
                minute,
                by_player: false,
                kind: row.0,
                after_intents,
                actual: row.1,
                expected: row.2,
            });
        }
    }

    fn expected(&self, intent: &Intent) -> Option<String> {
        let matrix = self.session.matrix();
        match intent {
            Intent::AssignAction { action, .. } => {
                action_expectation(self.session, action.as_str())
            }
            Intent::ClassifySeverity { .. } => {
                Some(format!("severity on the evidence: {}", self.severity))
            }
            Intent::Communicate { audience, .. } => {
                let a = self.session.audience(audience.as_str())?;
                let senders = a
                    .senders
                    .iter()
                    .map(|r| matrix.role_name(r.as_str()).to_owned())
                    .collect();
                let mut text = format!("sent by {}", either_list(senders));
                if !a.approvals.is_empty() {
                    let _ = write!(text, "; approval from {}", self.names(&a.approvals, None));
                }
                Some(text)
            }
            Intent::Handoff(_) => {
                Some("observation, evidence, actions taken, recommendations, urgency".into())
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod timeline_tests {
    use super::*;

    #[test]
    fn rows_follow_the_log() {
        let matrix = crate::engine::content::shipped::matrix();
        let scenario = crate::engine::content::shipped::scenario("ransomware-file-server");
        let mut session = Session::new(scenario, matrix, 0);
        session.apply(Intent::Advance { minutes: 10 }).unwrap();
        session
            .apply(Intent::ClassifySeverity {
                level: 1,
                by: "soc".into(),
            })
            .unwrap();
        let rows = timeline(&session);
        assert_eq!(rows[0].actual, "Inject: Mass file renames on FS-01");
        let classify = rows.iter().find(|r| r.by_player).unwrap();
        assert_eq!(classify.minute, 10);
        assert_eq!(
            classify.expected.as_deref(),
            Some("severity on the evidence: 3")
        );
        assert!(rows.iter().any(|r| {
            r.actual
                .starts_with("Revealed: An attacker demands payment")
                && r.expected.as_deref()
                    == Some("engage Legal Counsel and Business Leadership by T+40")
        }));
    }
}
