//! Preview: up to 20 sample people a search matches, before paying for the collection. It may cost
//! credits, so its cost is said first ([`Engine::preview_cost`], with a one-time confirmation) and
//! a paid preview runs only with that confirmation, once ([`Engine::preview`]); the check is here,
//! not in a button, so a double click or a replay never pays twice.

use std::time::Duration;

use tokio::time::Instant;

use serde::Serialize;

use crate::api::{ApiError, PreviewPerson, PREVIEW_PEOPLE};
use crate::money::credits_word;
use crate::query::EsQuery;
use crate::store::now_text;

use super::{Engine, EngineError, Mode};

/// What a preview costs, said before it runs.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize)]
#[ts(export)]
pub struct PreviewQuote {
    /// Credits it costs (0: free, no confirmation needed).
    #[ts(type = "number")]
    pub credits: u64,
    /// True in Practice mode, where previews are free.
    pub practice: bool,
    /// In plain words: "See 20 sample people: costs 10 credits." or "…: free in Practice."
    pub question: String,
    /// The latest balance the service reported, if any.
    #[ts(type = "number | null")]
    pub balance: Option<i64>,
    /// For a paid preview: what to pass to [`Engine::preview`] to run it, once, within
    /// [`PREVIEW_CONFIRMATION_TTL`]. `None` when the preview is free.
    pub confirmation: Option<String>,
}

/// How long a preview's confirmation can be used after its cost was said.
pub const PREVIEW_CONFIRMATION_TTL: Duration = Duration::from_secs(5 * 60);

/// Sample people, and what they cost.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize)]
#[ts(export)]
pub struct Preview {
    /// Up to 20 people.
    pub people: Vec<PreviewPerson>,
    /// Credits it was priced at.
    #[ts(type = "number")]
    pub credits: u64,
    /// The balance the service reported with it, if any.
    #[ts(type = "number | null")]
    pub balance: Option<i64>,
}

impl Engine {
    /// What a preview costs now (the Credits per preview setting; free in the app's Practice mode),
    /// with, when it costs credits, a confirmation that runs it once.
    pub fn preview_cost(&self) -> Result<PreviewQuote, EngineError> {
        let mut quote = self.preview_price()?;
        if quote.credits > 0 {
            let token = uuid::Uuid::new_v4().to_string();
            let mut issued = super::engine::lock(&self.preview_confirmations);
            issued.retain(|_, (_, at)| at.elapsed() < PREVIEW_CONFIRMATION_TTL);
            issued.insert(token.clone(), (quote.credits, Instant::now()));
            quote.confirmation = Some(token);
        }
        Ok(quote)
    }

    /// What a preview costs now, without a confirmation.
    fn preview_price(&self) -> Result<PreviewQuote, EngineError> {
        let credits = u64::from(self.options().preview_credits);
        let practice = self.mode() == Mode::Practice;
        let people = format!("See {PREVIEW_PEOPLE} sample people");
        let question = match (credits, practice) {
            (0, true) => format!("{people}: free in Practice."),
            (0, false) => format!("{people}: free on your plan."),
            (credits, _) => format!("{people}: costs {}.", credits_word(credits)),
        };
        Ok(PreviewQuote {
            credits,
            practice,
            question,
            balance: self.last_balance()?,
            confirmation: None,
        })
    }

    /// Up to 20 people `query` matches. A preview that costs credits runs only with a
    /// `confirmation` from [`Engine::preview_cost`] that is unused, at most
    /// [`PREVIEW_CONFIRMATION_TTL`] old, and given for today's cost; it is used up here, whatever
    /// the answer. Otherwise [`EngineError::PreviewNotConfirmed`] and nothing is sent.
    pub async fn preview(
        &self,
        query: &EsQuery,
        confirmation: Option<&str>,
    ) -> Result<Preview, EngineError> {
        let cost = self.preview_price()?;
        if cost.credits > 0 {
            let confirmed = confirmation
                .and_then(|token| super::engine::lock(&self.preview_confirmations).remove(token));
            let valid = confirmed.is_some_and(|(credits, at)| {
                credits == cost.credits && at.elapsed() < PREVIEW_CONFIRMATION_TTL
            });
            if !valid {
                return Err(EngineError::PreviewNotConfirmed {
                    question: cost.question,
                });
            }
        }
        let client = self.client()?;
        let before = self.last_balance()?;
        let answer = client.preview(&query.body).await;
        self.record_balance(&client);
        if let Err(ApiError::KeyRejected { .. }) = &answer {
            self.key_rejected.send_replace(true);
        }
        let people = answer?;
        let after = *client.balance().borrow();
        let shown = u32::try_from(people.len()).unwrap_or(u32::MAX);
        if let Err(error) =
            self.store
                .insert_preview(self.mode(), &now_text(), cost.credits, before, after, shown)
        {
            // The people were paid for: show them even if the ledger line cannot be written.
            tracing::warn!("could not record the preview: {error}");
        }
        Ok(Preview {
            people,
            credits: cost.credits,
            balance: after.or(before),
        })
    }
}
