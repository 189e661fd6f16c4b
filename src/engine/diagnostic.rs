//! Diagnostics: one problem in one file, with a location, a stable code and a hint.

use std::fmt::{self, Write as _};
use std::path::PathBuf;

use serde::Serialize;

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Makes the file unusable.
    Error,
    /// Worth fixing; the file still loads.
    Warning,
}

/// Every diagnostic's stable code; `as_str` is the kebab-case form tools and docs/format.md use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// `answer-differs-from-matrix`
    AnswerDiffersFromMatrix,
    /// `audience-without-sender`
    AudienceWithoutSender,
    /// `bad-id`
    BadId,
    /// `beyond-end`
    BeyondEnd,
    /// `contradictory-task`
    ContradictoryTask,
    /// `deadline-order`
    DeadlineOrder,
    /// `decision-without-actions`
    DecisionWithoutActions,
    /// `duplicate-id`
    DuplicateId,
    /// `empty-matrix`
    EmptyMatrix,
    /// `empty-situation`
    EmptySituation,
    /// `empty-variation`
    EmptyVariation,
    /// `file-too-large`
    FileTooLarge,
    /// `impact-out-of-range`
    ImpactOutOfRange,
    /// `impossible-condition`
    ImpossibleCondition,
    /// `invalid-duration`
    InvalidDuration,
    /// `invalid-step`
    InvalidStep,
    /// `invalid-utf8`
    InvalidUtf8,
    /// `malformed-question`
    MalformedQuestion,
    /// `missing-answer`
    MissingAnswer,
    /// `missing-citation`
    MissingCitation,
    /// `no-injects`
    NoInjects,
    /// `no-modes`
    NoModes,
    /// `no-opening-inject`
    NoOpeningInject,
    /// `no-questions`
    NoQuestions,
    /// `not-a-file`
    NotAFile,
    /// `owner-needed`
    OwnerNeeded,
    /// `parse-error`
    ParseError,
    /// `reserved-id`
    ReservedId,
    /// `rule-without-roles`
    RuleWithoutRoles,
    /// `severity-order`
    SeverityOrder,
    /// `severity-out-of-range`
    SeverityOutOfRange,
    /// `task-without-responsible`
    TaskWithoutResponsible,
    /// `undecided-question`
    UndecidedQuestion,
    /// `unknown-action`
    UnknownAction,
    /// `unknown-answer`
    UnknownAnswer,
    /// `unknown-asset`
    UnknownAsset,
    /// `unknown-audience`
    UnknownAudience,
    /// `unknown-regime`
    UnknownRegime,
    /// `unknown-column`
    UnknownColumn,
    /// `unknown-cell-code`
    UnknownCellCode,
    /// `multiple-accountable`
    MultipleAccountable,
    /// `missing-accountable`
    MissingAccountable,
    /// `missing-sheet`
    MissingSheet,
    /// `stale-patch-entry`
    StalePatchEntry,
    /// `merge-conflict`
    MergeConflict,
    /// `sender-approves`
    SenderApproves,
    /// `too-many-cells`
    TooManyCells,
    /// `unsafe-workbook`
    UnsafeWorkbook,
    /// `regime-without-filing`
    RegimeWithoutFiling,
    /// `bad-start-time`
    BadStartTime,
    /// `unknown-file-kind`
    UnknownFileKind,
    /// `unknown-flag`
    UnknownFlag,
    /// `unknown-inject`
    UnknownInject,
    /// `unknown-role`
    UnknownRole,
    /// `number-out-of-range`
    NumberOutOfRange,
    /// `unknown-scenario`
    UnknownScenario,
    /// `unknown-task`
    UnknownTask,
    /// `unknown-trigger`
    UnknownTrigger,
    /// `unknown-variation`
    UnknownVariation,
    /// `unreachable-inject`
    UnreachableInject,
    /// `unreadable-file`
    UnreadableFile,
    /// `unsupported-save`
    UnsupportedSave,
    /// `log-does-not-replay`
    LogDoesNotReplay,
    /// `untagged-question`
    UntaggedQuestion,
    /// `zero-deadline`
    ZeroDeadline,
    /// `repeated-role`
    RepeatedRole,
    /// `overlapping-raci`
    OverlappingRaci,
    /// `doer-approves`
    DoerApproves,
    /// `decision-right-ignored`
    DecisionRightIgnored,
    /// `owner-never-recorded`
    OwnerNeverRecorded,
    /// `conflicting-rules`
    ConflictingRules,
    /// `zero-weights`
    ZeroWeights,
}

