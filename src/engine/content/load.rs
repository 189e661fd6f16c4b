//! Reading data files safely: size limit, UTF-8, RON parse errors mapped to `file:line:column`.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::engine::diagnostic::{Code, Diagnostic, Level};

/// Files above this size are refused before they are read (4 MiB; the largest shipped scenario is ~40 KiB).
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// Largest file Warroom itself writes and reads back: a session log or a saved exercise. These
/// grow with the exercise (every intent, every event of every inject released), not with what a
/// person typed, so a 4 MiB scenario played to its end makes a larger file. Warroom refuses to
/// write one past this limit, so whatever it wrote it can read.
pub const MAX_RECORD_BYTES: u64 = 256 * 1024 * 1024;

/// How much of an oversized file is read to learn what it declares itself to be.
const SNIFF_BYTES: u64 = 64 * 1024;

/// The byte-order mark some editors put at the start of a UTF-8 file.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The text of a data file together with its path, kept for locating diagnostics.
#[derive(Clone, Debug)]
pub struct Source {
    /// Where it was read from.
    pub path: PathBuf,
    /// Its UTF-8 text.
    pub text: String,
}

/// What a RON data file declares itself to be, from its leading struct name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// `Matrix( … )`.
    Matrix,
    /// `Scenario( … )`.
    Scenario,
    /// `Decisions( … )`: a scripted playthrough.
    Decisions,
    /// `SessionLog( … )`.
    SessionLog,
    /// `QuestionSet( … )`: exam-practice questions.
    QuestionSet,
    /// `MatrixPatch( … )`: an organisation's changes to a base matrix.
    MatrixPatch,
    /// Anything else.
    Unknown,
}

/// A file's bytes, refusing directories, special files (FIFOs, devices, sockets) and files past
/// the size limit (4 MiB; 256 MiB for a save or log Warroom wrote) with a clear diagnostic. At
/// most one byte past the limit is ever read, whatever the file claims its length to be.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    read_bytes_of(path, None)
}

/// [`read_bytes`] for a file Warroom wrote that its first bytes cannot tell apart (a save's
/// journal): read to the limit of what Warroom writes.
pub fn read_written_bytes(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    read_bytes_of(path, Some(true))
}

/// Reads a file within its limit: a save's or log's when `written` says so, or (`None`) when its
/// first bytes show it is one.
fn read_bytes_of(path: &Path, written: Option<bool>) -> Result<Vec<u8>, Diagnostic> {
    let unreadable = |e: std::io::Error| {
        Diagnostic::file_error(Code::UnreadableFile, path, format!("cannot read file: {e}"))
    };
    // `metadata` follows links and never blocks, unlike opening a FIFO.
    let meta = fs::metadata(path).map_err(unreadable)?;
    if meta.is_dir() {
        return Err(Diagnostic::file_error(
            Code::NotAFile,
            path,
            "this is a directory, not a data file",
        )
        .with_hint("pass a .ron file, or a directory to `warroom validate`"));
    }
    if !meta.is_file() {
        return Err(Diagnostic::file_error(
            Code::NotAFile,
            path,
            "not a regular file (a pipe, device or socket)",
        )
        .with_hint("pass a .ron file saved on disk"));
    }
    let too_large = |len: u64, record: bool| {
        let (limit, words, hint) = if record {
            (
                MAX_RECORD_BYTES,
                "256 MiB",
                "Warroom never writes a save or log this large; this file was made elsewhere",
            )
        } else {
            (
                MAX_FILE_BYTES,
                "4 MiB",
                "split the scenario into smaller files or remove embedded data",
            )
        };
        Diagnostic::file_error(
            Code::FileTooLarge,
            path,
            format!("file is {len} bytes; the limit is {limit} bytes ({words})"),
        )
        .with_hint(hint)
    };
    // A file past the limit for what people write may still be a save or log Warroom wrote:
    // its first bytes say which.
    let record =
        written.unwrap_or_else(|| meta.len() > MAX_FILE_BYTES && is_record(path, SNIFF_BYTES));
    let limit = if record {
        MAX_RECORD_BYTES
    } else {
        MAX_FILE_BYTES
    };
    if meta.len() > limit {
        return Err(too_large(meta.len(), record));
    }
    let mut bytes = Vec::new();
    fs::File::open(path)
        .and_then(|file| file.take(limit + 1).read_to_end(&mut bytes))
        .map_err(unreadable)?;
    // The file grew between the check and the read.
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64, record));
    }
    Ok(bytes)
}

