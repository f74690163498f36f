//! A purchase's spreadsheet takes the people it skipped from the team library: what cannot be
//! copied is named, and what is too large is never fetched.

use super::*;

/// People a purchase skipped because the team held them, whose records the team library no
/// longer gives (deleted, or unreadable) by the time the download is done: the spreadsheet lacks
/// them, and the job's trail must say how many, not stay silent.
#[tokio::test]
async fn team_people_that_cannot_be_copied_are_named_on_the_trail() {
    let (pg, _sim, _folders, bruno) = bruno_after_anna_bought_40().await;
    let quote = bruno
        .quote(&query_job(python_query(), Some(100)))
        .await
        .unwrap();
    assert_eq!(quote.split.clone().unwrap().held, 40);
    // Between the quote and the download, 3 of Anna's people go and 2 become unreadable.
    pg.psql("DELETE FROM people WHERE id IN (SELECT id FROM people ORDER BY id LIMIT 3)");
    pg.psql(
        "UPDATE people SET record = '\\x00' WHERE id IN \
         (SELECT id FROM people ORDER BY id DESC LIMIT 2)",
    );
    let job = buy(&bruno, &quote).await;
    let trail = bruno.store().events(job).unwrap();
    let details: Vec<&str> = trail.iter().map(|event| event.detail.as_str()).collect();
    assert!(
        details
            .iter()
            .any(|detail| detail.contains("Copied 35 profiles")),
        "{details:#?}"
    );
    assert!(
        details
            .iter()
            .any(|detail| detail.contains("5 profiles your team had")),
        "{details:#?}"
    );
}

/// The server is shared: a record there larger than any person's (a colleague's mistake, or
/// worse) is not fetched for a spreadsheet, so a few of them cannot fill this computer's memory.
#[tokio::test]
async fn an_oversized_team_record_is_not_fetched() {
    let pg = PgCluster::start();
    let team = link(&pg, "Anna");
    team.test().await.unwrap();
    pg.psql(
        "INSERT INTO people (dataset, id, record, first_by, first_at, first_collection, last_by, \
             last_at, last_collection) \
         SELECT 'employee_clean', id, convert_to(repeat('x', size), 'UTF8'), 'Eve', now(), \
             gen_random_uuid(), 'Eve', now(), gen_random_uuid() \
         FROM (VALUES (1, 100), (2, 20000000)) AS made (id, size)",
    );
    let copies = team.records(CLEAN_EMPLOYEE, &[1, 2]).await.unwrap();
    let ids: Vec<i64> = copies.iter().map(|(id, ..)| *id).collect();
    assert_eq!(ids, vec![1]);
}
