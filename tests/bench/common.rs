//! What the benchmark binaries share: the parent/child split (each measured run is its own
//! process, so that its peak memory is its own) and reading that peak.

/// Bytes in a MiB.
pub const MIB: f64 = 1024.0 * 1024.0;

/// A benchmark step's result.
pub type BenchResult<T> = Result<T, Box<dyn std::error::Error>>;

/// Runs `child` when started with `--child ARGS…` (one measured run), else `parent`; prints an
/// error under `name` and exits non-zero on failure.
pub fn run_bench(
    name: &str,
    child: fn(&[String]) -> BenchResult<()>,
    parent: fn(&[String]) -> BenchResult<()>,
) {
    let args: Vec<String> = std::env::args().collect();
    let result = if args.get(1).map(String::as_str) == Some("--child") {
        child(&args[2..])
    } else {
        parent(&args[1..])
    };
    if let Err(error) = result {
        eprintln!("{name}: {error}");
        std::process::exit(1);
    }
}

/// This process's peak resident memory (VmHWM), in KiB.
pub fn peak_kib() -> BenchResult<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let line = status
        .lines()
        .find(|line| line.starts_with("VmHWM:"))
        .ok_or("no VmHWM in /proc/self/status")?;
    Ok(line
        .split_whitespace()
        .nth(1)
        .ok_or("VmHWM has no value")?
        .parse()?)
}
