//! Quotes: what a request will cost, shown before a person confirms it, stored so that the
//! confirmed request is exactly the quoted one and is sent at most once.

use std::time::Duration;

use crate::library::Standing;
use crate::store::{format_time, JobRow, NewQuote, QuoteSplit, RETENTION};

use super::net_new::{NetNew, Purchase, TeamAsked};
use super::quote_view::view;
pub use super::quote_view::{EarlierJob, Quote};
use super::rebuild::request_of_job;
use super::request::fingerprint;
use super::words::job_name;
use super::{Engine, EngineError, JobKind, JobRequest, JobState, NewJob};

/// How long a price stands before it must be checked again.
pub const QUOTE_VALID_FOR: Duration = Duration::from_secs(5 * 60);

impl Engine {
    /// Makes a quote for `job`: counts the profiles (the free search call for a query; the list
    /// for IDs), prices them, and names earlier jobs that collected the same data. Nothing is
    /// spent.
    pub async fn quote(&self, job: &NewJob) -> Result<Quote, EngineError> {
        self.quote_replacing(job, None, Purchase::NewOnly).await
    }

    /// [`Engine::quote`] for everyone who matches, people already in the library included: the
    /// explicit "get everyone again".
    pub async fn quote_everyone(&self, job: &NewJob) -> Result<Quote, EngineError> {
        self.quote_replacing(job, None, Purchase::Everyone).await
    }

    pub(super) async fn quote_replacing(
        &self,
        job: &NewJob,
        replaces_job: Option<i64>,
        purchase: Purchase,
    ) -> Result<Quote, EngineError> {
        self.quote_for(job, replaces_job, purchase, None).await
    }

    /// [`Engine::quote_replacing`] of an update of finished collection `updates_job`, if any.
    pub(super) async fn quote_for(
        &self,
        job: &NewJob,
        replaces_job: Option<i64>,
        purchase: Purchase,
        updates_job: Option<i64>,
    ) -> Result<Quote, EngineError> {
        let webhook_url = check_webhook(job.webhook_url.as_deref())?;
        let per_profile = self.credits_per_profile()?;
        let (matches, records, balance) = match &job.request {
            JobRequest::Query { query, limit } => {
                check_limit(*limit)?;
                let (matches, balance) = self.count_matches(query).await?;
                let records = limit.map_or(matches, |limit| matches.min(u64::from(limit)));
                (matches, records, balance)
            }
            JobRequest::Ids { report, split, .. } => {
                if !split {
                    report.check_submittable()?;
                }
                let count = report.ids.len() as u64;
                (count, count, self.last_balance()?)
            }
        };
        let mut team = TeamAsked::NotAsked;
        let net_new = match purchase {
            Purchase::NewOnly => self.net_new(&job.request, matches, &mut team).await?,
            Purchase::Everyone => NetNew::AllNew,
        };
        // A net-new purchase sends the new and the changed as an ID list (in batches past the
        // service's cap); everything else sends the request as asked.
        let (request, records, split, people) = match &net_new {
            NetNew::Split(split) => {
                let to_buy: Vec<u64> = split
                    .to_buy()
                    .into_iter()
                    .filter_map(|id| u64::try_from(id).ok())
                    .collect();
                let (origin_query, origin_limit) = match &job.request {
                    JobRequest::Query { query, limit } => (Some(query.compact()), *limit),
                    JobRequest::Ids { .. } => (None, None),
                };
                let (source_file, list) = match &job.request {
                    JobRequest::Ids {
                        source_file, list, ..
                    } => (source_file.clone(), *list),
                    JobRequest::Query { .. } => (None, None),
                };
                let counts = QuoteSplit {
                    origin_query,
                    origin_limit,
                    new: split.count(Standing::New),
                    changed: split.count(Standing::Changed),
                    held: split.count(Standing::Held),
                };
                let request = JobRequest::Ids {
                    report: crate::ids::IdReport::of_ids(to_buy),
                    source_file,
                    split: true,
                    list,
                };
                let records = counts.new + counts.changed;
                (request, records, Some(counts), split.people.as_slice())
            }
            NetNew::AllNew | NetNew::Unavailable(_) => {
                (job.request.clone(), records, None, &[][..])
            }
        };
        let fingerprint = fingerprint(&request.canonical(matches));
        let since = format_time(time::OffsetDateTime::now_utc() - RETENTION);
        // The job this quote sends again is named by the question's warning, not as "collected".
        let mut earlier: Vec<JobRow> =
            self.store.earlier_jobs(self.mode(), &fingerprint, &since)?;
        if let (NetNew::Split(split), Some(counts)) = (&net_new, &split) {
            // The library does not hold yet what is on its way: those jobs count as earlier.
            for job in self.on_their_way(counts.origin_query.as_deref(), &split.to_buy())? {
                if earlier.iter().all(|known| known.id != job.id) {
                    earlier.push(job);
                }
            }
        }
        earlier.retain(|job| Some(job.id) != replaces_job);
        let (kind, query_json, query_limit, ids_text, ids_count, source_file) = match &request {
            JobRequest::Query { query, limit } => (
                JobKind::EsDsl,
                Some(query.compact()),
                *limit,
                None,
                None,
                None,
            ),
            JobRequest::Ids {
                report,
                source_file,
                ..
            } => (
                JobKind::IdFile,
                None,
                None,
                Some(report.upload_csv()),
                Some(report.ids.len() as u32),
                source_file.clone(),
            ),
        };
        let row = self.store.insert_quote_with_people(
            &NewQuote {
                mode: self.mode(),
                kind,
                name: job_name(job),
                query_json,
                query_limit,
                ids_text,
                ids_count,
                source_file,
                webhook_url,
                fingerprint,
                matches,
                records,
                credits: records.saturating_mul(u64::from(per_profile.used)),
                credits_per_record: per_profile.used,
                credits_basis: per_profile.basis,
                balance,
                earlier_jobs: earlier.iter().map(|job| job.id).collect(),
                replaces_job,
                valid_for: QUOTE_VALID_FOR,
                batches: batches_for(&request),
                purchase,
                split,
                updates_job,
                held_again: None,
                library_note: match &net_new {
                    NetNew::Unavailable(reason) => Some(reason.clone()),
                    _ => None,
                },
                list_id: match &request {
                    JobRequest::Ids { list, .. } => *list,
                    JobRequest::Query { .. } => None,
                },
            },
            people,
        )?;
        let mut quote = view(&row, &earlier);
        quote.team = self
            .team_part(team, &net_new, &job.request, matches, per_profile.used)
            .await;
        // The figure's own words: a median of recent deliveries names how many it took.
        quote.credits_note = per_profile.quote_note();
        quote.over_cap = self.cap_exceeded(quote.credits);
        Ok(quote)
    }

