//! Everyone at these companies, through the engine: each company counted with a free search, the
//! list turned into a builder group (or several searches past the query's limits), and those
//! searches priced as one collection.

use futures_util::stream::{self, StreamExt, TryStreamExt};

use crate::company_lists::{
    company_group, company_report, distinct, search_of, split_searches, CompanyReport,
};
use crate::ids::IdReport;
use crate::lists::{column_title, company_entries, HeaderChoice, ListTable};
use crate::profiles::LookupProgress;
use crate::query::builder::{to_query, Search};

use super::net_new::list_ids;
use super::{Engine, EngineError, JobRequest, NewJob, Quote, MOST_LISTED};

/// Searches in flight at once; the client's rate limiter paces them.
const IN_FLIGHT: usize = 4;

/// A companies list read and counted.
#[derive(Debug, Clone)]
pub struct CompanySearch {
    /// What the person sees.
    pub report: CompanyReport,
    /// The searches that hold every company (one when they fit one).
    pub searches: Vec<Search>,
}

impl Engine {
    /// Reads column `column` of `table` as companies, counts each with a free search (`progress`
    /// hears after each), and makes the search of everyone who works at them now. Nothing is
    /// spent.
    pub async fn company_search(
        &self,
        table: &ListTable,
        header: HeaderChoice,
        column: usize,
        progress: &(dyn Fn(LookupProgress) + Send + Sync),
    ) -> Result<CompanySearch, EngineError> {
        let (read, name, companies, duplicates, keys, searches, bodies) =
            super::person_list::heavy(|| -> Result<_, EngineError> {
                let read = company_entries(table, header, column);
                let name = column_title(table, header, column);
                let (companies, duplicates) = distinct(&read);
                let keys: Vec<_> = companies.iter().map(|(_, _, key)| key.clone()).collect();
                let searches = split_searches(&keys);
                let mut bodies = Vec::new();
                for key in &keys {
                    bodies.push(
                        to_query(&search_of(company_group(std::slice::from_ref(key))))
                            .map_err(not_a_search)?,
                    );
                }
                for search in &searches {
                    bodies.push(to_query(search).map_err(not_a_search)?);
                }
                Ok((read, name, companies, duplicates, keys, searches, bodies))
            })?;
        let planned = bodies.len();
        let done = std::sync::atomic::AtomicUsize::new(0);
        let client = self.client()?;
        let counted: Result<Vec<(usize, u64)>, EngineError> =
            stream::iter(bodies.into_iter().enumerate())
                .map(|(at, body)| {
                    let (client, done) = (&client, &done);
                    async move {
                        let estimate = client.estimate(&body).await?;
                        let done = done.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                        progress(LookupProgress { done, planned });
                        Ok::<_, EngineError>((at, estimate.total_results))
                    }
                })
                .buffer_unordered(IN_FLIGHT)
                .try_collect()
                .await;
        self.record_balance(&client);
        let mut counts = vec![0u64; planned];
        for (at, count) in counted? {
            counts[at] = count;
        }
        let matches: u64 = counts[keys.len()..].iter().sum();
        let per_company: Vec<_> = companies
            .into_iter()
            .zip(counts[..keys.len()].iter().copied())
            .collect();
        let group = match searches.as_slice() {
            [one] => one.groups.first().cloned(),
            _ => None,
        };
        let report = company_report(
            (&table.source, &name),
            &read,
            &per_company,
            duplicates,
            (matches, searches.len(), planned),
            group,
        );
        Ok(CompanySearch { report, searches })
    }

    /// The price of collecting everyone `searches` match as one collection: each search's people
    /// listed with free searches (at most 10,000 each), then sent once as an ID list (in batches
    /// past the service's cap), people already in the library skipped. Nothing is spent.
    pub async fn quote_company_searches(
        &self,
        searches: &[Search],
        source: &str,
    ) -> Result<Quote, EngineError> {
        let client = self.client()?;
        let mut seen = std::collections::HashSet::new();
        let mut ids = Vec::new();
        for search in searches {
            // One more than can be listed tells a search that matches too many: cut to its
            // first 10,000, it would buy fewer people than "everyone at these companies".
            let listed = list_ids(
                &client,
                &to_query(search).map_err(not_a_search)?,
                MOST_LISTED + 1,
            )
            .await;
            self.record_balance(&client);
            let listed = listed?;
            if listed.len() as u64 > MOST_LISTED {
                return Err(EngineError::InvalidInput(format!(
                    "Some of these companies employ more than {} people together, more than the app can list to collect them as one collection. Nothing was priced. Put the biggest companies in a list of their own and search for them with the search builder (with a limit), or split the list into smaller ones.",
                    super::words::group(MOST_LISTED)
                )));
            }
            ids.extend(
                listed
                    .into_iter()
                    .filter(|id| seen.insert(*id))
                    .filter_map(|id| u64::try_from(id).ok()),
            );
        }
        if ids.is_empty() {
            return Err(EngineError::InvalidInput(
                "Nobody works at these companies now, as far as the search finds: there is nothing to collect. Check how the companies are written.".into(),
            ));
        }
        let job = NewJob {
            name: Some(format!("Everyone at the companies in {source}")),
            request: JobRequest::Ids {
                report: IdReport::of_ids(ids),
                source_file: Some(source.to_owned()),
                split: true,
                list: None,
            },
            webhook_url: None,
        };
        self.quote(&job).await
    }
}

/// A companies search the builder could not write (it always can: every company is a value).
fn not_a_search(error: crate::query::builder::BuilderError) -> EngineError {
    EngineError::InvalidInput(error.to_string())
}