impl Code {
    /// Every code, in the order docs/format.md lists them.
    pub const ALL: [Self; 72] = [
        Self::AnswerDiffersFromMatrix,
        Self::AudienceWithoutSender,
        Self::BadId,
        Self::BeyondEnd,
        Self::ContradictoryTask,
        Self::DeadlineOrder,
        Self::DecisionWithoutActions,
        Self::DuplicateId,
        Self::EmptyMatrix,
        Self::EmptySituation,
        Self::EmptyVariation,
        Self::FileTooLarge,
        Self::ImpactOutOfRange,
        Self::ImpossibleCondition,
        Self::InvalidDuration,
        Self::InvalidStep,
        Self::InvalidUtf8,
        Self::MalformedQuestion,
        Self::MissingAnswer,
        Self::MissingCitation,
        Self::NoInjects,
        Self::NoModes,
        Self::NoOpeningInject,
        Self::NoQuestions,
        Self::NotAFile,
        Self::OwnerNeeded,
        Self::ParseError,
        Self::ReservedId,
        Self::RuleWithoutRoles,
        Self::SeverityOrder,
        Self::SeverityOutOfRange,
        Self::TaskWithoutResponsible,
        Self::UndecidedQuestion,
        Self::UnknownAction,
        Self::UnknownAnswer,
        Self::UnknownAsset,
        Self::UnknownAudience,
        Self::UnknownRegime,
        Self::UnknownColumn,
        Self::UnknownCellCode,
        Self::MultipleAccountable,
        Self::MissingAccountable,
        Self::MissingSheet,
        Self::StalePatchEntry,
        Self::MergeConflict,
        Self::SenderApproves,
        Self::TooManyCells,
        Self::UnsafeWorkbook,
        Self::RegimeWithoutFiling,
        Self::BadStartTime,
        Self::UnknownFileKind,
        Self::UnknownFlag,
        Self::UnknownInject,
        Self::UnknownRole,
        Self::NumberOutOfRange,
        Self::UnknownScenario,
        Self::UnknownTask,
        Self::UnknownTrigger,
        Self::UnknownVariation,
        Self::UnreachableInject,
        Self::UnreadableFile,
        Self::UnsupportedSave,
        Self::LogDoesNotReplay,
        Self::UntaggedQuestion,
        Self::ZeroDeadline,
        Self::RepeatedRole,
        Self::OverlappingRaci,
        Self::DoerApproves,
        Self::DecisionRightIgnored,
        Self::OwnerNeverRecorded,
        Self::ConflictingRules,
        Self::ZeroWeights,
    ];

    /// The stable kebab-case form (`unknown-role`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AnswerDiffersFromMatrix => "answer-differs-from-matrix",
            Self::AudienceWithoutSender => "audience-without-sender",
            Self::BadId => "bad-id",
            Self::BeyondEnd => "beyond-end",
            Self::ContradictoryTask => "contradictory-task",
            Self::DeadlineOrder => "deadline-order",
            Self::DecisionWithoutActions => "decision-without-actions",
            Self::DuplicateId => "duplicate-id",
            Self::EmptyMatrix => "empty-matrix",
            Self::EmptySituation => "empty-situation",
            Self::EmptyVariation => "empty-variation",
            Self::FileTooLarge => "file-too-large",
            Self::ImpactOutOfRange => "impact-out-of-range",
            Self::ImpossibleCondition => "impossible-condition",
            Self::InvalidDuration => "invalid-duration",
            Self::InvalidStep => "invalid-step",
            Self::InvalidUtf8 => "invalid-utf8",
            Self::MalformedQuestion => "malformed-question",
            Self::MissingAnswer => "missing-answer",
            Self::MissingCitation => "missing-citation",
            Self::NoInjects => "no-injects",
            Self::NoModes => "no-modes",
            Self::NoOpeningInject => "no-opening-inject",
            Self::NoQuestions => "no-questions",
            Self::NotAFile => "not-a-file",
            Self::OwnerNeeded => "owner-needed",
            Self::ParseError => "parse-error",
            Self::ReservedId => "reserved-id",
            Self::RuleWithoutRoles => "rule-without-roles",
            Self::SeverityOrder => "severity-order",
            Self::SeverityOutOfRange => "severity-out-of-range",
            Self::TaskWithoutResponsible => "task-without-responsible",
            Self::UndecidedQuestion => "undecided-question",
            Self::UnknownAction => "unknown-action",
            Self::UnknownAnswer => "unknown-answer",
            Self::UnknownAsset => "unknown-asset",
            Self::UnknownAudience => "unknown-audience",
            Self::UnknownRegime => "unknown-regime",
            Self::UnknownColumn => "unknown-column",
            Self::UnknownCellCode => "unknown-cell-code",
            Self::MultipleAccountable => "multiple-accountable",
            Self::MissingAccountable => "missing-accountable",
            Self::MissingSheet => "missing-sheet",
            Self::StalePatchEntry => "stale-patch-entry",
            Self::MergeConflict => "merge-conflict",
            Self::SenderApproves => "sender-approves",
            Self::TooManyCells => "too-many-cells",
            Self::UnsafeWorkbook => "unsafe-workbook",
            Self::RegimeWithoutFiling => "regime-without-filing",
            Self::BadStartTime => "bad-start-time",
            Self::UnknownFileKind => "unknown-file-kind",
            Self::UnknownFlag => "unknown-flag",
            Self::UnknownInject => "unknown-inject",
            Self::UnknownRole => "unknown-role",
            Self::NumberOutOfRange => "number-out-of-range",
            Self::UnknownScenario => "unknown-scenario",
            Self::UnknownTask => "unknown-task",
            Self::UnknownTrigger => "unknown-trigger",
            Self::UnknownVariation => "unknown-variation",
            Self::UnreachableInject => "unreachable-inject",
            Self::UnreadableFile => "unreadable-file",
            Self::UnsupportedSave => "unsupported-save",
            Self::LogDoesNotReplay => "log-does-not-replay",
            Self::UntaggedQuestion => "untagged-question",
            Self::ZeroDeadline => "zero-deadline",
            Self::RepeatedRole => "repeated-role",
            Self::OverlappingRaci => "overlapping-raci",
            Self::DoerApproves => "doer-approves",
            Self::DecisionRightIgnored => "decision-right-ignored",
            Self::OwnerNeverRecorded => "owner-never-recorded",
            Self::ConflictingRules => "conflicting-rules",
            Self::ZeroWeights => "zero-weights",
        }
    }
}