    /// How many profiles `query` matches, and the balance the service reported: the free search
    /// call, with no quote made (the live count while a search is edited, *Test connection*).
    pub async fn count_matches(
        &self,
        query: &crate::query::EsQuery,
    ) -> Result<(u64, Option<i64>), EngineError> {
        let client = self.client()?;
        let answer = client.estimate(&query.body).await;
        self.record_balance(&client);
        if let Err(crate::api::ApiError::KeyRejected { .. }) = &answer {
            self.key_rejected.send_replace(true);
        }
        let estimate = answer?;
        Ok((
            estimate.total_results,
            estimate.credits_remaining.or(self.last_balance()?),
        ))
    }

    /// What a person must say yes to, outside the webview, before Live quote `quote` is spent
    /// ([`crate::consent`]), with the words to ask it in: the webview's question (naming the
    /// credits, and the earlier collection when it is data bought again), plus the limit per
    /// request when the price is above it; `None` in Practice, where nothing is spent.
    pub fn consent_question(
        &self,
        quote: i64,
    ) -> Result<Option<(crate::consent::Consent, String)>, EngineError> {
        if self.mode() != super::Mode::Live {
            return Ok(None);
        }
        let row = self.store.quote(self.mode(), quote)?;
        let credits = row.request.credits;
        // The earlier jobs the quote was made with: the question says "again" and names them,
        // as the webview's does.
        let earlier = row
            .request
            .earlier_jobs
            .iter()
            .map(|job| self.store.job(*job))
            .collect::<Result<Vec<JobRow>, _>>()?;
        let mut question = view(&row, &earlier).question;
        if let Some(cap) = self.cap_exceeded(credits) {
            question.push_str(&format!(
                " This is above your limit of {} per request.",
                crate::money::credits_word(cap)
            ));
        }
        Ok(Some((
            crate::consent::Consent::Quote { quote, credits },
            question,
        )))
    }

    /// The limit per request when `credits` is above it. It guards money, so it holds in Live mode
    /// only: Practice spends nothing, and a second "spend?" there would say otherwise.
    pub(super) fn cap_exceeded(&self, credits: u64) -> Option<u64> {
        let options = self.options();
        options
            .credit_cap
            .filter(|cap| options.mode == super::Mode::Live && credits > *cap)
    }

