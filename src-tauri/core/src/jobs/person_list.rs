//! A collection read from a person's list: the list is kept with the quote, and the collection's
//! spreadsheet puts their own columns before the collected ones, with a *Not found* sheet of the
//! rows that brought nobody.

use crate::export::{OwnColumns, TextSheet, ROW_IN_YOUR_LIST};
use crate::ids::IdReport;
use crate::lists::{column_title, entries, preview, HeaderChoice, ListTable};
use crate::profiles::{build, resolve, LookupProgress, Resolved};
use crate::store::{JobRow, NewPersonList, PersonListRow};

use super::{Engine, EngineError, JobRequest, NewJob, Purchase, Quote};

/// A list resolved and, when it names anyone, priced.
#[derive(Debug, Clone)]
pub struct ListQuote {
    /// Who each row was found to be, and the report.
    pub resolved: Resolved,
    /// The price of collecting them (net-new, in batches past the service's cap); `None` when
    /// the list names nobody.
    pub quote: Option<Quote>,
}

impl Engine {
    /// Reads column `column` of `table` (its header chosen by `header`) and finds the people it
    /// names: employee IDs as they are, profile addresses and short names with free searches
    /// (`progress` hears after each). Nothing is spent.
    pub async fn resolve_list(
        &self,
        table: &ListTable,
        header: HeaderChoice,
        column: usize,
        progress: &(dyn Fn(LookupProgress) + Send + Sync),
    ) -> Result<Resolved, EngineError> {
        let (read, name) = heavy(|| {
            let read = entries(table, header, column);
            (read, column_title(table, header, column))
        });
        let client = self.client()?;
        let matches = resolve(&client, &read, progress).await;
        self.record_balance(&client);
        let matches = matches?;
        Ok(heavy(|| build(&table.source, &name, &read, &matches)))
    }

    /// [`Engine::resolve_list`], then [`Engine::quote_resolved`].
    pub async fn quote_list(
        &self,
        table: &ListTable,
        header: HeaderChoice,
        column: usize,
        purchase: Purchase,
        progress: &(dyn Fn(LookupProgress) + Send + Sync),
    ) -> Result<ListQuote, EngineError> {
        let resolved = self.resolve_list(table, header, column, progress).await?;
        let quote = self
            .quote_resolved(table, header, column, &resolved, purchase)
            .await?;
        Ok(ListQuote { resolved, quote })
    }

    /// The price of collecting the people `resolved` found in column `column` of `table`, as a
    /// quote to confirm like any other (`None` when it found nobody). The list is kept with the
    /// quote: the spreadsheet puts the person's own columns before the collected ones.
    pub async fn quote_resolved(
        &self,
        table: &ListTable,
        header: HeaderChoice,
        column: usize,
        resolved: &Resolved,
        purchase: Purchase,
    ) -> Result<Option<Quote>, EngineError> {
        if resolved.ids.is_empty() {
            return Ok(None);
        }
        let list = heavy(|| self.keep_table(table, header, column, resolved))?;
        let job = NewJob {
            name: Some(list_name(&table.source)),
            request: JobRequest::Ids {
                report: IdReport::of_ids(resolved.ids.clone()),
                source_file: Some(table.source.clone()),
                split: true,
                list: Some(list),
            },
            webhook_url: None,
        };
        let quote = match purchase {
            Purchase::NewOnly => self.quote(&job).await?,
            Purchase::Everyone => self.quote_everyone(&job).await?,
        };
        Ok(Some(quote))
    }

