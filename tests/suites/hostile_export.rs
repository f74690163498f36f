//! Hostile input for the export, property-tested: arbitrary records (any JSON beside a small range
//! of ids) become one row per person, and damaged lines are named by line, never a panic.
//!
//! `make test` runs a small number of cases ([`DEFAULT_CASES`]); `make soak` sets `PROPTEST_CASES`
//! to run many more, and sums the `property <name>: <n> cases, 0 failures` lines.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::HashSet;
use std::io::Write;

use bulk_collect_tests::hostile::hostile_json;
use bulk_collect_tests::property::{cases, check};
use collect_core::export::{export_job, ExportFormat, ExportLayout, ExportOptions};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

/// Cases a property runs in `make test`, unless `PROPTEST_CASES` says otherwise.
const DEFAULT_CASES: u32 = 64;

/// Random records: an id from a small range (so repeats happen), maybe a text id, other fields
/// of any JSON.
fn records() -> impl Strategy<Value = Vec<Value>> {
    let id = prop_oneof![
        4 => (1i64..40).prop_map(Value::from),
        1 => "[a-z][a-z0-9]{0,5}".prop_map(Value::from),
    ];
    let record = (id, hostile_json()).prop_map(|(id, extra)| {
        let mut record = match extra {
            Value::Object(map) => map,
            other => Map::from_iter([("extra".to_owned(), other)]),
        };
        record.insert("id".to_owned(), id);
        Value::Object(record)
    });
    proptest::collection::vec(record, 1..40)
}

fn write_gz(path: &std::path::Path, records: &[Value]) {
    let file = std::fs::File::create(path).unwrap();
    let mut gz = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
    for record in records {
        writeln!(gz, "{record}").unwrap();
    }
    gz.finish().unwrap();
}

fn person_key(record: &Value) -> String {
    record["id"].to_string()
}

/// The export over arbitrary records: never a panic, one row per distinct id, in both layouts
/// and every format; the workbook holds exactly those rows (read back by calamine).
#[test]
fn the_export_of_arbitrary_records_has_one_row_per_person() {
    let input = (records(), 0usize..40);
    check(
        "the_export_of_arbitrary_records_has_one_row_per_person",
        cases(DEFAULT_CASES / 2),
        input,
        |(records, split)| {
            use calamine::Reader;
            let dir = tempfile::tempdir().unwrap();
            let split = split.min(records.len());
            let files = vec![
                dir.path().join("part-1.jsonl.gz"),
                dir.path().join("part-2.jsonl.gz"),
            ];
            write_gz(&files[0], &records[..split]);
            write_gz(&files[1], &records[split..]);
            let distinct: HashSet<String> = records.iter().map(person_key).collect();
            let date = time::macros::date!(2026 - 11 - 29);
            for (format, layout) in [
                (ExportFormat::Xlsx, ExportLayout::People),
                (ExportFormat::Xlsx, ExportLayout::Full),
                (ExportFormat::Csv, ExportLayout::People),
                (ExportFormat::Csv, ExportLayout::Full),
                (ExportFormat::Parquet, ExportLayout::People),
                (ExportFormat::Parquet, ExportLayout::Full),
            ] {
                let options = ExportOptions {
                    format,
                    layout,
                    ..ExportOptions::default()
                };
                let out = dir
                    .path()
                    .join(format!("out-{}-{layout:?}", format.extension()));
                let result = export_job(&files, &out, "hostile", date, &options).unwrap();
                prop_assert_eq!(result.people as usize, distinct.len());
                prop_assert_eq!(
                    result.duplicates_skipped as usize,
                    records.len() - distinct.len()
                );
                prop_assert_eq!(result.rows_per_sheet[0].rows as usize, distinct.len());
                if format == ExportFormat::Xlsx {
                    let mut workbook: calamine::Xlsx<_> =
                        calamine::open_workbook(&result.paths[0]).unwrap();
                    let sheet = workbook.worksheet_range_at(0).unwrap().unwrap();
                    prop_assert_eq!(
                        sheet.height(),
                        distinct.len() + 1,
                        "a header and one row per person"
                    );
                    // Every sheet (the Full layout's lists are named after the records' fields)
                    // reads back, under a name Excel accepts.
                    for name in workbook.sheet_names() {
                        prop_assert!(excel_accepts_sheet_name(&name), "sheet name {name:?}");
                        prop_assert!(workbook.worksheet_range(&name).is_ok(), "sheet {name:?}");
                    }
                }
                if format == ExportFormat::Parquet {
                    let bytes = std::fs::read(&result.paths[0]).unwrap();
                    prop_assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"));
                }
            }
            Ok(())
        },
    );
}

