//! Parquet for data teams, read back by two independent readers, pyarrow and DuckDB
//! (`tests/support/parquet_readers.py`), from a venv outside the clone with the versions pinned
//! in `tests/support/parquet-readers.txt` (`make test` installs it; this suite makes it when
//! missing): the People layout holds the CSV's people and values, the Full layout every record's
//! values with `experience` and `education` as lists of structs, and a field the service added
//! later is kept.

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use collect_core::export::{export_job, ExportFormat, ExportLayout, ExportOptions};
use serde_json::{json, Value};

/// The field no build knows, standing for one the service adds later.
const NEW_FIELD: &str = "zz_added_by_the_service";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The shared sample's records, then records a warehouse must survive.
fn records() -> Vec<Value> {
    let sample = bulk_collect_tests::shared_data("employees-sample.jsonl.gz");
    let mut text = String::new();
    std::io::Read::read_to_string(
        &mut flate2::read::MultiGzDecoder::new(std::fs::File::open(sample).unwrap()),
        &mut text,
    )
    .unwrap();
    let mut records: Vec<Value> = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    records[3][NEW_FIELD] = json!({"score": 0.5, "tags": ["a", "b"]});
    records[4]["headline"] = json!("=HYPERLINK(\"x\") Zoë, \"quoted\"; 😀");
    records.push(json!({
        "id": 9_000_001, "full_name": "Varying Types", "description": {"now": "an object"},
        "experience": [{"title": "Engineer", "company_name": "Ünïcode GmbH", "date_from": "2019-12",
                        "order_in_profile": 1, "company_size_employees_count": 12}],
        "education": [], NEW_FIELD: "text this time",
    }));
    let duplicate = json!({"id": records[0]["id"], "full_name": "A duplicate, not exported"});
    records.push(duplicate);
    records
}

fn write_lines(path: &Path, records: &[Value], gzip: bool) {
    let file = std::fs::File::create(path).unwrap();
    let mut out: Box<dyn Write> = if gzip {
        Box::new(flate2::write::GzEncoder::new(
            file,
            flate2::Compression::fast(),
        ))
    } else {
        Box::new(file)
    };
    for record in records {
        writeln!(out, "{record}").unwrap();
    }
}

fn export(files: &[PathBuf], dir: &Path, format: ExportFormat, layout: ExportLayout) -> PathBuf {
    let options = ExportOptions {
        format,
        layout,
        ..ExportOptions::default()
    };
    let day = time::macros::date!(2026 - 12 - 07);
    let result = export_job(files, dir, "Readers", day, &options).unwrap();
    result.paths[0].clone()
}

#[test]
fn pyarrow_and_duckdb_read_the_same_people_and_values_in_both_layouts() {
    let python = bulk_collect_tests::readers::python();
    let dir = tempfile::tempdir().unwrap();
    let records = records();
    let input = dir.path().join("part-00000.json.gz");
    write_lines(&input, &records, true);
    let files = [input];
    let csv = export(&files, dir.path(), ExportFormat::Csv, ExportLayout::People);
    let people = export(
        &files,
        dir.path(),
        ExportFormat::Parquet,
        ExportLayout::People,
    );
    let full = export(
        &files,
        dir.path(),
        ExportFormat::Parquet,
        ExportLayout::Full,
    );
    // What the Full layout must hold: every record but the duplicate (the first copy wins).
    let expected = dir.path().join("expected.jsonl");
    write_lines(&expected, &records[..records.len() - 1], false);

    let output = Command::new(python)
        .arg(repo().join("tests/support/parquet_readers.py"))
        .args([&people, &csv, &full, &expected])
        .arg(NEW_FIELD)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&output.stdout);
    let errors = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{said}\n{errors}");
    println!("{said}");
    for reader in ["pyarrow", "DuckDB"] {
        for layout in ["People layout", "Full layout"] {
            assert!(said.contains(&format!("{reader}: {layout}")), "{said}");
        }
    }
}
