//! `resolve`: a person's list (IDs, profile addresses or short names, in any column of a CSV,
//! TSV, TXT, XLSX, XLS or ODS) turned into employee IDs with free searches, and the rows it could
//! not use. `submit --ids` reads lists the same way.

use std::path::Path;

use collect_core::lists::{preview, read_list_file, HeaderChoice, ListTable, ValueKind};
use collect_core::profiles::{write_found, ListReport, LookupProgress, Resolved};
use collect_core::{ErrorCode, UserError};
use serde_json::json;

use crate::context::Context;
use crate::output::{Output, Report};

/// How many rows of each kind the text report lists before "… and N more".
const LISTED: usize = 20;

/// A list read from `path`, and the column to read: `column` by its name or letter, else the
/// one detected.
pub(super) fn read_list(
    path: &Path,
    column: Option<&str>,
) -> Result<(ListTable, usize), UserError> {
    let table = read_list_file(path).map_err(|error| {
        let error: UserError = error.into();
        UserError::new(error.code, format!("{}: {}", path.display(), error.message))
    })?;
    let shown = preview(&table, HeaderChoice::Detect, None);
    let names: Vec<String> = shown
        .columns
        .iter()
        .map(|column| format!("\"{}\"", column.name))
        .collect();
    let index = match column {
        Some(wanted) => {
            let wanted = wanted.trim();
            shown
                .columns
                .iter()
                .position(|column| column.name.trim().eq_ignore_ascii_case(wanted))
                .or_else(|| column_letter(wanted).filter(|at| *at < shown.columns.len()))
                .ok_or_else(|| {
                    UserError::new(
                        ErrorCode::InvalidInput,
                        format!(
                            "{}: there is no column \"{wanted}\". Its columns are {}.",
                            path.display(),
                            names.join(", ")
                        ),
                    )
                })?
        }
        None => shown
            .chosen
            .map(|chosen| shown.columns[chosen].index)
            .ok_or_else(|| {
                UserError::new(
                    ErrorCode::InvalidInput,
                    format!(
                        "{}: no column holds employee IDs or profile addresses. Name the one to read with --column (its columns are {}).",
                        path.display(),
                        names.join(", ")
                    ),
                )
            })?,
    };
    Ok((table, index))
}

/// Whether column `column` of `table` holds employee IDs only (read as before: no search).
pub(super) fn holds_ids(table: &ListTable, column: usize) -> bool {
    preview(table, HeaderChoice::Detect, Some(column))
        .columns
        .iter()
        .find(|shown| shown.index == column)
        .is_some_and(|shown| shown.kind == ValueKind::EmployeeIds)
}

/// `A` → 0, `B` → 1, `AA` → 26: a spreadsheet's column letters.
fn column_letter(text: &str) -> Option<usize> {
    if text.is_empty() || text.len() > 3 || !text.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let number = text.bytes().fold(0usize, |n, b| {
        n * 26 + usize::from(b.to_ascii_uppercase() - b'A' + 1)
    });
    Some(number - 1)
}

/// Resolves column `column` of `table` with free searches, with a spinner on a terminal.
pub(super) async fn resolve_table(
    context: &Context,
    table: &ListTable,
    column: usize,
    output: &Output,
) -> Result<Resolved, UserError> {
    let engine = context.engine()?;
    let bar = output.bar(None);
    bar.set_message("Looking up the profile addresses (free searches)");
    let progress = |step: LookupProgress| {
        bar.set_message(format!(
            "Looking up the profile addresses: search {} of {}",
            step.done, step.planned
        ));
    };
    let resolved = engine
        .resolve_list(table, HeaderChoice::Detect, column, &progress)
        .await;
    bar.finish_and_clear();
    Ok(resolved?)
}

/// `resolve FILE [--column NAME] [--to OUT.csv]`: free.
pub(super) async fn resolve(
    context: &Context,
    file: &Path,
    column: Option<&str>,
    to: Option<&Path>,
    output: &Output,
) -> Result<Report, UserError> {
    let (table, column) = read_list(file, column)?;
    let resolved = resolve_table(context, &table, column, output).await?;
    if let Some(to) = to {
        write_found(&resolved, to)?;
    }
    let report = &resolved.report;
    let mut text = report_text(report);
    if let Some(to) = to {
        text.push_str(&format!(
            "\nThe {} found are in {}.",
            if report.found == 1 { "row" } else { "rows" },
            to.display()
        ));
    }
    Ok(Report {
        json: json!({
            "found": report.found,
            "not_found": report.not_found,
            "duplicates": report.duplicates.len(),
            "ids": resolved.ids,
            "people": report.people,
            "several": report.several,
            "problems": report.problems,
            "searches": report.searches,
            "summary": report.summary,
        }),
        text,
    })
}

/// The report in words, with the rows it could not use listed (the first [`LISTED`] of each).
pub(super) fn report_text(report: &ListReport) -> String {
    let mut text = report.summary.clone();
    let mut list = |title: &str, lines: Vec<String>| {
        if lines.is_empty() {
            return;
        }
        text.push_str(&format!("\n{title}"));
        for line in lines.iter().take(LISTED) {
            text.push_str(&format!("\n  {line}"));
        }
        if lines.len() > LISTED {
            text.push_str(&format!("\n  … and {} more.", lines.len() - LISTED));
        }
    };
    list(
        "Not in Coresignal's data:",
        report
            .not_found
            .iter()
            .map(|row| format!("row {}: {}", row.row, row.value))
            .collect(),
    );
    list(
        "The same person as an earlier row (collected once):",
        report
            .duplicates
            .iter()
            .map(|row| {
                format!(
                    "row {}: {} (ID {}, as row {})",
                    row.row, row.value, row.id, row.first_row
                )
            })
            .collect(),
    );
    list(
        "Addresses several people have used:",
        report
            .several
            .iter()
            .map(|row| format!("row {}: {}: {}", row.row, row.value, row.reason))
            .collect(),
    );
    list(
        "Rows that could not be used:",
        report
            .problems
            .iter()
            .map(|row| {
                format!(
                    "row {}, column \"{}\": {:?}: {}",
                    row.row, row.column, row.text, row.reason
                )
            })
            .collect(),
    );
    text
}

#[cfg(test)]
mod tests {
    use super::column_letter;

    #[test]
    fn column_letters_count_as_a_spreadsheet_does() {
        assert_eq!(column_letter("A"), Some(0));
        assert_eq!(column_letter("b"), Some(1));
        assert_eq!(column_letter("AA"), Some(26));
        assert_eq!(column_letter("LinkedIn"), None);
        assert_eq!(column_letter(""), None);
    }
}
