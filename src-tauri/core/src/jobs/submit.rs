//! Submission: spends a quote (which writes the job row and takes its submission lease), POSTs
//! once, and records the answer. A POST whose answer is unknown is never re-sent: the job becomes
//! `uncertain`. A request id the service gave is never lost: if the database cannot take it, the
//! journal file does.

use std::time::Duration;

use crate::api::{ApiError, EsDslSubmission, SubmitError, Submitted};
use crate::consent::{Consent, ConsentToken};
use crate::error::{Coded, ErrorCode};
use crate::money::shortfall;
use crate::store::{submit_lease, JobRow, SpendRefused, StoreError};

use super::lease::Lease;
use super::{Engine, EngineError, JobKind, JobState};

/// How often writing an accepted request id is tried before the journal file takes it.
const RECORD_ATTEMPTS: u32 = 4;

impl Engine {
    /// Submits the request of quote `quote`: spends it (once, across threads and processes), then
    /// POSTs once. `again` confirms collecting data that an earlier job collected (the quote names
    /// it); without it such a quote is refused before anything is spent. A quote over the limit
    /// per request is refused too: see [`Engine::submit_confirmed`].
    pub async fn submit(&self, quote: i64, again: bool) -> Result<JobRow, EngineError> {
        self.submit_confirmed(
            quote,
            Confirmation {
                again,
                ..Confirmation::default()
            },
        )
        .await
    }

    /// [`Engine::submit`] with every confirmation a price may need: a quote whose credits exceed
    /// the limit per request (`credit_cap`, Live only) is spent only when `over_cap` names exactly its
    /// credits (a second, explicit confirmation); otherwise [`EngineError::OverCap`], before
    /// anything is spent. A quote whose known balance cannot pay it is refused
    /// ([`EngineError::NotEnoughCredits`]); a Live quote needs `consent`, a person's yes to
    /// exactly this quote and price, given outside the webview ([`crate::consent`]).
    pub async fn submit_confirmed(
        &self,
        quote: i64,
        confirmation: Confirmation,
    ) -> Result<JobRow, EngineError> {
        let mode = self.mode();
        let stored = self.store.quote(mode, quote)?;
        if stored.spent_at.is_none() {
            if stored.request.split.is_some() && stored.request.records == 0 {
                // A net-new purchase of nobody: there is no request to send.
                return Err(EngineError::InvalidInput(
                    "There is nothing new to buy: you already have everyone this matches, unchanged since you got them. Find them on the People screen, or get everyone again.".into(),
                ));
            }
            if let Some(earlier) = stored.request.earlier_jobs.first() {
                if !confirmation.again {
                    return Err(EngineError::CollectedBefore {
                        job: *earlier,
                        name: self.named_id(*earlier),
                    });
                }
            }
            let credits = stored.request.credits;
            if let Some(cap) = self.cap_exceeded(credits) {
                if confirmation.over_cap != Some(credits) {
                    return Err(EngineError::OverCap { credits, cap });
                }
            }
            if mode == super::Mode::Live {
                if let Some(shortfall) = shortfall(credits, stored.request.balance) {
                    return Err(EngineError::NotEnoughCredits { shortfall });
                }
                self.consents.take(
                    confirmation.consent.as_ref(),
                    &Consent::Quote { quote, credits },
                    &format!(
                        "Spending {} needs your yes in the app's own confirmation window.",
                        crate::money::credits_word(credits)
                    ),
                )?;
            }
        }
        let client = self.client()?;
        // Everything that could fail is done before the quote is spent.
        let payload = Payload::of(&stored.request)?;
        let label = self.owner_label();
        let job = match self.store.spend_quote(
            mode,
            quote,
            &self.owner,
            &label,
            super::engine::lease_ttl(),
        )? {
            Ok(job) => job,
            Err(SpendRefused::Spent { job }) => return Err(EngineError::QuoteSpent { job }),
            Err(SpendRefused::Expired) => return Err(EngineError::QuoteExpired),
            Err(SpendRefused::CollectedSince { job }) => {
                return Err(EngineError::CollectedBefore {
                    job,
                    name: self.named_id(job),
                })
            }
            Err(SpendRefused::ReplacedMoved { job }) => {
                return Err(EngineError::ReplacedMoved { job })
            }
        };
        if job.state == JobState::Collection {
            // Nothing is sent for the collection itself: its first batches go now, the rest as
            // earlier ones finish.
            self.notify_state(&job);
            self.send_due_batches(Some(job.id)).await?;
            self.wake.notify_one();
            return Ok(self.store.job(job.id)?);
        }
        self.send(&job, payload, &client, stored.request.replaces_job)
            .await
    }

