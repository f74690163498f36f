//! `estimate`, `submit`, `send-again`: prices first, then one confirmation, then one request.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use collect_core::consent::Consent;
use collect_core::error::Coded;
use collect_core::ids::{read_id_file, IdReport};
use collect_core::jobs::{group, Confirmation, EngineError, JobRequest, NewJob, Quote};
use collect_core::query::parse_query;
use collect_core::{ErrorCode, UserError};
use serde_json::json;

use super::quote_words::{quote_for, quote_json, quote_text, refuse_nothing_to_buy};
use super::submit_list::{as_list, quote_list};
use crate::context::Context;
use crate::output::{Output, Report};
use crate::SubmitArgs;

// ----- estimate and submit --------------------------------------------------------------------

pub(super) fn read_query(path: &Path) -> Result<collect_core::query::EsQuery, UserError> {
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

/// What the person at the terminal said about a quote: flags, or answers typed at the prompts.
pub(super) struct Answers<'a> {
    /// `--again`: collect data collected before.
    pub again: bool,
    /// `--yes`: spend without being asked.
    pub yes: bool,
    /// `--yes-over-cap`: also above the limit per request.
    pub yes_over_cap: bool,
    /// `--max-credits`: send nothing above it.
    pub max_credits: Option<u64>,
    /// The ID lines that will be skipped, said with a refusal.
    pub skipped: &'a str,
}

/// Every confirmation `quote` needs from the person at the terminal, in order: `--max-credits`,
/// a balance that cannot pay (refused with its figures), the question (or `--yes`), the second one
/// above the limit. The person's yes is recorded with the engine ([`collect_core::consent`]): the
/// command line is itself the place outside any webview where a person answers.
pub(super) fn confirmed(
    engine: &collect_core::jobs::Engine,
    quote: &Quote,
    answers: Answers<'_>,
    output: &Output,
) -> Result<Confirmation, UserError> {
    refuse_over_max(quote, answers.max_credits)?;
    if let Some(shortfall) = &quote.shortfall {
        return Err(EngineError::NotEnoughCredits {
            shortfall: shortfall.clone(),
        }
        .into());
    }
    let question = format!("{} ({}).", quote.question, quote_text(quote));
    confirm(&question, answers.skipped, answers.yes, output)?;
    let over_cap = confirm_over_cap(quote, answers.yes_over_cap, output)?;
    let consent = engine.consents().granted_by_person(Consent::Quote {
        quote: quote.id,
        credits: quote.credits,
    });
    Ok(Confirmation {
        again: answers.again,
        over_cap,
        consent: Some(consent),
    })
}

pub(super) async fn estimate(
    context: &Context,
    query: &Path,
    limit: Option<u32>,
    new_only: bool,
) -> Result<Report, UserError> {
    let query = read_query(query)?;
    let engine = context.engine()?;
    let quote = quote_for(
        &engine,
        &NewJob {
            name: None,
            request: JobRequest::Query { query, limit },
            webhook_url: None,
        },
        new_only,
    )
    .await?;
    let mut text = format!("{}\n{}", quote_text(&quote), quote.credits_note);
    if let Some(cap) = quote.over_cap {
        text.push_str(&format!(
            "\nAbove your limit of {} credits per request: submitting it needs a second confirmation.",
            group(cap)
        ));
    }
    if quote.is_again() {
        text.push_str(&format!("\n{}", quote.question));
    }
    Ok(Report {
        json: quote_json(&quote),
        text,
    })
}

