//! Lists people hold, against the real simulator over HTTP and a real database: a CRM export with
//! a column of LinkedIn addresses in every form people paste, rows not in the data, the same
//! person twice and a company page; a workbook with a LinkedIn column; an address two people have
//! used. Each is resolved with free searches, reported by row, collected exactly, and the
//! spreadsheet keeps the person's own columns.

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use std::collections::BTreeMap;
use std::path::Path;

use bulk_collect_tests::*;
use collect_core::export::ExportOptions;
use collect_core::jobs::{JobState, Purchase};
use collect_core::lists::{read_list_file, HeaderChoice, ListPreview};
use coresignal_sim::Endpoint;
use coresignal_sim::DEFAULT_PRACTICE_KEY;

/// The column of `preview` named `name`.
fn column(preview: &ListPreview, name: &str) -> usize {
    preview
        .columns
        .iter()
        .find(|column| column.name == name)
        .unwrap_or_else(|| panic!("no column {name}: {preview:?}"))
        .index
}

/// The CRM export: each form people paste, a row not in the data, the same person twice, a
/// company page and a blank address. Returns the file and, by CRM id, the person each row is.
fn crm_csv(dir: &Path, people: &[(i64, String)]) -> (std::path::PathBuf, BTreeMap<String, i64>) {
    let upper = people[1].1.to_uppercase();
    let rows = [
        format!(
            "Ann,Lee,Acme,https://www.linkedin.com/in/{}/,CRM-1,\"Met at \"\"expo\"\", 2024\"",
            people[0].1
        ),
        format!("Bo,Ng,Beta,http://linkedin.com/in/{upper}?trk=public_profile,CRM-2,"),
        format!(
            "Cy,Ra,Gamma,https://de.linkedin.com/in/{}#experience,CRM-3,\"two\nlines\"",
            people[2].1
        ),
        "Di,Ox,Delta,https://www.linkedin.com/in/nobody-here-0000,CRM-4,not in the data".to_owned(),
        format!(
            "Ann,Lee,Acme,linkedin.com/in/{},CRM-5,same as CRM-1",
            people[0].1
        ),
        "Ed,Po,Acme,https://www.linkedin.com/company/acme,CRM-6,a company page".to_owned(),
        format!("Fa,Qu,Eps,{},CRM-7,bare short name", people[3].1),
        "Gu,Re,Zeta,,CRM-8,no address".to_owned(),
        format!("Ha,Si,Eta,www.linkedin.com/in/{}/,CRM-9,", people[4].1),
    ];
    let mut text = "First name,Last name,Company,LinkedIn URL,CRM id,Notes\r\n".to_owned();
    for row in rows {
        text.push_str(&row);
        text.push_str("\r\n");
    }
    let path = dir.join("crm export.csv");
    std::fs::write(&path, text).unwrap();
    let expected = BTreeMap::from([
        ("CRM-1".to_owned(), people[0].0),
        ("CRM-2".to_owned(), people[1].0),
        ("CRM-3".to_owned(), people[2].0),
        ("CRM-7".to_owned(), people[3].0),
        ("CRM-9".to_owned(), people[4].0),
    ]);
    (path, expected)
}

