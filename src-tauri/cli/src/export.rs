//! `export JOB`: a downloaded job's files as one spreadsheet, in the job's folder or `--to`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use collect_core::export::{ExportFormat, ExportLayout, ExportOptions, ExportResult};
use collect_core::jobs::EngineError;
use collect_core::{ErrorCode, UserError};
use serde_json::json;

use crate::context::Context;
use crate::output::Report;

/// The arguments of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The job number.
    job: i64,
    /// xlsx (one Excel workbook), csv (for Excel: UTF-8 with BOM) or parquet (one file for data
    /// teams: typed columns, the full layout's lists as nested columns).
    #[arg(long, value_enum, default_value_t = Format::Xlsx)]
    format: Format,
    /// people (one row per person) or full (a sheet, or CSV file, per list: experience, education,
    /// …; in Parquet, one row per person with the lists as nested columns).
    #[arg(long, value_enum, default_value_t = Layout::People)]
    layout: Layout,
    /// Where to write: a folder (default: the job's folder, beside its downloaded files), or a
    /// file when the path ends in the format's extension (people.xlsx, people.csv, people.parquet).
    #[arg(long)]
    to: Option<PathBuf>,
    /// People layout: how many positions besides the current one get columns (0–50).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u8).range(0..=50))]
    past_positions: u8,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Xlsx,
    Csv,
    Parquet,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Layout {
    People,
    Full,
}

/// Exports the job; refuses, saying what to run, when it is not downloaded.
pub async fn export(context: &Context, args: &ExportArgs) -> Result<Report, UserError> {
    let engine = context.reader()?;
    let options = ExportOptions {
        format: match args.format {
            Format::Xlsx => ExportFormat::Xlsx,
            Format::Csv => ExportFormat::Csv,
            Format::Parquet => ExportFormat::Parquet,
        },
        layout: match args.layout {
            Layout::People => ExportLayout::People,
            Layout::Full => ExportLayout::Full,
        },
        past_positions: usize::from(args.past_positions),
    };
    // The date in the name is today's in UTC (the local offset cannot be read safely here).
    let today = time::OffsetDateTime::now_utc().date();
    let (id, to) = (args.job, args.to.clone());
    let worker_options = options.clone();
    let result = tokio::task::spawn_blocking(move || match to {
        Some(file) if names_a_file(&file, &worker_options) => {
            engine.export_file(id, &file, &worker_options)
        }
        to => engine.export(id, to.as_deref(), today, &worker_options),
    })
    .await
    .map_err(|error| {
        UserError::new(
            ErrorCode::Internal,
            format!("The export stopped unexpectedly ({error}). Try again; if it happens again, report it."),
        )
    })?;
    let result = result.map_err(|error| match error {
        EngineError::NotDownloaded { job, .. } => {
            let mut user = UserError::from(error);
            user.message = format!("{} Run: bulk-collect-cli download {job}", user.message);
            user
        }
        other => other.into(),
    })?;
    Ok(Report {
        json: answer(id, &options, &result),
        text: text(id, &result),
    })
}

/// Whether `--to` names the export's file rather than a folder: it ends in the format's extension.
fn names_a_file(path: &std::path::Path, options: &ExportOptions) -> bool {
    path.extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case(options.format.extension()))
}

fn answer(id: i64, options: &ExportOptions, result: &ExportResult) -> serde_json::Value {
    json!({
        "job": id,
        "format": options.format,
        "layout": options.layout,
        "paths": result.paths,
        "people": result.people,
        "duplicates_skipped": result.duplicates_skipped,
        "rows_per_sheet": result.rows_per_sheet,
    })
}

fn text(id: i64, result: &ExportResult) -> String {
    let mut text = format!("Collection {id}: {} people exported", result.people);
    if result.duplicates_skipped > 0 {
        text.push_str(&format!(
            " ({} duplicates skipped)",
            result.duplicates_skipped
        ));
    }
    text.push_str(" to:");
    for path in &result.paths {
        text.push_str(&format!("\n  {}", path.display()));
    }
    text
}
