//! `preview` (sample people, its cost confirmed first by the person at the terminal) and `ledger` (credits spent).

use std::path::Path;

use collect_core::jobs::{group, CreditLedger, Preview};
use collect_core::UserError;
use serde_json::json;

use super::submit::{confirm, read_query};
use crate::context::Context;
use crate::output::{Output, Report};

/// Up to 20 people the query matches. When a preview costs credits, it asks first (or needs
/// `--yes`); the core refuses a paid preview without that confirmation anyway.
pub(super) async fn preview(
    context: &Context,
    query: &Path,
    yes: bool,
    output: &Output,
) -> Result<Report, UserError> {
    let query = read_query(query)?;
    let engine = context.engine()?;
    let cost = engine.preview_cost()?;
    // The person at the terminal (or the `--yes` they typed) is the yes the core needs.
    let consent = match engine.preview_consent_question()? {
        Some((consent, _)) => {
            confirm(&cost.question, "", yes, output)?;
            Some(engine.consents().granted_by_person(consent))
        }
        None => {
            output.say(&cost.question);
            None
        }
    };
    let preview = engine.preview(&query, consent.as_ref()).await?;
    Ok(Report {
        json: serde_json::to_value(&preview).unwrap_or_else(|_| json!({})),
        text: people_table(&preview),
    })
}

/// Credits spent in this history (the service is not called).
pub(super) fn ledger(context: &Context) -> Result<Report, UserError> {
    let ledger = context.reader()?.credit_ledger()?;
    Ok(Report {
        json: serde_json::to_value(&ledger).unwrap_or_else(|_| json!({})),
        text: ledger_text(&ledger),
    })
}

fn people_table(preview: &Preview) -> String {
    let rows: Vec<[String; 5]> = preview
        .people
        .iter()
        .map(|person| {
            let cell = |text: &Option<String>| text.clone().unwrap_or_else(|| "–".into());
            [
                person.id.map_or_else(|| "–".into(), |id| id.to_string()),
                cell(&person.name),
                cell(&person.title),
                cell(&person.company),
                cell(&person.country),
            ]
        })
        .collect();
    let mut text = table(&["ID", "Name", "Title", "Company", "Country"], &rows);
    text.push_str(&format!(
        "\n{} people shown · {} credits",
        preview.people.len(),
        group(preview.credits)
    ));
    if let Some(balance) = preview.balance {
        text.push_str(&format!(" · balance {}", group(balance.max(0) as u64)));
    }
    text
}

fn ledger_text(ledger: &CreditLedger) -> String {
    if ledger.lines.is_empty() {
        return "No credits spent yet in this history.".into();
    }
    let mark = |measured: bool| if measured { "measured" } else { "estimated" };
    let rows: Vec<[String; 5]> = ledger
        .lines
        .iter()
        .map(|line| {
            [
                line.at.get(..10).unwrap_or(&line.at).to_owned(),
                line.job_id.map_or_else(|| "–".into(), |id| id.to_string()),
                line.name.chars().take(40).collect(),
                group(line.credits),
                mark(line.measured).to_owned(),
            ]
        })
        .collect();
    let mut text = table(&["Date", "Collection", "Name", "Credits", ""], &rows);
    text.push('\n');
    for month in &ledger.months {
        let note = if month.estimated {
            " (partly estimated)"
        } else {
            ""
        };
        text.push_str(&format!(
            "\n{}: {} credits{note}",
            month.month,
            group(month.credits)
        ));
    }
    text.push_str(&format!("\nTotal: {} credits", group(ledger.total)));
    text
}

/// Columns padded to their widest cell.
pub(super) fn table<const N: usize>(header: &[&str; N], rows: &[[String; N]]) -> String {
    let mut widths = header.map(|title| title.chars().count());
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        cells
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_owned()
    };
    let mut text = line(header.to_vec());
    for row in rows {
        text.push('\n');
        text.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    text
}
