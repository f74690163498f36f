//! Lists a person opened or pasted: read off the async workers, kept in memory by a token while
//! they choose the header and the column, then resolved and priced. The last report of each list
//! is kept so that its rows not found can be saved as a CSV.

use std::collections::VecDeque;
use std::path::Path;
use std::sync::{Arc, Mutex};

use serde::Serialize;

use super::{Session, SessionError};
use crate::company_lists::CompanyReport;
use crate::error::ErrorCode;
use crate::jobs::{Purchase, Quote};
use crate::lists::{preview, read_list_file, read_pasted, HeaderChoice, ListPreview, ListTable};
use crate::profiles::{ListReport, LookupProgress};
use crate::query::builder::Search;
use crate::UserError;

/// How many opened lists are kept at once (the newest).
const KEPT: usize = 4;

/// Lists opened in this session, newest last.
#[derive(Default)]
pub(super) struct OpenLists {
    lists: Mutex<VecDeque<OpenList>>,
}

struct OpenList {
    token: String,
    table: Arc<ListTable>,
    report: Option<ListReport>,
    /// For a companies column: the searches that hold every company.
    company_searches: Option<Vec<Search>>,
}

/// A list just opened: its token (what the next steps take) and its preview.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
#[ts(export)]
pub struct ListOpened {
    /// Names the list in [`Session::preview_list`] and [`Session::resolve_list`].
    pub token: String,
    /// The header row, the columns with samples, and the column detected.
    pub preview: ListPreview,
}

/// A list resolved: the report, and the price of collecting the people found.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
#[ts(export)]
pub struct ListPick {
    /// Who each row was found to be, shown before the price.
    pub report: ListReport,
    /// The price (confirm it with `submit`); `None` when the list names nobody.
    pub quote: Option<Quote>,
    /// Set when the people are over the 10,000 one request carries: they go as batches.
    pub batches_message: Option<String>,
}

impl OpenLists {
    fn add(&self, table: ListTable) -> String {
        let token = uuid::Uuid::new_v4().to_string();
        let mut lists = super::lock(&self.lists);
        if lists.len() >= KEPT {
            lists.pop_front();
        }
        lists.push_back(OpenList {
            token: token.clone(),
            table: Arc::new(table),
            report: None,
            company_searches: None,
        });
        token
    }

    fn table(&self, token: &str) -> Result<Arc<ListTable>, SessionError> {
        super::lock(&self.lists)
            .iter()
            .find(|list| list.token == token)
            .map(|list| Arc::clone(&list.table))
            .ok_or(SessionError::NoSuchPick)
    }

    fn keep_report(&self, token: &str, report: &ListReport) {
        if let Some(list) = super::lock(&self.lists)
            .iter_mut()
            .find(|list| list.token == token)
        {
            list.report = Some(report.clone());
        }
    }

    fn keep_company_searches(&self, token: &str, searches: Vec<Search>) {
        if let Some(list) = super::lock(&self.lists)
            .iter_mut()
            .find(|list| list.token == token)
        {
            list.company_searches = Some(searches);
        }
    }

    fn company_searches(&self, token: &str) -> Result<(Vec<Search>, String), SessionError> {
        super::lock(&self.lists)
            .iter()
            .find(|list| list.token == token)
            .and_then(|list| {
                list.company_searches
                    .clone()
                    .map(|searches| (searches, list.table.source.clone()))
            })
            .ok_or(SessionError::NoSuchPick)
    }

    fn report(&self, token: &str) -> Result<ListReport, SessionError> {
        super::lock(&self.lists)
            .iter()
            .find(|list| list.token == token)
            .and_then(|list| list.report.clone())
            .ok_or(SessionError::NoSuchPick)
    }
}

impl Session {
    /// Reads the list at `path` (CSV, TSV, TXT, XLSX, XLS or ODS) off the async workers and
    /// previews it: the header row and the column of IDs or profile addresses, detected.
    pub async fn open_list(&self, path: &Path) -> Result<ListOpened, UserError> {
        let owned = path.to_path_buf();
        self.opened(move || read_list_file(&owned)).await
    }

