//! The key, typed into `key set` as a person would, through the whole flow (price, collect,
//! download, export, a refusal for credits, server errors), then searched for in everything the
//! processes left: zero hits. Also: a server that echoes the key back, `Debug` of every type that
//! holds one, and the key never sent to a plain-http address that is not this computer.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use bulk_collect_tests::*;
use collect_core::api::{ApiClient, ApiConfig, RateLimiter};
use collect_core::jobs::{EngineOptions, Mode};
use collect_core::secrets::{ApiKey, ProxyPassword};
use coresignal_sim::{Faults, PerGroup, SimConfig, Simulator, DEFAULT_PRACTICE_KEY};

mod addresses;
mod shown;
mod whole_flow;

/// Recognisable, and unlike anything else the app writes.
const KEY: &str = "sk-TEST-9f3a61c0d2b84e57a1";

/// Distinctive pieces of the key: a leak of part of it counts too (the hint shows the last 4).
fn pieces() -> [&'static str; 3] {
    [KEY, &KEY[..14], &KEY[8..]]
}

fn leaks(bytes: &[u8]) -> Option<&'static str> {
    pieces()
        .into_iter()
        .find(|piece| bytes.windows(piece.len()).any(|w| w == piece.as_bytes()))
}

/// The CLI with no key in its environment (it must come from the keychain), logs at their most
/// talkative, `stdin` piped in.
fn cli(base: &str, dir: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(workspace_binary("bulk-collect-cli"))
        .args(["--api-base", base, "--data-dir"])
        .arg(dir)
        .args(args)
        .env_remove("BULK_COLLECT_API_KEY")
        .env("BULK_COLLECT_LOG", "trace")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the CLI starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().expect("the CLI runs")
}