    /// POSTs job `job`'s request once, under the submission lease taken with the job's move into
    /// `submitting`, and records the answer. `replaces_job`: the uncertain job a "send again"
    /// cancelled, uncertain again if this request is refused.
    pub(super) async fn send(
        &self,
        job: &JobRow,
        payload: Payload,
        client: &crate::api::ApiClient,
        replaces_job: Option<i64>,
    ) -> Result<JobRow, EngineError> {
        // The lease was taken with the row; this keeps it alive while the POST is out, and this
        // engine's scheduler leaves the job alone until the answer is recorded.
        crate::test_seams::kill_point("submit.spent");
        self.note_balance_before(job.id);
        // A lease another process was granted meanwhile (it found this one dead): nothing is sent.
        let lease = Lease::adopt(self.store.clone(), &submit_lease(job.id), &self.owner)?;
        let _sending = Sending::new(self, job.id);
        self.notify_state(job);
        // Checked again right before the POST leaves (after any wait for the limiter): a sender
        // paused meanwhile whose lease another process took over sends nothing.
        let client = client.with_send_gate({
            let (store, fence) = (self.store.clone(), lease.fence().clone());
            move || store.lease_current(&fence).unwrap_or(false)
        });
        let answer = match payload {
            Payload::Query(submission) => client.submit_es_dsl(&submission).await,
            Payload::Ids(ids) => {
                client
                    .submit_id_file(&ids, job.webhook_url.as_deref())
                    .await
            }
        };
        match answer {
            Ok(submitted) => {
                // Not under the lease: a request the service created is a fact, recorded whoever
                // holds the lease now; the state table guards the job's move.
                let row = self.accepted(job, &submitted).await;
                self.record_balance(&client);
                row
            }
            Err(SubmitError::Uncertain { reason, status }) => {
                let why = format!("{reason} The request was not sent again.");
                // The state first: if the database fails here, recovery makes it uncertain too.
                self.move_job_under(
                    &lease,
                    job.id,
                    &[JobState::Submitting],
                    JobState::Uncertain,
                    Some(&why),
                    Some(ErrorCode::Uncertain),
                )?;
                self.audit(self.server_event(job.id, status, &reason));
                self.record_balance(&client);
                Err(EngineError::Uncertain {
                    job: job.id,
                    reason,
                })
            }
            Err(SubmitError::Withheld) => {
                // Not sent, and the job is the other process's now: this one changes nothing.
                Err(EngineError::Store(StoreError::LeaseLost {
                    resource: lease.fence().resource().to_owned(),
                }))
            }
            Err(SubmitError::Rejected(error)) => {
                self.record_balance(&client);
                if let Some(replaced) = replaces_job {
                    // Nothing was created: the job it was to replace is uncertain again.
                    self.audit(self.reopen_replaced(replaced, job.id));
                }
                self.refused(&lease, job, error)
            }
        }
    }

    /// The service created the request: its id is written first (retried, then journaled), and
    /// only then everything else. Never answers "try again" about a created request.
    async fn accepted(&self, job: &JobRow, submitted: &Submitted) -> Result<JobRow, EngineError> {
        crate::test_seams::kill_point("submit.answered");
        let request_id = &submitted.request_id;
        let mut stored = false;
        for attempt in 0..RECORD_ATTEMPTS {
            match self.store.set_request_id(job.id, request_id) {
                Ok(()) => {
                    stored = true;
                    break;
                }
                Err(error) => {
                    tracing::warn!(
                        "job {}: could not record request id (attempt {}): {error}",
                        job.id,
                        attempt + 1
                    );
                    tokio::time::sleep(Duration::from_millis(100 << attempt)).await;
                }
            }
        }
        if !stored {
            if let Err(error) = self.journal_accepted(job.id, request_id) {
                // Nothing more can be done on this computer: say so plainly, with the id.
                return Err(EngineError::Unrecorded {
                    job: job.id,
                    request_id: request_id.clone(),
                    reason: error.to_string(),
                });
            }
            let mut row = job.clone();
            row.request_id = Some(request_id.clone());
            return Ok(row);
        }
        crate::test_seams::kill_point("submit.recorded");
        self.audit(self.server_event(
            job.id,
            Some(submitted.http_status),
            &format!("Accepted; request id {request_id}."),
        ));
        // From `uncertain` too: another process's recovery may have called it that meanwhile.
        let rest = self.move_job(
            job.id,
            &[JobState::Submitting, JobState::Uncertain],
            JobState::Processing,
            None,
            None,
        );
        self.wake.notify_one();
        match rest {
            Ok(Some(row)) => Ok(row),
            // Cancelled meanwhile, or the database failed after the id was safe: the job is
            // known; recovery and the scheduler finish the rest.
            Ok(None) | Err(_) => {
                self.note_paid_after_cancel(job.id, request_id);
                let mut row = self.store.job(job.id).unwrap_or_else(|_| job.clone());
                row.request_id = Some(request_id.clone());
                Ok(row)
            }
        }
    }

