//! One function per command. Each returns a [`Report`] or a [`UserError`].

use std::io::{BufRead, IsTerminal, Read, Write};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use collect_core::error::Coded;
use collect_core::ids::read_id_file;
use collect_core::jobs::{
    CostEstimate, Engine, EngineError, JobRequest, JobState, JobUpdate, NewJob,
};
use collect_core::query::parse_query;
use collect_core::secrets::{ApiKey, KeyringStore, SecretStore};
use collect_core::store::JobRow;
use collect_core::{ErrorCode, UserError};
use serde_json::json;

use crate::context::Context;
use crate::output::{Output, Report};
use crate::{Cli, Command, KeyCommand, SubmitArgs};

/// Runs the command named on the command line.
pub async fn run(cli: &Cli, output: &Output) -> Result<Report, UserError> {
    let context = match &cli.command {
        // Key commands touch only the keychain: no data folder needed.
        Command::Key(command) => return key(command),
        _ => Context::open(cli)?,
    };
    match &cli.command {
        Command::Key(command) => key(command),
        Command::Estimate { query, limit } => estimate(&context, query, *limit).await,
        Command::Submit(args) => submit(&context, args, output).await,
        Command::Jobs => jobs(&context),
        Command::Show { job } => show(&context, *job),
        Command::Wait { job, timeout } => {
            wait(&context, *job, timeout.map(Duration::from_secs), output).await
        }
        Command::Download { job, to } => download(&context, *job, to.as_deref(), output).await,
    }
}

// ----- key ------------------------------------------------------------------------------------

fn key(command: &KeyCommand) -> Result<Report, UserError> {
    let store = KeyringStore::new();
    match command {
        KeyCommand::Set => {
            let mut text = String::new();
            let stdin = std::io::stdin();
            let read = if stdin.is_terminal() {
                // A person pastes the key and presses Enter; a script pipes it in.
                eprint!("Paste your Coresignal API key and press Enter: ");
                stdin.lock().read_line(&mut text)
            } else {
                stdin.lock().read_to_string(&mut text)
            };
            read.map_err(|error| {
                UserError::new(
                    ErrorCode::Io,
                    format!("Could not read the key from standard input: {error}"),
                )
            })?;
            let key = ApiKey::new(text);
            store.save(&key)?;
            Ok(Report {
                json: json!({"stored": true, "hint": key.hint()}),
                text: format!("Key {} stored in the OS keychain.", key.hint()),
            })
        }
        KeyCommand::Status => {
            let stored = store.load()?;
            let env =
                std::env::var(crate::context::KEY_ENV).is_ok_and(|key| !key.trim().is_empty());
            let hint = stored.as_ref().map(ApiKey::hint);
            let text = match (&hint, env) {
                (_, true) => format!(
                    "Using the key from {} (it wins over the keychain).",
                    crate::context::KEY_ENV
                ),
                (Some(hint), false) => format!("A key ({hint}) is stored in the OS keychain."),
                (None, false) => "No key is stored. Run `bulk-collect-cli key set`.".to_owned(),
            };
            Ok(Report {
                json: json!({"stored": hint.is_some(), "hint": hint, "from_environment": env}),
                text,
            })
        }
        KeyCommand::Clear => {
            store.delete()?;
            Ok(Report {
                json: json!({"stored": false}),
                text: "The key was removed from the OS keychain.".to_owned(),
            })
        }
    }
}

// ----- estimate and submit --------------------------------------------------------------------

fn read_query(path: &Path) -> Result<collect_core::query::EsQuery, UserError> {
    let text = std::fs::read_to_string(path).map_err(|error| {
        UserError::new(
            ErrorCode::Io,
            format!("Could not read the query file {}: {error}.", path.display()),
        )
    })?;
    parse_query(&text).map_err(|error| {
        UserError::new(
            error.code(),
            format!("{}: {}", path.display(), error.user_message()),
        )
    })
}

fn cost_text(estimate: &CostEstimate) -> String {
    let balance = estimate
        .balance
        .map(|balance| format!(" · balance {balance}"))
        .unwrap_or_default();
    format!(
        "≈ {} profiles · ≈ {} credits{balance}",
        estimate.records, estimate.credits
    )
}

async fn estimate(
    context: &Context,
    query: &Path,
    limit: Option<u32>,
) -> Result<Report, UserError> {
    let query = read_query(query)?;
    let engine = context.engine()?;
    let estimate = engine.estimate(&query, limit).await?;
    Ok(Report {
        json: json!({
            "matches": estimate.matches,
            "records": estimate.records,
            "credits": estimate.credits,
            "balance": estimate.balance,
        }),
        text: cost_text(&estimate),
    })
}

