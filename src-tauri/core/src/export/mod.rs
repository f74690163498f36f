//! Exports: a job's result files (gzip JSON Lines, one person a line, nested lists) turned into
//! spreadsheets people open with a double-click.
//!
//! [`export_job`] merges every file of a job into one export, deduplicated by person id (the first
//! record wins), named after the job and the date (`python-people_2026-11-28.xlsx`) and written
//! atomically into the given folder. Two layouts ([`ExportLayout`]): *People*, one row per person;
//! *Full*, a sheet per list (Experience, Education, …), one row per item keyed by the person's id.
//! Three formats ([`ExportFormat`]): XLSX (dates as dates), CSV for Excel (BOM, RFC 4180, formula
//! injection guarded) and Parquet for data teams (typed, nested columns; see `parquet`). Text longer than Excel's cell limit is cut with a marker in both.
//!
//! Streamed: the columns are learnt from the first records (a full first pass over the files when
//! a later record brings a new field), then rows are written as records are read. Memory holds a
//! few blocks of text, one record, the ids seen, and the writers' buffers.
//!
//! | file | holds |
//! |---|---|
//! | `source` | reading the files line by line; the person key |
//! | `schema` | the first pass: fields seen, in stable order; the fields this build knows |
//! | `value` | a record parsed without copying, only the fields a layout shows |
//! | `cell` | a cell, JSON values as cells, the cell limit, text dates |
//! | `layout`, `people`, `full` | the two layouts |
//! | `csv`, `xlsx`, `parquet` | the three formats |
//! | `staging` | temporary files renamed into place |

pub(crate) mod cell;
pub(crate) mod csv;
mod error;
mod full;
mod layout;
mod marks;
mod parquet;
mod people;
mod schema;
pub(crate) mod source;
mod staging;
pub(crate) mod table;
pub(crate) mod value;
mod xlsx;

#[cfg(test)]
mod tests;

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use cell::{CELL_LIMIT, CUT_MARKER, LIST_SEPARATOR};
pub use csv::{BOM, FORMULA_GUARD, FORMULA_STARTS};
pub use error::ExportError;
pub use full::PERSON_KEY_COLUMN;
pub use marks::{
    Additions, Mark, OwnColumns, PurchaseMarks, TextSheet, COLLECTED_ON, IN_THIS_PURCHASE,
    ROW_IN_YOUR_LIST,
};
pub use people::{people_columns, PeopleColumns};
pub use table::{page, read_people, PeoplePage, PeopleQuery, PeopleSort, PersonRow, MAX_PAGE_ROWS};

use layout::Layout;

/// The file format of an export.
#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[ts(export)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    /// One `.csv` per sheet (a folder of them for the Full layout), UTF-8 with BOM for Excel.
    Csv,
    /// One Excel workbook.
    Xlsx,
    /// One Parquet file for data teams (warehouses, DuckDB, pandas): typed columns, the Full
    /// layout's lists as nested columns.
    Parquet,
}

impl ExportFormat {
    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
            Self::Parquet => "parquet",
        }
    }
}

/// How records are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportLayout {
    /// One row per person, lists flattened into a few columns.
    People,
    /// Everything: a People sheet and one sheet per list of objects, keyed by the person's id.
    Full,
}

/// What to export and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportOptions {
    /// XLSX, CSV or Parquet.
    pub format: ExportFormat,
    /// People or Full.
    pub layout: ExportLayout,
    /// People layout: how many positions besides the current one get columns.
    pub past_positions: usize,
}

impl Default for ExportOptions {
    /// XLSX, People layout, 3 past positions.
    fn default() -> Self {
        Self {
            format: ExportFormat::Xlsx,
            layout: ExportLayout::People,
            past_positions: 3,
        }
    }
}

/// How many rows one sheet received (its header not counted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SheetRows {
    /// The sheet's name.
    pub sheet: String,
    /// Its rows.
    pub rows: u64,
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportResult {
    /// The files written: one workbook, one CSV, one CSV per sheet (in a folder), or one Parquet
    /// file (text sheets, when there are, in files of their own beside it).
    pub paths: Vec<PathBuf>,
    /// People exported (after deduplication).
    pub people: u64,
    /// Records skipped because an earlier record had the same id.
    pub duplicates_skipped: u64,
    /// Rows per sheet, in sheet order.
    pub rows_per_sheet: Vec<SheetRows>,
}

