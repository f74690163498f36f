//! A net-new purchase spent: exactly the new people sent, charged and delivered, the spreadsheet
//! holding everyone who matched; nothing bought twice while on its way, nothing lost by a delete.

use super::*;

#[tokio::test]
async fn a_search_run_again_buys_only_the_people_not_in_the_library() {
    let harness = Harness::start(quick_sim()).await;
    let first = collect(&harness, 40).await;
    let held = downloaded_ids(&harness, first);
    assert_eq!(held.len(), 40);

    let quote = quote_python(&harness, 100).await;
    let split = quote.split.clone().expect("the library holds some of them");
    assert_eq!((split.new, split.changed, split.held), (60, 0, 40));
    assert_eq!(quote.records, 60, "only the new are bought");
    assert_eq!(quote.credits, 60 * u64::from(quote.credits_per_record));
    assert_eq!(quote.kind, JobKind::IdFile);
    assert!(
        quote.question.contains("60 are new")
            && quote
                .question
                .contains("You already have 40 of them: skip them?"),
        "{}",
        quote.question
    );
    assert!(quote.earlier.is_empty(), "{:?}", quote.earlier);

    let balance_before = harness.sim.credits(DEFAULT_PRACTICE_KEY).unwrap();
    let job = harness.engine.submit(quote.id, false).await.unwrap();
    let _scheduler = Scheduler::start(&harness.engine);
    wait_for_state(&harness.engine, job.id, JobState::Downloaded).await;
    let sent = sent_ids(&harness, job.id);
    assert_eq!(sent.len(), 60);
    assert!(sent.is_disjoint(&held), "no held person is bought again");
    assert_eq!(
        downloaded_ids(&harness, job.id),
        sent,
        "what was sent is what came"
    );
    let charged = balance_before - harness.sim.credits(DEFAULT_PRACTICE_KEY).unwrap();
    assert_eq!(
        u64::try_from(charged).unwrap(),
        quote.credits,
        "the quote's new + changed is what the service charged"
    );
    let dataset = Mode::Practice.library_dataset();
    assert_eq!(library(&harness).count(dataset).unwrap(), 100);

    // The spreadsheet holds everyone who matched, and says who came in this purchase.
    let made = exported(&harness, job.id, &ExportOptions::default());
    assert_eq!(made.people, 100);
    let marks = purchase_column(&made.paths[0]);
    assert_eq!(marks.len(), 100);
    for (id, in_purchase, collected_on) in marks {
        let bought = sent.contains(&id);
        assert_eq!(
            in_purchase,
            if bought { "yes" } else { "no" },
            "person {id}"
        );
        assert!(held.contains(&id) || bought, "person {id} matched");
        assert_eq!(
            collected_on.len(),
            10,
            "a date for person {id}: {collected_on:?}"
        );
    }
}

/// `(id, In this purchase, Collected on)` of every row of a workbook's People sheet, read by an
/// independent reader (calamine).
fn purchase_column(path: &std::path::Path) -> Vec<(i64, String, String)> {
    use calamine::{Data, Reader, Xlsx};
    let mut workbook: Xlsx<_> = calamine::open_workbook(path).unwrap();
    let range = workbook.worksheet_range("People").unwrap();
    let header: Vec<String> = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|cell| cell.to_string())
        .collect();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no {name} column in {header:?}"))
    };
    let (id, purchase, collected) = (
        column("Person ID"),
        column("In this purchase"),
        column("Collected on"),
    );
    range
        .rows()
        .skip(1)
        .map(|row| {
            let id = match &row[id] {
                Data::Float(id) => *id as i64,
                Data::Int(id) => *id,
                other => panic!("an id is a number, not {other:?}"),
            };
            let date = match &row[collected] {
                // Excel counts days from 1899-12-30.
                Data::DateTime(date) => (time::macros::date!(1899 - 12 - 30)
                    + time::Duration::days(date.as_f64() as i64))
                .to_string(),
                other => other.to_string(),
            };
            (id, row[purchase].to_string(), date)
        })
        .collect()
}

