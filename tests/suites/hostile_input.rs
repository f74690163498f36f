//! Hostile input, property-tested: the ID-file reader and the query parser and checker never panic,
//! and keep their promises on every generated input (the export's: `hostile_export.rs`).
//!
//! `make test` runs a small number of cases ([`DEFAULT_CASES`]); `make soak` sets `PROPTEST_CASES`
//! to run many more. Each property prints how many cases it ran (`property <name>: <n> cases, 0
//! failures`, see `bulk_collect_tests::property`); a failing case is shrunk and printed.

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use std::collections::HashSet;

use bulk_collect_tests::hostile::hostile_json;
use bulk_collect_tests::property::{cases, check};
use collect_core::error::Coded;
use collect_core::ids::{parse_id_list, IdFileError};
use collect_core::query::{check_query, parse_query};
use collect_core::ErrorCode;
use proptest::prelude::*;
use serde_json::json;

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
        hostile_json(),
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