/// How many records the columns are first learnt from (see [`export_job`]).
const HEAD_RECORDS: u64 = 1_000;

/// Exports `files` (a job's result files, in order) into `out_dir` as one export named after
/// `job_name` and `date` (see [`export_name`]); an earlier export of the same name is replaced.
///
/// The columns must be known before the first row is written. Results almost always have the same
/// fields throughout, so they are learnt from the first records and the export is written in one
/// pass that checks every record; a record with a field those did not have discards that attempt,
/// and the export is written again after a first pass over every file. Either way the columns are
/// the same.
pub fn export_job(
    files: &[PathBuf],
    out_dir: &Path,
    job_name: &str,
    date: time::Date,
    options: &ExportOptions,
) -> Result<ExportResult, ExportError> {
    let stem = export_name(job_name, date, options.layout);
    export_job_as(files, out_dir, &stem, options)
}

/// [`export_job`] into a file named `stem` (its extension added), such as [`export_name`] with
/// words after it. `stem` must be a plain file name, with no folder in it.
pub fn export_job_as(
    files: &[PathBuf],
    out_dir: &Path,
    stem: &str,
    options: &ExportOptions,
) -> Result<ExportResult, ExportError> {
    export_with(files, out_dir, stem, options, Additions::default())
}

/// [`export_job_as`] with `additions`: the People sheet ends with the columns *Collected on* and
/// *In this purchase* ([`PurchaseMarks`]) when marks are given (the spreadsheet of a net-new
/// purchase, whose files are the people bought followed by the library's copies of the others),
/// and text sheets follow the records' sheets (for a one-file CSV, each goes in a CSV of its own
/// beside it, named `<stem>_<sheet>.csv`).
pub fn export_with(
    files: &[PathBuf],
    out_dir: &Path,
    stem: &str,
    options: &ExportOptions,
    additions: Additions<'_>,
) -> Result<ExportResult, ExportError> {
    if files.is_empty() {
        return Err(ExportError::NoFiles);
    }
    std::fs::create_dir_all(out_dir).map_err(|error| ExportError::write(out_dir, error))?;
    let target = out_dir.join(stem);
    if options.format == ExportFormat::Parquet {
        return parquet::export(files, &target, options, additions);
    }
    let mut schema = schema::Schema::scan_head(files, HEAD_RECORDS)?;
    let mut check = true;
    loop {
        if let Some(result) = write(files, &target, options, &schema, check, additions)? {
            return Ok(result);
        }
        schema = schema::Schema::scan(files)?;
        check = false; // The full scan covers every record.
    }
}