#[tokio::test]
async fn a_crm_csv_of_profile_addresses_is_reported_by_row_and_collected_exactly() {
    let harness = Harness::start(quick_sim()).await;
    let people = corpus_people(&harness.sim, 5).await;
    let (path, expected) = crm_csv(harness.dir.path(), &people);
    let table = read_list_file(&path).unwrap();
    let shown = collect_core::lists::preview(&table, HeaderChoice::Detect, None);
    let linkedin = column(&shown, "LinkedIn URL");
    assert_eq!(
        shown.chosen.map(|at| shown.columns[at].index),
        Some(linkedin)
    );

    harness.sim.clear_calls();
    let priced = harness
        .engine
        .quote_list(
            &table,
            HeaderChoice::Detect,
            linkedin,
            Purchase::NewOnly,
            &|_| {},
        )
        .await
        .unwrap();
    let report = &priced.resolved.report;
    // Rows 2–10 (the header is row 1; the two-line note keeps row numbers as a spreadsheet shows).
    assert_eq!(report.found, 6, "{report:#?}");
    assert_eq!(report.people, 5);
    assert_eq!(report.not_found.len(), 1);
    assert!(report.not_found[0].value.contains("nobody-here-0000"));
    assert_eq!(report.duplicates.len(), 1);
    assert_eq!(report.duplicates[0].id, people[0].0);
    assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
    assert_eq!(report.problems[0].column, "LinkedIn URL");
    assert!(report.problems[0].text.contains("/company/acme"));
    assert_eq!(report.blank, 1);
    // Only free searches were made; nothing was bought.
    let calls = harness.sim.calls();
    assert!(
        calls.iter().all(|call| call.endpoint == Endpoint::Search),
        "{calls:?}"
    );
    assert_eq!(calls.len(), report.searches);

    let quote = priced.quote.expect("a price");
    assert_eq!(quote.records, 5);
    let mut sent: Vec<u64> = priced.resolved.ids.clone();
    sent.sort_unstable();
    let mut wanted: Vec<u64> = expected.values().map(|id| *id as u64).collect();
    wanted.sort_unstable();
    assert_eq!(sent, wanted);

    let job = harness.engine.submit(quote.id, false).await.unwrap();
    let _scheduler = Scheduler::start(&harness.engine);
    wait_for_state(&harness.engine, job.id, JobState::Downloaded).await;
    let out = harness.dir.path().join("export");
    let today = time::OffsetDateTime::now_utc().date();
    let exported = harness
        .engine
        .export(job.id, Some(&out), today, &ExportOptions::default())
        .unwrap();
    let workbook = &exported.paths[0];
    let rows = sheet_text(workbook, "People");
    let header = &rows[0];
    assert_eq!(
        header[..7],
        [
            "Row in your list",
            "First name",
            "Last name",
            "Company",
            "LinkedIn URL",
            "CRM id",
            "Notes"
        ]
    );
    let id_at = header
        .iter()
        .position(|name| name == "Person ID")
        .expect("an id column");
    let found: BTreeMap<String, i64> = rows[1..]
        .iter()
        .map(|row| (row[5].clone(), row[id_at].parse().unwrap()))
        .collect();
    assert_eq!(
        found, expected,
        "each person's row carries their own CRM id"
    );
    let noted = rows[1..].iter().find(|row| row[5] == "CRM-1").unwrap();
    assert_eq!(noted[6], "Met at \"expo\", 2024");
    let not_found = sheet_text(workbook, "Not found");
    let crm_ids: Vec<&str> = not_found[1..].iter().map(|row| row[6].as_str()).collect();
    // Every row of their list is somewhere in the workbook: the same person again and a row
    // without an address are named with why, so no CRM record goes missing on the way back.
    assert_eq!(
        crm_ids,
        ["CRM-4", "CRM-5", "CRM-6", "CRM-8"],
        "{not_found:?}"
    );
    let why: Vec<&str> = not_found[1..].iter().map(|row| row[1].as_str()).collect();
    assert!(why[1].contains("row 2"), "{why:?}");
    assert!(why[3].contains("LinkedIn URL"), "{why:?}");
}

