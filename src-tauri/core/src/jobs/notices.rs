//! When the desktop tells the person about a collection (an OS notification), decided here so
//! that it can be tested without a desktop: once when a collection is ready or needs the person,
//! for the collection as a whole (a batch's own moves are not news), and not again for the same
//! news while it stands.

use std::collections::HashMap;

use super::{JobState, JobUpdate};

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
