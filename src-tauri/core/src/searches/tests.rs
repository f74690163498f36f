//! Saved searches against a real SQLite file: saving, renaming on clashes, duplicates, deletion,
//! and the shared file read back, including a broken one.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::error::ErrorCode;
use crate::UserError;

const PYTHON: &str = r#"{"query": {"match": {"skills": "python"}}}"#;

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db.sqlite3")).unwrap();
    (dir, store)
}

fn new(name: &str, query: &str, limit: Option<u32>) -> SearchToSave {
    SearchToSave {
        id: None,
        name: name.to_owned(),
        query_text: query.to_owned(),
        limit,
    }
}

#[test]
fn a_search_is_saved_renamed_duplicated_and_deleted() {
    let (_dir, store) = store();
    let first = save_search(&store, &new("  Python people ", PYTHON, Some(100))).unwrap();
    assert_eq!(first.name, "Python people");
    assert_eq!(first.limit, Some(100));
    let clash = save_search(&store, &new("python PEOPLE", PYTHON, None)).unwrap();
    assert_eq!(
        clash.name, "python PEOPLE (2)",
        "names are unique, ignoring case"
    );

    let renamed = save_search(
        &store,
        &SearchToSave {
            id: Some(first.id),
            ..new("Python, Germany", PYTHON, Some(50))
        },
    )
    .unwrap();
    assert_eq!((renamed.id, renamed.limit), (first.id, Some(50)));

    let copy = duplicate_search(&store, first.id).unwrap();
    assert_eq!(copy.name, "Python, Germany (copy)");
    assert_eq!(copy.query_text, PYTHON);
    assert_ne!(copy.id, first.id);

    store.delete_search(first.id).unwrap();
    store.delete_search(first.id).unwrap();
    let names: Vec<String> = store
        .saved_searches()
        .unwrap()
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(names, ["python PEOPLE (2)", "Python, Germany (copy)"]);
}

#[test]
fn a_search_with_a_bad_query_name_or_limit_is_refused_in_plain_words() {
    let (_dir, store) = store();
    let error = save_search(&store, &new("Broken", r#"{"query": {"match": "#, None)).unwrap_err();
    let shown = UserError::from(error);
    assert_eq!(shown.code, ErrorCode::InvalidQuery);
    assert!(shown.message.contains("line 1"), "{}", shown.message);

    let unnested = r#"{"query": {"match": {"experience.title": "cto"}}}"#;
    let error = save_search(&store, &new("Unnested", unnested, None)).unwrap_err();
    assert!(matches!(error, SearchError::Query(_)), "{error:?}");

    for name in ["", "   ", &"x".repeat(MAX_NAME_CHARS + 1)] {
        let error = save_search(&store, &new(name, PYTHON, None)).unwrap_err();
        assert!(matches!(error, SearchError::Name), "{name:?}");
    }
    for limit in [0, 10_001] {
        let error = save_search(&store, &new("Limit", PYTHON, Some(limit))).unwrap_err();
        assert!(matches!(error, SearchError::Limit), "{limit}");
    }
    let error = duplicate_search(&store, 999).unwrap_err();
    assert_eq!(UserError::from(error).code, ErrorCode::NotFound);
    assert!(store.saved_searches().unwrap().is_empty(), "nothing saved");
}

#[test]
fn searches_shared_as_a_file_come_back_the_same() {
    let (dir, store) = store();
    let a = save_search(&store, &new("A: Python", PYTHON, Some(100))).unwrap();
    save_search(
        &store,
        &new(
            "B: all CTOs",
            r#"{"query": {"match": {"job_title": "cto"}}}"#,
            None,
        ),
    )
    .unwrap();
    let path = dir.path().join("shared.json");
    assert_eq!(export_searches(&store, &[a.id], &path).unwrap(), 1);
    assert_eq!(export_searches(&store, &[], &path).unwrap(), 2);
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(written["bulk_collect_searches"], 1);
    assert_eq!(
        written["searches"][0]["query"]["query"]["match"]["skills"],
        "python"
    );

    let (_other_dir, colleague) = self::store();
    let report = import_searches(&colleague, &path).unwrap();
    assert!(report.skipped.is_empty(), "{report:?}");
    let got: Vec<(String, Option<u32>)> = report
        .added
        .iter()
        .map(|s| (s.name.clone(), s.limit))
        .collect();
    assert_eq!(
        got,
        [
            ("A: Python".to_owned(), Some(100)),
            ("B: all CTOs".to_owned(), None)
        ]
    );
    let query = crate::query::parse_query(&report.added[0].query_text).unwrap();
    assert_eq!(query.body, crate::query::parse_query(PYTHON).unwrap().body);

    // Importing again keeps both copies apart.
    let again = import_searches(&colleague, &path).unwrap();
    assert_eq!(again.added[0].name, "A: Python (2)");
}

#[test]
fn a_file_with_bad_entries_imports_the_good_ones_and_names_the_rest() {
    let (dir, store) = store();
    let path = dir.path().join("mixed.json");
    std::fs::write(
        &path,
        r#"{"bulk_collect_searches": 1, "searches": [
            {"name": "Good", "query": {"query": {"match": {"skills": "rust"}}}, "limit": 20},
            {"name": "No query"},
            {"query": {"query": {"match_all": {}}}},
            {"name": "Nested wrong", "query": {"query": {"term": {"experience.company_name": "x"}}}},
            {"name": "Too many", "query": {"query": {"match_all": {}}}, "limit": 20000},
            {"name": "Text", "query": "{\"query\": {\"match\": {\"headline\": \"cto\"}}}"}
        ]}"#,
    )
    .unwrap();
    let report = import_searches(&store, &path).unwrap();
    let added: Vec<&str> = report.added.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(added, ["Good", "Text"]);
    let skipped: Vec<(usize, &str)> = report
        .skipped
        .iter()
        .map(|s| (s.position, s.reason.as_str()))
        .collect();
    assert_eq!(skipped[0], (2, "It has no query."));
    assert_eq!(skipped[1], (3, "It has no name."));
    assert_eq!(skipped[2].0, 4);
    assert!(skipped[2].1.contains("nested"), "{}", skipped[2].1);
    assert_eq!(skipped[3].0, 5);
    assert_eq!(report.skipped[0].name.as_deref(), Some("No query"));
}