/// The CLI with `--json`, its stdout read as JSON.
fn cli_json(harness: &Harness, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    stdout_json(&run_cli(harness, &all))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_xlsx_with_a_linkedin_column_is_resolved_and_collected_from_the_cli() {
    let harness = Harness::start(quick_sim()).await;
    let people = corpus_people(&harness.sim, 3).await;
    let path = harness.dir.path().join("prospects.xlsx");
    {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        let rows: [[String; 3]; 6] = [
            ["Name".into(), "Owner".into(), "LinkedIn".into()],
            [
                "Ann".into(),
                "Mo".into(),
                format!("https://uk.linkedin.com/in/{}/", people[0].1),
            ],
            ["Bo".into(), "Mo".into(), people[1].1.to_uppercase()],
            [
                "Nobody".into(),
                "Li".into(),
                "https://www.linkedin.com/in/not-a-real-person-x".into(),
            ],
            [
                "Ann again".into(),
                "Li".into(),
                format!("linkedin.com/in/{}?trk=x", people[0].1),
            ],
            [
                "Cy".into(),
                "Li".into(),
                format!("http://www.linkedin.com/in/{}", people[2].1),
            ],
        ];
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                sheet.write_string(r as u32, c as u16, cell).unwrap();
            }
        }
        workbook.save(&path).unwrap();
    }
    let file = path.to_str().unwrap();
    let found_csv = harness.dir.path().join("found.csv");

    let resolved = cli_json(
        &harness,
        &["resolve", file, "--to", found_csv.to_str().unwrap()],
    );
    assert_eq!(resolved["found"], 4, "{resolved}");
    assert_eq!(resolved["duplicates"], 1);
    assert_eq!(
        resolved["not_found"],
        serde_json::json!([{"row": 4, "value": "https://www.linkedin.com/in/not-a-real-person-x"}])
    );
    let ids: Vec<i64> = resolved["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_i64().unwrap())
        .collect();
    assert_eq!(ids, [people[0].0, people[1].0, people[2].0]);
    let written = std::fs::read_to_string(&found_csv).unwrap();
    let lines: Vec<&str> = written.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "Row,Value,Employee ID");
    assert_eq!(lines.len(), 5, "{written}");
    assert!(
        lines[1].ends_with(&format!(",{}", people[0].0)),
        "{written}"
    );
    assert_eq!(
        harness.sim.count_calls(Endpoint::SubmitIdFile),
        0,
        "resolve spends nothing"
    );

    let submitted = cli_json(
        &harness,
        &["submit", "--ids", file, "--column", "LinkedIn", "--yes"],
    );
    let job = submitted["job"].as_i64().unwrap().to_string();
    assert_eq!(submitted["quote"]["records"], 3, "{submitted}");
    assert_eq!(submitted["ids"]["not_found"][0]["row"], 4, "{submitted}");
    let requests = harness.sim.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].matched, 3, "the three people, once each");
    let downloaded = cli_json(&harness, &["download", &job]);
    assert_eq!(downloaded["state"], "downloaded", "{downloaded}");
    let exported = cli_json(&harness, &["export", &job, "--format", "xlsx"]);
    let workbook = Path::new(exported["paths"][0].as_str().unwrap());
    let rows = sheet_text(workbook, "People");
    assert_eq!(
        rows[0][..4],
        ["Row in your list", "Name", "Owner", "LinkedIn"]
    );
    let id_at = rows[0].iter().position(|name| name == "Person ID").unwrap();
    let names: BTreeMap<i64, String> = rows[1..]
        .iter()
        .map(|row| (row[id_at].parse().unwrap(), row[1].clone()))
        .collect();
    assert_eq!(
        names,
        BTreeMap::from([
            (people[0].0, "Ann".to_owned()),
            (people[1].0, "Bo".to_owned()),
            (people[2].0, "Cy".to_owned()),
        ])
    );
}

#[tokio::test]
async fn an_address_two_people_have_used_takes_the_one_whose_address_it_is_now() {
    let harness = Harness::start(quick_sim()).await;
    let people = corpus_people(&harness.sim, 2).await;
    let (now, before) = (&people[0], &people[1]);
    // The second person once had the first's short name.
    let mut record = harness.sim.person(before.0 as u64).unwrap().record;
    let old = record["shorthand_names"].as_array().unwrap()[0].clone();
    record["shorthand_names"] = serde_json::json!([old, now.1]);
    harness
        .sim
        .change_person(
            before.0 as u64,
            serde_json::json!({"shorthand_names": record["shorthand_names"]}),
        )
        .unwrap();
    let path = harness.dir.path().join("one.csv");
    std::fs::write(
        &path,
        format!("linkedin\nhttps://www.linkedin.com/in/{}\n", now.1),
    )
    .unwrap();
    let table = read_list_file(&path).unwrap();
    let resolved = harness
        .engine
        .resolve_list(&table, HeaderChoice::Detect, 0, &|_| {})
        .await
        .unwrap();
    let several = &resolved.report.several;
    assert_eq!(several.len(), 1, "{:#?}", resolved.report);
    let mut both = vec![now.0, before.0];
    both.sort_unstable();
    assert_eq!(several[0].ids, both);
    assert_eq!(several[0].chosen, now.0);
    assert!(
        several[0].reason.contains(&format!("ID {} now", now.0)),
        "{}",
        several[0].reason
    );
    assert_eq!(resolved.ids, [now.0 as u64]);
}

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
