//! Money and state: every way found to pay twice, lose a paid request or undo a Cancel, each as a
//! test against the real engine, the real simulator over HTTP and a real SQLite file.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::Arc;
use std::time::Duration;

use bulk_collect_tests::*;
use collect_core::error::Coded;
use collect_core::jobs::{JobAction, JobState, JobUpdate, Mode};
use collect_core::store::{download_lease, Store};
use collect_core::ErrorCode;
use coresignal_sim::{Endpoint, Faults, PerGroup};

fn posts(harness: &Harness) -> usize {
    harness.sim.count_calls(Endpoint::SubmitEsDsl) + harness.sim.count_calls(Endpoint::SubmitIdFile)
}

// ----- 1 and 2: a quote is spent once; nothing is sent without one ------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_picked_id_file_confirmed_twice_at_once_is_sent_once() {
    let harness = Harness::start(quick_sim()).await;
    let quote = harness
        .engine
        .quote(&ids_job("ids-valid.csv"))
        .await
        .unwrap();
    let (first, second) = tokio::join!(
        harness.engine.submit(quote.id, false),
        harness.engine.submit(quote.id, false)
    );
    let (accepted, refused) = match (first, second) {
        (Ok(job), Err(error)) | (Err(error), Ok(job)) => (job, error),
        other => panic!("exactly one submission must go through: {other:?}"),
    };
    assert_eq!(refused.code(), ErrorCode::QuoteSpent);
    assert_eq!(refused.to_user_error().job, Some(accepted.id));
    assert_eq!(posts(&harness), 1, "the ID list was POSTed once");
    // And once more, later (a double click, a second window): still refused.
    let again = harness.engine.submit(quote.id, true).await.unwrap_err();
    assert_eq!(again.code(), ErrorCode::QuoteSpent);
    assert_eq!(posts(&harness), 1);
}

#[tokio::test]
async fn a_quote_is_spent_once_across_database_connections_as_processes_share_it() {
    let harness = Harness::start(quick_sim()).await;
    let quote = harness
        .engine
        .quote(&ids_job("ids-valid.csv"))
        .await
        .unwrap();
    let path = Store::default_path(harness.dir.path());
    let spenders: Vec<_> = (0..6)
        .map(|n| {
            let path = path.clone();
            std::thread::spawn(move || {
                let store = Store::open(&path).unwrap();
                store
                    .spend_quote(
                        Mode::Practice,
                        quote.id,
                        &format!("process-{n}"),
                        "test",
                        Duration::from_secs(30),
                    )
                    .unwrap()
            })
        })
        .collect();
    let spent = spenders
        .into_iter()
        .map(|spender| spender.join().unwrap())
        .filter(Result::is_ok)
        .count();
    assert_eq!(spent, 1, "one quote, one job");
    assert_eq!(harness.engine.jobs().unwrap().len(), 1);
}

#[tokio::test]
async fn nothing_is_sent_without_a_live_quote() {
    let harness = Harness::start(quick_sim()).await;
    let unknown = harness.engine.submit(4242, true).await.unwrap_err();
    assert_eq!(unknown.code(), ErrorCode::NotFound);

    let quote = harness
        .engine
        .quote(&query_job(python_query(), Some(5)))
        .await
        .unwrap();
    sql(
        &harness,
        "UPDATE quotes SET expires_at = '2000-01-01T00:00:00.000000Z' WHERE id = ?1",
        &[&quote.id],
    );
    let expired = harness.engine.submit(quote.id, true).await.unwrap_err();
    assert_eq!(expired.code(), ErrorCode::QuoteExpired);
    assert!(expired.user_message().contains("Check the cost again"));
    assert_eq!(posts(&harness), 0);
    assert!(
        harness.engine.jobs().unwrap().is_empty(),
        "no job without a spent quote"
    );

    // A new price for the same request can be confirmed.
    let fresh = harness.engine.requote(quote.id).await.unwrap();
    assert_ne!(fresh.id, quote.id);
    harness.engine.submit(fresh.id, false).await.unwrap();
    assert_eq!(posts(&harness), 1);
}

// ----- 3: the same data collected again needs "again" -------------------------------------------