impl Source {
    /// Reads a file, refusing directories, special files (FIFOs, devices, sockets), oversized
    /// files and invalid UTF-8 with a clear diagnostic. The size limit holds whatever the file
    /// claims its length to be: at most one byte past it is ever read.
    pub fn read(path: &Path) -> Result<Self, Diagnostic> {
        Self::from_bytes(path, read_bytes(path)?)
    }

    /// Builds a source from bytes already in memory (used by tests and the app's file picker).
    /// A UTF-8 byte-order mark, as some editors on Windows write, is dropped.
    pub fn from_bytes(path: &Path, mut bytes: Vec<u8>) -> Result<Self, Diagnostic> {
        if bytes.starts_with(UTF8_BOM) {
            bytes.drain(..UTF8_BOM.len());
        }
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Self {
                path: path.to_path_buf(),
                text,
            }),
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let bytes = e.into_bytes();
                let prefix = String::from_utf8_lossy(bytes.get(..valid).unwrap_or_default());
                let (line, column) = line_col(&prefix, prefix.len());
                Err(Diagnostic {
                    level: Level::Error,
                    code: Code::InvalidUtf8,
                    file: path.to_path_buf(),
                    line,
                    column,
                    message: format!("file is not valid UTF-8 (byte offset {valid})"),
                    hint: Some("save the file as UTF-8".into()),
                    cell: None,
                })
            }
        }
    }

    /// Builds a source from text (tests, in-memory edits); a leading byte-order mark is dropped.
    pub fn from_text(path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        let mut text = text.into();
        if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
        }
        Self {
            path: path.into(),
            text,
        }
    }

    /// Sniffs the leading struct name.
    pub fn kind(&self) -> FileKind {
        kind_of_text(&self.text)
    }

    /// [`Self::parse`] with `matrix`'s role aliases in force: a role the file names by an alias
    /// reads as the role it stands for.
    pub fn parse_under<T: DeserializeOwned>(
        &self,
        matrix: &crate::engine::model::matrix::Matrix,
    ) -> Result<T, Diagnostic> {
        matrix.reading(|| self.parse())
    }

    /// Parses the text as RON, mapping a parse error to a located diagnostic.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, Diagnostic> {
        // Authors write `severity: 3` rather than `severity: Some(3)`.
        ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
            .from_str::<T>(&self.text)
            .map_err(|e| self.parse_diagnostic(&e))
    }

    fn parse_diagnostic(&self, e: &ron::error::SpannedError) -> Diagnostic {
        let at = offset_of(&self.text, e.span.start.line, e.span.start.col);
        // RON's position can be the blank before the value; the words are about the value.
        let value_at = self
            .text
            .get(at..)
            .map_or(at, |rest| at + (rest.len() - rest.trim_start().len()));
        let (message, hint, (line, column)) = match plain_parse_error(&e.code, &self.text, value_at)
        {
            Some((message, hint)) => (message, hint, line_col(&self.text, value_at)),
            None => (
                e.code.to_string(),
                parse_hint(&e.code),
                (e.span.start.line, e.span.start.col),
            ),
        };
        Diagnostic {
            level: Level::Error,
            code: Code::ParseError,
            file: self.path.clone(),
            line: line.max(1),
            column: column.max(1),
            message,
            hint,
            cell: None,
        }
    }

    /// A locator over this source.
    pub fn locator(&self) -> Locator<'_> {
        Locator::new(&self.text)
    }
}

/// Byte offset of a 1-based line and character column.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let rest = text.get(line_start..).unwrap_or("");
    line_start
        + rest
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i)
}

/// The field whose value starts at `at` (`release` in `release: 0`), if any.
fn field_before(text: &str, at: usize) -> Option<&str> {
    let before = text.get(..at)?.trim_end().strip_suffix(':')?.trim_end();
    let start = before.rfind(|c: char| !is_ident(c)).map_or(0, |i| i + 1);
    before.get(start..).filter(|f| !f.is_empty())
}

