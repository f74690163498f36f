//! Parquet for data teams: one `.parquet` file a warehouse loads as it is (BigQuery, Snowflake,
//! DuckDB, Postgres through DuckDB), written with the Apache Arrow crates.
//!
//! - *People* layout: the same columns and values as the CSV and the workbook, typed.
//! - *Full* layout: every top-level field a column; `experience`, `education` and the other lists
//!   of objects as typed nested columns (`List<Struct<…>>`), not JSON text.
//!
//! The schema is stable: the fields this build knows come first in the service's order, then any
//! field the service added later, sorted by name (kept, never dropped). Each column's type is
//! learnt from the values ([`kind`]): a field whose values do not share one type (text in one
//! record, an object in another) becomes text holding each value's JSON.
//!
//! Like the other formats, the kinds are first learnt from the first records and the file is
//! written in one pass that checks every value; a value those records did not prepare for
//! discards that attempt, and the kinds are learnt from every record before writing again.
//! Memory: a batch of at most [`BATCH_ROWS`] rows (or about [`BATCH_BYTES`]) in Arrow arrays, and
//! the row group being encoded ([`file`]).
//!
//! | file | holds |
//! |---|---|
//! | `kind` | the first pass: each column's type |
//! | `column` | a column being filled, made an Arrow array |
//! | `table` | the table of either layout |
//! | `file` | the Parquet file: row groups, compression, put in place when complete |

mod column;
mod file;
mod kind;
mod table;

use std::ops::ControlFlow;
use std::path::Path;
use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema as ArrowSchema};

use super::marks::{Additions, TextSheet};
use super::people::People;
use super::schema::Schema;
use super::value::Fields;
use super::{added_extension, slug, source, ExportError, ExportLayout, ExportOptions};
use super::{ExportResult, SheetRows, HEAD_RECORDS};
use file::ParquetFile;
use table::Table;

/// Most rows turned into Arrow arrays at once.
const BATCH_ROWS: usize = 4096;

/// About the most bytes of values turned into Arrow arrays at once.
const BATCH_BYTES: usize = 16 * 1024 * 1024;

/// Exports `files` as `<target>.parquet` with `options`' layout; `additions`' text sheets each go
/// in a file of their own beside it (`<target>_<sheet>.parquet`).
pub(super) fn export(
    files: &[std::path::PathBuf],
    target: &Path,
    options: &ExportOptions,
    additions: Additions<'_>,
) -> Result<ExportResult, ExportError> {
    let mut every_record = false;
    loop {
        let (schema, records) = if every_record {
            (Schema::scan(files)?, u64::MAX)
        } else {
            (Schema::scan_head(files, HEAD_RECORDS)?, HEAD_RECORDS)
        };
        let mut table = match options.layout {
            ExportLayout::People => {
                Table::people(People::new(&schema, options.past_positions), additions)
            }
            ExportLayout::Full => Table::full(additions),
        };
        learn(files, &mut table, records)?;
        let check = (!every_record).then_some(&schema);
        if let Some((path, people, duplicates_skipped)) = write(files, target, &mut table, check)? {
            let mut paths = vec![path];
            let mut rows_per_sheet = vec![SheetRows {
                sheet: "People".into(),
                rows: people,
            }];
            for sheet in additions.sheets {
                let name = format!("{}_{}", target.to_string_lossy(), slug(&sheet.file_end));
                paths.push(write_text_sheet(
                    sheet,
                    &added_extension(Path::new(&name), "parquet"),
                )?);
                rows_per_sheet.push(SheetRows {
                    sheet: sheet.name.clone(),
                    rows: sheet.rows.len() as u64,
                });
            }
            return Ok(ExportResult {
                paths,
                people,
                duplicates_skipped,
                rows_per_sheet,
            });
        }
        every_record = true;
    }
}

/// Learns the table's kinds from the first `records` records of `files`.
fn learn(
    files: &[std::path::PathBuf],
    table: &mut Table<'_>,
    records: u64,
) -> Result<(), ExportError> {
    let wanted = table.wanted();
    let fields = Fields {
        wanted: wanted.as_ref(),
        known: None,
    };
    let mut left = records;
    source::for_each_record(files, fields, |record, seen| {
        if !seen.duplicate {
            table.learn(record)?;
        }
        left = left.saturating_sub(1);
        Ok(if left == 0 {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        })
    })?;
    Ok(())
}

/// Writes the table's file; with `check` (the kinds learnt from the first records only, and the
/// fields those had), gives up (`None`, nothing left behind) at the first record they do not
/// cover. Returns the file, the people and the duplicates skipped.
fn write(
    files: &[std::path::PathBuf],
    target: &Path,
    table: &mut Table<'_>,
    check: Option<&Schema>,
) -> Result<Option<(std::path::PathBuf, u64, u64)>, ExportError> {
    let schema = table.start();
    let mut file = ParquetFile::create(added_extension(target, "parquet"), schema.clone())?;
    let wanted = table.wanted();
    let fields = Fields {
        wanted: wanted.as_ref(),
        known: check.map(|schema| schema.fields.as_slice()),
    };
    let (mut people, mut grew, mut weight) = (0u64, false, 0usize);
    let duplicates = source::for_each_record(files, fields, |record, seen| {
        if check.is_some_and(|schema| !schema.covers(record, seen.known_fields)) {
            grew = true;
            return Ok(ControlFlow::Break(()));
        }
        if seen.duplicate {
            return Ok(ControlFlow::Continue(()));
        }
        if !table.push(record, &mut weight)? {
            if check.is_some() {
                grew = true;
                return Ok(ControlFlow::Break(()));
            }
            // The kinds were learnt from every record: each value fits. Said in words if not.
            return Err(ExportError::write(
                file.path(),
                "a value did not fit the column types learnt from every record",
            ));
        }
        people += 1;
        if table.rows() >= BATCH_ROWS || weight >= BATCH_BYTES {
            write_batch(&mut file, table, &schema)?;
            weight = 0;
        }
        Ok(ControlFlow::Continue(()))
    })?;
    if grew {
        return Ok(None); // Dropping `file` removes its temporary file.
    }
    if table.rows() > 0 {
        write_batch(&mut file, table, &schema)?;
    }
    Ok(Some((file.finish()?, people, duplicates)))
}

fn write_batch(
    file: &mut ParquetFile,
    table: &mut Table<'_>,
    schema: &arrow_schema::SchemaRef,
) -> Result<(), ExportError> {
    let batch = table
        .batch(schema)
        .map_err(|error| ExportError::write(file.path(), error))?;
    file.write(&batch)
}

/// A sheet of plain text (*What changed*, *Not found*) as a Parquet file of text columns.
fn write_text_sheet(sheet: &TextSheet, path: &Path) -> Result<std::path::PathBuf, ExportError> {
    let fields: Vec<Field> = sheet
        .columns
        .iter()
        .map(|name| Field::new(name, DataType::Utf8, true))
        .collect();
    let schema = Arc::new(ArrowSchema::new(fields));
    let columns: Vec<ArrayRef> = (0..sheet.columns.len())
        .map(|at| {
            let values = sheet.rows.iter().map(|row| row.get(at).map(String::as_str));
            Arc::new(values.collect::<StringArray>()) as ArrayRef
        })
        .collect();
    let mut file = ParquetFile::create(path.to_owned(), schema.clone())?;
    if !sheet.rows.is_empty() {
        let batch = RecordBatch::try_new(schema, columns)
            .map_err(|error| ExportError::write(path, error))?;
        file.write(&batch)?;
    }
    file.finish()
}
