//! The People screen's search: by name, title, company and country in any case, `%` and `_` taken
//! literally, paged by name then id, and the counts by country and company following it.

use super::*;

/// The sample's 200 people in the library, and the results table's rows of them.
fn sampled() -> (Setup, Vec<crate::export::table::PersonRow>) {
    let setup = setup();
    let file = gzip(setup.dir.path(), "part-0.json.gz", &sample_lines());
    setup
        .library
        .ingest(CLEAN_EMPLOYEE, 4, std::slice::from_ref(&file))
        .unwrap();
    let table = crate::export::read_people(&[file]).unwrap();
    (setup, table)
}

/// The ids of the sample's people with `text` in their name, title, company or country (any
/// case of ASCII letters, as SQLite's LIKE).
fn holding(
    table: &[crate::export::table::PersonRow],
    text: &str,
) -> std::collections::BTreeSet<i64> {
    table
        .iter()
        .filter(|row| {
            [&row.name, &row.title, &row.company, &row.country]
                .iter()
                .any(|value| {
                    value
                        .to_ascii_lowercase()
                        .contains(&text.to_ascii_lowercase())
                })
        })
        .map(|row| row.id.parse().unwrap())
        .collect()
}

/// Every id a search finds, all pages.
fn found_ids(library: &Library, text: Option<&str>) -> std::collections::BTreeSet<i64> {
    let first = library.search(CLEAN_EMPLOYEE, text, 1).unwrap();
    let mut ids: std::collections::BTreeSet<i64> = Default::default();
    for page in 1..=first.pages.max(1) {
        let page = library.search(CLEAN_EMPLOYEE, text, page).unwrap();
        assert_eq!(page.total, first.total);
        ids.extend(page.people.iter().map(|person| person.id));
    }
    assert_eq!(ids.len() as u64, first.total);
    ids
}

#[test]
fn a_search_finds_people_by_name_title_company_and_country_in_any_case() {
    let (setup, table) = sampled();
    let row = table.iter().find(|row| !row.company.is_empty()).unwrap();
    let name_part: String = row.name.split_whitespace().last().unwrap().to_uppercase();
    let title_part: String = row.title.chars().take(5).collect::<String>().to_lowercase();
    let company = row.company.to_uppercase();
    let country = row.country.to_lowercase();
    for text in [&name_part, &title_part, &company, &country] {
        let expected = holding(&table, text);
        assert!(expected.contains(&row.id.parse().unwrap()), "{text}");
        assert!(expected.len() < table.len(), "{text} narrows the search");
        assert_eq!(found_ids(&setup.library, Some(text)), expected, "{text}");
    }
    let page = setup
        .library
        .search(CLEAN_EMPLOYEE, Some(&company), 1)
        .unwrap();
    let person = page
        .people
        .iter()
        .find(|person| person.id.to_string() == row.id)
        .unwrap();
    assert_eq!(person.name.as_deref(), Some(row.name.as_str()));
    assert_eq!(person.company.as_deref(), Some(row.company.as_str()));
    assert_eq!(person.last_job, 4);
    assert!(crate::store::parse_time(&person.last_collected_at).is_some());
    assert_eq!(
        setup
            .library
            .search(CLEAN_EMPLOYEE, Some("no one is called this"), 1)
            .unwrap(),
        Page {
            total: 0,
            page: 1,
            pages: 0,
            people: vec![]
        }
    );
    assert_eq!(
        setup
            .library
            .search("another_dataset", None, 1)
            .unwrap()
            .total,
        0
    );
}

#[test]
fn a_percent_sign_or_underscore_in_the_text_is_taken_literally() {
    let setup = setup();
    let lines = sample_lines();
    let named = |n: usize, name: &str| {
        let mut record: serde_json::Value = serde_json::from_str(&lines[n]).unwrap();
        record["full_name"] = name.into();
        record.to_string()
    };
    let file = gzip(
        setup.dir.path(),
        "part-0.json.gz",
        &[
            named(0, "Ann 100% Sure"),
            named(1, "Ann 100 Sure"),
            named(2, "Bo_b Under"),
            named(3, "Boxb Under"),
            named(4, "Back\\slash"),
        ],
    );
    setup.library.ingest(CLEAN_EMPLOYEE, 1, &[file]).unwrap();
    let names = |text: &str| -> Vec<String> {
        let page = setup.library.search(CLEAN_EMPLOYEE, Some(text), 1).unwrap();
        page.people.into_iter().filter_map(|p| p.name).collect()
    };
    assert_eq!(names("100%"), ["Ann 100% Sure"]);
    assert_eq!(names("%"), ["Ann 100% Sure"]);
    assert_eq!(names("o_b"), ["Bo_b Under"]);
    assert_eq!(names("_"), ["Bo_b Under"]);
    assert_eq!(names("k\\s"), ["Back\\slash"]);
    assert_eq!(names("  ").len(), 5, "a blank text finds everyone");
}

