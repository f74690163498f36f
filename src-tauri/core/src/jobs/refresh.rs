//! *Update*: a finished collection's search (or list) again, net-new: quoted first, it buys only
//! who is new or changed since.

use super::rebuild::request_of_job;
use super::{Engine, EngineError, JobState, NewJob, Quote};

impl Engine {
    /// The request collection `id` was made from, to collect it again up to date: for a net-new
    /// purchase its search (or every id its list matched), otherwise its own search or list. A
    /// batch stands for its whole collection ([`Engine::quote_update`] says which can be updated).
    pub fn update_request(&self, id: i64) -> Result<NewJob, EngineError> {
        let job = self.updated_collection(id)?;
        match job.quote_id {
            Some(quote) => self.request_of(&self.store.quote(job.mode, quote)?),
            None => request_of_job(&job, None),
        }
    }

    /// The price of updating collection `id`: [`Engine::update_request`], net-new. Nothing is
    /// spent; the quote is confirmed like any other, and remembers which collection it updates
    /// (its *What changed*).
    pub async fn quote_update(&self, id: i64) -> Result<Quote, EngineError> {
        let collection = self.updated_collection(id)?.id;
        let request = self.update_request(id)?;
        self.quote_for(&request, None, super::Purchase::NewOnly, Some(collection))
            .await
    }

    /// Collection `id` (a batch stands for its collection), if it can be updated: every file
    /// came. Before, its people are not in the library yet and would be bought again.
    fn updated_collection(&self, id: i64) -> Result<crate::store::JobRow, EngineError> {
        let mut job = self.job(id)?;
        if let Some(parent) = job.parent_id {
            job = self.job(parent)?;
        }
        let shown = match job.state {
            JobState::Collection => super::collection_state(
                &self
                    .store
                    .batches(job.id)?
                    .iter()
                    .map(|batch| batch.state)
                    .collect::<Vec<_>>(),
            ),
            state => state,
        };
        if shown != JobState::Downloaded {
            return Err(EngineError::InvalidState {
                job: job.id,
                state: shown,
                action: "updating",
            });
        }
        Ok(job)
    }
}
