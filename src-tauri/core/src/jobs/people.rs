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
        // A Live job's people go to the team library too: queued with them, sent after.
        let queue = self.queued_for_team(id);
        let kept = tokio::task::spawn_blocking(move || {
            let now = crate::store::now_text();
            library.ingest_queued(
                dataset,
                id,
                &paths,
                &now,
                queue.as_deref().map(|make| make as _),
            )
        })
        .await;
        match kept {
            Ok(Ok(kept)) => {
                // What was queued for the team library goes at the scheduler's next pass.
                *super::engine::lock(&self.team_tried) = None;
                self.wake.notify_one();
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
                self.keep_team_copies(id).await;
            }
            Ok(Err(error)) => self.people_not_kept(id, &error.to_string()),
            Err(error) => self.people_not_kept(id, &format!("Putting them in stopped: {error}.")),
        }
    }

    /// Copies from the team library the people job `id`'s purchase skipped because a colleague
    /// holds them ([`Engine::copy_from_team`]), noting it on the trail; a failure is noted and
    /// leaves the spreadsheet without them.
    async fn keep_team_copies(&self, id: i64) {
        match self.copy_from_team(id).await {
            Ok((added, left_out)) => {
                if added > 0 {
                    self.audit(self.note(
                        id,
                        &format!(
                            "Copied {} profiles your team already had from the team library.",
                            super::words::group(added)
                        ),
                    ));
                }
                if left_out > 0 {
                    self.audit(self.note(
                        id,
                        &format!(
                            "{} profiles your team had when this purchase was quoted could not be copied from the team library (a colleague's copy is gone or cannot be read), so this collection's spreadsheet leaves them out. To get them, check the cost of the same search again and choose \"No, get everyone again\".",
                            super::words::group(left_out)
                        ),
                    ));
                }
            }
            Err(error) => self.audit(self.note(
                id,
                &format!(
                    "The profiles your team already had could not be copied from the team library, so this collection's spreadsheet leaves them out. {error}"
                ),
            )),
        }
    }

    /// Logs and notes on job `id`'s trail that its people were not kept; `reason` is a sentence.
    fn people_not_kept(&self, id: i64, reason: &str) {
        tracing::warn!("job {id}'s people were not kept in the library: {reason}");
        self.audit(self.note(
            id,
            &format!(
                "This collection's people could not be kept in your people library. {reason} \
                 The downloaded files are complete and can be used as they are."
            ),
        ));
    }
}
