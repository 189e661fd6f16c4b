//! Small helpers for text people read.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::engine::model::matrix::Matrix;
use crate::engine::model::scenario::Scenario;

/// "1 question", "3 questions": a count with its noun, plural by adding "s".
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Whether a character must never be shown as it is on a terminal: a control character other than
/// the newline and tab that lay text out (an escape sequence retitles or clears the screen), or a
/// text-direction override that makes a line read backwards.
pub fn must_not_show(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || crate::engine::model::id::is_direction_override(c)
}

/// A line as people typed it on a device, made safe to show and to write into a report: control
/// characters and text-direction overrides dropped (a NUL, an escape, U+202E that reverses what
/// follows), line breaks and tabs made spaces, runs of spaces made one, ends trimmed.
pub fn one_clean_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let c = if matches!(c, '\n' | '\r' | '\t') {
            ' '
        } else {
            c
        };
        if must_not_show(c) || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}') {
            continue;
        }
        if c.is_whitespace() && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(if c.is_whitespace() { ' ' } else { c });
    }
    out.truncate(out.trim_end().len());
    out
}

/// `text` with every character [`must_not_show`] written as a `\uXXXX` escape (JSON's own form,
/// so escaped JSON still parses to the same value).
pub fn escape_for_terminal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if must_not_show(c) {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// A length of time in the largest units that matter: "40 min", "90 min", "2 h 5 min",
/// "1 day 16 h".
pub fn duration_words(minutes: u32) -> String {
    let (days, hours, mins) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    match (days, hours, mins) {
        // Under two hours, minutes read best ("90 min", not "1 h 30 min").
        (0, 0 | 1, _) => format!("{minutes} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (1, 0, _) => "1 day".to_owned(),
        (1, h, _) => format!("1 day {h} h"),
        (d, 0, _) => format!("{d} days"),
        (d, h, _) => format!("{d} days {h} h"),
    }
}

/// When `at` was, seen at `now` (Unix seconds): "just now", "12 min ago", "3 h ago", "2 days ago".
pub fn time_ago(now: i64, at: i64) -> String {
    let secs = now.saturating_sub(at).max(0);
    match secs {
        0..60 => "just now".into(),
        60..3600 => format!("{} min ago", secs / 60),
        3600..86_400 => format!("{} h ago", secs / 3600),
        86_400..172_800 => "1 day ago".into(),
        _ => format!("{} days ago", secs / 86_400),
    }
}

/// How soon `at` comes, seen at `now` (Unix seconds): "now", "in 40 s", "in 3 min".
pub fn time_ahead(now: i64, at: i64) -> String {
    let secs = at.saturating_sub(now);
    match secs {
        ..=0 => "now".into(),
        1..60 => format!("in {secs} s"),
        _ => format!("in {} min", secs.saturating_add(59) / 60),
    }
}

/// The ids of a scenario and its matrix, and the words of the prose they show people: what tells an
/// id that leaked into readable text ("assign `reimage-fs01` to `it_ops`") from a word that happens
/// to spell one ("legal", "alert").
pub struct IdWords {
    ids: BTreeSet<String>,
    prose: BTreeSet<String>,
}

/// Fields whose text people read; every other string field is an id or a reference to one.
const PROSE_FIELDS: &[&str] = &[
    "title",
    "name",
    "short",
    "label",
    "narrative",
    "body",
    "text",
    "prompt",
    "description",
    "citation",
    "context_citation",
    "approval_citation",
    "summary",
    "mandate",
    "decision_rights",
    "facilitator_notes",
    "note",
    "framework",
    "item",
];

impl IdWords {
    /// The ids and prose of `scenario` and `matrix`.
    pub fn new(scenario: &Scenario, matrix: &Matrix) -> Self {
        let mut words = Self {
            ids: BTreeSet::new(),
            prose: BTreeSet::new(),
        };
        for value in [serde_json::to_value(scenario), serde_json::to_value(matrix)]
            .into_iter()
            .flatten()
        {
            words.collect(&value, false);
        }
        words
    }

    fn collect(&mut self, value: &serde_json::Value, prose: bool) {
        match value {
            serde_json::Value::String(s) if prose => {
                for word in split_words(s) {
                    // "Restore" may be lowered mid-sentence; "SOC" is never written "soc".
                    let mut chars = word.chars();
                    if chars.next().is_some_and(char::is_uppercase)
                        && chars.all(|c| !c.is_uppercase())
                    {
                        self.prose.insert(word.to_lowercase());
                    }
                    self.prose.insert(word.to_owned());
                }
            }
            // Enum values ("Detect", "Regulated") are capitalised; ids never are.
            serde_json::Value::String(s) if !s.chars().any(char::is_uppercase) => {
                self.ids.insert(s.clone());
            }
            serde_json::Value::Array(items) => {
                for item in items {
                    self.collect(item, prose);
                }
            }
            serde_json::Value::Object(fields) => {
                for (key, field) in fields {
                    self.collect(field, PROSE_FIELDS.contains(&key.as_str()));
                }
            }
            _ => {}
        }
    }

    /// The words of `text` that are ids and never words of the prose, and any backtick.
    pub fn leaks<'t>(&self, text: &'t str) -> Vec<&'t str> {
        let mut found: Vec<&str> = split_words(text)
            .filter(|w| self.ids.contains(*w) && !self.prose.contains(*w))
            .collect();
        if let Some(at) = text.find('`') {
            found.push(text.get(at..).unwrap_or_default());
        }
        found
    }
}