    /// A new quote for the same request as an expired (or spent) quote: the price is checked again.
    pub async fn requote(&self, quote: i64) -> Result<Quote, EngineError> {
        let row = self.store.quote(self.mode(), quote)?;
        let job = self.request_of(&row)?;
        let q = &row.request;
        self.quote_for(&job, q.replaces_job, q.purchase, q.updates_job)
            .await
    }

    /// The price of quote `quote`'s request for everyone who matches, people already in the
    /// library included: the explicit "get everyone again" of a net-new price.
    pub async fn requote_everyone(&self, quote: i64) -> Result<Quote, EngineError> {
        let row = self.store.quote(self.mode(), quote)?;
        let job = self.request_of(&row)?;
        let q = &row.request;
        let quote = self
            .quote_for(&job, q.replaces_job, Purchase::Everyone, q.updates_job)
            .await?;
        // The question says that the people already held are bought again.
        match q
            .split
            .as_ref()
            .map(|split| split.held)
            .filter(|held| *held > 0)
        {
            Some(held) => {
                self.store.set_held_again(quote.id, held)?;
                let row = self.store.quote(self.mode(), quote.id)?;
                let earlier = row
                    .request
                    .earlier_jobs
                    .iter()
                    .map(|job| self.store.job(*job))
                    .collect::<Result<Vec<JobRow>, _>>()?;
                let mut again = view(&row, &earlier);
                again.credits_note = quote.credits_note;
                again.over_cap = quote.over_cap;
                Ok(again)
            }
            None => Ok(quote),
        }
    }

    /// "Send again" for an uncertain job: a new quote for the same request, whose confirmation says
    /// that the first may already have been charged. Spending it cancels the uncertain job.
    pub async fn send_again(&self, id: i64) -> Result<Quote, EngineError> {
        let job = self.job(id)?;
        if job.state != JobState::Uncertain || job.request_id.is_some() {
            return Err(EngineError::InvalidState {
                job: id,
                state: job.state,
                action: "sending again",
            });
        }
        if let Some(collection) = job.parent_id {
            return Err(EngineError::InvalidInput(format!(
                "This is a batch of the long ID list {}, so it cannot be sent again on its own. Look for it in your Coresignal account and use \"I found it\", or cancel it.",
                self.named_id(collection)
            )));
        }
        // A net-new purchase (or update) is priced again as what it was: the new and changed of
        // what it matched, the collection it updates kept. Any other request is sent exactly as
        // it was, not split.
        if let Some(quote) = job.quote_id {
            let row = self.store.quote(job.mode, quote)?;
            if row.request.split.is_some() {
                let request = self.request_of(&row)?;
                let updates = row.request.updates_job;
                return self
                    .quote_for(&request, Some(id), Purchase::NewOnly, updates)
                    .await;
            }
        }
        let list = match job.quote_id {
            Some(quote) => self.store.quote(job.mode, quote)?.request.list_id,
            None => None,
        };
        let request = request_of_job(&job, list)?;
        self.quote_replacing(&request, Some(id), Purchase::Everyone)
            .await
    }
}

/// How many requests `request` is sent as: an ID list over the cap, split, goes as batches of at
/// most [`crate::ids::MAX_IDS_PER_REQUEST`].
fn batches_for(request: &JobRequest) -> u32 {
    match request {
        JobRequest::Ids {
            report,
            split: true,
            ..
        } => u32::try_from(
            report
                .ids
                .len()
                .div_ceil(crate::ids::MAX_IDS_PER_REQUEST)
                .max(1),
        )
        .unwrap_or(u32::MAX),
        _ => 1,
    }
}

pub(super) fn check_limit(limit: Option<u32>) -> Result<(), EngineError> {
    match limit {
        Some(limit) if !(1..=10_000).contains(&limit) => Err(EngineError::InvalidInput(format!(
            "The limit must be between 1 and 10,000 profiles; {limit} was given."
        ))),
        _ => Ok(()),
    }
}

fn check_webhook(url: Option<&str>) -> Result<Option<String>, EngineError> {
    let Some(url) = url.map(str::trim).filter(|url| !url.is_empty()) else {
        return Ok(None);
    };
    match url::Url::parse(url) {
        Ok(parsed) if parsed.scheme() == "https" && parsed.host().is_some() => Ok(Some(url.to_owned())),
        _ => Err(EngineError::InvalidInput(format!(
            "The webhook address {url:?} is not a secure web address. Use one that starts with https://, or leave it empty."
        ))),
    }
}

#[cfg(test)]
#[path = "quote_tests.rs"]
mod tests;
