//! Consent: the proof that a person, not a script, said yes to a money decision (spending a Live
//! quote or a paid preview, loosening the money settings).
//!
//! The webview is not trusted with money: a script running in it could call any command it can
//! see. So the use cases that spend or loosen ([`crate::jobs::Engine::submit_confirmed`] in Live
//! mode, [`crate::jobs::Engine::preview`] when it costs credits,
//! [`crate::session::Session::save_settings`]) refuse unless they are handed a
//! [`ConsentToken`] minted for exactly that decision, once, within [`CONSENT_VALID_FOR`]. A token
//! is minted only by [`Consents::granted_by_person`], which a front end calls after a person
//! answered yes outside the webview: the app's native dialog (opened by Rust, answered with the
//! person's own click), the command line's terminal prompt or its `--yes`/`--yes-over-cap` flags
//! typed by the person who runs it. A token never crosses IPC: it is neither serialised nor
//! deserialised, and its `Debug` hides it.
//!
//! What this does not stop: code running in the Rust process itself, which is trusted anyway.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::error::{ErrorCode, UserError};

/// How long a consent can be used after the person gave it.
pub const CONSENT_VALID_FOR: Duration = Duration::from_secs(120);

/// The decision a person said yes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Consent {
    /// Spend Live quote `quote`, which costs `credits`.
    Quote {
        /// The quote.
        quote: i64,
        /// What it costs.
        credits: u64,
    },
    /// Spend `credits` on one preview of sample people.
    Preview {
        /// What it costs.
        credits: u64,
    },
    /// Save money settings that loosen a guard: exactly `change` (see
    /// [`crate::session::MoneyChange::key`]).
    MoneySettings {
        /// What changes, as a stable text.
        change: String,
    },
}

/// One person's yes to one [`Consent`]; use it once.
pub struct ConsentToken(String);

impl std::fmt::Debug for ConsentToken {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("ConsentToken(…)")
    }
}

/// Why a consent was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConsentError {
    /// None was given, or it was for another decision, used, or too old.
    #[error("{0} Nothing was changed: confirm it in the window that asks you.")]
    Missing(String),
}

/// The consents given and not yet used.
#[derive(Default)]
pub struct Consents {
    issued: Mutex<HashMap<String, (Consent, Instant)>>,
}

impl Consents {
    /// Mints a token for `consent`. Call only after a person answered yes outside the webview (a
    /// native dialog, a terminal prompt, a flag the person typed): that is the whole guard.
    pub fn granted_by_person(&self, consent: Consent) -> ConsentToken {
        let token = uuid::Uuid::new_v4().to_string();
        let mut issued = lock(&self.issued);
        issued.retain(|_, (_, at)| at.elapsed() < CONSENT_VALID_FOR);
        issued.insert(token.clone(), (consent, Instant::now()));
        ConsentToken(token)
    }

    /// Uses `token` for `consent`: Ok once, for exactly that decision, within
    /// [`CONSENT_VALID_FOR`]; else [`ConsentError::Missing`] whose text starts with `what`.
    pub fn take(
        &self,
        token: Option<&ConsentToken>,
        consent: &Consent,
        what: &str,
    ) -> Result<(), ConsentError> {
        let missing = || ConsentError::Missing(what.to_owned());
        let token = token.ok_or_else(missing)?;
        let mut issued = lock(&self.issued);
        match issued.get(&token.0) {
            Some((given, at)) if given == consent && at.elapsed() < CONSENT_VALID_FOR => {
                issued.remove(&token.0);
                Ok(())
            }
            _ => Err(missing()),
        }
    }
}

/// What a front end answers when the person said No to spending (a quote, a paid preview):
/// [`ErrorCode::Declined`], not `Cancelled` (nothing was started, so nothing was cancelled).
pub fn declined_spending() -> UserError {
    UserError::new(
        ErrorCode::Declined,
        "You said No: nothing was sent and nothing was spent.",
    )
}

/// What a front end answers when the person said No to loosening the money settings.
pub fn declined_settings() -> UserError {
    UserError::new(
        ErrorCode::Declined,
        "You said No: nothing was saved, and the money settings stay as they were.",
    )
}

// The map is plain in-memory data; a panic elsewhere cannot leave it inconsistent.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    const QUOTE: Consent = Consent::Quote {
        quote: 7,
        credits: 1_000,
    };

    #[test]
    fn a_consent_works_once_and_only_for_its_own_decision() {
        let consents = Consents::default();
        let token = consents.granted_by_person(QUOTE);
        let other = Consent::Quote {
            quote: 7,
            credits: 999,
        };
        assert!(consents.take(Some(&token), &other, "x").is_err());
        assert!(consents.take(Some(&token), &QUOTE, "x").is_ok());
        assert!(consents.take(Some(&token), &QUOTE, "x").is_err());
        assert!(consents.take(None, &QUOTE, "x").is_err());
    }

    #[test]
    fn a_no_is_declined_in_plain_words_not_cancelled() {
        let spend = declined_spending();
        assert_eq!(spend.code, ErrorCode::Declined);
        assert_eq!(
            spend.message,
            "You said No: nothing was sent and nothing was spent."
        );
        let settings = declined_settings();
        assert_eq!(settings.code, ErrorCode::Declined);
        assert!(settings
            .message
            .starts_with("You said No: nothing was saved"));
    }

    #[test]
    fn a_token_made_elsewhere_is_refused_and_never_shown() {
        let consents = Consents::default();
        let forged = ConsentToken(uuid::Uuid::new_v4().to_string());
        assert!(consents.take(Some(&forged), &QUOTE, "x").is_err());
        assert_eq!(format!("{forged:?}"), "ConsentToken(…)");
    }
}
