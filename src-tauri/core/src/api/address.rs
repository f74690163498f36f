//! Which service addresses are allowed (https, or http on loopback only) and which of them is this
//! computer.

use std::net::IpAddr;

use url::{Host, Url};

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
}
