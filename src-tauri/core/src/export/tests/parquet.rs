//! Parquet read back by the parquet crate's own reader: the People layout holds the CSV's values,
//! typed; the Full layout holds every record's values, lists as nested columns; hostile input
//! (a field whose type varies, empty files, no one) never panics.

use std::fs::File;

use ::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type};
use arrow_array::{Array, RecordBatch};
use arrow_schema::DataType;
use serde_json::{json, Map, Value};

use super::*;

/// Every row of a Parquet file as JSON (field name → value; nulls left out), and its schema.
fn read_parquet(path: &Path) -> (Vec<Map<String, Value>>, arrow_schema::SchemaRef) {
    let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(path).unwrap()).unwrap();
    let schema = reader.schema().clone();
    let mut rows = Vec::new();
    for batch in reader.build().unwrap() {
        let batch: RecordBatch = batch.unwrap();
        for row in 0..batch.num_rows() {
            let mut map = Map::new();
            for (field, column) in batch.schema().fields().iter().zip(batch.columns()) {
                let value = to_json(column.as_ref(), row);
                if !value.is_null() {
                    map.insert(field.name().clone(), value);
                }
            }
            rows.push(map);
        }
    }
    (rows, schema)
}

/// One value of an Arrow array as JSON (struct fields that are null left out).
fn to_json(array: &dyn Array, row: usize) -> Value {
    if array.is_null(row) {
        return Value::Null;
    }
    match array.data_type() {
        DataType::Boolean => json!(array.as_boolean().value(row)),
        DataType::Int64 => json!(array.as_primitive::<Int64Type>().value(row)),
        DataType::Float64 => json!(array.as_primitive::<Float64Type>().value(row)),
        DataType::Utf8 => json!(array.as_string::<i32>().value(row)),
        DataType::List(_) => {
            let items = array.as_list::<i32>().value(row);
            Value::Array(
                (0..items.len())
                    .map(|i| to_json(items.as_ref(), i))
                    .collect(),
            )
        }
        DataType::Struct(fields) => {
            let object = array.as_struct();
            let mut map = Map::new();
            for (field, column) in fields.iter().zip(object.columns()) {
                let value = to_json(column.as_ref(), row);
                if !value.is_null() {
                    map.insert(field.name().clone(), value);
                }
            }
            Value::Object(map)
        }
        other => panic!("unexpected type {other}"),
    }
}

/// A source value as the Full layout keeps it: nulls left out of objects; a value in a column of
/// JSON text compared through its text.
fn same(source: &Value, kept: &Value) -> bool {
    match (source, kept) {
        (Value::Object(a), Value::Object(b)) => {
            let a: Vec<_> = a.iter().filter(|(_, v)| !v.is_null()).collect();
            a.len() == b.len() && a.iter().all(|(k, v)| b.get(*k).is_some_and(|w| same(v, w)))
        }
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(v, w)| same(v, w))
        }
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::String(_), Value::String(_)) => source == kept,
        (other, Value::String(text)) => {
            serde_json::from_str::<Value>(text).ok().as_ref() == Some(other)
        }
        _ => source == kept,
    }
}

/// The CSV's text for a People-layout value read back from Parquet.
fn as_csv(value: Option<&Value>) -> String {
    match value {
        None => String::new(),
        Some(Value::String(text)) if text.starts_with(['=', '+', '-', '@', '\t', '\r']) => {
            format!("{FORMULA_GUARD}{text}")
        }
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
    }
}

fn records_of(files: &[PathBuf]) -> Vec<Value> {
    let mut seen = std::collections::HashSet::new();
    let mut records = Vec::new();
    for file in files {
        let mut text = String::new();
        std::io::Read::read_to_string(
            &mut flate2::read::MultiGzDecoder::new(File::open(file).unwrap()),
            &mut text,
        )
        .unwrap();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let record: Value = serde_json::from_str(line).unwrap();
            if seen.insert(record["id"].to_string()) || record["id"].is_null() {
                records.push(record);
            }
        }
    }
    records
}

fn export(
    files: &[PathBuf],
    dir: &Path,
    format: ExportFormat,
    layout: ExportLayout,
) -> ExportResult {
    export_job(files, dir, "Check", DAY, &options(format, layout)).unwrap()
}