/// Words as ids are spelt: letters, digits, `_` and `-`.
fn split_words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .map(|w| w.trim_matches('-'))
        .filter(|w| !w.is_empty())
}

/// An id made of a title: lower-case letters and digits, words joined by `-`, at most 40
/// characters (`Ransom note arrives` → `ransom-note-arrives`); `None` when the title has none.
pub fn slug(title: &str) -> Option<String> {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let cut: String = out.trim_end_matches('-').chars().take(40).collect();
    let cut = cut.trim_end_matches('-');
    (!cut.is_empty()).then(|| cut.to_owned())
}

#[cfg(test)]
mod tests {
    use super::{IdWords, count, duration_words, one_clean_line};
    use crate::engine::content::shipped;

    #[test]
    fn a_typed_line_loses_what_could_spoof_or_break_a_report() {
        assert_eq!(
            one_clean_line("  Ana\u{0}\u{1b}[2J  Silva \n"),
            "Ana[2J Silva"
        );
        assert_eq!(one_clean_line("gpj.\u{202e}exe"), "gpj.exe");
        assert_eq!(one_clean_line("line one\r\nline\ttwo"), "line one line two");
        assert_eq!(one_clean_line("Zoë \u{2067}ok\u{2069}"), "Zoë ok");
        assert_eq!(one_clean_line("\u{200f}\n\t "), "");
    }

    #[test]
    fn durations_read_in_the_largest_units_that_matter() {
        assert_eq!(duration_words(5), "5 min");
        assert_eq!(duration_words(90), "90 min");
        assert_eq!(duration_words(120), "2 h");
        assert_eq!(duration_words(125), "2 h 5 min");
        assert_eq!(duration_words(2435), "1 day 16 h");
        assert_eq!(duration_words(3 * 1440 + 7), "3 days");
    }

    #[test]
    fn ids_are_told_from_words_of_the_prose() {
        let matrix = shipped::matrix();
        let scenario = shipped::scenario_with("ransomware-file-server", &matrix);
        let words = IdWords::new(&scenario, &matrix);
        assert_eq!(
            words.leaks("Done: assign reimage-fs01 to it_ops"),
            ["reimage-fs01", "it_ops"]
        );
        assert_eq!(words.leaks("asks for `x`"), ["`x`"]);
        assert!(
            words
                .leaks("IT Operations reimaged the file server.")
                .is_empty()
        );
    }

    #[test]
    fn counts_agree_with_their_number() {
        assert_eq!(count(0, "question"), "0 questions");
        assert_eq!(count(1, "question"), "1 question");
        assert_eq!(count(2, "finding"), "2 findings");
    }
}
