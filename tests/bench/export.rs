//! `make bench`: the export against the tools an analyst would reach for, side by side in one run,
//! on synthetic results of 10,000 and 200,000 people (override with `--records N,M`), made from the
//! shared sample with distinct ids and written as the service writes them (gzip JSON Lines, files of
//! at most 50,000 people):
//!
//! - `zcat` of the same files to /dev/null: the decompression limit (goal: export ≥ 0.5× its speed);
//! - pandas: `json_normalize` of every record, then `to_csv` (goal: export ≥ 10× faster);
//! - DuckDB: `read_json` → `COPY … TO` CSV (goal: export at least as fast);
//! - DuckDB: `read_json` → `COPY … TO … (FORMAT parquet)` against the Parquet export (goal: at
//!   least as fast).
//!
//! Up to 50,000 people it also times the results table on the same files: the first page (every
//! person read once) and a later, searched and sorted page.
//!
//! pandas and DuckDB come from PyPI into a throwaway virtual environment under the target folder
//! (`export-bench-work/venv`, made on the first run); a reference that cannot be installed is skipped with a note. Each run is
//! its own process, so peak memory (VmHWM; `/usr/bin/time` for the others) is that run's alone
//! (goal for the export: ≤ 128 MiB). Speeds are MiB/s of decompressed JSON; times are the median
//! of 3 runs up to 50,000 people, one run above.

#![allow(missing_docs)]

#[path = "common.rs"]
mod common;
#[path = "export_refs.rs"]
mod refs;
#[path = "sample.rs"]
mod sample;

use common::{peak_kib, run_bench, BenchResult, MIB};
use refs::{python_references, python_run, DUCKDB, DUCKDB_PARQUET, PANDAS};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use collect_core::export::{
    export_job, page, read_people, ExportFormat, ExportLayout, ExportOptions, PeopleQuery,
    PeopleSort,
};

const PER_FILE: usize = 50_000;

fn main() {
    run_bench("export-bench", child, parent);
}

/// One export in this process; prints `seconds people peak_kib`.
fn child(args: &[String]) -> BenchResult<()> {
    let [format, layout, out, files @ ..] = args else {
        return Err("usage: --child csv|xlsx|parquet people|full OUT FILE…".into());
    };
    let options = ExportOptions {
        format: match format.as_str() {
            "xlsx" => ExportFormat::Xlsx,
            "parquet" => ExportFormat::Parquet,
            _ => ExportFormat::Csv,
        },
        layout: if layout == "full" {
            ExportLayout::Full
        } else {
            ExportLayout::People
        },
        ..ExportOptions::default()
    };
    let files: Vec<PathBuf> = files.iter().map(PathBuf::from).collect();
    let date = time::OffsetDateTime::now_utc().date();
    let started = Instant::now();
    let result = export_job(&files, Path::new(out), "bench", date, &options)?;
    let seconds = started.elapsed().as_secs_f64();
    println!("{seconds} {} {}", result.people, peak_kib()?);
    Ok(())
}

/// `count` records made from the sample's, each with its own id, in files of [`PER_FILE`];
/// returns the files and the decompressed size.
fn make_inputs(dir: &Path, count: usize) -> BenchResult<(Vec<PathBuf>, u64)> {
    let records = sample::sample_records()?;
    std::fs::create_dir_all(dir)?;
    let (mut files, mut bytes) = (Vec::new(), 0u64);
    for (part, start) in (0..count).step_by(PER_FILE).enumerate() {
        let path = dir.join(format!("part-{part:05}.json.gz"));
        let mut out = flate2::write::GzEncoder::new(
            std::io::BufWriter::new(std::fs::File::create(&path)?),
            flate2::Compression::default(),
        );
        for n in start..count.min(start + PER_FILE) {
            let mut record = records[n % records.len()].clone();
            record["id"] = serde_json::json!(1_000_000 + n);
            let line = format!("{record}\n");
            bytes += line.len() as u64;
            out.write_all(line.as_bytes())?;
        }
        out.finish()?.flush()?;
        files.push(path);
    }
    Ok((files, bytes))
}

pub(crate) struct Run {
    pub(crate) seconds: f64,
    pub(crate) peak_kib: Option<u64>,
}

