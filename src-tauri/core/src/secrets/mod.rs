//! Secrets: the API key, the proxy password and the team library's password, kept in the OS keychain and nowhere else.
//!
//! [`ApiKey`] and [`ProxyPassword`] never print themselves (`Debug` is redacted). [`SecretStore`] is
//! the seam: the keyring implementation for the app and CLI, an in-memory one for unit tests. Each
//! secret is its own keychain entry ([`SecretEntry`]).
//!
//! A keychain call can block for as long as the OS likes (a locked collection waiting for an unlock
//! prompt, a D-Bus service that never answers). Async code therefore goes through [`Keychain`], which
//! runs every call on tokio's blocking pool under a time limit ([`KEYCHAIN_TIMEOUT`]).
//!
//! There is no plaintext fallback: when the keychain cannot be opened, every call fails with
//! [`SecretError::Unavailable`] and the user is told how to unlock it.

mod keychain;
mod memory;
mod off_thread;
mod proxy;

#[cfg(test)]
mod tests;

use std::fmt;

pub use keychain::{
    KeyringStore, KEYRING_ACCOUNT, KEYRING_SERVICE, PROXY_PASSWORD_ACCOUNT, TEAM_PASSWORD_ACCOUNT,
};
pub use memory::MemoryStore;
pub use off_thread::{Keychain, KEYCHAIN_TIMEOUT};
pub use proxy::ProxyIdentity;

use crate::error::{Coded, ErrorCode};

/// Which secret: each is its own keychain entry under [`KEYRING_SERVICE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SecretEntry {
    /// The Coresignal API key ([`KEYRING_ACCOUNT`]).
    ApiKey,
    /// The password of the manual proxy, with the proxy it belongs to ([`PROXY_PASSWORD_ACCOUNT`]).
    ProxyPassword,
    /// The team library's database password ([`TEAM_PASSWORD_ACCOUNT`]).
    TeamPassword,
}

impl fmt::Display for SecretEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::ApiKey => "API key",
            Self::ProxyPassword => "proxy password",
            Self::TeamPassword => "team library password",
        })
    }
}

/// Where secrets are kept. Implementations never write a secret anywhere else.
///
/// The three entry-level calls are what an implementation provides; the typed calls on top
/// ([`SecretStore::load`], [`SecretStore::save_proxy_password`], …) are what callers use. Every call
/// may block: from async code use [`Keychain`].
pub trait SecretStore: Send + Sync {
    /// The text saved for `entry`, or `None` when nothing is saved.
    fn read(&self, entry: SecretEntry) -> Result<Option<String>, SecretError>;
    /// Saves `secret` for `entry`, replacing what was saved. Callers never pass an empty secret.
    fn write(&self, entry: SecretEntry, secret: &str) -> Result<(), SecretError>;
    /// Removes `entry`; removing an entry that is not there is not an error.
    fn erase(&self, entry: SecretEntry) -> Result<(), SecretError>;

    /// The saved API key, or `None` when none is saved.
    fn load(&self) -> Result<Option<ApiKey>, SecretError> {
        Ok(self
            .read(SecretEntry::ApiKey)?
            .map(ApiKey::new)
            .filter(|key| !key.is_empty()))
    }

    /// Saves `key`, replacing any saved one. An empty key is refused ([`SecretError::EmptyKey`]).
    fn save(&self, key: &ApiKey) -> Result<(), SecretError> {
        if key.is_empty() {
            return Err(SecretError::EmptyKey);
        }
        self.write(SecretEntry::ApiKey, key.expose())
    }

    /// Removes the saved API key; removing a key that is not there is not an error.
    fn delete(&self) -> Result<(), SecretError> {
        self.erase(SecretEntry::ApiKey)
    }

    /// The proxy password saved for `proxy`, or `None` when none is saved for it (a password
    /// saved for another proxy is never handed out).
    fn load_proxy_password(
        &self,
        proxy: &ProxyIdentity,
    ) -> Result<Option<ProxyPassword>, SecretError> {
        Ok(proxy::load(self)?
            .filter(|(saved_for, _)| saved_for == proxy)
            .map(|(_, password)| password))
    }

    /// Which proxy the saved password belongs to, or `None` when none is saved.
    fn saved_proxy(&self) -> Result<Option<ProxyIdentity>, SecretError> {
        Ok(proxy::load(self)?.map(|(proxy, _)| proxy))
    }