/// The ID report: bad lines by number, duplicates, header; shown before any confirmation.
pub(super) fn id_report_json(report: &IdReport) -> serde_json::Value {
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

pub(super) fn id_report_text(report: &IdReport) -> String {
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

pub(super) async fn submit(
    context: &Context,
    args: &SubmitArgs,
    output: &Output,
) -> Result<Report, UserError> {
    let engine = context.engine()?;
    let new_job = |request| NewJob {
        name: args.name.clone(),
        request,
        webhook_url: args.webhook.clone(),
    };
    let (quote, id_report) = match (&args.query, &args.ids) {
        (Some(path), None) => {
            let request = JobRequest::Query {
                query: read_query(path)?,
                limit: args.limit,
            };
            (
                quote_for(&engine, &new_job(request), args.new_only).await?,
                None,
            )
        }
        (None, Some(path)) => {
            let read = read_id_file(path);
            if let Some((table, column)) = as_list(path, args, &read)? {
                quote_list(context, args, &table, column, output).await?
            } else {
                let report = read.map_err(|error| {
                    UserError::new(
                        error.code(),
                        format!("{}: {}", path.display(), error.user_message()),
                    )
                })?;
                let text = id_report_text(&report);
                output.say(&text);
                let report_json = id_report_json(&report);
                let source = Some(path.to_string_lossy().into_owned());
                let request = JobRequest::Ids {
                    report,
                    source_file: source,
                    split: args.split,
                    list: None,
                };
                let quote = quote_for(&engine, &new_job(request), args.new_only).await?;
                (quote, Some((report_json, text)))
            }
        }
        _ => {
            return Err(UserError::new(
                ErrorCode::InvalidInput,
                "Give either --query FILE or --ids FILE.",
            ))
        }
    };
    refuse_nothing_to_buy(&quote)?;
    if quote.is_again() && !args.again {
        let mut error: UserError = EngineError::CollectedBefore {
            job: quote.earlier[0].id,
            name: collect_core::jobs::collection_named(quote.earlier[0].id, &quote.earlier[0].name),
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
    let confirmation = confirmed(
        &engine,
        &quote,
        Answers {
            again: args.again,
            yes: args.yes,
            yes_over_cap: args.yes_over_cap,
            max_credits: args.max_credits,
            skipped: &skipped,
        },
        output,
    )?;
    let row = engine.submit_confirmed(quote.id, confirmation).await?;
    let mut answer = json!({
        "job": row.id,
        "request_id": row.request_id,
        "state": row.state,
        "quote": quote_json(&quote),
    });
    if let Some((report, _)) = id_report {
        answer["ids"] = report;
    }
    if quote.batches > 1 {
        answer["batches"] = json!(quote.batches);
        return Ok(Report {
            json: answer,
            text: format!(
                "Collection {} submitted as {} batches: the first are sent; the rest go as earlier ones finish, while the app is open or this runs: bulk-collect-cli download {}",
                row.id, quote.batches, row.id
            ),
        });
    }
    Ok(Report {
        json: answer,
        text: format!(
            "Collection {} submitted (its id at Coresignal: {}). Next: bulk-collect-cli wait {} && bulk-collect-cli download {}",
            row.id,
            row.request_id.as_deref().unwrap_or("?"),
            row.id,
            row.id
        ),
    })
}

/// Asks every confirmation `quote` needs ([`confirmed`]; `again` confirms data collected before)
/// with the flags `--yes`, `--yes-over-cap` and `--max-credits`, then sends it once.
pub(super) async fn confirm_and_send(
    engine: &collect_core::jobs::Engine,
    quote: &Quote,
    again: bool,
    (yes, yes_over_cap, max_credits): (bool, bool, Option<u64>),
    output: &Output,
) -> Result<collect_core::store::JobRow, UserError> {
    let confirmation = confirmed(
        engine,
        quote,
        Answers {
            again,
            yes,
            yes_over_cap,
            max_credits,
            skipped: "",
        },
        output,
    )?;
    Ok(engine.submit_confirmed(quote.id, confirmation).await?)
}

/// `--max-credits`: refuses, before any question and with nothing sent, a quoted price above it.
pub(super) fn refuse_over_max(quote: &Quote, max_credits: Option<u64>) -> Result<(), UserError> {
    match max_credits.filter(|most| quote.credits > *most) {
        Some(most) => Err(UserError::new(
            ErrorCode::OverCap,
            format!(
                "This costs {} credits, more than --max-credits {}. Nothing was sent: narrow the search, or raise --max-credits.",
                group(quote.credits),
                group(most)
            ),
        )),
        None => Ok(()),
    }
}

/// The second confirmation of a price above the limit per request: `None` when under it, else
/// its credits, confirmed by `--yes-over-cap` or by a second "y" on a terminal. Refused when
/// nobody can answer; the core refuses an over-limit price without it anyway.
pub(super) fn confirm_over_cap(
    quote: &Quote,
    yes_over_cap: bool,
    output: &Output,
) -> Result<Option<u64>, UserError> {
    let Some(cap) = quote.over_cap else {
        return Ok(None);
    };
    let over: UserError = EngineError::OverCap {
        credits: quote.credits,
        cap,
    }
    .into();
    if yes_over_cap {
        output.say(&over.message);
        return Ok(Some(quote.credits));
    }
    if output.is_json() || !std::io::stdin().is_terminal() {
        let mut refused = over;
        refused.message = format!(
            "This collection costs {} credits, above your limit of {} per request. Nothing was sent: add --yes-over-cap to confirm it.",
            group(quote.credits),
            group(cap)
        );
        return Err(refused);
    }
    if ask(&format!(
        "It costs {} credits, above your limit of {} per request. Send it anyway? [y/N] ",
        group(quote.credits),
        group(cap)
    ))? {
        Ok(Some(quote.credits))
    } else {
        Err(collect_core::consent::declined_spending())
    }
}

/// Asks `question` on the terminal; true for "y" or "yes".
pub(super) fn ask(question: &str) -> Result<bool, UserError> {
    eprint!("{question}");
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
    Ok(matches!(answer.trim().to_lowercase().as_str(), "y" | "yes"))
}

/// Asks "Spend these credits?" on a terminal; refuses when nobody can answer and `--yes` is absent
/// (`report`, the ID lines that will be skipped, is part of that refusal).
pub(super) fn confirm(
    question: &str,
    report: &str,
    yes: bool,
    output: &Output,
) -> Result<(), UserError> {
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
    if ask(&format!("{question} Send it? [y/N] "))? {
        Ok(())
    } else {
        Err(collect_core::consent::declined_spending())
    }
}