/// Plain words for the slips people make most when writing RON by hand: a bare number where a
/// named value goes, quotes a word processor curled, an enum value in the wrong case.
fn plain_parse_error(code: &ron::Error, text: &str, at: usize) -> Option<(String, Option<String>)> {
    use ron::Error as E;
    let here = text.get(at..).and_then(|t| t.chars().next());
    if here.is_some_and(|c| matches!(c, '“' | '”' | '‘' | '’' | '„' | '«' | '»')) {
        return Some((
            "curly quotes are not quotes here: text goes between straight double quotes \"…\""
                .into(),
            Some(
                "a word processor turns \" into “ ”: retype the quotes, or paste as plain text"
                    .into(),
            ),
        ));
    }
    match code {
        E::SuggestRawIdentifier(word) if word.starts_with(|c: char| c.is_ascii_digit()) => {
            let field = field_before(text, at);
            let hint = match field {
                Some("release") => format!(
                    "to release the inject at minute {word}, write `release: At({word})`; for a condition, `release: When(…)`"
                ),
                _ => "this field takes a named value, not a number; docs/format.md lists what each field takes".into(),
            };
            let what = field.map_or(String::new(), |f| format!(" for `{f}`"));
            Some((
                format!("`{word}` is a bare number{what}, where a named value is expected"),
                Some(hint),
            ))
        }
        E::ExpectedString | E::ExpectedStringEnd => {
            let found = if here.is_some_and(|c| c.is_ascii_digit() || c == '-') {
                "found a number"
            } else {
                "found something else"
            };
            let field = field_before(text, at).map_or(String::new(), |f| format!(" for `{f}`"));
            Some((
                format!("expected text in double quotes{field}, {found}"),
                Some("write it as \"…\", e.g. \"12\" for the text 12".into()),
            ))
        }
        E::ExpectedInteger | E::ExpectedFloat if here == Some('"') => {
            let field = field_before(text, at).map_or(String::new(), |f| format!("`{f}` "));
            Some((
                format!("{field}takes a number, written without quotes"),
                Some("remove the double quotes around the number".into()),
            ))
        }
        E::NoSuchEnumVariant {
            expected, found, ..
        } => {
            let right = expected.iter().find(|e| e.eq_ignore_ascii_case(found))?;
            let rule = if right.starts_with(|c: char| c.is_uppercase()) {
                "this value name starts with a capital letter"
            } else {
                "this value name is written in lower case"
            };
            Some((
                format!("`{found}` must be written `{right}`: {rule}"),
                Some(format!("expected one of: {}", backticked(expected))),
            ))
        }
        E::ExceededRecursionLimit => Some((
            "brackets are nested too deeply here for a Warroom file".into(),
            Some(
                "a `(` or `[` is probably repeated or never closed; Warroom files nest only a few levels deep"
                    .into(),
            ),
        )),
        _ => None,
    }
}