#[test]
fn a_single_query_file_is_imported_under_its_name_and_junk_is_refused() {
    let (dir, store) = store();
    let single = dir.path().join("cto-search.json");
    std::fs::write(
        &single,
        r#"{"bool": {"must": [{"match": {"job_title": "cto"}}]}}"#,
    )
    .unwrap();
    let report = import_searches(&store, &single).unwrap();
    assert_eq!(report.added[0].name, "cto-search");
    assert!(report.added[0].query_text.contains("\"query\""));

    let binary = dir.path().join("photo.json");
    std::fs::write(&binary, [0xff, 0xd8, 0xff, 0x00]).unwrap();
    let message = import_searches(&store, &binary).unwrap_err().to_string();
    assert_eq!(
        message,
        "photo.json cannot be imported: it is not a text file (JSON)."
    );

    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{\n  \"searches\": [\n").unwrap();
    let message = import_searches(&store, &broken).unwrap_err().to_string();
    assert!(
        message.starts_with("broken.json cannot be imported: it is not valid JSON (line 3"),
        "{message}"
    );

    let missing = import_searches(&store, &dir.path().join("nope.json")).unwrap_err();
    assert_eq!(UserError::from(missing).code, ErrorCode::InvalidInput);
    assert_eq!(store.saved_searches().unwrap().len(), 1);
}

#[test]
fn an_export_to_a_missing_folder_fails_without_leaving_a_file() {
    let (dir, store) = store();
    save_search(&store, &new("A", PYTHON, None)).unwrap();
    let path = dir.path().join("no-such-folder").join("out.json");
    let message = export_searches(&store, &[], &path).unwrap_err().to_string();
    assert!(message.contains("could not be written"), "{message}");
    assert!(!path.exists());
}

#[test]
fn names_lose_hidden_characters_and_stay_within_the_longest_name_when_renamed() {
    let (_dir, store) = store();
    let sneaky = save_search(
        &store,
        &new("Py\u{202E}thon\u{0}\u{200B} people", PYTHON, None),
    )
    .unwrap();
    assert_eq!(sneaky.name, "Python people");
    let long = "x".repeat(MAX_NAME_CHARS);
    save_search(&store, &new(&long, PYTHON, None)).unwrap();
    let second = save_search(&store, &new(&long, PYTHON, None)).unwrap();
    assert_eq!(second.name.chars().count(), MAX_NAME_CHARS);
    assert!(second.name.ends_with(" (2)"), "{}", second.name);
    // The renamed one can be saved again as it is.
    let again = SearchToSave {
        id: Some(second.id),
        ..new(&second.name, PYTHON, None)
    };
    assert_eq!(save_search(&store, &again).unwrap().name, second.name);
}

#[test]
fn an_imported_search_that_does_not_say_how_many_asks_for_the_default_not_every_match() {
    let (dir, store) = store();
    let path = dir.path().join("two.json");
    std::fs::write(
        &path,
        r#"{"bulk_collect_searches": 1, "searches": [
            {"name": "Unsaid", "query": {"query": {"match": {"skills": "go"}}}},
            {"name": "Every match", "query": {"query": {"match": {"skills": "go"}}}, "limit": null}
        ]}"#,
    )
    .unwrap();
    let report = import_searches(&store, &path).unwrap();
    let limits: Vec<Option<u32>> = report.added.iter().map(|s| s.limit).collect();
    assert_eq!(limits, [Some(DEFAULT_LIMIT), None]);
    let single = dir.path().join("one.json");
    std::fs::write(&single, PYTHON).unwrap();
    assert_eq!(
        import_searches(&store, &single).unwrap().added[0].limit,
        Some(DEFAULT_LIMIT)
    );
}
