//! An in-memory [`SecretStore`] for tests: nothing leaves the process.

use std::sync::{Mutex, MutexGuard, PoisonError};

use super::{ApiKey, SecretError, SecretStore};

/// A [`SecretStore`] that keeps the key in memory; for tests only.
#[derive(Debug, Default)]
pub struct MemoryStore {
    key: Mutex<Option<ApiKey>>,
    /// When set, every call fails as a locked keychain would.
    unavailable: Option<String>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// A store that already holds `key`.
    pub fn with_key(key: ApiKey) -> Self {
        Self {
            key: Mutex::new(Some(key)),
            unavailable: None,
        }
    }

    /// A store whose every call fails with [`SecretError::Unavailable`], to test that path.
    pub fn unavailable(detail: impl Into<String>) -> Self {
        Self {
            key: Mutex::new(None),
            unavailable: Some(detail.into()),
        }
    }

    /// The key slot, once the store is known to be available.
    fn slot(&self) -> Result<MutexGuard<'_, Option<ApiKey>>, SecretError> {
        if let Some(detail) = &self.unavailable {
            return Err(SecretError::Unavailable {
                detail: detail.clone(),
            });
        }
        // A panic while holding the lock cannot leave an `Option` half-written.
        Ok(self.key.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl SecretStore for MemoryStore {
    fn load(&self) -> Result<Option<ApiKey>, SecretError> {
        Ok(self.slot()?.clone())
    }

    fn save(&self, key: &ApiKey) -> Result<(), SecretError> {
        if key.is_empty() {
            return Err(SecretError::EmptyKey);
        }
        *self.slot()? = Some(key.clone());
        Ok(())
    }

    fn delete(&self) -> Result<(), SecretError> {
        *self.slot()? = None;
        Ok(())
    }
}