/// Runs `command` under `/usr/bin/time -f %M` (peak KiB on the last line of stderr).
pub(crate) fn timed(command: &mut Command) -> BenchResult<Run> {
    let program = command.get_program().to_owned();
    let mut wrapped = Command::new("/usr/bin/time");
    wrapped
        .arg("-f")
        .arg("%M")
        .arg(program)
        .args(command.get_args());
    let started = Instant::now();
    let output = wrapped
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()?;
    let seconds = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!("{:?} failed: {stderr}", command.get_program()).into());
    }
    let peak_kib = stderr
        .lines()
        .last()
        .and_then(|line| line.trim().parse().ok());
    Ok(Run { seconds, peak_kib })
}

fn run_core(format: &str, layout: &str, out: &Path, files: &[PathBuf]) -> BenchResult<Run> {
    let output = Command::new(std::env::current_exe()?)
        .args(["--child", format, layout])
        .arg(out)
        .args(files)
        .output()?;
    if !output.status.success() {
        return Err(format!("export failed: {}", String::from_utf8_lossy(&output.stderr)).into());
    }
    let text = String::from_utf8(output.stdout)?;
    let fields: Vec<&str> = text.split_whitespace().collect();
    let [seconds, _people, peak] = fields[..] else {
        return Err(format!("unexpected child output {text:?}").into());
    };
    Ok(Run {
        seconds: seconds.parse()?,
        peak_kib: Some(peak.parse()?),
    })
}

/// The run with the median time of `runs` runs of `run` (peak memory: the highest of them).
fn median(runs: usize, mut run: impl FnMut() -> BenchResult<Run>) -> BenchResult<Run> {
    let mut all = (0..runs.max(1))
        .map(|_| run())
        .collect::<BenchResult<Vec<Run>>>()?;
    let peak_kib = all.iter().filter_map(|run| run.peak_kib).max();
    all.sort_by(|a, b| a.seconds.total_cmp(&b.seconds));
    let middle = all.swap_remove(all.len() / 2);
    Ok(Run {
        seconds: middle.seconds,
        peak_kib,
    })
}

/// The results table on the same files: reading every person once (the first call), then a
/// searched and sorted page (every later call), beside zcat of the same files.
fn table_figures(files: &[PathBuf], zcat_seconds: f64) -> BenchResult<()> {
    let started = Instant::now();
    let people = read_people(files)?;
    let read = started.elapsed().as_secs_f64();
    let query = PeopleQuery {
        search: "engineer".into(),
        sort: PeopleSort::Company,
        descending: true,
        offset: 100,
        limit: 50,
    };
    let started = Instant::now();
    let shown = page(&people, &query);
    let paged = started.elapsed().as_secs_f64();
    println!(
        "| {} | — | results table: read every person (first page) | {read:.2} | — | — | {:.2}× zcat's time |",
        people.len(),
        read / zcat_seconds
    );
    println!(
        "| {} | — | results table: a searched, sorted page ({} match) | {paged:.3} | — | — | — |",
        people.len(),
        shown.matching
    );
    Ok(())
}

/// The Parquet exports (people, full) and DuckDB's `read_json` → `COPY … (FORMAT parquet)` of
/// the same files (goal: the export at least as fast).
fn parquet_rows(
    out: &Path,
    files: &[PathBuf],
    runs: usize,
    duckdb: &Option<PathBuf>,
    row: &dyn Fn(&str, &Run, String),
) -> BenchResult<()> {
    let people = median(runs, || run_core("parquet", "people", out, files))?;
    row("export Parquet, people", &people, "—".into());
    let full = median(runs, || run_core("parquet", "full", out, files))?;
    row("export Parquet, full", &full, "—".into());
    if let Some(python) = duckdb {
        let duckdb_parquet = out.join("duckdb.parquet");
        let run = median(runs, || {
            python_run(python, DUCKDB_PARQUET, &duckdb_parquet, files)
        })?;
        let (p, f) = (run.seconds / people.seconds, run.seconds / full.seconds);
        let versus = format!("Parquet people {p:.2}×, full {f:.2}× faster (goal ≥ 1×)");
        row("DuckDB read_json → COPY Parquet", &run, versus);
    }
    Ok(())
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or("?".into(), |kib| format!("{:.1} MiB", kib as f64 / 1024.0))
}

