//! What a net-new price counts: the people held skipped, a newer copy at the service bought again,
//! nothing new not sent, a price checked again split again, a search too big to list priced whole.

use super::*;

#[tokio::test]
async fn a_held_person_the_service_has_a_newer_copy_of_is_bought_again() {
    let harness = Harness::start(quick_sim()).await;
    let first = collect(&harness, 30).await;
    let held: Vec<i64> = downloaded_ids(&harness, first).into_iter().collect();
    // Our copies of three people are older than the service's: they changed since.
    let stale = &held[..3];
    for id in stale {
        sql(
            &harness,
            "UPDATE people SET last_updated = '2001-01-01' WHERE id = ?1",
            &[id],
        );
    }
    let quote = quote_python(&harness, 30).await;
    let split = quote.split.clone().unwrap();
    assert_eq!((split.new, split.changed, split.held), (0, 3, 27));
    assert!(
        quote.question.contains("3 changed since you got them"),
        "{}",
        quote.question
    );
    let job = harness.engine.submit(quote.id, false).await.unwrap();
    assert_eq!(
        sent_ids(&harness, job.id),
        stale.iter().copied().collect::<BTreeSet<i64>>(),
        "exactly the changed people are sent"
    );
}

#[tokio::test]
async fn nothing_new_is_not_sent_and_everyone_again_is_explicit() {
    let harness = Harness::start(quick_sim()).await;
    collect(&harness, 25).await;
    let requests_before = harness.sim.requests().len();

    let quote = quote_python(&harness, 25).await;
    assert_eq!(quote.records, 0);
    assert!(
        quote.question.contains("nothing new to buy"),
        "{}",
        quote.question
    );
    let refused = harness.engine.submit(quote.id, true).await.unwrap_err();
    assert!(
        matches!(refused, EngineError::InvalidInput(_)),
        "{refused:?}"
    );
    assert_eq!(
        harness.sim.requests().len(),
        requests_before,
        "nothing was sent"
    );

    let again = harness
        .engine
        .quote_everyone(&query_job(python_query(), Some(25)))
        .await
        .unwrap();
    assert!(again.split.is_none());
    assert_eq!((again.kind, again.records), (JobKind::EsDsl, 25));
    assert!(again.is_again(), "the first collection is named");
}

#[tokio::test]
async fn a_price_checked_again_splits_the_search_again_not_the_list_left_to_buy() {
    let harness = Harness::start(quick_sim()).await;
    collect(&harness, 20).await;
    let quote = quote_python(&harness, 50).await;
    assert_eq!(quote.split.as_ref().unwrap().held, 20);
    // Meanwhile ten more of them are collected by hand (everyone, explicitly).
    let more = harness
        .engine
        .quote_everyone(&query_job(python_query(), Some(30)))
        .await
        .unwrap();
    let job = harness.engine.submit(more.id, true).await.unwrap();
    let _scheduler = Scheduler::start(&harness.engine);
    wait_for_state(&harness.engine, job.id, JobState::Downloaded).await;

    let again = harness.engine.requote(quote.id).await.unwrap();
    let split = again.split.clone().unwrap();
    assert_eq!((split.new, split.held), (20, 30), "the library grew since");

    // Everyone again, from that price: the question says who is bought again.
    let everyone = harness.engine.requote_everyone(again.id).await.unwrap();
    assert!(everyone.split.is_none());
    assert_eq!(everyone.records, 50);
    assert!(
        everyone
            .question
            .contains("You already have 30 of them: they are bought again."),
        "{}",
        everyone.question
    );
}

#[tokio::test]
async fn an_id_list_run_again_buys_only_the_ids_not_held() {
    let harness = Harness::start(quick_sim()).await;
    let job = submit_job(&harness.engine, ids_job("ids-valid.csv"))
        .await
        .unwrap();
    let _scheduler = Scheduler::start(&harness.engine);
    wait_for_state(&harness.engine, job.id, JobState::Downloaded).await;
    let held = downloaded_ids(&harness, job.id);

    let quote = harness
        .engine
        .quote(&ids_job("ids-valid.csv"))
        .await
        .unwrap();
    let split = quote.split.unwrap();
    assert_eq!(split.held as usize, held.len());
    assert_eq!((split.new, split.changed, quote.records), (0, 0, 0));
}

#[tokio::test]
async fn a_search_too_big_to_list_says_so_and_is_priced_whole() {
    let harness = Harness::start(quick_sim()).await;
    collect(&harness, 10).await;
    let everyone = collect_core::query::parse_query(r#"{"query": {"match_all": {}}}"#).unwrap();
    let quote = harness
        .engine
        .quote(&query_job(everyone, None))
        .await
        .unwrap();
    assert!(quote.split.is_none());
    let note = quote.library_note.clone().expect("why it was not checked");
    assert!(note.contains("More than 10,000"), "{note}");
    assert!(
        quote.question.contains(&note),
        "the question (also the native one) says it: {}",
        quote.question
    );
}
