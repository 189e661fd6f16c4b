//! Interchange with the tools people keep their plans in (spreadsheets and CSV) and with the
//! organisation's learning record store (xAPI statements). A layer of its
//! own beside the store, used by the CLI (and later the app), never by the engine's core: it turns
//! a sheet into the engine's model and back, reporting every problem at its sheet cell as data.

pub mod msel;
pub mod msel_import;
pub mod plan_workbook;
pub mod raci;
pub mod sheet;
pub mod workbook;
pub mod xapi;

use std::path::Path;

/// Whether a path names an Excel workbook (`.xlsx`) rather than a CSV file.
pub fn is_workbook(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
}

/// The spreadsheet column letters of a 0-based column index: 0 → `A`, 25 → `Z`, 26 → `AA`.
pub fn column_letters(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// Characters that make a spreadsheet read a cell as a formula (OWASP's CSV injection list).
const FORMULA_LEADS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell's text made safe to open in a spreadsheet: text a spreadsheet would run as a formula
/// gets a leading `'`, which spreadsheets show as text and [`restore_cell`] takes off again.
pub fn neutralise_cell(text: &str) -> String {
    if text.starts_with(FORMULA_LEADS) || text.starts_with('\'') {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// The text [`neutralise_cell`] was given.
pub fn restore_cell(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_LEADS) || rest.starts_with('\'') => rest,
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::{column_letters, neutralise_cell, restore_cell};

    #[test]
    fn columns_are_lettered_as_spreadsheets_letter_them() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn formulas_are_neutralised_and_come_back_as_written() {
        for text in [
            "=HYPERLINK(\"http://x\")",
            "+1",
            "-2",
            "@SUM(A1)",
            "\tx",
            "'quoted",
            "plain",
            "",
        ] {
            let safe = neutralise_cell(text);
            assert!(
                !safe.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{safe:?}"
            );
            assert_eq!(restore_cell(&safe), text);
        }
    }
}
