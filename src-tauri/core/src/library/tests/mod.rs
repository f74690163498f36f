//! The people library on a real database file, fed real gzip files made from the shared sample.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use super::*;

mod ingest;
mod lookup;
mod search;

pub(crate) fn sample_lines() -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/employees-sample.jsonl.gz");
    let mut text = String::new();
    flate2::read::MultiGzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

/// A gzip JSON Lines file of `lines` in `dir`.
pub(crate) fn gzip(dir: &Path, name: &str, lines: &[String]) -> PathBuf {
    let path = dir.join(name);
    let mut encoder = flate2::write::GzEncoder::new(
        std::fs::File::create(&path).unwrap(),
        flate2::Compression::default(),
    );
    for line in lines {
        writeln!(encoder, "{line}").unwrap();
    }
    encoder.finish().unwrap();
    path
}

pub(super) struct Setup {
    pub(super) dir: tempfile::TempDir,
    pub(super) store: Store,
    pub(super) library: Library,
}

pub(super) fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("library.sqlite3")).unwrap();
    let library = Library::new(store.clone());
    Setup {
        dir,
        store,
        library,
    }
}

pub(crate) fn id_of(line: &str) -> i64 {
    serde_json::from_str::<serde_json::Value>(line).unwrap()["id"]
        .as_i64()
        .unwrap()
}

/// Every column but `last_collected_at`, of every person, in id order.
fn rows(store: &Store) -> Vec<Vec<rusqlite::types::Value>> {
    let connection = store.lock();
    let mut select = connection
        .prepare(
            "SELECT dataset, id, record, last_updated, name, title, company, country,
                    first_job, first_collected_at, last_job
             FROM people ORDER BY dataset, id",
        )
        .unwrap();
    let rows = select
        .query_map([], |row| {
            (0..11)
                .map(|column| row.get(column))
                .collect::<Result<Vec<_>, _>>()
        })
        .unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

fn text_column(store: &Store, column: &str, id: i64) -> Option<String> {
    store
        .lock()
        .query_row(
            &format!("SELECT {column} FROM people WHERE id = ?1"),
            [id],
            |row| row.get(0),
        )
        .unwrap()
}

fn job_columns(store: &Store, id: i64) -> (i64, String, i64, String) {
    store
        .lock()
        .query_row(
            "SELECT first_job, first_collected_at, last_job, last_collected_at FROM people WHERE id = ?1",
            [id],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
        )
        .unwrap()
}

/// A job of `mode` in `state`, named `name`, with `files` downloaded at `at` (a batch of `parent`
/// when given): written as the engine leaves one, for the tests of deleting and importing.
pub(crate) fn job_with_files(
    store: &Store,
    (name, state, parent): (&str, &str, Option<i64>),
    files: &[PathBuf],
    at: &str,
) -> i64 {
    let connection = store.lock();
    connection
        .execute(
            "INSERT INTO jobs (mode, name, kind, state, fingerprint, credits_per_record, \
             download_dir, created_at, updated_at, parent_id, request_id) \
             VALUES ('practice', ?1, 'id_file', ?2, ?1, 1, '', ?3, ?3, ?4, 'req-' || ?1)",
            rusqlite::params![name, state, at, parent],
        )
        .unwrap();
    let job = connection.last_insert_rowid();
    for (position, path) in files.iter().enumerate() {
        connection
            .execute(
                "INSERT INTO job_files (job_id, position, server_name, local_name, state, path, \
                 records, updated_at) VALUES (?1, ?2, ?3, ?3, 'done', ?4, 1, ?5)",
                rusqlite::params![
                    job,
                    position as i64,
                    path.file_name().unwrap().to_string_lossy(),
                    path.display().to_string(),
                    at
                ],
            )
            .unwrap();
    }
    job
}
