//! Crash anywhere in the app, lose nothing: the real desktop app (debug build, in WebKit through
//! WebDriver, in Live mode against a simulator on loopback) is killed with SIGKILL at a kill point
//! of submit, poll, download, verify/rename or the spreadsheet, started again on the same data
//! folder, and left to resume the way it does at start (the person only takes the documented way
//! out of `uncertain`: "I found it" with the request id the account shows). Then the promises of
//! `tests/proof/checks.rs` are checked against an undisturbed run of the app: the job ends
//! `downloaded`, every file is byte for byte the service's, nothing half-written carries a final
//! name, the service got one POST, `PRAGMA integrity_check` is ok, no quote was spent without a
//! job, the spreadsheet holds everyone, and the CSV export (made by the CLI from the app's data
//! folder) is the undisturbed run's.

use std::path::Path;
use std::time::{Duration, Instant};

use bulk_collect_tests::proof::checks::{broken_promises, Reference};
use bulk_collect_tests::proof::flow::{Flow, Story};
use bulk_collect_tests::proof::killed::{jobs, CliTarget, Ran};
use bulk_collect_tests::proof::{sim_config, LIMIT};
use bulk_collect_tests::shared_data;
use collect_core::test_seams::{KILL_AT_ENV, POLL_MS_ENV};
use coresignal_sim::{Simulator, DEFAULT_PRACTICE_KEY};

use crate::desktop::{App, Desktop, Setup};

/// The first poll's wait in the app (`BULK_COLLECT_TEST_POLL_MS`): the files are ready after
/// 300 ms.
const POLL_MS: u64 = 100;

/// How long a resumed app may take to finish the job.
const FINISH: Duration = Duration::from_secs(90);

/// Runs the app undisturbed, then killed at each of `points`; checks every promise after each run
/// and prints the table (`--nocapture`). Fails at the first broken promise.
pub async fn table(points: &[&str]) {
    let started = Instant::now();
    let (reference, row) = undisturbed().await;
    let mut rows = vec![row];
    for point in points {
        rows.push(crash_at(point, &reference).await);
    }
    println!(
        "\nKill points of the desktop app ({} points, {:.0} s)",
        points.len(),
        started.elapsed().as_secs_f64()
    );
    println!(
        "| point              | runs of the app (†: killed there)              | time  | result            |"
    );
    for row in rows {
        println!("{row}");
    }
}

/// The undisturbed run: what every crashed run must end with (its own promises checked too).
async fn undisturbed() -> (Reference, String) {
    let started = Instant::now();
    let ended = run(None).await;
    let records = ended.sim.requests()[0].record_count;
    assert_eq!(records, LIMIT as usize);
    let csv = std::fs::read(ended.flow.export_file().expect("the export")).expect("the export");
    let reference = Reference { csv, records };
    let row = ended.check(&reference, started).await;
    (reference, row)
}

/// Kills the app once at `point`, starts it again, and checks every promise. Returns the row.
async fn crash_at(point: &str, reference: &Reference) -> String {
    let started = Instant::now();
    let ended = run(Some(point)).await;
    assert_eq!(
        ended.story.kills,
        [point],
        "the app must reach {point} once and die there: {:?}",
        ended.story.commands
    );
    ended.check(reference, started).await
}

/// What a run left: the simulator, the app's folders, what happened.
struct Ended {
    sim: Simulator,
    flow: Flow,
    story: Story,
    _desktop: Desktop,
}

impl Ended {
    /// Every promise of `tests/proof/checks.rs`; the table row if they all hold.
    async fn check(&self, reference: &Reference, started: Instant) -> String {
        let broken = broken_promises(&self.sim, &self.flow, &self.story, reference).await;
        let point = self.story.kills.first().map_or("(none)", String::as_str);
        assert!(
            broken.is_empty(),
            "after a kill at {point}: {broken:#?}\nruns: {:?}",
            self.story.commands
        );
        format!(
            "| {point:<18} | {:<46} | {:>4.0}s | all promises hold |",
            self.story.commands.join(" → "),
            started.elapsed().as_secs_f64()
        )
    }
}