/// Excel's rules for a sheet name: 1 to 31 UTF-16 units, none of `[]:*?/\\`, no `'` at either
/// end, no control characters.
fn excel_accepts_sheet_name(name: &str) -> bool {
    let units = name.encode_utf16().count();
    (1..=31).contains(&units)
        && !name.contains(['[', ']', ':', '*', '?', '/', '\\'])
        && !name.starts_with('\'')
        && !name.ends_with('\'')
        && !name
            .chars()
            .any(|c| c.is_control() || c == '\u{fffe}' || c == '\u{ffff}')
}

/// A line of a result file: a record, a blank line, or something that is not a record.
fn jsonl_line() -> impl Strategy<Value = (String, bool)> {
    prop_oneof![
        4 => (1i64..20).prop_map(|id| (json!({"id": id, "full_name": "A"}).to_string(), true)),
        1 => "[ \t]{0,3}".prop_map(|blank| (blank, true)),
        1 => "[^\r\n]{1,30}".prop_map(|text| (text, false)),
        1 => Just(("[1, 2]".to_owned(), false)),
    ]
}

/// JSON Lines with damage anywhere: the export either works or names the first damaged line;
/// a gzip file cut anywhere is refused, never a panic.
#[test]
fn damaged_json_lines_are_named_by_line() {
    let input = (
        proptest::collection::vec(jsonl_line(), 1..30),
        any::<prop::sample::Index>(),
    );
    check(
        "damaged_json_lines_are_named_by_line",
        cases(DEFAULT_CASES),
        input,
        |(lines, cut)| {
            let dir = tempfile::tempdir().unwrap();
            let plain = dir.path().join("part.jsonl");
            let text: String = lines.iter().map(|(line, _)| format!("{line}\n")).collect();
            std::fs::write(&plain, &text).unwrap();
            // Blank as the export reads it: ASCII white space only.
            let blank = |line: &str| line.bytes().all(|b| b.is_ascii_whitespace());
            let first_bad = lines.iter().position(|(line, good)| !good && !blank(line));
            let options = ExportOptions {
                format: ExportFormat::Csv,
                ..ExportOptions::default()
            };
            let date = time::macros::date!(2026 - 11 - 29);
            let out = dir.path().join("out");
            match export_job(std::slice::from_ref(&plain), &out, "lines", date, &options) {
                Ok(_) => {
                    let records = lines.iter().filter(|(line, _)| !blank(line)).count();
                    prop_assert!(
                        first_bad.is_none() || records == 0,
                        "damage at line {:?} went unnoticed",
                        first_bad.map(|i| i + 1)
                    );
                }
                Err(error) => {
                    if let Some(index) = first_bad {
                        let expected = format!("line {} of", index + 1);
                        prop_assert!(
                            error.to_string().contains(&expected),
                            "{} (expected {})",
                            error,
                            expected
                        );
                    }
                }
            }
            let gz = dir.path().join("part.jsonl.gz");
            write_gz(&gz, &[json!({"id": 1, "full_name": "A"}), json!({"id": 2})]);
            let bytes = std::fs::read(&gz).unwrap();
            // Cut inside the file: at least one byte kept (an empty file is another case).
            std::fs::write(&gz, &bytes[..1 + cut.index(bytes.len() - 1)]).unwrap();
            prop_assert!(export_job(&[gz], &out, "cut", date, &options).is_err());
            Ok(())
        },
    );
}
