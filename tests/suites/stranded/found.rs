//! *I found it* never takes another job's request, and the 30 days count from the submission.

use super::*;

/// A job whose POST was created but answered 502: `uncertain`, with no request id.
async fn uncertain_job(harness: &Harness, ids: &str) -> i64 {
    harness.sim.set_faults(Faults {
        submit_lost: 1,
        ..Faults::default()
    });
    let error = submit_job(&harness.engine, id_list_job(ids))
        .await
        .unwrap_err();
    let job = error_job(&error);
    assert_eq!(harness.engine.job(job).unwrap().state, JobState::Uncertain);
    job
}

fn error_job(error: &collect_core::jobs::EngineError) -> i64 {
    match error {
        collect_core::jobs::EngineError::Uncertain { job, .. } => *job,
        other => panic!("expected an uncertain job, not {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn i_found_it_refuses_a_request_id_another_job_holds() {
    let harness = Harness::start(quick_sim()).await;
    let owner = submit_job(&harness.engine, id_list_job("1004\n5004\n"))
        .await
        .unwrap();
    let taken = owner.request_id.clone().unwrap();
    let job = uncertain_job(&harness, "1005\n5005\n").await;

    let refused = harness.engine.attach(job, &taken).unwrap_err().to_string();
    assert!(
        refused.contains(&format!("\"{}\"", owner.name)) && !refused.contains("job"),
        "the refusal names the collection that holds it as the Collections screen does: {refused}"
    );
    let after = harness.engine.job(job).unwrap();
    assert_eq!(after.state, JobState::Uncertain);
    assert_eq!(after.request_id, None, "nothing was attached");

    // Its own request is still found.
    let own = harness.sim.requests()[1].id.clone();
    assert_eq!(
        harness.engine.attach(job, &own).unwrap().state,
        JobState::Processing
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_30_days_count_from_the_submission_not_from_when_the_id_was_found() {
    let harness = Harness::start(quick_sim()).await;
    let job = uncertain_job(&harness, "1006\n5006\n").await;
    // Sent 10 days ago; the person finds it in the Coresignal account today.
    let sent = parse_time(&collect_core::store::now_text()).unwrap() - time::Duration::days(10);
    let sent_text = format_time(sent);
    sql(
        &harness,
        "UPDATE jobs SET created_at = ?1 WHERE id = ?2",
        &[&sent_text, &job],
    );
    sql(
        &harness,
        "UPDATE job_events SET at = ?1 WHERE job_id = ?2 AND to_state = 'submitting'",
        &[&sent_text, &job],
    );
    let request = harness.sim.requests()[0].id.clone();
    harness.engine.attach(job, &request).unwrap();

    let before = harness.engine.detail(job).unwrap().download_before.unwrap();
    assert_eq!(parse_time(&before).unwrap(), sent + RETENTION);
}
