//! Finding the header row: the row just above where the values start, within the first rows.
//!
//! "Values" are what no header holds: IDs, profile or company addresses, domains, likely short
//! names, in the columns where such values are typical. Rows above the header (titles) are skipped.
//! A list of names only (companies) has a header when its first rows name a known column.

use super::kinds::{hint_of, Cell};
use super::table::{ListRow, ListTable};

/// The header is looked for within this many first (non-blank) rows.
const HEAD_ROWS: usize = 10;
/// How many rows after the head decide which columns typically hold values.
const SAMPLE_ROWS: usize = 500;

/// The index in `table.rows` of the header row, if any.
pub(super) fn detect(table: &ListTable) -> Option<usize> {
    let rows = &table.rows;
    let typical = typical_columns(rows);
    let head = &rows[..rows.len().min(HEAD_ROWS + 1)];
    let first_values = head.iter().position(|row| {
        typical.iter().any(|&c| {
            row.cells
                .get(c)
                .is_some_and(|text| Cell::of(text).is_value())
        })
    });
    match first_values {
        Some(0) => None,
        // Rows above the first value may be data whose value cell is blank: a row naming a known
        // column is the header then; else the row just above.
        Some(i) => (0..i)
            .rev()
            .find(|&r| header_like(&rows[r]) && names_a_column(&rows[r]))
            .or_else(|| {
                (header_like(&rows[i - 1]) && !short_name_above(&rows[i - 1], &rows[i], &typical))
                    .then_some(i - 1)
            }),
        None => head
            .iter()
            .take(HEAD_ROWS)
            .position(|row| header_like(row) && names_a_column(row)),
    }
}

/// Columns where at least a third of the filled cells are values: judged on the rows after the
/// head when there are enough, else on all rows.
fn typical_columns(rows: &[ListRow]) -> Vec<usize> {
    let sample = if rows.len() > HEAD_ROWS + 5 {
        &rows[HEAD_ROWS..rows.len().min(HEAD_ROWS + SAMPLE_ROWS)]
    } else {
        rows
    };
    let width = sample.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    (0..width)
        .filter(|&c| {
            let (mut filled, mut values) = (0, 0);
            for text in sample.iter().filter_map(|r| r.cells.get(c)) {
                let cell = Cell::of(text);
                filled += usize::from(cell != Cell::Blank);
                values += usize::from(cell.is_value());
            }
            values > 0 && values * 3 >= filled
        })
        .collect()
}

/// A row that can hold column names: no cell is a value.
fn header_like(row: &ListRow) -> bool {
    row.cells
        .iter()
        .filter(|c| !c.is_empty())
        .all(|c| !Cell::of(c).is_value())
}

/// A row whose cell in a column of addresses (not IDs) is a lower-case word: a short name without a hyphen
/// (`satyanadella`) as likely as a header. Taken for the header, that person would be dropped
/// without a word; read as data, a header is reported by row as not found.
fn short_name_above(row: &ListRow, values: &ListRow, typical: &[usize]) -> bool {
    typical.iter().any(|&c| {
        let value = values.cells.get(c).map(|text| Cell::of(text));
        !matches!(value, Some(Cell::Id(_)))
            && row.cells.get(c).is_some_and(|text| {
                matches!(Cell::of(text), Cell::ProfileBare { .. })
                    && !text.chars().any(char::is_uppercase)
            })
    })
}

/// A row with a cell that names a known column ("Employee ID", "LinkedIn URL", "Company").
fn names_a_column(row: &ListRow) -> bool {
    row.cells.iter().any(|c| hint_of(c).is_some())
}
