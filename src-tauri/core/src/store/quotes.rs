//! Rows of `quotes`: a price shown to a person, and the exact request it is for. Spending a quote
//! creates the job in the same transaction, so one quote makes at most one job (and one POST),
//! across threads and processes, and no quote is ever spent without a job.

use std::time::Duration;

use rusqlite::{params, OptionalExtension, Row};

use super::jobs::job_from_row;
use super::new_jobs::{confirmed, insert_job, JobPart};
use super::sent_again::sent_again_reason;
use super::{format_time, now_text, parse_time, Store, StoreError, StoreResult};
use crate::jobs::{JobKind, JobState, Mode, Purchase};
use crate::library::Standing;
use crate::store::JobRow;

/// What a quote is for: written when the person is shown the price.
#[derive(Debug, Clone)]
pub struct NewQuote {
    /// Live or Practice.
    pub mode: Mode,
    /// ES DSL query or ID file.
    pub kind: JobKind,
    /// The job's name.
    pub name: String,
    /// The ES body to send (ES DSL).
    pub query_json: Option<String>,
    /// The `limit` to send (ES DSL).
    pub query_limit: Option<u32>,
    /// The IDs to send, one a line (ID file).
    pub ids_text: Option<String>,
    /// How many IDs.
    pub ids_count: Option<u32>,
    /// The file the IDs came from.
    pub source_file: Option<String>,
    /// The webhook passed through.
    pub webhook_url: Option<String>,
    /// Canonical digest of the request (same data, same fingerprint).
    pub fingerprint: String,
    /// Profiles the service counted.
    pub matches: u64,
    /// Profiles that will be delivered.
    pub records: u64,
    /// Credits they cost.
    pub credits: u64,
    /// Credits per profile used for the price.
    pub credits_per_record: u32,
    /// The balance the service reported.
    pub balance: Option<i64>,
    /// Earlier jobs that sent the same request in the last 30 days.
    pub earlier_jobs: Vec<i64>,
    /// The uncertain job this quote sends again, if any.
    pub replaces_job: Option<i64>,
    /// How long the price stands.
    pub valid_for: Duration,
    /// How many requests it is sent as: 1, or the batches of an ID list over the service's cap.
    pub batches: u32,
    /// Where `credits_per_record` came from: the plan setting or a measurement.
    pub credits_basis: crate::money::CreditsBasis,
    /// What the person asked to buy: everyone, or only the people not in the library.
    pub purchase: Purchase,
    /// For a net-new purchase, the split its request was made from.
    pub split: Option<QuoteSplit>,
    /// The finished collection this quote updates (*Update*), if any.
    pub updates_job: Option<i64>,
    /// For "get everyone again" after a net-new price: how many of them the library holds (the
    /// question says they are bought again).
    pub held_again: Option<u64>,
    /// Why the matches were not checked against the library (too many to list), in words.
    pub library_note: Option<String>,
    /// The person's list this request was read from (its rows and columns join the
    /// spreadsheet), if any.
    pub list_id: Option<i64>,
}

/// A net-new purchase: the search (or list) whose matches were split against the library, and
/// how many stood where. The request to send holds the new and the changed only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteSplit {
    /// The search whose matches were split (compact ES body); `None` for an ID list.
    pub origin_query: Option<String>,
    /// That search's `limit`.
    pub origin_limit: Option<u32>,
    /// Never collected.
    pub new: u64,
    /// Held, but the service has a newer copy.
    pub changed: u64,
    /// Held and unchanged: not bought.
    pub held: u64,
}

/// A quote as stored.
#[derive(Debug, Clone)]
pub struct QuoteRow {
    /// The quote's number: what `submit` takes.
    pub id: i64,
    /// What it is for.
    pub request: NewQuote,
    /// When it was made.
    pub created_at: String,
    /// After this time it cannot be spent.
    pub expires_at: String,
    /// When it was spent, if it was.
    pub spent_at: Option<String>,
    /// The job it made, if spent.
    pub job_id: Option<i64>,
}

/// Why a quote could not be spent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpendRefused {
    /// It was spent already (for this job).
    Spent {
        /// The job it made.
        job: Option<i64>,
    },
    /// Its time ran out.
    Expired,
    /// Since the price was made, another job sent the same request (another window or process):
    /// a new price names it.
    CollectedSince {
        /// That job.
        job: i64,
    },
    /// The uncertain job it sends again is no longer uncertain (its request was found meanwhile):
    /// sending again would pay twice.
    ReplacedMoved {
        /// That job.
        job: i64,
    },
}

const QUOTE_COLUMNS: &str = "id, mode, kind, name, query_json, query_limit, ids_text, ids_count, source_file, \
    webhook_url, fingerprint, matches, records, credits, credits_per_record, balance, earlier_jobs, replaces_job, \
    created_at, expires_at, spent_at, job_id, batches, credits_basis, purchase, origin_query, origin_limit, \
    new_people, changed_people, held_people, updates_job, held_again, library_note, list_id";

