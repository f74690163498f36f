//! Opening a connection to the team library: TLS by rustls on *ring* trusting the OS certificate
//! store (a loopback server is reached without it), short timeouts, and refusals in words.

use std::sync::Arc;
use std::time::Duration;

use tokio_postgres::error::SqlState;
use tokio_postgres::{Client, NoTls};

use super::{TeamAddress, TeamError};

/// How long opening a connection may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// How long one statement may run on the server (publishing sets its own, longer, limit).
pub const STATEMENT_TIMEOUT: Duration = Duration::from_secs(5);

/// How long the server keeps a transaction that waits on this side (publishing reads the next
/// people from this computer's library between its statements: a moment).
pub const IDLE_IN_TRANSACTION: Duration = Duration::from_secs(30);

/// Opens a connection to `address` as its user with `password`; the connection's driver runs as
/// a task of its own. Never logs the password.
pub(super) async fn open(
    address: &TeamAddress,
    password: Option<&str>,
) -> Result<Client, TeamError> {
    let mut config = address.config();
    if let Some(password) = password.filter(|password| !password.is_empty()) {
        config.password(password);
    }
    config.connect_timeout(CONNECT_TIMEOUT);
    config.application_name("Bulk Collect");
    // A transaction left open by a connection gone silent (this side gave up on it) is ended
    // by the server after IDLE_IN_TRANSACTION, so the rows it locked do not block colleagues.
    config.options(format!(
        "-c statement_timeout={} -c idle_in_transaction_session_timeout={}",
        STATEMENT_TIMEOUT.as_millis(),
        IDLE_IN_TRANSACTION.as_millis()
    ));
    let user = address.user();
    let opened = if address.is_loopback() {
        let connecting = config.connect(NoTls);
        match tokio::time::timeout(CONNECT_TIMEOUT, connecting).await {
            Ok(Ok((client, connection))) => {
                tokio::spawn(drive(connection));
                Ok(client)
            }
            Ok(Err(error)) => Err(refused(&user, password.is_some(), &error)),
            Err(_) => Err(late()),
        }
    } else {
        let tls = tokio_postgres_rustls::MakeRustlsConnect::new(tls_config()?);
        match tokio::time::timeout(CONNECT_TIMEOUT, config.connect(tls)).await {
            Ok(Ok((client, connection))) => {
                tokio::spawn(drive(connection));
                Ok(client)
            }
            Ok(Err(error)) => Err(refused(&user, password.is_some(), &error)),
            Err(_) => Err(late()),
        }
    };
    opened
}

/// Runs a connection until it closes; its end is seen by the client (`is_closed`).
async fn drive<S, T>(connection: tokio_postgres::Connection<S, T>)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    if let Err(error) = connection.await {
        tracing::debug!("team library connection closed: {error}");
    }
}

/// rustls on *ring* (the build's one crypto provider), trusting the OS certificate store.
fn tls_config() -> Result<rustls::ClientConfig, TeamError> {
    let mut roots = rustls::RootCertStore::empty();
    let found = rustls_native_certs::load_native_certs();
    for certificate in found.certs {
        // A certificate the OS store holds but rustls cannot read is left out, as reqwest does.
        let _ = roots.add(certificate);
    }
    if roots.is_empty() {
        return Err(TeamError::Unreachable {
            detail: "this computer's certificate store could not be read".into(),
        });
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map(|builder| builder.with_root_certificates(roots).with_no_client_auth())
        .map_err(|error| TeamError::Unreachable {
            detail: format!("TLS could not be set up: {error}"),
        })
}

fn late() -> TeamError {
    TeamError::Unreachable {
        detail: format!("no answer within {} seconds", CONNECT_TIMEOUT.as_secs()),
    }
}

/// The words for a failed connection: a refused password, or an unreachable server.
fn refused(user: &str, had_password: bool, error: &tokio_postgres::Error) -> TeamError {
    if let Some(db) = error.as_db_error() {
        let code = db.code();
        if *code == SqlState::INVALID_PASSWORD
            || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
        {
            return TeamError::PasswordRefused {
                user: user.to_owned(),
            };
        }
        return TeamError::Server {
            detail: db.message().to_owned(),
        };
    }
    let text = describe(error);
    if text.contains("password missing") {
        return if had_password {
            TeamError::PasswordRefused {
                user: user.to_owned(),
            }
        } else {
            TeamError::NoPassword
        };
    }
    TeamError::Unreachable {
        detail: describe(error),
    }
}

/// A driver error as words for support (its source chain), never holding a password (the
/// driver's errors do not carry the configuration).
pub(super) fn describe(error: &tokio_postgres::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// A failed statement as a [`TeamError`]: a server's error, or a broken connection.
pub(super) fn failed(error: tokio_postgres::Error) -> TeamError {
    match error.as_db_error() {
        Some(db) if *db.code() == SqlState::QUERY_CANCELED => TeamError::Unreachable {
            detail: "the team library took too long to answer".into(),
        },
        Some(db) => TeamError::Server {
            detail: db.message().to_owned(),
        },
        None => TeamError::Unreachable {
            detail: describe(&error),
        },
    }
}
