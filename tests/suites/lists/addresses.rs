//! Profile addresses in every form people paste, in a CRM export, a workbook read by the CLI and an
//! address two people have used: each row's person found, reported by row and collected exactly.

use super::*;

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
