//! Money: the cost of a preview and the preview itself (run only with that cost confirmed, a rule
//! the core enforces), what a profile costs (plan setting or measured), and the ledger.

use collect_core::jobs::{CreditLedger, Preview, PreviewQuote};
use collect_core::money::CreditsPerProfile;
use collect_core::query::parse_query;
use collect_core::{ErrorCode, UserError};
use tauri_plugin_opener::OpenerExt;

use super::ShellState;

/// What a preview of 20 sample people costs now ("free in Practice" there).
#[tauri::command]
pub async fn preview_cost(shell: ShellState<'_>) -> Result<PreviewQuote, UserError> {
    Ok(shell.session.engine()?.preview_cost()?)
}

/// Up to 20 sample people the query matches. When the preview costs credits, `confirmation` must
/// be the one `preview_cost` gave, unused; otherwise the core refuses (`ConfirmationNeeded`),
/// sending nothing.
#[tauri::command]
pub async fn preview_people(
    shell: ShellState<'_>,
    query_text: String,
    confirmation: Option<String>,
) -> Result<Preview, UserError> {
    let query = parse_query(&query_text)?;
    Ok(shell
        .session
        .engine()?
        .preview(&query, confirmation.as_deref())
        .await?)
}

/// What a profile costs: the plan setting, the latest measurement, and which prices use.
#[tauri::command]
pub async fn credits_per_profile(shell: ShellState<'_>) -> Result<CreditsPerProfile, UserError> {
    Ok(shell.session.engine()?.credits_per_profile()?)
}

/// Credits spent in this mode, per job (measured or estimated) and per month.
#[tauri::command]
pub async fn credit_ledger(shell: ShellState<'_>) -> Result<CreditLedger, UserError> {
    Ok(shell.session.engine()?.credit_ledger()?)
}

/// Opens Coresignal's page on topping up credits in the browser. The address is fixed here: the
/// webview cannot make the app open another.
#[tauri::command]
pub async fn open_top_up_page(shell: ShellState<'_>) -> Result<(), UserError> {
    let url = collect_core::money::TOP_UP_URL;
    shell
        .app
        .opener()
        .open_url(url, None::<&str>)
        .map_err(|error| {
            UserError::new(
                ErrorCode::Io,
                format!("The browser could not be opened ({error}). Go to {url} to top up."),
            )
        })
}
