//! A quote is spent once, nothing is sent without one, and the same data again needs "again".

use super::*;

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
    // Named as the Collections screen names it, never "job 1".
    let named = format!("(\"{}\")", first.name);
    assert!(quote.question.contains(&named), "{}", quote.question);
    assert!(!quote.question.contains("job"), "{}", quote.question);
    assert!(quote.question.contains("again"), "{}", quote.question);

    let refused = harness.engine.submit(quote.id, false).await.unwrap_err();
    assert_eq!(refused.code(), ErrorCode::CollectedBefore);
    let said = refused.to_user_error();
    assert_eq!(said.job, Some(first.id));
    assert!(said.message.contains(&named), "{}", said.message);
    assert!(!said.message.contains("job"), "{}", said.message);
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
