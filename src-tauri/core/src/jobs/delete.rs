//! Deleting a finished collection from the list. The row stays, marked deleted, so the money
//! record stays true (the credit ledger, "collected before"); the downloaded files are not
//! touched. Its people stay in the library unless the person says otherwise.

use serde::Serialize;

use crate::library::Library;

use super::{Engine, EngineError, JobAction, JobState};

/// The states a job may be deleted in: nothing more will happen to it by itself.
const FINAL: [JobState; 6] = [
    JobState::Downloaded,
    JobState::NoResults,
    JobState::TooManyMatches,
    JobState::Expired,
    JobState::Failed,
    JobState::Cancelled,
];

/// What deleting a collection did.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize)]
#[ts(export)]
pub struct Deleted {
    /// The job deleted.
    #[ts(type = "number")]
    pub job: i64,
    /// People forgotten from the library with it (0 when they were kept).
    #[ts(type = "number")]
    pub people_forgotten: u64,
}

impl Engine {
    /// Deletes job `id` (a collection with its batches) from the list, if it has finished:
    /// downloaded, nothing found, too many matches, expired, failed or stopped; refused in words
    /// otherwise, and while a request paid after it was stopped can still be downloaded. Without
    /// `keep_people`, the people only this job brought are forgotten, as "forget this person"
    /// does; people another job also brought stay. The files on disk are not touched.
    pub fn delete(&self, id: i64, keep_people: bool) -> Result<Deleted, EngineError> {
        let detail = self.detail(id)?;
        let state = detail.job.state;
        let refused = |reason: &str| EngineError::NotDeletable {
            job: id,
            reason: reason.to_owned(),
        };
        let batches_final = detail
            .batches
            .iter()
            .all(|batch| FINAL.contains(&batch.state));
        if !FINAL.contains(&state) || !batches_final {
            return Err(refused(
                "This collection has not finished, so it cannot be deleted yet. \
                 Wait until it has finished, or stop it first.",
            ));
        }
        if detail.actions.contains(&JobAction::DownloadPaid) {
            return Err(refused(
                "Coresignal did receive this collection after it was stopped, and it is paid for. \
                 Download it first; then you can delete it.",
            ));
        }
        let mut people_forgotten = 0;
        if !keep_people {
            let mut jobs: Vec<i64> = detail.batches.iter().map(|batch| batch.job).collect();
            jobs.push(id);
            people_forgotten = Library::new(self.store.clone())
                .forget_brought_only_by(self.mode().library_dataset(), &jobs)?;
        }
        let note = match people_forgotten {
            0 => "Deleted from the list. Its downloaded files were not touched.".to_owned(),
            1 => "Deleted from the list; 1 person only it brought was forgotten from the people \
                  library. Its downloaded files were not touched."
                .to_owned(),
            n => format!(
                "Deleted from the list; {} people only it brought were forgotten from the people \
                 library. Its downloaded files were not touched.",
                super::group(n)
            ),
        };
        self.audit(self.note(id, &note));
        self.store.mark_deleted(id)?;
        Ok(Deleted {
            job: id,
            people_forgotten,
        })
    }
}