#[test]
fn a_search_is_paged_by_name_then_id_with_the_total() {
    let setup = setup();
    let lines = sample_lines();
    // 250 people: the sample's 200 again under new ids, some without a name.
    let many: Vec<String> = (0..250)
        .map(|n| {
            let mut record: serde_json::Value =
                serde_json::from_str(&lines[n % lines.len()]).unwrap();
            record["id"] = (1_000 + n as i64).into();
            if n % 50 == 0 {
                record.as_object_mut().unwrap().remove("full_name");
            }
            record.to_string()
        })
        .collect();
    let file = gzip(setup.dir.path(), "part-0.json.gz", &many);
    setup.library.ingest(CLEAN_EMPLOYEE, 1, &[file]).unwrap();

    let pages: Vec<Page> = (1..=3)
        .map(|page| setup.library.search(CLEAN_EMPLOYEE, None, page).unwrap())
        .collect();
    assert_eq!(
        pages
            .iter()
            .map(|page| page.people.len())
            .collect::<Vec<_>>(),
        [100, 100, 50]
    );
    for (n, page) in pages.iter().enumerate() {
        assert_eq!((page.total, page.pages, page.page), (250, 3, n as u32 + 1));
    }
    assert_eq!(
        setup.library.search(CLEAN_EMPLOYEE, None, 0).unwrap(),
        pages[0]
    );
    assert!(setup
        .library
        .search(CLEAN_EMPLOYEE, None, 4)
        .unwrap()
        .people
        .is_empty());

    let all: Vec<&Found> = pages.iter().flat_map(|page| &page.people).collect();
    let ids: std::collections::BTreeSet<i64> = all.iter().map(|person| person.id).collect();
    assert_eq!(ids.len(), 250, "no one twice, no one left out");
    let key = |person: &Found| {
        (
            person.name.is_none(),
            person.name.clone().unwrap_or_default().to_ascii_lowercase(),
            person.name.clone(),
            person.id,
        )
    };
    let mut sorted = all.clone();
    sorted.sort_by_key(|person| key(person));
    assert_eq!(all, sorted, "by name, then id");
    assert!(all[245..].iter().all(|person| person.name.is_none()));
}

#[test]
fn counts_by_country_and_company_follow_the_search() {
    let (setup, table) = sampled();
    let expected = |rows: &[&crate::export::table::PersonRow],
                    field: fn(&crate::export::table::PersonRow) -> &str| {
        let mut counts: std::collections::BTreeMap<&str, u64> = Default::default();
        for row in rows {
            if !field(row).is_empty() {
                *counts.entry(field(row)).or_default() += 1;
            }
        }
        let mut counts: Vec<Count> = counts
            .into_iter()
            .map(|(value, people)| Count {
                value: value.to_owned(),
                people,
            })
            .collect();
        counts.sort_by(|a, b| b.people.cmp(&a.people).then_with(|| a.value.cmp(&b.value)));
        counts.truncate(TOP as usize);
        counts
    };
    let everyone: Vec<_> = table.iter().collect();
    let counts = setup.library.counts(CLEAN_EMPLOYEE, None).unwrap();
    assert_eq!(
        counts.countries,
        expected(&everyone, |row| row.country.as_str())
    );
    assert_eq!(
        counts.companies,
        expected(&everyone, |row| row.company.as_str())
    );
    assert!(!counts.countries.is_empty() && counts.companies.len() <= TOP as usize);

    let country = counts.countries[0].value.clone();
    let held = holding(&table, &country);
    let matching: Vec<_> = table
        .iter()
        .filter(|row| held.contains(&row.id.parse().unwrap()))
        .collect();
    let filtered = setup
        .library
        .counts(CLEAN_EMPLOYEE, Some(&country))
        .unwrap();
    assert_eq!(
        filtered.countries,
        expected(&matching, |row| row.country.as_str())
    );
    assert_eq!(
        filtered.companies,
        expected(&matching, |row| row.company.as_str())
    );
    assert_eq!(
        setup
            .library
            .counts(CLEAN_EMPLOYEE, Some("no one is called this"))
            .unwrap(),
        Counts {
            countries: vec![],
            companies: vec![],
        }
    );
}