/// Writes the export at `target` (extension added) with `schema`'s columns; with `check`, gives up
/// (`None`, nothing left behind) at the first record `schema` does not cover.
fn write(
    files: &[PathBuf],
    target: &Path,
    options: &ExportOptions,
    schema: &schema::Schema,
    check: bool,
    additions: Additions<'_>,
) -> Result<Option<ExportResult>, ExportError> {
    let marks = additions.marks;
    let layout: Box<dyn Layout> = match options.layout {
        ExportLayout::People => Box::new(people::People::new(schema, options.past_positions)),
        ExportLayout::Full => Box::new(full::Full::new(schema)),
    };
    let mut sheets = layout.sheets();
    // The People sheet comes first in both layouts.
    if let (Some(_), Some(people)) = (marks, sheets.first_mut()) {
        people
            .columns
            .extend([COLLECTED_ON.to_owned(), IN_THIS_PURCHASE.to_owned()]);
    }
    let own = additions.own;
    if let (Some(own), Some(people)) = (own, sheets.first_mut()) {
        let mut columns = own.header(&people.columns);
        columns.append(&mut people.columns);
        people.columns = columns;
    }
    // Text sheets go in the workbook (or the folder of CSVs); a one-file CSV gets files beside it.
    let one_file_csv =
        options.format == ExportFormat::Csv && options.layout == ExportLayout::People;
    let text_from = sheets.len();
    if !one_file_csv {
        sheets.extend(additions.sheets.iter().map(TextSheet::sheet));
    }
    let wanted = layout.wanted();
    let fields = value::Fields {
        wanted: wanted.as_ref(),
        known: check.then_some(schema.fields.as_slice()),
    };
    let mut out = match options.format {
        ExportFormat::Csv if options.layout == ExportLayout::Full => {
            Output::Csv(csv::CsvExport::create(target.to_owned(), &sheets, true)?)
        }
        ExportFormat::Csv => Output::Csv(csv::CsvExport::create(
            added_extension(target, "csv"),
            &sheets,
            false,
        )?),
        ExportFormat::Xlsx => Output::Xlsx(Box::new(xlsx::XlsxExport::create(
            added_extension(target, "xlsx"),
            &sheets,
        )?)),
        // `export_with` sends Parquet to its own writer before this.
        ExportFormat::Parquet => return parquet_is_elsewhere(target),
    };
    let (mut rows, mut people, mut grew) = (vec![0u64; sheets.len()], 0u64, false);
    let duplicates_skipped = source::for_each_record(files, fields, |record, seen| {
        if check && !schema.covers(record, seen.known_fields) {
            grew = true;
            return Ok(ControlFlow::Break(()));
        }
        if !seen.duplicate {
            people += 1;
            layout.rows(record, &mut |sheet, cells| {
                rows[sheet] += 1;
                if sheet != 0 || (marks.is_none() && own.is_none()) {
                    return out.row(sheet, cells);
                }
                let mut row = own.map(|own| own.cells(record)).unwrap_or_default();
                row.extend_from_slice(cells);
                if let Some(marks) = marks {
                    row.extend(marks.cells(record));
                }
                out.row(sheet, &row)
            })?;
        }
        Ok(ControlFlow::Continue(()))
    })?;
    if grew {
        return Ok(None); // Dropping `out` removes its temporary files.
    }
    let mut paths = Vec::new();
    for (index, text) in additions.sheets.iter().enumerate() {
        if one_file_csv {
            let name = format!("{}_{}", target.to_string_lossy(), slug(&text.file_end));
            let mut beside = csv::CsvExport::create(
                added_extension(Path::new(&name), "csv"),
                &[text.sheet()],
                false,
            )?;
            for row in text.cells() {
                beside.row(0, &row)?;
            }
            paths.extend(beside.finish()?);
        } else {
            for row in text.cells() {
                rows[text_from + index] += 1;
                out.row(text_from + index, &row)?;
            }
        }
    }
    let mut written = out.finish()?;
    written.extend(paths);
    Ok(Some(ExportResult {
        paths: written,
        people,
        duplicates_skipped,
        rows_per_sheet: sheets
            .into_iter()
            .zip(rows)
            .map(|(sheet, rows)| SheetRows {
                sheet: sheet.name,
                rows,
            })
            .collect(),
    }))
}

/// The error `write` gives if Parquet ever reached it (it cannot: see `export_with`).
fn parquet_is_elsewhere(target: &Path) -> Result<Option<ExportResult>, ExportError> {
    Err(ExportError::write(
        target,
        "Parquet is written by its own writer",
    ))
}

/// `path` with `.extension` appended (the name's dots, if any, kept).
fn added_extension(path: &Path, extension: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(extension);
    PathBuf::from(name)
}

/// The export being written, in its format.
enum Output {
    Csv(csv::CsvExport),
    Xlsx(Box<xlsx::XlsxExport>),
}

impl Output {
    fn row(&mut self, sheet: usize, cells: &[cell::Cell<'_>]) -> Result<(), ExportError> {
        match self {
            Output::Csv(out) => out.row(sheet, cells),
            Output::Xlsx(out) => out.row(sheet, cells),
        }
    }

    fn finish(self) -> Result<Vec<PathBuf>, ExportError> {
        match self {
            Output::Csv(out) => out.finish(),
            Output::Xlsx(out) => out.finish(),
        }
    }
}

/// The export's name without extension: `<job name as a slug>_<yyyy-mm-dd>`, with `_full` for
/// the Full layout. Example: "Python people" on 2026-11-28 → `python-people_2026-11-28`.
pub fn export_name(job_name: &str, date: time::Date, layout: ExportLayout) -> String {
    let suffix = match layout {
        ExportLayout::People => "",
        ExportLayout::Full => "_full",
    };
    format!(
        "{}_{:04}-{:02}-{:02}{suffix}",
        slug(job_name),
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// A job name as a safe file-name part: lowercase letters and digits (any script), runs of
/// anything else as one `-`, at most 60 characters; `export` when nothing is left.
pub fn slug(name: &str) -> String {
    let mut slug = String::new();
    for character in name.chars() {
        if character.is_alphanumeric() {
            slug.extend(character.to_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
        if slug.chars().count() >= 60 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "export".to_owned()
    } else {
        slug.to_owned()
    }
}
