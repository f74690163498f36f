//! Crash anywhere, lose nothing: the real CLI is killed with SIGKILL at kill points spread over
//! submit, poll, download, verify, rename and export (the audit trail's own events among them),
//! then the person's flow simply runs again. After each crash, against an undisturbed run: the
//! job ends `downloaded`, every file is byte for byte the service's, nothing half-written carries a
//! final name, the service got one POST, `PRAGMA integrity_check` is ok, and no quote was spent
//! without a job. Each test prints its table (`--nocapture`).

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use bulk_collect_tests::proof::checks::{broken_promises, Reference};
use bulk_collect_tests::proof::flow::{Plan, Story};
use bulk_collect_tests::proof::{fresh, reference, KILL_POINTS};

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
    table("submit and poll", &KILL_POINTS[..10]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_while_downloading_verifying_or_renaming_every_file_ends_identical() {
    table("download, verify, rename", &KILL_POINTS[10..18]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_around_the_end_and_the_export_the_spreadsheets_are_whole() {
    table("downloaded, spreadsheet, export", &KILL_POINTS[18..]).await;
}
