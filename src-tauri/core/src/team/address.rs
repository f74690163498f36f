//! The team library's address: a `postgres://` URL without a password, reached over TLS unless
//! every host it names is this computer (127.0.0.0/8, ::1, `localhost`, a Unix socket).

use std::net::IpAddr;
use std::str::FromStr;

use tokio_postgres::config::{Host, SslMode};
use tokio_postgres::Config;

use super::TeamError;

/// A checked team library address. Holds no password, so it may be shown and stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamAddress {
    text: String,
    loopback: bool,
}

impl TeamAddress {
    /// Checks `text`: a `postgres://` (or `postgresql://`) address, with no password in it, and
    /// with TLS unless every host is loopback. Nothing is connected.
    pub fn parse(text: &str) -> Result<Self, TeamError> {
        let text = text.trim();
        let bad = |reason: &str| TeamError::BadAddress {
            address: text.to_owned(),
            reason: reason.to_owned(),
        };
        // Refuse a password before anything else, so it is never echoed back in an error (a
        // `key=value` form such as `host=db password=…` included).
        if has_password(text) || names_password(text) {
            return Err(TeamError::PasswordInAddress);
        }
        if !(text.starts_with("postgres://") || text.starts_with("postgresql://")) {
            return Err(bad(&format!(
                "it does not start with postgres://. {ASK_IT}"
            )));
        }
        let config = Config::from_str(&for_driver(text)).map_err(|error| bad(&refusal(&error)))?;
        if config.get_password().is_some() {
            return Err(TeamError::PasswordInAddress);
        }
        if config.get_hosts().is_empty() {
            return Err(bad(&format!("it names no server. {ASK_IT}")));
        }
        if config.get_user().is_none() {
            return Err(bad(&format!(
                "it names no user (postgres://user@host/database). {ASK_IT}"
            )));
        }
        let loopback = config.get_hosts().iter().all(is_loopback)
            && config.get_hostaddrs().iter().all(IpAddr::is_loopback);
        if !loopback && config.get_ssl_mode() == SslMode::Disable {
            return Err(TeamError::NotEncrypted {
                host: first_host(&config),
            });
        }
        Ok(Self {
            text: text.to_owned(),
            loopback,
        })
    }

    /// The address as given.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// True when every host is this computer: no TLS is needed.
    pub fn is_loopback(&self) -> bool {
        self.loopback
    }

    /// The user the address names.
    pub fn user(&self) -> String {
        self.config().get_user().unwrap_or_default().to_owned()
    }

    /// The driver's configuration: TLS required for a remote host, off for loopback.
    pub(super) fn config(&self) -> Config {
        // Parsed once in `parse`: the same text parses again.
        let mut config = Config::from_str(&for_driver(&self.text)).unwrap_or_default();
        config.ssl_mode(if self.loopback {
            SslMode::Disable
        } else {
            SslMode::Require
        });
        config
    }
}

impl std::fmt::Display for TeamAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// What to do about an address that cannot be used, after why.
const ASK_IT: &str = "Ask your IT team for the address, written as postgres://user@host/database.";

/// Why the driver refused an address, in words: the option it does not know or whose value it
/// cannot read, named (an option's name only, never its value; a password was refused before).
fn refusal(error: &tokio_postgres::Error) -> String {
    let cause = std::error::Error::source(error).map(ToString::to_string);
    let quoted = |text: &str| text.split('`').nth(1).map(str::to_owned);
    match cause {
        Some(cause) if cause.starts_with("unknown option") => match quoted(&cause) {
            Some(option) => format!(
                "it has a setting the app does not know, \"{option}\". Remove \"{option}=…\" from the address (after the ? or &), or ask your IT team whether it is needed and how else to give it."
            ),
            None => format!("it has a setting the app does not know. {ASK_IT}"),
        },
        Some(cause) if cause.starts_with("invalid value for option") => match quoted(&cause) {
            Some(option) => format!(
                "the value given for \"{option}\" cannot be read. Correct it, or leave \"{option}\" out of the address. {ASK_IT}"
            ),
            None => format!("a value in it cannot be read. {ASK_IT}"),
        },
        Some(cause) => format!("it cannot be read ({cause}). {ASK_IT}"),
        None => format!("it cannot be read. {ASK_IT}"),
    }
}

/// `text` as the driver reads it: libpq's `sslmode=verify-full` and `verify-ca` (which IT often
/// gives) become `require`, which the driver knows; a remote host's certificate and name are
/// verified against the OS store whatever the mode says ([`super::connect`]).
fn for_driver(text: &str) -> String {
    let Some((base, query)) = text.split_once('?') else {
        return text.to_owned();
    };
    let query: Vec<&str> = query
        .split('&')
        .map(|pair| match pair {
            "sslmode=verify-full" | "sslmode=verify-ca" => "sslmode=require",
            other => other,
        })
        .collect();
    format!("{base}?{}", query.join("&"))
}

/// True when the URL's user part carries a `:password`, or its query a `password=`.
fn has_password(text: &str) -> bool {
    let rest = text.split_once("://").map_or(text, |(_, rest)| rest);
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    let user_part = authority.rsplit_once('@').map(|(user, _)| user);
    let in_user = user_part.is_some_and(|user| user.contains(':'));
    let in_query = rest.split_once('?').is_some_and(|(_, query)| {
        query
            .split('&')
            .any(|pair| pair.to_ascii_lowercase().starts_with("password="))
    });
    in_user || in_query
}

