//! `refresh`: a finished job's search or ID list again, net-new: only who is new or changed since
//! is bought, priced and confirmed first like any submission.

use collect_core::UserError;
use serde_json::json;

use super::quote_words::{quote_json, refuse_nothing_to_buy};
use super::submit::confirm_and_send;
use crate::context::Context;
use crate::output::{Output, Report};

/// Prices the update of job `id`, asks (unless `--yes`), and sends it; `again` confirms buying
/// people an earlier job may still bring.
pub(super) async fn refresh(
    context: &Context,
    id: i64,
    answers: (bool, bool, Option<u64>),
    again: bool,
    output: &Output,
) -> Result<Report, UserError> {
    let engine = context.engine()?;
    let quote = engine.quote_update(id).await?;
    refuse_nothing_to_buy(&quote)?;
    if quote.is_again() && !again {
        let mut error: UserError = collect_core::jobs::EngineError::CollectedBefore {
            job: quote.earlier[0].id,
            name: collect_core::jobs::collection_named(quote.earlier[0].id, &quote.earlier[0].name),
        }
        .into();
        error.message = format!(
            "{} Nothing was sent: add --again to buy them anyway.",
            quote.question
        );
        return Err(error);
    }
    let row = confirm_and_send(&engine, &quote, again, answers, output).await?;
    Ok(Report {
        json: json!({
            "job": row.id,
            "updates": id,
            "request_id": row.request_id,
            "state": row.state,
            "quote": quote_json(&quote),
        }),
        text: format!(
            "Collection {id} updated as collection {}: {} Next: bulk-collect-cli wait {} && bulk-collect-cli download {}",
            row.id,
            quote.split.as_ref().map_or_else(String::new, |split| split.summary.clone()),
            row.id,
            row.id
        ),
    })
}