/// A code equals its stable kebab-case form, which is what tools and tests compare against.
impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found in a file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub level: Level,
    /// Stable machine-readable code (`unknown-role`).
    pub code: Code,
    /// The file.
    pub file: PathBuf,
    /// 1-based line (0 when the problem is about the file as a whole).
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
    /// The spreadsheet cell, for a problem in a workbook (`line` and `column` then give its row and
    /// column number).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<Box<SheetCell>>,
}

/// A cell of a workbook: the sheet's name and the cell's reference (`F12`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SheetCell {
    /// The sheet (`RACI`).
    pub sheet: String,
    /// The cell as spreadsheets name it (`F12`).
    pub cell: String,
}

impl Diagnostic {
    /// An error about a whole file (unreadable, too large, a directory).
    pub fn file_error(code: Code, file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self {
            level: Level::Error,
            code,
            file: file.into(),
            line: 0,
            column: 0,
            message: message.into(),
            hint: None,
            cell: None,
        }
    }

    /// Adds a hint.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.level == Level::Error
    }

    /// `file:line:col`, `file:Sheet!F12` in a workbook (or just the file when there is no position).
    pub fn location(&self) -> String {
        if let Some(at) = &self.cell {
            format!("{}:{}!{}", self.file.display(), at.sheet, at.cell)
        } else if self.line == 0 {
            self.file.display().to_string()
        } else {
            format!("{}:{}:{}", self.file.display(), self.line, self.column)
        }
    }

    /// Renders the diagnostic with the offending source line and a caret under the column.
    pub fn render(&self, source: Option<&str>) -> String {
        let line = source
            .filter(|_| self.line > 0)
            .and_then(|s| s.lines().nth(self.line - 1));
        self.render_line(line)
    }

    /// [`Self::render`] given the offending line itself: a caller showing many diagnostics of one
    /// file splits it into lines once instead of once per diagnostic.
    pub fn render_line(&self, line: Option<&str>) -> String {
        let mut out = self.to_string();
        if let Some(line_text) = line.filter(|_| self.line > 0 && self.cell.is_none()) {
            // A window of the line around the column: a minified file is one long line.
            let chars: Vec<char> = line_text.chars().collect();
            let column = self.column.saturating_sub(1).min(chars.len());
            let start = column.saturating_sub(EXCERPT_CHARS / 2);
            let end = (start + EXCERPT_CHARS).min(chars.len());
            let lead = if start > 0 { "…" } else { "" };
            let trail = if end < chars.len() { "…" } else { "" };
            let gutter = self.line.to_string();
            let pad = " ".repeat(gutter.len());
            // Tabs kept (the caret lines up under them), other control characters escaped.
            let shown = |c: char| -> String {
                match c {
                    '\t' => "\t".to_owned(),
                    c if must_escape(c) => c.escape_default().collect(),
                    c => c.to_string(),
                }
            };
            let excerpt: String = chars
                .get(start..end)
                .unwrap_or_default()
                .iter()
                .map(|&c| shown(c))
                .collect();
            let caret_pad: String = lead
                .chars()
                .map(|_| " ".to_owned())
                .chain(
                    chars
                        .get(start..column)
                        .unwrap_or_default()
                        .iter()
                        .map(|&c| {
                            let text = shown(c);
                            if text == "\t" {
                                text
                            } else {
                                " ".repeat(text.chars().count())
                            }
                        }),
                )
                .collect();
            let _ = write!(
                out,
                "\n{pad} |\n{gutter} | {lead}{excerpt}{trail}\n{pad} | {caret_pad}^"
            );
        }
        if let Some(hint) = &self.hint {
            let _ = write!(out, "\n  = hint: {}", printable(hint));
        }
        out
    }
}

