//! Money: what a profile costs (the plan setting, or the figure measured from the balance before and
//! after a delivery), the price of one credit in the user's currency, and the optional cap on what
//! one request may spend without a second confirmation.
//!
//! Only the types and their checks live here; the engine's use cases (preview, learning, the ledger,
//! the cap guard) live in `jobs/`.

use serde::{Deserialize, Serialize};

mod measured;

pub use measured::{MeasuredCredits, Measurement, RECENT_MEASUREMENTS};

/// What a preview costs unless the user says otherwise: public notes on the service say 10 credits
/// for a page of 20 people.
pub const DEFAULT_PREVIEW_CREDITS: u32 = 10;

/// The most credits the preview setting allows.
pub const MAX_PREVIEW_CREDITS: u32 = 1_000;

/// Credits per profile a Live price assumes while the person has not said which plan they are on
/// and no delivery has measured it. From the contract (`coresignal-bulk-collect.md`, Part 1
/// "Credits" and Part 2 section 6): the product page said 1, newer pricing (2025/26, live-tested
/// notes and the pricing capture) says 10 for Clean Employee. A price is a promise, so the
/// assumption takes the higher, current figure: a wrong guess can only overstate the cost.
pub const ASSUMED_CREDITS_PER_PROFILE: u32 = 10;

/// The limit per request a new installation starts with: above it, a second confirmation names
/// the figure. A person can change it or turn it off in Settings.
pub const DEFAULT_CREDIT_CAP: u64 = 1_000;

/// Where a person tops up credits. The contract names no billing page of the dashboard; its
/// reference table names Coresignal's guide on credits and billing, which says how to top up.
pub const TOP_UP_URL: &str = "https://docs.coresignal.com/guides/understanding-credits-and-billing";

/// What one credit costs in money, as the user wrote it on their plan (shown beside credits).
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct CreditPrice {
    /// Money per credit, e.g. 0.02.
    pub amount: f64,
    /// ISO 4217 code, e.g. "EUR".
    pub currency: String,
}

impl CreditPrice {
    /// Checks the amount (above 0) and the code (three letters); the message names the fix.
    pub fn validate(&self) -> Result<(), String> {
        if !self.amount.is_finite() || self.amount <= 0.0 || self.amount > 1_000_000.0 {
            return Err(format!(
                "The price of one credit must be a positive amount, like 0.02; {} was given.",
                self.amount
            ));
        }
        let code = self.currency.trim();
        if code.len() != 3 || !code.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(format!(
                "The currency must be a three-letter code, like EUR or USD; {:?} was given.",
                self.currency
            ));
        }
        Ok(())
    }

    /// The stored text: `0.02 EUR`.
    pub fn to_text(&self) -> String {
        format!("{} {}", self.amount, self.currency.trim().to_uppercase())
    }

    /// Parses [`CreditPrice::to_text`]; `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        let (amount, currency) = text.trim().split_once(' ')?;
        let price = Self {
            amount: amount.parse().ok()?,
            currency: currency.trim().to_uppercase(),
        };
        price.validate().ok().map(|()| price)
    }

    /// `credits` in money, for messages: `≈ 240.00 EUR`.
    pub fn money(&self, credits: u64) -> String {
        format!(
            "≈ {:.2} {}",
            credits as f64 * self.amount,
            self.currency.trim().to_uppercase()
        )
    }
}

/// Where the credits-per-profile figure of a price comes from.
#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum CreditsBasis {
    /// The Credits per profile setting (the user's plan).
    Setting,
    /// Measured from the balance before and after an earlier delivered job.
    Measured,
    /// Neither: the person has not said which plan they are on and nothing was measured yet, so
    /// Live prices use [`ASSUMED_CREDITS_PER_PROFILE`] and say so.
    Assumed,
}

impl CreditsBasis {
    /// The stored text.
    pub fn as_str(self) -> &'static str {
        match self {
            CreditsBasis::Setting => "setting",
            CreditsBasis::Measured => "measured",
            CreditsBasis::Assumed => "assumed",
        }
    }

    /// Parses the stored text (anything unknown, or nothing, is the setting).
    pub fn parse(text: Option<&str>) -> Self {
        match text {
            Some("measured") => CreditsBasis::Measured,
            Some("assumed") => CreditsBasis::Assumed,
            _ => CreditsBasis::Setting,
        }
    }
}

