//! Columns: a stable order whatever order the records use, a field first seen late still gets its
//! column, past positions as a parameter.

use serde_json::json;

use super::*;

#[test]
fn columns_keep_a_stable_order_whatever_order_the_records_use() {
    let dir = tempfile::tempdir().unwrap();
    let one = gz(
        dir.path(),
        "a.json.gz",
        &[json!({"zeta": 1, "full_name": "A", "id": 1})],
    );
    let two = gz(
        dir.path(),
        "b.json.gz",
        &[json!({"id": 2, "full_name": "B", "alpha": 2, "zeta": 3})],
    );
    let full = options(ExportFormat::Csv, ExportLayout::Full);
    let header = |files: &[PathBuf], name: &str| {
        let result = export_job(files, dir.path(), name, DAY, &full).unwrap();
        read_csv(&result.paths[0]).remove(0)
    };
    assert_eq!(
        header(&[one.clone(), two.clone()], "x"),
        ["id", "full_name", "zeta", "alpha"]
    );
    assert_eq!(
        header(&[two, one], "y"),
        ["id", "full_name", "alpha", "zeta"]
    );
}

#[test]
fn past_positions_is_a_parameter() {
    let dir = tempfile::tempdir().unwrap();
    let file = gz(
        dir.path(),
        "p.json.gz",
        &[json!({"id": 1, "experience": [
            {"title": "Now", "order_in_profile": 1},
            {"title": "Before", "date_to": "2020-01", "order_in_profile": 2},
            {"title": "Long ago", "date_to": "2010-01", "order_in_profile": 3},
        ]})],
    );
    let one = ExportOptions {
        past_positions: 1,
        ..options(ExportFormat::Csv, ExportLayout::People)
    };
    let result = export_job(&[file], dir.path(), "P", DAY, &one).unwrap();
    let rows = read_csv(&result.paths[0]);
    let past: Vec<&String> = rows[0]
        .iter()
        .filter(|h| h.starts_with("Past position"))
        .collect();
    assert_eq!(
        past,
        [
            "Past position 1: title",
            "Past position 1: company",
            "Past position 1: from",
            "Past position 1: to"
        ]
    );
    let at = rows[0]
        .iter()
        .position(|h| h == "Past position 1: title")
        .unwrap();
    assert_eq!(rows[1][at], "Before");
    assert_eq!(
        rows[1][3], "Now",
        "the current title comes from the current position"
    );
}

#[test]
fn a_field_first_seen_after_the_first_thousand_records_still_gets_its_column() {
    let dir = tempfile::tempdir().unwrap();
    let mut records: Vec<Value> = (0..1_500)
        .map(|n| json!({"id": n, "full_name": format!("P{n}"), "experience": [{"title": "A"}]}))
        .collect();
    records[1_300] = json!({
        "id": 1_300, "late_field": "late", "full_name": "Late",
        "experience": [{"title": "B", "late_key": 7}], "late_list": [{"k": 1}],
    });
    records.push(json!({"id": 5, "full_name": "Duplicate, not exported"}));
    let file = gz(dir.path(), "late.json.gz", &records);
    let people = options(ExportFormat::Csv, ExportLayout::People);
    let result = export_job(
        std::slice::from_ref(&file),
        dir.path(),
        "Late",
        DAY,
        &people,
    )
    .unwrap();
    assert_eq!((result.people, result.duplicates_skipped), (1_500, 1));
    let rows = read_csv(&result.paths[0]);
    assert_eq!(rows[0].last().unwrap(), "late_list");
    let late = rows[0].iter().position(|h| h == "late_field").unwrap();
    assert_eq!(rows[1_301][late], "late");
    assert_eq!(rows[1_301][late + 1], r#"[{"k":1}]"#);

    let full = options(ExportFormat::Csv, ExportLayout::Full);
    let result = export_job(&[file], dir.path(), "Late", DAY, &full).unwrap();
    let sheets: Vec<(&str, u64)> = result
        .rows_per_sheet
        .iter()
        .map(|s| (s.sheet.as_str(), s.rows))
        .collect();
    assert_eq!(
        sheets,
        [("People", 1_500), ("Experience", 1_500), ("Late list", 1)]
    );
    assert_eq!(
        read_csv(&result.paths[0])[0],
        ["id", "full_name", "late_field"]
    );
    let experience = read_csv(&result.paths[1]);
    assert_eq!(experience[0], ["person_id", "title", "late_key"]);
    assert_eq!(experience[1_301], ["1300", "B", "7"]);
    assert_eq!(
        names_in(dir.path()),
        [
            "late.json.gz",
            "late_2026-11-28.csv",
            "late_2026-11-28_full"
        ]
    );
}
