//! The two columns a net-new purchase's spreadsheet adds to its People sheet, so that a person
//! sees who came in this purchase and who came from the library: *Collected on* and *In this
//! purchase*.

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
