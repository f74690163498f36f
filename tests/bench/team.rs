//! `make bench`: the team library on a throwaway PostgreSQL cluster on loopback (`team_db`), in
//! one run:
//!
//! - publishing 100,000 people (override with `--people N`) from the people library: the
//!   outbox's COPY (binary) into a staging table and the upsert, against `psql`'s own `\copy` of
//!   the same rows (CSV, bytea as hex) into a table of the same shape: goal ≥ 0.5× its speed;
//! - the net-new check of 10,000 ids (half of them held) against a team library of 1,000,000
//!   people (the published ones and generated ones, each with a 600-byte record): goal ≤ 300 ms,
//!   median of 5, on the open connection; the first check, connecting included, is shown too.

#![allow(missing_docs)]

#[path = "sample.rs"]
mod sample;

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use bulk_collect_tests::team_db::{PgCluster, TEAM_PASSWORD};
use collect_core::library::{Library, CLEAN_EMPLOYEE};
use collect_core::store::Store;
use collect_core::team::{Queued, TeamAddress, TeamLink};

type BenchResult<T> = Result<T, Box<dyn std::error::Error>>;

/// The first synthetic id.
const FIRST_ID: i64 = 100_000_000;

/// The team library's size for the net-new check.
const TEAM_SIZE: i64 = 1_000_000;

fn main() {
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("team-bench: {error}");
            std::process::exit(1);
        }
    };
    if let Err(error) = runtime.block_on(run()) {
        eprintln!("team-bench: {error}");
        std::process::exit(1);
    }
}

async fn run() -> BenchResult<()> {
    let args: Vec<String> = std::env::args().collect();
    let people: usize = match args.iter().position(|arg| arg == "--people") {
        Some(at) => args.get(at + 1).ok_or("--people needs a number")?.parse()?,
        None => 100_000,
    };
    let work = tempfile::Builder::new().prefix("team-bench-").tempdir()?;
    let pg = PgCluster::start();
    println!("team library on PostgreSQL (loopback, {people} people published, release build)");
    let store = Store::open(&work.path().join("library.sqlite3"))?;
    keep(&store, work.path(), people)?;
    let link = TeamLink::new(
        TeamAddress::parse(&pg.url())?,
        Some(TEAM_PASSWORD.into()),
        "Bench",
    );
    link.test().await?;

    // In the cluster's folder: psql may run as the `postgres` user (see `team_db`).
    let rows = pg.dir().join("people.csv");
    write_csv(&store, &rows)?;
    pg.psql("CREATE TABLE people_baseline (LIKE people INCLUDING ALL)");
    pg.psql("GRANT ALL ON people_baseline TO team_app");
    let started = Instant::now();
    pg.psql(&format!(
        "\\copy people_baseline (dataset, id, record, last_updated, first_by, first_at, first_collection, last_by, last_at, last_collection) FROM '{}' WITH (FORMAT csv)",
        rows.display()
    ));
    let psql_seconds = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let published = link.publish(&store).await?;
    let ours_seconds = started.elapsed().as_secs_f64();
    if published.people != people as u64 {
        return Err(format!("published {} of {people}", published.people).into());
    }
    let ratio = psql_seconds / ours_seconds;
    println!(
        "  publish {people} people: {:>8.0} people/s ({ours_seconds:.2} s) | psql \\copy {:>8.0} people/s ({psql_seconds:.2} s) | {ratio:.2}× (goal ≥ 0.5×{})",
        people as f64 / ours_seconds,
        people as f64 / psql_seconds,
        if ratio >= 0.5 { "" } else { ", NOT MET" }
    );

    let started = Instant::now();
    pg.psql(&format!(
        "INSERT INTO people (dataset, id, record, last_updated, first_by, first_at, first_collection, last_by, last_at, last_collection)
         SELECT '{CLEAN_EMPLOYEE}', g, decode(repeat(md5(g::text), 19), 'hex'), '2025-06-01', 'Anna', now(),
                '00000000-0000-4000-8000-000000000001', 'Anna', now(), '00000000-0000-4000-8000-000000000001'
         FROM generate_series(1, {}) AS g; ANALYZE people",
        TEAM_SIZE - people as i64
    ));
    println!(
        "  team library filled to {} people in {:.1} s",
        pg.psql("SELECT count(*) FROM people"),
        started.elapsed().as_secs_f64()
    );
    // 10,000 ids: every other one held (the published people), the rest unknown.
    let ids: Vec<i64> = (0..10_000i64)
        .map(|n| {
            if n % 2 == 0 {
                FIRST_ID + n / 2
            } else {
                5_000_000_000 + n
            }
        })
        .collect();
    let cold = TeamLink::new(
        TeamAddress::parse(&pg.url())?,
        Some(TEAM_PASSWORD.into()),
        "Bench",
    );
    let started = Instant::now();
    let held = cold.held(CLEAN_EMPLOYEE, &ids).await?;
    let first_ms = started.elapsed().as_secs_f64() * 1000.0;
    let mut times = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        let again = cold.held(CLEAN_EMPLOYEE, &ids).await?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        if again.len() != held.len() {
            return Err("the check gave different answers".into());
        }
    }
    times.sort_by(f64::total_cmp);
    let median = times[2];
    println!(
        "  net-new check of 10,000 ids in {TEAM_SIZE} people: {median:.0} ms median ({} held; first, connecting: {first_ms:.0} ms) (goal ≤ 300 ms{})",
        held.len(),
        if median <= 300.0 { "" } else { ", NOT MET" }
    );
    Ok(())
}

