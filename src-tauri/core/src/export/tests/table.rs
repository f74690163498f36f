//! The results table: the people read from real files once each, then searched, sorted and paged.

use super::*;

fn person(id: u64, name: &str, title: &str, company: &str, country: &str) -> Value {
    json!({
        "id": id,
        "full_name": name,
        "job_title": title,
        "company_name": company,
        "location_country": country,
        "location_full": format!("Somewhere, {country}"),
        "experience": [],
    })
}

fn query(search: &str, sort: PeopleSort, descending: bool, offset: u32, limit: u32) -> PeopleQuery {
    PeopleQuery {
        search: search.into(),
        sort,
        descending,
        offset,
        limit,
    }
}

#[test]
fn the_shared_sample_reads_as_one_row_per_person() {
    let people = read_people(&[sample()]).unwrap();
    assert!(people.len() >= 25, "{} people", people.len());
    let first = &people[0];
    assert!(!first.id.is_empty() && !first.name.is_empty());
    let filled = people
        .iter()
        .filter(|p| !p.title.is_empty() && !p.company.is_empty());
    assert!(
        filled.count() * 2 > people.len(),
        "most people have a current job"
    );
}

#[test]
fn a_person_in_two_files_is_one_row_and_the_current_position_fills_a_missing_title() {
    let dir = tempfile::tempdir().unwrap();
    let mut no_title = person(3, "Cleo", "", "", "Chile");
    no_title["job_title"] = Value::Null;
    no_title["company_name"] = Value::Null;
    no_title["experience"] = json!([
        {"title": "Baker", "company_name": "Old Mill", "date_from": "2019-01", "date_to": "2020-01"},
        {"title": "Head chef", "company_name": "Noma", "date_from": "2021-01", "date_to": null}
    ]);
    let a = gz(
        dir.path(),
        "a.json.gz",
        &[person(1, "Ann", "Engineer", "Acme", "Lithuania"), no_title],
    );
    let b = gz(
        dir.path(),
        "b.json.gz",
        &[
            person(1, "Ann again", "", "", ""),
            person(2, "Bo", "Analyst", "Beta", "Estonia"),
        ],
    );
    let people = read_people(&[a, b]).unwrap();
    let names: Vec<&str> = people.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        ["Ann", "Cleo", "Bo"],
        "the first record of an id wins"
    );
    assert_eq!(
        (people[1].title.as_str(), people[1].company.as_str()),
        ("Head chef", "Noma")
    );
    assert_eq!(people[0].id, "1");
}

#[test]
fn search_sort_and_pages_work_on_the_whole_list_not_the_page() {
    let people: Vec<PersonRow> = (1..=250)
        .map(|n| PersonRow {
            id: n.to_string(),
            name: format!("Person {n:03}"),
            title: if n % 2 == 0 {
                "Engineer".into()
            } else {
                "Chef".into()
            },
            company: if n == 7 {
                String::new()
            } else {
                format!("Company {}", 250 - n)
            },
            country: "Lithuania".into(),
            location: "Vilnius, Lithuania".into(),
        })
        .collect();
    let first = page(&people, &query("", PeopleSort::File, false, 0, 50));
    assert_eq!(
        (first.total, first.matching, first.rows.len()),
        (250, 250, 50)
    );
    assert_eq!(first.rows[0].name, "Person 001");

    let chefs = page(&people, &query("  CHEF ", PeopleSort::Name, true, 100, 50));
    assert_eq!(chefs.matching, 125);
    assert_eq!(chefs.rows.len(), 25, "the last page is short");
    assert_eq!(
        chefs.rows[0].name, "Person 049",
        "sorted by name, largest first, then paged"
    );

    let by_company = page(&people, &query("", PeopleSort::Company, false, 0, 500));
    assert_eq!(by_company.rows[0].company, "Company 0");
    assert_eq!(
        by_company.rows.last().unwrap().id,
        "7",
        "an empty value goes last"
    );
    let backwards = page(&people, &query("", PeopleSort::Company, true, 0, 500));
    assert_eq!(
        backwards.rows.last().unwrap().id,
        "7",
        "last in either direction"
    );

    let capped = page(&people, &query("", PeopleSort::File, false, 0, 100_000));
    assert_eq!(capped.rows.len(), MAX_PAGE_ROWS.min(250) as usize);
    let past_the_end = page(&people, &query("", PeopleSort::File, false, 900, 50));
    assert!(past_the_end.rows.is_empty());
    let nobody = page(&people, &query("astronaut", PeopleSort::File, false, 0, 50));
    assert_eq!((nobody.total, nobody.matching), (250, 0));
}