#[tokio::test]
async fn collecting_the_same_search_again_names_the_earlier_job_and_needs_again() {
    let harness = Harness::start(slow_sim()).await;
    let first = harness.submit_python(Some(5)).await;

    let quote = harness
        .engine
        .quote(&query_job(python_query(), Some(5)))
        .await
        .unwrap();
    assert!(quote.is_again());
    assert_eq!(quote.earlier[0].id, first.id);
    assert!(
        quote.question.contains(&format!("job {}", first.id)),
        "{}",
        quote.question
    );
    assert!(quote.question.contains("again"), "{}", quote.question);

    let refused = harness.engine.submit(quote.id, false).await.unwrap_err();
    assert_eq!(refused.code(), ErrorCode::CollectedBefore);
    assert_eq!(refused.to_user_error().job, Some(first.id));
    assert_eq!(posts(&harness), 1, "nothing sent without confirming again");

    // Another limit is other data.
    let other = harness
        .engine
        .quote(&query_job(python_query(), Some(6)))
        .await
        .unwrap();
    assert!(!other.is_again());

    // Confirmed on purpose, it goes (and the service's 409 still guards a running twin).
    let error = harness.engine.submit(quote.id, true).await.unwrap_err();
    assert_eq!(error.code(), ErrorCode::DuplicateInProgress);
}

#[tokio::test]
async fn the_same_ids_in_another_order_are_the_same_data() {
    let harness = Harness::start(quick_sim()).await;
    let job = submit_job(&harness.engine, ids_list_job("1001\n1002\n1003\n"))
        .await
        .unwrap();
    let quote = harness
        .engine
        .quote(&ids_list_job("1003\n1001\n1002\n"))
        .await
        .unwrap();
    assert_eq!(earlier_ids(&quote), vec![job.id]);
    let different = harness
        .engine
        .quote(&ids_list_job("1003\n1001\n"))
        .await
        .unwrap();
    assert!(different.earlier.is_empty());
}

#[tokio::test]
async fn a_job_refused_by_the_service_was_never_collected() {
    let harness = Harness::start(slow_sim()).await;
    let first = harness.submit_python(Some(3)).await;
    // Sent again on purpose while the first runs: the service refuses it (409), creating nothing.
    let refused = submit_job(&harness.engine, query_job(python_query(), Some(3)))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), ErrorCode::DuplicateInProgress);
    let quote = harness
        .engine
        .quote(&query_job(python_query(), Some(3)))
        .await
        .unwrap();
    let earlier = earlier_ids(&quote);
    assert_eq!(earlier, vec![first.id], "the refused job collected nothing");
}

// ----- 4: a created request's id is never lost ----------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_id_the_database_cannot_take_goes_to_the_journal_and_is_applied_at_start() {
    let mut harness = Harness::start(quick_sim()).await;
    // An engine whose database gives up after 50 ms of waiting for a lock.
    let store = Store::open_with(
        &Store::default_path(harness.dir.path()),
        Duration::from_millis(50),
    )
    .unwrap();
    let engine = engine_over(&harness, store);
    let quote = engine
        .quote(&query_job(python_query(), Some(5)))
        .await
        .unwrap();
    harness.sim.set_faults(Faults {
        delay_ms: PerGroup {
            submit: 700,
            ..PerGroup::default()
        },
        ..Faults::default()
    });
    let mut updates = engine.subscribe();
    let submitting = {
        let engine = Arc::clone(&engine);
        tokio::spawn(async move { engine.submit(quote.id, false).await })
    };
    // The row is written; now another process takes the database's write lock, past the POST.
    loop {
        if let JobUpdate::State {
            state: JobState::Submitting,
            ..
        } = updates.recv().await.unwrap()
        {
            break;
        }
    }
    let locker = rusqlite::Connection::open(Store::default_path(harness.dir.path())).unwrap();
    locker.execute_batch("BEGIN IMMEDIATE").unwrap();
    let answer = submitting.await.unwrap();
    locker.execute_batch("ROLLBACK").unwrap();

    let job = answer.expect("a created request is never reported as a failure to retry");
    let request_id = job.request_id.clone().expect("the id the service gave");
    let journal =
        std::fs::read_to_string(harness.dir.path().join("bulk-collect.sqlite3.accepted")).unwrap();
    assert!(journal.contains(&request_id), "{journal}");
    assert_eq!(
        engine.job(job.id).unwrap().request_id,
        None,
        "the database did not take it"
    );

    let restarted = harness.restart();
    let recovered = restarted.job(job.id).unwrap();
    assert_eq!(recovered.request_id.as_deref(), Some(request_id.as_str()));
    assert_eq!(recovered.state, JobState::Processing);
    assert_eq!(posts(&harness), 1);
}

