//! What a collection's spreadsheet may add to the records' sheets: the two columns a net-new
//! purchase adds to its People sheet, so that a person sees who came in this purchase and who
//! came from the library (*Collected on*, *In this purchase*), the person's own columns from the
//! list they started from, and sheets of plain text (*What changed*, *Not found*).

use std::borrow::Cow;
use std::collections::HashMap;

use super::cell::Cell;
use super::value::{Obj, Val};

/// The header of the date the app got its copy of a person.
pub const COLLECTED_ON: &str = "Collected on";

/// The header of "yes" (bought now) or "no" (from the library).
pub const IN_THIS_PURCHASE: &str = "In this purchase";

/// What the two columns say of one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// When the app got the copy exported (`yyyy-mm-dd`).
    pub collected_on: String,
    /// Bought in this purchase (else it came from the library).
    pub in_purchase: bool,
}

/// The marks of every person of an export, by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PurchaseMarks {
    /// Each person's mark.
    pub by_id: HashMap<i64, Mark>,
}

impl PurchaseMarks {
    /// The two cells of `record`'s row (empty for a person without a mark).
    pub(crate) fn cells(&self, record: &Obj<'_>) -> [Cell<'static>; 2] {
        match record_id(record).and_then(|id| self.by_id.get(&id)) {
            Some(mark) => [
                Cell::text(Cow::Owned(mark.collected_on.clone())),
                Cell::text(Cow::Borrowed(if mark.in_purchase { "yes" } else { "no" })),
            ],
            None => [Cell::Empty, Cell::Empty],
        }
    }
}

/// A sheet of plain text added after the records' sheets (*What changed*).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextSheet {
    /// The sheet's name.
    pub name: String,
    /// For a one-file CSV export, the end of its own file's name: `<stem>_<file_end>.csv`.
    pub file_end: String,
    /// The header row.
    pub columns: Vec<String>,
    /// The rows, as many cells as columns.
    pub rows: Vec<Vec<String>>,
}

impl TextSheet {
    /// The sheet's header, as a layout's sheets are described.
    pub(crate) fn sheet(&self) -> super::layout::Sheet {
        super::layout::Sheet {
            name: self.name.clone(),
            columns: self.columns.clone(),
        }
    }

    /// Each row as cells.
    pub(crate) fn cells(&self) -> impl Iterator<Item = Vec<Cell<'_>>> {
        self.rows.iter().map(|row| {
            row.iter()
                .map(|text| Cell::text(Cow::Borrowed(text.as_str())))
                .collect()
        })
    }
}

/// The header of the row number a person had in the list they started from.
pub const ROW_IN_YOUR_LIST: &str = "Row in your list";

/// The person's own columns from the list a collection started from (their CRM id, their notes),
/// put before the collected ones on each person's row, so the sheet goes back into their CRM.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OwnColumns {
    /// Their header, as in their file.
    pub columns: Vec<String>,
    /// Each person's row in their list: its number and cells.
    pub by_id: HashMap<i64, (usize, Vec<String>)>,
}

impl OwnColumns {
    /// The header cells put first: the row number, then theirs; a name the records' sheet
    /// already has gets " (your list)" after it.
    pub(crate) fn header(&self, taken: &[String]) -> Vec<String> {
        let mut header = vec![ROW_IN_YOUR_LIST.to_owned()];
        for name in &self.columns {
            let clash = taken.iter().any(|known| known.eq_ignore_ascii_case(name))
                || name.eq_ignore_ascii_case(ROW_IN_YOUR_LIST);
            header.push(if clash {
                format!("{name} (your list)")
            } else {
                name.clone()
            });
        }
        header
    }

    /// `record`'s cells: its row number and cells (empty for a person not in the list).
    pub(crate) fn cells(&self, record: &Obj<'_>) -> Vec<Cell<'_>> {
        let mut cells = Vec::with_capacity(self.columns.len() + 1);
        match record_id(record).and_then(|id| self.by_id.get(&id)) {
            Some((row, values)) => {
                cells.push(Cell::text(Cow::Owned(row.to_string())));
                cells.extend((0..self.columns.len()).map(|at| {
                    values.get(at).map_or(Cell::Empty, |value| {
                        Cell::text(Cow::Borrowed(value.as_str()))
                    })
                }));
            }
            None => cells.resize(self.columns.len() + 1, Cell::Empty),
        }
        cells
    }
}

/// A record's `id`, written as a number or as text.
fn record_id(record: &Obj<'_>) -> Option<i64> {
    match record.get("id") {
        Some(Val::Number(number)) => number.as_i64(),
        Some(Val::String(text)) => text.trim().parse().ok(),
        _ => None,
    }
}

/// Everything an export adds to its records.
#[derive(Debug, Clone, Copy, Default)]
pub struct Additions<'a> {
    /// The People sheet's two purchase columns.
    pub marks: Option<&'a PurchaseMarks>,
    /// The person's own columns, put first on the People sheet.
    pub own: Option<&'a OwnColumns>,
    /// Sheets after the records' sheets.
    pub sheets: &'a [TextSheet],
}