    /// Saves the password of `proxy`, replacing any saved one (of any proxy). An empty one is
    /// refused ([`SecretError::EmptyProxyPassword`]).
    fn save_proxy_password(
        &self,
        proxy: &ProxyIdentity,
        password: &ProxyPassword,
    ) -> Result<(), SecretError> {
        if password.is_empty() {
            return Err(SecretError::EmptyProxyPassword);
        }
        proxy::save(self, proxy, password)
    }

    /// Removes the saved proxy password; removing one that is not there is not an error.
    fn delete_proxy_password(&self) -> Result<(), SecretError> {
        self.erase(SecretEntry::ProxyPassword)
    }

    /// The team library's saved password, or `None` when none is saved.
    fn load_team_password(&self) -> Result<Option<String>, SecretError> {
        Ok(self
            .read(SecretEntry::TeamPassword)?
            .filter(|password| !password.is_empty()))
    }

    /// Saves the team library's password, replacing any saved one. An empty one is refused
    /// ([`SecretError::EmptyTeamPassword`]).
    fn save_team_password(&self, password: &str) -> Result<(), SecretError> {
        if password.is_empty() {
            return Err(SecretError::EmptyTeamPassword);
        }
        self.write(SecretEntry::TeamPassword, password)
    }

    /// Removes the team library's password; removing one that is not there is not an error.
    fn delete_team_password(&self) -> Result<(), SecretError> {
        self.erase(SecretEntry::TeamPassword)
    }
}

/// Why a secret could not be loaded, saved or deleted.
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
    /// The OS keychain did not answer within [`KEYCHAIN_TIMEOUT`].
    #[error(
        "Your computer's password keychain did not answer within {seconds} seconds. It may be \
         waiting for you to unlock it in another window: unlock it (or sign in to your desktop \
         session again), then try again."
    )]
    NoAnswer {
        /// How long the app waited.
        seconds: u64,
    },
    /// The key to save is empty.
    #[error(
        "The API key is empty. Copy your key from the Coresignal dashboard, paste it, then press \
         Save."
    )]
    EmptyKey,
    /// The proxy password to save is empty.
    #[error(
        "The proxy password is empty. Type the password, or press Remove password to use the \
         proxy without one."
    )]
    EmptyProxyPassword,
    /// The team library password to save is empty.
    #[error(
        "The team library password is empty. Type the password your IT team gave you, or press \
         Remove to stop using the team library."
    )]
    EmptyTeamPassword,
    /// A secret is saved but cannot be read back (e.g. not text).
    #[error(
        "The {entry} saved in your keychain could not be read ({detail}). Enter the {entry} \
         again to replace it."
    )]
    Unreadable {
        /// Which secret.
        entry: SecretEntry,
        /// What went wrong.
        detail: String,
    },
}

impl Coded for SecretError {
    fn code(&self) -> ErrorCode {
        match self {
            Self::Unavailable { .. } | Self::NoAnswer { .. } => ErrorCode::KeychainUnavailable,
            Self::EmptyKey | Self::EmptyProxyPassword | Self::EmptyTeamPassword => {
                ErrorCode::InvalidInput
            }
            Self::Unreadable {
                entry: SecretEntry::ApiKey,
                ..
            } => ErrorCode::KeyMissing,
            Self::Unreadable {
                entry: SecretEntry::ProxyPassword | SecretEntry::TeamPassword,
                ..
            } => ErrorCode::InvalidInput,
        }
    }
}

/// The last four characters of `text` behind dots, e.g. `••••a1b2`.
fn hint_of(text: &str) -> String {
    let tail: String = text
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("••••{tail}")
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
        hint_of(&self.0)
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

/// The manual proxy's password. `Debug` never shows it; it is never serialised, only read from the
/// webview once (Settings) and then kept in the keychain.
#[derive(Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(transparent)]
pub struct ProxyPassword(String);

impl ProxyPassword {
    /// Wraps a password as typed: spaces are kept (they may be part of it).
    pub fn new(password: impl Into<String>) -> Self {
        Self(password.into())
    }

    /// Whether nothing was typed.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The password itself: only for the proxy's credentials and the keychain.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ProxyPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ProxyPassword(<redacted>)")
    }
}
