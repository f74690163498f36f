//! What a collection's spreadsheet may add to the records' sheets: the two columns a net-new
//! purchase adds to its People sheet, so that a person sees who came in this purchase and who
//! came from the library (*Collected on*, *In this purchase*), and sheets of plain text (*What
//! changed*).

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
        let id = match record.get("id") {
            Some(Val::Number(number)) => number.as_i64(),
            Some(Val::String(text)) => text.trim().parse().ok(),
            _ => None,
        };
        match id.and_then(|id| self.by_id.get(&id)) {
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

/// Everything an export adds to its records.
#[derive(Debug, Clone, Copy, Default)]
pub struct Additions<'a> {
    /// The People sheet's two purchase columns.
    pub marks: Option<&'a PurchaseMarks>,
    /// Sheets after the records' sheets.
    pub sheets: &'a [TextSheet],
}
