//! `make bench`: the people library at 1,000,000 people (override with `--people N`), made from
//! the shared sample with distinct ids and `last_updated` dates spread over a year, in one run:
//!
//! - ingest, in records per second, against the export's own speed on the same kind of file (a
//!   CSV export of one 50,000-person file, measured in the same run): goal ≥ 1×;
//! - lookup of 10,000 ids (half of them held) in the full library: goal ≤ 100 ms;
//! - the net-new split of 10,000 matches (lookup, the "changed since" searches built within the
//!   service's limits, the split), not counting the service's time: goal ≤ 2 s;
//! - size on disk per person (database and its journal, over the people held), beside SQLite's
//!   page size and the average compressed copy: goal ≤ 1.5 KB.
//!
//! Times of the lookup and the split are the median of 5 runs. The work folder
//! (`library-bench-work` under the target folder) is made fresh and removed at the end.

#![allow(missing_docs)]

#[path = "sample.rs"]
mod sample;

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use collect_core::export::{export_job_as, ExportFormat, ExportOptions};
use collect_core::library::{changed_searches, Library, Split, CLEAN_EMPLOYEE};
use collect_core::store::Store;

type BenchResult<T> = Result<T, Box<dyn std::error::Error>>;

/// People per ingested file (as many as a large download's file).
const PER_FILE: usize = 50_000;

/// The first synthetic id.
const FIRST_ID: i64 = 100_000_000;

fn main() {
    if let Err(error) = run() {
        eprintln!("library-bench: {error}");
        std::process::exit(1);
    }
}

fn run() -> BenchResult<()> {
    let args: Vec<String> = std::env::args().collect();
    let people: usize = match args.iter().position(|arg| arg == "--people") {
        Some(at) => args.get(at + 1).ok_or("--people needs a number")?.parse()?,
        None => 1_000_000,
    };
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let work = target.join("library-bench-work");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work)?;
    let result = measure(&work, people);
    let _ = std::fs::remove_dir_all(&work);
    result
}

fn measure(work: &Path, people: usize) -> BenchResult<()> {
    let sample = sample::sample_records()?;
    let database = work.join("library.sqlite3");
    let store = Store::open(&database)?;
    let library = Library::new(store.clone());

    println!("people library, {people} synthetic people (release build)");
    let mut ingest_seconds = 0.0;
    let mut anchor_file = None;
    for (part, start) in (0..people).step_by(PER_FILE).enumerate() {
        let file = work.join(format!("part-{part:05}.jsonl"));
        write_people(&file, &sample, start..people.min(start + PER_FILE))?;
        let started = Instant::now();
        let kept = library.ingest(CLEAN_EMPLOYEE, 1, std::slice::from_ref(&file))?;
        ingest_seconds += started.elapsed().as_secs_f64();
        if kept.skipped > 0 {
            return Err(format!("{} lines skipped in {}", kept.skipped, file.display()).into());
        }
        if anchor_file.is_none() {
            anchor_file = Some(file);
        } else {
            std::fs::remove_file(&file)?;
        }
    }
    let anchor_file = anchor_file.ok_or("no people")?;
    let anchor_people = people.min(PER_FILE);
    let options = ExportOptions {
        format: ExportFormat::Csv,
        ..ExportOptions::default()
    };
    let started = Instant::now();
    export_job_as(&[anchor_file], &work.join("export"), "anchor", &options)?;
    let export_rate = anchor_people as f64 / started.elapsed().as_secs_f64();
    let ingest_rate = people as f64 / ingest_seconds;
    println!(
        "  ingest                 {:>10.0} people/s   export (CSV, same records) {:>10.0} people/s   {:.2}× (goal ≥ 1×)",
        ingest_rate,
        export_rate,
        ingest_rate / export_rate
    );

    // 10,000 matches: every other one held, spread over the whole library.
    let step = (people / 5_000).max(1) as i64;
    let matches: Vec<i64> = (0..5_000)
        .map(|n| FIRST_ID + n * step)
        .chain((0..5_000).map(|n| 900_000_000 + n))
        .collect();
    let lookup = median_ms(|| {
        library.lookup(CLEAN_EMPLOYEE, &matches)?;
        Ok(())
    })?;
    let held = library.lookup(CLEAN_EMPLOYEE, &matches)?;
    println!(
        "  lookup of 10,000 ids   {lookup:>10.1} ms        ({} held)                          (goal ≤ 100 ms)",
        held.len()
    );
    let mut searches = 0;
    let split = median_ms(|| {
        let held = library.lookup(CLEAN_EMPLOYEE, &matches)?;
        searches = changed_searches(&held).len();
        let split = Split::of(&matches, &held, &BTreeSet::new());
        if split.to_buy().len() != 5_000 {
            return Err("the split lost people".into());
        }
        Ok(())
    })?;
    println!(
        "  net-new split, 10,000  {split:>10.1} ms        ({searches} \"changed since\" searches to send)   (goal ≤ 2,000 ms)"
    );

    drop(library);
    drop(store);
    let reader = rusqlite::Connection::open(&database)?;
    let page_size: i64 = reader.query_row("PRAGMA page_size", [], |row| row.get(0))?;
    let copy: f64 = reader.query_row("SELECT avg(length(record)) FROM people", [], |row| {
        row.get(0)
    })?;
    let sample_line = sample.iter().map(|r| r.to_string().len()).sum::<usize>() / sample.len();
    let on_disk: u64 = ["", "-wal", "-shm"]
        .iter()
        .filter_map(|end| {
            std::fs::metadata(format!("{}{end}", database.display()))
                .ok()
                .map(|meta| meta.len())
        })
        .sum();
    println!(
        "  size on disk           {:>10.0} B/person    copy {copy:.0} B (zstd of a {sample_line} B line), page {page_size} B   (goal ≤ 1,536 B)",
        on_disk as f64 / people as f64
    );
    Ok(())
}

/// The median of 5 runs of `run`, in milliseconds.
fn median_ms(mut run: impl FnMut() -> BenchResult<()>) -> BenchResult<f64> {
    let mut times = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        run()?;
        times.push(started.elapsed().as_secs_f64() * 1_000.0);
    }
    times.sort_by(f64::total_cmp);
    Ok(times[2])
}

/// Writes the people `range` (their ids counted from [`FIRST_ID`]) as JSON Lines at `path`.
fn write_people(
    path: &Path,
    sample: &[serde_json::Value],
    range: std::ops::Range<usize>,
) -> BenchResult<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    for n in range {
        let mut record = sample[n % sample.len()].clone();
        record["id"] = serde_json::json!(FIRST_ID + n as i64);
        record["last_updated"] =
            serde_json::json!(format!("2025-{:02}-{:02}", n % 12 + 1, n % 28 + 1));
        writeln!(out, "{record}")?;
    }
    out.flush()?;
    Ok(())
}