fn quote_from_row(row: &Row<'_>) -> rusqlite::Result<QuoteRow> {
    let mode: String = row.get(1)?;
    let kind: String = row.get(2)?;
    let earlier: String = row.get(16)?;
    let created_at: String = row.get(18)?;
    let expires_at: String = row.get(19)?;
    let valid_for = match (parse_time(&created_at), parse_time(&expires_at)) {
        (Some(from), Some(to)) => (to - from).try_into().unwrap_or_default(),
        _ => Duration::ZERO,
    };
    Ok(QuoteRow {
        id: row.get(0)?,
        request: NewQuote {
            mode: Mode::parse(&mode).unwrap_or(Mode::Live),
            kind: JobKind::parse(&kind).unwrap_or(JobKind::EsDsl),
            name: row.get(3)?,
            query_json: row.get(4)?,
            query_limit: row.get(5)?,
            ids_text: row.get(6)?,
            ids_count: row.get(7)?,
            source_file: row.get(8)?,
            webhook_url: row.get(9)?,
            fingerprint: row.get(10)?,
            matches: row.get(11)?,
            records: row.get(12)?,
            credits: row.get(13)?,
            credits_per_record: row.get(14)?,
            balance: row.get(15)?,
            earlier_jobs: serde_json::from_str(&earlier).unwrap_or_default(),
            replaces_job: row.get(17)?,
            valid_for,
            batches: row.get(22)?,
            credits_basis: crate::money::CreditsBasis::parse(
                row.get::<_, Option<String>>(23)?.as_deref(),
            ),
            purchase: Purchase::parse(&row.get::<_, String>(24)?),
            split: match (row.get(27)?, row.get(28)?, row.get(29)?) {
                (Some(new), Some(changed), Some(held)) => Some(QuoteSplit {
                    origin_query: row.get(25)?,
                    origin_limit: row.get(26)?,
                    new,
                    changed,
                    held,
                }),
                _ => None,
            },
            updates_job: row.get(30)?,
            held_again: row.get(31)?,
            library_note: row.get(32)?,
            list_id: row.get(33)?,
        },
        created_at,
        expires_at,
        spent_at: row.get(20)?,
        job_id: row.get(21)?,
    })
}

impl Store {
    /// Stores a quote; returns it with its number and expiry.
    pub fn insert_quote(&self, quote: &NewQuote) -> StoreResult<QuoteRow> {
        self.insert_quote_with_people(quote, &[])
    }

    /// Stores a quote and, for a net-new purchase, every matched person with where they stood
    /// (in match order), in one transaction; returns the quote with its number and expiry.
    pub fn insert_quote_with_people(
        &self,
        quote: &NewQuote,
        people: &[(i64, Standing)],
    ) -> StoreResult<QuoteRow> {
        let now = time::OffsetDateTime::now_utc();
        let expires = now + quote.valid_for;
        let earlier = serde_json::to_string(&quote.earlier_jobs)
            .map_err(|error| StoreError::Corrupt(error.to_string()))?;
        let split = quote.split.as_ref();
        let mut connection = self.lock();
        let transaction = connection.transaction()?;
        transaction.execute(
            &format!("INSERT INTO quotes ({}) VALUES (NULL, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, NULL, NULL, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31)", QUOTE_COLUMNS),
            params![
                quote.mode.as_str(),
                quote.kind.as_str(),
                quote.name,
                quote.query_json,
                quote.query_limit,
                quote.ids_text,
                quote.ids_count,
                quote.source_file,
                quote.webhook_url,
                quote.fingerprint,
                quote.matches,
                quote.records,
                quote.credits,
                quote.credits_per_record,
                quote.balance,
                earlier,
                quote.replaces_job,
                format_time(now),
                format_time(expires),
                quote.batches.max(1),
                quote.credits_basis.as_str(),
                quote.purchase.as_str(),
                split.and_then(|split| split.origin_query.as_deref()),
                split.and_then(|split| split.origin_limit),
                split.map(|split| split.new),
                split.map(|split| split.changed),
                split.map(|split| split.held),
                quote.updates_job,
                quote.held_again,
                quote.library_note,
                quote.list_id,
            ],
        )?;
        let id = transaction.last_insert_rowid();
        // The people of prices that ran out unspent are kept no longer than a day.
        transaction.execute(
            "DELETE FROM quote_people WHERE quote_id IN (SELECT id FROM quotes \
             WHERE spent_at IS NULL AND expires_at < ?1)",
            [format_time(now - Duration::from_secs(24 * 60 * 60))],
        )?;
        {
            let mut insert = transaction.prepare_cached(
                "INSERT INTO quote_people (quote_id, position, person_id, standing) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for (position, (person, standing)) in people.iter().enumerate() {
                insert.execute(params![id, position as i64, person, standing.as_str()])?;
            }
        }
        let row = transaction.query_row(
            &format!("SELECT {QUOTE_COLUMNS} FROM quotes WHERE id = ?1"),
            [id],
            quote_from_row,
        )?;
        transaction.commit()?;
        Ok(row)
    }

