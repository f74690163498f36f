//! The workbook: read back cell by cell as the CSV, real dates, text never a formula, a person's own
//! column with a huge header or a formula still written.

use calamine::{Data, Reader, Xlsx};
use serde_json::json;

use super::*;

/// Row `n` of a sheet as text (row 0 is the header).
fn row_text(range: &calamine::Range<Data>, n: usize) -> Vec<String> {
    let row = range.rows().nth(n).unwrap();
    row.iter().map(|cell| cell.to_string()).collect()
}

#[test]
fn the_workbook_reads_back_cell_by_cell_as_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = gz(dir.path(), "hostile.json.gz", &hostile_records());
    for layout in [ExportLayout::People, ExportLayout::Full] {
        assert_xlsx_matches_csv(&[sample()], layout);
        assert_xlsx_matches_csv(std::slice::from_ref(&hostile), layout);
    }
}

#[test]
fn dates_are_real_dates_in_the_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let file = gz(dir.path(), "one.json.gz", &hostile_records()[..1]);
    let result = export_job(&[file], dir.path(), "Dates", DAY, &ExportOptions::default()).unwrap();
    assert_eq!(result.paths, vec![dir.path().join("dates_2026-11-28.xlsx")]);
    let mut workbook: Xlsx<_> = calamine::open_workbook(&result.paths[0]).unwrap();
    let range = workbook.worksheet_range("People").unwrap();
    let header = row_text(&range, 0);
    let at = |name: &str| header.iter().position(|h| h == name).unwrap() as u32;
    let Some(Data::DateTime(updated)) = range.get_value((1, at("Last updated"))) else {
        panic!(
            "Last updated is not a date: {:?}",
            range.get_value((1, at("Last updated")))
        );
    };
    assert_eq!(updated.as_f64(), 45675.0, "2025-01-18");
    assert!(matches!(range.get_value((1, at("Person ID"))), Some(Data::Float(id)) if *id == 1.0));
    // Text is never a formula in the workbook, guarded or not.
    assert_eq!(
        range.get_value((1, at("Current title"))),
        Some(&Data::String(
            "=HYPERLINK(\"http://evil.example\",\"click\")".into()
        ))
    );
}

#[test]
fn a_persons_own_column_with_a_huge_header_or_formula_still_exports_to_a_workbook() {
    // The header of a column of the person's list is any cell of their file: 40,000 characters
    // is more than Excel holds in one cell.
    let dir = tempfile::tempdir().unwrap();
    let file = gz(
        dir.path(),
        "a.json.gz",
        &[json!({"id": 7, "full_name": "Ann"})],
    );
    let long = "x".repeat(40_000);
    let own = OwnColumns {
        columns: vec![long.clone(), "=HYPERLINK(\"http://evil\")".into()],
        by_id: std::collections::HashMap::from([(
            7,
            (2, vec!["A-1".to_owned(), "=cmd|' /C calc'!A0".to_owned()]),
        )]),
    };
    let not_found = TextSheet {
        name: "Not found".into(),
        file_end: "not_found".into(),
        columns: vec!["Row in your list".into(), long.clone()],
        rows: vec![vec!["3".into(), "=1+1".into()]],
    };
    let additions = Additions {
        marks: None,
        own: Some(&own),
        sheets: std::slice::from_ref(&not_found),
    };
    let out = dir.path().join("out");
    let written = export_with(
        std::slice::from_ref(&file),
        &out,
        "people",
        &options(ExportFormat::Xlsx, ExportLayout::People),
        additions,
    )
    .unwrap();
    let mut workbook: Xlsx<_> = calamine::open_workbook(&written.paths[0]).unwrap();
    let people = workbook.worksheet_range("People").unwrap();
    let header = row_text(&people, 0);
    assert!(
        header[1].starts_with("xxx") && header[1].ends_with(CUT_MARKER),
        "{}",
        &header[1][..20]
    );
    let row = row_text(&people, 1);
    assert_eq!(row[..3], ["2", "A-1", "=cmd|' /C calc'!A0"]);
    // The CSV keeps a formula text too.
    let csv = export_with(
        &[file],
        &dir.path().join("csv"),
        "people",
        &options(ExportFormat::Csv, ExportLayout::People),
        additions,
    )
    .unwrap();
    let rows = read_csv(&csv.paths[0]);
    assert_eq!(rows[0][2], "'=HYPERLINK(\"http://evil\")");
    assert_eq!(rows[1][2], "'=cmd|' /C calc'!A0");
}
