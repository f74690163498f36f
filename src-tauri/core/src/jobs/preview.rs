//! Preview: up to 20 sample people a search matches, before paying for the collection. It may cost
//! credits, so its cost is said first ([`Engine::preview_cost`]) and a paid preview runs only with
//! a person's yes to that cost, given outside the webview and used once ([`crate::consent`],
//! [`Engine::preview`]); the check is here, not in a button, so neither a script in the webview,
//! a double click nor a replay spends on a preview the person did not say yes to.

use serde::Serialize;

use crate::api::{ApiError, PreviewPerson, PREVIEW_PEOPLE};
use crate::consent::{Consent, ConsentToken};
use crate::money::credits_word;
use crate::query::EsQuery;
use crate::store::now_text;

use super::{Engine, EngineError, Mode};

/// What a preview costs, said before it runs.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize)]
#[ts(export)]
pub struct PreviewQuote {
    /// Credits it costs (0: free, nothing to confirm).
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
    /// What a preview costs now: the Credits per preview setting (0, free, in the app's Practice
    /// mode). Nothing here lets it run: a paid preview needs [`Engine::preview_consent_question`].
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

    /// What a person must say yes to, outside the webview, before a preview that costs credits
    /// runs ([`crate::consent`]), with the words to ask it in (naming the credits); `None` when
    /// the preview is free, which asks nothing.
    pub fn preview_consent_question(&self) -> Result<Option<(Consent, String)>, EngineError> {
        let credits = u64::from(self.options().preview_credits);
        if credits == 0 {
            return Ok(None);
        }
        let question = format!(
            "Spend {} to see {PREVIEW_PEOPLE} sample people of this search? Coresignal takes \
             these credits from your account, whatever the samples show.",
            credits_word(credits)
        );
        Ok(Some((Consent::Preview { credits }, question)))
    }

    /// Up to 20 people `query` matches. A preview that costs credits runs only with `consent`, a
    /// person's yes to exactly today's cost ([`Engine::preview_consent_question`]), unused and
    /// recent; it is used up here, whatever the answer. Otherwise
    /// [`EngineError::PreviewNotConfirmed`] and nothing is sent.
    pub async fn preview(
        &self,
        query: &EsQuery,
        consent: Option<&ConsentToken>,
    ) -> Result<Preview, EngineError> {
        let cost = self.preview_cost()?;
        if cost.credits > 0 {
            let needed = Consent::Preview {
                credits: cost.credits,
            };
            if self.consents.take(consent, &needed, "").is_err() {
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
