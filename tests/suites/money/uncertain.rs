//! An uncertain job has two ways out (I found it, send again), and neither can pay twice.

use super::*;

#[tokio::test]
async fn i_found_it_attaches_the_request_id_and_the_job_completes_without_a_new_post() {
    let harness = Harness::start(quick_sim()).await;
    let job = an_uncertain_job(&harness, 7).await;
    let request_id = harness.sim.requests()[0].id.clone();

    let bad = harness.engine.attach(job.id, "not an id!").unwrap_err();
    assert_eq!(bad.code(), ErrorCode::InvalidInput);

    let attached = harness
        .engine
        .attach(job.id, &format!("  {request_id} "))
        .unwrap();
    assert_eq!(attached.state, JobState::Processing);
    let _scheduler = Scheduler::start(&harness.engine);
    let done = wait_for_state(&harness.engine, job.id, JobState::Downloaded).await;
    assert_eq!(done.request_id.as_deref(), Some(request_id.as_str()));
    assert_eq!(posts(&harness), 1);
}

#[tokio::test]
async fn send_again_warns_that_the_first_may_be_charged_and_replaces_the_uncertain_job() {
    let harness = Harness::start(quick_sim()).await;
    let job = an_uncertain_job(&harness, 8).await;
    // The lost POST created the request; let it finish so that a new POST is not a 409 twin.
    harness
        .engine
        .attach(job.id, &harness.sim.requests()[0].id)
        .unwrap();
    harness.engine.wait(job.id, None).await.unwrap();
    let job = an_uncertain_job(&harness, 8).await;

    let quote = harness.engine.send_again(job.id).await.unwrap();
    assert_eq!(quote.replaces_job, Some(job.id));
    assert!(quote.is_again());
    assert!(
        quote.question.contains("may already have been charged"),
        "{}",
        quote.question
    );
    let refused = harness.engine.submit(quote.id, false).await.unwrap_err();
    assert_eq!(refused.code(), ErrorCode::CollectedBefore);

    let sent = harness.engine.submit(quote.id, true).await.unwrap();
    assert_eq!(sent.state, JobState::Processing);
    let old = harness.engine.job(job.id).unwrap();
    assert_eq!(old.state, JobState::Cancelled);
    assert!(old
        .state_reason
        .unwrap()
        .contains(&format!("Sent again as Collection {}.", sent.id)));
}

#[tokio::test]
async fn a_mistyped_request_id_sends_the_job_back_to_uncertain_with_both_ways_out() {
    let harness = Harness::start(quick_sim()).await;
    let job = an_uncertain_job(&harness, 9).await;
    harness
        .engine
        .attach(job.id, "0000-not-a-request-here")
        .unwrap();
    let settled = harness.engine.wait(job.id, None).await.unwrap();
    assert_eq!(
        settled.state,
        JobState::Uncertain,
        "{:?}",
        settled.state_reason
    );
    assert!(settled
        .state_reason
        .unwrap()
        .contains("does not know request 0000-not-a-request-here"));
    assert_eq!(settled.request_id, None, "the wrong id is forgotten");
    assert_eq!(
        harness.engine.detail(job.id).unwrap().actions,
        vec![JobAction::Cancel, JobAction::Attach, JobAction::SendAgain]
    );
}

#[tokio::test]
async fn send_again_is_refused_when_the_job_was_found_meanwhile() {
    let harness = Harness::start(quick_sim()).await;
    let job = an_uncertain_job(&harness, 12).await;
    let quote = harness.engine.send_again(job.id).await.unwrap();
    assert!(
        !quote.is_again(),
        "the job sent again is named by the warning, not as collected"
    );
    // Meanwhile, in another window or the command line: "I found it".
    harness
        .engine
        .attach(job.id, &harness.sim.requests()[0].id)
        .unwrap();
    let refused = harness.engine.submit(quote.id, true).await.unwrap_err();
    assert_eq!(refused.code(), ErrorCode::InvalidState);
    assert_eq!(refused.to_user_error().job, Some(job.id));
    assert_eq!(posts(&harness), 1, "not sent twice");
    assert_eq!(harness.engine.jobs().unwrap().len(), 1, "no job made");
}

#[tokio::test]
async fn a_send_again_the_service_refuses_leaves_the_first_job_uncertain_with_its_ways_out() {
    let harness = Harness::start(slow_sim()).await;
    // The lost answer's request exists and is still running: the same request again is a 409.
    let job = an_uncertain_job(&harness, 13).await;
    let quote = harness.engine.send_again(job.id).await.unwrap();
    let refused = harness.engine.submit(quote.id, true).await.unwrap_err();
    assert_eq!(refused.code(), ErrorCode::DuplicateInProgress);
    let first = harness.engine.job(job.id).unwrap();
    assert_eq!(first.state, JobState::Uncertain, "{:?}", first.state_reason);
    assert_eq!(
        harness.engine.detail(job.id).unwrap().actions,
        vec![JobAction::Cancel, JobAction::Attach, JobAction::SendAgain]
    );
}

#[tokio::test]
async fn send_again_is_refused_while_the_first_jobs_request_id_is_being_recorded() {
    let harness = Harness::start(quick_sim()).await;
    let job = an_uncertain_job(&harness, 14).await;
    let quote = harness.engine.send_again(job.id).await.unwrap();
    // The answer arrived in another process: its id is written, its state not yet moved.
    harness
        .engine
        .store()
        .set_request_id(job.id, &harness.sim.requests()[0].id)
        .unwrap();
    let refused = harness.engine.submit(quote.id, true).await.unwrap_err();
    assert_eq!(refused.code(), ErrorCode::InvalidState);
    assert_eq!(posts(&harness), 1, "not sent twice");
    assert_eq!(
        harness.engine.job(job.id).unwrap().state,
        JobState::Uncertain
    );
}
