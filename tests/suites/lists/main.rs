//! Lists people hold, against the real simulator over HTTP and a real database: a CRM export with
//! a column of LinkedIn addresses in every form people paste, rows not in the data, the same
//! person twice and a company page; a workbook with a LinkedIn column; an address two people have
//! used. Each is resolved with free searches, reported by row, collected exactly, and the
//! spreadsheet keeps the person's own columns.

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use std::collections::BTreeMap;
use std::path::Path;

use bulk_collect_tests::*;
use collect_core::export::ExportOptions;
use collect_core::jobs::{JobState, Purchase};
use collect_core::lists::{read_list_file, HeaderChoice, ListPreview};
use coresignal_sim::Endpoint;
use coresignal_sim::DEFAULT_PRACTICE_KEY;

mod addresses;
mod companies;
mod kept;
mod long_lists;

/// The column of `preview` named `name`.
fn column(preview: &ListPreview, name: &str) -> usize {
    preview
        .columns
        .iter()
        .find(|column| column.name == name)
        .unwrap_or_else(|| panic!("no column {name}: {preview:?}"))
        .index
}