// ----- 6: uncertain has two ways out --------------------------------------------------------------

async fn an_uncertain_job(harness: &Harness, limit: u32) -> collect_core::store::JobRow {
    harness.sim.set_faults(Faults {
        submit_lost: 1,
        ..Faults::default()
    });
    let error = submit_job(&harness.engine, query_job(python_query(), Some(limit)))
        .await
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::Uncertain);
    let job = harness.engine.jobs().unwrap().remove(0);
    assert_eq!(job.state, JobState::Uncertain);
    assert_eq!(
        harness.engine.detail(job.id).unwrap().actions,
        vec![JobAction::Cancel, JobAction::Attach, JobAction::SendAgain]
    );
    job
}

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
        .contains(&format!("job {}", sent.id)));
}

// ----- 7: Cancel is never undone -------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_during_a_slow_poll_that_then_answers_ready_stays_cancelled() {
    let harness = Harness::start(quick_sim()).await;
    let job = harness.submit_python(Some(5)).await;
    tokio::time::sleep(Duration::from_millis(300)).await; // The service has the files.
    harness.sim.set_faults(Faults {
        delay_ms: PerGroup {
            status: 800,
            ..PerGroup::default()
        },
        ..Faults::default()
    });
    let polling = {
        let engine = Arc::clone(&harness.engine);
        tokio::spawn(async move { engine.poll_once(job.id).await })
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    harness.engine.cancel(job.id).unwrap();
    let after = polling.await.unwrap().unwrap();
    assert_eq!(
        after.state,
        JobState::Cancelled,
        "the late ready did not resurrect it"
    );
    let _scheduler = Scheduler::start(&harness.engine);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        harness.engine.job(job.id).unwrap().state,
        JobState::Cancelled
    );
    assert_eq!(
        harness.sim.count_calls(Endpoint::Download),
        0,
        "nothing downloaded"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_after_ready_means_no_download() {
    let harness = Harness::start(quick_sim()).await;
    let job = harness.submit_python(Some(5)).await;
    let ready = harness.engine.wait(job.id, None).await.unwrap();
    assert_eq!(ready.state, JobState::Ready);
    harness.engine.cancel(job.id).unwrap();
    let _scheduler = Scheduler::start(&harness.engine);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        harness.engine.job(job.id).unwrap().state,
        JobState::Cancelled
    );
    assert_eq!(harness.sim.count_calls(Endpoint::Download), 0);
    assert_eq!(
        harness.engine.retry(job.id).unwrap_err().code(),
        ErrorCode::InvalidState
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_during_a_download_stops_it_and_it_stays_cancelled() {
    let harness = Harness::start(quick_sim()).await;
    let job = ready_to_download_slowly(&harness).await;
    let downloading = download_in_background(&harness, job.id).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    harness.engine.cancel(job.id).unwrap();
    let _ = downloading.await.unwrap();
    let after = harness.engine.job(job.id).unwrap();
    assert_eq!(after.state, JobState::Cancelled);
    let finished = finished_files(&harness);
    assert!(
        finished.is_empty(),
        "no file under its final name: {finished:?}"
    );
}

// ----- 8: one process downloads a job at a time ----------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_process_finds_the_download_busy_and_is_told_who_holds_it() {
    let harness = Harness::start(quick_sim()).await;
    let job = ready_to_download_slowly(&harness).await;
    let downloading = download_in_background(&harness, job.id).await;
    assert!(harness
        .engine
        .store()
        .lease_holder(&download_lease(job.id))
        .unwrap()
        .is_some());
    // The command line on the same data folder.
    let output = run_cli(&harness, &["--json", "download", &job.id.to_string()]);
    assert!(!output.status.success());
    let answer: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(answer["error"]["code"], "Busy", "{answer}");
    let message = answer["error"]["message"].as_str().unwrap();
    assert!(message.contains("Bulk Collect"), "{message}");
    harness.sim.set_faults(Faults::default());
    let done = downloading.await.unwrap().unwrap();
    assert_eq!(done.state, JobState::Downloaded);
}

// ----- 9: a 404 before the 30 days is not "expired" ------------------------------------------------

#[tokio::test]
async fn a_404_before_thirty_days_is_asked_again_then_fails_with_retry_not_expired() {
    let harness = Harness::start(slow_sim()).await;
    let job = harness.submit_python(Some(9)).await;
    // The service answers 404 for it (as for a request it cannot find yet).
    sql(
        &harness,
        "UPDATE jobs SET request_id = 'not-known-yet' WHERE id = ?1",
        &[&job.id],
    );
    let settled = harness.engine.wait(job.id, None).await.unwrap();
    assert_eq!(
        settled.state,
        JobState::Failed,
        "{:?}",
        settled.state_reason
    );
    assert_eq!(settled.error_code, Some(ErrorCode::NotFound));
    assert!(settled.poll_count >= 5, "asked again before giving up");
    assert!(settled.state_reason.unwrap().contains("Retry"));
    assert!(harness
        .engine
        .detail(job.id)
        .unwrap()
        .actions
        .contains(&JobAction::Retry));
    let retried = harness.engine.retry(job.id).unwrap();
    assert_eq!(retried.state, JobState::Processing);
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

// ----- found in review: races between two windows or processes --------------------------------------

#[tokio::test]
async fn two_prices_made_before_either_was_sent_cannot_both_be_spent_without_again() {
    let harness = Harness::start(slow_sim()).await;
    let first = harness
        .engine
        .quote(&ids_job("ids-valid.csv"))
        .await
        .unwrap();
    let second = harness
        .engine
        .quote(&ids_job("ids-valid.csv"))
        .await
        .unwrap();
    assert!(!first.is_again() && !second.is_again());
    let job = harness.engine.submit(first.id, false).await.unwrap();
    let refused = harness.engine.submit(second.id, false).await.unwrap_err();
    assert_eq!(refused.code(), ErrorCode::CollectedBefore);
    assert_eq!(refused.to_user_error().job, Some(job.id));
    assert_eq!(posts(&harness), 1);
}

#[tokio::test]
async fn a_job_still_being_sent_or_cancelled_while_uncertain_counts_as_collected() {
    let harness = Harness::start(quick_sim()).await;
    let job = an_uncertain_job(&harness, 11).await;
    harness.engine.cancel(job.id).unwrap();
    let quote = harness
        .engine
        .quote(&query_job(python_query(), Some(11)))
        .await
        .unwrap();
    assert_eq!(earlier_ids(&quote), vec![job.id]);

    let being_sent = harness
        .engine
        .quote(&ids_job("ids-valid.csv"))
        .await
        .unwrap();
    let row = harness
        .engine
        .store()
        .spend_quote(
            Mode::Practice,
            being_sent.id,
            "other",
            "the Bulk Collect app (process 1)",
            Duration::from_secs(60),
        )
        .unwrap()
        .unwrap();
    let next = harness
        .engine
        .quote(&ids_job("ids-valid.csv"))
        .await
        .unwrap();
    assert_eq!(earlier_ids(&next), vec![row.id]);
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancel_from_the_command_line_stops_the_apps_download() {
    let harness = Harness::start(quick_sim()).await;
    let job = ready_to_download_slowly(&harness).await;
    let downloading = download_in_background(&harness, job.id).await;
    let output = run_cli(&harness, &["--json", "cancel", &job.id.to_string()]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let _ = downloading.await.unwrap();
    assert_eq!(
        harness.engine.job(job.id).unwrap().state,
        JobState::Cancelled
    );
    let finished = finished_files(&harness);
    assert!(
        finished.is_empty(),
        "no file under its final name: {finished:?}"
    );
}

// ----- 10: polls run side by side; downloads are capped ---------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn polls_of_several_jobs_run_side_by_side() {
    let harness = Harness::start(slow_sim()).await;
    for limit in 1..=4 {
        harness.submit_python(Some(limit)).await;
    }
    harness.sim.set_faults(Faults {
        delay_ms: PerGroup {
            status: 600,
            ..PerGroup::default()
        },
        ..Faults::default()
    });
    let _scheduler = Scheduler::start(&harness.engine);
    let mut most = 0;
    for _ in 0..200 {
        most = most.max(harness.engine.polls_in_flight());
        if most >= 4 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(most, 4, "one slow poll does not hold the others back");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_more_downloads_run_at_once_than_the_setting_allows() {
    let harness = Harness::start(quick_sim()).await;
    let mut options = harness.engine.options();
    options.max_downloads = 1;
    let engine = engine_with(&harness, options);
    for limit in [300, 301, 302] {
        let job = submit_job(&engine, query_job(python_query(), Some(limit)))
            .await
            .unwrap();
        engine.wait(job.id, None).await.unwrap();
    }
    harness.sim.set_faults(Faults {
        throttle_bytes_per_second: Some(256 * 1024),
        ..Faults::default()
    });
    let _scheduler = Scheduler::start(&engine);
    let mut most = 0;
    loop {
        let jobs = engine.jobs().unwrap();
        let downloading = jobs
            .iter()
            .filter(|job| job.state == JobState::Downloading)
            .count();
        most = most.max(downloading);
        if jobs.iter().all(|job| job.state == JobState::Downloaded) {
            break;
        }
        let moving = |job: &collect_core::store::JobRow| {
            job.state.is_active() || job.state == JobState::Downloaded
        };
        assert!(jobs.iter().all(moving), "{jobs:?}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(most, 1);
}

// ----- 11: processes starting together on a new data folder ----------------------------------------

#[tokio::test]
async fn three_processes_started_together_on_a_new_data_folder_all_succeed() {
    let harness = Harness::start(quick_sim()).await;
    let fresh = harness.dir.path().join("fresh");
    let children: Vec<_> = (0..3)
        .map(|_| {
            std::process::Command::new(workspace_binary("bulk-collect-cli"))
                .args(["--api-base", &harness.sim.base_url(), "--data-dir"])
                .arg(&fresh)
                .args(["--json", "jobs"])
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

// ----- helpers ---------------------------------------------------------------------------------------

fn engine_over(harness: &Harness, store: Store) -> Arc<collect_core::jobs::Engine> {
    collect_core::jobs::Engine::new(
        store,
        harness.engine.options(),
        Some(collect_core::secrets::ApiKey::new(
            coresignal_sim::DEFAULT_PRACTICE_KEY,
        )),
        collect_core::api::RateLimiter::new(27),
    )
    .unwrap()
}

fn engine_with(
    harness: &Harness,
    options: collect_core::jobs::EngineOptions,
) -> Arc<collect_core::jobs::Engine> {
    collect_core::jobs::Engine::new(
        harness.engine.store().clone(),
        options,
        Some(collect_core::secrets::ApiKey::new(
            coresignal_sim::DEFAULT_PRACTICE_KEY,
        )),
        collect_core::api::RateLimiter::new(27),
    )
    .unwrap()
}

/// The numbers of the earlier jobs a quote names.
fn earlier_ids(quote: &collect_core::jobs::Quote) -> Vec<i64> {
    quote.earlier.iter().map(|earlier| earlier.id).collect()
}

fn ids_list_job(text: &str) -> collect_core::jobs::NewJob {
    collect_core::jobs::NewJob {
        name: None,
        request: collect_core::jobs::JobRequest::Ids {
            report: collect_core::ids::parse_id_list(text.as_bytes()).unwrap(),
            source_file: None,
            split: false,
            list: None,
        },
        webhook_url: None,
    }
}

#[tokio::test]
async fn a_retry_after_of_hours_is_honoured_and_the_job_shows_until_when() {
    let harness = Harness::start(slow_sim()).await;
    let job = harness.submit_python(Some(5)).await;
    harness.sim.set_faults(Faults {
        rate_limit_storm: 1_000,
        storm_retry_after_secs: Some(3 * 3600),
        ..Faults::default()
    });
    let error = harness.engine.poll_once(job.id).await.unwrap_err();
    assert_eq!(error.code(), ErrorCode::RateLimited);
    let after = harness.engine.job(job.id).unwrap();
    assert_eq!(after.state, JobState::Processing);
    let next = collect_core::store::parse_time(after.next_poll_at.as_deref().unwrap()).unwrap();
    let now = collect_core::store::parse_time(&collect_core::store::now_text()).unwrap();
    assert!(
        (next - now).whole_hours() >= 2,
        "the next check waits as asked: {next}"
    );
    let events = harness.engine.store().events(job.id).unwrap();
    assert!(events
        .iter()
        .any(|event| event.detail.contains("asked to wait")));
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