/// True when `text`, percent-decoded (repeatedly) and without blanks, names a `password=`
/// anywhere: a disguised key (`pass%77ord=`, `password =`) must not be echoed back either.
fn names_password(text: &str) -> bool {
    let mut plain: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    // Each round that changes the text decodes an escape and adds no `%` it did not consume.
    loop {
        let decoded = percent_decode(&plain);
        if decoded == plain {
            break;
        }
        plain = decoded;
    }
    plain.to_ascii_lowercase().contains("password=")
}

/// `%XX` escapes replaced by their byte (invalid UTF-8 replaced); anything else kept.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let escaped = (bytes[at] == b'%')
            .then(|| bytes.get(at + 1..at + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                at += 3;
            }
            None => {
                out.push(bytes[at]);
                at += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn is_loopback(host: &Host) -> bool {
    match host {
        Host::Unix(_) => true,
        Host::Tcp(name) => {
            let name = name.trim_start_matches('[').trim_end_matches(']');
            name.eq_ignore_ascii_case("localhost")
                || name
                    .parse::<IpAddr>()
                    .is_ok_and(|address| address.is_loopback())
        }
    }
}

fn first_host(config: &Config) -> String {
    match config.get_hosts().first() {
        Some(Host::Tcp(name)) => name.clone(),
        Some(Host::Unix(path)) => path.display().to_string(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_in_the_address_is_refused_without_echoing_it() {
        for text in [
            "postgres://anna:s3cret@db.example.com/team",
            "postgres://anna@db.example.com/team?password=s3cret",
            "host=db.example.com user=anna password=s3cret",
        ] {
            let error = TeamAddress::parse(text).unwrap_err();
            assert_eq!(error, TeamError::PasswordInAddress);
            assert!(!error.to_string().contains("s3cret"));
        }
    }

    #[test]
    fn an_unknown_option_is_named_with_what_to_do() {
        let error =
            TeamAddress::parse("postgres://anna@db.example.com/team?sslmod=require").unwrap_err();
        let words = error.to_string();
        assert!(
            words.contains("a setting the app does not know, \"sslmod\""),
            "{words}"
        );
        assert!(
            words.contains("Remove \"sslmod=…\" from the address"),
            "{words}"
        );
        assert!(!words.contains("invalid connection string"), "{words}");
        let error =
            TeamAddress::parse("postgres://anna@db.example.com/team?sslmode=bogus").unwrap_err();
        let words = error.to_string();
        assert!(
            words.contains("the value given for \"sslmode\" cannot be read"),
            "{words}"
        );
    }

    #[test]
    fn a_remote_host_without_tls_is_refused_and_loopback_is_not() {
        let error =
            TeamAddress::parse("postgres://anna@10.1.2.3/team?sslmode=disable").unwrap_err();
        assert!(matches!(error, TeamError::NotEncrypted { ref host } if host == "10.1.2.3"));
        assert!(error.to_string().contains("without encryption"));
        for local in [
            "postgres://anna@127.0.0.1:5433/team?sslmode=disable",
            "postgres://anna@localhost/team",
            "postgres://anna@[::1]/team",
            "postgresql://anna@%2Fvar%2Frun%2Fpostgresql/team",
        ] {
            let address = TeamAddress::parse(local).unwrap();
            assert!(address.is_loopback(), "{local}");
        }
        let remote = TeamAddress::parse("postgres://anna@db.example.com/team").unwrap();
        assert!(!remote.is_loopback());
        assert_eq!(remote.config().get_ssl_mode(), SslMode::Require);
    }

    #[test]
    fn a_disguised_password_is_refused_without_echoing_it() {
        for text in [
            "postgres://anna@db.example.com/team?pass%77ord=s3cret&sslmode=bogus",
            "postgres://anna@db.example.com:99999/team?PASS%57ORD=s3cret",
            "postgres://anna@db.example.com/team?pass%2577ord=s3cret",
            "host=db user=anna password =s3cret",
            "host=db user=anna password\t=\t's3cret'",
        ] {
            let error = TeamAddress::parse(text).unwrap_err();
            assert_eq!(error, TeamError::PasswordInAddress, "{text}");
            assert!(!error.to_string().contains("s3cret"));
        }
    }

    #[test]
    fn an_address_asking_for_a_verified_certificate_is_taken() {
        // What IT often gives: the app verifies the certificate and the host name anyway.
        for text in [
            "postgres://anna@db.example.com/team?sslmode=verify-full",
            "postgresql://anna@db.example.com:5432/team?application_name=x&sslmode=verify-ca",
        ] {
            let address = TeamAddress::parse(text).unwrap();
            assert_eq!(address.as_str(), text);
            assert!(!address.is_loopback());
            assert_eq!(address.config().get_ssl_mode(), SslMode::Require);
        }
    }

    #[test]
    fn not_an_address_is_refused_in_words() {
        let error = TeamAddress::parse("db.example.com").unwrap_err();
        assert!(error.to_string().contains("postgres://"));
        assert!(TeamAddress::parse("postgres://db.example.com/team").is_err());
    }
}
