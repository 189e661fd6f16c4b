//! A sheet as read from a CSV file or from one worksheet of a workbook: sparse rows of text, and
//! every problem located the way that kind of file names a place (`plan.csv:12:6`,
//! `plan.xlsx:RACI!F12`).

use std::path::{Path, PathBuf};

use super::{column_letters, restore_cell};
use crate::engine::content::load::Source;
use crate::engine::diagnostic::{Code, Diagnostic, Level, SheetCell};

/// The largest sheet or workbook file read, as for every file people write.
pub const MAX_SHEET_BYTES: usize = 4 * 1024 * 1024;
/// The most filled cells read from one file: far beyond any plan, far below what would hurt.
pub const MAX_FILLED_CELLS: usize = 100_000;

/// One row: its number as the file shows it (1-based) and its filled cells by column.
#[derive(Clone, Debug, Default)]
pub struct Row {
    /// The line of a CSV file, the row of a worksheet.
    pub number: usize,
    /// (0-based column, text), by column; empty cells are left out, so a cell in column XFD
    /// costs what a cell in column A does.
    cells: Vec<(usize, String)>,
    /// In a CSV file, the 1-based character column where each field starts on its line.
    text_columns: Vec<usize>,
}

impl Row {
    /// A row of `(column, text)` cells in any order; blank ones are dropped.
    pub fn new(number: usize, mut cells: Vec<(usize, String)>) -> Self {
        cells.retain(|(_, text)| !text.trim().is_empty());
        cells.sort_by_key(|(column, _)| *column);
        Self {
            number,
            cells,
            text_columns: Vec::new(),
        }
    }

    /// The trimmed text of a column ("" when empty).
    pub fn get(&self, column: usize) -> &str {
        self.cells
            .binary_search_by_key(&column, |(c, _)| *c)
            .ok()
            .and_then(|i| self.cells.get(i))
            .map_or("", |(_, text)| text.trim())
    }

    /// Whether every cell is empty.
    pub fn is_blank(&self) -> bool {
        self.cells.is_empty()
    }

    /// The filled cells, by column.
    pub fn cells(&self) -> impl Iterator<Item = (usize, &str)> {
        self.cells.iter().map(|(c, text)| (*c, text.trim()))
    }
}

/// A sheet's rows and where they came from.
#[derive(Clone, Debug)]
pub struct Sheet {
    /// The file.
    pub file: PathBuf,
    /// The worksheet's name in a workbook; `None` for a CSV file.
    pub name: Option<String>,
    /// The rows that have a filled cell, in order.
    pub rows: Vec<Row>,
}

impl Sheet {
    /// An error at one cell: `cell F12: …`, located at the line and column of a CSV file or at
    /// the sheet and cell of a workbook.
    pub fn problem(&self, (row, column): (usize, usize), code: Code, message: &str) -> Diagnostic {
        let reference = format!("{}{row}", column_letters(column));
        // A CSV file's editor column is where the field starts on its line.
        let text_column = self
            .rows
            .binary_search_by_key(&row, |r| r.number)
            .ok()
            .and_then(|i| self.rows.get(i))
            .and_then(|r| r.text_columns.get(column).copied());
        Diagnostic {
            level: Level::Error,
            code,
            file: self.file.clone(),
            line: row.max(1),
            column: text_column.unwrap_or(column + 1),
            message: format!("cell {reference}: {message}"),
            hint: None,
            cell: self.name.as_ref().map(|sheet| {
                Box::new(SheetCell {
                    sheet: sheet.clone(),
                    cell: reference,
                })
            }),
        }
    }

    /// The sheet's name as a person reads it in a message: `sheet RACI` or the file's name.
    pub fn describe(&self) -> String {
        match &self.name {
            Some(name) => format!("sheet `{name}`"),
            None => format!("`{}`", self.file.display()),
        }
    }
}

/// A whole-file error.
pub fn file_problem(path: &Path, code: Code, message: impl Into<String>) -> Vec<Diagnostic> {
    vec![Diagnostic::file_error(code, path, message)]
}

/// Reads CSV bytes as a sheet: UTF-8 with or without a byte-order mark, any line ends, quoted
/// fields; a cell the export neutralised (`'=…`) comes back as written.
pub fn read_csv(path: &Path, bytes: &[u8]) -> Result<Sheet, Vec<Diagnostic>> {
    if bytes.len() > MAX_SHEET_BYTES {
        return Err(file_problem(
            path,
            Code::FileTooLarge,
            format!(
                "the sheet is {} bytes; Warroom reads sheets up to 4 MiB",
                bytes.len()
            ),
        ));
    }
    // Invalid UTF-8 is located at its line and column; a byte-order mark is dropped.
    let source = Source::from_bytes(path, bytes.to_vec()).map_err(|d| vec![d])?;
    let text = source.text.as_str();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut filled = 0;
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(1, |p| p.line() as usize);
                let mut problem = Diagnostic::file_error(
                    Code::ParseError,
                    path,
                    format!("not readable as CSV: {e}"),
                );
                problem.line = line;
                problem.column = 1;
                return Err(vec![problem]);
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        let start = record.position().map_or(0, |p| p.byte() as usize);
        let mut row = Row::new(
            line,
            record
                .iter()
                .enumerate()
                .map(|(c, text)| (c, restore_cell(text).to_owned()))
                .collect(),
        );
        row.text_columns = field_columns(text.get(start..).unwrap_or_default(), record.len());
        filled += row.cells.len();
        if filled > MAX_FILLED_CELLS {
            return Err(too_many_cells(path));
        }
        if !row.is_blank() {
            rows.push(row);
        }
    }
    Ok(Sheet {
        file: path.to_path_buf(),
        name: None,
        rows,
    })
}

/// Where each of a record's first `fields` fields starts on its line (1-based characters), read
/// off the raw text from the record's start; empty when a quoted field spans lines.
fn field_columns(raw: &str, fields: usize) -> Vec<usize> {
    let mut columns = vec![1];
    let mut quoted = false;
    for (column, c) in raw.chars().enumerate() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                if columns.len() == fields {
                    break;
                }
                columns.push(column + 2);
            }
            '\n' | '\r' if quoted => return Vec::new(),
            '\n' | '\r' => break,
            _ => {}
        }
    }
    columns
}

/// The error for a file with more filled cells than Warroom reads.
pub fn too_many_cells(path: &Path) -> Vec<Diagnostic> {
    file_problem(
        path,
        Code::TooManyCells,
        format!("the file has more than {MAX_FILLED_CELLS} filled cells; a plan needs far fewer"),
    )
}

/// Rows of text as CSV, each cell neutralised against formula injection and quoted when it must
/// be.
pub fn write_csv(rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .map(|c| csv_field(&super::neutralise_cell(c)))
            .collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

/// One CSV field, quoted when it must be.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}