#[tokio::test]
async fn a_person_the_service_no_longer_has_is_quoted_but_not_charged() {
    let harness = Harness::start(quick_sim()).await;
    let ids = |list: &[u64]| {
        let text: String = list.iter().map(|id| format!("{id}\n")).collect();
        let report = collect_core::ids::parse_id_list(text.as_bytes()).unwrap();
        collect_core::jobs::NewJob {
            name: Some("list".into()),
            request: collect_core::jobs::JobRequest::Ids {
                report,
                source_file: None,
                split: false,
                list: None,
            },
            webhook_url: None,
        }
    };
    let first = submit_job(&harness.engine, ids(&[1_001, 1_002]))
        .await
        .unwrap();
    let _scheduler = Scheduler::start(&harness.engine);
    wait_for_state(&harness.engine, first.id, JobState::Downloaded).await;
    assert!(harness.sim.delete_person(1_005));

    let quote = harness
        .engine
        .quote(&ids(&[1_001, 1_002, 1_003, 1_004, 1_005]))
        .await
        .unwrap();
    let split = quote.split.clone().unwrap();
    assert_eq!((split.new, split.changed, split.held), (3, 0, 2));
    let balance = harness.sim.credits(DEFAULT_PRACTICE_KEY).unwrap();
    let job = harness.engine.submit(quote.id, false).await.unwrap();
    wait_for_state(&harness.engine, job.id, JobState::Downloaded).await;
    let charged = balance - harness.sim.credits(DEFAULT_PRACTICE_KEY).unwrap();
    assert_eq!(
        u64::try_from(charged).unwrap(),
        quote.credits - u64::from(quote.credits_per_record),
        "one profile fewer than quoted: the service no longer has it"
    );
}

/// Review 15: a search still being collected (sent, not downloaded) whose people are not in the
/// library yet is not bought a second time by a net-new quote without the "again" confirmation.
/// Before net-new quotes, the same search was caught by "collected before"; a net-new quote sends
/// an ID list, whose fingerprint no earlier job has.
#[tokio::test]
async fn a_search_still_being_collected_is_not_bought_again_unconfirmed() {
    let harness = Harness::start(quick_sim()).await;
    collect(&harness, 5).await;
    // The same search, larger, sent and not yet downloaded (no scheduler runs now).
    let in_flight = harness.submit_python(Some(50)).await;
    assert!(in_flight.request_id.is_some(), "it was sent");

    let quote = quote_python(&harness, 50).await;
    assert_eq!(quote.split.as_ref().unwrap().new, 45);
    let spent = harness.engine.submit(quote.id, false).await;
    assert!(
        matches!(spent, Err(EngineError::CollectedBefore { .. })),
        "the 45 people on their way were bought again without \"again\": {spent:?}"
    );
}

/// Review 15: deleting an earlier collection "without its people" does not take away the people a
/// later net-new purchase skipped because the library held them: that purchase's spreadsheet
/// still holds everyone who matched.
#[tokio::test]
async fn deleting_an_earlier_collection_keeps_the_people_a_later_purchase_relies_on() {
    let harness = Harness::start(quick_sim()).await;
    let first = collect(&harness, 20).await;
    let quote = quote_python(&harness, 50).await;
    assert_eq!(quote.split.as_ref().unwrap().held, 20);
    let job = harness.engine.submit(quote.id, false).await.unwrap();
    let _scheduler = Scheduler::start(&harness.engine);
    wait_for_state(&harness.engine, job.id, JobState::Downloaded).await;

    harness.engine.delete(first, false).unwrap();

    let made = exported(&harness, job.id, &ExportOptions::default());
    assert_eq!(
        made.people, 50,
        "everyone who matched is in the purchase's spreadsheet"
    );
}
