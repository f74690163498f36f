//! The service names its result files, and the names are not to be trusted: paths out of the
//! folder, NUL and control characters, Windows device names, very long names, names that differ
//! only in case or Unicode normalisation. Downloaded through the real engine: nothing is written
//! outside the job's folder, no file overwrites another, each is the service's bytes, and the
//! export still works.

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use bulk_collect_tests::*;
use collect_core::export::{ExportFormat, ExportOptions};
use collect_core::query::parse_query;
use coresignal_sim::{Faults, SimConfig, DEFAULT_PRACTICE_KEY};

/// Records a part: small, so each hostile name gets a file of its own.
const PER_FILE: usize = 2;

/// Every name the simulator serves under the fault, by the service's own listing, with its bytes
/// fetched straight from the service (not through the app).
async fn served(harness: &Harness, request_id: &str, names: &[String]) -> Vec<Vec<u8>> {
    let client = reqwest::Client::new();
    let mut bodies = Vec::new();
    for name in names {
        let mut url = reqwest::Url::parse(&harness.sim.base_url()).unwrap();
        url.path_segments_mut()
            .unwrap()
            .extend(["v2", "data_requests", request_id, "files", name]);
        let response = client
            .get(url)
            .header("apikey", DEFAULT_PRACTICE_KEY)
            .send()
            .await
            .unwrap();
        assert!(
            response.status().is_success(),
            "{name:?}: {}",
            response.status()
        );
        bodies.push(response.bytes().await.unwrap().to_vec());
    }
    bodies
}

/// Files a path names outside the data folder that the names could reach (`/etc/passwd`, the
/// temporary folder's `x` and `b`), with their contents before the download.
fn outside_targets(root: &Path) -> HashMap<PathBuf, Option<Vec<u8>>> {
    let parent = root.parent().unwrap();
    [
        PathBuf::from("/etc/passwd"),
        parent.join("x"),
        parent.join("b"),
    ]
    .into_iter()
    .map(|path| {
        let bytes = std::fs::read(&path).ok();
        (path, bytes)
    })
    .collect()
}

#[tokio::test]
async fn hostile_file_names_are_each_written_once_inside_the_job_folder() {
    let harness = Harness::start(SimConfig {
        records_per_file: PER_FILE,
        ..quick_sim()
    })
    .await;
    harness.sim.set_faults(Faults {
        hostile_file_names: true,
        ..Faults::default()
    });
    let hostile = coresignal_sim::hostile_names();
    // The first 3 parts escape with their own names; then every hostile name once.
    let parts = 3 + hostile.len();
    let everyone = parse_query(r#"{"query": {"match_all": {}}}"#).unwrap();
    let limit = u32::try_from(parts * PER_FILE).unwrap();
    let job = submit_job(&harness.engine, query_job(everyone, Some(limit)))
        .await
        .unwrap();
    harness.engine.wait(job.id, None).await.unwrap();
    let request = harness.sim.requests().remove(0);
    assert_eq!(request.files.len(), parts);
    for name in &hostile {
        assert!(request.files.contains(name), "the service lists {name:?}");
    }
    let bodies = served(&harness, &request.id, &request.files).await;
    let before = outside_targets(harness.dir.path());

    harness.engine.download(job.id, None).await.unwrap();
    let job = harness.engine.job(job.id).unwrap();
    let folder = PathBuf::from(&job.download_dir);

    // Nothing outside the job's folder: the whole temporary root is walked, and the places the
    // names point at beyond it are as they were.
    let database = collect_core::store::Store::default_path(harness.dir.path());
    let database = database.to_string_lossy().into_owned();
    for path in files_under(harness.dir.path()) {
        let beside_database = path.to_string_lossy().starts_with(&database);
        assert!(
            beside_database || path.starts_with(&folder),
            "{} is outside {}",
            path.display(),
            folder.display()
        );
    }
    assert_eq!(
        outside_targets(harness.dir.path()),
        before,
        "nothing was written beyond"
    );

    // As many result files as the service served, each one the service's bytes: none
    // overwrote another.
    let written: Vec<PathBuf> = files_under(&folder)
        .into_iter()
        .filter(|path| {
            !path
                .extension()
                .is_some_and(|ext| ext == "xlsx" || ext == "csv")
        })
        .collect();
    assert_eq!(written.len(), parts, "{written:#?}");
    let mut unmatched: Vec<&Vec<u8>> = bodies.iter().collect();
    for path in &written {
        let bytes = std::fs::read(path).unwrap();
        let at = unmatched
            .iter()
            .position(|body| **body == bytes)
            .unwrap_or_else(|| panic!("{} is not one of the served files", path.display()));
        unmatched.remove(at);
        let name = path.file_name().unwrap().to_string_lossy();
        assert!(
            name.len() <= 255,
            "a name the file system takes: {} bytes",
            name.len()
        );
        assert!(!name.chars().any(char::is_control), "{name:?}");
    }
    assert!(unmatched.is_empty());
    let records: usize = written.iter().map(|path| read_records(path).len()).sum();
    assert_eq!(records, parts * PER_FILE);

    // The export reads every file, whatever it was called.
    let options = ExportOptions {
        format: ExportFormat::Csv,
        ..ExportOptions::default()
    };
    let date = time::macros::date!(2026 - 11 - 29);
    let export = harness.engine.export(job.id, None, date, &options).unwrap();
    assert_eq!(export.people as usize, parts * PER_FILE);
    assert!(export.paths.iter().all(|path| path.starts_with(&folder)));
}
