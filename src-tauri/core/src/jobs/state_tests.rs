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
        let reopened = to == JobState::Uncertain;
        assert_eq!(
            can_move(JobState::Cancelled, to),
            reopened,
            "cancelled → {to:?}"
        );
    }
    assert!(!can_move(JobState::Cancelled, JobState::Ready));
    assert!(!can_move(JobState::Cancelled, JobState::Downloading));
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
    let actions = JobAction::allowed(JobState::Uncertain, false, false, None);
    assert_eq!(
        actions,
        vec![JobAction::Cancel, JobAction::Attach, JobAction::SendAgain]
    );
    assert!(
        JobAction::allowed(JobState::Downloaded, true, true, None).contains(&JobAction::OpenFolder)
    );
    assert!(JobAction::allowed(JobState::Failed, true, false, None).contains(&JobAction::Retry));
    assert!(!JobAction::allowed(JobState::Failed, false, false, None).contains(&JobAction::Retry));
    assert!(
        JobAction::allowed(JobState::Failed, false, false, Some(true)).contains(&JobAction::Retry),
        "a refused batch can wait its turn again"
    );
    assert!(
        !JobAction::allowed(JobState::Failed, false, false, Some(false))
            .contains(&JobAction::Retry),
        "not one whose refusal may mean it was created"
    );
    assert_eq!(
        JobAction::allowed(JobState::Uncertain, false, false, Some(false)),
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
