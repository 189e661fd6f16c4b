//! Everything the command line prints goes through one filter: text that came from a file (a
//! title, an id, a refused value in a log) can hold escape sequences that retitle or clear the
//! terminal, or direction overrides that make a line read backwards. The filter writes each such
//! character as a `\uXXXX` escape instead, which also keeps JSON output valid and its values
//! unchanged when parsed (`\u202e` is JSON's own escape for U+202E).

use std::io::{self, Write};

/// A writer that escapes terminal control characters and text-direction overrides on their way
/// to the terminal. Newlines and tabs pass: they are how output is laid out.
pub struct TerminalSafe<'w> {
    inner: &'w mut dyn Write,
    /// The first bytes of a character split across two writes, kept for the next.
    pending: Vec<u8>,
}

impl<'w> TerminalSafe<'w> {
    /// Wraps the stream the text is bound for.
    pub fn new(inner: &'w mut dyn Write) -> Self {
        Self {
            inner,
            pending: Vec::new(),
        }
    }
}

pub use crate::engine::text::{escape_for_terminal, must_not_show};

impl Write for TerminalSafe<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut bytes = std::mem::take(&mut self.pending);
        bytes.extend_from_slice(buf);
        let (text, rest) = match std::str::from_utf8(&bytes) {
            Ok(text) => (text, &[][..]),
            // An incomplete character at the end waits for the next write; bytes that can never
            // be UTF-8 are replaced (a lone 0x9B is an 8-bit escape to some terminals).
            Err(e) if e.error_len().is_none() => {
                let (valid, rest) = bytes.split_at(e.valid_up_to());
                (std::str::from_utf8(valid).unwrap_or_default(), rest)
            }
            Err(_) => {
                let text = String::from_utf8_lossy(&bytes);
                self.inner
                    .write_all(escape_for_terminal(&text).as_bytes())?;
                return Ok(buf.len());
            }
        };
        if text.chars().any(must_not_show) {
            self.inner.write_all(escape_for_terminal(text).as_bytes())?;
        } else {
            self.inner.write_all(text.as_bytes())?;
        }
        self.pending = rest.to_vec();
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            // A character cut off for good: replaced, as any other broken bytes are.
            let pending = std::mem::take(&mut self.pending);
            self.inner
                .write_all(String::from_utf8_lossy(&pending).as_bytes())?;
        }
        self.inner.flush()
    }
}

impl Drop for TerminalSafe<'_> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use super::TerminalSafe;

    fn through_filter(pieces: &[&[u8]]) -> String {
        let mut out = Vec::new();
        {
            let mut safe = TerminalSafe::new(&mut out);
            for piece in pieces {
                safe.write_all(piece).unwrap();
            }
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn escape_sequences_and_direction_overrides_never_reach_the_terminal() {
        let hostile = "title\u{1b}]0;pwned\u{7}\u{1b}[2J and \u{202e}desrever\u{2066}x\u{85}\r";
        let shown = through_filter(&[hostile.as_bytes()]);
        assert_eq!(
            shown,
            "title\\u001b]0;pwned\\u0007\\u001b[2J and \\u202edesrever\\u2066x\\u0085\\u000d"
        );
        assert!(!shown.chars().any(super::must_not_show));
    }

    #[test]
    fn layout_and_ordinary_text_pass_unchanged() {
        let text = "Ransomware\tT+10\nCafé — 東京 — שלום\n";
        assert_eq!(through_filter(&[text.as_bytes()]), text);
    }

    #[test]
    fn a_character_split_across_writes_is_kept_whole() {
        let text = "a\u{202e}b é";
        let bytes = text.as_bytes();
        // Split inside the three bytes of U+202E and inside the two of é.
        let shown = through_filter(&[&bytes[..2], &bytes[2..6], &bytes[6..]]);
        assert_eq!(shown, "a\\u202eb é");
    }

    #[test]
    fn bytes_that_are_not_utf8_are_replaced_not_passed() {
        assert_eq!(through_filter(&[b"a\x9b2Jb"]), "a\u{fffd}2Jb");
    }

    #[test]
    fn json_escaped_by_the_filter_parses_to_the_same_value() {
        let value = serde_json::json!({ "title": "x\u{202e}y\u{85}" });
        let shown = through_filter(&[serde_json::to_string(&value).unwrap().as_bytes()]);
        assert!(!shown.contains('\u{202e}'));
        let parsed: serde_json::Value = serde_json::from_str(&shown).unwrap();
        assert_eq!(parsed, value);
    }
}
