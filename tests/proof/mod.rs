//! The proof that nothing is lost or leaked: the real CLI killed at kill points and restarted
//! (`killed.rs`), a person's whole flow run again after each crash (`flow.rs`), and the promises
//! checked afterwards on the real files, database and simulator (`checks.rs`). Used by the
//! `kill_points` suite (`make test`) and the `soak` binary (`make soak`).

pub mod checks;
pub mod flow;
pub mod killed;

use std::time::Duration;

use coresignal_sim::{SimConfig, Simulator, DEFAULT_PRACTICE_KEY};

use checks::Reference;
use flow::{Flow, Plan};
use killed::CliTarget;

/// Profiles collected: a file of 1,000 (two 512 KiB batches, so one kill lands mid-file) and one
/// of 300.
pub const LIMIT: u32 = 1_300;

/// The simulator of the proof: files ready after 300 ms, 1,000 profiles a file.
pub fn sim_config() -> SimConfig {
    SimConfig {
        processing_time: Duration::from_millis(300),
        records_per_file: 1_000,
        ..crate::quick_sim()
    }
}

/// A new simulator, data folder and flow (the Python query, [`LIMIT`] profiles).
pub async fn fresh() -> (Simulator, tempfile::TempDir, Flow) {
    let sim = Simulator::start(sim_config())
        .await
        .expect("the simulator starts");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let flow = Flow {
        target: CliTarget {
            api_base: sim.base_url(),
            data_dir: dir.path().to_path_buf(),
            downloads: dir.path().join("downloads"),
            key: DEFAULT_PRACTICE_KEY.into(),
            poll_ms: 100,
        },
        query: crate::shared_data("query-python.json"),
        limit: LIMIT,
    };
    (sim, dir, flow)
}

/// The undisturbed run: what every crashed run must end with.
pub async fn reference() -> Reference {
    let (sim, _dir, flow) = fresh().await;
    let story = flow.run(&sim, |_, _| Plan::default()).await;
    assert_eq!(story.state, "downloaded", "{story:?}");
    let records = sim.requests()[0].record_count;
    assert_eq!(records, LIMIT as usize);
    let csv = std::fs::read(flow.export_file().expect("the export")).expect("the export reads");
    Reference { csv, records }
}

/// The kill points of the short form, each with the command it is limited to (if any).
pub const KILL_POINTS: &[(Option<&str>, &str)] = &[
    (None, "event:1"),
    (None, "submit.spent:1"),
    (None, "submit.answered:1"),
    (None, "submit.recorded:1"),
    (None, "event:2"),
    (None, "state.processing:1"),
    (Some("download"), "poll.answered:1"),
    (Some("download"), "event:1"),
    (Some("download"), "poll.answered:2"),
    (None, "state.ready:1"),
    (None, "state.downloading:1"),
    (None, "download.batch:1"),
    (None, "download.batch:2"),
    (None, "download.checked:1"),
    (None, "download.renamed:1"),
    (None, "download.first_batch:2"),
    (None, "download.checked:2"),
    (None, "download.renamed:2"),
    (None, "state.downloaded:1"),
    (None, "export.staged:1"),
    (Some("export"), "export.staged:1"),
];

/// The kill points of the desktop app (`tests/suites/e2e/app_kills.rs`), a smaller set than the
/// CLI's: one in each of submit, poll, download, verify and rename, and the spreadsheet.
pub const APP_KILL_POINTS: &[&str] = &[
    "submit.answered:1",
    "state.processing:1",
    "poll.answered:1",
    "download.batch:1",
    "download.renamed:1",
    "export.staged:1",
];
