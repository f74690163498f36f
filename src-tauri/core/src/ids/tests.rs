use std::path::Path;

use super::*;
use crate::error::{Coded, ErrorCode};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/");

fn shared(name: &str) -> std::path::PathBuf {
    Path::new(DATA).join(name)
}

fn parse(text: &str) -> IdReport {
    parse_id_list(text.as_bytes()).unwrap()
}

fn parse_err(bytes: &[u8]) -> IdFileError {
    parse_id_list(bytes).unwrap_err()
}

#[test]
fn shared_valid_file_has_500_ids_and_no_problems() {
    let report = read_id_file(&shared("ids-valid.csv")).unwrap();
    assert_eq!(report.ids.len(), 500);
    assert_eq!(report.total_lines, 500);
    assert_eq!(report.header, None);
    assert!(report.problems.is_empty());
    assert_eq!(report.duplicates_removed, 0);
    report.check_submittable().unwrap();
    let original = std::fs::read_to_string(shared("ids-valid.csv")).unwrap();
    assert_eq!(report.upload_csv(), original.replace("\r\n", "\n"));
}

#[test]
fn shared_file_with_problems_is_reported_line_by_line() {
    let report = read_id_file(&shared("ids-with-problems.csv")).unwrap();
    assert_eq!(report.header.as_deref(), Some("id"));
    assert_eq!(report.total_lines, 28);
    assert_eq!(report.blank_lines, 3);
    assert_eq!(report.duplicates_removed, 2);
    assert_eq!(report.ids.len(), 20);
    assert_eq!(report.ids[..3], [297_050_179, 860_226_209, 705_627_915]);
    assert!(report.ids.contains(&481_827_566));
    assert!(report.ids.contains(&536_750_258));
    assert!(report.ids.contains(&171_476_208));
    assert_eq!(report.problem_lines, 2);
    let lines: Vec<(usize, &str)> = report
        .problems
        .iter()
        .map(|p| (p.line, p.text.as_str()))
        .collect();
    assert_eq!(lines, [(13, "abc123"), (14, "-42")]);
    assert!(report.problems[0].reason.contains("not a number"));
    assert!(report.problems[1].reason.contains("negative"));
    assert_eq!(
        report.summary(),
        "20 different IDs ready to send, read from 28 lines. Skipped: the header line, 3 blank \
         lines, 2 repeated IDs and 2 lines that are not IDs (lines 13 and 14)."
    );
    assert!(!report.upload_csv().contains('\r'));
    assert_eq!(report.upload_csv().lines().count(), 20);
}

#[test]
fn shared_over_limit_file_is_refused_as_too_many() {
    let report = read_id_file(&shared("ids-over-limit.csv")).unwrap();
    assert_eq!(report.ids.len(), 10_001);
    let error = report.check_submittable().unwrap_err();
    assert!(matches!(error, IdFileError::TooMany { count: 10_001 }));
    assert_eq!(error.code(), ErrorCode::TooManyIds);
    assert!(error.to_string().starts_with(
        "This file has 10,001 different IDs; one request can take at most 10,000. It can go as 2 batches"
    ));
}

#[test]
fn exactly_the_limit_is_submittable() {
    let text: String = (1..=MAX_IDS_PER_REQUEST)
        .map(|i| format!("{i}\n"))
        .collect();
    parse(&text).check_submittable().unwrap();
}

#[test]
fn line_endings_lone_cr_and_missing_final_newline() {
    let report = parse("1\r2\r\n3\n\n4");
    assert_eq!(report.ids, [1, 2, 3, 4]);
    assert_eq!(report.total_lines, 5);
    assert_eq!(report.blank_lines, 1);
}

#[test]
fn quoted_header_and_values_with_spaces() {
    let report = parse("\u{feff} \"ID\" \n\"12\"\n ' 13 ' \n\t14\t\n");
    assert_eq!(report.header.as_deref(), Some("\"ID\""));
    assert_eq!(report.ids, [12, 13, 14]);
    assert!(report.problems.is_empty());
}

#[test]
fn bad_numbers_each_have_a_reason() {
    let report = parse("1\n-5\n12.5\n1e6\nabc\n0\n99999999999999999999999\n+7\n1 2\n");
    assert_eq!(report.ids, [1]);
    let reasons: Vec<(usize, &str)> = report
        .problems
        .iter()
        .map(|p| (p.line, p.reason.as_str()))
        .collect();
    let expect = [
        (2, "negative"),
        (3, "decimal point"),
        (4, "scientific notation"),
        (5, "not a number"),
        (6, "IDs start at 1"),
        (7, "too long"),
        (8, "without a + sign"),
        (9, "one ID on each line"),
    ];
    assert_eq!(reasons.len(), expect.len());
    for ((line, reason), (want_line, want)) in reasons.iter().zip(expect) {
        assert_eq!(*line, want_line);
        assert!(reason.contains(want), "line {line}: {reason}");
    }
}

#[test]
fn largest_u64_is_an_id() {
    assert_eq!(parse("18446744073709551615").ids, [u64::MAX]);
}

