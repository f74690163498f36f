//! Spreadsheets (XLSX, XLSB, XLS, ODS) read with calamine: the first sheet that has any cell,
//! every cell as the text a person sees for an ID (no `.0`, no exponent).

use std::io::Cursor;

use calamine::{Data, Range, Reader};

use super::address;
use super::table::{ListError, ListRow, ListTable};
use super::MAX_ROWS;

/// A workbook's format, from its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A zip with `xl/…` entries: XLSX (or XLSB, tried next).
    Excel,
    /// A compound file (`D0 CF 11 E0`): an Excel 97–2003 workbook.
    Xls,
    /// A zip whose mimetype is an OpenDocument spreadsheet.
    Ods,
}

pub(super) fn read_workbook(
    bytes: &[u8],
    kind: Kind,
    source: &str,
) -> Result<ListTable, ListError> {
    let (sheet, range) = match kind {
        Kind::Excel => match first_sheet::<calamine::Xlsx<_>>(bytes, xlsx_area) {
            Ok(found) => found,
            Err(ListError::TooSpread { rows, columns }) => {
                return Err(ListError::TooSpread { rows, columns })
            }
            Err(xlsx) => first_sheet::<calamine::Xlsb<_>>(bytes, xlsb_area).map_err(|_| xlsx)?,
        },
        // An XLS sheet spans at most 65,536 rows and 256 columns.
        Kind::Xls => first_sheet::<calamine::Xls<_>>(bytes, |_, _| Ok(()))?,
        Kind::Ods => first_sheet::<calamine::Ods<_>>(bytes, |_, _| Ok(()))?,
    };
    let Some((sheet, (range, formulas))) = sheet.zip(range) else {
        return Err(ListError::Empty);
    };
    table_of(&range, formulas.as_ref(), sheet, source)
}

/// The sheet's name, its values, and its formulas when they could be read.
type Found = (Option<String>, Option<(Range<Data>, Option<Range<String>>)>);

/// The first sheet with a non-empty cell, with its name; `area` checks a sheet's size before
/// it is read whole.
fn first_sheet<'a, R>(
    bytes: &'a [u8],
    area: impl Fn(&mut R, &str) -> Result<(), ListError>,
) -> Result<Found, ListError>
where
    R: Reader<Cursor<&'a [u8]>>,
    R::Error: std::fmt::Display,
{
    let failed = |e: R::Error| ListError::Workbook {
        detail: e.to_string(),
    };
    let mut workbook = R::new(Cursor::new(bytes)).map_err(failed)?;
    for name in workbook.sheet_names() {
        area(&mut workbook, &name)?;
        let range = workbook.worksheet_range(&name).map_err(failed)?;
        if range
            .used_cells()
            .any(|(_, _, cell)| !text_of(cell).is_empty())
        {
            // Formulas only matter for HYPERLINK cells; a sheet whose formulas cannot be read is
            // still read by its values.
            let formulas = workbook.worksheet_formula(&name).ok();
            return Ok((Some(name), Some((range, formulas))));
        }
    }
    Ok((None, None))
}

/// The most cells a sheet may span from its first to its last filled cell: the reader fills
/// every cell in between, so one cell typed far from the list would need gigabytes.
const MAX_AREA: u64 = 20_000_000;

/// The box around a sheet's filled cells.
#[derive(Default)]
struct Area {
    /// Top, bottom, left, right.
    bounds: Option<(u32, u32, u32, u32)>,
}

impl Area {
    fn add(&mut self, (row, column): (u32, u32)) {
        self.bounds = Some(match self.bounds {
            None => (row, row, column, column),
            Some((top, bottom, left, right)) => (
                top.min(row),
                bottom.max(row),
                left.min(column),
                right.max(column),
            ),
        });
    }

