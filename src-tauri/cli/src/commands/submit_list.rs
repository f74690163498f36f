//! `submit --ids` with a list rather than a plain ID file: which files are lists, and a list
//! resolved (free) and priced, its unusable rows said with the question.

use std::path::Path;

use collect_core::ids::{IdFileError, IdReport};
use collect_core::jobs::{group, Purchase, Quote};
use collect_core::lists::{HeaderChoice, ListTable};
use collect_core::{ErrorCode, UserError};
use serde_json::json;

use super::resolve::{holds_ids, read_list, report_text, resolve_table};
use crate::context::Context;
use crate::output::Output;
use crate::SubmitArgs;

/// Whether `--ids` names a list to resolve rather than a plain ID file: a column asked for, a
/// workbook or a file the ID reader refuses, or lines it could not use that hold profile
/// addresses. Plain ID files keep the ID reader's line-by-line report.
pub(super) fn as_list(
    path: &Path,
    args: &SubmitArgs,
    read: &Result<IdReport, IdFileError>,
) -> Result<Option<(ListTable, usize)>, UserError> {
    if args.column.is_some() {
        return read_list(path, args.column.as_deref()).map(Some);
    }
    // A text file of IDs keeps the ID reader's precise words about its lines; a workbook, or
    // a file whose column holds profile addresses, is a list.
    let list_of_addresses = || {
        read_list(path, None)
            .ok()
            .filter(|(table, column)| !holds_ids(table, *column))
    };
    match read {
        Ok(report) if report.problem_lines == 0 => Ok(None),
        Err(IdFileError::Workbook | IdFileError::NotText { .. }) => Ok(read_list(path, None).ok()),
        Ok(_) | Err(_) => Ok(list_of_addresses()),
    }
}

/// Resolves the list (free), says what it found, and prices the people found; the answer's
/// report holds the rows it could not use, said again with the question.
pub(super) async fn quote_list(
    context: &Context,
    args: &SubmitArgs,
    table: &ListTable,
    column: usize,
    output: &Output,
) -> Result<(Quote, Option<(serde_json::Value, String)>), UserError> {
    let resolved = resolve_table(context, table, column, output).await?;
    let report = &resolved.report;
    let text = report_text(report);
    output.say(&text);
    if resolved.ids.is_empty() {
        return Err(UserError::new(
            ErrorCode::InvalidInput,
            format!(
                "{} Nothing was sent: no row names a person to collect.",
                report.summary
            ),
        ));
    }
    if resolved.ids.len() > collect_core::ids::MAX_IDS_PER_REQUEST && !args.split {
        return Err(UserError::new(
            ErrorCode::InvalidInput,
            format!(
                "These {} people are more than the 10,000 one delivery carries. Nothing was sent: add --split to send them as batches, priced and confirmed together.",
                group(resolved.ids.len() as u64)
            ),
        ));
    }
    let purchase = if args.new_only {
        Purchase::NewOnly
    } else {
        Purchase::Everyone
    };
    let engine = context.engine()?;
    let quote = engine
        .quote_resolved(table, HeaderChoice::Detect, column, &resolved, purchase)
        .await?
        .ok_or_else(|| UserError::new(ErrorCode::InvalidInput, report.summary.clone()))?;
    let json = json!({
        "found": report.found,
        "not_found": report.not_found,
        "duplicates": report.duplicates.len(),
        "people": report.people,
        "several": report.several,
        "problems": report.problems,
        "summary": report.summary,
    });
    let unusable: Vec<String> = report
        .not_found
        .iter()
        .map(|row| row.row)
        .chain(report.problems.iter().map(|row| row.row))
        .map(|row| row.to_string())
        .collect();
    let skipped = match unusable.len() {
        0 => report.summary.clone(),
        _ => format!("{} Rows not used: {}.", report.summary, unusable.join(", ")),
    };
    Ok((quote, Some((json, skipped))))
}
