//! When the desktop tells the person about a collection (an OS notification), decided here so
//! that it can be tested without a desktop: once when a collection is ready or needs the person,
//! for the collection as a whole (a batch's own moves are not news), and not again for the same
//! news while it stands.

use std::collections::HashMap;

use super::words::collection_title;
use super::{JobState, JobUpdate};
use crate::error::ErrorCode;
use crate::store::JobRow;

/// What a notification says happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// Every file is in: the collection is ready.
    Ready,
    /// The collection stopped and waits for the person (no results, credits, uncertain, …).
    NeedsYou,
}

impl Notice {
    /// The notification's title.
    pub fn title(self) -> &'static str {
        match self {
            Notice::Ready => "Collection ready",
            Notice::NeedsYou => "A collection needs you",
        }
    }
}

impl Notice {
    /// The notification's text for `job` (as a person sees it: a collection's state worked out
    /// from its batches): its title as the Collections screen shows it, then the plain sentence
    /// its page leads with. Never the reason the service gave (an HTTP status, a request id):
    /// that stays under *Technical details*.
    pub fn body(self, job: &JobRow) -> String {
        let title = collection_title(job.id, &job.name);
        match self {
            Notice::Ready => format!("{title}: the files are ready."),
            Notice::NeedsYou => format!("{title}: {}", needs_you(job)),
        }
    }
}

/// What the collection page says first about a collection that waits for the person: for one
/// that failed, the title of its problem (the words of `ERROR_TEXT` in `ui/src/lib/errors.ts`);
/// else what its state means.
fn needs_you(job: &JobRow) -> &'static str {
    if job.state != JobState::Failed {
        return job.state.describe();
    }
    match job.error_code {
        Some(ErrorCode::Server) => "Coresignal answered with an error. Try again in a few minutes.",
        Some(ErrorCode::Network) => "The app could not reach Coresignal. Check the internet connection, then try again.",
        Some(ErrorCode::TimedOut) => "Coresignal took too long to answer. Try again in a moment.",
        Some(ErrorCode::RateLimited) => "Coresignal asked the app to slow down. Wait a minute and try again.",
        Some(ErrorCode::KeyRejected) => "Coresignal did not accept your API key. Replace it in Settings.",
        Some(ErrorCode::Download) => "A file could not be downloaded. Check the connection and free disk space, then press Retry.",
        Some(ErrorCode::Io | ErrorCode::Storage) => "A file could not be saved on this computer. Check free disk space, then press Retry.",
        _ => JobState::Failed.describe(),
    }
}

/// The notice a collection (or single job) reaching `state` deserves, if any.
pub fn notice_for(state: JobState) -> Option<Notice> {
    match state {
        JobState::Downloaded => Some(Notice::Ready),
        JobState::Failed
        | JobState::NoResults
        | JobState::TooManyMatches
        | JobState::InsufficientCredits
        | JobState::Expired
        | JobState::Uncertain => Some(Notice::NeedsYou),
        _ => None,
    }
}

/// Decides, update by update, which become a notification. Keep one per engine's updates.
#[derive(Debug, Default)]
pub struct Notices {
    /// What each job was last notified for; forgotten when it is under way again.
    told: HashMap<i64, JobState>,
}

