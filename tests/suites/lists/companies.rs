//! Lists of companies: one search where it fits, several collected as one collection past the
//! query's limits, the companies that found nobody named, a search too big to list refused.

use super::*;

/// How many made-up companies the long list holds.
const IMAGINARY: usize = 80;

/// The current company (name, website) of corpus person `id`.
fn company_of(harness: &Harness, id: i64) -> (String, String) {
    let record = harness.sim.person(id as u64).unwrap().record;
    (
        record["company_name"].as_str().unwrap().to_owned(),
        record["company_website"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn a_companies_list_becomes_one_search_and_names_the_companies_that_found_nobody() {
    let harness = Harness::start(quick_sim()).await;
    let people = corpus_people(&harness.sim, 2).await;
    let (first, _) = company_of(&harness, people[0].0);
    let (_, second_site) = company_of(&harness, people[1].0);
    let path = harness.dir.path().join("accounts.csv");
    std::fs::write(
        &path,
        format!("Account,Company\r\nA-1,{first}\r\nA-2,https://www.{second_site}/about\r\nA-3,Nowhere Imaginary Holdings\r\nA-4,{}\r\n", first.to_uppercase()),
    )
    .unwrap();
    let table = read_list_file(&path).unwrap();
    let shown = collect_core::lists::preview(&table, HeaderChoice::Detect, None);
    let company = column(&shown, "Company");
    assert_eq!(
        shown.columns[company].kind,
        collect_core::lists::ValueKind::Companies
    );
    let found = harness
        .engine
        .company_search(&table, HeaderChoice::Detect, company, &|_| {})
        .await
        .unwrap();
    let report = &found.report;
    assert_eq!(
        (report.companies, report.duplicates, report.searches),
        (3, 1, 1),
        "{report:#?}"
    );
    assert_eq!(report.nobody.len(), 1);
    assert_eq!(report.nobody[0].row, 4);
    let group = report.group.clone().expect("one search holds them");
    // The count is the service's count of the search the builder would send.
    let search = collect_core::query::builder::Search {
        groups: vec![group],
    };
    let body = collect_core::query::builder::to_query(&search).unwrap();
    let query = collect_core::query::parse_query(&body.to_string()).unwrap();
    let (matches, _) = harness.engine.count_matches(&query).await.unwrap();
    assert_eq!(report.matches, matches);
    assert!(matches >= 2, "both people's companies match");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn companies_past_the_query_limits_are_several_searches_collected_as_one_collection() {
    let harness = Harness::start(quick_sim()).await;
    let people = corpus_people(&harness.sim, 2).await;
    let (first, _) = company_of(&harness, people[0].0);
    let (second, _) = company_of(&harness, people[1].0);
    let mut text = "Company\n".to_owned();
    text.push_str(&format!("{first}\n"));
    // Long names fill a search's 15,000 characters with few companies (each is counted with a
    // search of its own, paced by the rate limit).
    let padding = "Holdings And Partners ".repeat(8);
    for i in 0..IMAGINARY {
        text.push_str(&format!("Imaginary {padding}Number {i}\n"));
    }
    text.push_str(&format!("{second}\n"));
    let path = harness.dir.path().join("many.csv");
    std::fs::write(&path, text).unwrap();
    let table = read_list_file(&path).unwrap();
    let found = harness
        .engine
        .company_search(&table, HeaderChoice::Detect, 0, &|_| {})
        .await
        .unwrap();
    assert!(found.report.searches > 1, "{}", found.report.summary);
    assert!(found.report.group.is_none());
    assert_eq!(found.report.nobody.len(), IMAGINARY);
    let quote = harness
        .engine
        .quote_company_searches(&found.searches, "many.csv")
        .await
        .unwrap();
    // Everyone the two real companies match, once each, in one collection.
    let mut expected = std::collections::BTreeSet::new();
    for name in [&first, &second] {
        let body = serde_json::json!({"query": {"match_phrase": {"company_name": name}}});
        expected.extend(search_ids(&harness.sim, &body, 1_000).await);
    }
    assert_eq!(quote.records, expected.len() as u64);
    let job = harness.engine.submit(quote.id, false).await.unwrap();
    let _scheduler = Scheduler::start(&harness.engine);
    wait_for_state(&harness.engine, job.id, JobState::Downloaded).await;
    let requests = harness.sim.requests();
    assert_eq!(requests.len(), 1, "one collection, sent once");
    let delivered: std::collections::BTreeSet<i64> = harness
        .engine
        .store()
        .files(job.id)
        .unwrap()
        .iter()
        .flat_map(|file| read_records(Path::new(file.path.as_deref().unwrap())))
        .map(|record| record["id"].as_i64().unwrap())
        .collect();
    assert_eq!(delivered, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_company_search_past_what_can_be_listed_is_refused_not_cut_to_its_first_10000() {
    use collect_core::query::builder::{to_query, Condition, Group, GroupMode, Rule, Search};
    let harness = Harness::start(quick_sim()).await;
    // One of the searches a long companies list is split into matches more people than the app
    // lists (a big employer): everyone in the made-up data.
    let search = Search {
        groups: vec![Group {
            mode: GroupMode::Any,
            rules: vec![Rule {
                field: "follower_count".into(),
                condition: Condition::OnOrAfter,
                values: vec!["0".into()],
            }],
        }],
    };
    let query = collect_core::query::parse_query(&to_query(&search).unwrap().to_string()).unwrap();
    let (matches, _) = harness.engine.count_matches(&query).await.unwrap();
    assert!(matches > collect_core::jobs::MOST_LISTED, "{matches}");
    let answer = harness
        .engine
        .quote_company_searches(&[search], "big.csv")
        .await;
    let error = answer.expect_err("a price for only the first 10,000 of them");
    let words = error.to_string();
    assert!(words.contains("10,000"), "{words}");
    assert_eq!(harness.sim.count_calls(Endpoint::SubmitIdFile), 0);
}

#[tokio::test]
async fn companies_where_nobody_works_are_not_priced_as_an_empty_collection() {
    let harness = Harness::start(quick_sim()).await;
    let search =
        collect_core::company_lists::search_of(collect_core::company_lists::company_group(&[
            collect_core::lists::CompanyKey::Name("Nowhere Imaginary Holdings".into()),
        ]));
    let error = harness
        .engine
        .quote_company_searches(&[search], "nobody.csv")
        .await
        .expect_err("a price of nobody");
    assert!(error.to_string().contains("nothing to collect"), "{error}");
}
