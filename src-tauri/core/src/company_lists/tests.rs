use super::*;
use crate::lists::CompanyEntry;

fn name(text: &str) -> CompanyKey {
    CompanyKey::Name(text.to_owned())
}

#[test]
fn a_companies_list_becomes_one_group_the_builder_shows() {
    let keys = [
        name("Acme Data"),
        CompanyKey::Domain("beta.com".into()),
        CompanyKey::ShortName("gamma-labs".into()),
        name("Delta"),
    ];
    let group = company_group(&keys);
    assert_eq!(group.mode, GroupMode::Any);
    let fields: Vec<&str> = group.rules.iter().map(|rule| rule.field.as_str()).collect();
    assert_eq!(fields, [NAME_FIELD, NAME_FIELD, DOMAIN_FIELD, PAGE_FIELD]);
    let search = search_of(group);
    assert!(fits(&search));
    // The builder reads back what it wrote: the group shows in the builder, not as query code.
    let body = to_query(&search).unwrap();
    let read = crate::query::builder::from_query(&body).unwrap();
    assert_eq!(read, search);
}

#[test]
fn past_the_query_limits_the_companies_are_split_over_searches_that_each_fit() {
    let keys: Vec<CompanyKey> = (0..1_500)
        .map(|i| name(&format!("Company number {i}")))
        .collect();
    assert!(!fits(&search_of(company_group(&keys))));
    let searches = split_searches(&keys);
    assert!(searches.len() > 1, "{}", searches.len());
    let mut back = Vec::new();
    for search in &searches {
        assert!(fits(search));
        for rule in &search.groups[0].rules {
            back.extend(rule.values.iter().cloned());
        }
    }
    let names: Vec<String> = (0..1_500).map(|i| format!("Company number {i}")).collect();
    assert_eq!(back, names, "every company once, in order");
}

#[test]
fn the_same_company_twice_counts_once_and_nobody_is_listed_by_row() {
    let entries = CompanyEntries {
        entries: vec![
            CompanyEntry {
                row: 2,
                text: "Acme".into(),
                key: name("Acme"),
            },
            CompanyEntry {
                row: 3,
                text: "ACME".into(),
                key: name("ACME"),
            },
            CompanyEntry {
                row: 4,
                text: "nowhere.example".into(),
                key: CompanyKey::Domain("nowhere.example".into()),
            },
        ],
        problems: vec![],
        blank: 0,
        header_row: Some(1),
    };
    let (companies, duplicates) = distinct(&entries);
    assert_eq!((companies.len(), duplicates), (2, 1));
    let counted: Vec<_> = companies.into_iter().zip([12, 0]).collect();
    let report = company_report(
        ("c.csv", "Company"),
        &entries,
        &counted,
        duplicates,
        (12, 1, 2),
        None,
    );
    assert_eq!(
        report.nobody,
        [RowValue {
            row: 4,
            value: "nowhere.example".into()
        }]
    );
    assert_eq!(report.found_someone, 1);
    assert_eq!(
        report.summary,
        "12 people match these 2 companies. 1 company found nobody: check how it is written. 1 row names the same company as an earlier row."
    );
}

#[test]
fn five_thousand_companies_are_split_in_well_under_a_second_each_search_as_full_as_it_fits() {
    // Domains and names mixed: names are a clause each, domains share one.
    let keys: Vec<CompanyKey> = (0..5_000)
        .map(|i| match i % 3 {
            0 => CompanyKey::Domain(format!("company-number-{i}.com")),
            _ => name(&format!("Company Number {i} Holdings")),
        })
        .collect();
    let started = std::time::Instant::now();
    let searches = split_searches(&keys);
    let took = started.elapsed();
    // Checked with the query checker once per company, it took seconds on the async thread.
    eprintln!("split in {took:?}");
    assert!(took < std::time::Duration::from_secs(3), "{took:?}");
    let mut at = 0;
    for (index, search) in searches.iter().enumerate() {
        assert!(fits(search));
        let held = search.groups[0]
            .rules
            .iter()
            .map(|rule| match rule.field.as_str() {
                NAME_FIELD => 1,
                _ => rule.values.len(),
            })
            .sum::<usize>();
        assert_eq!(search, &search_of(company_group(&keys[at..at + held])));
        at += held;
        if index + 1 < searches.len() {
            // One more would not fit.
            assert!(!fits(&search_of(company_group(&keys[at - held..=at]))));
        }
    }
    assert_eq!(at, keys.len());
}
