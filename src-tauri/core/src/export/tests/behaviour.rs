//! The workbook read back, dates, merging, column order, damaged input, replacing, names.

use calamine::{Data, Reader, Xlsx};
use serde_json::json;

use super::*;
use crate::error::Coded;

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
    let header: Vec<String> = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
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
fn a_damaged_line_is_named_and_nothing_is_left_behind() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.json.gz");
    let mut encoder = GzEncoder::new(std::fs::File::create(&path).unwrap(), Compression::fast());
    encoder
        .write_all(b"{\"id\": 1}\n\n{\"id\": 2, oops}\n")
        .unwrap();
    encoder.finish().unwrap();
    let out = dir.path().join("out");
    for format in [ExportFormat::Csv, ExportFormat::Xlsx] {
        let error = export_job(
            std::slice::from_ref(&path),
            &out,
            "Bad",
            DAY,
            &options(format, ExportLayout::Full),
        )
        .unwrap_err();
        assert!(
            matches!(&error, ExportError::Damaged { line: 3, .. }),
            "{error:?}"
        );
        assert!(
            error.user_message().contains("Line 3 of"),
            "{}",
            error.user_message()
        );
    }
    let missing = dir.path().join("missing.json.gz");
    let error = export_job(&[missing], &out, "Bad", DAY, &ExportOptions::default()).unwrap_err();
    assert_eq!(error.code(), crate::ErrorCode::Io);
    assert_eq!(
        export_job(&[], &out, "Bad", DAY, &ExportOptions::default()),
        Err(ExportError::NoFiles)
    );
    let left: Vec<String> = if out.exists() {
        names_in(&out)
    } else {
        Vec::new()
    };
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[test]
fn a_line_longer_than_64_mib_is_refused_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("endless.json.gz");
    let mut encoder = GzEncoder::new(std::fs::File::create(&path).unwrap(), Compression::fast());
    encoder.write_all(b"{\"id\": 1}\n\n").unwrap();
    let piece = vec![b'x'; 1024 * 1024];
    for _ in 0..=crate::local_files::MAX_LINE_BYTES / piece.len() {
        encoder.write_all(&piece).unwrap();
    }
    encoder.finish().unwrap();
    let error = export_job(
        std::slice::from_ref(&path),
        &dir.path().join("out"),
        "Endless",
        DAY,
        &options(ExportFormat::Csv, ExportLayout::People),
    )
    .unwrap_err();
    assert!(
        matches!(&error, ExportError::Damaged { line: 3, .. }),
        "{error:?}"
    );
    let message = error.user_message();
    assert!(
        message.contains("Line 3 of")
            && message.contains("is longer than 64 MiB: this is not a file of profiles"),
        "{message}"
    );
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
fn records_longer_than_a_read_block_and_many_files_keep_their_line_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let huge = "y".repeat(3 * 1024 * 1024);
    let first = gz(
        dir.path(),
        "a.json.gz",
        &[json!({"id": 1, "headline": huge}), json!({"id": 2})],
    );
    let path = dir.path().join("b.json.gz");
    let mut encoder = GzEncoder::new(std::fs::File::create(&path).unwrap(), Compression::fast());
    let mut text = String::new();
    for n in 0..20_000 {
        text.push_str(&format!(
            "{{\"id\": {}, \"full_name\": \"P{n}\"}}\n",
            n + 10
        ));
    }
    text.push_str("not json\n");
    encoder.write_all(text.as_bytes()).unwrap();
    encoder.finish().unwrap();
    let csv = options(ExportFormat::Csv, ExportLayout::People);
    let error = export_job(&[first.clone(), path], dir.path(), "Long", DAY, &csv).unwrap_err();
    assert!(
        matches!(&error, ExportError::Damaged { line: 20_001, path, .. } if path.ends_with("b.json.gz")),
        "{error:?}"
    );
    let result = export_job(&[first], dir.path(), "Long", DAY, &csv).unwrap();
    let rows = read_csv(&result.paths[0]);
    assert_eq!(rows.len(), 3);
    assert!(rows[1][2].ends_with(CUT_MARKER));
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
    let header: Vec<String> = people
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert!(
        header[1].starts_with("xxx") && header[1].ends_with(CUT_MARKER),
        "{}",
        &header[1][..20]
    );
    let row: Vec<String> = people
        .rows()
        .nth(1)
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
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
