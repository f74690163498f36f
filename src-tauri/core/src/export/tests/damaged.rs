//! Damaged input: a bad line or one longer than 64 MiB is named by its number, also past a read
//! block and across files, and nothing is left behind.

use serde_json::json;

use super::*;
use crate::error::Coded;

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
