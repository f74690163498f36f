//! An in-memory [`SecretStore`] for tests: nothing leaves the process.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use super::{ApiKey, SecretEntry, SecretError, SecretStore};

/// A [`SecretStore`] that keeps secrets in memory; for tests only.
#[derive(Debug, Default)]
pub struct MemoryStore {
    entries: Mutex<HashMap<SecretEntry, String>>,
    /// When set, every call fails as a locked keychain would.
    unavailable: Option<String>,
    /// When set, every call first blocks this long, as a keychain waiting for an unlock prompt does.
    stall: Option<Duration>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// A store that already holds `key`.
    pub fn with_key(key: ApiKey) -> Self {
        let store = Self::new();
        lock(&store.entries).insert(SecretEntry::ApiKey, key.expose().to_owned());
        store
    }

    /// A store whose every call fails with [`SecretError::Unavailable`], to test that path.
    pub fn unavailable(detail: impl Into<String>) -> Self {
        Self {
            unavailable: Some(detail.into()),
            ..Self::default()
        }
    }

    /// An empty store whose every call blocks the calling thread for `stall` before answering, to
    /// test that nothing waits on a keychain that does not answer.
    pub fn stalled(stall: Duration) -> Self {
        Self {
            stall: Some(stall),
            ..Self::default()
        }
    }

    /// The entries, once the store is known to be available.
    fn entries(&self) -> Result<MutexGuard<'_, HashMap<SecretEntry, String>>, SecretError> {
        if let Some(stall) = self.stall {
            std::thread::sleep(stall);
        }
        if let Some(detail) = &self.unavailable {
            return Err(SecretError::Unavailable {
                detail: detail.clone(),
            });
        }
        Ok(lock(&self.entries))
    }
}

// A panic while holding the lock cannot leave a map insert or remove half-done.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl SecretStore for MemoryStore {
    fn read(&self, entry: SecretEntry) -> Result<Option<String>, SecretError> {
        Ok(self.entries()?.get(&entry).cloned())
    }

    fn write(&self, entry: SecretEntry, secret: &str) -> Result<(), SecretError> {
        self.entries()?.insert(entry, secret.to_owned());
        Ok(())
    }

    fn erase(&self, entry: SecretEntry) -> Result<(), SecretError> {
        self.entries()?.remove(&entry);
        Ok(())
    }
}