/// What a profile costs: the plan setting, the latest measurement, and which one prices use.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize)]
#[ts(export)]
pub struct CreditsPerProfile {
    /// The Credits per profile setting.
    pub setting: u32,
    /// The latest figure measured on a delivered job, if any.
    pub measured: Option<MeasuredCredits>,
    /// The figure prices use: the measured one when it is at least the setting, else the setting
    /// (a measurement never lowers a price: a top-up or spending elsewhere between the two balance
    /// readings could make it look cheaper than it is).
    pub used: u32,
    /// Which one that is.
    pub basis: CreditsBasis,
    /// In plain words: "10 credits per profile, measured on Collection 12" or "… from your plan setting".
    pub explained: String,
}

impl CreditsPerProfile {
    /// The measured figure when present and not below the setting, else the setting.
    pub fn new(setting: u32, measured: Option<MeasuredCredits>) -> Self {
        let (used, basis, explained) = match &measured {
            Some(m) if m.value < setting => (
                setting,
                CreditsBasis::Setting,
                format!(
                    "{} per profile, from your plan setting (a delivery measured {}; the higher \
                     figure is used until you change the setting).",
                    credits_word(u64::from(setting)),
                    credits_word(u64::from(m.value))
                ),
            ),
            Some(m) => (
                m.value,
                CreditsBasis::Measured,
                format!(
                    "{} per profile, {}.",
                    credits_word(u64::from(m.value)),
                    m.source(true)
                ),
            ),
            None => (
                setting,
                CreditsBasis::Setting,
                format!(
                    "{} per profile, from your plan setting.",
                    credits_word(u64::from(setting))
                ),
            ),
        };
        Self {
            setting,
            measured,
            used,
            basis,
            explained,
        }
    }
}

impl CreditsPerProfile {
    /// The figure a price uses and where it comes from, as a quote says it: "10 credits per
    /// profile, measured: median of your last 5 collections." or "… from your plan setting."
    pub fn quote_note(&self) -> String {
        let figure = credits_word(u64::from(self.used));
        match (&self.measured, self.basis) {
            (Some(measured), CreditsBasis::Measured) => {
                format!("{figure} per profile, {}.", measured.source(false))
            }
            (_, CreditsBasis::Assumed) => self.explained.clone(),
            _ => format!("{figure} per profile, from your plan setting."),
        }
    }

    /// The figure a Live price uses before the plan is known or measured:
    /// [`ASSUMED_CREDITS_PER_PROFILE`], saying so.
    pub fn assumed(setting: u32) -> Self {
        Self {
            setting,
            measured: None,
            used: ASSUMED_CREDITS_PER_PROFILE,
            basis: CreditsBasis::Assumed,
            explained: assumed_note(),
        }
    }
}

impl CreditsPerProfile {
    /// The figure while the person has not said which plan they are on (Live): the higher of
    /// [`ASSUMED_CREDITS_PER_PROFILE`] and the measured figure, never below the assumed one (a
    /// measurement can look cheaper than the plan is: a top-up between the two readings).
    pub fn while_assumed(setting: u32, measured: Option<MeasuredCredits>) -> Self {
        match measured {
            Some(m) if m.value >= ASSUMED_CREDITS_PER_PROFILE => Self::new(setting, Some(m)),
            Some(m) => Self {
                setting,
                explained: format!(
                    "{} A delivery measured {}; the higher, assumed figure is used until you \
                     choose your plan.",
                    assumed_note(),
                    credits_word(u64::from(m.value))
                ),
                measured: Some(m),
                ..Self::assumed(setting)
            },
            None => Self::assumed(setting),
        }
    }
}

/// "This uses an assumed 10 credits a profile; …": said wherever an assumed price is shown.
pub fn assumed_note() -> String {
    format!(
        "This uses an assumed {} a profile; choose your Coresignal plan in Settings to be sure \
         (after your first collection the app measures it from your balance).",
        credits_word(u64::from(ASSUMED_CREDITS_PER_PROFILE))
    )
}

/// A price the known balance cannot pay.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize)]
#[ts(export)]
pub struct Shortfall {
    /// Credits the request needs.
    #[ts(type = "number")]
    pub needs: u64,
    /// Credits the account has (the latest balance the service reported).
    #[ts(type = "number")]
    pub has: i64,
    /// "This needs 2,500 credits; you have 1,800."
    pub message: String,
    /// Where to top up ([`TOP_UP_URL`]).
    pub top_up_url: String,
}

/// `Some` when `balance` is known and below `credits`.
pub fn shortfall(credits: u64, balance: Option<i64>) -> Option<Shortfall> {
    let has = balance?;
    if u64::try_from(has).is_ok_and(|has| has >= credits) {
        return None;
    }
    Some(Shortfall {
        needs: credits,
        has,
        message: format!(
            "This needs {}; you have {}.",
            credits_word(credits),
            crate::jobs::group(u64::try_from(has).unwrap_or(0))
        ),
        top_up_url: TOP_UP_URL.to_owned(),
    })
}

