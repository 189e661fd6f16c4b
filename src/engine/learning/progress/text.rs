//! The progress report as plain text for the terminal.

use super::report::ProgressReport;
use crate::engine::learning::tally::Tally;

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