/// Keeps `people` made from the shared sample in `store`'s library as job 1, queued for the team.
fn keep(store: &Store, dir: &Path, people: usize) -> BenchResult<()> {
    let sample = sample::sample_records()?;
    let file = dir.join("people.jsonl");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&file)?);
    for n in 0..people {
        let mut record = sample[n % sample.len()].clone();
        record["id"] = serde_json::json!(FIRST_ID + n as i64);
        record["last_updated"] =
            serde_json::json!(format!("2025-{:02}-{:02}", n % 12 + 1, n % 28 + 1));
        writeln!(out, "{record}")?;
    }
    out.flush()?;
    drop(out);
    let queue = |kept: u64| Queued {
        collection: "00000000-0000-4000-8000-00000000be0c".into(),
        job: 1,
        dataset: CLEAN_EMPLOYEE.into(),
        who: "Bench".into(),
        at: collect_core::store::now_text(),
        name: "bench".into(),
        fingerprint: "bench".into(),
        credits: kept as i64,
        profiles: kept as i64,
    };
    Library::new(store.clone()).ingest_queued(
        CLEAN_EMPLOYEE,
        1,
        &[file],
        &collect_core::store::now_text(),
        Some(&queue),
    )?;
    Ok(())
}

/// The same rows as the outbox sends, as a CSV `psql` can `\copy` (bytea as `\x` hex).
fn write_csv(store: &Store, path: &Path) -> BenchResult<()> {
    let connection = rusqlite::Connection::open(store.path().ok_or("no database file")?)?;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    let mut select = connection
        .prepare("SELECT id, record, last_updated FROM people WHERE dataset = ?1 ORDER BY id")?;
    let mut rows = select.query([CLEAN_EMPLOYEE])?;
    let at = "2026-12-07T00:00:00Z";
    let uuid = "00000000-0000-4000-8000-00000000be0c";
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        let record: Vec<u8> = row.get(1)?;
        let last_updated: Option<String> = row.get(2)?;
        let mut hex = String::with_capacity(record.len() * 2 + 2);
        hex.push_str("\\x");
        for byte in &record {
            hex.push_str(&format!("{byte:02x}"));
        }
        writeln!(
            out,
            "{CLEAN_EMPLOYEE},{id},{hex},{},Bench,{at},{uuid},Bench,{at},{uuid}",
            last_updated.unwrap_or_default()
        )?;
    }
    out.flush()?;
    Ok(())
}
