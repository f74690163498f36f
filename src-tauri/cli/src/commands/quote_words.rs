//! A price as the command line says it: in words, as JSON, and whether there is anything to buy.

use collect_core::jobs::{group, EngineError, NewJob, Quote};
use collect_core::{ErrorCode, UserError};
use serde_json::json;

/// The price of `job`: net-new with `--new-only`, else for everyone who matches (the command
/// line's behaviour before the people library, which scripts rely on).
pub(super) async fn quote_for(
    engine: &collect_core::jobs::Engine,
    job: &NewJob,
    new_only: bool,
) -> Result<Quote, EngineError> {
    if new_only {
        engine.quote(job).await
    } else {
        engine.quote_everyone(job).await
    }
}

/// A net-new price with nothing to buy is said as it is, before any question (the core refuses
/// to spend it anyway).
pub(super) fn refuse_nothing_to_buy(quote: &Quote) -> Result<(), UserError> {
    if quote.split.is_some() && quote.records == 0 {
        return Err(UserError::new(
            ErrorCode::InvalidInput,
            quote.question.clone(),
        ));
    }
    Ok(())
}

pub(super) fn quote_text(quote: &Quote) -> String {
    let split = quote
        .split
        .as_ref()
        .map(|split| {
            format!(
                " · {} new, {} changed, {} already yours (skipped)",
                group(split.new),
                group(split.changed),
                group(split.held)
            )
        })
        .unwrap_or_default();
    let team = quote
        .team
        .as_ref()
        .map(|team| format!("\n{}", team.summary))
        .unwrap_or_default();
    format!("{}{split}{team}", price_text(quote))
}

fn price_text(quote: &Quote) -> String {
    if quote.practice {
        // Practice spends nothing: no balance, and the price is what a real account would pay.
        return format!(
            "{} match · {} profiles · {} credits (Practice: nothing is spent)",
            group(quote.matches),
            group(quote.records),
            group(quote.credits)
        );
    }
    let balance = quote
        .balance
        .map(|balance| format!(" · balance {}", group(balance.max(0) as u64)))
        .unwrap_or_default();
    format!(
        "{} match · {} profiles · {} credits{balance}",
        group(quote.matches),
        group(quote.records),
        group(quote.credits)
    )
}

/// The quote as JSON; a net-new one also carries `new`, `changed` and `held` at the top.
pub(super) fn quote_json(quote: &Quote) -> serde_json::Value {
    let mut value = serde_json::to_value(quote).unwrap_or_else(|_| json!({"id": quote.id}));
    if let Some(split) = &quote.split {
        value["new"] = json!(split.new);
        value["changed"] = json!(split.changed);
        value["held"] = json!(split.held);
    }
    value
}
