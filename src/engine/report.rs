//! Scorecards rendered as text for the terminal and as Markdown for export.

use std::fmt::Write as _;

use super::matrix::Dimension;
use super::scoring::{FindingKind, Scorecard};
use super::session::Session;

/// Plain-text scorecard for `warroom play`.
pub fn scorecard_text(card: &Scorecard, session: &Session) -> String {
    let mut out = String::new();
    let scenario = session.scenario();
    let _ = writeln!(out, "{} — seed {}", scenario.title, card.seed);
    let _ = writeln!(
        out,
        "Matrix: {}   Ended at minute {}{}",
        session.matrix().name,
        card.minute,
        if card.complete { "" } else { " (in progress)" }
    );
    if !session.variants().is_empty() {
        let drawn: Vec<String> = session
            .variants()
            .iter()
            .map(|(variation, option)| format!("{variation}={option}"))
            .collect();
        let _ = writeln!(out, "Variations: {}", drawn.join(", "));
    }
    let _ = writeln!(out, "\nTOTAL {:>3}/100\n", card.total);
    for dimension in Dimension::ALL {
        let score = card.dimension(dimension);
        let bar = "#".repeat((score / 5) as usize);
        let _ = writeln!(out, "  {:<22} {score:>3}  {bar}", dimension.label());
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
            };
            let _ = writeln!(out, "{mark}[min {:>3}] {}", f.minute, f.message);
            if f.kind == FindingKind::Deduction {
                let _ = writeln!(out, "        rule: {}", f.rule);
                let _ = writeln!(out, "        why:  {}", f.citation);
                let _ = writeln!(out, "        do:   {}", f.advice);
            }
        }
    }
    out
}

fn md_escape(text: &str) -> String {
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
        "- Scenario: `{}` (seed {})\n- Matrix: {}\n- Minute: {}{}\n- **Total: {}/100**\n",
        card.scenario,
        card.seed,
        md_escape(&session.matrix().name),
        card.minute,
        if card.complete { "" } else { " (in progress)" },
        card.total
    );
    let _ = writeln!(out, "| Dimension | Score |\n|---|---:|");
    for dimension in Dimension::ALL {
        let _ = writeln!(
            out,
            "| {} | {} |",
            dimension.label(),
            card.dimension(dimension)
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
                        "- **{}** minute {}: {}\n  - Rule `{}`: {}\n  - Instead: {}",
                        f.points,
                        f.minute,
                        md_escape(&f.message),
                        f.rule,
                        md_escape(&f.citation),
                        md_escape(&f.advice)
                    );
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
