//! A downloaded job's people, kept in the people library ([`crate::library`]) before the job
//! shows as downloaded.

use std::path::PathBuf;

use crate::library::Library;
use crate::store::FileState;

use super::Engine;

impl Engine {
    /// Puts the people of job `id`'s downloaded files into the people library, off the async
    /// workers. A failure is logged and noted on the job's trail but never fails the job: the
    /// files are the user's either way.
    pub(super) async fn keep_people(&self, id: i64) {
        let (files, mode) = match self
            .store
            .files(id)
            .and_then(|files| Ok((files, self.store.job(id)?.mode)))
        {
            Ok(found) => found,
            Err(error) => return self.people_not_kept(id, &error.to_string()),
        };
        // Practice's made-up people are kept apart from real ones.
        let dataset = mode.library_dataset();
        let paths: Vec<PathBuf> = files
            .into_iter()
            .filter(|file| file.state == FileState::Done)
            .filter_map(|file| file.path.map(PathBuf::from))
            .collect();
        let library = Library::new(self.store.clone());
        let kept = tokio::task::spawn_blocking(move || library.ingest(dataset, id, &paths)).await;
        match kept {
            Ok(Ok(kept)) => {
                let skipped = match kept.skipped {
                    0 => String::new(),
                    1 => " (1 line without a readable person was left out)".into(),
                    n => format!(" ({n} lines without a readable person were left out)"),
                };
                self.audit(self.note(
                    id,
                    &format!(
                        "Kept {} profiles in your people library{skipped}.",
                        kept.people
                    ),
                ));
            }
            Ok(Err(error)) => self.people_not_kept(id, &error.to_string()),
            Err(error) => self.people_not_kept(id, &format!("Putting them in stopped: {error}.")),
        }
    }

    /// Logs and notes on job `id`'s trail that its people were not kept; `reason` is a sentence.
    fn people_not_kept(&self, id: i64, reason: &str) {
        tracing::warn!("job {id}'s people were not kept in the library: {reason}");
        self.audit(self.note(
            id,
            &format!(
                "This job's people could not be kept in your people library. {reason} \
                 The downloaded files are complete and can be used as they are."
            ),
        ));
    }
}
