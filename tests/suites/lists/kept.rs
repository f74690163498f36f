//! A list kept with its price: run again it buys only who is new and its sheet keeps everyone's own
//! columns; a list no spent price needs goes after a week.

use super::*;

/// Writes a one-column CSV of `people`'s addresses with a CRM id beside each, at `name`.
fn crm_of(dir: &Path, name: &str, people: &[(i64, String)]) -> std::path::PathBuf {
    let mut text = "CRM id,LinkedIn\n".to_owned();
    for (at, (_, slug)) in people.iter().enumerate() {
        text.push_str(&format!("C-{at},https://www.linkedin.com/in/{slug}\n"));
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[tokio::test]
async fn a_list_run_again_buys_only_who_is_new_and_its_sheet_keeps_everyones_own_columns() {
    let harness = Harness::start(quick_sim()).await;
    let people = corpus_people(&harness.sim, 4).await;
    let _scheduler = Scheduler::start(&harness.engine);
    let collect = |path: std::path::PathBuf| {
        let engine = harness.engine.clone();
        async move {
            let table = read_list_file(&path).unwrap();
            let priced = engine
                .quote_list(&table, HeaderChoice::Detect, 1, Purchase::NewOnly, &|_| {})
                .await
                .unwrap();
            let quote = priced.quote.unwrap();
            let job = engine.submit(quote.id, false).await.unwrap();
            wait_for_state(&engine, job.id, JobState::Downloaded).await;
            (quote, job.id)
        }
    };
    collect(crm_of(harness.dir.path(), "first.csv", &people[..2])).await;
    let (quote, job) = collect(crm_of(harness.dir.path(), "second.csv", &people)).await;
    let split = quote.split.clone().expect("the library holds two of them");
    assert_eq!((split.new, split.changed, split.held), (2, 0, 2));
    assert_eq!(quote.records, 2, "only the two new are bought");
    let out = harness.dir.path().join("export");
    let today = time::OffsetDateTime::now_utc().date();
    let exported = harness
        .engine
        .export(job, Some(&out), today, &ExportOptions::default())
        .unwrap();
    let rows = sheet_text(&exported.paths[0], "People");
    let id_at = rows[0].iter().position(|name| name == "Person ID").unwrap();
    let bought_at = rows[0]
        .iter()
        .position(|name| name == "In this purchase")
        .unwrap();
    let got: BTreeMap<String, (i64, String)> = rows[1..]
        .iter()
        .map(|row| {
            (
                row[1].clone(),
                (row[id_at].parse().unwrap(), row[bought_at].clone()),
            )
        })
        .collect();
    let expected: BTreeMap<String, (i64, String)> = people
        .iter()
        .enumerate()
        .map(|(at, (id, _))| {
            (
                format!("C-{at}"),
                (*id, if at < 2 { "no" } else { "yes" }.to_owned()),
            )
        })
        .collect();
    assert_eq!(
        got, expected,
        "everyone in the list, their CRM id on their own row"
    );
}

#[tokio::test]
async fn lists_no_spent_price_needs_go_after_a_week_and_a_spent_ones_list_stays() {
    let harness = Harness::start(quick_sim()).await;
    let people = corpus_people(&harness.sim, 3).await;
    let price = |name: &'static str, who: std::ops::Range<usize>| {
        let (engine, dir, people) = (
            harness.engine.clone(),
            harness.dir.path().to_owned(),
            people.clone(),
        );
        async move {
            let table = read_list_file(&crm_of(&dir, name, &people[who])).unwrap();
            engine
                .quote_list(&table, HeaderChoice::Detect, 1, Purchase::Everyone, &|_| {})
                .await
                .unwrap()
                .quote
                .unwrap()
        }
    };
    let list_of = |quote: i64| {
        harness
            .engine
            .store()
            .quote(harness.engine.mode(), quote)
            .unwrap()
            .request
            .list_id
    };
    let unspent = price("unspent.csv", 0..1).await;
    let spent = price("spent.csv", 1..2).await;
    harness.engine.submit(spent.id, false).await.unwrap();
    let (unspent_list, spent_list) = (list_of(unspent.id).unwrap(), list_of(spent.id).unwrap());
    // A week and a day later…
    sql(
        &harness,
        "UPDATE lists SET created_at = '2020-01-01T00:00:00Z'",
        &[],
    );
    sql(
        &harness,
        "UPDATE quotes SET expires_at = '2020-01-01T00:00:00Z' WHERE spent_at IS NULL",
        &[],
    );
    // …the next list kept clears the lists no spent price needs.
    price("next.csv", 2..3).await;
    assert!(
        harness.engine.store().person_list(unspent_list).is_err(),
        "gone, with its rows"
    );
    assert_eq!(list_of(unspent.id), None);
    let kept = harness.engine.store().person_list(spent_list).unwrap();
    assert_eq!(
        kept.by_person.len(),
        1,
        "the spent price's spreadsheet still joins its list"
    );
}
