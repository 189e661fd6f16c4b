//! Excel workbooks (`.xlsx`) in and out. Reading is guarded: the zip's declared sizes are checked,
//! and then checked against what really unpacks, before the workbook is parsed, and cells are read
//! one at a time as they stream by, never into a dense grid (a few kilobytes that name a far
//! corner must not become gigabytes: tafia/calamine#693). Formulas are never evaluated; a formula
//! cell reads as the value the spreadsheet last saved with it.

use std::io::{Cursor, Read};
use std::path::Path;

use calamine::{DataRef, Reader, Xlsx, open_workbook_from_rs};
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DocProperties, ExcelDateTime, Format, FormatAlign,
    Workbook,
};

use super::neutralise_cell;
use super::sheet::{MAX_FILLED_CELLS, MAX_SHEET_BYTES, Row, Sheet, file_problem, too_many_cells};
use crate::engine::diagnostic::{Code, Diagnostic};

/// The most a workbook may unpack to, all parts together.
const MAX_UNPACKED_BYTES: u64 = 64 * 1024 * 1024;
/// The most parts (files inside the zip) a workbook may have.
const MAX_PARTS: usize = 10_000;

/// The worksheets of an xlsx file that `wanted` names (all of them when it returns `true` for
/// every name), in the workbook's order.
pub fn read_xlsx(
    path: &Path,
    bytes: &[u8],
    wanted: impl Fn(&str) -> bool,
) -> Result<Vec<Sheet>, Vec<Diagnostic>> {
    if bytes.len() > MAX_SHEET_BYTES {
        return Err(file_problem(
            path,
            Code::FileTooLarge,
            format!(
                "the workbook is {} bytes; Warroom reads workbooks up to 4 MiB",
                bytes.len()
            ),
        ));
    }
    check_unpacked_sizes(bytes).map_err(|why| file_problem(path, Code::UnsafeWorkbook, why))?;
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| {
        file_problem(
            path,
            Code::UnsafeWorkbook,
            format!("not readable as an xlsx workbook: {e}"),
        )
    })?;
    let mut sheets = Vec::new();
    let mut filled = 0;
    for name in workbook.sheet_names() {
        if !wanted(&name) {
            continue;
        }
        let mut reader = workbook.worksheet_cells_reader(&name).map_err(|e| {
            file_problem(
                path,
                Code::UnsafeWorkbook,
                format!("sheet `{name}` is not readable: {e}"),
            )
        })?;
        let mut rows: Vec<(u32, Vec<(usize, String)>)> = Vec::new();
        loop {
            let cell = match reader.next_cell() {
                Ok(Some(cell)) => cell,
                Ok(None) => break,
                Err(e) => {
                    return Err(file_problem(
                        path,
                        Code::UnsafeWorkbook,
                        format!("sheet `{name}` is not readable: {e}"),
                    ));
                }
            };
            let Some(text) = cell_text(cell.get_value()) else {
                continue;
            };
            filled += 1;
            if filled > MAX_FILLED_CELLS {
                return Err(too_many_cells(path));
            }
            let (row, column) = cell.get_position();
            match rows.last_mut() {
                Some((r, cells)) if *r == row => cells.push((column as usize, text)),
                _ => rows.push((row, vec![(column as usize, text)])),
            }
        }
        // Cells stream in file order, which a hand-edited file need not keep.
        rows.sort_by_key(|(row, _)| *row);
        let mut merged: Vec<Row> = Vec::new();
        let mut pending: Option<(u32, Vec<(usize, String)>)> = None;
        for (row, cells) in rows {
            match &mut pending {
                Some((r, existing)) if *r == row => existing.extend(cells),
                _ => {
                    if let Some((r, c)) = pending.take() {
                        merged.push(Row::new(r as usize + 1, c));
                    }
                    pending = Some((row, cells));
                }
            }
        }
        if let Some((r, c)) = pending {
            merged.push(Row::new(r as usize + 1, c));
        }
        merged.retain(|row| !row.is_blank());
        sheets.push(Sheet {
            file: path.to_path_buf(),
            name: Some(name),
            rows: merged,
        });
    }
    Ok(sheets)
}

/// Refuses a zip whose parts claim, or turn out, to unpack to more than Warroom reads.
fn check_unpacked_sizes(bytes: &[u8]) -> Result<(), String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("not an xlsx workbook (an xlsx file is a zip archive): {e}"))?;
    if zip.len() > MAX_PARTS {
        return Err(format!(
            "the workbook has {} parts; an xlsx file has a few dozen",
            zip.len()
        ));
    }
    let mut declared_total: u64 = 0;
    for i in 0..zip.len() {
        let part = zip
            .by_index_raw(i)
            .map_err(|e| format!("part {i} of the workbook is not readable: {e}"))?;
        declared_total = declared_total.saturating_add(part.size());
    }
    if declared_total > MAX_UNPACKED_BYTES {
        return Err(format!(
            "the workbook would unpack to {declared_total} bytes; Warroom reads up to {MAX_UNPACKED_BYTES}"
        ));
    }
    // A part may unpack to more than it declares: measure, never past the declared size plus one.
    for i in 0..zip.len() {
        let mut part = zip
            .by_index(i)
            .map_err(|e| format!("part {i} of the workbook is not readable: {e}"))?;
        let declared = part.size();
        let name = part
            .name()
            .map_or_else(|_| format!("#{i}"), std::borrow::Cow::into_owned);
        let unpacked = std::io::copy(
            &mut (&mut part).take(declared.saturating_add(1)),
            &mut std::io::sink(),
        )
        .map_err(|e| format!("part `{name}` of the workbook does not unpack: {e}"))?;
        if unpacked > declared {
            return Err(format!(
                "part `{name}` unpacks to more than the {declared} bytes it declares"
            ));
        }
    }
    Ok(())
}

