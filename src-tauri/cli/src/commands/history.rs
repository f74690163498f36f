//! `jobs`, `show`, `cancel`, `retry`, `attach`: the history and what can be done with a job.

use collect_core::jobs::JobAction;
use collect_core::store::JobRow;
use collect_core::{ErrorCode, UserError};
use serde_json::json;

use super::submit::confirm_and_send;
use crate::context::Context;
use crate::output::{Output, Report};
use crate::Command;

// ----- reading the history --------------------------------------------------------------------

pub(super) fn job_json(job: &JobRow) -> serde_json::Value {
    serde_json::to_value(job).unwrap_or_else(|_| json!({"id": job.id}))
}

pub(super) fn jobs(context: &Context) -> Result<Report, UserError> {
    let jobs = context.reader()?.jobs()?;
    let mut text = String::new();
    if jobs.is_empty() {
        text.push_str("No collections yet.");
    }
    for job in &jobs {
        text.push_str(&format!(
            "{:>5}  {:<20}  {:<20}  {}\n",
            job.id,
            job.state.as_str(),
            job.created_at,
            job.name
        ));
    }
    Ok(Report {
        json: json!({"jobs": jobs.iter().map(job_json).collect::<Vec<_>>()}),
        text: text.trim_end().to_owned(),
    })
}

pub(super) fn show(context: &Context, id: i64) -> Result<Report, UserError> {
    let detail = context.reader()?.detail(id)?;
    let job = &detail.job;
    let mut text = format!(
        "Collection {} · {}\nState: {} — {}\n",
        job.id,
        job.name,
        job.state.as_str(),
        job.state_reason.as_deref().unwrap_or(job.state.describe())
    );
    if let Some(request_id) = &job.request_id {
        text.push_str(&format!("Request: {request_id}\n"));
    }
    if let Some(before) = &detail.download_before {
        text.push_str(&format!("Download before: {before}\n"));
    }
    for file in &detail.files {
        text.push_str(&format!(
            "File: {} ({:?}{})\n",
            file.local_name,
            file.state,
            file.records
                .map(|r| format!(", {r} profiles"))
                .unwrap_or_default()
        ));
    }
    for event in &detail.events {
        let status = event
            .http_status
            .map(|s| format!(" [HTTP {s}]"))
            .unwrap_or_default();
        text.push_str(&format!("  {}{} {}\n", event.at, status, event.detail));
    }
    if !detail.actions.is_empty() {
        let actions: Vec<_> = detail.actions.iter().map(action_hint).collect();
        text.push_str(&format!("You can: {}\n", actions.join("; ")));
    }
    let mut value = job_json(job);
    value["files"] = serde_json::to_value(&detail.files).unwrap_or_default();
    value["events"] = serde_json::to_value(&detail.events).unwrap_or_default();
    value["actions"] = serde_json::to_value(&detail.actions).unwrap_or_default();
    value["download_before"] = json!(detail.download_before);
    Ok(Report {
        json: value,
        text: text.trim_end().to_owned(),
    })
}

pub(super) fn action_hint(action: &JobAction) -> String {
    match action {
        JobAction::Cancel => "cancel it (bulk-collect-cli cancel JOB)",
        JobAction::Retry => "retry it (bulk-collect-cli retry JOB)",
        JobAction::Attach => {
            "attach the request id you found (bulk-collect-cli attach JOB --request-id ID)"
        }
        JobAction::SendAgain => "send it again (bulk-collect-cli send-again JOB)",
        JobAction::OpenFolder => "open its folder",
        JobAction::DownloadPaid => {
            "Coresignal did receive this collection (already paid): download it (bulk-collect-cli download JOB)"
        }
        JobAction::Update => {
            "update it, buying only who is new or changed since (bulk-collect-cli refresh JOB)"
        }
    }
    .to_owned()
}

// ----- acting on a job ------------------------------------------------------------------------

pub(super) async fn send_again(
    context: &Context,
    id: i64,
    (yes, yes_over_cap, max_credits): (bool, bool, Option<u64>),
    output: &Output,
) -> Result<Report, UserError> {
    let engine = context.engine()?;
    let quote = engine.send_again(id).await?;
    let row = confirm_and_send(
        &engine,
        &quote,
        true,
        (yes, yes_over_cap, max_credits),
        output,
    )
    .await?;
    Ok(Report {
        json: json!({"job": row.id, "request_id": row.request_id, "state": row.state, "replaces": id}),
        text: format!(
            "Collection {} sent again as Collection {} (its id at Coresignal: {}).",
            id,
            row.id,
            row.request_id.as_deref().unwrap_or("?")
        ),
    })
}

pub(super) fn act(context: &Context, command: &Command) -> Result<Report, UserError> {
    let engine = context.engine()?;
    let row = match command {
        Command::Cancel { job } => engine.cancel(*job)?,
        Command::Retry { job } => engine.retry(*job)?,
        Command::Attach { job, request_id } => engine.attach(*job, request_id)?,
        _ => return Err(UserError::new(ErrorCode::Internal, "not an action")),
    };
    Ok(Report {
        json: json!({"job": row.id, "state": row.state, "reason": row.state_reason}),
        text: format!(
            "Collection {}: {} — {}",
            row.id,
            row.state.as_str(),
            row.state_reason.as_deref().unwrap_or(row.state.describe())
        ),
    })
}
