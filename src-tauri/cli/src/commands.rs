//! One function per command. Each returns a [`Report`] or a [`UserError`].

use std::io::{BufRead, IsTerminal, Read, Write};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use collect_core::error::Coded;
use collect_core::ids::{read_id_file, IdReport};
use collect_core::jobs::{
    group, Engine, EngineError, JobAction, JobRequest, JobState, JobUpdate, NewJob, Quote,
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
        Command::Cancel { .. } | Command::Retry { .. } | Command::Attach { .. } => {
            act(&context, &cli.command)
        }
        Command::SendAgain { job, yes } => send_again(&context, *job, *yes, output).await,
        Command::Export(args) => crate::export::export(&context, args).await,
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

fn quote_text(quote: &Quote) -> String {
    let balance = quote
        .balance
        .map(|balance| format!(" · balance {}", group(balance.max(0) as u64)))
        .unwrap_or_default();
    format!(
        "{} match · {} profiles · {} credits{balance}",
        group(quote.matches),
        group(quote.records),
        group(quote.credits)
    )
}

fn quote_json(quote: &Quote) -> serde_json::Value {
    serde_json::to_value(quote).unwrap_or_else(|_| json!({"id": quote.id}))
}

async fn estimate(
    context: &Context,
    query: &Path,
    limit: Option<u32>,
) -> Result<Report, UserError> {
    let query = read_query(query)?;
    let engine = context.engine()?;
    let quote = engine
        .quote(&NewJob {
            name: None,
            request: JobRequest::Query { query, limit },
            webhook_url: None,
        })
        .await?;
    let mut text = quote_text(&quote);
    if quote.is_again() {
        text.push_str(&format!("\n{}", quote.question));
    }
    Ok(Report {
        json: quote_json(&quote),
        text,
    })
}

/// The ID report: bad lines by number, duplicates, header; shown before any confirmation.
fn id_report_json(report: &IdReport) -> serde_json::Value {
    json!({
        "valid": report.ids.len(),
        "total_lines": report.total_lines,
        "blank_lines": report.blank_lines,
        "header": report.header,
        "duplicates_removed": report.duplicates_removed,
        "problem_lines": report.problem_lines,
        "problems": report.problems,
        "summary": report.summary(),
    })
}

fn id_report_text(report: &IdReport) -> String {
    let mut text = report.summary();
    for problem in &report.problems {
        text.push_str(&format!(
            "\n  line {}: {:?} skipped ({})",
            problem.line, problem.text, problem.reason
        ));
    }
    if report.problem_lines > report.problems.len() {
        text.push_str(&format!(
            "\n  … and {} more bad lines.",
            report.problem_lines - report.problems.len()
        ));
    }
    text
}

async fn submit(
    context: &Context,
    args: &SubmitArgs,
    output: &Output,
) -> Result<Report, UserError> {
    let engine = context.engine()?;
    let (request, id_report) = match (&args.query, &args.ids) {
        (Some(path), None) => (
            JobRequest::Query {
                query: read_query(path)?,
                limit: args.limit,
            },
            None,
        ),
        (None, Some(path)) => {
            let report = read_id_file(path).map_err(|error| {
                UserError::new(
                    error.code(),
                    format!("{}: {}", path.display(), error.user_message()),
                )
            })?;
            let text = id_report_text(&report);
            output.say(&text);
            let report_json = id_report_json(&report);
            let source = Some(path.to_string_lossy().into_owned());
            (
                JobRequest::Ids {
                    report,
                    source_file: source,
                },
                Some((report_json, text)),
            )
        }
        _ => {
            return Err(UserError::new(
                ErrorCode::InvalidInput,
                "Give either --query FILE or --ids FILE.",
            ))
        }
    };
    let quote = engine
        .quote(&NewJob {
            name: args.name.clone(),
            request,
            webhook_url: args.webhook.clone(),
        })
        .await?;
    if quote.is_again() && !args.again {
        let mut error: UserError = EngineError::CollectedBefore {
            job: quote.earlier[0].id,
        }
        .into();
        error.message = format!(
            "{} Nothing was sent: add --again to collect it again.",
            quote.question
        );
        return Err(error);
    }
    let skipped = id_report
        .as_ref()
        .map(|(_, text)| format!(" {text}"))
        .unwrap_or_default();
    let question = format!("{} ({}).", quote.question, quote_text(&quote));
    confirm(&question, &skipped, args.yes, output)?;
    let row = engine.submit(quote.id, args.again).await?;
    let mut answer = json!({
        "job": row.id,
        "request_id": row.request_id,
        "state": row.state,
        "quote": quote_json(&quote),
    });
    if let Some((report, _)) = id_report {
        answer["ids"] = report;
    }
    Ok(Report {
        json: answer,
        text: format!(
            "Job {} submitted (request {}). Next: bulk-collect-cli wait {} && bulk-collect-cli download {}",
            row.id,
            row.request_id.as_deref().unwrap_or("?"),
            row.id,
            row.id
        ),
    })
}

/// Asks "Spend these credits?" on a terminal; refuses when nobody can answer and `--yes` is absent
/// (`report`, the ID lines that will be skipped, is part of that refusal).
fn confirm(question: &str, report: &str, yes: bool, output: &Output) -> Result<(), UserError> {
    if yes {
        output.say(question);
        return Ok(());
    }
    if output.is_json() || !std::io::stdin().is_terminal() {
        return Err(UserError::new(
            ErrorCode::InvalidInput,
            format!(
                "{question} Nothing was sent: add --yes to confirm spending the credits.{report}"
            ),
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
    let jobs = context.reader()?.jobs()?;
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
    let detail = context.reader()?.detail(id)?;
    let job = &detail.job;
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

fn action_hint(action: &JobAction) -> String {
    match action {
        JobAction::Cancel => "cancel it (bulk-collect-cli cancel JOB)",
        JobAction::Retry => "retry it (bulk-collect-cli retry JOB)",
        JobAction::Attach => {
            "attach the request id you found (bulk-collect-cli attach JOB --request-id ID)"
        }
        JobAction::SendAgain => "send it again (bulk-collect-cli send-again JOB)",
        JobAction::OpenFolder => "open its folder",
    }
    .to_owned()
}

// ----- acting on a job ------------------------------------------------------------------------

async fn send_again(
    context: &Context,
    id: i64,
    yes: bool,
    output: &Output,
) -> Result<Report, UserError> {
    let engine = context.engine()?;
    let quote = engine.send_again(id).await?;
    let question = format!("{} ({}).", quote.question, quote_text(&quote));
    confirm(&question, "", yes, output)?;
    let row = engine.submit(quote.id, true).await?;
    Ok(Report {
        json: json!({"job": row.id, "request_id": row.request_id, "state": row.state, "replaces": id}),
        text: format!(
            "Job {} sent again as job {} (request {}).",
            id,
            row.id,
            row.request_id.as_deref().unwrap_or("?")
        ),
    })
}

fn act(context: &Context, command: &Command) -> Result<Report, UserError> {
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
            "Job {}: {} — {}",
            row.id,
            row.state.as_str(),
            row.state_reason.as_deref().unwrap_or(row.state.describe())
        ),
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
    let files = engine.detail(id)?.files;
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
