//! Preview: up to 20 sample people a search matches, before paying for the collection. It may cost
//! credits, so its cost is said first ([`Engine::preview_cost`]) and a paid preview runs only with
//! that exact cost confirmed ([`Engine::preview`]); the check is here, not in a button.

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
}

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
    /// What a preview costs now (the Credits per preview setting; free in the app's Practice mode).
    pub fn preview_cost(&self) -> Result<PreviewQuote, EngineError> {
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
        })
    }

    /// Up to 20 people `query` matches. A preview that costs credits runs only when
    /// `confirmed_credits` is exactly its cost (the figure the person was shown); otherwise
    /// [`EngineError::PreviewNotConfirmed`] and nothing is sent.
    pub async fn preview(
        &self,
        query: &EsQuery,
        confirmed_credits: Option<u64>,
    ) -> Result<Preview, EngineError> {
        let cost = self.preview_cost()?;
        if cost.credits > 0 && confirmed_credits != Some(cost.credits) {
            return Err(EngineError::PreviewNotConfirmed {
                question: cost.question,
            });
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