    /// Refuses a box of more than [`MAX_AREA`] cells.
    fn check(&self) -> Result<(), ListError> {
        let Some((top, bottom, left, right)) = self.bounds else {
            return Ok(());
        };
        let (rows, columns) = (u64::from(bottom - top) + 1, u64::from(right - left) + 1);
        if rows.saturating_mul(columns) > MAX_AREA {
            return Err(ListError::TooSpread { rows, columns });
        }
        Ok(())
    }
}

/// Checks an XLSX sheet's [`Area`], read cell by cell, before it is read whole.
fn xlsx_area(workbook: &mut calamine::Xlsx<Cursor<&[u8]>>, name: &str) -> Result<(), ListError> {
    let failed = |e: calamine::XlsxError| ListError::Workbook {
        detail: e.to_string(),
    };
    let mut reader = workbook.worksheet_cells_reader(name).map_err(failed)?;
    let mut area = Area::default();
    while let Some(cell) = reader.next_cell().map_err(failed)? {
        if !matches!(cell.get_value(), calamine::DataRef::Empty) {
            area.add(cell.get_position());
        }
    }
    area.check()
}

/// Checks an XLSB sheet's [`Area`], read cell by cell, before it is read whole.
fn xlsb_area(workbook: &mut calamine::Xlsb<Cursor<&[u8]>>, name: &str) -> Result<(), ListError> {
    let failed = |e: calamine::XlsbError| ListError::Workbook {
        detail: e.to_string(),
    };
    let mut reader = workbook.worksheet_cells_reader(name).map_err(failed)?;
    let mut area = Area::default();
    while let Some(cell) = reader.next_cell().map_err(failed)? {
        if !matches!(cell.get_value(), calamine::DataRef::Empty) {
            area.add(cell.get_position());
        }
    }
    area.check()
}

fn table_of(
    range: &Range<Data>,
    formulas: Option<&Range<String>>,
    sheet: String,
    source: &str,
) -> Result<ListTable, ListError> {
    let (first_row, first_column) = range.start().unwrap_or((0, 0));
    let total_rows = first_row as usize + range.height();
    if total_rows > MAX_ROWS {
        return Err(ListError::TooManyRows);
    }
    let mut rows = Vec::new();
    for (i, cells) in range.rows().enumerate() {
        let mut texts = vec![String::new(); first_column as usize];
        let row = first_row + i as u32;
        texts.extend(cells.iter().enumerate().map(|(j, cell)| {
            let at = (row, first_column + j as u32);
            link_of(formulas, at).unwrap_or_else(|| text_of(cell))
        }));
        while texts.last().is_some_and(String::is_empty) {
            texts.pop();
        }
        if !texts.is_empty() {
            rows.push(ListRow {
                row: first_row as usize + i + 1,
                cells: texts,
            });
        }
    }
    Ok(ListTable {
        source: source.to_owned(),
        sheet: Some(sheet),
        rows,
        total_rows,
    })
}

/// The address of a `HYPERLINK("address", "label")` formula at `at`: what a list of people means
/// by a cell that shows only a name.
fn link_of(formulas: Option<&Range<String>>, at: (u32, u32)) -> Option<String> {
    let formula = formulas?.get_value(at)?.trim();
    let formula = formula.strip_prefix('=').unwrap_or(formula);
    address::hyperlink_target(&format!("={formula}")).map(str::to_owned)
}

/// A cell as text: whole numbers without `.0` or exponent, dates as yyyy-mm-dd, booleans as
/// TRUE/FALSE, errors as Excel shows them (`#N/A`).
pub(super) fn text_of(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_owned(),
        Data::Int(n) => n.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
            if (h, mi, s) == (0, 0, 0) {
                format!("{y:04}-{mo:02}-{d:02}")
            } else {
                format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
            }
        }
        Data::DateTime(dt) => dt.to_string(),
        Data::DateTimeIso(s) => s.strip_suffix("T00:00:00").unwrap_or(s).to_owned(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

/// `123456789.0` → `123456789`; other numbers as Rust writes them (never in exponent form).
pub(super) fn number_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e17 {
        format!("{f:.0}")
    } else {
        f.to_string()
    }
}
