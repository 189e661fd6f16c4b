//! The diagnostics collector of one file, and "did you mean" suggestions for unknown ids.

use std::collections::BTreeMap;
use std::path::Path;

use crate::engine::content::load::Locator;
use crate::engine::diagnostic::{Code, Diagnostic, Level};
use crate::engine::model::id::{MAX_ID_CHARS, id_problem};

/// Collects diagnostics for one file.
pub(super) struct Collector<'a> {
    pub(super) file: &'a Path,
    pub(super) locator: Locator<'a>,
    pub(super) out: Vec<Diagnostic>,
}

impl<'a> Collector<'a> {
    pub(super) fn new(file: &'a Path, text: &'a str) -> Self {
        Self {
            file,
            locator: Locator::new(text),
            out: Vec::new(),
        }
    }

    pub(super) fn push(
        &mut self,
        level: Level,
        code: Code,
        (line, column): (usize, usize),
        message: String,
        hint: Option<String>,
    ) {
        self.out.push(Diagnostic {
            level,
            code,
            file: self.file.to_path_buf(),
            line,
            column,
            message,
            hint,
            cell: None,
        });
    }

    /// An error pointing at `needle` inside the item whose id is `anchor`.
    pub(super) fn error(
        &mut self,
        code: Code,
        anchor: Option<&str>,
        needle: &str,
        message: String,
        hint: impl Into<Option<String>>,
    ) {
        let at = self.locator.find(anchor, needle);
        self.push(Level::Error, code, at, message, hint.into());
    }

    /// Like [`Self::error`], for a problem that does not stop the file loading.
    pub(super) fn warning(
        &mut self,
        code: Code,
        anchor: Option<&str>,
        needle: &str,
        message: String,
    ) {
        let at = self.locator.find(anchor, needle);
        self.push(Level::Warning, code, at, message, None);
    }

    /// Reports every id that cannot be one (too long, spaces, invisible characters) where it
    /// stands, and every id that occurs more than once, at its second occurrence.
    pub(super) fn duplicates<'i>(&mut self, what: &str, ids: impl IntoIterator<Item = &'i str>) {
        let mut seen = BTreeMap::<&str, usize>::new();
        for id in ids {
            if let Some(problem) = id_problem(id) {
                let at = self.locator.find(None, id);
                self.push(
                    Level::Error,
                    Code::BadId,
                    at,
                    format!("{what} id: {problem}"),
                    Some(format!(
                        "ids are up to {MAX_ID_CHARS} letters, digits, `-` or `_`, such as `triage-fs01`"
                    )),
                );
            }
            let count = seen.entry(id).or_default();
            *count += 1;
            if *count == 2 {
                let at = self.locator.nth(id, 1);
                self.push(
                    Level::Error,
                    Code::DuplicateId,
                    at,
                    format!("duplicate {what} id `{id}`"),
                    Some(format!("every {what} needs its own id; rename one of them")),
                );
            }
        }
    }
}

/// Suggests the closest known id, for "did you mean" hints.
pub(crate) fn suggest<'k>(
    unknown: &str,
    known: impl IntoIterator<Item = &'k str>,
) -> Option<String> {
    let best = known
        .into_iter()
        .map(|k| (edit_distance(unknown, k), k))
        .min_by_key(|(d, _)| *d)?;
    let limit = unknown.len().max(3) / 3 + 1;
    (best.0 <= limit).then(|| format!("did you mean `{}`?", best.1))
}

pub(super) fn known_list<'k>(known: impl IntoIterator<Item = &'k str>) -> String {
    let all: Vec<&str> = known.into_iter().collect();
    let shown: Vec<String> = all.iter().take(12).map(|k| format!("`{k}`")).collect();
    let more = all.len().saturating_sub(12);
    if more > 0 {
        format!("known: {} and {more} more", shown.join(", "))
    } else {
        format!("known: {}", shown.join(", "))
    }
}

pub(super) fn unknown_hint<'k, I>(unknown: &str, known: I) -> String
where
    I: IntoIterator<Item = &'k str> + Clone,
{
    suggest(unknown, known.clone()).unwrap_or_else(|| known_list(known))
}

pub(super) fn edit_distance(a: &str, b: &str) -> usize {
    // Classic two-row Levenshtein; `zip` walks the previous row alongside the current one.
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = Vec::with_capacity(b.len() + 1);
        cur.push(i + 1);
        for ((cb, diag), up) in b.iter().zip(&prev).zip(prev.iter().skip(1)) {
            let left = cur.last().copied().unwrap_or(0);
            let cost = usize::from(ca != *cb);
            cur.push((diag + cost).min(up + 1).min(left + 1));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}
