//! Long lists of addresses: each row's person learnt from a few searches, not one a row, even when
//! a chunk's search matches more people than one listing holds.

use super::*;

#[tokio::test]
async fn a_long_list_learns_each_rows_person_from_a_few_searches_not_one_per_row() {
    let harness = Harness::start(quick_sim()).await;
    let people = corpus_people(&harness.sim, 400).await;
    let mut text = "LinkedIn\n".to_owned();
    for (i, (_, slug)) in people.iter().enumerate() {
        text.push_str(&format!("https://www.linkedin.com/in/{slug}/\n"));
        if i % 4 == 0 {
            text.push_str(&format!(
                "https://www.linkedin.com/in/made-up-person-{i:05}\n"
            ));
        }
    }
    let path = harness.dir.path().join("long.csv");
    std::fs::write(&path, text).unwrap();
    let table = read_list_file(&path).unwrap();
    harness.sim.clear_calls();
    let resolved = harness
        .engine
        .resolve_list(&table, HeaderChoice::Detect, 0, &|_| {})
        .await
        .unwrap();
    let report = &resolved.report;
    assert_eq!(
        (report.found, report.not_found.len()),
        (400, 100),
        "{}",
        report.summary
    );
    let expected: Vec<u64> = people.iter().map(|(id, _)| *id as u64).collect();
    assert_eq!(
        resolved.ids, expected,
        "each row its own person, in row order"
    );
    for row in &report.not_found {
        assert!(row.value.contains("made-up-person"), "{row:?}");
    }
    let searches = harness.sim.count_calls(Endpoint::Search);
    assert_eq!(searches, report.searches);
    eprintln!("{searches} free searches for 500 rows");
    assert!(searches < 60, "{searches} searches for 500 rows");
}

/// Every id the simulator's search finds, page after page, ascending.
async fn all_ids(harness: &Harness) -> Vec<i64> {
    let mut ids: Vec<i64> = Vec::new();
    loop {
        let mut url = format!(
            "{}/v2/employee_clean/search/es_dsl?items_per_page=1000",
            harness.sim.base_url()
        );
        if let Some(last) = ids.last() {
            url.push_str(&format!("&after={last}"));
        }
        let page: Vec<serde_json::Value> = reqwest::Client::new()
            .post(url)
            .header("apikey", DEFAULT_PRACTICE_KEY)
            .json(&serde_json::json!({"query": {"match_all": {}}}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if page.is_empty() {
            return ids;
        }
        ids.extend(page.iter().map(|id| id.as_i64().unwrap()));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chunk_matching_more_people_than_one_listing_holds_still_finds_every_row() {
    let harness = Harness::start(quick_sim()).await;
    let ids = all_ids(&harness).await;
    assert!(ids.len() > 11_000, "{}", ids.len());
    // 13 old short names, each once used by 800 people with low ids: with them, the list's one
    // chunk matches more people than the 10,000 a chunk's search lists.
    let shared: Vec<String> = (0..13).map(|k| format!("shared-old-name-{k:02}")).collect();
    for (at, id) in ids[..13 * 800].iter().enumerate() {
        let mut names = harness.sim.person(*id as u64).unwrap().record["shorthand_names"].clone();
        names
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!(shared[at / 800]));
        harness
            .sim
            .change_person(*id as u64, serde_json::json!({"shorthand_names": names}))
            .unwrap();
    }
    // 12 people with the highest ids: listed last, past the first 10,000.
    let wanted: Vec<(i64, String)> = ids[ids.len() - 12..]
        .iter()
        .map(|id| {
            let record = harness.sim.person(*id as u64).unwrap().record;
            (
                *id,
                record["shorthand_names"][0].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let mut text = "LinkedIn\n".to_owned();
    for (_, name) in &wanted {
        text.push_str(&format!("https://www.linkedin.com/in/{name}/\n"));
    }
    for name in &shared {
        text.push_str(&format!("https://www.linkedin.com/in/{name}/\n"));
    }
    let path = harness.dir.path().join("many.csv");
    std::fs::write(&path, text).unwrap();
    let table = read_list_file(&path).unwrap();
    let resolved = harness
        .engine
        .resolve_list(&table, HeaderChoice::Detect, 0, &|_| {})
        .await
        .unwrap();
    let report = &resolved.report;
    assert_eq!(report.not_found, [], "{}", report.summary);
    for (at, (id, _)) in wanted.iter().enumerate() {
        assert_eq!(resolved.rows[at].person, Some(*id), "row {}", at + 2);
    }
    assert_eq!(report.several.len(), 13, "{}", report.summary);
}
