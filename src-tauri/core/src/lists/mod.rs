//! People's own lists: a CSV, TSV, TXT, XLSX, XLS or ODS file, or cells pasted from a spreadsheet,
//! with the column that holds employee IDs, LinkedIn profile addresses or companies found.
//!
//! Pure: no network, no database. The flow is [`read_list_file`] or [`read_pasted`] → a
//! [`ListTable`]; [`preview`] finds the header row and the column (shown to the person with sample
//! values); [`entries`] turns the chosen column into [`ListValue`]s (IDs or profile short names)
//! plus every unusable row, by row and column, in plain words. [`company_value`] reads one cell of a
//! companies list.

mod address;
mod columns;
mod companies;
mod header;
mod kinds;
mod table;
mod text;
mod values;
mod workbook;

#[cfg(test)]
mod tests;

pub(crate) use columns::letters as column_letters;
pub use columns::{
    column_names, column_title, preview, HeaderChoice, ListColumn, ListPreview, ValueKind,
};
pub use companies::{company_entries, company_value, CompanyEntries, CompanyEntry, CompanyKey};
pub use table::{read_list_file, read_pasted, ListError, ListRow, ListTable, PASTED};
pub use values::{entries, profile_value, ListEntries, ListEntry, ListValue, RowProblem};

/// The most rows a list may have (a full Excel sheet has 1,048,576).
pub const MAX_ROWS: usize = 1_000_000;
