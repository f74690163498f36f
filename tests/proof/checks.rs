//! What must hold after any crash, checked on the real files, the real database and the real
//! simulator: nothing lost, nothing half-written under a final name, nothing paid twice.

use std::path::{Path, PathBuf};

use coresignal_sim::{Endpoint, Simulator};

use super::flow::{final_files, Flow, Story};
use super::killed::{integrity, jobs, quotes_spent_without_a_job};

/// What an undisturbed run of the same flow produced.
pub struct Reference {
    /// The CSV export's bytes.
    pub csv: Vec<u8>,
    /// Profiles collected.
    pub records: usize,
}

/// Checks every promise after `story` on `sim` and the flow's data folder; returns the list of
/// broken promises (empty when all hold).
pub async fn broken_promises(
    sim: &Simulator,
    flow: &Flow,
    story: &Story,
    reference: &Reference,
) -> Vec<String> {
    let dir = &flow.target.data_dir;
    let downloads = &flow.target.downloads;
    let mut broken = Vec::new();
    let mut expect = |holds: bool, what: String| {
        if !holds {
            broken.push(what);
        }
    };
    let integrity = integrity(dir);
    expect(integrity == "ok", format!("integrity_check: {integrity}"));
    let orphans = quotes_spent_without_a_job(dir);
    expect(
        orphans.is_empty(),
        format!("quotes spent without a job: {orphans:?}"),
    );
    let posts = sim.count_calls(Endpoint::SubmitEsDsl) + sim.count_calls(Endpoint::SubmitIdFile);
    let created = sim.requests().len();
    expect(
        posts == 1 && created == 1,
        format!("{posts} POST(s) and {created} request(s) at the service, not 1"),
    );
    expect(
        story.state == "downloaded",
        format!("job {} ended {}", story.job, story.state),
    );
    for (id, state, _) in jobs(dir) {
        expect(
            id == story.job || state == "cancelled",
            format!("job {id} is {state}: only the replaced one may be left (cancelled)"),
        );
    }
    let Some(request) = sim.requests().into_iter().next() else {
        return broken;
    };
    // Every file the service lists is on disk, byte for byte, and nothing else is under a final
    // name but the spreadsheet and the export.
    let folder = job_folder(downloads, story.job);
    let on_disk = final_files(&folder);
    for name in &request.files {
        let served = fetch(sim, &flow.target.key, &request.id, name).await;
        let local = Path::new(name).file_name().map(|n| folder.join(n));
        let bytes = local.as_ref().and_then(|path| std::fs::read(path).ok());
        expect(
            bytes.as_deref() == Some(served.as_slice()),
            format!("{name} is not on disk byte for byte ({local:?})"),
        );
    }
    for path in &on_disk {
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        let known = extension == "xlsx"
            || request.files.iter().any(|name| {
                name.ends_with(&*path.file_name().unwrap_or_default().to_string_lossy())
            });
        expect(
            known,
            format!("{} is not a file of the job", path.display()),
        );
    }
    let leftovers: Vec<_> = crate::files_under(&folder.join(".partial"));
    expect(
        leftovers.is_empty(),
        format!("partial files left: {leftovers:?}"),
    );
    let spreadsheet = on_disk
        .iter()
        .find(|p| p.extension().is_some_and(|e| e == "xlsx"));
    expect(
        spreadsheet.is_some_and(|p| people_in_xlsx(p) == reference.records),
        format!("the spreadsheet is missing or incomplete: {spreadsheet:?}"),
    );
    let csv = flow.export_file().and_then(|path| std::fs::read(path).ok());
    expect(
        csv.as_deref() == Some(reference.csv.as_slice()),
        "the CSV export differs from the undisturbed run's".into(),
    );
    broken
}

/// The folder of job `id` under the download root `downloads`.
pub fn job_folder(downloads: &Path, id: i64) -> PathBuf {
    let prefix = format!("job-{id}-");
    let root = downloads.to_path_buf();
    std::fs::read_dir(&root)
        .ok()
        .and_then(|entries| {
            entries.flatten().map(|entry| entry.path()).find(|path| {
                path.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(&prefix))
            })
        })
        .unwrap_or(root)
}

/// A listed file as the service serves it.
pub async fn fetch(sim: &Simulator, key: &str, request: &str, name: &str) -> Vec<u8> {
    let url = format!("{}/v2/data_requests/{request}/files/{name}", sim.base_url());
    let response = reqwest::Client::new()
        .get(url)
        .header("apikey", key)
        .send()
        .await
        .expect("the service answers");
    assert!(response.status().is_success(), "{}", response.status());
    response.bytes().await.expect("the body").to_vec()
}

/// Rows below the header of the first sheet of an XLSX file (0 if it cannot be read).
fn people_in_xlsx(path: &Path) -> usize {
    use calamine::Reader;
    let Ok(mut workbook) = calamine::open_workbook_auto(path) else {
        return 0;
    };
    let Some(Ok(range)) = workbook.worksheet_range_at(0) else {
        return 0;
    };
    range.height().saturating_sub(1)
}
