//! What the People screen asks of the library: one person's details, and a selection of people
//! exported with the job exporters (real database file, real files).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use calamine::Reader as _;

use super::tests::{gzip, id_of, sample_lines, setup};
use super::*;
use crate::export::{ExportFormat, ExportLayout, ExportOptions};

fn options(format: ExportFormat) -> ExportOptions {
    ExportOptions {
        format,
        layout: ExportLayout::People,
        past_positions: 3,
    }
}

/// The ids in the first column of a CSV export, header left out.
fn csv_ids(path: &str) -> Vec<i64> {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("Person ID,"), "{header}");
    lines
        .map(|line| {
            line.split(',')
                .next()
                .unwrap()
                .trim_matches('"')
                .parse()
                .unwrap()
        })
        .collect()
}

#[test]
fn a_person_s_details_name_where_they_live_and_the_collections_that_brought_them() {
    let setup = setup();
    let lines = sample_lines();
    let first = gzip(setup.dir.path(), "a.json.gz", &lines[..10]);
    let second = gzip(setup.dir.path(), "b.json.gz", &lines[5..20]);
    setup.library.ingest(CLEAN_EMPLOYEE, 1, &[first]).unwrap();
    setup.library.ingest(CLEAN_EMPLOYEE, 2, &[second]).unwrap();
    let id = id_of(&lines[7]);

    let details = setup.library.details(CLEAN_EMPLOYEE, id).unwrap().unwrap();
    let found = setup.library.search(CLEAN_EMPLOYEE, None, 1).unwrap();
    let listed = found.people.iter().find(|person| person.id == id).unwrap();
    assert_eq!(details.id, id);
    assert_eq!(Some(details.name.clone()), listed.name);
    assert_eq!(Some(details.company.clone()), listed.company);
    assert!(!details.location.is_empty(), "{details:?}");
    assert_eq!((details.first.job, details.last.job), (1, 2));
    assert_eq!(details.first.name, None, "no such job in this database");

    assert_eq!(setup.library.details(CLEAN_EMPLOYEE, 42).unwrap(), None);
    assert!(setup.library.forget(CLEAN_EMPLOYEE, id).unwrap());
    assert_eq!(setup.library.details(CLEAN_EMPLOYEE, id).unwrap(), None);
}

#[test]
fn chosen_people_export_to_csv_with_nobody_else_and_no_temporary_file_left() {
    let setup = setup();
    let lines = sample_lines();
    let file = gzip(setup.dir.path(), "a.json.gz", &lines);
    setup.library.ingest(CLEAN_EMPLOYEE, 1, &[file]).unwrap();
    let chosen = vec![id_of(&lines[3]), id_of(&lines[50]), id_of(&lines[120]), 1];
    let out = setup.dir.path().join("out");

    let exported = setup
        .library
        .export(
            CLEAN_EMPLOYEE,
            &PeopleSelection::Chosen {
                ids: chosen.clone(),
            },
            &out,
            "people_2026-12-07",
            &options(ExportFormat::Csv),
        )
        .unwrap();

    assert_eq!(exported.people, 3, "id 1 is not held");
    assert_eq!(exported.paths.len(), 1);
    assert!(exported.paths[0].ends_with("people_2026-12-07.csv"));
    let mut ids = csv_ids(&exported.paths[0]);
    ids.sort_unstable();
    let mut wanted = chosen[..3].to_vec();
    wanted.sort_unstable();
    assert_eq!(ids, wanted);
    let left: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        left,
        ["people_2026-12-07.csv"],
        "the temporary copy is removed"
    );
}

#[test]
fn everyone_a_search_finds_exports_to_excel_in_the_search_s_order() {
    let setup = setup();
    let lines = sample_lines();
    let file = gzip(setup.dir.path(), "a.json.gz", &lines);
    setup.library.ingest(CLEAN_EMPLOYEE, 1, &[file]).unwrap();
    // A country some but not all of them live in.
    let counts = setup.library.counts(CLEAN_EMPLOYEE, None).unwrap();
    let country = counts
        .countries
        .iter()
        .find(|count| count.people > 1 && count.people < 200)
        .unwrap()
        .value
        .clone();
    let found = setup
        .library
        .search(CLEAN_EMPLOYEE, Some(&country), 1)
        .unwrap();
    assert!(found.total > 1 && found.total < 200, "{}", found.total);

    let selection = PeopleSelection::Matching {
        text: Some(country),
    };
    let exported = setup
        .library
        .export(
            CLEAN_EMPLOYEE,
            &selection,
            setup.dir.path(),
            "people",
            &options(ExportFormat::Xlsx),
        )
        .unwrap();

    assert_eq!(exported.people, found.total);
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&exported.paths[0]).unwrap();
    let sheet = workbook.worksheet_range_at(0).unwrap().unwrap();
    let ids: Vec<String> = sheet
        .rows()
        .skip(1)
        .take(found.people.len())
        .map(|row| row[0].to_string())
        .collect();
    let listed: Vec<String> = found.people.iter().map(|p| p.id.to_string()).collect();
    assert_eq!(ids, listed);
}

#[test]
fn an_export_of_no_one_is_refused_in_words_and_writes_nothing() {
    let setup = setup();
    let out = setup.dir.path().join("out");
    let error = setup
        .library
        .export(
            CLEAN_EMPLOYEE,
            &PeopleSelection::Chosen { ids: vec![] },
            &out,
            "people",
            &options(ExportFormat::Csv),
        )
        .unwrap_err();
    assert!(matches!(error, LibraryError::NothingToExport), "{error:?}");
    assert_eq!(
        error.to_string(),
        "No one is selected, so nothing was exported."
    );
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 0);
}
