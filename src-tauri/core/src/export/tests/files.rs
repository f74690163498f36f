//! Files in and out: several merged with each person once, every file readable by its owner only,
//! a second export replacing the first whole, names as safe slugs of the job and the date.

use serde_json::json;

use super::*;

#[test]
fn files_are_merged_and_people_deduplicated_first_wins() {
    let dir = tempfile::tempdir().unwrap();
    let first = gz(
        dir.path(),
        "part-0.json.gz",
        &[
            json!({"id": 1, "full_name": "First copy", "experience": [{"title": "A"}]}),
            json!({"id": 2, "full_name": "Two"}),
        ],
    );
    let second = gz(
        dir.path(),
        "part-1.json.gz",
        &[
            json!({"id": 1, "full_name": "Second copy", "experience": [{"title": "B"}, {"title": "C"}]}),
            json!({"id": 3, "full_name": "Three"}),
            json!({"id": 2, "full_name": "Two again"}),
        ],
    );
    let result = export_job(
        &[first, second],
        dir.path(),
        "Merged",
        DAY,
        &options(ExportFormat::Csv, ExportLayout::Full),
    )
    .unwrap();
    assert_eq!(result.people, 3);
    assert_eq!(result.duplicates_skipped, 2);
    let people = read_csv(&result.paths[0]);
    let names: Vec<&str> = people[1..].iter().map(|row| row[1].as_str()).collect();
    assert_eq!(names, ["First copy", "Two", "Three"]);
    let experience = read_csv(&result.paths[1]);
    assert_eq!(experience, [vec!["person_id", "title"], vec!["1", "A"]]);
}

#[cfg(unix)]
#[test]
fn every_exported_file_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let input = sample_head(dir.path(), 20);
    let mut written = Vec::new();
    for format in [ExportFormat::Csv, ExportFormat::Xlsx] {
        for layout in [ExportLayout::People, ExportLayout::Full] {
            let out = dir.path().join(format!("{format:?}-{layout:?}"));
            let options = options(format, layout);
            let result = export_job(std::slice::from_ref(&input), &out, "Mode", DAY, &options);
            written.extend(result.unwrap().paths);
        }
    }
    assert!(written.len() > 4, "a folder of CSV files too: {written:?}");
    for path in written {
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{}", path.display());
    }
}

#[test]
fn a_second_export_replaces_the_first_whole() {
    let dir = tempfile::tempdir().unwrap();
    let big = gz(
        dir.path(),
        "big.json.gz",
        &[
            json!({"id": 1, "experience": [{"title": "A"}]}),
            json!({"id": 2}),
        ],
    );
    let small = gz(dir.path(), "small.json.gz", &[json!({"id": 3})]);
    let out = dir.path().join("out");
    for format in [ExportFormat::Csv, ExportFormat::Xlsx] {
        let full = options(format, ExportLayout::Full);
        export_job(std::slice::from_ref(&big), &out, "Again", DAY, &full).unwrap();
        let result = export_job(std::slice::from_ref(&small), &out, "Again", DAY, &full).unwrap();
        assert_eq!(result.people, 1);
        assert_eq!(
            result.rows_per_sheet.len(),
            1,
            "no Experience sheet from the first export"
        );
    }
    assert_eq!(
        names_in(&out),
        ["again_2026-11-28_full", "again_2026-11-28_full.xlsx"]
    );
    assert_eq!(names_in(&out.join("again_2026-11-28_full")), ["People.csv"]);
}

#[test]
fn names_are_safe_slugs_of_the_job_and_the_date() {
    assert_eq!(
        export_name("Python people", DAY, ExportLayout::People),
        "python-people_2026-11-28"
    );
    assert_eq!(
        export_name("Python people", DAY, ExportLayout::Full),
        "python-people_2026-11-28_full"
    );
    assert_eq!(slug("../../etc/passwd"), "etc-passwd");
    assert_eq!(slug("Zoë: Ångström?"), "zoë-ångström");
    assert_eq!(slug("  ***  "), "export");
    assert_eq!(slug(&"a".repeat(500)).len(), 60);
}
