//! `make bench`: the core's download against `curl`, side by side in one run, from the project's
//! simulator on loopback, for files of 64 MiB and 512 MiB (override with `--sizes`, in MiB).
//!
//! Each download runs in its own process so that peak memory (VmHWM) is that download's alone.
//! The core also checks the gzip stream and counts records while it downloads, fsyncs and renames;
//! curl only writes bytes, so a second reference adds the same checks after curl (`sync`, `gzip -t`).
//! `--runs N` sets the runs of each (default 5); `--baseline FILE` also runs an older build of this
//! binary's child, alternating with the others, to compare a change in the same run.

#![allow(missing_docs)]

#[path = "common.rs"]
mod common;
#[path = "download_runs.rs"]
mod runs;

use common::{peak_kib, run_bench, BenchResult};
use runs::{load_average, print_heading, Fixture};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use collect_core::api::{ApiClient, ApiConfig, RateLimiter};
use collect_core::download::download_file;
use collect_core::secrets::ApiKey;

const KEY: &str = "practice-key";

fn main() {
    run_bench("download-bench", child, parent);
}

/// One download by the core, in this process; prints `seconds bytes records peak_kib cpu_seconds
/// last_report_seconds` (the last: when the last progress report came, after the last byte).
fn child(args: &[String]) -> BenchResult<()> {
    let [base, request_id, file_name, dest] = args else {
        return Err("usage: --child BASE REQUEST_ID FILE_NAME DEST".into());
    };
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        let client = ApiClient::new(
            ApiConfig {
                base_url: base.clone(),
                ..ApiConfig::default()
            },
            ApiKey::new(KEY),
            RateLimiter::new(27),
        )?;
        let (_cancel, cancelled) = tokio::sync::watch::channel(false);
        let started = Instant::now();
        let last_report = AtomicU64::new(0);
        let progress = |_| {
            let nanos = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
            last_report.store(nanos, Ordering::Relaxed);
        };
        let done = download_file(
            &client,
            request_id,
            file_name,
            Path::new(dest),
            "bench.json.gz",
            &progress,
            cancelled,
        )
        .await?;
        let seconds = started.elapsed().as_secs_f64();
        let last = last_report.load(Ordering::Relaxed) as f64 / 1e9;
        println!(
            "{seconds} {} {} {} {} {last}",
            done.bytes,
            done.records,
            peak_kib()?,
            cpu_seconds()?
        );
        Ok(())
    })
}

struct Simulator {
    process: Child,
    base: String,
    _data: tempfile::TempDir,
}

impl Drop for Simulator {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

fn start_simulator(binaries: &Path) -> BenchResult<Simulator> {
    let data = tempfile::tempdir()?;
    let mut process = Command::new(binaries.join("coresignal-sim"))
        .args(["--port", "0", "--data-dir"])
        .arg(data.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()?;
    let stdout = process.stdout.take().ok_or("the simulator has no stdout")?;
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line)?;
    let base = line
        .trim()
        .strip_prefix("listening on ")
        .ok_or_else(|| format!("unexpected first line from the simulator: {line:?}"))?
        .to_owned();
    Ok(Simulator {
        process,
        base,
        _data: data,
    })
}

/// The throttle of the "real link" row: 100 MiB/s.
const LINK_BYTES_PER_SECOND: u64 = 100 * 1024 * 1024;

/// Sets (or clears) the simulator's download throttle through its admin API.
fn set_throttle(
    runtime: &tokio::runtime::Runtime,
    http: &reqwest::Client,
    base: &str,
    bytes_per_second: Option<u64>,
) -> BenchResult<()> {
    runtime.block_on(async {
        http.put(format!("{}/_sim/faults", base.trim_end_matches("/cdapi")))
            .json(&serde_json::json!({ "throttle_bytes_per_second": bytes_per_second }))
            .send()
            .await?
            .error_for_status()?;
        Ok(())
    })
}

/// CPU time of this process so far (user + system, all threads), from `/proc/self/stat`.
fn cpu_seconds() -> BenchResult<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat")?;
    // Fields after the command name (which is in parentheses and may hold spaces): utime and
    // stime are the 12th and 13th of them, in clock ticks (100 a second on Linux).
    let after = stat
        .rsplit_once(')')
        .ok_or("no command name in /proc/self/stat")?
        .1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |index: usize| -> BenchResult<f64> {
        Ok(fields
            .get(index)
            .ok_or("short /proc/self/stat")?
            .parse::<f64>()?)
    };
    Ok((ticks(11)? + ticks(12)?) / 100.0)
}

/// The value after `flag` in `args`, if the flag is there.
fn option<'a>(args: &'a [String], flag: &str) -> BenchResult<Option<&'a String>> {
    match args.iter().position(|arg| arg == flag) {
        Some(index) => Ok(Some(
            args.get(index + 1)
                .ok_or_else(|| format!("{flag} needs a value"))?,
        )),
        None => Ok(None),
    }
}

fn parent(args: &[String]) -> BenchResult<()> {
    let sizes: Vec<u64> = match option(args, "--sizes")? {
        Some(sizes) => sizes.split(',').map(str::parse).collect::<Result<_, _>>()?,
        None => vec![64, 512],
    };
    let runs: usize = option(args, "--runs")?.map_or(Ok(5), |runs| runs.parse())?;
    let baseline = option(args, "--baseline")?.map(PathBuf::from);
    let core = std::env::current_exe()?;
    let binaries: PathBuf = core
        .parent()
        .ok_or("no folder for this binary")?
        .to_path_buf();
    let sim = start_simulator(&binaries)?;
    let scratch = tempfile::tempdir()?;
    let http = reqwest::Client::new();
    println!("Download benchmark: the core (download_file: stream to .part, gzip check, record count, fsync, rename) vs curl");
    println!(
        "from the project's simulator on 127.0.0.1; median of {runs} runs each, alternating; load average {}.\n",
        load_average()
    );
    print_heading();
    for &size in &sizes {
        let runtime = tokio::runtime::Runtime::new()?;
        let info: serde_json::Value = runtime.block_on(async {
            http.post(format!(
                "{}/_sim/fixtures/big-file",
                sim.base.trim_end_matches("/cdapi")
            ))
            .json(&serde_json::json!({"key": KEY, "min_bytes": size * 1024 * 1024}))
            .timeout(Duration::from_secs(1800))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await
        })?;
        let request_id = info["id"].as_str().ok_or("no request id")?;
        let file = info["files"][0].as_str().ok_or("no file name")?;
        let fixture = Fixture {
            core: &core,
            baseline: baseline.as_ref(),
            base: &sim.base,
            request_id,
            file,
            scratch: scratch.path(),
        };
        fixture.measure(runs, "")?;
        if Some(&size) == sizes.first() {
            // The same file over a link of about 1 Gbit/s, as real downloads go.
            set_throttle(&runtime, &http, &sim.base, Some(LINK_BYTES_PER_SECOND))?;
            fixture.measure(runs, " @100")?;
            set_throttle(&runtime, &http, &sim.base, None)?;
        }
    }
    println!("\n@100: the simulator serves at most 100 MiB/s (about a 1 Gbit/s link).");
    println!("Goals: core ≥ 0.95× curl; core peak ≤ 64 MiB whatever the size.");
    println!("curl+checks: curl, then `sync FILE` and `gzip -t FILE` (the core's fsync and check, after it).");
    println!("tail: from the core's last progress report (the last byte handed on) to its end.");
    println!("Load average at the end: {}.", load_average());
    Ok(())
}
