//! The money settings' rules: the limit per request a new installation starts with, whether the
//! person's plan is known, and which changes loosen a guard (and so need a person's yes given
//! outside the webview, [`crate::consent`]).

use crate::money::{credits_word, ASSUMED_CREDITS_PER_PROFILE, DEFAULT_CREDIT_CAP};
use crate::store::{Setting, Store, StoreResult};

use super::{Settings, DEFAULT_CREDITS_PER_RECORD};

/// How "no limit" is stored (an absent value means "never saved": the default limit).
pub(super) const NO_CAP: &str = "off";

/// The stored limit per request. Never saved, including by an older version that wrote the
/// credits per profile but no limit (it had none by default, so that says nothing of what the
/// person chose): [`DEFAULT_CREDIT_CAP`]. No limit only when the person chose "off"
/// ([`NO_CAP`]): money guards are not loosened by an upgrade.
pub(super) fn load_cap(store: &Store) -> StoreResult<Option<u64>> {
    Ok(match store.setting(Setting::CreditCap)?.as_deref() {
        Some(NO_CAP) => None,
        Some(text) => Some(
            text.parse()
                .ok()
                .filter(|cap| *cap > 0)
                .unwrap_or(DEFAULT_CREDIT_CAP),
        ),
        None => Some(DEFAULT_CREDIT_CAP),
    })
}

/// Whether the person said which plan they are on. An older version stored only the figure: one
/// other than the default was the person's answer.
pub(super) fn load_plan_known(store: &Store) -> StoreResult<bool> {
    if store.setting(Setting::CreditsPlanKnown)?.as_deref() == Some("1") {
        return Ok(true);
    }
    Ok(store
        .setting(Setting::CreditsPerRecord)?
        .and_then(|text| text.parse::<u32>().ok())
        .is_some_and(|figure| figure != DEFAULT_CREDITS_PER_RECORD))
}

/// A change of the money settings that loosens a guard: a higher limit per request or none, a
/// lower price per profile for Live prices once the plan is known, or a lower price per preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoneyChange {
    /// What changes, as a stable text: the consent is given for exactly this.
    pub key: String,
    /// The question a person answers, naming the figures.
    pub question: String,
}

impl Settings {
    /// `self` as it will be saved over `before`: the plan counts as known once the person answered
    /// it or changed the credits per profile.
    pub fn with_plan_from(&self, before: &Settings) -> Settings {
        let mut after = self.clone();
        after.plan_known |=
            before.plan_known || self.credits_per_record != before.credits_per_record;
        after
    }

    /// What Live prices use per profile with these settings (before any measurement).
    pub fn live_credits_per_profile(&self) -> u32 {
        if self.plan_known {
            self.credits_per_record
        } else {
            ASSUMED_CREDITS_PER_PROFILE
        }
    }

    /// The loosening in going from `before` to `self` (as [`Settings::with_plan_from`] makes it),
    /// if any. Tightening (a lower limit, a higher price per profile or per preview) needs no
    /// consent, nor does telling a plan that charges at least the assumed figure.
    pub fn money_loosened_from(&self, before: &Settings) -> Option<MoneyChange> {
        let after = self.with_plan_from(before);
        let mut keys = Vec::new();
        let mut questions = Vec::new();
        let cap_loosened = match (before.credit_cap, after.credit_cap) {
            (Some(_), None) => true,
            (Some(old), Some(new)) => new > old,
            (None, _) => false,
        };
        if cap_loosened {
            let old = before.credit_cap.map(credits_word).unwrap_or_default();
            keys.push(format!("cap={:?}", after.credit_cap));
            questions.push(match after.credit_cap {
                None => format!("Turn off the limit per request (now {old})?"),
                Some(new) => format!(
                    "Raise the limit per request from {old} to {}?",
                    credits_word(new)
                ),
            });
        }
        let (old, new) = (
            before.live_credits_per_profile(),
            after.live_credits_per_profile(),
        );
        // Telling the plan for the first time replaces the assumed figure with the person's own
        // answer. A figure below the assumed one still lowers every price, so it is asked in the
        // plan's own words (a script in the webview must not be able to answer it); lowering a
        // known plan is asked as a lower price.
        let first_told = !before.plan_known && after.plan_known;
        if new < old && first_told {
            keys.push(format!("plan={new}"));
            questions.push(format!(
                "Does your Coresignal plan charge {} per profile? Prices will use it instead of \
                 the assumed {}.",
                credits_word(u64::from(new)),
                credits_word(u64::from(old))
            ));
        } else if new < old {
            keys.push(format!("per_profile={new}"));
            questions.push(format!(
                "Count {} per profile instead of {}? Prices will be lower than on current plans; \
                 choose it only if your Coresignal plan says so.",
                credits_word(u64::from(new)),
                credits_word(u64::from(old))
            ));
        }
        // A lower price per preview is a loosening: at 0 a preview runs without asking at all. A
        // higher one is not: each paid preview still asks, naming its credits.
        if after.preview_credits < before.preview_credits {
            keys.push(format!("preview={}", after.preview_credits));
            questions.push(match after.preview_credits {
                0 => format!(
                    "Count previews of sample people as free (now {} each)? They will then run \
                     without asking; choose it only if your Coresignal plan says so.",
                    credits_word(u64::from(before.preview_credits))
                ),
                new => format!(
                    "Count {} per preview of sample people instead of {}? Choose it only if your \
                     Coresignal plan says so.",
                    credits_word(u64::from(new)),
                    credits_word(u64::from(before.preview_credits))
                ),
            });
        }
        (!keys.is_empty()).then(|| MoneyChange {
            key: keys.join(";"),
            question: questions.join(" "),
        })
    }
}
