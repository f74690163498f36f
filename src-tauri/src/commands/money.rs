//! Money: the cost of a preview and the preview itself (a paid one runs only after the person says
//! yes in a native dialog naming its credits, a rule the core enforces), what a profile costs
//! (plan setting or measured), and the ledger.

use collect_core::consent::declined_spending;
use collect_core::jobs::{CreditLedger, Preview, PreviewQuote};
use collect_core::money::CreditsPerProfile;
use collect_core::query::parse_query;
use collect_core::{ErrorCode, UserError};
use tauri_plugin_opener::OpenerExt;

use super::ShellState;

/// What a preview of 20 sample people costs now ("free in Practice" there). It carries nothing
/// that lets a preview run: the webview cannot spend.
#[tauri::command]
pub async fn preview_cost(shell: ShellState<'_>) -> Result<PreviewQuote, UserError> {
    Ok(shell.session.engine()?.preview_cost()?)
}

/// Up to 20 sample people the query matches. A preview that costs credits runs only after the
/// person says yes in a native dialog naming them (a No is `Declined`, and nothing is sent); a
/// free one asks nothing.
#[tauri::command]
pub async fn preview_people(
    shell: ShellState<'_>,
    window: tauri::WebviewWindow,
    query_text: String,
) -> Result<Preview, UserError> {
    let query = parse_query(&query_text)?;
    let engine = shell.session.engine()?;
    let consent = match engine.preview_consent_question()? {
        Some((consent, question)) => {
            if !crate::ask::person_says_yes(&window, "Spend credits?", &question).await {
                return Err(declined_spending());
            }
            Some(engine.consents().granted_by_person(consent))
        }
        None => None,
    };
    Ok(engine.preview(&query, consent.as_ref()).await?)
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
