//! What a layout is: the sheets it fills and the rows one record becomes.

use std::collections::HashSet;

use super::cell::Cell;
use super::value::Obj;
use super::ExportError;

/// One sheet of an export (one file in a CSV folder): its name and column headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sheet {
    /// The sheet's name (People, Experience, …).
    pub name: String,
    /// The header row.
    pub columns: Vec<String>,
}

/// Where a layout sends rows: the sheet's index and the row's cells (as many as its columns).
pub(crate) type RowSink<'s> = dyn FnMut(usize, &[Cell<'_>]) -> Result<(), ExportError> + 's;

/// A way of laying records out in sheets.
pub(crate) trait Layout {
    /// The sheets, in order.
    fn sheets(&self) -> Vec<Sheet>;
    /// The top-level fields the rows are made of (`None`: all of them); the others are skipped
    /// unparsed.
    fn wanted(&self) -> Option<HashSet<String>>;
    /// Sends the rows `record` becomes.
    fn rows(&self, record: &Obj<'_>, sink: &mut RowSink<'_>) -> Result<(), ExportError>;
}