/// "`a`, `b`, `c`": names as a hint lists them.
fn backticked(names: &[&str]) -> String {
    names
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn parse_hint(code: &ron::Error) -> Option<String> {
    use ron::Error as E;
    match code {
        E::NoSuchStructField { expected, .. } => {
            Some(format!("known fields here: {}", backticked(expected)))
        }
        E::NoSuchEnumVariant { expected, .. } => {
            Some(format!("expected one of: {}", backticked(expected)))
        }
        E::MissingStructField { field, .. } => Some(format!("add `{field}: …` to this item")),
        E::Eof => Some("the file ends early; check for a missing `)` or `]`".into()),
        _ => None,
    }
}

fn strip_leading_trivia(mut text: &str) -> &str {
    loop {
        let trimmed = text.trim_start_matches('\u{feff}').trim_start();
        if let Some(rest) = trimmed.strip_prefix("//") {
            text = rest.split_once('\n').map_or("", |(_, r)| r);
        } else if let Some(rest) = trimmed.strip_prefix("/*") {
            text = rest.split_once("*/").map_or("", |(_, r)| r);
        } else if let Some(rest) = trimmed.strip_prefix("#![") {
            text = rest.split_once(']').map_or("", |(_, r)| r);
        } else {
            return trimmed;
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

/// What a text declares itself to be, from its leading struct name.
fn kind_of_text(text: &str) -> FileKind {
    let ident: String = strip_leading_trivia(text)
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    match ident.as_str() {
        "Matrix" => FileKind::Matrix,
        "Scenario" => FileKind::Scenario,
        "Decisions" => FileKind::Decisions,
        "SessionLog" => FileKind::SessionLog,
        "QuestionSet" => FileKind::QuestionSet,
        "MatrixPatch" => FileKind::MatrixPatch,
        _ => FileKind::Unknown,
    }
}

/// Whether the file at `path` declares itself a session log or a saved exercise in its first
/// `sniff` bytes (files Warroom writes, which may be larger than what people write).
fn is_record(path: &Path, sniff: u64) -> bool {
    let mut head = Vec::new();
    if fs::File::open(path)
        .and_then(|file| file.take(sniff).read_to_end(&mut head))
        .is_err()
    {
        return false;
    }
    let head = String::from_utf8_lossy(&head);
    let head = head.strip_prefix('\u{feff}').unwrap_or(&head);
    matches!(kind_of_text(head), FileKind::SessionLog)
        || strip_leading_trivia(head).starts_with("ExerciseRecord")
}

/// Where each line of a text starts: line and column of any offset in logarithmic time, and any
/// line's text without scanning the lines before it. Built once per file, however many
/// diagnostics it has.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self { starts }
    }

    /// The same as [`line_col`] for the text it indexes.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&start| start <= offset);
        let start = self
            .starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(0);
        let column = text.get(start..offset).map_or(0, |s| s.chars().count()) + 1;
        (line, column)
    }

    /// The text of 1-based line `n` (without its newline), as `text.lines().nth(n - 1)` gives it.
    pub fn line<'t>(&self, text: &'t str, n: usize) -> Option<&'t str> {
        let start = *self.starts.get(n.checked_sub(1)?)?;
        // Nothing after a final newline is a line, as `str::lines` has it.
        if start >= text.len() {
            return None;
        }
        let end = self.starts.get(n).map_or(text.len(), |next| next - 1);
        let line = text.get(start..end)?;
        Some(line.strip_suffix('\r').unwrap_or(line))
    }
}

/// Finds where an id or value appears in a source, so semantic diagnostics can point at it.
///
/// The typed model carries no spans, so we search the text: first for the enclosing item's quoted id
/// (the anchor), then for the quoted value after it. That is exact for ids, which are unique by rule,
/// and good to the item for everything else.
#[derive(Clone, Debug)]
pub struct Locator<'a> {
    text: &'a str,
    /// Where each `id: "…"` is defined, found on the first lookup.
    definitions: OnceCell<HashMap<&'a str, usize>>,
    /// Where each line starts, built on the first lookup.
    lines: OnceCell<LineIndex>,
}