/// "1 credit", "10 credits", "12,000 credits".
pub fn credits_word(credits: u64) -> String {
    if credits == 1 {
        "1 credit".to_owned()
    } else {
        format!("{} credits", crate::jobs::group(credits))
    }
}

/// Validates the cap on credits per request: off, or at least 1.
pub fn validate_cap(cap: Option<u64>) -> Result<(), String> {
    match cap {
        Some(0) => Err(
            "The limit per request must be at least 1 credit; leave it empty to have no limit."
                .into(),
        ),
        _ => Ok(()),
    }
}

/// Checks the money settings: credits per preview (0–1,000), the cap, the price of a credit.
pub fn validate_money(
    preview_credits: u32,
    cap: Option<u64>,
    price: Option<&CreditPrice>,
) -> Result<(), String> {
    if preview_credits > MAX_PREVIEW_CREDITS {
        return Err(format!(
            "Credits per preview must be between 0 and 1,000; {preview_credits} was given."
        ));
    }
    validate_cap(cap)?;
    match price {
        Some(price) => price.validate(),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_price_reads_back_as_written_and_bad_ones_are_named() {
        let price = CreditPrice {
            amount: 0.02,
            currency: "eur".into(),
        };
        price.validate().unwrap();
        assert_eq!(price.to_text(), "0.02 EUR");
        assert_eq!(CreditPrice::parse("0.02 EUR").unwrap().amount, 0.02);
        assert_eq!(price.money(12_000), "≈ 240.00 EUR");
        assert!(CreditPrice::parse("nonsense").is_none());
        let zero = CreditPrice {
            amount: 0.0,
            currency: "EUR".into(),
        };
        assert!(zero.validate().unwrap_err().contains("positive"));
        let euro = CreditPrice {
            amount: 1.0,
            currency: "€".into(),
        };
        assert!(euro.validate().unwrap_err().contains("three-letter"));
    }

    #[test]
    fn the_measured_figure_wins_and_says_so() {
        let plan = CreditsPerProfile::new(1, None);
        assert_eq!((plan.used, plan.basis), (1, CreditsBasis::Setting));
        assert_eq!(
            plan.explained,
            "1 credit per profile, from your plan setting."
        );
        let measured = CreditsPerProfile::new(
            1,
            Some(MeasuredCredits {
                value: 10,
                job_id: 12,
                measured_at: "2026-11-29T10:00:00.000000Z".into(),
                collections: 1,
                left_out: 0,
            }),
        );
        assert_eq!(
            (measured.used, measured.basis),
            (10, CreditsBasis::Measured)
        );
        assert_eq!(
            measured.explained,
            "10 credits per profile, measured on Collection 12 (2026-11-29)."
        );
    }

    #[test]
    fn a_measurement_below_the_plan_never_lowers_a_price() {
        // E.g. a top-up of 500 between the readings of a 100-profile job on a 10-credit plan.
        let cheaper = CreditsPerProfile::new(
            10,
            Some(MeasuredCredits {
                value: 5,
                job_id: 3,
                measured_at: "2026-11-29T10:00:00Z".into(),
                collections: 1,
                left_out: 0,
            }),
        );
        assert_eq!((cheaper.used, cheaper.basis), (10, CreditsBasis::Setting));
        assert!(cheaper.explained.contains("a delivery measured 5 credits"));
    }

    #[test]
    fn an_assumed_price_says_so_and_uses_the_current_figure() {
        let assumed = CreditsPerProfile::assumed(1);
        assert_eq!((assumed.used, assumed.basis), (10, CreditsBasis::Assumed));
        assert!(assumed
            .explained
            .starts_with("This uses an assumed 10 credits a profile;"));
        assert_eq!(
            CreditsBasis::parse(Some(CreditsBasis::Assumed.as_str())),
            CreditsBasis::Assumed
        );
    }

    #[test]
    fn a_known_balance_below_the_price_is_a_shortfall_with_figures() {
        let short = shortfall(2_500, Some(1_800)).unwrap();
        assert_eq!(short.message, "This needs 2,500 credits; you have 1,800.");
        assert_eq!(short.top_up_url, TOP_UP_URL);
        assert!(shortfall(2_500, Some(2_500)).is_none());
        assert!(shortfall(2_500, None).is_none());
        assert_eq!(shortfall(10, Some(-5)).unwrap().has, -5);
    }

    #[test]
    fn a_cap_is_off_or_at_least_one() {
        assert!(validate_cap(None).is_ok());
        assert!(validate_cap(Some(1)).is_ok());
        assert!(validate_cap(Some(0)).is_err());
    }
}