/// Both layouts of `files` as Parquet, checked against the CSV (People) and the records (Full).
fn assert_parquet_keeps_everything(files: &[PathBuf]) {
    let dir = tempfile::tempdir().unwrap();
    let csv = export(files, dir.path(), ExportFormat::Csv, ExportLayout::People);
    let people = export(
        files,
        dir.path(),
        ExportFormat::Parquet,
        ExportLayout::People,
    );
    assert_eq!(people.paths[0].extension().unwrap(), "parquet");
    assert_eq!(
        (people.people, people.duplicates_skipped),
        (csv.people, csv.duplicates_skipped)
    );
    let rows = read_csv(&csv.paths[0]);
    let (parquet, schema) = read_parquet(&people.paths[0]);
    let header: Vec<&String> = schema.fields().iter().map(|f| f.name()).collect();
    assert_eq!(
        header,
        rows[0].iter().collect::<Vec<_>>(),
        "the CSV's columns"
    );
    assert_eq!(parquet.len() + 1, rows.len());
    for (r, (row, read)) in rows[1..].iter().zip(&parquet).enumerate() {
        for (name, expected) in rows[0].iter().zip(row) {
            assert_eq!(&as_csv(read.get(name)), expected, "row {r} column {name}");
        }
    }

    let full = export(files, dir.path(), ExportFormat::Parquet, ExportLayout::Full);
    let (parquet, _) = read_parquet(&full.paths[0]);
    let records = records_of(files);
    assert_eq!(parquet.len(), records.len());
    for (record, read) in records.iter().zip(&parquet) {
        assert!(
            same(record, &Value::Object(read.clone())),
            "{record}\n≠\n{read:?}"
        );
    }
}

#[test]
fn parquet_holds_the_csvs_people_and_every_value_of_the_records() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = gz(dir.path(), "hostile.json.gz", &hostile_records());
    assert_parquet_keeps_everything(&[sample()]);
    assert_parquet_keeps_everything(&[hostile]);
}

#[test]
fn parquet_full_layout_has_typed_nested_lists_and_keeps_a_new_field() {
    let dir = tempfile::tempdir().unwrap();
    let mut records: Vec<Value> = (0..1_500)
        .map(|n| json!({"id": n, "full_name": format!("P{n}"), "experience": [{"title": "A", "date_from": "2019-12"}]}))
        .collect();
    records[1_200]["zz_new_field"] = json!({"a": 1});
    records[1_300]["experience"][0]["late_key"] = json!(7);
    let file = gz(dir.path(), "late.json.gz", &records);
    let full = export(
        std::slice::from_ref(&file),
        dir.path(),
        ExportFormat::Parquet,
        ExportLayout::Full,
    );
    let (rows, schema) = read_parquet(&full.paths[0]);
    let names: Vec<&String> = schema.fields().iter().map(|f| f.name()).collect();
    assert_eq!(names, ["id", "full_name", "experience", "zz_new_field"]);
    assert_eq!(schema.field(0).data_type(), &DataType::Int64);
    let DataType::List(item) = schema.field(2).data_type() else {
        panic!("experience is {}", schema.field(2).data_type())
    };
    let DataType::Struct(fields) = item.data_type() else {
        panic!("an experience entry is {}", item.data_type())
    };
    let names: Vec<&String> = fields.iter().map(|f| f.name()).collect();
    assert_eq!(names, ["title", "date_from", "late_key"]);
    assert_eq!(
        rows[1_300]["experience"],
        json!([{"title": "A", "date_from": "2019-12", "late_key": 7}])
    );
    assert_eq!(rows[1_200]["zz_new_field"], json!({"a": 1}));
    assert_parquet_keeps_everything(&[file]);
}

#[test]
fn parquet_survives_hostile_input_varying_types_empty_files_and_no_one() {
    let dir = tempfile::tempdir().unwrap();
    let varying = gz(
        dir.path(),
        "varying.json.gz",
        &[
            json!({"id": 1, "x": "text", "experience": [{"title": "A"}], "n": 1}),
            json!({"id": 2, "x": {"an": "object"}, "experience": "not a list", "n": 2.5}),
            json!({"id": 3, "x": [1, "two"], "experience": [{"title": {"odd": true}}, 5], "n": 18446744073709551615u64}),
            json!({"id": "text id", "x": null, "experience": [], "n": null, "empty": {}}),
        ],
    );
    assert_parquet_keeps_everything(std::slice::from_ref(&varying));
    let empty = dir.path().join("empty.json.gz");
    GzEncoder::new(File::create(&empty).unwrap(), Compression::fast())
        .finish()
        .unwrap();
    for layout in [ExportLayout::People, ExportLayout::Full] {
        let result = export(
            std::slice::from_ref(&empty),
            dir.path(),
            ExportFormat::Parquet,
            layout,
        );
        assert_eq!(result.people, 0);
        let (rows, schema) = read_parquet(&result.paths[0]);
        assert!(rows.is_empty());
        assert!(!schema.fields().is_empty());
    }
    assert_parquet_keeps_everything(&[empty, varying]);
}
