//! The people library: search it a page at a time, count by country and company, show one
//! person, forget one, and export a selection through the native save dialog (opened by Rust).

use std::path::{Path, PathBuf};

use collect_core::export::{ExportFormat, ExportLayout, ExportOptions};
use collect_core::jobs::Mode;
use collect_core::library::{
    export_file_name, Counts, ImportProgress, Library, Page, PeopleExported, PeopleSelection,
    PersonDetails,
};
use collect_core::{ErrorCode, UserError};

use super::ShellState;

/// Environment variable for end-to-end tests only, read by debug builds only: the file
/// `export_people` writes, instead of opening the save dialog.
pub const TEST_PEOPLE_FILE_ENV: &str = "BULK_COLLECT_TEST_PEOPLE_FILE";

/// Runs `work` on the library of the current mode (Practice's made-up people are kept apart) off
/// the async workers (a search scans the whole library).
async fn with_library<T: Send + 'static>(
    shell: &ShellState<'_>,
    work: impl FnOnce(Library, &'static str) -> Result<T, UserError> + Send + 'static,
) -> Result<T, UserError> {
    let library = Library::new(shell.session.store().clone());
    let dataset = shell
        .session
        .mode()
        .unwrap_or(Mode::Practice)
        .library_dataset();
    tauri::async_runtime::spawn_blocking(move || work(library, dataset))
        .await
        .map_err(|error| UserError::new(ErrorCode::Internal, error.to_string()))?
}

/// Page `page` (from 1) of the people whose name, title, company or country holds `text`.
#[tauri::command]
pub async fn search_people(
    shell: ShellState<'_>,
    text: Option<String>,
    page: u32,
) -> Result<Page, UserError> {
    with_library(&shell, move |library, dataset| {
        Ok(library.search(dataset, text.as_deref(), page)?)
    })
    .await
}

/// The countries and companies with the most people the same search finds.
#[tauri::command]
pub async fn people_counts(
    shell: ShellState<'_>,
    text: Option<String>,
) -> Result<Counts, UserError> {
    with_library(&shell, move |library, dataset| {
        Ok(library.counts(dataset, text.as_deref())?)
    })
    .await
}

/// One person of the library; `None` when no longer held.
#[tauri::command]
pub async fn person_details(
    shell: ShellState<'_>,
    id: i64,
) -> Result<Option<PersonDetails>, UserError> {
    with_library(&shell, move |library, dataset| {
        Ok(library.details(dataset, id)?)
    })
    .await
}

/// Forgets a person (a deletion request): their copy is deleted, a note that it happened kept.
/// Returns whether they were held.
#[tauri::command]
pub async fn forget_person(shell: ShellState<'_>, id: i64) -> Result<bool, UserError> {
    with_library(&shell, move |library, dataset| {
        Ok(library.forget(dataset, id)?)
    })
    .await
}

/// How far the start-up import of earlier downloads has come; `None` before it starts.
#[tauri::command]
pub fn library_import_status(shell: ShellState<'_>) -> Option<ImportProgress> {
    shell.library_import.get()
}

/// Asks where to save (in the download folder, named `people_<date>`), then writes `selection`'s
/// people there as `format`, one row per person with the spreadsheet setting's past positions.
/// `None` when the person cancelled.
#[tauri::command]
pub async fn export_people(
    shell: ShellState<'_>,
    window: tauri::WebviewWindow,
    selection: PeopleSelection,
    format: ExportFormat,
) -> Result<Option<PeopleExported>, UserError> {
    let settings = shell.session.settings()?;
    let name = export_file_name(format);
    let path = match super::test_env(TEST_PEOPLE_FILE_ENV) {
        Some(path) => Some(PathBuf::from(path)),
        None => {
            let (label, extension, title) = match format {
                ExportFormat::Xlsx => {
                    ("Excel workbook", "xlsx", "Save the people as a spreadsheet")
                }
                ExportFormat::Csv => ("CSV for Excel", "csv", "Save the people as a spreadsheet"),
                ExportFormat::Parquet => (
                    "Parquet for data teams",
                    "parquet",
                    "Save the people as a file for your data team",
                ),
            };
            rfd::AsyncFileDialog::new()
                .set_title(title)
                .set_directory(&settings.download_root)
                .set_file_name(&name)
                .add_filter(label, &[extension])
                .set_parent(&window)
                .save_file()
                .await
                .map(|file| file.path().to_path_buf())
        }
    };
    let Some(path) = path else { return Ok(None) };
    let out_dir = path.parent().map_or_else(PathBuf::new, Path::to_path_buf);
    let stem = path.file_stem().map_or_else(
        || "people".into(),
        |stem| stem.to_string_lossy().into_owned(),
    );
    let options = ExportOptions {
        format,
        layout: ExportLayout::People,
        past_positions: settings.past_positions as usize,
    };
    with_library(&shell, move |library, dataset| {
        Ok(library.export(dataset, &selection, &out_dir, &stem, &options)?)
    })
    .await
    .map(Some)
}