async fn submit(
    context: &Context,
    args: &SubmitArgs,
    output: &Output,
) -> Result<Report, UserError> {
    let engine = context.engine()?;
    let (request, estimated, question) = match (&args.query, &args.ids) {
        (Some(path), None) => {
            let query = read_query(path)?;
            let estimate = engine.estimate(&query, args.limit).await?;
            let question = format!("This request will collect {}.", cost_text(&estimate));
            (
                JobRequest::Query {
                    query,
                    limit: args.limit,
                },
                Some(estimate.records),
                question,
            )
        }
        (None, Some(path)) => {
            let report = read_id_file(path).map_err(|error| {
                UserError::new(
                    error.code(),
                    format!("{}: {}", path.display(), error.user_message()),
                )
            })?;
            report.check_submittable()?;
            output.say(&report.summary());
            for problem in &report.problems {
                output.say(&format!(
                    "  line {}: {} ({})",
                    problem.line, problem.text, problem.reason
                ));
            }
            let records = report.ids.len() as u64;
            let credits = records * u64::from(context.settings.credits_per_record);
            let question =
                format!("This request will collect ≈ {records} profiles · ≈ {credits} credits.");
            let source = Some(path.to_string_lossy().into_owned());
            (
                JobRequest::Ids {
                    report,
                    source_file: source,
                },
                Some(records),
                question,
            )
        }
        _ => {
            return Err(UserError::new(
                ErrorCode::InvalidInput,
                "Give either --query FILE or --ids FILE.",
            ))
        }
    };
    confirm(&question, args.yes, output)?;
    let job = NewJob {
        name: args.name.clone(),
        request,
        webhook_url: args.webhook.clone(),
        estimated_records: estimated,
    };
    let row = engine.submit(job).await?;
    Ok(Report {
        json: json!({"job": row.id, "request_id": row.request_id, "state": row.state}),
        text: format!(
            "Job {} submitted (request {}). Next: bulk-collect-cli wait {} && bulk-collect-cli download {}",
            row.id,
            row.request_id.as_deref().unwrap_or("?"),
            row.id,
            row.id
        ),
    })
}

/// Asks "Spend these credits?" on a terminal; refuses when nobody can answer and `--yes` is absent.
fn confirm(question: &str, yes: bool, output: &Output) -> Result<(), UserError> {
    if yes {
        output.say(question);
        return Ok(());
    }
    if output.is_json() || !std::io::stdin().is_terminal() {
        return Err(UserError::new(
            ErrorCode::InvalidInput,
            format!("{question} Nothing was sent: add --yes to confirm spending the credits."),
        ));
    }
    eprint!("{question} Send it? [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|error| {
            UserError::new(
                ErrorCode::Io,
                format!("Could not read your answer: {error}"),
            )
        })?;
    if matches!(answer.trim().to_lowercase().as_str(), "y" | "yes") {
        Ok(())
    } else {
        Err(UserError::new(
            ErrorCode::Cancelled,
            "Not sent: nothing was spent.",
        ))
    }
}

// ----- reading the history --------------------------------------------------------------------

fn job_json(job: &JobRow) -> serde_json::Value {
    serde_json::to_value(job).unwrap_or_else(|_| json!({"id": job.id}))
}

fn jobs(context: &Context) -> Result<Report, UserError> {
    let jobs = context.store.jobs(context.mode)?;
    let mut text = String::new();
    if jobs.is_empty() {
        text.push_str("No jobs yet.");
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

fn show(context: &Context, id: i64) -> Result<Report, UserError> {
    let job = context.store.job(id)?;
    if job.mode != context.mode {
        return Err(collect_core::store::StoreError::NoSuchJob(id).into());
    }
    let files = context.store.files(id)?;
    let events = context.store.events(id)?;
    let mut text = format!(
        "Job {} · {}\nState: {} — {}\n",
        job.id,
        job.name,
        job.state.as_str(),
        job.state_reason.as_deref().unwrap_or(job.state.describe())
    );
    if let Some(request_id) = &job.request_id {
        text.push_str(&format!("Request: {request_id}\n"));
    }
    for file in &files {
        text.push_str(&format!(
            "File: {} ({:?}{})\n",
            file.local_name,
            file.state,
            file.records
                .map(|r| format!(", {r} profiles"))
                .unwrap_or_default()
        ));
    }
    for event in &events {
        let status = event
            .http_status
            .map(|s| format!(" [HTTP {s}]"))
            .unwrap_or_default();
        text.push_str(&format!("  {}{} {}\n", event.at, status, event.detail));
    }
    let mut value = job_json(&job);
    value["files"] = serde_json::to_value(&files).unwrap_or_default();
    value["events"] = serde_json::to_value(&events).unwrap_or_default();
    Ok(Report {
        json: value,
        text: text.trim_end().to_owned(),
    })
}

// ----- waiting and downloading ----------------------------------------------------------------

async fn wait(
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
            "Job {}: {} — {}",
            job.id,
            job.state.as_str(),
            job.state_reason.as_deref().unwrap_or(job.state.describe())
        ),
    })
}

async fn wait_for_files(
    engine: &Arc<Engine>,
    id: i64,
    timeout: Option<Duration>,
    output: &Output,
) -> Result<JobRow, UserError> {
    let bar = output.bar(None);
    bar.set_message(format!("Job {id}: waiting for Coresignal"));
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
                        "Job {job}: still processing, next check in {next_check_in_secs:.0} s"
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

async fn download(
    context: &Context,
    id: i64,
    to: Option<&Path>,
    output: &Output,
) -> Result<Report, UserError> {
    let engine = context.engine()?;
    let job = wait_for_files(&engine, id, None, output).await?;
    if !matches!(
        job.state,
        JobState::Ready | JobState::Downloading | JobState::Downloaded | JobState::Failed
    ) {
        return Err(EngineError::Ended {
            job: id,
            state: job.state,
            message: job
                .state_reason
                .clone()
                .unwrap_or_else(|| job.state.describe().to_owned()),
        }
        .into());
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
    let files = context.store.files(id)?;
    let listed: Vec<_> = files
        .iter()
        .map(|file| json!({"path": file.path, "records": file.records, "bytes": file.bytes}))
        .collect();
    let mut text = format!(
        "Job {}: {}\n",
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
    Ok(Report {
        json: json!({"job": job.id, "state": job.state, "files": listed}),
        text: text.trim_end().to_owned(),
    })
}