impl<'a> Locator<'a> {
    /// Wraps a text.
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            definitions: OnceCell::new(),
            lines: OnceCell::new(),
        }
    }

    /// Byte offset of the `n`th (0-based) occurrence of the quoted string `"value"` at or after `from`.
    fn quoted(&self, value: &str, from: usize, n: usize) -> Option<usize> {
        let needle = format!("\"{value}\"");
        let hay = self.text.get(from..)?;
        hay.match_indices(&needle).nth(n).map(|(i, _)| from + i)
    }

    /// Byte offset of a bare word (field name or enum variant) at or after `from`.
    fn word(&self, word: &str, from: usize) -> Option<usize> {
        let hay = self.text.get(from..)?;
        hay.match_indices(word)
            .find(|(i, _)| {
                let before = hay.get(..*i).and_then(|s| s.chars().last());
                let after = hay.get(i + word.len()..).and_then(|s| s.chars().next());
                !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
            })
            .map(|(i, _)| from + i)
    }

    /// Byte offset of the item that defines `id` (its `id: "…"` field), if one does.
    fn definition(&self, id: &str) -> Option<usize> {
        self.definitions
            .get_or_init(|| definitions(self.text))
            .get(id)
            .copied()
    }

    /// Where the item named `anchor` starts: its definition, else the first mention of it, else a
    /// bare field name (`cast`, `modes`) of that spelling.
    fn anchor(&self, anchor: &str) -> Option<usize> {
        self.definition(anchor)
            .or_else(|| self.quoted(anchor, 0, 0))
            .or_else(|| self.word(anchor, 0))
    }

    /// Line and column of `needle` (a quoted value, or a bare word if no quoted match) inside the item
    /// named `anchor`; falls back to the anchor, then to the start of the file.
    pub fn find(&self, anchor: Option<&str>, needle: &str) -> (usize, usize) {
        let start = anchor.and_then(|a| self.anchor(a));
        let from = start.unwrap_or(0);
        let at = self
            .quoted(needle, from, 0)
            .or_else(|| self.word(needle, from))
            .or(start)
            .unwrap_or(0);
        self.position(at)
    }

    /// Line and column of a byte offset, through the line index.
    fn position(&self, at: usize) -> (usize, usize) {
        self.lines
            .get_or_init(|| LineIndex::new(self.text))
            .line_col(self.text, at)
    }

    /// Line and column of a field reached through its parents' fields (`["scoring", "weights",
    /// "evidence"]`), read as RON fields are: a name followed by `:`, outside strings and
    /// comments, so a description that mentions `evidence` never misleads it. `None` when the
    /// path is not written out in the file (a default left implicit).
    pub fn field_path(&self, path: &[&str]) -> Option<(usize, usize)> {
        let mut at = 0;
        for name in path {
            let rest = self.text.get(at..)?;
            at += nth_field(rest, name, 0)?;
        }
        Some(self.position(at))
    }

    /// Line and column of the `index`th item of list `section`, each item starting with field
    /// `field` (`merges`, `roles`, 2: the third merge).
    pub fn entry(&self, section: &str, field: &str, index: usize) -> Option<(usize, usize)> {
        let start = nth_field(self.text, section, 0)?;
        let at = start + nth_field(self.text.get(start..)?, field, index)?;
        Some(self.position(at))
    }

    /// Line and column of the `n`th (0-based) quoted occurrence of `value`; used for duplicates.
    pub fn nth(&self, value: &str, n: usize) -> (usize, usize) {
        let at = self
            .quoted(value, 0, n)
            .or_else(|| self.quoted(value, 0, 0))
            .unwrap_or(0);
        self.position(at)
    }
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Byte offset of the `n`th `name:` field in a RON text, skipping string literals and comments.
pub(crate) fn nth_field(text: &str, name: &str, n: usize) -> Option<usize> {
    let mut seen = 0;
    let mut found = None;
    scan_fields(text, name, |at| {
        if seen == n {
            found = Some(at);
            return true;
        }
        seen += 1;
        false
    });
    found
}

/// Byte offsets of every `name:` field of a RON text, in order (strings and comments skipped):
/// one pass for a caller that locates many of them.
pub(crate) fn field_offsets(text: &str, name: &str) -> Vec<usize> {
    let mut out = Vec::new();
    scan_fields(text, name, |at| {
        out.push(at);
        false
    });
    out
}

/// Calls `found` with the offset of each `name:` field until it returns true.
fn scan_fields(text: &str, name: &str, mut found: impl FnMut(usize) -> bool) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes.get(i) {
            Some(b'"') => {
                i += 1;
                while i < bytes.len() && bytes.get(i) != Some(&b'"') {
                    i += if bytes.get(i) == Some(&b'\\') { 2 } else { 1 };
                }
                i += 1;
            }
            Some(b'/') if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes.get(i) != Some(&b'\n') {
                    i += 1;
                }
            }
            _ => {
                let word_start = i == 0 || !is_ident_byte(bytes.get(i - 1).copied());
                if word_start && text.get(i..).is_some_and(|t| t.starts_with(name)) {
                    let after = text.get(i + name.len()..).unwrap_or_default();
                    if after.trim_start().starts_with(':')
                        && !is_ident_byte(after.bytes().next())
                        && found(i)
                    {
                        return;
                    }
                }
                i += 1;
            }
        }
    }
}

