//! Crash anywhere, lose nothing: the real CLI is killed with SIGKILL at kill points spread over
//! submit, poll, download, verify, rename and export (the audit trail's own events among them),
//! then the person's flow simply runs again. After each crash, against an undisturbed run: the
//! job ends `downloaded`, every file is byte for byte the service's, nothing half-written carries a
//! final name, the service got one POST, `PRAGMA integrity_check` is ok, and no quote was spent
//! without a job. Each test prints its table (`--nocapture`).

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use std::time::Duration;

use bulk_collect_tests::proof::checks::{broken_promises, Reference};
use bulk_collect_tests::proof::flow::{Flow, Plan, Story};
use bulk_collect_tests::proof::killed::CliTarget;
use bulk_collect_tests::*;
use coresignal_sim::{SimConfig, Simulator, DEFAULT_PRACTICE_KEY};

/// Profiles collected: a file of 1,000 (two 512 KiB batches, so one kill lands mid-file) and one
/// of 300.
const LIMIT: u32 = 1_300;

fn sim_config() -> SimConfig {
    SimConfig {
        processing_time: Duration::from_millis(300),
        records_per_file: 1_000,
        ..quick_sim()
    }
}

async fn fresh() -> (Simulator, tempfile::TempDir, Flow) {
    let sim = Simulator::start(sim_config()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let flow = Flow {
        target: CliTarget {
            api_base: sim.base_url(),
            data_dir: dir.path().to_path_buf(),
            key: DEFAULT_PRACTICE_KEY.into(),
            poll_ms: 100,
        },
        query: shared_data("query-python.json"),
        limit: LIMIT,
    };
    (sim, dir, flow)
}

/// The undisturbed run: what every crashed run must end with.
async fn reference() -> Reference {
    let (sim, _dir, flow) = fresh().await;
    let story = flow.run(&sim, |_, _| Plan::default()).await;
    assert_eq!(story.state, "downloaded", "{story:?}");
    let records = sim.requests()[0].record_count;
    assert_eq!(records, LIMIT as usize);
    let csv = std::fs::read(flow.export_file().expect("the export")).unwrap();
    Reference { csv, records }
}

/// Kills the flow once at `point` (in the first command that reaches it, or only in `command`),
/// runs it to its end, and checks every promise. Returns the table row.
async fn crash_at(command: Option<&str>, point: &str, reference: &Reference) -> String {
    let (sim, _dir, flow) = fresh().await;
    let story: Story = flow
        .run(&sim, |name, kills| Plan {
            at: (kills == 0 && command.is_none_or(|c| c == name)).then(|| point.to_owned()),
            after: None,
        })
        .await;
    assert_eq!(
        story.kills,
        [point],
        "the flow must reach {point} once and die there: {:?}",
        story.commands
    );
    let broken = broken_promises(&sim, &flow, &story, reference).await;
    assert!(
        broken.is_empty(),
        "after a kill at {point}: {broken:#?}\ncommands: {:?}",
        story.commands
    );
    format!(
        "| {point:<22} | {:<80} | all promises hold |",
        story.commands.join(" → ")
    )
}

async fn table(title: &str, points: &[(Option<&str>, &str)]) {
    let reference = reference().await;
    let mut rows = Vec::new();
    for (command, point) in points {
        rows.push(crash_at(*command, point, &reference).await);
    }
    println!("\nKill points: {title} ({} points)", rows.len());
    println!("| point                  | commands (†: killed there)                                                       | result            |");
    for row in rows {
        println!("{row}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_while_submitting_or_polling_nothing_is_paid_twice_or_lost() {
    table(
        "submit and poll",
        &[
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
        ],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_while_downloading_verifying_or_renaming_every_file_ends_identical() {
    table(
        "download, verify, rename",
        &[
            (None, "state.downloading:1"),
            (None, "download.batch:1"),
            (None, "download.batch:2"),
            (None, "download.checked:1"),
            (None, "download.renamed:1"),
            (None, "download.batch:3"),
            (None, "download.checked:2"),
            (None, "download.renamed:2"),
        ],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_around_the_end_and_the_export_the_spreadsheets_are_whole() {
    table(
        "downloaded, spreadsheet, export",
        &[
            (None, "state.downloaded:1"),
            (None, "export.staged:1"),
            (Some("export"), "export.staged:1"),
        ],
    )
    .await;
}
