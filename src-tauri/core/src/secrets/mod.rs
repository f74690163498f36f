//! The API key: kept in the OS keychain and nowhere else.
//!
//! [`ApiKey`] never prints itself (`Debug` is redacted). [`SecretStore`] is the seam: the keyring
//! implementation for the app and CLI, an in-memory one for unit tests.
//!
//! There is no plaintext fallback: when the keychain cannot be opened, every call fails with
//! [`SecretError::Unavailable`] and the user is told how to unlock it.

mod keychain;
mod memory;

#[cfg(test)]
mod tests;

use std::fmt;

pub use keychain::{KeyringStore, KEYRING_ACCOUNT, KEYRING_SERVICE};
pub use memory::MemoryStore;

use crate::error::{Coded, ErrorCode};

/// Where the API key is kept. Implementations never write the key anywhere else.
pub trait SecretStore: Send + Sync {
    /// The saved key, or `None` when none is saved.
    fn load(&self) -> Result<Option<ApiKey>, SecretError>;
    /// Saves `key`, replacing any saved one. An empty key is refused ([`SecretError::EmptyKey`]).
    fn save(&self, key: &ApiKey) -> Result<(), SecretError>;
    /// Removes the saved key; removing a key that is not there is not an error.
    fn delete(&self) -> Result<(), SecretError>;
}

/// Why the key could not be loaded, saved or deleted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    /// The OS keychain cannot be reached, is locked, or failed.
    #[error(
        "Your computer's password keychain could not be opened ({detail}). Unlock it or sign in \
         to your desktop session, then try again."
    )]
    Unavailable {
        /// What the keychain said, for support.
        detail: String,
    },
    /// The key to save is empty.
    #[error(
        "The API key is empty. Copy your key from the Coresignal dashboard, paste it, then press \
         Save."
    )]
    EmptyKey,
    /// A key is saved but cannot be read back (e.g. not text).
    #[error(
        "The API key saved in your keychain could not be read ({detail}). Enter your API key \
         again to replace it."
    )]
    Unreadable {
        /// What went wrong.
        detail: String,
    },
}

impl Coded for SecretError {
    fn code(&self) -> ErrorCode {
        match self {
            Self::Unavailable { .. } => ErrorCode::KeychainUnavailable,
            Self::EmptyKey => ErrorCode::InvalidInput,
            Self::Unreadable { .. } => ErrorCode::KeyMissing,
        }
    }
}

/// A Coresignal API key. `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps a key, trimming surrounding whitespace (keys are pasted).
    pub fn new(key: impl Into<String>) -> Self {
        Self(key.into().trim().to_owned())
    }

    /// Whether the key is empty (nothing but spaces was given).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The key itself: only for the `apikey` header and the keychain.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// A hint safe to show: the last four characters, e.g. `••••a1b2`.
    pub fn hint(&self) -> String {
        let tail: String = self
            .0
            .chars()
            .rev()
            .take(4)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        format!("••••{tail}")
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}
