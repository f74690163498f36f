//! The export, end to end on real files: golden files for both layouts on the shared sample and on
//! hostile text, the XLSX read back by an independent reader (calamine) and compared cell by cell
//! with the CSV, deduplication across files, new fields kept, damaged input refused cleanly.
//!
//! Goldens live in `golden/` beside this file; `UPDATE_GOLDEN=1 cargo test -p collect-core export`
//! rewrites them (review the diff before committing).

use std::io::Write;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx};
use flate2::write::GzEncoder;
use flate2::Compression;
use serde_json::{json, Value};
use time::macros::date;

mod columns;
mod damaged;
mod files;
mod golden;
mod parquet;
mod table;
mod workbook;

use super::*;

pub(super) const DAY: time::Date = date!(2026 - 11 - 28);

pub(super) fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/employees-sample.jsonl.gz")
}

/// The first `count` records of the shared sample, as a file of their own in `dir` (goldens stay
/// small; the whole sample is checked by counts and by the workbook comparison).
pub(super) fn sample_head(dir: &Path, count: usize) -> PathBuf {
    let bytes = std::fs::read(sample()).unwrap();
    let mut all = String::new();
    std::io::Read::read_to_string(&mut flate2::read::MultiGzDecoder::new(&bytes[..]), &mut all)
        .unwrap();
    let records: Vec<Value> = all
        .lines()
        .take(count)
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    gz(dir, "sample-head.json.gz", &records)
}

pub(super) fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src/export/golden")
}

/// A gzip JSON Lines file of `records` in `dir`.
pub(super) fn gz(dir: &Path, name: &str, records: &[Value]) -> PathBuf {
    let path = dir.join(name);
    let mut encoder = GzEncoder::new(std::fs::File::create(&path).unwrap(), Compression::fast());
    for record in records {
        writeln!(encoder, "{record}").unwrap();
    }
    encoder.finish().unwrap();
    path
}

pub(super) fn options(format: ExportFormat, layout: ExportLayout) -> ExportOptions {
    ExportOptions {
        format,
        layout,
        ..ExportOptions::default()
    }
}

/// Compares `actual` with golden file `name` (or rewrites it with `UPDATE_GOLDEN=1`).
pub(super) fn assert_golden(actual: &Path, name: &str) {
    let golden = golden_dir().join(name);
    let bytes = std::fs::read(actual).unwrap();
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
        std::fs::write(&golden, &bytes).unwrap();
    }
    let expected = std::fs::read(&golden)
        .unwrap_or_else(|_| panic!("{} is missing: run with UPDATE_GOLDEN=1", golden.display()));
    assert!(
        bytes == expected,
        "{} differs from golden {name}",
        actual.display()
    );
}

/// Every file under `dir`, names only, sorted (hidden temporary files included).
pub(super) fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// An RFC 4180 reader (independent of the writer): the rows of a CSV file, BOM checked.
pub(super) fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.strip_prefix(BOM).expect("the file starts with a BOM");
    let (mut rows, mut row, mut field) = (Vec::new(), Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {
                chars.next();
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => {
                assert!(c != '\n' && c != '\r', "bare line break outside quotes");
                field.push(c)
            }
        }
    }
    assert!(
        field.is_empty() && row.is_empty(),
        "the last row ends with CRLF"
    );
    rows
}

/// What the CSV holds for an XLSX cell: the same text (formula-looking text guarded), numbers as
/// the service wrote them, dates as `yyyy-mm-dd`.
pub(super) fn as_csv_text(cell: Option<&Data>, csv: &str) -> String {
    match cell {
        None | Some(Data::Empty) => String::new(),
        Some(Data::String(text)) if text.starts_with(['=', '+', '-', '@', '\t', '\r']) => {
            format!("{FORMULA_GUARD}{text}")
        }
        Some(Data::String(text)) => text.clone(),
        Some(Data::Float(number)) if number.fract() == 0.0 => format!("{}", *number as i64),
        Some(Data::Float(number)) => number.to_string(),
        Some(Data::Int(number)) => number.to_string(),
        Some(Data::Bool(flag)) => flag.to_string(),
        Some(Data::DateTime(serial)) => {
            let day = date!(1899 - 12 - 30) + time::Duration::days(serial.as_f64() as i64);
            let text = format!(
                "{:04}-{:02}-{:02}",
                day.year(),
                u8::from(day.month()),
                day.day()
            );
            match csv.len() {
                7 if text.ends_with("-01") => text[..7].to_owned(),
                _ => text,
            }
        }
        Some(other) => panic!("unexpected cell {other:?}"),
    }
}