#[test]
fn header_with_several_columns_uses_the_id_column() {
    let text = "name;Id;company\n\"Doe; Jane\";101;Acme\nRoe;102\nSolo\n;;\nX;;Y\n";
    let report = parse(text);
    assert_eq!(report.ids, [101, 102]);
    assert_eq!(report.id_column, Some(IdColumn { index: 2, count: 3 }));
    assert_eq!(report.blank_lines, 1);
    let problems: Vec<usize> = report.problems.iter().map(|p| p.line).collect();
    assert_eq!(problems, [4, 6]);
    assert!(report.problems[0]
        .reason
        .contains("before the id column (column 2)"));
    assert!(report.problems[1].reason.contains("empty"));
    assert!(report.summary().contains("column 2 (\"id\") of 3"));
}

#[test]
fn header_with_several_columns_but_no_id_is_an_error() {
    let error = parse_err(b"name,email\nJane,j@x.com\n");
    assert!(matches!(error, IdFileError::NoIdColumn { .. }));
    assert!(error.to_string().contains("\"name\", \"email\""));
}

#[test]
fn excel_trailing_commas_are_ignored() {
    let report = parse("id,\n5,\n6,,\n");
    assert_eq!(report.ids, [5, 6]);
    assert_eq!(report.header.as_deref(), Some("id,"));
}

#[test]
fn two_ids_on_one_line_are_a_problem() {
    let report = parse("1\n2,3\n");
    assert_eq!(report.ids, [1]);
    assert!(report.problems[0].reason.contains("2 values"));
}

#[test]
fn another_header_name_is_explained() {
    let report = parse("employee_id\n5\n");
    assert_eq!(report.ids, [5]);
    assert_eq!(report.problems[0].line, 1);
    assert!(report.problems[0].reason.contains("column title"));
}

#[test]
fn long_bad_lines_are_shortened() {
    let report = parse(&format!("1\n{}\n", "x".repeat(500)));
    assert_eq!(report.problems[0].text.chars().count(), 60);
    assert!(report.problems[0].text.ends_with('…'));
}

#[test]
fn listed_problems_are_capped_but_all_counted() {
    let text = format!("1\n{}", "bad\n".repeat(MAX_LISTED_PROBLEMS + 5));
    let report = parse(&text);
    assert_eq!(report.problems.len(), MAX_LISTED_PROBLEMS);
    assert_eq!(report.problem_lines, MAX_LISTED_PROBLEMS + 5);
    assert!(report
        .summary()
        .contains("lines 2, 3, 4, 5, 6, and 1,000 more"));
}

#[test]
fn empty_and_blank_files_are_refused() {
    for bytes in [&b""[..], b"\n\r\n  \n", b"\xEF\xBB\xBF"] {
        let error = parse_err(bytes);
        assert!(matches!(error, IdFileError::Empty), "{bytes:?}: {error}");
        assert_eq!(error.code(), ErrorCode::InvalidIdFile);
    }
}

#[test]
fn header_only_file_is_refused() {
    assert!(matches!(parse_err(b"id\n\n"), IdFileError::Empty));
}

#[test]
fn file_without_any_valid_id_names_the_first_bad_line() {
    let error = parse_err(b"\nhello\nworld\n");
    assert!(matches!(error, IdFileError::NoValidIds { .. }));
    let message = error.to_string();
    assert!(message.contains("3 lines"), "{message}");
    assert!(message.contains("Line 2 (\"hello\")"), "{message}");
}

#[test]
fn invalid_utf8_names_the_line() {
    let error = parse_err(b"1\n2\nJos\xE9\n");
    assert!(matches!(error, IdFileError::NotUtf8 { line: 3 }));
    assert!(error
        .to_string()
        .starts_with("Line 3 of this file is not UTF-8"));
}

#[test]
fn utf16_is_recognised() {
    assert!(matches!(
        parse_err(b"\xFF\xFE1\x00\n\x00"),
        IdFileError::Utf16
    ));
    assert!(matches!(parse_err(b"1\x002\x00\n\x00"), IdFileError::Utf16));
}

#[test]
fn binary_files_are_refused() {
    let xlsx = parse_err(b"PK\x03\x04rest of a zip");
    assert!(xlsx.to_string().contains("Excel workbook"), "{xlsx}");
    assert!(matches!(
        parse_err(b"%PDF-1.7"),
        IdFileError::NotText { .. }
    ));
    assert!(matches!(
        parse_err(b"12\n\x00\x01\x02\x03\x04"),
        IdFileError::NotText { .. }
    ));
}

#[test]
fn oversized_input_is_refused_before_parsing() {
    let big = vec![b'1'; usize::try_from(MAX_FILE_BYTES).unwrap() + 1];
    let error = parse_err(&big);
    assert!(matches!(error, IdFileError::TooLarge { .. }));
    assert!(error.to_string().contains("at most 50.0 MB"), "{error}");
}

#[test]
fn missing_file_is_an_io_error_naming_the_file() {
    let error = read_id_file(Path::new("/nonexistent/ids.csv")).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Io);
    assert!(error.to_string().contains("/nonexistent/ids.csv"));
}

#[test]
fn upload_csv_is_one_id_a_line() {
    assert_eq!(parse("id\r\n3\r\n1\r\n3\r\n").upload_csv(), "3\n1\n");
}

#[test]
fn one_id_summary_is_singular() {
    assert_eq!(
        parse("7").summary(),
        "1 different ID ready to send, read from 1 line."
    );
}

#[test]
fn digits_are_grouped() {
    assert_eq!(group_digits(0), "0");
    assert_eq!(group_digits(999), "999");
    assert_eq!(group_digits(1_000), "1,000");
    assert_eq!(group_digits(12_345_678), "12,345,678");
}