fn is_ident_byte(b: Option<u8>) -> bool {
    b.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Every `id: "value"` of a text, by value, at the offset of its opening quote (first one wins).
fn definitions(text: &str) -> HashMap<&str, usize> {
    let mut found = HashMap::new();
    for (i, _) in text.match_indices("id") {
        if text[..i].chars().last().is_some_and(is_ident) {
            continue;
        }
        let after = &text[i + 2..];
        let Some(rest) = after.trim_start().strip_prefix(':') else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(value) = rest.strip_prefix('"') else {
            continue;
        };
        let Some(end) = value.find('"') else {
            continue;
        };
        let quote = text.len() - rest.len();
        found.entry(&value[..end]).or_insert(quote);
    }
    found
}

/// Every `.ron` file directly inside a directory (and its `matrices/` sub-folder), sorted by name.
pub fn ron_files_in(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let entries = fs::read_dir(dir).map_err(|e| {
        Diagnostic::file_error(
            Code::UnreadableFile,
            dir,
            format!("cannot list directory: {e}"),
        )
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "ron"))
        .collect();
    files.sort();
    Ok(files)
}

/// Deepest folder [`ron_files_under`] looks into: content is a few folders deep at most.
const MAX_FOLDER_DEPTH: usize = 8;

/// Every `.ron` file in `dir` and its sub-folders (a trainer's `decisions/` beside the scenarios,
/// `questions/`), sorted; hidden folders and links to folders are not followed, so a loop of links
/// cannot trap it. A folder that cannot be listed is reported, and the rest still found.
pub fn ron_files_under(dir: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let mut folders = vec![(dir.to_path_buf(), 0)];
    while let Some((folder, depth)) = folders.pop() {
        match ron_files_in(&folder) {
            Ok(found) => files.extend(found),
            Err(d) => problems.push(d),
        }
        if depth >= MAX_FOLDER_DEPTH {
            continue;
        }
        let Ok(entries) = fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.filter_map(Result::ok) {
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            let is_folder = entry.file_type().is_ok_and(|t| t.is_dir());
            if is_folder && !hidden {
                folders.push((entry.path(), depth + 1));
            }
        }
    }
    files.sort();
    (files, problems)
}

/// Every `.ron` file `paths` name: the files themselves and those under the folders, sorted and
/// once each.
pub fn ron_files_of(paths: &[PathBuf]) -> std::collections::BTreeSet<PathBuf> {
    let mut files = std::collections::BTreeSet::new();
    for path in paths {
        if path.is_dir() {
            files.extend(ron_files_under(path).0);
        } else {
            files.insert(path.clone());
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ron_files_are_found_in_sub_folders_but_not_hidden_ones() {
        let dir = tempfile::tempdir().unwrap();
        for (folder, file) in [
            ("", "a.ron"),
            ("decisions", "b.ron"),
            ("decisions/team", "c.ron"),
            (".git", "d.ron"),
            ("", "notes.txt"),
        ] {
            let folder = dir.path().join(folder);
            fs::create_dir_all(&folder).unwrap();
            fs::write(folder.join(file), "x").unwrap();
        }
        let (files, problems) = ron_files_under(dir.path());
        let names: Vec<_> = files
            .iter()
            .map(|f| f.strip_prefix(dir.path()).unwrap().display().to_string())
            .collect();
        assert_eq!(names, ["a.ron", "decisions/b.ron", "decisions/team/c.ron"]);
        assert!(problems.is_empty());
    }

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "ab\néé x";
        let offset = text.find('x').unwrap();
        assert_eq!(line_col(text, offset), (2, 4));
    }

    #[test]
    fn special_files_are_refused_without_being_read() {
        // A character device: reading it would never end.
        let err = Source::read(Path::new("/dev/zero")).unwrap_err();
        assert_eq!(err.code, Code::NotAFile);
        assert!(
            err.message.contains("not a regular file"),
            "{}",
            err.message
        );
        // A FIFO: opening it would block until a writer came.
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("plan.ron");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let err = Source::read(&fifo).unwrap_err();
            assert_eq!(err.code, Code::NotAFile);
            assert_eq!(err.file, fifo);
            assert!(ron_files_in(dir.path()).unwrap().is_empty());
        }
    }

    #[test]
    fn a_byte_order_mark_and_windows_line_ends_are_accepted() {
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct Pair {
            a: u32,
            b: String,
        }
        let text = "\u{feff}Pair(\r\n  a: 1,\r\n  b: \"x\",\r\n)\r\n";
        let from_bytes = Source::from_bytes(Path::new("p.ron"), text.as_bytes().to_vec()).unwrap();
        assert_eq!(from_bytes.kind(), FileKind::Unknown);
        let pair: Pair = from_bytes.parse().unwrap();
        assert_eq!(
            pair,
            Pair {
                a: 1,
                b: "x".into()
            }
        );
        let pair: Pair = Source::from_text("p.ron", text).parse().unwrap();
        assert_eq!(pair.a, 1);
        // Errors after CRLF lines are still located by line.
        let bad = Source::from_text("p.ron", "Pair(\r\n  a: 1,\r\n  b: 2,\r\n)");
        let err = bad.parse::<Pair>().unwrap_err();
        assert_eq!(err.line, 3, "{err:?}");
    }

    #[test]
    fn invalid_utf8_is_located() {
        let bytes = b"Scenario(\n  id: \"a\xffb\"".to_vec();
        let err = Source::from_bytes(Path::new("bad.ron"), bytes).unwrap_err();
        assert_eq!(err.code, Code::InvalidUtf8);
        assert_eq!((err.line, err.column), (2, 9));
    }

    #[test]
    fn kind_is_sniffed_after_comments() {
        let src = Source::from_text("x.ron", "// hello\n/* block */\n  Scenario(id: \"x\")");
        assert_eq!(src.kind(), FileKind::Scenario);
        assert_eq!(
            Source::from_text("y.ron", "(a: 1)").kind(),
            FileKind::Unknown
        );
    }

    #[test]
    fn locator_prefers_value_inside_anchor() {
        let text = "a: \"x\",\nitem(id: \"i2\", role: \"x\")";
        let loc = Locator::new(text);
        assert_eq!(loc.find(Some("i2"), "x"), (2, 22));
        assert_eq!(loc.nth("x", 1), (2, 22));
        assert_eq!(loc.find(None, "x"), (1, 4));
    }

    #[test]
    fn locator_anchors_at_the_definition_not_an_earlier_mention() {
        let text = "Inject(id: \"a\", release: When(Released(\"b\")), severity: 2),\nInject(id : \"b\", severity: 9)";
        let loc = Locator::new(text);
        assert_eq!(loc.find(Some("b"), "severity"), (2, 18));
        assert_eq!(loc.find(Some("b"), "b"), (2, 13));
        // Not defined anywhere: the first mention.
        assert_eq!(loc.find(Some("zzz"), "severity"), (1, 47));
    }

    #[test]
    fn locator_anchors_at_a_field_name() {
        let text = "objectives: [Objective(id: \"legal\")],\ncast: [\"soc\", \"legal\"]";
        assert_eq!(Locator::new(text).find(Some("cast"), "legal"), (2, 15));
    }

    #[test]
    fn locator_finds_bare_words() {
        let loc = Locator::new("Inject(id: \"a\", decisions: [])");
        assert_eq!(loc.find(Some("a"), "decisions"), (1, 17));
    }

    #[test]
    fn finds_fields_outside_strings_and_comments() {
        let text = "// at: no\n(at: 1, note: \"at: no\", at : 2, bat: 3)";
        assert_eq!(nth_field(text, "at", 0), Some(11));
        assert_eq!(nth_field(text, "at", 1), Some(34));
        assert_eq!(nth_field(text, "at", 2), None);
    }

    #[test]
    fn the_line_index_agrees_with_scanning_the_text() {
        let texts = [
            "",
            "a",
            "a\n",
            "a\n\nb",
            "é\r\nxy\r\n\n  z",
            "Scenario(\n\tid: \"x\",\n)\n",
        ];
        for text in texts {
            let index = LineIndex::new(text);
            for offset in 0..=text.len() + 2 {
                if text.is_char_boundary(offset.min(text.len())) {
                    assert_eq!(
                        index.line_col(text, offset),
                        line_col(text, offset),
                        "{text:?} at {offset}"
                    );
                }
            }
            for n in 0_usize..6 {
                let scanned = n.checked_sub(1).and_then(|i| text.lines().nth(i));
                assert_eq!(index.line(text, n), scanned, "{text:?} line {n}");
            }
        }
    }
}
