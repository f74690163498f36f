//! Exports: a job's result files (gzip JSON Lines, one person a line, nested lists) turned into
//! spreadsheets people open with a double-click.
//!
//! [`export_job`] merges every file of a job into one export, deduplicated by person id (the first
//! record wins), named after the job and the date (`python-people_2026-11-28.xlsx`) and written
//! atomically into the given folder. Two layouts ([`ExportLayout`]): *People*, one row per person;
//! *Full*, a sheet per list (Experience, Education, …), one row per item keyed by the person's id.
//! Two formats ([`ExportFormat`]): XLSX (dates as dates) and CSV for Excel (BOM, RFC 4180, formula
//! injection guarded). Text longer than Excel's cell limit is cut with a marker in both.
//!
//! Streamed in two passes over the files: the first learns the columns (field names only), the
//! second writes rows. Memory holds one record, the ids seen, and the writers' buffers.
//!
//! | file | holds |
//! |---|---|
//! | `source` | reading the files line by line; the person key |
//! | `schema` | the first pass: fields seen, in stable order; the fields this build knows |
//! | `value` | a record parsed without copying, only the fields a layout shows |
//! | `cell` | a cell, JSON values as cells, the cell limit, text dates |
//! | `layout`, `people`, `full` | the two layouts |
//! | `csv`, `xlsx` | the two formats |
//! | `staging` | temporary files renamed into place |

mod cell;
mod csv;
mod error;
mod full;
mod layout;
mod people;
mod schema;
mod source;
mod staging;
mod value;
mod xlsx;

#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use cell::{CELL_LIMIT, CUT_MARKER, LIST_SEPARATOR};
pub use csv::{BOM, FORMULA_GUARD, FORMULA_STARTS};
pub use error::ExportError;
pub use full::PERSON_KEY_COLUMN;

use layout::Layout;

/// The file format of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    /// One `.csv` per sheet (a folder of them for the Full layout), UTF-8 with BOM for Excel.
    Csv,
    /// One Excel workbook.
    Xlsx,
}

impl ExportFormat {
    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
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
    /// XLSX or CSV.
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
    /// The files written: one workbook, one CSV, or one CSV per sheet (in a folder).
    pub paths: Vec<PathBuf>,
    /// People exported (after deduplication).
    pub people: u64,
    /// Records skipped because an earlier record had the same id.
    pub duplicates_skipped: u64,
    /// Rows per sheet, in sheet order.
    pub rows_per_sheet: Vec<SheetRows>,
}

/// Exports `files` (a job's result files, in order) into `out_dir` as one export named after
/// `job_name` and `date` (see [`export_name`]); an earlier export of the same name is replaced.
pub fn export_job(
    files: &[PathBuf],
    out_dir: &Path,
    job_name: &str,
    date: time::Date,
    options: &ExportOptions,
) -> Result<ExportResult, ExportError> {
    if files.is_empty() {
        return Err(ExportError::NoFiles);
    }
    let schema = schema::Schema::scan(files)?;
    let layout: Box<dyn Layout> = match options.layout {
        ExportLayout::People => Box::new(people::People::new(&schema, options.past_positions)),
        ExportLayout::Full => Box::new(full::Full::new(&schema)),
    };
    let sheets = layout.sheets();
    let wanted = layout.wanted();
    std::fs::create_dir_all(out_dir).map_err(|error| ExportError::write(out_dir, error))?;
    let name = export_name(job_name, date, options.layout);
    let mut rows = vec![0u64; sheets.len()];
    let mut people = 0u64;
    let (paths, duplicates_skipped) = match options.format {
        ExportFormat::Csv => {
            let folder = options.layout == ExportLayout::Full;
            let target = match folder {
                false => out_dir.join(format!("{name}.csv")),
                true => out_dir.join(&name),
            };
            let mut out = csv::CsvExport::create(target, &sheets, folder)?;
            let duplicates = source::for_each_record(files, wanted.as_ref(), |record| {
                people += 1;
                layout.rows(record, &mut |sheet, cells| {
                    rows[sheet] += 1;
                    out.row(sheet, cells)
                })
            })?;
            (out.finish()?, duplicates)
        }
        ExportFormat::Xlsx => {
            let mut out = xlsx::XlsxExport::create(out_dir.join(format!("{name}.xlsx")), &sheets)?;
            let duplicates = source::for_each_record(files, wanted.as_ref(), |record| {
                people += 1;
                layout.rows(record, &mut |sheet, cells| {
                    rows[sheet] += 1;
                    out.row(sheet, cells)
                })
            })?;
            (out.finish()?, duplicates)
        }
    };
    Ok(ExportResult {
        paths,
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
    })
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
