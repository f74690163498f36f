use super::*;

#[test]
fn every_state_round_trips_through_its_text() {
    for state in JobState::ALL {
        assert_eq!(JobState::parse(state.as_str()), Some(state));
        let json = serde_json::to_string(&state).unwrap();
        assert_eq!(json, format!("\"{}\"", state.as_str()));
    }
    assert_eq!(JobState::parse("nonsense"), None);
}

#[test]
fn loopback_bases_are_practice() {
    assert_eq!(
        Mode::for_api_base("http://127.0.0.1:4000/cdapi"),
        Mode::Practice
    );
    assert_eq!(
        Mode::for_api_base("http://localhost:4000/cdapi"),
        Mode::Practice
    );
    assert_eq!(
        Mode::for_api_base("http://[::1]:4000/cdapi"),
        Mode::Practice
    );
    assert_eq!(
        Mode::for_api_base("https://api.coresignal.com/cdapi"),
        Mode::Live
    );
    assert_eq!(Mode::for_api_base("not a url"), Mode::Live);
}

#[test]
fn end_states_are_final_and_cancel_is_never_undone() {
    for to in JobState::ALL {
        for end in [
            JobState::NoResults,
            JobState::TooManyMatches,
            JobState::Expired,
        ] {
            assert!(!can_move(end, to), "{end:?} → {to:?} must be refused");
        }
        // Out of cancelled only through the store's guards: uncertain again when the send again
        // that cancelled it was refused, processing when its paid request id arrived after.
        let guarded = matches!(to, JobState::Uncertain | JobState::Processing);
        assert_eq!(
            can_move(JobState::Cancelled, to),
            guarded,
            "cancelled → {to:?}"
        );
    }
    assert!(!can_move(JobState::Cancelled, JobState::Ready));
    assert!(!can_move(JobState::Cancelled, JobState::Downloading));
}

#[test]
fn a_request_id_learnt_after_a_cancel_gives_the_paid_job_a_way_back() {
    assert!(can_move(JobState::Cancelled, JobState::Processing));
    assert!(sources_of(JobState::Processing).contains(&JobState::Cancelled));
    assert_eq!(
        JobAction::allowed(JobState::Cancelled, true, false, None, true),
        vec![JobAction::DownloadPaid],
        "Coresignal did receive it (already paid): Download it"
    );
    assert_eq!(
        JobAction::allowed(JobState::Cancelled, true, false, Some(false), true),
        vec![JobAction::DownloadPaid],
        "a batch too"
    );
    assert!(
        JobAction::allowed(JobState::Cancelled, true, false, None, false).is_empty(),
        "a job cancelled once its request was known stays cancelled"
    );
    assert!(
        JobAction::allowed(JobState::Cancelled, false, false, None, true).is_empty(),
        "no request id, nothing to download"
    );
    for state in JobState::ALL {
        if state != JobState::Cancelled {
            assert!(
                !JobAction::allowed(state, true, true, None, true)
                    .contains(&JobAction::DownloadPaid),
                "{state:?}"
            );
        }
    }
}

#[test]
fn a_failed_job_whose_files_are_listed_can_be_downloaded() {
    assert!(can_move(JobState::Failed, JobState::Downloading));
    assert!(!can_move(JobState::Expired, JobState::Downloading));
}

#[test]
fn only_a_queued_batch_moves_to_submitting_so_nothing_is_posted_twice() {
    assert_eq!(sources_of(JobState::Submitting), vec![JobState::Queued]);
    assert!(!can_move(JobState::Uncertain, JobState::Queued));
    assert!(!can_move(JobState::Processing, JobState::Queued));
    for to in JobState::ALL {
        assert!(
            !can_move(JobState::Collection, to),
            "a collection's row never moves"
        );
        assert!(!can_move(to, JobState::Collection));
    }
}

#[test]
fn an_uncertain_job_has_two_ways_out_and_a_cancel() {
    let actions = JobAction::allowed(JobState::Uncertain, false, false, None, false);
    assert_eq!(
        actions,
        vec![JobAction::Cancel, JobAction::Attach, JobAction::SendAgain]
    );
    assert!(
        JobAction::allowed(JobState::Downloaded, true, true, None, false)
            .contains(&JobAction::OpenFolder)
    );
    assert!(
        JobAction::allowed(JobState::Failed, true, false, None, false).contains(&JobAction::Retry)
    );
    assert!(
        !JobAction::allowed(JobState::Failed, false, false, None, false)
            .contains(&JobAction::Retry)
    );
    assert!(
        JobAction::allowed(JobState::Failed, false, false, Some(true), false)
            .contains(&JobAction::Retry),
        "a refused batch can wait its turn again"
    );
    assert!(
        !JobAction::allowed(JobState::Failed, false, false, Some(false), false)
            .contains(&JobAction::Retry),
        "not one whose refusal may mean it was created"
    );
    assert_eq!(
        JobAction::allowed(JobState::Uncertain, false, false, Some(false), false),
        vec![JobAction::Cancel, JobAction::Attach],
        "an uncertain batch is found or cancelled, never sent again on its own"
    );
}

#[test]
fn only_processing_ready_and_downloading_are_active() {
    let active: Vec<_> = JobState::ALL
        .into_iter()
        .filter(|s| s.is_active())
        .collect();
    assert_eq!(active, JobState::ACTIVE.to_vec());
}