impl Notices {
    /// The job to tell about and the notice, if `update` deserves one: a state update of a
    /// collection or single job (never a batch's own), into a state worth a notice, which was
    /// not already told for that job.
    pub fn decide(&mut self, update: &JobUpdate) -> Option<(i64, Notice)> {
        let JobUpdate::State {
            job,
            state,
            batch_of: None,
        } = update
        else {
            return None;
        };
        let Some(notice) = notice_for(*state) else {
            // Under way again (Retry, Update): its next ending is news again.
            self.told.remove(job);
            return None;
        };
        (self.told.insert(*job, *state) != Some(*state)).then_some((*job, notice))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use JobState::*;

    fn state(job: i64, state: JobState, batch_of: Option<i64>) -> JobUpdate {
        JobUpdate::State {
            job,
            state,
            batch_of,
        }
    }

    /// A job row as the engine's detail gives it, in `state`, with the reason the service gave.
    fn row(name: &str, state: JobState, code: Option<ErrorCode>, reason: &str) -> JobRow {
        JobRow {
            id: 4,
            mode: super::super::Mode::Live,
            name: name.into(),
            kind: super::super::JobKind::EsDsl,
            state,
            state_reason: Some(reason.into()),
            query_json: None,
            query_limit: None,
            ids_text: None,
            ids_count: None,
            source_file: None,
            webhook_url: None,
            fingerprint: String::new(),
            request_id: Some("6f1c2d3e-0000".into()),
            estimated_records: Some(25),
            credits_per_record: 1,
            download_dir: String::new(),
            created_at: String::new(),
            submitted_at: None,
            updated_at: String::new(),
            next_poll_at: None,
            poll_count: 0,
            error_code: code,
            quote_id: None,
            poll_failures: 0,
            request_attached: false,
            export_path: None,
            parent_id: None,
            batch_index: None,
        }
    }

    #[test]
    fn a_notification_says_what_happened_in_plain_words_never_the_service_s_reason() {
        let reason = "the service failed (HTTP 502): Bad Gateway; request 6f1c2d3e-0000";
        let failed = row("Python people", Failed, Some(ErrorCode::Server), reason);
        let body = Notice::NeedsYou.body(&failed);
        assert_eq!(
            body,
            "Python people: Coresignal answered with an error. Try again in a few minutes."
        );
        let uncertain = row("", Uncertain, Some(ErrorCode::Uncertain), reason);
        assert_eq!(
            Notice::NeedsYou.body(&uncertain),
            "Collection 4: We could not confirm Coresignal received this collection."
        );
        let odd = row("Python people", Failed, Some(ErrorCode::Internal), reason);
        assert_eq!(
            Notice::NeedsYou.body(&odd),
            "Python people: The collection stopped before it finished."
        );
        for job in [failed, uncertain, odd] {
            let body = Notice::NeedsYou.body(&job);
            for technical in ["HTTP", "502", "request", "job"] {
                assert!(!body.contains(technical), "{technical} in {body:?}");
            }
        }
        let ready = row(
            "Python people",
            Downloaded,
            None,
            "All files are downloaded.",
        );
        assert_eq!(
            Notice::Ready.body(&ready),
            "Python people: the files are ready."
        );
    }

    /// The updates a collection (job 1) of three batches (2, 3, 4) sends as they finish one by
    /// one: each batch's own move, and the collection's when the state it shows changes.
    #[test]
    fn a_collection_of_batches_is_told_once_when_every_batch_is_ready() {
        let mut notices = Notices::default();
        let updates = [
            state(2, Downloaded, Some(1)),
            state(1, Processing, None),
            state(3, Downloaded, Some(1)),
            state(4, Downloading, Some(1)),
            state(1, Downloading, None),
            state(4, Downloaded, Some(1)),
            state(1, Downloaded, None),
            // Sent again after a restart (the engine forgot what it last showed).
            state(1, Downloaded, None),
        ];
        let told: Vec<_> = updates.iter().filter_map(|u| notices.decide(u)).collect();
        assert_eq!(told, vec![(1, Notice::Ready)]);
    }

    #[test]
    fn a_batch_alone_is_never_told_even_when_it_needs_you() {
        let mut notices = Notices::default();
        assert_eq!(notices.decide(&state(2, Uncertain, Some(1))), None);
        assert_eq!(notices.decide(&state(2, Downloaded, Some(1))), None);
        assert_eq!(
            notices.decide(&state(1, Uncertain, None)),
            Some((1, Notice::NeedsYou))
        );
    }

    #[test]
    fn a_single_job_is_told_when_ready_and_again_after_it_ran_again() {
        let mut notices = Notices::default();
        assert_eq!(notices.decide(&state(7, Processing, None)), None);
        assert_eq!(
            notices.decide(&state(7, Downloaded, None)),
            Some((7, Notice::Ready))
        );
        assert_eq!(notices.decide(&state(7, Downloaded, None)), None);
        assert_eq!(notices.decide(&state(7, Downloading, None)), None);
        assert_eq!(
            notices.decide(&state(7, Downloaded, None)),
            Some((7, Notice::Ready))
        );
    }

    #[test]
    fn a_job_that_stops_for_the_person_is_told_and_other_updates_are_not() {
        let mut notices = Notices::default();
        assert_eq!(
            notices.decide(&state(3, InsufficientCredits, None)),
            Some((3, Notice::NeedsYou))
        );
        assert_eq!(notices.decide(&state(3, Cancelled, None)), None);
        assert_eq!(
            notices.decide(&JobUpdate::Polled {
                job: 3,
                next_check_in_secs: 5.0
            }),
            None
        );
        assert_eq!(notices.decide(&JobUpdate::Exported { job: 3 }), None);
    }
}