    /// One quote of `mode`.
    pub fn quote(&self, mode: Mode, id: i64) -> StoreResult<QuoteRow> {
        self.lock()
            .query_row(
                &format!("SELECT {QUOTE_COLUMNS} FROM quotes WHERE id = ?1 AND mode = ?2"),
                params![id, mode.as_str()],
                quote_from_row,
            )
            .optional()?
            .ok_or(StoreError::NoSuchQuote(id))
    }

    /// Spends quote `id` of `mode`: in one transaction, marks it spent (only if it was not), writes
    /// its job in state `submitting`, and gives `owner` the job's submission lease, so that no
    /// other process recovers the job while this one sends it. Returns the job, or why the quote
    /// could not be spent. Nothing is sent here.
    pub fn spend_quote(
        &self,
        mode: Mode,
        id: i64,
        owner: &str,
        owner_label: &str,
        lease: Duration,
    ) -> StoreResult<Result<JobRow, SpendRefused>> {
        let mut connection = self.lock();
        let transaction =
            connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let now = now_text();
        let quote = transaction
            .query_row(
                &format!("SELECT {QUOTE_COLUMNS} FROM quotes WHERE id = ?1 AND mode = ?2"),
                params![id, mode.as_str()],
                quote_from_row,
            )
            .optional()?
            .ok_or(StoreError::NoSuchQuote(id))?;
        if quote.spent_at.is_some() {
            return Ok(Err(SpendRefused::Spent { job: quote.job_id }));
        }
        let expired =
            parse_time(&quote.expires_at).is_none_or(|at| at <= time::OffsetDateTime::now_utc());
        if expired {
            return Ok(Err(SpendRefused::Expired));
        }
        let q = &quote.request;
        let since = format_time(time::OffsetDateTime::now_utc() - super::RETENTION);
        let newer = super::jobs::earlier_in(&transaction, mode, &q.fingerprint, &since)?
            .into_iter()
            .find(|job| !q.earlier_jobs.contains(&job.id) && Some(job.id) != q.replaces_job);
        if let Some(job) = newer {
            return Ok(Err(SpendRefused::CollectedSince { job: job.id }));
        }
        let spent = transaction.execute(
            "UPDATE quotes SET spent_at = ?2 WHERE id = ?1 AND spent_at IS NULL",
            params![id, now],
        )?;
        if spent != 1 {
            return Ok(Err(SpendRefused::Spent { job: None }));
        }
        // A grant given up below (a return before the commit) is no longer held here.
        let (job, grant) = if q.batches > 1 {
            let job = super::batches::insert_collection(&transaction, q, id, &now)?;
            (job, None)
        } else {
            let job = insert_job(&transaction, q, &JobPart::whole(q, id), &now)?;
            confirmed(&transaction, job, q, id, &now, "Sending it to the service.")?;
            let grant = super::leases::grant_in(
                &transaction,
                self,
                &submit_lease(job),
                owner,
                owner_label,
                lease,
            )?;
            (job, Some(grant))
        };
        transaction.execute(
            "UPDATE quotes SET job_id = ?2 WHERE id = ?1",
            params![id, job],
        )?;
        if let Some(replaced) = q.replaces_job {
            let known: Option<String> = transaction
                .query_row(
                    "SELECT request_id FROM jobs WHERE id = ?1",
                    [replaced],
                    |row| row.get(0),
                )
                .optional()?
                .flatten();
            if known.is_some() {
                // Found meanwhile (its id is being recorded): sending again would pay twice.
                return Ok(Err(SpendRefused::ReplacedMoved { job: replaced }));
            }
            let reason = sent_again_reason(job);
            let moved = super::jobs::move_in(
                &transaction,
                replaced,
                &[JobState::Uncertain],
                JobState::Cancelled,
                Some(&reason),
                None,
            )?;
            if moved.is_none() {
                // Dropped without commit: nothing is spent, no job is made.
                return Ok(Err(SpendRefused::ReplacedMoved { job: replaced }));
            }
        }
        let row = transaction.query_row(
            &format!(
                "SELECT {} FROM jobs WHERE id = ?1",
                super::jobs::JOB_COLUMNS
            ),
            [job],
            job_from_row,
        )?;
        transaction.commit()?;
        // Adopted by the sender (see `Store::held_lease`).
        drop(grant.map(super::leases::Grant::committed));
        Ok(Ok(row))
    }
}

/// The lease a job's submission is sent under.
pub fn submit_lease(job: i64) -> String {
    format!("submit:{job}")
}

/// The lease a job's downloads run under.
pub fn download_lease(job: i64) -> String {
    format!("download:{job}")
}