/// A cell's value as text; `None` for an empty one.
fn cell_text(value: &DataRef<'_>) -> Option<String> {
    let text = match value {
        DataRef::Empty => return None,
        DataRef::String(s) => super::restore_cell(s).to_owned(),
        DataRef::SharedString(s) => super::restore_cell(s).to_owned(),
        DataRef::Int(n) => n.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        DataRef::DateTime(d) => d.as_f64().to_string(),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => format!("#{e:?}"),
    };
    (!text.trim().is_empty()).then_some(text)
}

/// One worksheet to write.
#[derive(Clone, Debug, Default)]
pub struct SheetOut {
    /// Its tab's name.
    pub name: String,
    /// Rows above the header (a title, column groups), written in bold.
    pub banner: Vec<Vec<String>>,
    /// The header row (bold, frozen with the banner).
    pub header: Vec<String>,
    /// The data rows.
    pub rows: Vec<Vec<String>>,
    /// Columns kept in view when scrolling sideways.
    pub frozen_columns: u16,
    /// Columns whose data cells offer a drop-down: (first column, last column, the choices). Other
    /// text is still accepted, with a note, so a code the list lacks is the importer's to judge.
    pub choices: Option<(u16, u16, Vec<String>)>,
    /// Column widths in characters, by column (missing ones are left at the default).
    pub widths: Vec<f64>,
    /// Printed landscape, one page wide, the header repeated on every page.
    pub printable: bool,
    /// Columns kept out of sight (data for the way back, not for reading).
    pub hidden_columns: Vec<u16>,
}

/// The height in points a row of wrapped text needs: its tallest cell's lines at the column widths.
fn row_height(cells: &[String], widths: &[f64]) -> f64 {
    const POINTS_PER_LINE: f64 = 15.0;
    let lines = cells
        .iter()
        .enumerate()
        .map(|(column, text)| {
            let width = widths.get(column).copied().unwrap_or(8.43).max(4.0);
            text.lines()
                .map(|line| {
                    (line.chars().count() as f64 / (width * 1.1))
                        .ceil()
                        .max(1.0)
                })
                .sum::<f64>()
        })
        .fold(1.0, f64::max);
    (lines * POINTS_PER_LINE).min(409.0)
}

/// Writes a row's filled cells as text in `format`, each neutralised against formula injection;
/// empty cells stay unwritten.
fn write_cells(
    worksheet: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    cells: &[String],
    format: &Format,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    for (column, text) in cells.iter().enumerate() {
        if !text.is_empty() {
            worksheet.write_string_with_format(
                row,
                column as u16,
                neutralise_cell(text),
                format,
            )?;
        }
    }
    Ok(())
}

/// The workbook's bytes: the same sheets always give the same bytes (the document's creation date
/// is fixed, as the zip's timestamps are).
pub fn write_xlsx(sheets: &[SheetOut]) -> Result<Vec<u8>, String> {
    let fail = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let mut workbook = Workbook::new();
    let created = ExcelDateTime::from_ymd(2026, 1, 1).map_err(fail)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&created)
            .set_author("Warroom"),
    );
    let bold = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let banner_format = Format::new().set_bold();
    let wrapped = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    for sheet in sheets {
        let worksheet = workbook.add_worksheet();
        worksheet.set_name(&sheet.name).map_err(fail)?;
        let mut row: u32 = 0;
        for banner in &sheet.banner {
            // Unwrapped, a banner runs on over the empty cells beside it.
            write_cells(worksheet, row, banner, &banner_format).map_err(fail)?;
            row += 1;
        }
        write_cells(worksheet, row, &sheet.header, &bold).map_err(fail)?;
        let header_row = row;
        row += 1;
        for cells in &sheet.rows {
            if sheet.printable {
                // Spreadsheets do not always grow a row to its wrapped text on opening.
                worksheet
                    .set_row_height(row, row_height(cells, &sheet.widths))
                    .map_err(fail)?;
            }
            write_cells(worksheet, row, cells, &wrapped).map_err(fail)?;
            row += 1;
        }
        worksheet
            .set_freeze_panes(header_row + 1, sheet.frozen_columns)
            .map_err(fail)?;
        if sheet.printable {
            // A3 landscape, one page wide: an MSEL is a wide table.
            worksheet
                .set_paper_size(8)
                .set_landscape()
                .set_print_fit_to_pages(1, 0);
            worksheet
                .set_repeat_rows(header_row, header_row)
                .map_err(fail)?;
        }
        for (column, width) in sheet.widths.iter().enumerate() {
            worksheet
                .set_column_width(column as u16, *width)
                .map_err(fail)?;
        }
        for column in &sheet.hidden_columns {
            worksheet.set_column_hidden(*column).map_err(fail)?;
        }
        if let Some((first, last, choices)) = &sheet.choices
            && row > header_row + 1
        {
            let validation = DataValidation::new()
                .allow_list_strings(choices)
                .map_err(fail)?
                .set_error_style(DataValidationErrorStyle::Information)
                .set_error_title("Not a usual code")
                .map_err(fail)?
                .set_error_message(
                    "Warroom reads R, A, C, I, S and S1, combined with a slash (A/R). Keep this \
                     only if you meant it: the import will say if it cannot read it.",
                )
                .map_err(fail)?;
            worksheet
                .add_data_validation(header_row + 1, *first, row - 1, *last, &validation)
                .map_err(fail)?;
        }
    }
    workbook.save_to_buffer().map_err(fail)
}