/// Exports `files` as CSV and as XLSX with `layout`, and checks every cell of every sheet of the
/// workbook (read by calamine) against the CSV.
pub(super) fn assert_xlsx_matches_csv(files: &[PathBuf], layout: ExportLayout) -> ExportResult {
    let dir = tempfile::tempdir().unwrap();
    let csv = export_job(
        files,
        dir.path(),
        "Check",
        DAY,
        &options(ExportFormat::Csv, layout),
    )
    .unwrap();
    let xlsx = export_job(
        files,
        dir.path(),
        "Check",
        DAY,
        &options(ExportFormat::Xlsx, layout),
    )
    .unwrap();
    assert_eq!(csv.rows_per_sheet, xlsx.rows_per_sheet);
    let mut workbook: Xlsx<_> = calamine::open_workbook(&xlsx.paths[0]).unwrap();
    let sheet_names: Vec<String> = xlsx
        .rows_per_sheet
        .iter()
        .map(|s| s.sheet.clone())
        .collect();
    assert_eq!(workbook.sheet_names(), sheet_names);
    for (sheet, csv_path) in sheet_names.iter().zip(&csv.paths) {
        let range = workbook.worksheet_range(sheet).unwrap();
        let rows = read_csv(csv_path);
        assert_eq!(range.height(), rows.len(), "{sheet}: rows");
        for (r, row) in rows.iter().enumerate() {
            for (c, expected) in row.iter().enumerate() {
                let cell = range.get_value((r as u32, c as u32));
                assert_eq!(
                    &as_csv_text(cell, expected),
                    expected,
                    "{sheet} row {r} column {c}"
                );
            }
        }
    }
    xlsx
}

pub(super) fn hostile_records() -> Vec<Value> {
    vec![
        json!({
            "id": 1, "last_updated": "2025-01-18", "full_name": "Smith, \"Jo\"",
            "headline": format!("Long {}", "x".repeat(40_000)),
            "job_title": "=HYPERLINK(\"http://evil.example\",\"click\")",
            "company_name": "-Minus Corp", "location_country": "Österreich",
            "location_full": "Line one\nLine two\r\nLine three", "management_level": "@admin",
            "department": "\tTabbed", "websites_professional_network": "https://example.com/in/zoë",
            "skills": ["c++", "c#", "\"quoted\"", "日本語", "+plus"],
            "experience": [
                {"title": "Intern", "company_name": "Old Co", "date_from": "2018-05", "date_to": "2019-12", "order_in_profile": 2},
                {"title": "Dev, Senior", "company_name": "Ünïcødé GmbH", "date_from": "2020-01", "date_to": null, "order_in_profile": 1, "description": "\rCR first"},
            ],
            "education": [
                {"title": "Uni A", "major": "Bachelor's degree, Art", "date_to": 2010},
                {"title": "Uni B", "major": "PhD, Physics", "date_to": 2008},
            ],
            "future_field": "kept, not dropped",
            "volunteering": [{"role": "Coach", "since": "2021-03-04"}],
        }),
        json!({
            "volunteering": [], "future_field": 42, "full_name": "Zoë 😀 Ångström", "id": "abc-2",
            "job_title": null, "company_name": "", "skills": [],
            "experience": [{"title": "Founder", "company_name": "Self", "date_from": "2024-02"}],
        }),
    ]
}
