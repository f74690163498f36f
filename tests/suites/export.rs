//! Export, end to end: the real CLI binary against the real simulator over HTTP. A search is
//! submitted, downloaded and exported; the workbook is opened by an independent reader (calamine)
//! and holds exactly the downloaded people. Exporting before the download is refused, clearly.

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use bulk_collect_tests::*;
use calamine::{Data, Reader, Xlsx};
use collect_core::jobs::JobState;
use coresignal_sim::DEFAULT_PRACTICE_KEY;
use serde_json::Value;

/// Runs the CLI with `--json` against `harness`'s simulator and data folder.
fn cli(harness: &Harness, args: &[&str]) -> (Output, Value) {
    let output = Command::new(workspace_binary("bulk-collect-cli"))
        .args([
            "--json",
            "--api-base",
            &harness.sim.base_url(),
            "--data-dir",
        ])
        .arg(harness.dir.path())
        .args(args)
        .env("BULK_COLLECT_API_KEY", DEFAULT_PRACTICE_KEY)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let json = serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "stdout is one JSON object ({error}): {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output, json)
}

fn paths(answer: &Value) -> Vec<PathBuf> {
    answer["paths"]
        .as_array()
        .unwrap()
        .iter()
        .map(|path| PathBuf::from(path.as_str().unwrap()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_search_is_submitted_downloaded_and_opened_as_a_workbook() {
    let harness = Harness::start(quick_sim()).await;
    let query = shared_data("query-python.json");
    let (submitted, answer) = cli(
        &harness,
        &[
            "submit",
            "--query",
            query.to_str().unwrap(),
            "--limit",
            "30",
            "--name",
            "Python people",
            "--yes",
        ],
    );
    assert!(submitted.status.success(), "{answer}");
    let job = answer["job"].as_i64().unwrap().to_string();
    let (waited, answer) = cli(&harness, &["wait", &job]);
    assert!(waited.status.success(), "{answer}");

    // Not downloaded yet: refused, saying what to do, and nothing is written.
    let (refused, answer) = cli(&harness, &["export", &job, "--format", "xlsx"]);
    assert!(!refused.status.success());
    assert_eq!(answer["error"]["code"], "InvalidState");
    let message = answer["error"]["message"].as_str().unwrap();
    assert!(message.contains("not downloaded"), "{message}");
    assert!(
        message.contains(&format!("bulk-collect-cli download {job}")),
        "{message}"
    );

    let (downloaded, answer) = cli(&harness, &["download", &job]);
    assert!(downloaded.status.success(), "{answer}");
    let gz = PathBuf::from(answer["files"][0]["path"].as_str().unwrap());
    let records = read_records(&gz);
    assert_eq!(records.len(), 30);
    let expected: Vec<i64> = records.iter().map(|r| r["id"].as_i64().unwrap()).collect();

    let (exported, answer) = cli(&harness, &["export", &job, "--format", "xlsx"]);
    assert!(exported.status.success(), "{answer}");
    assert_eq!(answer["people"], 30);
    assert_eq!(answer["rows_per_sheet"][0]["sheet"], "People");
    assert_eq!(answer["rows_per_sheet"][0]["rows"], 30);
    let workbook_path = paths(&answer).remove(0);
    assert_eq!(
        workbook_path.parent(),
        gz.parent(),
        "beside the downloaded files"
    );
    let name = workbook_path
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(
        name.starts_with("python-people_20") && name.ends_with(".xlsx") && name.len() == 29,
        "{name}"
    );

    let mut workbook: Xlsx<_> = calamine::open_workbook(&workbook_path).unwrap();
    assert_eq!(workbook.sheet_names(), ["People"]);
    let people = workbook.worksheet_range("People").unwrap();
    assert_eq!(people.height(), 31);
    assert_eq!(
        people.get_value((0, 1)),
        Some(&Data::String("Full name".into()))
    );
    assert_eq!(
        ids_in(&people, 0),
        expected,
        "the downloaded people, in file order"
    );
    for (row, record) in records.iter().enumerate() {
        let name = people.get_value((row as u32 + 1, 1)).unwrap();
        assert_eq!(
            name,
            &Data::String(record["full_name"].as_str().unwrap().into())
        );
    }

    // The full layout as CSV, where a person asks: one file per sheet, keyed by the person's id.
    let target = harness.dir.path().join("exports");
    let (exported, answer) = cli(
        &harness,
        &[
            "export",
            &job,
            "--format",
            "csv",
            "--layout",
            "full",
            "--to",
            target.to_str().unwrap(),
        ],
    );
    assert!(exported.status.success(), "{answer}");
    let files = paths(&answer);
    assert!(files
        .iter()
        .all(|path| path.starts_with(&target) && path.exists()));
    let names: Vec<String> = files
        .iter()
        .map(|path| path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        &names[..3],
        ["People.csv", "Experience.csv", "Education.csv"]
    );
    let experience_rows: u64 = records
        .iter()
        .map(|r| r["experience"].as_array().map_or(0, Vec::len) as u64)
        .sum();
    assert_eq!(answer["rows_per_sheet"][1]["sheet"], "Experience");
    assert_eq!(answer["rows_per_sheet"][1]["rows"], experience_rows);
    let experience = std::fs::read_to_string(&files[1]).unwrap();
    let keys: BTreeSet<i64> = experience
        .lines()
        .skip(1)
        .filter_map(|line| line.split(',').next()?.parse().ok())
        .collect();
    assert!(keys.is_subset(&expected.iter().copied().collect()));
    let left: Vec<_> = std::fs::read_dir(&target)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(
        left,
        [files[0].parent().unwrap()],
        "one folder, no temporary files"
    );

    // A path ending in the format's extension is the file itself, not a folder of that name.
    let file = harness.dir.path().join("mine").join("Python People.CSV");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    let (exported, answer) = cli(
        &harness,
        &[
            "export",
            &job,
            "--format",
            "csv",
            "--to",
            file.to_str().unwrap(),
        ],
    );
    assert!(exported.status.success(), "{answer}");
    let written = file.with_file_name("Python People.csv");
    assert_eq!(paths(&answer), std::slice::from_ref(&written));
    assert!(written.is_file());
    let workbook = harness.dir.path().join("people.xlsx");
    let (exported, answer) = cli(
        &harness,
        &["export", &job, "--to", workbook.to_str().unwrap()],
    );
    assert!(exported.status.success(), "{answer}");
    assert_eq!(paths(&answer), std::slice::from_ref(&workbook));
    assert!(
        workbook.is_file(),
        "a workbook, not a folder named people.xlsx"
    );
    // Parquet for data teams: `--to people.parquet` is that one file, in both layouts.
    for layout in ["people", "full"] {
        let parquet = harness.dir.path().join(format!("{layout}.parquet"));
        let (exported, answer) = cli(
            &harness,
            &[
                "export",
                &job,
                "--format",
                "parquet",
                "--layout",
                layout,
                "--to",
                parquet.to_str().unwrap(),
            ],
        );
        assert!(exported.status.success(), "{answer}");
        assert_eq!(answer["format"], "parquet");
        assert_eq!(paths(&answer), std::slice::from_ref(&parquet));
        let bytes = std::fs::read(&parquet).unwrap();
        assert!(
            bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"),
            "a Parquet file"
        );
    }
    // The full layout as CSV is a folder of files: naming one file is refused in words.
    let (refused, answer) = cli(
        &harness,
        &[
            "export",
            &job,
            "--format",
            "csv",
            "--layout",
            "full",
            "--to",
            file.to_str().unwrap(),
        ],
    );
    assert!(!refused.status.success());
    let message = answer["error"]["message"].as_str().unwrap();
    assert!(message.contains("is a folder of files"), "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_downloaded_job_gets_its_spreadsheet_by_itself_unless_turned_off() {
    let harness = Harness::start(quick_sim()).await;
    // The setting for past positions shapes it: one here instead of three.
    let mut options = harness.engine.options();
    options.past_positions = 1;
    harness.engine.apply(options).unwrap();
    let job = harness.submit_python(Some(12)).await;
    let _scheduler = Scheduler::start(&harness.engine);
    wait_for_state(&harness.engine, job.id, JobState::Downloaded).await;
    // The spreadsheet is made right after the move to `downloaded`.
    let mut made = None;
    for _ in 0..500 {
        made = harness.engine.job(job.id).unwrap().export_path;
        if made.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let path = PathBuf::from(made.expect("a spreadsheet was made"));
    assert!(path.exists());
    assert_eq!(path.extension().and_then(|e| e.to_str()), Some("xlsx"));
    assert!(path
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("test-search_"));
    let mut workbook: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let people = workbook.worksheet_range("People").unwrap();
    assert_eq!(people.height(), 13, "a header and 12 people");
    let header: Vec<String> = people
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert!(
        header.contains(&"Past position 1: title".to_owned()),
        "{header:?}"
    );
    assert!(
        !header.contains(&"Past position 2: title".to_owned()),
        "{header:?}"
    );
    let events = harness.engine.store().events(job.id).unwrap();
    assert!(events
        .iter()
        .any(|event| event.detail.starts_with("Spreadsheet ready")));

    // Turned off in the settings: no spreadsheet.
    let mut options = harness.engine.options();
    options.export_after_download = false;
    harness.engine.apply(options).unwrap();
    let second = harness.submit_python(Some(13)).await;
    wait_for_state(&harness.engine, second.id, JobState::Downloaded).await;
    assert_eq!(harness.engine.job(second.id).unwrap().export_path, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spreadsheet_a_stop_left_unmade_is_made_at_the_next_start_and_only_that_one() {
    let mut harness = Harness::start(quick_sim()).await;
    let done = harness.submit_python(Some(5)).await;
    let scheduler = Scheduler::start(&harness.engine);
    wait_for_state(&harness.engine, done.id, JobState::Downloaded).await;
    let spreadsheet_of = |engine: &collect_core::jobs::Engine, id: i64| {
        let notes = engine.store().events(id).unwrap();
        let made = notes
            .iter()
            .filter(|e| e.detail.starts_with("Spreadsheet ready"));
        (engine.job(id).unwrap().export_path, made.count())
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while spreadsheet_of(&harness.engine, done.id).0.is_none() {
        assert!(std::time::Instant::now() < deadline, "no spreadsheet");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    // The app stops between a download and its spreadsheet: the trail ends at `downloaded`.
    let mut options = harness.engine.options();
    options.export_after_download = false;
    harness.engine.apply(options).unwrap();
    let cut = harness.submit_python(Some(6)).await;
    wait_for_state(&harness.engine, cut.id, JobState::Downloaded).await;
    drop(scheduler);
    assert_eq!(spreadsheet_of(&harness.engine, cut.id), (None, 0));

    let engine = harness.restart();
    let _scheduler = Scheduler::start(&engine);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let made = loop {
        if let (Some(path), 1) = spreadsheet_of(&engine, cut.id) {
            break PathBuf::from(path);
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the start did not make it"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    let mut workbook: Xlsx<_> = calamine::open_workbook(&made).unwrap();
    assert_eq!(workbook.worksheet_range("People").unwrap().height(), 7);
    assert_eq!(
        spreadsheet_of(&engine, done.id).1,
        1,
        "a made one is not made again"
    );
}
