//! Golden files: the shared sample and hostile text, in both layouts.

use super::*;

#[test]
fn the_sample_as_people_csv_matches_its_golden_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let people = options(ExportFormat::Csv, ExportLayout::People);
    let result = export_job(&[sample()], &out, "Python people", DAY, &people).unwrap();
    assert_eq!(result.people, 200);
    assert_eq!(result.paths, vec![out.join("python-people_2026-11-28.csv")]);
    assert_eq!(
        result.rows_per_sheet,
        vec![SheetRows {
            sheet: "People".into(),
            rows: 200
        }]
    );
    assert_eq!(
        names_in(&out),
        ["python-people_2026-11-28.csv"],
        "no temporary file left"
    );
    let head = export_job(&[sample_head(dir.path(), 25)], &out, "Head", DAY, &people).unwrap();
    assert_golden(&head.paths[0], "sample-people.csv");
}

#[test]
fn the_sample_as_full_csv_matches_its_golden_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let full = options(ExportFormat::Csv, ExportLayout::Full);
    let result = export_job(&[sample()], &out, "Python people", DAY, &full).unwrap();
    let sheets: Vec<(&str, u64)> = result
        .rows_per_sheet
        .iter()
        .map(|s| (s.sheet.as_str(), s.rows))
        .collect();
    assert_eq!(
        sheets,
        [
            ("People", 200),
            ("Experience", 527),
            ("Education", 222),
            ("Languages", 315),
            ("Certifications", 10),
            ("Awards", 0),
            ("Organizations", 0),
            ("Publications", 0),
            ("Patents", 0),
            ("Recommendations", 10)
        ]
    );
    let folder = out.join("python-people_2026-11-28_full");
    assert!(result
        .paths
        .iter()
        .all(|path| path.parent() == Some(folder.as_path())));
    assert_eq!(
        names_in(&out),
        ["python-people_2026-11-28_full"],
        "no temporary folder left"
    );
    let head = export_job(&[sample_head(dir.path(), 25)], &out, "Head", DAY, &full).unwrap();
    for path in &head.paths {
        let name = path.file_name().unwrap().to_string_lossy();
        assert_golden(path, &format!("sample-full/{name}"));
    }
}

#[test]
fn hostile_text_survives_both_layouts_as_golden_files() {
    let dir = tempfile::tempdir().unwrap();
    let file = gz(dir.path(), "hostile.json.gz", &hostile_records());
    let out = dir.path().join("out");
    let people = export_job(
        std::slice::from_ref(&file),
        &out,
        "Hostile",
        DAY,
        &options(ExportFormat::Csv, ExportLayout::People),
    )
    .unwrap();
    assert_golden(&people.paths[0], "hostile-people.csv");
    let full = export_job(
        &[file],
        &out,
        "Hostile",
        DAY,
        &options(ExportFormat::Csv, ExportLayout::Full),
    )
    .unwrap();
    for path in &full.paths {
        let name = path.file_name().unwrap().to_string_lossy();
        assert_golden(path, &format!("hostile-full/{name}"));
    }

    let rows = read_csv(&people.paths[0]);
    let column = |name: &str| rows[0].iter().position(|h| h == name).unwrap();
    let first = &rows[1];
    assert_eq!(first[column("Full name")], "Smith, \"Jo\"");
    assert_eq!(
        first[column("Current title")],
        "'=HYPERLINK(\"http://evil.example\",\"click\")"
    );
    assert_eq!(first[column("Current company")], "'-Minus Corp");
    assert_eq!(
        first[column("Location")],
        "Line one\nLine two\r\nLine three"
    );
    assert_eq!(first[column("Management level")], "'@admin");
    assert_eq!(first[column("Department")], "'\tTabbed");
    assert_eq!(
        first[column("Skills")],
        "c++; c#; \"quoted\"; 日本語; +plus"
    );
    assert_eq!(first[column("In current job since")], "2020-01");
    assert_eq!(first[column("Past position 1: company")], "Old Co");
    assert_eq!(
        first[column("Highest education: institution")],
        "Uni B",
        "PhD beats a later bachelor's"
    );
    let headline = &first[column("Headline")];
    assert_eq!(headline.encode_utf16().count(), CELL_LIMIT);
    assert!(headline.starts_with("Long xxx") && headline.ends_with(CUT_MARKER));
    // Fields this build does not know are kept as extra columns, after the known ones.
    assert_eq!(
        rows[0][rows[0].len() - 2..],
        ["future_field", "volunteering"]
    );
    assert_eq!(first[column("future_field")], "kept, not dropped");
    assert_eq!(rows[2][column("future_field")], "42");
    assert_eq!(rows[2][column("Full name")], "Zoë 😀 Ångström");
    assert_eq!(
        rows[2][column("Current company")],
        "Self",
        "empty top-level value: the current position's"
    );
    // In the full layout, a new list of objects is a sheet of its own.
    let sheets: Vec<&str> = full
        .rows_per_sheet
        .iter()
        .map(|s| s.sheet.as_str())
        .collect();
    assert_eq!(
        sheets,
        ["People", "Experience", "Education", "Volunteering"]
    );
    let volunteering = read_csv(full.paths.last().unwrap());
    assert_eq!(
        volunteering,
        [
            vec!["person_id", "role", "since"],
            vec!["1", "Coach", "2021-03-04"]
        ]
    );
}