/// One person's collection in the app, killed at `point` if given and then started again; the
/// CSV export is made afterwards by the CLI from the app's data folder.
async fn run(point: Option<&str>) -> Ended {
    let sim = Simulator::start(sim_config())
        .await
        .expect("the simulator starts");
    let setup = |kill: Option<&str>| {
        let mut env = vec![(POLL_MS_ENV.to_owned(), POLL_MS.to_string())];
        env.extend(kill.map(|point| (KILL_AT_ENV.to_owned(), point.to_owned())));
        Setup {
            api_base: Some(sim.base_url()),
            env,
            ..Setup::default()
        }
    };
    let mut desktop = Desktop::start(setup(point)).await;
    let mut story = Story::default();
    let since = desktop.log_len();
    let data_dir = desktop.data_dir();
    let reached = {
        let app = desktop.open().await;
        let reached = tokio::select! {
            () = collect(&app, &data_dir) => None,
            point = desktop.kill_point_reached(since) => Some(point),
        };
        if reached.is_none() {
            app.quit().await;
        }
        // Else the session died with the app: dropped here.
        reached
    };
    match reached {
        None => story.commands.push("app".into()),
        Some(reached) => {
            story.commands.push(format!("app †{reached}"));
            story.kills.push(reached);
            desktop.kill_app(&setup(None)).await;
            let app = desktop.open().await;
            story.commands.push("app".into());
            resume(&app, &sim, &data_dir, &mut story).await;
            app.quit().await;
        }
    }
    let flow = Flow {
        target: CliTarget {
            api_base: sim.base_url(),
            data_dir: desktop.data_dir(),
            downloads: desktop.downloads(),
            key: DEFAULT_PRACTICE_KEY.into(),
            poll_ms: POLL_MS,
        },
        query: shared_data("query-python.json"),
        limit: LIMIT,
    };
    if let Some((id, state, _)) = jobs(&flow.target.data_dir).pop() {
        story.job = id;
        story.state = state;
    }
    if story.state == "downloaded" {
        export_csv(&flow, story.job).await;
    }
    Ended {
        sim,
        flow,
        story,
        _desktop: desktop,
    }
}

/// First run: the key, then the Python search for [`LIMIT`] (1,300) profiles, priced, collected
/// and confirmed; ends when the job is downloaded and its spreadsheet made.
async fn collect(app: &App<'_>, data_dir: &Path) {
    crate::e2e::enter_key_on_first_run(app).await;
    app.click_testid("nav-new").await;
    // The same query as the CLI's reference run (the shared Python example), as query code.
    let query: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(bulk_collect_tests::shared_data("query-python.json"))
            .expect("the shared query"),
    )
    .expect("the shared query is JSON");
    app.click_testid("query-code").await;
    app.type_query(&query.to_string()).await;
    app.fill("limit-input", &LIMIT.to_string()).await;
    app.fill("name-input", "kill points").await;
    // The price comes by itself; the button is named for it ("Get 1,300 profiles").
    app.wait_for_text("collect-button", "1,300 profiles").await;
    app.click_testid("collect-button").await;
    app.click_button("Yes, collect").await;
    // The plan was not chosen, so the price assumes 10 credits a profile: 13,000 credits, above
    // the default limit of 1,000 per request, which asks a second time naming the figure.
    app.click_button("Yes, spend 13,000 credits").await;
    app.wait_for("job-detail").await;
    app.wait_for_job_state_within("downloaded", FINISH).await;
    spreadsheet_made(app, data_dir).await;
}

/// After the restart: the app resumes by itself; an `uncertain` job is attached to the request
/// the account shows ("I found it"). Ends when the job is downloaded, its spreadsheet made and
/// the Jobs list shows it.
async fn resume(app: &App<'_>, sim: &Simulator, data_dir: &Path, story: &mut Story) {
    let state = app
        .wait_until_within("the job settles after the restart", FINISH, || async {
            let (_, state, _) = jobs(data_dir).pop()?;
            matches!(state.as_str(), "downloaded" | "uncertain" | "failed").then_some(state)
        })
        .await;
    app.click_testid("nav-jobs").await;
    if state == "uncertain" {
        let held: Vec<String> = jobs(data_dir).into_iter().filter_map(|j| j.2).collect();
        let request = sim
            .requests()
            .into_iter()
            .map(|request| request.id)
            .find(|id| !held.contains(id))
            .expect("the service holds the request whose answer was lost");
        app.click_testid("job-open").await;
        app.wait_for("uncertain").await;
        app.fill("attach-request-id", &request).await;
        app.click_button("I found it").await;
        story.commands.push("I found it".into());
        app.click_testid("nav-jobs").await;
    }
    app.wait_for_job_row("downloaded").await;
    spreadsheet_made(app, data_dir).await;
}

/// Waits until the database records the spreadsheet of the (only) job.
async fn spreadsheet_made(app: &App<'_>, data_dir: &Path) {
    let database = collect_core::store::Store::default_path(data_dir);
    app.wait_until_within("the spreadsheet is made", FINISH, || async {
        let connection = rusqlite::Connection::open(&database).ok()?;
        connection
            .query_row(
                "SELECT 1 FROM jobs WHERE export_path IS NOT NULL",
                [],
                |_| Ok(()),
            )
            .ok()
    })
    .await;
}

/// The CSV export of job `id`, by the CLI from the app's data folder (the app has quit). The
/// app's jobs are Live mode's, and the CLI is in Live mode with Coresignal's address (a loopback
/// one means Practice); an export sends nothing to it.
async fn export_csv(flow: &Flow, id: i64) {
    let target = CliTarget {
        api_base: collect_core::api::DEFAULT_BASE_URL.to_owned(),
        ..flow.target.clone()
    };
    let args = flow.export_args(id);
    let ran = tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        target.run(&args, None, None)
    })
    .await
    .expect("the CLI runner");
    match ran {
        Ran::Finished(output) if output.status.success() => {}
        other => panic!("the CSV export of the app's job failed: {other:?}"),
    }
}
