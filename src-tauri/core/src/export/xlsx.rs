//! XLSX with `rust_xlsxwriter` in constant-memory mode: each sheet's rows stream to a temporary
//! file as they are written, so memory does not grow with the number of people (its low-memory
//! mode, with shared strings, keeps every distinct text in memory: not used). Dates the
//! service writes as text (`2025-01-18`, `2019-12`) become real dates; numbers stay numbers; text
//! is always written as text (never a formula).

use std::path::PathBuf;

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::cell::{Cell, TextDate};
use super::layout::Sheet;
use super::staging::StagedFile;
use super::ExportError;

/// Excel's last row (1-based count).
const MAX_ROWS: u32 = 1_048_576;

/// The largest integer an Excel number (a double) holds exactly; larger ones are written as text.
const EXACT_INTEGER: u64 = 1 << 53;

/// An XLSX export in progress.
pub(crate) struct XlsxExport {
    workbook: Workbook,
    names: Vec<String>,
    next_row: Vec<u32>,
    day: Format,
    month: Format,
    staged: StagedFile,
}

impl XlsxExport {
    /// A workbook with `sheets` (header row bold and frozen), to be saved at `path`.
    pub(crate) fn create(path: PathBuf, sheets: &[Sheet]) -> Result<Self, ExportError> {
        let staged = StagedFile::new(path.clone())?;
        let fail = |error: XlsxError| ExportError::write(&path, error);
        let mut workbook = Workbook::new();
        if let Some(dir) = path.parent() {
            // The sheets' row files are unnamed temporary files; keep them on the export's disk.
            workbook.set_tempdir(dir).map_err(fail)?;
        }
        // The fastest deflate level: saving the sheets (one thread, after the last row) took a
        // third of an export at the default level 6; level 1 makes the file about 1.5× larger and
        // the people export about 1.6× faster (README, Benchmarks). The content is the same.
        workbook.set_zip_compression_level(1);
        let bold = Format::new().set_bold();
        let mut names = Vec::with_capacity(sheets.len());
        for sheet in sheets {
            let name = sheet_name(&sheet.name, &names);
            let worksheet = workbook
                .add_worksheet_with_constant_memory()
                .map_err(fail)?;
            worksheet.set_name(&name).map_err(fail)?;
            worksheet.set_freeze_panes(1, 0).map_err(fail)?;
            for (column, header) in sheet.columns.iter().enumerate() {
                let column = column_number(column, &name)?;
                worksheet.set_column_width(column, 18).map_err(fail)?;
                // A header may come from a cell of the person's own list: cut like any cell.
                let header = super::cell::cut_to_limit(header.as_str().into());
                worksheet
                    .write_string_with_format(0, column, header.as_ref(), &bold)
                    .map_err(fail)?;
            }
            names.push(name);
        }
        Ok(Self {
            workbook,
            next_row: vec![1; sheets.len()],
            names,
            day: Format::new().set_num_format("yyyy-mm-dd"),
            month: Format::new().set_num_format("yyyy-mm"),
            staged,
        })
    }

    /// Appends a row to sheet `sheet`.
    pub(crate) fn row(&mut self, sheet: usize, cells: &[Cell<'_>]) -> Result<(), ExportError> {
        let Some(row) = self.next_row.get_mut(sheet) else {
            return Ok(()); // A layout only names its own sheets.
        };
        if *row >= MAX_ROWS {
            return Err(ExportError::TooManyRows {
                sheet: self.names[sheet].clone(),
            });
        }
        let at = *row;
        *row += 1;
        let worksheet = self
            .workbook
            .worksheet_from_index(sheet)
            .map_err(|error| ExportError::write(self.staged.target(), error))?;
        for (column, cell) in cells.iter().enumerate() {
            let column = column_number(column, &self.names[sheet])?;
            write_cell(worksheet, at, column, cell, &self.day, &self.month)
                .map_err(|error| ExportError::write(self.staged.target(), error))?;
        }
        Ok(())
    }

    /// Assembles the workbook into its file and puts it in place.
    pub(crate) fn finish(mut self) -> Result<Vec<PathBuf>, ExportError> {
        let file = self.staged.reopen()?;
        let path = self.staged.target().to_owned();
        self.workbook
            .save_to_writer(file)
            .map_err(|error| ExportError::write(&path, error))?;
        Ok(vec![self.staged.commit()?])
    }
}

fn column_number(column: usize, sheet: &str) -> Result<u16, ExportError> {
    u16::try_from(column)
        .ok()
        .filter(|&column| column < 16_384)
        .ok_or_else(|| ExportError::Write {
            path: PathBuf::from(sheet),
            reason: "more columns than Excel allows (16,384)".into(),
        })
}

fn write_cell(
    worksheet: &mut Worksheet,
    row: u32,
    column: u16,
    cell: &Cell<'_>,
    day: &Format,
    month: &Format,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Empty => {}
        Cell::Bool(flag) => {
            worksheet.write_boolean(row, column, *flag)?;
        }
        Cell::Number(number) => {
            let exact = number.as_i64().map(i64::unsigned_abs).or(number.as_u64());
            match (exact, number.as_f64()) {
                (Some(n), _) if n > EXACT_INTEGER => {
                    worksheet.write_string(row, column, number.to_string())?;
                }
                (_, Some(value)) => {
                    worksheet.write_number(row, column, value)?;
                }
                (_, None) => {
                    worksheet.write_string(row, column, number.to_string())?;
                }
            }
        }
        Cell::Text(text) => match TextDate::parse(text) {
            Some(date) => {
                let format = if date.day.is_some() { day } else { month };
                let value = ExcelDateTime::from_ymd(date.year, date.month, date.day.unwrap_or(1))?;
                worksheet.write_date_with_format(row, column, value, format)?;
            }
            None => {
                worksheet.write_string(row, column, text.as_ref())?;
            }
        },
    }
    Ok(())
}

/// A valid, unique sheet name: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(wanted: &str, taken: &[String]) -> String {
    let clean: String = wanted
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .collect::<String>()
        .trim_matches('\'')
        .chars()
        .take(31)
        .collect();
    let clean = if clean.trim().is_empty() {
        "Sheet".to_owned()
    } else {
        clean
    };
    let mut name = clean.clone();
    let mut n = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&name)) {
        let suffix = format!(" {n}");
        let room = 31 - suffix.chars().count();
        name = format!("{}{suffix}", clean.chars().take(room).collect::<String>());
        n += 1;
    }
    name
}