fn parent(args: &[String]) -> BenchResult<()> {
    let counts: Vec<usize> = match args {
        [flag, list] if flag == "--records" => {
            list.split(',').map(str::parse).collect::<Result<_, _>>()?
        }
        [] => vec![10_000, 200_000],
        _ => return Err("usage: export-bench [--records N,M]".into()),
    };
    let exe = std::env::current_exe()?;
    let work = exe
        .parent()
        .ok_or("no folder for the bench")?
        .join("export-bench-work");
    let (pandas, duckdb) = python_references(&work);
    println!("| people | input (JSON) | tool | seconds | MiB/s | peak | export vs it |");
    println!("|---|---|---|---|---|---|---|");
    for count in counts {
        let inputs = work.join(format!("input-{count}"));
        let _ = std::fs::remove_dir_all(&inputs);
        let (files, bytes) = make_inputs(&inputs, count)?;
        let out = work.join("out");
        let _ = std::fs::remove_dir_all(&out);
        std::fs::create_dir_all(&out)?;
        let speed = |run: &Run| bytes as f64 / MIB / run.seconds;
        let runs = if count <= 50_000 { 3 } else { 1 };
        let core = median(runs, || run_core("csv", "people", &out, &files))?;
        let row = |tool: &str, run: &Run, versus: String| {
            println!(
                "| {count} | {:.0} MiB | {tool} | {:.2} | {:.0} | {} | {versus} |",
                bytes as f64 / MIB,
                run.seconds,
                speed(run),
                mib(run.peak_kib)
            );
        };
        row("export CSV, people", &core, "—".into());
        let full = median(runs, || run_core("csv", "full", &out, &files))?;
        row("export CSV, full", &full, "—".into());
        let mut xlsx = Vec::new();
        for layout in ["people", "full"] {
            let run = median(runs, || run_core("xlsx", layout, &out, &files))?;
            row(&format!("export XLSX, {layout}"), &run, "—".into());
            xlsx.push(run.seconds);
        }
        // How the CSV exports (people / full) compare with a reference run.
        let versus = |run: &Run, unit: &str, goal: &str| {
            let (p, f) = (run.seconds / core.seconds, run.seconds / full.seconds);
            format!("people {p:.2}×, full {f:.2}× {unit} (goal {goal})")
        };
        let zcat = median(runs, || timed(Command::new("zcat").args(&files)))?;
        row(
            "zcat > /dev/null",
            &zcat,
            versus(&zcat, "its speed", "≥ 0.5×"),
        );
        if count <= 50_000 {
            table_figures(&files, zcat.seconds)?;
        }
        let xlsx_full = xlsx[1] / zcat.seconds;
        println!(
            "| {count} | | XLSX full vs zcat | | | | {xlsx_full:.2}× zcat's time (goal ≤ 2×: {}) |",
            if xlsx_full <= 2.0 { "met" } else { "NOT met" }
        );
        if let Some(python) = &pandas {
            let pandas_csv = out.join("pandas.csv");
            let run = median(runs, || python_run(python, PANDAS, &pandas_csv, &files))?;
            row(
                "pandas json_normalize + to_csv",
                &run,
                versus(&run, "faster", "≥ 10×"),
            );
        }
        if let Some(python) = &duckdb {
            let duckdb_csv = out.join("duckdb.csv");
            let run = median(runs, || python_run(python, DUCKDB, &duckdb_csv, &files))?;
            row(
                "DuckDB read_json → COPY CSV",
                &run,
                versus(&run, "faster", "≥ 1×"),
            );
            let xlsx_people = run.seconds / xlsx[0];
            println!(
                "| {count} | | XLSX people vs DuckDB | | | | {xlsx_people:.2}× DuckDB's speed (goal ≥ 1×: {}) |",
                if xlsx_people >= 1.0 { "met" } else { "NOT met" }
            );
        }
        parquet_rows(&out, &files, runs, &duckdb, &row)?;
    }
    println!("\nTimes: median of 3 runs up to 50,000 people, one run above; peak: the highest of the runs.");
    println!("export peak memory goal: ≤ 128 MiB. zcat time includes writing to /dev/null; Python times include starting the interpreter.");
    Ok(())
}
