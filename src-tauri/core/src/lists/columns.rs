//! The preview of a list: its header row, its columns with what they hold, the column to use.

use serde::{Deserialize, Serialize};

use super::header;
use super::kinds::{hint_of, Cell, Tally};
use super::table::ListTable;

/// How many data rows decide what a column holds (all rows are counted for `usable`/`filled`).
const SAMPLE_ROWS: usize = 5000;

/// How the header row is chosen.
#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[ts(export)]
#[serde(tag = "kind", content = "row", rename_all = "snake_case")]
pub enum HeaderChoice {
    /// Found from the first rows (see the module `header`).
    Detect,
    /// This 1-based row holds the names; rows above it are skipped (titles).
    Row(usize),
    /// No header: every row is data.
    None,
}

/// What a person sees before choosing: the header row, the columns, the column chosen.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
#[ts(export)]
pub struct ListPreview {
    /// The file's name, or "Pasted cells".
    pub source: String,
    /// The sheet read, for a workbook.
    pub sheet: Option<String>,
    /// The header row used (detected or chosen); `None` = no header.
    pub header_row: Option<usize>,
    /// True when `header_row` came from detection (the UI asks "Row N holds the column names —
    /// right?").
    pub header_detected: bool,
    /// Non-blank rows after the header.
    pub data_rows: usize,
    /// Every column, in order.
    pub columns: Vec<ListColumn>,
    /// Index into `columns`: the asked column, else the detected one (`None` when no column holds
    /// IDs, addresses or companies).
    pub chosen: Option<usize>,
}

/// One column of a list.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
#[ts(export)]
pub struct ListColumn {
    /// 0-based position in the row.
    pub index: usize,
    /// The header text, or "Column A", "Column B"… when there is none or it is blank.
    pub name: String,
    /// What most of its filled values are.
    pub kind: ValueKind,
    /// Up to 3 filled values, as written.
    pub samples: Vec<String>,
    /// Values of that kind.
    pub usable: usize,
    /// Non-blank values.
    pub filled: usize,
}

/// What a column holds.
#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    /// Coresignal employee IDs.
    EmployeeIds,
    /// LinkedIn profile addresses or short names.
    ProfileAddresses,
    /// Company names, web domains or company profile addresses.
    Companies,
    /// Anything else.
    Other,
}

/// Finds (or takes) the header row, describes every column and picks the one to use: `column`
/// when given and present, else the detected one.
pub fn preview(table: &ListTable, header: HeaderChoice, column: Option<usize>) -> ListPreview {
    let (header_row, start) = data_start(table, header);
    let data = &table.rows[start..];
    let names = names(table, header_row, data);
    let width = names.len();
    let mut columns = Vec::with_capacity(width);
    let mut ranks = Vec::with_capacity(width);
    for (index, name) in names.into_iter().enumerate() {
        let hint = hint_of(&name);
        let cells = || {
            data.iter()
                .map(|r| r.cells.get(index).map_or("", String::as_str))
        };
        let tally = Tally::of(cells().take(SAMPLE_ROWS).map(Cell::of));
        let kind = tally.kind(hint);
        let usable = match kind {
            ValueKind::Other => 0,
            _ => cells().filter(|c| Cell::of(c).is_usable(kind)).count(),
        };
        let filled = cells().filter(|c| !c.is_empty()).count();
        ranks.push(tally.rank(kind, hint, usable, filled));
        columns.push(ListColumn {
            index,
            name,
            kind,
            samples: cells()
                .filter(|c| !c.is_empty())
                .take(3)
                .map(str::to_owned)
                .collect(),
            usable,
            filled,
        });
    }
    let chosen = match column {
        Some(asked) if asked < width => Some(asked),
        _ => best(&ranks),
    };
    ListPreview {
        source: table.source.clone(),
        sheet: table.sheet.clone(),
        header_row,
        header_detected: matches!(header, HeaderChoice::Detect) && header_row.is_some(),
        data_rows: data.len(),
        columns,
        chosen,
    }
}

/// The names of `table`'s columns with the header chosen by `header` (as [`preview`] shows them),
/// without describing their values.
pub fn column_names(table: &ListTable, header: HeaderChoice) -> Vec<String> {
    let (header_row, start) = data_start(table, header);
    names(table, header_row, &table.rows[start..])
}

/// The name of column `column` (0-based) as [`preview`] shows it, or "column N" past the last.
pub fn column_title(table: &ListTable, header: HeaderChoice, column: usize) -> String {
    column_names(table, header)
        .into_iter()
        .nth(column)
        .unwrap_or_else(|| format!("column {}", column + 1))
}

/// Every column's name: as many as the widest of the header and the data rows.
fn names(table: &ListTable, header_row: Option<usize>, data: &[super::ListRow]) -> Vec<String> {
    let width = data
        .iter()
        .map(|r| r.cells.len())
        .chain([header_cells(table, header_row).len()])
        .max()
        .unwrap_or(0);
    (0..width)
        .map(|index| column_name(table, header_row, index))
        .collect()
}

/// The column with the lowest rank; ties go to the larger share of usable values, then the left.
fn best(ranks: &[Option<(u8, f64)>]) -> Option<usize> {
    let mut best: Option<(usize, u8, f64)> = None;
    for (index, rank) in ranks.iter().enumerate() {
        let Some((rank, share)) = *rank else { continue };
        if best.is_none_or(|(_, r, s)| rank < r || (rank == r && share > s)) {
            best = Some((index, rank, share));
        }
    }
    best.map(|(index, _, _)| index)
}

/// The header row's number and the index in `table.rows` where the data starts.
pub(super) fn data_start(table: &ListTable, header: HeaderChoice) -> (Option<usize>, usize) {
    match header {
        HeaderChoice::Detect => match header::detect(table) {
            Some(index) => (Some(table.rows[index].row), index + 1),
            None => (None, 0),
        },
        HeaderChoice::Row(row) => (Some(row), table.rows.partition_point(|r| r.row <= row)),
        HeaderChoice::None => (None, 0),
    }
}

fn header_cells(table: &ListTable, header_row: Option<usize>) -> &[String] {
    header_row
        .and_then(|n| table.rows.iter().find(|r| r.row == n))
        .map_or(&[], |r| r.cells.as_slice())
}

/// The header's text for column `index`, or its spreadsheet letters ("Column A", "Column AA").
pub(super) fn column_name(table: &ListTable, header_row: Option<usize>, index: usize) -> String {
    match header_cells(table, header_row).get(index) {
        Some(name) if !name.is_empty() => name.clone(),
        _ => format!("Column {}", letters(index)),
    }
}

/// A spreadsheet column's letters: 0 → A, 25 → Z, 26 → AA, 16,383 → XFD (also the export's
/// cell references).
pub(crate) fn letters(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}
