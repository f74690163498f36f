//! The OS keychain through the `keyring` crate: Secret Service on Linux, Keychain on macOS,
//! Credential Manager on Windows. Every call may block: async code goes through
//! [`super::Keychain`].

use keyring::Entry;

use super::{SecretEntry, SecretError, SecretStore};

/// The keychain service name every Bulk Collect secret is saved under. Never change it: a secret
/// saved by an older version would no longer be found.
pub const KEYRING_SERVICE: &str = "com.bulkcollect.desktop";

/// The keychain account (user name) of the Coresignal API key.
pub const KEYRING_ACCOUNT: &str = "coresignal-api-key";

/// The keychain account of the manual proxy's password.
pub const PROXY_PASSWORD_ACCOUNT: &str = "proxy-password";

/// The keychain account of the team library's database password.
pub const TEAM_PASSWORD_ACCOUNT: &str = "team-library-password";

/// Secrets in the OS keychain, under [`KEYRING_SERVICE`]: one account per [`SecretEntry`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyringStore {
    account: String,
    proxy_account: String,
    team_account: String,
}

impl KeyringStore {
    /// The app's own entries: [`KEYRING_ACCOUNT`] and [`PROXY_PASSWORD_ACCOUNT`].
    pub fn new() -> Self {
        Self {
            account: KEYRING_ACCOUNT.to_owned(),
            proxy_account: PROXY_PASSWORD_ACCOUNT.to_owned(),
            team_account: TEAM_PASSWORD_ACCOUNT.to_owned(),
        }
    }

    /// Other accounts under [`KEYRING_SERVICE`], so that tests do not touch the real secrets: the key
    /// under `account`, the proxy password under `<account>-proxy-password`, the team library's
    /// under `<account>-team-library-password`.
    pub fn with_account(account: impl Into<String>) -> Self {
        let account = account.into();
        Self {
            proxy_account: format!("{account}-{PROXY_PASSWORD_ACCOUNT}"),
            team_account: format!("{account}-{TEAM_PASSWORD_ACCOUNT}"),
            account,
        }
    }

    /// The account name of the API key.
    pub fn account(&self) -> &str {
        &self.account
    }

    /// The account name of `entry`.
    pub fn account_of(&self, entry: SecretEntry) -> &str {
        match entry {
            SecretEntry::ApiKey => &self.account,
            SecretEntry::ProxyPassword => &self.proxy_account,
            SecretEntry::TeamPassword => &self.team_account,
        }
    }

    fn entry(&self, entry: SecretEntry) -> Result<Entry, SecretError> {
        Entry::new(KEYRING_SERVICE, self.account_of(entry))
            .map_err(|error| from_keyring(entry, error))
    }
}

impl Default for KeyringStore {
    fn default() -> Self {
        Self::new()
    }
}

impl SecretStore for KeyringStore {
    fn read(&self, entry: SecretEntry) -> Result<Option<String>, SecretError> {
        match self.entry(entry)?.get_password() {
            Ok(text) => Ok(Some(text)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(error) => Err(from_keyring(entry, error)),
        }
    }

    fn write(&self, entry: SecretEntry, secret: &str) -> Result<(), SecretError> {
        let keychain_entry = self.entry(entry)?;
        match keychain_entry.set_password(secret) {
            Err(keyring::Error::Ambiguous(copies)) => {
                delete_copies(entry, copies)?;
                keychain_entry
                    .set_password(secret)
                    .map_err(|error| from_keyring(entry, error))
            }
            other => other.map_err(|error| from_keyring(entry, error)),
        }
    }

    fn erase(&self, entry: SecretEntry) -> Result<(), SecretError> {
        match self.entry(entry)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(keyring::Error::Ambiguous(copies)) => delete_copies(entry, copies),
            Err(error) => Err(from_keyring(entry, error)),
        }
    }
}

/// Deletes every copy when the keychain holds several entries for the account.
fn delete_copies(
    entry: SecretEntry,
    copies: Vec<Box<keyring::credential::Credential>>,
) -> Result<(), SecretError> {
    for copy in copies {
        match Entry::new_with_credential(copy).delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => {}
            Err(error) => return Err(from_keyring(entry, error)),
        }
    }
    Ok(())
}

/// Maps a keychain failure on `entry` to a [`SecretError`]; never falls back to anything else.
pub(super) fn from_keyring(entry: SecretEntry, error: keyring::Error) -> SecretError {
    let secret_error = match &error {
        keyring::Error::BadEncoding(_) => SecretError::Unreadable {
            entry,
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
    tracing::warn!(error = %error, %entry, "keychain call failed");
    secret_error
}
