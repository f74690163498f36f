//! The download benchmark's measured runs: curl (and curl plus the core's checks done after it), the
//! core's child process, alternating, and the rows printed from them.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use super::common::{BenchResult, MIB};
use super::KEY;

/// One measured download.
pub struct Run {
    pub seconds: f64,
    pub bytes: u64,
    pub peak_kib: u64,
    /// CPU time (user + system, all threads).
    pub cpu_seconds: f64,
    /// The core only: time from the last progress report (the last byte handed on) to the end.
    pub tail_seconds: Option<f64>,
    /// curl only: `sync FILE` then `gzip -t FILE` after it, in seconds.
    pub checks_seconds: Option<f64>,
}

impl Run {
    fn rate(&self) -> f64 {
        self.bytes as f64 / MIB / self.seconds
    }
}

/// Runs `command`, returning its stdout, or its stderr as the error.
fn output_of(command: &mut Command, what: &str) -> BenchResult<(String, String)> {
    let output = command.output()?;
    if !output.status.success() {
        return Err(format!("{what} failed: {}", String::from_utf8_lossy(&output.stderr)).into());
    }
    Ok((
        String::from_utf8(output.stdout)?,
        String::from_utf8(output.stderr)?,
    ))
}

/// Seconds `program args file` takes; it must succeed.
fn timed(program: &str, args: &[&str], file: &Path) -> BenchResult<f64> {
    let started = Instant::now();
    output_of(Command::new(program).args(args).arg(file), program)?;
    Ok(started.elapsed().as_secs_f64())
}

/// One download by `binary --child` (this bench's binary, or an older build of it).
pub fn run_core(
    binary: &Path,
    base: &str,
    request_id: &str,
    file: &str,
    dest: &Path,
) -> BenchResult<Run> {
    let _ = std::fs::remove_dir_all(dest);
    let (text, _) = output_of(
        Command::new(binary)
            .args(["--child", base, request_id, file])
            .arg(dest),
        "core download",
    )?;
    let fields: Vec<&str> = text.split_whitespace().collect();
    let (seconds, bytes, peak, rest) = match fields.as_slice() {
        [seconds, bytes, _records, peak, rest @ ..] => (seconds, bytes, peak, rest),
        _ => return Err(format!("unexpected child output {text:?}").into()),
    };
    let seconds: f64 = seconds.parse()?;
    // An older build prints only the first four figures.
    let (cpu_seconds, tail_seconds) = match rest {
        [cpu, last] => (cpu.parse()?, Some(seconds - last.parse::<f64>()?)),
        _ => (f64::NAN, None),
    };
    Ok(Run {
        seconds,
        bytes: bytes.parse()?,
        peak_kib: peak.parse()?,
        cpu_seconds,
        tail_seconds,
        checks_seconds: None,
    })
}

/// One download by curl into `dest` (the folder the core writes into), then the core's checks
/// done after it: `sync` (fsync) the file, `gzip -t` it.
pub fn run_curl(base: &str, request_id: &str, file: &str, dest: &Path) -> BenchResult<Run> {
    std::fs::create_dir_all(dest)?;
    let out = dest.join("curl.json.gz");
    let url = format!("{base}/v2/data_requests/{request_id}/files/{file}");
    let (text, errors) = output_of(
        Command::new("/usr/bin/time")
            .args(["-f", "%M %U %S", "curl", "--silent", "--show-error"])
            .args(["--fail", "-H"])
            .arg(format!("apikey: {KEY}"))
            .arg("-o")
            .arg(&out)
            .args(["-w", "%{time_total} %{size_download}"])
            .arg(&url),
        "curl",
    )?;
    let mut fields = text.split_whitespace();
    let seconds: f64 = fields.next().ok_or("no time from curl")?.parse()?;
    let bytes: u64 = fields.next().ok_or("no size from curl")?.parse()?;
    let time = errors
        .lines()
        .last()
        .ok_or("no figures from /usr/bin/time")?;
    let figures: Vec<f64> = time
        .split_whitespace()
        .map(str::parse)
        .collect::<Result<_, _>>()?;
    let [peak_kib, user, system] = figures.as_slice() else {
        return Err(format!("unexpected /usr/bin/time output {time:?}").into());
    };
    let checks = timed("sync", &[], &out)? + timed("gzip", &["-t"], &out)?;
    std::fs::remove_file(out)?;
    Ok(Run {
        seconds,
        bytes,
        peak_kib: *peak_kib as u64,
        cpu_seconds: user + system,
        tail_seconds: None,
        checks_seconds: Some(checks),
    })
}

