//! Hostile input, property-tested: the ID-file reader, the query parser and checker, and the export
//! over arbitrary records never panic, and keep their promises on every generated input.
//!
//! `make test` runs a small number of cases ([`DEFAULT_CASES`]); `make soak` sets `PROPTEST_CASES`
//! to run many more. Each property prints how many cases it ran (`property <name>: <n> cases, 0
//! failures`, see `bulk_collect_tests::property`); a failing case is shrunk and printed.

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use std::collections::HashSet;
use std::io::Write;

use bulk_collect_tests::property::{cases, check};
use collect_core::error::Coded;
use collect_core::export::{export_job, ExportFormat, ExportLayout, ExportOptions};
use collect_core::ids::{parse_id_list, IdFileError};
use collect_core::query::{check_query, parse_query};
use collect_core::ErrorCode;
use proptest::prelude::*;
use serde_json::{json, Map, Value};

/// Cases a property runs in `make test`, unless `PROPTEST_CASES` says otherwise.
const DEFAULT_CASES: u32 = 64;

/// One line of a generated ID file, and what the reader must make of it.
#[derive(Debug, Clone)]
enum Line {
    /// A valid ID, written plain, padded with spaces, or quoted.
    Id(u64, u8),
    /// Nothing, or only spaces.
    Blank(u8),
    /// A value that is not an ID (negative, scientific, hex, a word, a decimal, zero, too long…).
    Bad(&'static str),
}

const BAD_VALUES: [&str; 9] = [
    "-5",
    "1e5",
    "0x10",
    "alice",
    "12.5",
    "0",
    "+7",
    "99999999999999999999999",
    "12 34",
];

fn line() -> impl Strategy<Value = Line> {
    prop_oneof![
        6 => (1u64..2_000, any::<u8>()).prop_map(|(id, style)| Line::Id(id, style)),
        1 => (1u64..=u64::MAX, any::<u8>()).prop_map(|(id, style)| Line::Id(id, style)),
        1 => any::<u8>().prop_map(Line::Blank),
        2 => proptest::sample::select(&BAD_VALUES[..]).prop_map(Line::Bad),
    ]
}

fn render(line: &Line) -> String {
    match line {
        Line::Id(id, style) => match style % 4 {
            0 => id.to_string(),
            1 => format!("  {id} "),
            2 => format!("\"{id}\""),
            _ => format!("'{id}'"),
        },
        Line::Blank(spaces) => " ".repeat(usize::from(spaces % 3)),
        Line::Bad(value) => (*value).to_owned(),
    }
}

/// Cases of the ID reader's and the query checker's properties.
const PARSER_CASES: u32 = DEFAULT_CASES * 4;

/// Any bytes at all: an answer, never a panic; an accepted file keeps its promises.
#[test]
fn the_id_reader_never_panics_on_any_bytes() {
    let bytes = proptest::collection::vec(any::<u8>(), 0..4096);
    check(
        "the_id_reader_never_panics_on_any_bytes",
        cases(PARSER_CASES),
        bytes,
        |bytes| {
            if let Ok(report) = parse_id_list(&bytes) {
                let unique: HashSet<u64> = report.ids.iter().copied().collect();
                prop_assert_eq!(unique.len(), report.ids.len(), "each ID once");
                prop_assert!(!report.ids.is_empty());
                prop_assert!(!report.ids.contains(&0));
                for problem in &report.problems {
                    prop_assert!(problem.line >= 1 && problem.line <= report.total_lines);
                    prop_assert!(!problem.reason.is_empty());
                }
            }
            Ok(())
        },
    );
}

/// Digits and line breaks mostly: the hard cases for line counting.
#[test]
fn the_id_reader_never_panics_on_near_text() {
    let text = "[0-9\r\n\",; \t\u{feff}a-z\u{e9}-]{0,400}";
    check(
        "the_id_reader_never_panics_on_near_text",
        cases(PARSER_CASES),
        text,
        |text| {
            let _ = parse_id_list(text.as_bytes());
            Ok(())
        },
    );
}

/// A generated file: every valid ID kept exactly once, in first-seen order; every bad line
/// reported with its own line number; repeats counted.
#[test]
fn every_valid_id_is_kept_once_and_bad_lines_are_named() {
    let file = (
        proptest::collection::vec(line(), 1..120),
        proptest::sample::select(vec!["\n", "\r\n", "\r"]),
        any::<bool>(),
        any::<bool>(),
    );
    check(
        "every_valid_id_is_kept_once_and_bad_lines_are_named",
        cases(PARSER_CASES),
        file,
        |(lines, ending, bom, header)| {
            let mut text = String::new();
            if bom {
                text.push('\u{feff}');
            }
            let offset = usize::from(header);
            if header {
                text.push_str("id");
                text.push_str(ending);
            }
            let (mut expected, mut seen, mut repeats, mut bad_lines) =
                (Vec::new(), HashSet::new(), 0, Vec::new());
            for (index, line) in lines.iter().enumerate() {
                text.push_str(&render(line));
                text.push_str(ending);
                match line {
                    Line::Id(id, _) if seen.insert(*id) => expected.push(*id),
                    Line::Id(..) => repeats += 1,
                    Line::Blank(_) => {}
                    Line::Bad(_) => bad_lines.push(index + 1 + offset),
                }
            }
            match parse_id_list(text.as_bytes()) {
                Ok(report) => {
                    prop_assert_eq!(&report.ids, &expected);
                    prop_assert_eq!(report.duplicates_removed, repeats);
                    prop_assert_eq!(report.total_lines, lines.len() + offset);
                    let named: Vec<usize> = report.problems.iter().map(|p| p.line).collect();
                    prop_assert_eq!(named, bad_lines);
                    prop_assert_eq!(report.header.is_some(), header);
                }
                Err(error) => {
                    prop_assert!(expected.is_empty(), "refused a file with IDs: {}", error);
                    prop_assert_eq!(error.code(), ErrorCode::InvalidIdFile);
                }
            }
            Ok(())
        },
    );
}

/// A line that is not UTF-8 is named by its number, in the message a person reads.
#[test]
fn a_line_that_is_not_utf8_is_named() {
    let file = (
        proptest::collection::vec(1u64..1_000_000, 1..50),
        any::<prop::sample::Index>(),
    );
    check(
        "a_line_that_is_not_utf8_is_named",
        cases(PARSER_CASES),
        file,
        |(ids, at)| {
            let bad = at.index(ids.len());
            let mut bytes = Vec::new();
            for (index, id) in ids.iter().enumerate() {
                bytes.extend_from_slice(id.to_string().as_bytes());
                if index == bad {
                    bytes.extend_from_slice(b" caf\xe9"); // Latin-1 "café"
                }
                bytes.push(b'\n');
            }
            let error = parse_id_list(&bytes).unwrap_err();
            prop_assert!(
                matches!(error, IdFileError::NotUtf8 { line } if line == bad + 1),
                "{:?}",
                error
            );
            let line_words = format!("Line {} of this file is not UTF-8", bad + 1);
            prop_assert!(error.to_string().contains(&line_words), "{}", error);
            Ok(())
        },
    );
}

/// Any text in the query editor: a check, never a panic; a syntax error points inside the text.
#[test]
fn the_query_checker_never_panics_on_any_text() {
    check(
        "the_query_checker_never_panics_on_any_text",
        cases(PARSER_CASES),
        any::<String>(),
        |text| check_text(&text),
    );
}

/// Text shaped like JSON (brackets, quotes, keys the linter knows): the same.
#[test]
fn the_query_checker_never_panics_on_near_json() {
    let text = r#"[{}\[\]":,\n 0-9a-z._\\-]{0,200}|\{"query": ?\{"(bool|match|nested|term)": ?[{}\[\]":, a-z.]{0,80}"#;
    check(
        "the_query_checker_never_panics_on_near_json",
        cases(PARSER_CASES),
        text,
        |text| check_text(&text),
    );
}

/// Any JSON value: parsed or refused with a message, and an accepted query reads back the same.
#[test]
fn any_json_is_parsed_or_refused_and_accepted_queries_round_trip() {
    check(
        "any_json_is_parsed_or_refused_and_accepted_queries_round_trip",
        cases(PARSER_CASES),
        json_value(),
        |value| {
            for wrapped in [
                value.clone(),
                json!({ "query": value.clone() }),
                json!({ "es_dsl_query": value }),
            ] {
                let text = wrapped.to_string();
                match parse_query(&text) {
                    Ok(query) => {
                        prop_assert!(query.body.get("query").is_some());
                        let again =
                            parse_query(&query.compact()).expect("an accepted query parses again");
                        prop_assert_eq!(again.body, query.body);
                    }
                    Err(error) => {
                        prop_assert_eq!(error.code(), ErrorCode::InvalidQuery);
                        prop_assert!(!error.user_message().is_empty());
                    }
                }
            }
            Ok(())
        },
    );
}

fn check_text(text: &str) -> Result<(), TestCaseError> {
    let check = check_query(text);
    prop_assert!(check.pretty.is_some() != check.error.is_some());
    if let Some(problem) = check.error {
        prop_assert!(!problem.message.is_empty());
        if let (Some(line), Some(column)) = (problem.line, problem.column) {
            prop_assert!(
                line >= 1 && line <= text.split('\n').count(),
                "line {}",
                line
            );
            prop_assert!(column >= 1, "column {}", column);
        }
    }
    Ok(())
}

/// Arbitrary JSON, with keys the linter and the export look at mixed into random ones.
fn json_value() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        proptest::sample::select(vec![
            "query",
            "bool",
            "must",
            "should",
            "filter",
            "must_not",
            "match",
            "nested",
            "path",
            "term",
            "terms",
            "range",
            "experience.title",
            "country",
            "id",
            "full_name",
            "experience",
            "education",
            "limit",
            "es_dsl_query",
            "sort",
            "size",
        ])
        .prop_map(str::to_owned),
        "[a-z_.]{1,8}",
        any::<String>(),
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON numbers are finite", |f| f.is_finite())
            .prop_map(Value::from),
        any::<String>().prop_map(Value::from),
        "[0-9]{4}-[0-9]{2}-[0-9]{2}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::vec((key.clone(), inner), 0..6)
                .prop_map(|entries| Value::Object(entries.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Random records: an id from a small range (so repeats happen), maybe a text id, other fields
/// of any JSON.
fn records() -> impl Strategy<Value = Vec<Value>> {
    let id = prop_oneof![
        4 => (1i64..40).prop_map(Value::from),
        1 => "[a-z][a-z0-9]{0,5}".prop_map(Value::from),
    ];
    let record = (id, json_value()).prop_map(|(id, extra)| {
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
/// and both formats; the workbook holds exactly those rows (read back by calamine).
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
                (ExportFormat::Csv, ExportLayout::People),
                (ExportFormat::Csv, ExportLayout::Full),
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
                }
            }
            Ok(())
        },
    );
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
