//! Tests of people's lists, by duty: reading files and pasted cells, finding the header and the
//! column, reading people's addresses, reading companies.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod companies;
mod detect;
mod entries;
mod files;
mod profiles;
mod props;
mod workbooks;

use super::table::read_list_bytes;
use super::{ListRow, ListTable};

/// Reads `text` as a file named `name` (its extension only breaks ties).
fn text_table(name: &str, text: &str) -> ListTable {
    let extension = name.rsplit('.').next().unwrap_or_default();
    read_list_bytes(text.as_bytes(), name, extension).unwrap()
}

/// A table of the given rows, numbered from 1, as if read from a file.
fn table(rows: &[&[&str]]) -> ListTable {
    ListTable {
        source: "test.csv".to_owned(),
        sheet: None,
        rows: rows
            .iter()
            .enumerate()
            .map(|(i, cells)| ListRow {
                row: i + 1,
                cells: cells.iter().map(|c| (*c).to_owned()).collect(),
            })
            .collect(),
        total_rows: rows.len(),
    }
}

/// The cells of every row, for comparing.
fn cells(table: &ListTable) -> Vec<(usize, Vec<&str>)> {
    table
        .rows
        .iter()
        .map(|r| (r.row, r.cells.iter().map(String::as_str).collect()))
        .collect()
}
