//! `coresignal-sim`: runs the simulator until SIGINT/SIGTERM.
//! Prints `listening on http://127.0.0.1:PORT/cdapi` (one line) once it accepts connections.

use clap::Parser;
use coresignal_sim::{Faults, PendingStyle, SimConfig, Simulator, DEFAULT_PRACTICE_KEY};
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

/// A local simulator of Coresignal's Bulk Collect API (Clean Employee).
#[derive(Parser, Debug)]
#[command(name = "coresignal-sim", version)]
struct Args {
    /// Port on 127.0.0.1 (0 = any free port).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// API keys and their credits: `key=credits,key2=credits`.
    #[arg(long, value_parser = parse_keys, default_value = "practice-key=1000000000")]
    keys: KeyList,
    /// Milliseconds from POST to ready files.
    #[arg(long, default_value_t = 2000)]
    processing_ms: u64,
    /// Folder for result files and saved state (kept, reloaded on the next start); default: a
    /// temporary folder removed at exit.
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// Seed of the corpus and random faults.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Records in the searchable corpus.
    #[arg(long, default_value_t = 20_000)]
    corpus_size: usize,
    /// Credits per delivered record.
    #[arg(long, default_value_t = 1)]
    credits_per_record: i64,
    /// Credits per preview call.
    #[arg(long, default_value_t = 0)]
    preview_credits: i64,
    /// Records per result file.
    #[arg(long, default_value_t = 10_000)]
    records_per_file: usize,
    /// Requests a second per key per endpoint.
    #[arg(long, default_value_t = 27)]
    rate_limit: u32,
    /// Send `Retry-After` with 429 answers.
    #[arg(long)]
    retry_after: bool,
    /// Status of a successful POST (200 = the pre-2025 variant).
    #[arg(long, default_value_t = 201)]
    created_status: u16,
    /// Leave `request_id` out of POST answers (clients must use `Location`).
    #[arg(long)]
    no_request_id_in_body: bool,
    /// How pending requests are reported.
    #[arg(long, value_enum, default_value_t = PendingStyle::Accepted)]
    pending_style: PendingStyle,
    /// Status when nothing matched (404 or 422).
    #[arg(long, default_value_t = 404)]
    no_match_status: u16,
    /// Faults to start with, as the JSON of `PUT /_sim/faults`.
    #[arg(long)]
    faults: Option<String>,
}

#[derive(Clone, Debug)]
struct KeyList(Vec<(String, i64)>);

fn parse_keys(s: &str) -> Result<KeyList, String> {
    s.split(',')
        .filter(|p| !p.trim().is_empty())
        .map(|pair| {
            let (k, c) = pair
                .split_once('=')
                .ok_or_else(|| format!("expected key=credits, got {pair:?}"))?;
            let credits = c
                .trim()
                .parse()
                .map_err(|_| format!("bad credits in {pair:?}"))?;
            Ok((k.trim().to_string(), credits))
        })
        .collect::<Result<_, _>>()
        .map(KeyList)
}

async fn terminated() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    let faults = match args
        .faults
        .as_deref()
        .map(serde_json::from_str::<Faults>)
        .transpose()
    {
        Ok(f) => f.unwrap_or_default(),
        Err(e) => {
            eprintln!("coresignal-sim: bad --faults: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let mut keys = args.keys.0;
    if keys.is_empty() {
        keys.push((DEFAULT_PRACTICE_KEY.to_string(), 1_000_000_000));
    }
    let config = SimConfig {
        port: Some(args.port),
        api_keys: keys,
        credits_per_record: args.credits_per_record,
        preview_credits: args.preview_credits,
        processing_time: Duration::from_millis(args.processing_ms),
        records_per_file: args.records_per_file,
        rate_limit_per_second: args.rate_limit,
        send_retry_after: args.retry_after,
        created_status: args.created_status,
        request_id_in_body: !args.no_request_id_in_body,
        pending_style: args.pending_style,
        no_match_status: args.no_match_status,
        corpus_size: args.corpus_size,
        seed: args.seed,
        data_dir: args.data_dir,
        faults,
        // This binary is the tests' out-of-process service: they drive it through `/_sim`.
        control_routes: true,
        ..SimConfig::default()
    };
    let sim = match Simulator::start(config).await {
        Ok(sim) => sim,
        Err(e) => {
            eprintln!("coresignal-sim: cannot start: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "listening on {}", sim.base_url());
    let _ = out.flush();
    drop(out);
    terminated().await;
    sim.shutdown().await;
    std::process::ExitCode::SUCCESS
}