/// Characters of a source line shown around the column of a diagnostic.
const EXCERPT_CHARS: usize = 120;
/// Longest run of characters without a space echoed from a file (an id, a value).
const LONGEST_ECHO: usize = 64;

/// Control characters (newlines too: a diagnostic is one line of message) and text-direction
/// overrides are shown escaped in whatever a diagnostic echoes.
fn must_escape(c: char) -> bool {
    c.is_control() || crate::engine::model::id::is_direction_override(c)
}

/// `text` safe to print on a terminal: control characters escaped (an escape sequence in a file
/// must not reach the terminal), and any run longer than [`LONGEST_ECHO`] characters without a
/// space cut short.
pub fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(1024));
    let mut run = 0;
    for c in text.chars() {
        if c.is_whitespace() && !must_escape(c) {
            run = 0;
            out.push(c);
            continue;
        }
        run += 1;
        if run == LONGEST_ECHO {
            out.push('…');
        }
        if run >= LONGEST_ECHO {
            continue;
        }
        if must_escape(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        write!(
            f,
            "{level}[{}]: {}\n  --> {}",
            self.code,
            printable(&self.message),
            // The location is never cut: its `:line:column` ends it, however long the path.
            crate::engine::text::escape_for_terminal(&self.location())
        )
    }
}

impl std::error::Error for Diagnostic {}

/// Counts errors in a list of diagnostics.
pub fn error_count(diagnostics: &[Diagnostic]) -> usize {
    diagnostics.iter().filter(|d| d.is_error()).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diagnostic(message: &str, line: usize, column: usize) -> Diagnostic {
        Diagnostic {
            level: Level::Error,
            code: Code::ParseError,
            file: PathBuf::from("plan.ron"),
            line,
            column,
            message: message.to_owned(),
            hint: None,
            cell: None,
        }
    }

    #[test]
    fn a_long_path_keeps_its_line_and_column() {
        let mut d = diagnostic("unknown role `socc`", 18, 14);
        let folder = "a-very-long-folder-name-that-a-trainer-might-well-use".repeat(3);
        d.file = PathBuf::from(format!("{folder}/decisions/exemplary.ron"));
        let text = d.to_string();
        assert!(text.ends_with("/decisions/exemplary.ron:18:14"), "{text}");
        // A direction override in the path is escaped, not obeyed, and still not cut.
        d.file = PathBuf::from(format!("{folder}/\u{202e}nor.ron"));
        let text = d.to_string();
        assert!(text.contains("\\u202enor.ron:18:14"), "{text}");
        assert!(!text.contains('\u{202e}'));
    }

    #[test]
    fn direction_overrides_in_an_echoed_value_are_escaped() {
        let d = diagnostic("unknown role `ab\u{202e}cd`", 1, 1);
        let text = d.render(Some("role: \"ab\u{202e}cd\""));
        assert!(!text.contains('\u{202e}'), "{text:?}");
        assert!(text.contains("ab\\u{202e}cd"), "{text}");
    }

    #[test]
    fn control_characters_from_a_file_never_reach_the_terminal() {
        let d = diagnostic("unknown field `a\u{1b}]0;owned\u{7}b`", 1, 1);
        let text = d.render(Some("x\u{1b}[2Jy"));
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{text:?}"
        );
        assert!(text.contains("\\u{1b}]0;owned\\u{7}b"), "{text}");
    }

    #[test]
    fn a_huge_value_is_echoed_cut_short_and_the_excerpt_stays_near_the_column() {
        let id = "x".repeat(3_000_000);
        let d = diagnostic(&format!("unknown role `{id}` in `owner`"), 1, 2_000_000);
        let source = format!("Scenario(id: \"{id}\")");
        let text = d.render(Some(&source));
        assert!(text.len() < 1_000, "{} bytes", text.len());
        assert!(text.contains('…') && text.ends_with('^'), "{text}");
        assert!(
            text.contains("in `owner`"),
            "the message's end survives: {text}"
        );
    }

    #[test]
    fn the_caret_still_points_at_the_column_of_a_short_line() {
        let d = diagnostic("expected a string", 2, 7);
        let text = d.render(Some("Scenario(\n\tid:  5,\n)"));
        assert!(text.ends_with("2 | \tid:  5,\n  | \t     ^"), "{text:?}");
    }
}
