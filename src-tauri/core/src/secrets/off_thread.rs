//! [`Keychain`]: the [`SecretStore`] for async code. Every call runs on tokio's blocking pool under
//! [`KEYCHAIN_TIMEOUT`], so a keychain that never answers cannot stall an async worker, the app's
//! window or the CLI.

use std::sync::Arc;
use std::time::Duration;

use super::{ApiKey, ProxyIdentity, ProxyPassword, SecretError, SecretStore};

/// How long a keychain call may take before the user is told it did not answer. Unlock prompts
/// answered within this time work; a keychain that never answers fails with
/// [`SecretError::NoAnswer`].
pub const KEYCHAIN_TIMEOUT: Duration = Duration::from_secs(10);

/// A [`SecretStore`] behind async calls that never block the caller's thread and always return
/// within the time limit. Cheap to clone. Must be used inside a tokio runtime.
#[derive(Clone)]
pub struct Keychain {
    store: Arc<dyn SecretStore>,
    timeout: Duration,
}

impl std::fmt::Debug for Keychain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keychain")
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl Keychain {
    /// Wraps `store` with the [`KEYCHAIN_TIMEOUT`] limit.
    pub fn new(store: Arc<dyn SecretStore>) -> Self {
        Self {
            store,
            timeout: KEYCHAIN_TIMEOUT,
        }
    }

    /// The same store with another time limit (tests use a short one).
    pub fn with_timeout(self, timeout: Duration) -> Self {
        Self { timeout, ..self }
    }

    /// The saved API key, or `None` ([`SecretStore::load`]).
    pub async fn api_key(&self) -> Result<Option<ApiKey>, SecretError> {
        self.call(|store| store.load()).await
    }

    /// Saves the API key ([`SecretStore::save`]).
    pub async fn save_api_key(&self, key: &ApiKey) -> Result<(), SecretError> {
        let key = key.clone();
        self.call(move |store| store.save(&key)).await
    }

    /// Removes the API key ([`SecretStore::delete`]).
    pub async fn delete_api_key(&self) -> Result<(), SecretError> {
        self.call(|store| store.delete()).await
    }

    /// The proxy password saved for `proxy`, or `None` ([`SecretStore::load_proxy_password`]).
    pub async fn proxy_password(
        &self,
        proxy: &ProxyIdentity,
    ) -> Result<Option<ProxyPassword>, SecretError> {
        let proxy = proxy.clone();
        self.call(move |store| store.load_proxy_password(&proxy))
            .await
    }

    /// Which proxy the saved password belongs to ([`SecretStore::saved_proxy`]).
    pub async fn saved_proxy(&self) -> Result<Option<ProxyIdentity>, SecretError> {
        self.call(|store| store.saved_proxy()).await
    }

    /// Saves the password of `proxy` ([`SecretStore::save_proxy_password`]).
    pub async fn save_proxy_password(
        &self,
        proxy: &ProxyIdentity,
        password: &ProxyPassword,
    ) -> Result<(), SecretError> {
        let (proxy, password) = (proxy.clone(), password.clone());
        self.call(move |store| store.save_proxy_password(&proxy, &password))
            .await
    }

    /// Removes the proxy password ([`SecretStore::delete_proxy_password`]).
    pub async fn delete_proxy_password(&self) -> Result<(), SecretError> {
        self.call(|store| store.delete_proxy_password()).await
    }

    /// The team library's saved password ([`SecretStore::load_team_password`]).
    pub async fn team_password(&self) -> Result<Option<String>, SecretError> {
        self.call(|store| store.load_team_password()).await
    }

    /// Saves the team library's password ([`SecretStore::save_team_password`]).
    pub async fn save_team_password(&self, password: &str) -> Result<(), SecretError> {
        let password = password.to_owned();
        self.call(move |store| store.save_team_password(&password))
            .await
    }

    /// Removes the team library's password ([`SecretStore::delete_team_password`]).
    pub async fn delete_team_password(&self) -> Result<(), SecretError> {
        self.call(|store| store.delete_team_password()).await
    }

    /// Runs `call` on the blocking pool; gives up waiting after the time limit. A call given up on
    /// keeps its blocking thread until the keychain answers; its answer is then dropped.
    async fn call<T: Send + 'static>(
        &self,
        call: impl FnOnce(&dyn SecretStore) -> Result<T, SecretError> + Send + 'static,
    ) -> Result<T, SecretError> {
        let store = Arc::clone(&self.store);
        let task = tokio::task::spawn_blocking(move || call(store.as_ref()));
        match tokio::time::timeout(self.timeout, task).await {
            Ok(Ok(answer)) => answer,
            Ok(Err(failed)) => Err(SecretError::Unavailable {
                detail: format!("the keychain call failed: {failed}"),
            }),
            Err(_elapsed) => {
                tracing::warn!(timeout = ?self.timeout, "the keychain did not answer");
                Err(SecretError::NoAnswer {
                    seconds: self.timeout.as_secs().max(1),
                })
            }
        }
    }
}