/// One big file on the simulator, measured with curl and the core (and an older core, if given).
pub struct Fixture<'a> {
    pub core: &'a Path,
    pub baseline: Option<&'a PathBuf>,
    pub base: &'a str,
    pub request_id: &'a str,
    pub file: &'a str,
    pub scratch: &'a Path,
}

impl Fixture<'_> {
    /// Runs each side `runs` times, alternating, and prints one row per side (`label` follows the
    /// size), then each run's figures.
    pub fn measure(&self, runs: usize, label: &str) -> BenchResult<()> {
        let (mut curl, mut core, mut baseline) = (Vec::new(), Vec::new(), Vec::new());
        let dest = self.scratch.join("core");
        for _ in 0..runs {
            curl.push(run_curl(self.base, self.request_id, self.file, &dest)?);
            core.push(run_core(
                self.core,
                self.base,
                self.request_id,
                self.file,
                &dest,
            )?);
            if let Some(older) = self.baseline {
                baseline.push(run_core(
                    older,
                    self.base,
                    self.request_id,
                    self.file,
                    &dest,
                )?);
            }
        }
        let size = format!("{:.0} MiB{label}", core[0].bytes as f64 / MIB);
        print_row(&size, "core", &core, &curl);
        if !baseline.is_empty() {
            print_row(&size, "baseline", &baseline, &curl);
        }
        print_runs(&size, "curl", &curl, None);
        print_runs(&size, "core", &core, Some(&curl));
        if !baseline.is_empty() {
            print_runs(&size, "baseline", &baseline, Some(&curl));
        }
        Ok(())
    }
}

/// The table's heading (see [`print_row`]).
pub fn print_heading() {
    println!(
        "{:>13} | {:>8} | {:>10} | {:>17} | {:>10} | {:>11} | {:>9} | {:>9} | {:>8} | {:>8}",
        "file",
        "",
        "curl MiB/s",
        "curl+checks MiB/s",
        "core MiB/s",
        "core / curl",
        "curl peak",
        "core peak",
        "core CPU",
        "tail"
    );
}

fn print_row(size: &str, name: &str, core: &[Run], curl: &[Run]) {
    let rate = |runs: &[Run]| median(runs.iter().map(Run::rate).collect());
    let peak =
        |runs: &[Run]| runs.iter().map(|run| run.peak_kib).max().unwrap_or(0) as f64 / 1024.0;
    let (curl_rate, core_rate) = (rate(curl), rate(core));
    let checked_rate = median(
        curl.iter()
            .map(|run| run.bytes as f64 / MIB / (run.seconds + run.checks_seconds.unwrap_or(0.0)))
            .collect(),
    );
    let cpu = median(core.iter().map(|run| run.cpu_seconds).collect());
    let tail = median(
        core.iter()
            .map(|run| run.tail_seconds.unwrap_or(f64::NAN))
            .collect(),
    );
    println!(
        "{size:>13} | {name:>8} | {curl_rate:>10.0} | {checked_rate:>17.0} | {core_rate:>10.0} | \
         {:>10.2}x | {:>5.1} MiB | {:>5.1} MiB | {cpu:>6.2} s | {:>5.0} ms",
        core_rate / curl_rate,
        peak(curl),
        peak(core),
        tail * 1000.0
    );
}

/// One line of each run's MiB/s (and, for a core, its ratio to the curl run just before it).
fn print_runs(size: &str, name: &str, runs: &[Run], curl: Option<&[Run]>) {
    let figures: Vec<String> = runs
        .iter()
        .enumerate()
        .map(|(i, run)| match curl {
            Some(curl) => format!("{:.0} ({:.2}x)", run.rate(), run.rate() / curl[i].rate()),
            None => format!(
                "{:.0} (peak {:.1} MiB, CPU {:.2} s)",
                run.rate(),
                run.peak_kib as f64 / 1024.0,
                run.cpu_seconds
            ),
        })
        .collect();
    println!("    {size} {name}: {}", figures.join(" · "));
}

/// The median (the upper one of an even count); NaN last.
pub fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// The load averages (1, 5, 15 minutes) as `/proc/loadavg` gives them.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|_| "unknown".into())
}
