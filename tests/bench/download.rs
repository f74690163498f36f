//! `make bench`: the core's download against `curl`, side by side in one run, from the project's
//! simulator on loopback, for files of 64 MiB and 512 MiB (override with `--sizes`, in MiB).
//!
//! Each download runs in its own process so that peak memory (VmHWM) is that download's alone.
//! The core also checks the gzip stream and counts records while it downloads; curl only writes bytes.

#![allow(missing_docs)]

#[path = "common.rs"]
mod common;

use common::{peak_kib, run_bench, BenchResult, MIB};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use collect_core::api::{ApiClient, ApiConfig, RateLimiter};
use collect_core::download::download_file;
use collect_core::secrets::ApiKey;

const KEY: &str = "practice-key";

fn main() {
    run_bench("download-bench", child, parent);
}

/// One download by the core, in this process; prints `seconds bytes records peak_kib`.
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
        let done = download_file(
            &client,
            request_id,
            file_name,
            Path::new(dest),
            "bench.json.gz",
            &|_| {},
            cancelled,
        )
        .await?;
        let seconds = started.elapsed().as_secs_f64();
        println!("{seconds} {} {} {}", done.bytes, done.records, peak_kib()?);
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

struct Run {
    seconds: f64,
    bytes: u64,
    peak_kib: u64,
}

/// `gzip -t` on the file curl fetched: the same check the core makes (inflate to the end, CRC),
/// without any network: the floor for "downloaded and verified".
fn run_gzip_test(file: &Path) -> BenchResult<f64> {
    let started = Instant::now();
    let status = Command::new("gzip").arg("-t").arg(file).status()?;
    if !status.success() {
        return Err(format!("gzip -t failed on {}", file.display()).into());
    }
    Ok(started.elapsed().as_secs_f64())
}

fn run_core(
    binaries: &Path,
    base: &str,
    request_id: &str,
    file: &str,
    dest: &Path,
) -> BenchResult<Run> {
    let _ = std::fs::remove_dir_all(dest);
    let output = Command::new(binaries.join("download-bench"))
        .args(["--child", base, request_id, file])
        .arg(dest)
        .output()?;
    if !output.status.success() {
        return Err(format!(
            "core download failed: {}",
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    let text = String::from_utf8(output.stdout)?;
    let fields: Vec<&str> = text.split_whitespace().collect();
    let [seconds, bytes, _records, peak] = fields.as_slice() else {
        return Err(format!("unexpected child output {text:?}").into());
    };
    Ok(Run {
        seconds: seconds.parse()?,
        bytes: bytes.parse()?,
        peak_kib: peak.parse()?,
    })
}

fn run_curl(base: &str, request_id: &str, file: &str, dest: &Path) -> BenchResult<(Run, f64)> {
    std::fs::create_dir_all(dest)?;
    let out = dest.join("curl.json.gz");
    let url = format!("{base}/v2/data_requests/{request_id}/files/{file}");
    let output = Command::new("/usr/bin/time")
        .args([
            "-f",
            "%M",
            "curl",
            "--silent",
            "--show-error",
            "--fail",
            "-H",
        ])
        .arg(format!("apikey: {KEY}"))
        .arg("-o")
        .arg(&out)
        .args(["-w", "%{time_total} %{size_download}"])
        .arg(&url)
        .output()?;
    if !output.status.success() {
        return Err(format!("curl failed: {}", String::from_utf8_lossy(&output.stderr)).into());
    }
    let text = String::from_utf8(output.stdout)?;
    let mut fields = text.split_whitespace();
    let seconds: f64 = fields.next().ok_or("no time from curl")?.parse()?;
    let bytes: u64 = fields.next().ok_or("no size from curl")?.parse()?;
    let peak_kib: u64 = String::from_utf8(output.stderr)?
        .lines()
        .last()
        .ok_or("no memory figure from /usr/bin/time")?
        .trim()
        .parse()?;
    let gzip_test = run_gzip_test(&out)?;
    std::fs::remove_file(out)?;
    Ok((
        Run {
            seconds,
            bytes,
            peak_kib,
        },
        gzip_test,
    ))
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

/// One big file on the simulator, measured with curl, gzip -t and the core.
struct Fixture<'a> {
    binaries: &'a Path,
    base: &'a str,
    request_id: &'a str,
    file: &'a str,
    scratch: &'a Path,
}

impl Fixture<'_> {
    /// Runs each side `runs` times, alternating, and prints one row (`label` follows the size).
    fn measure(&self, runs: usize, label: &str) -> BenchResult<()> {
        let (mut curl, mut core, mut gzip_test) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..runs {
            let (run, test_seconds) =
                run_curl(self.base, self.request_id, self.file, self.scratch)?;
            curl.push(run);
            gzip_test.push(test_seconds);
            core.push(run_core(
                self.binaries,
                self.base,
                self.request_id,
                self.file,
                &self.scratch.join("core"),
            )?);
        }
        let rate = |runs: &[Run]| {
            median(
                runs.iter()
                    .map(|run| run.bytes as f64 / MIB / run.seconds)
                    .collect(),
            )
        };
        let peak =
            |runs: &[Run]| runs.iter().map(|run| run.peak_kib).max().unwrap_or(0) as f64 / 1024.0;
        let bytes = core[0].bytes as f64 / MIB;
        let (curl_rate, core_rate) = (rate(&curl), rate(&core));
        let gzip_rate = median(gzip_test.iter().map(|seconds| bytes / seconds).collect());
        println!(
            "{:>13} | {:>10.0} | {:>13.0} | {:>10.0} | {:>10.2}x | {:>6.1} MiB | {:>6.1} MiB",
            format!("{bytes:.0} MiB{label}"),
            curl_rate,
            gzip_rate,
            core_rate,
            core_rate / curl_rate,
            peak(&curl),
            peak(&core)
        );
        Ok(())
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn parent(args: &[String]) -> BenchResult<()> {
    let sizes: Vec<u64> = match args.iter().position(|arg| arg == "--sizes") {
        Some(index) => args
            .get(index + 1)
            .ok_or("--sizes needs a value, e.g. 64,512")?
            .split(',')
            .map(str::parse)
            .collect::<Result<_, _>>()?,
        None => vec![64, 512],
    };
    let runs = 3;
    let binaries: PathBuf = std::env::current_exe()?
        .parent()
        .ok_or("no folder for this binary")?
        .to_path_buf();
    let sim = start_simulator(&binaries)?;
    let scratch = tempfile::tempdir()?;
    let http = reqwest::Client::new();
    println!("Download benchmark: the core (download_file: stream to .part, gzip check, record count, rename) vs curl");
    println!(
        "from the project's simulator on 127.0.0.1; median of {runs} runs each, alternating.\n"
    );
    println!(
        "{:>13} | {:>10} | {:>12} | {:>10} | {:>11} | {:>10} | {:>10}",
        "file",
        "curl MiB/s",
        "gzip -t MiB/s",
        "core MiB/s",
        "core / curl",
        "curl peak",
        "core peak"
    );
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
            binaries: &binaries,
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
    println!("The core checks the gzip while it downloads; gzip -t is that check alone, with no network.");
    Ok(())
}
