//! Simulator configuration: the service variants to imitate and the starting state.

use crate::faults::Faults;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::time::Duration;

/// The key Practice mode uses; it starts with plenty of credits.
pub const DEFAULT_PRACTICE_KEY: &str = "practice-key";

/// How `GET /files` answers while a request is still processing (the documentation disagrees).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum PendingStyle {
    /// `202 {"message": "Data request is still being processed"}` (the response-codes page).
    #[default]
    Accepted,
    /// `200 {"data_request_files": []}` (clients treat an empty list as pending).
    EmptyList,
    /// `200 {"message": "Data request is still being processed"}` (what public code polls on).
    Message,
}

/// Everything a simulator starts from. `Default` is the current documented behaviour.
#[derive(Clone, Debug)]
pub struct SimConfig {
    /// Port to bind on 127.0.0.1; `None` picks a free one.
    pub port: Option<u16>,
    /// Known API keys and their starting credits (a balance saved in [`SimConfig::data_dir`] wins).
    pub api_keys: Vec<(String, i64)>,
    /// Credits charged per delivered record (1 in the product page, 10 in newer pricing).
    pub credits_per_record: i64,
    /// Credits charged per preview call.
    pub preview_credits: i64,
    /// Time between a POST and its files being ready (simulated clock).
    pub processing_time: Duration,
    /// Records per result file (the service writes at most 10,000).
    pub records_per_file: usize,
    /// Token-bucket rate per key per endpoint, requests a second.
    pub rate_limit_per_second: u32,
    /// Whether 429 answers carry `Retry-After` (undocumented for the real service).
    pub send_retry_after: bool,
    /// Status of a successful POST: 201 (since 2025-04-30) or 200 (before).
    pub created_status: u16,
    /// Whether a successful POST body carries `request_id` (otherwise only `Location` does).
    pub request_id_in_body: bool,
    /// How pending requests are reported.
    pub pending_style: PendingStyle,
    /// Status when nothing matched: 404 (docs) or 422 (observed in code).
    pub no_match_status: u16,
    /// How long results stay downloadable (simulated clock).
    pub retention: Duration,
    /// Number of records in the searchable corpus.
    pub corpus_size: usize,
    /// Seed of the corpus, the records and the random faults.
    pub seed: u64,
    /// Where result files and the saved state are written, reloaded by the next simulator on the same
    /// folder (see the crate docs, "Persistence"); `None` uses a fresh temporary folder removed on
    /// drop, and nothing is saved.
    pub data_dir: Option<PathBuf>,
    /// Faults switched on from the start.
    pub faults: Faults,
    /// Whether the control routes under `/_sim` are served (see [`crate::admin`]). They need no
    /// key, so any program on this computer could use them (set credits, write a file of any
    /// size): off by default and in the app's Practice mode; tests and the `coresignal-sim` binary
    /// (a test tool) switch them on.
    pub control_routes: bool,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            port: None,
            api_keys: vec![(DEFAULT_PRACTICE_KEY.to_string(), 1_000_000_000)],
            credits_per_record: 1,
            preview_credits: 0,
            processing_time: Duration::from_secs(2),
            records_per_file: 10_000,
            rate_limit_per_second: 27,
            send_retry_after: false,
            created_status: 201,
            request_id_in_body: true,
            pending_style: PendingStyle::Accepted,
            no_match_status: 404,
            retention: Duration::from_secs(30 * 24 * 3600),
            corpus_size: 20_000,
            seed: 42,
            data_dir: None,
            faults: Faults::default(),
            control_routes: false,
        }
    }
}

impl SimConfig {
    /// Checks the variant values; the message names the bad setting.
    pub fn validate(&self) -> Result<(), String> {
        if !matches!(self.created_status, 200 | 201) {
            return Err(format!(
                "created_status must be 200 or 201, not {}",
                self.created_status
            ));
        }
        if !matches!(self.no_match_status, 404 | 422) {
            return Err(format!(
                "no_match_status must be 404 or 422, not {}",
                self.no_match_status
            ));
        }
        if self.records_per_file == 0 {
            return Err("records_per_file must be at least 1".into());
        }
        if self.rate_limit_per_second == 0 {
            return Err("rate_limit_per_second must be at least 1".into());
        }
        self.faults.validate()
    }
}