    /// Reads cells pasted from a spreadsheet (or one value a line) and previews them, off the
    /// async workers.
    pub async fn paste_list(&self, text: String) -> Result<ListOpened, UserError> {
        self.opened(move || read_pasted(&text)).await
    }

    /// Reads a list with `read` and previews it off the async workers: a list of a million rows
    /// takes seconds.
    async fn opened(
        &self,
        read: impl FnOnce() -> Result<ListTable, crate::lists::ListError> + Send + 'static,
    ) -> Result<ListOpened, UserError> {
        let (table, shown) = off_the_workers(move || {
            read().map(|table| {
                let shown = preview(&table, HeaderChoice::Detect, None);
                (table, shown)
            })
        })
        .await??;
        Ok(ListOpened {
            token: self.lists.add(table),
            preview: shown,
        })
    }

    /// The preview of list `token` with the header and column the person chose (worked out off
    /// the async workers).
    pub async fn preview_list(
        &self,
        token: &str,
        header: HeaderChoice,
        column: Option<usize>,
    ) -> Result<ListPreview, UserError> {
        let table = self.lists.table(token)?;
        off_the_workers(move || preview(&table, header, column)).await
    }

    /// Finds the people column `column` of list `token` names (free searches; `progress` hears
    /// after each) and prices collecting them: the report and the quote to confirm.
    pub async fn resolve_list(
        &self,
        token: &str,
        header: HeaderChoice,
        column: usize,
        progress: &(dyn Fn(LookupProgress) + Send + Sync),
    ) -> Result<ListPick, UserError> {
        let table = self.lists.table(token)?;
        let priced = self
            .engine()?
            .quote_list(&table, header, column, Purchase::NewOnly, progress)
            .await?;
        let report = priced.resolved.report;
        self.lists.keep_report(token, &report);
        let batches = report.people.div_ceil(crate::ids::MAX_IDS_PER_REQUEST);
        let batches_message = (batches > 1).then(|| {
            format!(
                "One delivery carries at most 10,000 people, so these {} go as {batches} batches, priced and confirmed together. One spreadsheet holds them all.",
                crate::jobs::group(report.people as u64)
            )
        });
        Ok(ListPick {
            report,
            quote: priced.quote,
            batches_message,
        })
    }

    /// Reads column `column` of list `token` as companies and counts each with a free search
    /// (`progress` hears after each): the report, with the builder group when one search holds
    /// them all. The searches are kept for [`Session::quote_companies`].
    pub async fn company_search(
        &self,
        token: &str,
        header: HeaderChoice,
        column: usize,
        progress: &(dyn Fn(LookupProgress) + Send + Sync),
    ) -> Result<CompanyReport, UserError> {
        let table = self.lists.table(token)?;
        let found = self
            .engine()?
            .company_search(&table, header, column, progress)
            .await?;
        self.lists.keep_company_searches(token, found.searches);
        Ok(found.report)
    }

    /// The price of collecting everyone at the companies of list `token` (its last
    /// [`Session::company_search`]) as one collection: for lists too long for one search.
    pub async fn quote_companies(&self, token: &str) -> Result<Quote, UserError> {
        let (searches, source) = self.lists.company_searches(token)?;
        Ok(self
            .engine()?
            .quote_company_searches(&searches, &source)
            .await?)
    }

    /// Saves the rows of list `token` that were not found (its last report) as a CSV at `to`.
    pub fn save_not_found(&self, token: &str, to: &Path) -> Result<(), UserError> {
        let report = self.lists.report(token)?;
        crate::profiles::write_not_found(&report, to)?;
        Ok(())
    }
}

/// Runs `work` on the blocking pool.
async fn off_the_workers<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, UserError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| UserError::new(ErrorCode::Internal, error.to_string()))
}