    /// The service refused the request (nothing was created, nothing charged). The job moves only
    /// while `lease` is still this process's.
    fn refused(&self, lease: &Lease, job: &JobRow, error: ApiError) -> Result<JobRow, EngineError> {
        self.audit(self.server_event(job.id, error.status(), &error.to_string()));
        if job.parent_id.is_some() && matches!(error, ApiError::DuplicateInProgress { .. }) {
            // For a batch, "the same request is in progress" may be this very POST, created by
            // an earlier try: it is found (or cancelled) by the person, never sent again.
            let reason = "Coresignal says the same list is already being prepared: it may be this batch, created by an earlier try. Look for it in your Coresignal account and use \"I found it\"; it was not sent again.".to_owned();
            self.move_job_under(
                lease,
                job.id,
                &[JobState::Submitting],
                JobState::Uncertain,
                Some(&reason),
                Some(ErrorCode::Uncertain),
            )?;
            return Err(EngineError::Uncertain {
                job: job.id,
                reason,
            });
        }
        if matches!(error, ApiError::KeyRejected { .. }) {
            self.key_rejected.send_replace(true);
        }
        let error = match error {
            ApiError::DuplicateInProgress { .. } => {
                let existing_job = self.running_twin(job).unwrap_or(None);
                EngineError::DuplicateInProgress {
                    existing_job,
                    existing_name: existing_job.map(|id| self.named_id(id)),
                    job: job.id,
                }
            }
            other => EngineError::Api(other),
        };
        self.move_job_under(
            lease,
            job.id,
            &[JobState::Submitting],
            JobState::Failed,
            Some(&error.user_message()),
            Some(error.code()),
        )?;
        Err(error)
    }

    /// The newest other job of this mode with the same request that has not ended.
    fn running_twin(&self, job: &JobRow) -> Result<Option<i64>, EngineError> {
        Ok(self
            .store
            .jobs_in_states(self.mode(), &[JobState::Processing, JobState::Uncertain])?
            .into_iter()
            .rev()
            .find(|other| other.id != job.id && other.fingerprint == job.fingerprint)
            .map(|other| other.id))
    }
}

/// What a person confirmed when spending a quote.
#[derive(Debug, Default, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Confirmation {
    /// Collect again data an earlier job collected (pay for it again).
    pub again: bool,
    /// The second confirmation of a quote above the limit per request: its credits, exactly.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub over_cap: Option<u64>,
    /// A person's yes to this very quote, given outside the webview (a Live quote needs it). Never
    /// read from IPC: the webview cannot name one.
    #[serde(skip)]
    #[ts(skip)]
    pub consent: Option<ConsentToken>,
}

/// What is POSTed, built from a quote before it is spent.
pub(super) enum Payload {
    Query(EsDslSubmission),
    Ids(Vec<u64>),
}

impl Payload {
    fn of(quote: &crate::store::NewQuote) -> Result<Self, EngineError> {
        Ok(match quote.kind {
            JobKind::EsDsl => {
                let text = quote.query_json.as_deref().unwrap_or_default();
                let body = serde_json::from_str(text)
                    .map_err(|error| EngineError::InvalidInput(error.to_string()))?;
                Payload::Query(EsDslSubmission {
                    es_dsl_query: body,
                    limit: quote.query_limit,
                    webhook_url: quote.webhook_url.clone(),
                })
            }
            JobKind::IdFile => Payload::ids(quote.ids_text.as_deref().unwrap_or_default()),
        })
    }

    /// The IDs of a stored list (one a line).
    pub(super) fn ids(text: &str) -> Self {
        Payload::Ids(
            text.lines()
                .filter_map(|line| line.trim().parse().ok())
                .collect(),
        )
    }
}

/// Marks a submission as this engine's own while it is sent; unmarks it when dropped.
struct Sending<'a> {
    engine: &'a Engine,
    job: i64,
}

impl<'a> Sending<'a> {
    fn new(engine: &'a Engine, job: i64) -> Self {
        super::engine::lock(&engine.submitting).insert(job);
        Self { engine, job }
    }
}

impl Drop for Sending<'_> {
    fn drop(&mut self) {
        super::engine::lock(&self.engine.submitting).remove(&self.job);
    }
}

impl Engine {
    /// A "send again" whose new request the service refused: the job it was to replace, cancelled
    /// by that send, is uncertain again (its request may still exist), with its two ways out.
    fn reopen_replaced(&self, replaced: i64, by_job: i64) -> Result<(), EngineError> {
        if let Some(row) = self.store.reopen_replaced(replaced, by_job)? {
            self.notify_state(&row);
        }
        Ok(())
    }
}
