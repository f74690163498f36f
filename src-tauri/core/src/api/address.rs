//! Which service addresses are allowed (https, or http on loopback only) and which of them is this
//! computer.

use std::net::IpAddr;

use url::{Host, Url};

use super::config::DEFAULT_BASE_URL;
use super::error::ApiError;

/// Checks a base URL: `https://` anywhere, `http://` only on loopback (the simulator).
pub(crate) fn validate_base_url(raw: &str) -> Result<Url, ApiError> {
    let trimmed = raw.trim().trim_end_matches('/');
    let invalid = |reason: &str| ApiError::InvalidBaseUrl {
        url: trimmed.to_owned(),
        reason: reason.to_owned(),
    };
    let url = Url::parse(trimmed).map_err(|_| invalid("it is not a web address"))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("it must not contain a user name or password"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("it must not contain '?' or '#'"));
    }
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        "http" => Err(invalid(
            "plain http is only allowed for 127.0.0.1, localhost or [::1]; use https",
        )),
        _ => Err(invalid("it must start with https://")),
    }
}

/// True for an address on this computer (127.0.0.0/8, `localhost`, `[::1]`): the simulator.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// The key the project's simulator takes (Practice mode). Not a secret: it opens only the
/// simulator. The simulator crate names it `DEFAULT_PRACTICE_KEY`; a test checks they agree.
pub const SIMULATOR_KEY: &str = "practice-key";

/// Which key an address is called with when none is given explicitly (`BULK_COLLECT_API_KEY`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SavedKeyUse {
    /// Coresignal's own service (https, its host): the key saved in the keychain.
    Keychain,
    /// The simulator on this computer: its own key, [`SIMULATOR_KEY`]. The saved key, a live one,
    /// never goes there (plain http, and any program on this computer can listen there).
    Simulator,
    /// Any other address: the saved key never goes there; a key must be given explicitly.
    Refused,
}

/// Where the key saved in the keychain may go: only to Coresignal's own service.
pub fn saved_key_use(base: &str) -> SavedKeyUse {
    let Ok(url) = Url::parse(base.trim()) else {
        return SavedKeyUse::Refused;
    };
    let coresignal = Url::parse(DEFAULT_BASE_URL)
        .ok()
        .and_then(|real| real.host_str().map(str::to_owned));
    if url.scheme() == "https"
        && url.host_str().is_some()
        && url.host_str() == coresignal.as_deref()
    {
        SavedKeyUse::Keychain
    } else if is_loopback(&url) {
        SavedKeyUse::Simulator
    } else {
        SavedKeyUse::Refused
    }
}

/// Which proxy the client goes through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ProxyChoice {
    /// None: the service is on this computer (the simulator), whatever is configured.
    Direct,
    /// The proxy set in Settings (trimmed).
    Manual(String),
    /// The operating system's: the environment (`HTTPS_PROXY`, `ALL_PROXY`, `NO_PROXY`, …)
    /// everywhere, and the system proxy settings on Windows and macOS.
    System,
}

/// The proxy rule: loopback never goes through a proxy; otherwise a manual proxy (not blank) wins
/// over the system's. A manual proxy that is not a valid proxy address is refused.
pub(crate) fn proxy_choice(base: &Url, manual: Option<&str>) -> Result<ProxyChoice, ApiError> {
    if is_loopback(base) {
        return Ok(ProxyChoice::Direct);
    }
    match manual.map(str::trim).filter(|p| !p.is_empty()) {
        Some(proxy) => {
            reqwest::Proxy::all(proxy).map_err(|_| invalid_proxy())?;
            Ok(ProxyChoice::Manual(proxy.to_owned()))
        }
        None => Ok(ProxyChoice::System),
    }
}

/// The error for a manual proxy setting that is not a proxy address.
pub(crate) fn invalid_proxy() -> ApiError {
    ApiError::InvalidProxy {
        reason: "it is not a valid proxy address".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_anywhere_and_http_only_on_loopback() {
        assert!(validate_base_url("https://api.coresignal.com/cdapi").is_ok());
        assert!(validate_base_url("https://api.coresignal.com/cdapi/").is_ok());
        assert!(validate_base_url("http://127.0.0.1:8080/cdapi").is_ok());
        assert!(validate_base_url("http://localhost:1/cdapi").is_ok());
        assert!(validate_base_url("http://[::1]:9/cdapi").is_ok());
        for bad in [
            "http://api.coresignal.com/cdapi",
            "http://10.0.0.1/cdapi",
            "http://localhost.evil.com/cdapi",
            "ftp://127.0.0.1/cdapi",
            "not a url",
            "https://user:pw@api.coresignal.com/cdapi",
            "https://api.coresignal.com/cdapi?x=1",
        ] {
            assert!(
                matches!(validate_base_url(bad), Err(ApiError::InvalidBaseUrl { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_saved_key_goes_only_to_coresignal_and_the_simulator_takes_its_own() {
        for real in [
            "https://api.coresignal.com/cdapi",
            " https://API.coresignal.com/cdapi/ ",
            "https://api.coresignal.com:443/cdapi",
        ] {
            assert_eq!(saved_key_use(real), SavedKeyUse::Keychain, "{real}");
        }
        for simulator in [
            "http://127.0.0.1:4000/cdapi",
            "http://localhost:1/cdapi",
            "https://127.0.0.1:4000/cdapi",
            "http://[::1]:9/cdapi",
        ] {
            assert_eq!(
                saved_key_use(simulator),
                SavedKeyUse::Simulator,
                "{simulator}"
            );
        }
        for other in [
            "http://api.coresignal.com/cdapi",
            "https://api.coresignal.com.evil.example/cdapi",
            "https://proxy.example.com/cdapi",
            "not an address",
        ] {
            assert_eq!(saved_key_use(other), SavedKeyUse::Refused, "{other}");
        }
    }

    #[test]
    fn loopback_never_uses_a_proxy_and_a_manual_proxy_wins_over_the_system() {
        let sim = Url::parse("http://127.0.0.1:4000/cdapi").unwrap();
        let live = Url::parse("https://api.coresignal.com/cdapi").unwrap();
        let manual = Some("http://proxy.example.com:8080");
        assert_eq!(proxy_choice(&sim, manual), Ok(ProxyChoice::Direct));
        assert_eq!(proxy_choice(&sim, None), Ok(ProxyChoice::Direct));
        let localhost = Url::parse("http://localhost:1/cdapi").unwrap();
        assert_eq!(proxy_choice(&localhost, manual), Ok(ProxyChoice::Direct));
        assert_eq!(
            proxy_choice(&live, Some("  http://proxy.example.com:8080 ")),
            Ok(ProxyChoice::Manual("http://proxy.example.com:8080".into()))
        );
        assert_eq!(proxy_choice(&live, None), Ok(ProxyChoice::System));
        assert_eq!(proxy_choice(&live, Some("   ")), Ok(ProxyChoice::System));
        assert!(matches!(
            proxy_choice(&live, Some("::not a proxy::")),
            Err(ApiError::InvalidProxy { .. })
        ));
    }
}
