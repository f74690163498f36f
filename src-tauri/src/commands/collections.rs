//! New collections: check a query, price it (a quote), confirm a quote.

use collect_core::jobs::{Confirmation, JobRequest, NewJob, Quote};
use collect_core::query::{check_query as check, parse_query, QueryCheck};
use collect_core::store::JobRow;
use collect_core::UserError;
use serde::Deserialize;

use super::ShellState;

/// Environment variable for end-to-end tests only, read by debug builds only: `open_list` reads this path instead of
/// opening the file chooser (WebDriver cannot drive a native GTK dialog reliably).
pub const TEST_PICK_FILE_ENV: &str = "BULK_COLLECT_TEST_PICK_FILE";

/// A search to price.
#[derive(ts_rs::TS, Debug, Deserialize)]
#[ts(export)]
pub struct SearchRequest {
    /// The ES DSL text as typed.
    pub query_text: String,
    /// At most this many profiles.
    pub limit: Option<u32>,
    /// An https:// address passed to the service.
    pub webhook_url: Option<String>,
    /// A name for the history.
    pub name: Option<String>,
}

/// Parses and lints a query for the editor.
#[tauri::command]
pub fn check_query(text: String) -> QueryCheck {
    check(&text)
}

/// Prices a search: how many profiles it matches, what they cost, and whether the same data was
/// collected before. Returns the quote to confirm.
#[tauri::command]
pub async fn estimate(shell: ShellState<'_>, request: SearchRequest) -> Result<Quote, UserError> {
    let job = NewJob {
        name: request.name,
        request: JobRequest::Query {
            query: parse_query(&request.query_text)?,
            limit: request.limit,
        },
        webhook_url: request.webhook_url,
    };
    Ok(shell.session.engine()?.quote(&job).await?)
}

/// Checks the price of a quote's request again (the quote expired).
#[tauri::command]
pub async fn requote(shell: ShellState<'_>, quote: i64) -> Result<Quote, UserError> {
    Ok(shell.session.engine()?.requote(quote).await?)
}

/// The price of a quote's request for everyone who matches, people already in the library
/// included: "Get everyone again" beside a net-new price.
#[tauri::command]
pub async fn requote_everyone(shell: ShellState<'_>, quote: i64) -> Result<Quote, UserError> {
    Ok(shell.session.engine()?.requote_everyone(quote).await?)
}

/// Confirms a quote: sends its request, once. `again` confirms collecting data collected before;
/// `over_cap`, the second confirmation of a price above the limit per request, must be that price's
/// credits (the core refuses anything else with `OverCap`). A Live quote is spent only after the
/// person says yes in a native dialog naming its credits: the webview alone cannot spend.
#[tauri::command]
pub async fn submit(
    shell: ShellState<'_>,
    window: tauri::WebviewWindow,
    quote: i64,
    again: bool,
    over_cap: Option<u64>,
) -> Result<JobRow, UserError> {
    let engine = shell.session.engine()?;
    let consent = match engine.consent_question(quote)? {
        Some((consent, question)) => {
            if !crate::ask::person_says_yes(&window, "Spend credits?", &question).await {
                return Err(collect_core::consent::declined_spending());
            }
            Some(engine.consents().granted_by_person(consent))
        }
        None => None,
    };
    let confirmation = Confirmation {
        again,
        over_cap,
        consent,
    };
    Ok(engine.submit_confirmed(quote, confirmation).await?)
}