    /// Keeps the rows of `table` (column `column` resolved as `resolved`), each with its person:
    /// the list's number.
    fn keep_table(
        &self,
        table: &ListTable,
        header: HeaderChoice,
        column: usize,
        resolved: &Resolved,
    ) -> Result<i64, EngineError> {
        let shown = preview(table, header, Some(column));
        let cells: std::collections::HashMap<usize, &Vec<String>> =
            table.rows.iter().map(|row| (row.row, &row.cells)).collect();
        let width = shown.columns.len();
        let cells_of = |row: usize| -> Vec<String> {
            (0..width)
                .map(|at| {
                    cells
                        .get(&row)
                        .and_then(|cells| cells.get(at))
                        .cloned()
                        .unwrap_or_default()
                })
                .collect()
        };
        // Rows blank in the column are kept too, so that every row of the list is somewhere in
        // the spreadsheet.
        let read: std::collections::HashSet<usize> =
            resolved.rows.iter().map(|row| row.row).collect();
        let blank = table
            .rows
            .iter()
            .filter(|row| shown.header_row.is_none_or(|header| row.row > header))
            .filter(|row| !read.contains(&row.row))
            .map(|row| PersonListRow {
                row: row.row,
                person: None,
                cells: cells_of(row.row),
                note: Some(format!(
                    "Nothing in column \"{}\" on this row.",
                    resolved.report.column
                )),
            });
        let list = NewPersonList {
            source: table.source.clone(),
            column: resolved.report.column.clone(),
            columns: shown
                .columns
                .iter()
                .map(|column| column.name.clone())
                .collect(),
            rows: resolved
                .rows
                .iter()
                .map(|resolved| PersonListRow {
                    row: resolved.row,
                    person: resolved.person,
                    cells: cells_of(resolved.row),
                    note: resolved.note.clone(),
                })
                .chain(blank)
                .collect(),
        };
        self.keep_list(&list)
    }

    /// Keeps `list` (read from a person's file, each row with the person it was found to be);
    /// a request made from it names the number returned (`JobRequest::Ids::list`).
    pub fn keep_list(&self, list: &NewPersonList) -> Result<i64, EngineError> {
        Ok(self.store.insert_person_list(self.mode(), list)?)
    }

    /// For `job` (a collection's own row, or a single job), made from a quote read from a
    /// person's list: their columns by person, and the *Not found* sheet (`None` when every row
    /// brought someone). `None` for any other job.
    pub(super) fn list_columns(
        &self,
        job: &JobRow,
    ) -> Result<Option<(OwnColumns, TextSheet)>, EngineError> {
        let Some(quote) = job.quote_id else {
            return Ok(None);
        };
        let Some(list) = self.store.quote(job.mode, quote)?.request.list_id else {
            return Ok(None);
        };
        let list = self.store.person_list(list)?;
        let mut columns = vec![ROW_IN_YOUR_LIST.to_owned(), "Why".to_owned()];
        columns.extend(list.columns.iter().cloned());
        let rows = list
            .unmatched
            .iter()
            .map(|row| {
                let why = match (&row.note, row.person) {
                    (Some(note), _) => note.clone(),
                    (None, Some(person)) => match list.by_person.get(&person) {
                        Some((first, _)) => format!(
                            "The same person as row {first}: collected once, on the People sheet with row {first}'s columns."
                        ),
                        None => String::new(),
                    },
                    (None, None) => String::new(),
                };
                let mut cells = vec![row.row.to_string(), why];
                cells.extend(
                    (0..list.columns.len())
                        .map(|at| row.cells.get(at).cloned().unwrap_or_default()),
                );
                cells
            })
            .collect();
        let unmatched = TextSheet {
            name: "Not found".into(),
            file_end: "not_found".into(),
            columns,
            rows,
        };
        Ok(Some((
            OwnColumns {
                columns: list.columns,
                by_id: list.by_person,
            },
            unmatched,
        )))
    }
}

/// A collection's name from its list's source: the file's name without its extension.
fn list_name(source: &str) -> String {
    let stem = std::path::Path::new(source)
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    match stem.trim() {
        "" | crate::lists::PASTED => "Pasted list".to_owned(),
        stem => format!("People from {stem}"),
    }
}

/// Runs `work`, CPU-bound for seconds on a list of a million rows, without holding up the other
/// tasks: on a multi-threaded runtime (the app's, the CLI's) the worker hands them over first.
pub(super) fn heavy<T>(work: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(runtime) if runtime.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(work)
        }
        _ => work(),
    }
}
