//! Which proxy a saved proxy password belongs to. The password is saved together with its proxy's
//! scheme, host, port and user ([`ProxyIdentity`]) and is handed out only for that same proxy, so
//! a new proxy address (typed by mistake, or set by a script) never receives it.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{ProxyPassword, SecretError, SecretStore};

/// A proxy as far as its password is concerned: scheme, user, host and port, e.g.
/// `http://anna@proxy.example.com:8080` (the port filled in when the address leaves it out and the
/// scheme has a usual one, the host in lower case). Two addresses with the same identity are the same proxy for the password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ProxyIdentity(String);

impl ProxyIdentity {
    /// The identity of a proxy address, or `None` when it is not a usable address with a host.
    pub fn of(address: &str) -> Option<Self> {
        let url = url::Url::parse(address.trim()).ok()?;
        let host = url.host_str().filter(|host| !host.is_empty())?;
        // A scheme without a known port (`socks5://host`) keeps no port: the client uses its own.
        let port = url
            .port_or_known_default()
            .map(|port| port.to_string())
            .unwrap_or_default();
        Some(Self(format!(
            "{}://{}@{host}:{port}",
            url.scheme(),
            url.username()
        )))
    }
}

impl fmt::Display for ProxyIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What the keychain entry holds: the password and the proxy it was typed for.
#[derive(Serialize, Deserialize)]
struct Saved {
    proxy: ProxyIdentity,
    password: String,
}

/// The saved password and its proxy; `None` when nothing is saved, or what is saved names no proxy
/// (an entry of an older version: it is used for no proxy, and the next save of the settings
/// removes it).
pub(super) fn load<S: SecretStore + ?Sized>(
    store: &S,
) -> Result<Option<(ProxyIdentity, ProxyPassword)>, SecretError> {
    let Some(text) = store.read(super::SecretEntry::ProxyPassword)? else {
        return Ok(None);
    };
    Ok(serde_json::from_str::<Saved>(&text)
        .ok()
        .filter(|saved| !saved.password.is_empty())
        .map(|saved| (saved.proxy, ProxyPassword::new(saved.password))))
}

/// Saves `password` for `proxy`, replacing whatever was saved.
pub(super) fn save<S: SecretStore + ?Sized>(
    store: &S,
    proxy: &ProxyIdentity,
    password: &ProxyPassword,
) -> Result<(), SecretError> {
    let saved = Saved {
        proxy: proxy.clone(),
        password: password.expose().to_owned(),
    };
    let text = serde_json::to_string(&saved).map_err(|error| SecretError::Unavailable {
        detail: format!("the proxy password could not be prepared for saving ({error})"),
    })?;
    store.write(super::SecretEntry::ProxyPassword, &text)
}
