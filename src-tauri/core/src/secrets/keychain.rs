//! The OS keychain through the `keyring` crate: Secret Service on Linux, Keychain on macOS,
//! Credential Manager on Windows.

use keyring::Entry;

use super::{ApiKey, SecretError, SecretStore};

/// The keychain service name every Bulk Collect key is saved under. Never change it: a key saved
/// by an older version would no longer be found.
pub const KEYRING_SERVICE: &str = "com.bulkcollect.desktop";

/// The keychain account (user name) of the Coresignal API key.
pub const KEYRING_ACCOUNT: &str = "coresignal-api-key";

/// The API key in the OS keychain, under [`KEYRING_SERVICE`] and an account name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyringStore {
    account: String,
}

impl KeyringStore {
    /// The app's own entry: [`KEYRING_SERVICE`] / [`KEYRING_ACCOUNT`].
    pub fn new() -> Self {
        Self::with_account(KEYRING_ACCOUNT)
    }

    /// Another account under [`KEYRING_SERVICE`], so that tests do not touch the real key.
    pub fn with_account(account: impl Into<String>) -> Self {
        Self {
            account: account.into(),
        }
    }

    /// The account name this store uses.
    pub fn account(&self) -> &str {
        &self.account
    }

    fn entry(&self) -> Result<Entry, SecretError> {
        Entry::new(KEYRING_SERVICE, &self.account).map_err(from_keyring)
    }
}

impl Default for KeyringStore {
    fn default() -> Self {
        Self::new()
    }
}

impl SecretStore for KeyringStore {
    fn load(&self) -> Result<Option<ApiKey>, SecretError> {
        match self.entry()?.get_password() {
            Ok(text) => Ok(Some(ApiKey::new(text)).filter(|key| !key.is_empty())),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(error) => Err(from_keyring(error)),
        }
    }

    fn save(&self, key: &ApiKey) -> Result<(), SecretError> {
        if key.is_empty() {
            return Err(SecretError::EmptyKey);
        }
        let entry = self.entry()?;
        match entry.set_password(key.expose()) {
            Err(keyring::Error::Ambiguous(copies)) => {
                delete_copies(copies)?;
                entry.set_password(key.expose()).map_err(from_keyring)
            }
            other => other.map_err(from_keyring),
        }
    }

    fn delete(&self) -> Result<(), SecretError> {
        match self.entry()?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(keyring::Error::Ambiguous(copies)) => delete_copies(copies),
            Err(error) => Err(from_keyring(error)),
        }
    }
}

/// Deletes every copy when the keychain holds several entries for the account.
fn delete_copies(copies: Vec<Box<keyring::credential::Credential>>) -> Result<(), SecretError> {
    for copy in copies {
        match Entry::new_with_credential(copy).delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => {}
            Err(error) => return Err(from_keyring(error)),
        }
    }
    Ok(())
}

/// Maps a keychain failure to a [`SecretError`]; never falls back to anything else.
pub(super) fn from_keyring(error: keyring::Error) -> SecretError {
    let secret_error = match &error {
        keyring::Error::BadEncoding(_) => SecretError::Unreadable {
            detail: "it is not text".to_owned(),
        },
        keyring::Error::NoStorageAccess(inner) => SecretError::Unavailable {
            detail: format!("access was refused or it is locked: {inner}"),
        },
        keyring::Error::PlatformFailure(inner) => SecretError::Unavailable {
            detail: inner.to_string(),
        },
        other => SecretError::Unavailable {
            detail: other.to_string(),
        },
    };
    tracing::warn!(error = %error, "keychain call failed");
    secret_error
}
