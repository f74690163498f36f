use std::collections::BTreeSet;

use serde_json::Value;

use super::*;

fn held(id: i64, last_updated: Option<&str>) -> Held {
    Held {
        id,
        last_updated: last_updated.map(str::to_owned),
        last_collected_at: "2026-05-03T10:00:00Z".into(),
    }
}

/// Every `(date, ids)` group a search asks about.
fn groups_of(search: &Value) -> Vec<(String, Vec<i64>)> {
    search["query"]["bool"]["should"]
        .as_array()
        .unwrap()
        .iter()
        .map(|group| {
            let filter = &group["bool"]["filter"];
            let ids = filter[0]["terms"]["id"]
                .as_array()
                .unwrap()
                .iter()
                .map(|id| id.as_i64().unwrap())
                .collect();
            let date = filter[1]["range"]["last_updated"]["gt"]
                .as_str()
                .unwrap()
                .to_owned();
            (date, ids)
        })
        .collect()
}

#[test]
fn matches_split_into_new_changed_and_held_each_once_in_match_order() {
    let library = [
        held(2, Some("2025-01-01")),
        held(3, Some("2025-02-01")),
        held(4, None),
    ];
    let changed: BTreeSet<i64> = [3].into();
    let split = Split::of(&[1, 2, 3, 4, 1, 5], &library, &changed);
    assert_eq!(
        split.people,
        vec![
            (1, Standing::New),
            (2, Standing::Held),
            (3, Standing::Changed),
            (4, Standing::Changed),
            (5, Standing::New),
        ]
    );
    assert_eq!(
        (
            split.count(Standing::New),
            split.count(Standing::Changed),
            split.count(Standing::Held)
        ),
        (2, 2, 1)
    );
    assert_eq!(split.to_buy(), vec![1, 3, 4, 5]);
}

#[test]
fn every_held_person_with_a_date_is_asked_about_once_against_their_own_date() {
    let library: Vec<Held> = (1..=5_000)
        .map(|id| {
            let day = format!("2025-{:02}-{:02}", id % 12 + 1, id % 28 + 1);
            held(900_000_000 + id, Some(&day))
        })
        .chain([held(7, None)])
        .collect();
    let searches = changed_searches(&library);
    let mut asked = Vec::new();
    for search in &searches {
        assert!(
            search.to_string().len() <= MAX_QUERY_CHARS,
            "{} characters",
            search.to_string().len()
        );
        let groups = groups_of(search);
        assert!(groups.len() * CLAUSES_PER_GROUP <= MAX_BOOL_CLAUSES);
        assert_eq!(search["query"]["bool"]["minimum_should_match"], 1);
        for (date, ids) in groups {
            for id in ids {
                let person = library.iter().find(|p| p.id == id).unwrap();
                assert_eq!(person.last_updated.as_deref(), Some(date.as_str()));
                asked.push(id);
            }
        }
        crate::query::parse_query(&search.to_string())
            .unwrap_or_else(|error| panic!("the query checker refuses it: {error}"));
    }
    asked.sort_unstable();
    let expected: Vec<i64> = (1..=5_000).map(|id| 900_000_000 + id).collect();
    assert_eq!(asked, expected, "each dated person once, the undated none");
    assert!(
        searches.len() <= 5,
        "5,000 ids of 9 digits need about 4 searches of 15,000 characters, not {}",
        searches.len()
    );
}

#[test]
fn the_clause_limit_starts_a_new_search() {
    // One id per date: every group is tiny, so clauses run out before characters.
    let library: Vec<Held> = (0..400)
        .map(|n| held(n + 1, Some(&format!("2025-01-01T{n:04}"))))
        .collect();
    let searches = changed_searches_within(&library, 1_000_000, 30);
    assert_eq!(searches.len(), 40, "10 groups (30 clauses) a search");
    assert!(searches
        .iter()
        .all(|search| groups_of(search).len() * CLAUSES_PER_GROUP <= 30));
}

#[test]
fn limits_too_small_for_one_id_ask_nothing_rather_than_too_much() {
    let library = [held(123_456_789, Some("2025-01-01"))];
    assert!(changed_searches_within(&library, 20, 1_024).is_empty());
    assert!(changed_searches(&[]).is_empty());
}
