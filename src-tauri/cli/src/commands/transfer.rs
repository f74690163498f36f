//! `wait` and `download`.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use collect_core::jobs::{Engine, EngineError, JobAction, JobState, JobUpdate};
use collect_core::store::JobRow;
use collect_core::UserError;
use serde_json::json;

use crate::context::Context;
use crate::output::{Output, Report};

// ----- waiting and downloading ----------------------------------------------------------------

pub(super) async fn wait(
    context: &Context,
    id: i64,
    timeout: Option<Duration>,
    output: &Output,
) -> Result<Report, UserError> {
    let engine = context.engine()?;
    let job = wait_for_files(&engine, id, timeout, output).await?;
    Ok(Report {
        json: json!({"job": job.id, "state": job.state, "reason": job.state_reason}),
        text: format!(
            "Collection {}: {} — {}",
            job.id,
            job.state.as_str(),
            job.state_reason.as_deref().unwrap_or(job.state.describe())
        ),
    })
}

pub(super) async fn wait_for_files(
    engine: &Arc<Engine>,
    id: i64,
    timeout: Option<Duration>,
    output: &Output,
) -> Result<JobRow, UserError> {
    let bar = output.bar(None);
    bar.set_message(format!("Collection {id}: waiting for Coresignal"));
    let mut updates = engine.subscribe();
    let watcher = {
        let bar = bar.clone();
        tokio::spawn(async move {
            while let Ok(update) = updates.recv().await {
                if let JobUpdate::Polled {
                    job,
                    next_check_in_secs,
                } = update
                {
                    bar.set_message(format!(
                        "Collection {job}: still processing, next check in {next_check_in_secs:.0} s"
                    ));
                }
            }
        })
    };
    let result = engine.wait(id, timeout).await;
    watcher.abort();
    bar.finish_and_clear();
    Ok(result?)
}

/// Why job `job` has no files to show, in its own words.
fn ended(job: &JobRow) -> EngineError {
    EngineError::Ended {
        job: job.id,
        state: job.state,
        message: job
            .state_reason
            .clone()
            .unwrap_or_else(|| job.state.describe().to_owned()),
    }
}

/// True when job `id` is a collection (its state is worked out from its batches).
fn is_collection(engine: &Engine, id: i64) -> Result<bool, UserError> {
    Ok(engine.store().job(id)?.state == JobState::Collection)
}

pub(super) async fn download(
    context: &Context,
    id: i64,
    to: Option<&Path>,
    output: &Output,
) -> Result<Report, UserError> {
    let engine = context.engine()?;
    if engine
        .detail(id)?
        .actions
        .contains(&JobAction::DownloadPaid)
    {
        // Coresignal received it after it was cancelled (already paid): follow it again.
        engine.retry(id)?;
    }
    let job = wait_for_files(&engine, id, None, output).await?;
    if !matches!(
        job.state,
        JobState::Ready | JobState::Downloading | JobState::Downloaded | JobState::Failed
    ) {
        return Err(ended(&job).into());
    }
    let bar = output.bar(Some(0));
    let mut updates = engine.subscribe();
    let watcher = {
        let bar = bar.clone();
        tokio::spawn(async move {
            while let Ok(update) = updates.recv().await {
                if let JobUpdate::Download {
                    file,
                    bytes_done,
                    bytes_total,
                    ..
                } = update
                {
                    bar.set_message(file);
                    bar.set_length(bytes_total.unwrap_or(bytes_done));
                    bar.set_position(bytes_done);
                }
            }
        })
    };
    let result = engine.download(id, to).await;
    watcher.abort();
    bar.finish_and_clear();
    let job = result?;
    if job.state != JobState::Downloaded && !is_collection(&engine, id)? {
        // Never a success for nothing: it moved elsewhere meanwhile (cancelled, say).
        return Err(ended(&job).into());
    }
    let files = engine.detail(id)?.files;
    let listed: Vec<_> = files
        .iter()
        .map(|file| json!({"path": file.path, "records": file.records, "bytes": file.bytes}))
        .collect();
    let mut text = format!(
        "Collection {}: {}\n",
        job.id,
        job.state_reason.as_deref().unwrap_or("")
    );
    for file in &files {
        text.push_str(&format!(
            "  {} ({} profiles, {} bytes)\n",
            file.path.as_deref().unwrap_or(&file.local_name),
            file.records.unwrap_or(0),
            file.bytes.unwrap_or(0)
        ));
    }
    // The people just kept go to the team library too (what cannot go now waits in the outbox).
    let team = super::team::publish_after(&engine).await;
    if let Some(line) = team.as_ref().and_then(|team| team["summary"].as_str()) {
        text.push_str(line);
        text.push('\n');
    }
    Ok(Report {
        json: json!({"job": job.id, "state": job.state, "files": listed, "team": team}),
        text: text.trim_end().to_owned(),
    })
}
