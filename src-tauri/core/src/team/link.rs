//! [`TeamLink`]: one configured team library. Lookups share one cached connection (opened and
//! migrated on first use, opened again once it broke); publishing opens its own, so a quote never
//! waits behind a long COPY.

use std::fmt;
use std::time::Duration;

use serde::Serialize;
use tokio_postgres::Client;

use crate::store::Store;

use super::lookup::{self, TeamCollection, TeamHeld};
use super::outbox;
use super::{connect, publish, schema, Published, TeamAddress, TeamError};

/// The most a quote waits for the team library, connecting included.
pub const QUOTE_BUDGET: Duration = Duration::from_secs(4);

/// A team library the app is set up to use: address, password, and the name colleagues see.
pub struct TeamLink {
    address: TeamAddress,
    password: Option<String>,
    who: String,
    client: tokio::sync::Mutex<Option<Client>>,
}

impl fmt::Debug for TeamLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TeamLink")
            .field("address", &self.address.as_str())
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("who", &self.who)
            .finish()
    }
}

/// What Settings shows of the team library.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[ts(export)]
pub struct TeamStatus {
    /// The address, when one is set.
    pub address: Option<String>,
    /// The name colleagues see.
    pub who: Option<String>,
    /// Whether the server answered just now (`None`: not asked, or no team library set).
    pub reachable: Option<bool>,
    /// Collections waiting to be published.
    #[ts(type = "number")]
    pub waiting_collections: u64,
    /// People in them.
    #[ts(type = "number")]
    pub waiting_people: u64,
    /// When something was last published (RFC 3339).
    pub last_published: Option<String>,
    /// Why the last try failed, if something waits.
    pub last_error: Option<String>,
    /// The status in one sentence.
    pub summary: String,
}

impl TeamLink {
    /// A link to `address` as its user with `password` (the keychain's, or `PGPASSWORD`), whose
    /// collections are published under `who`. Nothing is connected yet.
    pub fn new(address: TeamAddress, password: Option<String>, who: impl Into<String>) -> Self {
        let who = who.into();
        let who = match who.trim() {
            "" => address.user(),
            name => name.to_owned(),
        };
        Self {
            address,
            password,
            who,
            client: tokio::sync::Mutex::new(None),
        }
    }

    /// The address.
    pub fn address(&self) -> &TeamAddress {
        &self.address
    }

    /// The name colleagues see on this person's collections.
    pub fn who(&self) -> &str {
        &self.who
    }

    /// A new connection, the tables migrated.
    async fn open(&self) -> Result<Client, TeamError> {
        let mut client = connect::open(&self.address, self.password.as_deref()).await?;
        schema::migrate(&mut client).await?;
        Ok(client)
    }

    /// Runs `ask` on the cached connection (opened when there is none, or it broke).
    async fn with_client<T>(
        &self,
        ask: impl AsyncFnOnce(&Client) -> Result<T, TeamError>,
    ) -> Result<T, TeamError> {
        let mut cached = self.client.lock().await;
        if cached.as_ref().is_none_or(Client::is_closed) {
            *cached = Some(self.open().await?);
        }
        let Some(client) = cached.as_ref() else {
            return Err(TeamError::Local("no connection".into()));
        };
        let answer = ask(client).await;
        if matches!(answer, Err(TeamError::Unreachable { .. })) {
            *cached = None;
        }
        answer
    }

    /// "Test connection": connects, sets up the tables, and says what the library holds.
    pub async fn test(&self) -> Result<String, TeamError> {
        let asked = self.with_client(async |client| {
            let row = client
                .query_one(
                    "SELECT (SELECT count(*) FROM people), (SELECT count(*) FROM collections),
                            (SELECT count(DISTINCT who) FROM collections)",
                    &[],
                )
                .await
                .map_err(connect::failed)?;
            Ok((
                row.get::<_, i64>(0),
                row.get::<_, i64>(1),
                row.get::<_, i64>(2),
            ))
        });
        let (people, collections, colleagues) = within(QUOTE_BUDGET, asked).await?;
        Ok(format!(
            "Connected. The team library holds {} people from {} collections by {} colleagues.",
            crate::jobs::group(people.unsigned_abs()),
            crate::jobs::group(collections.unsigned_abs()),
            crate::jobs::group(colleagues.unsigned_abs()),
        ))
    }

    /// Which of `ids` (up to 10,000) the team holds in `dataset`, within [`QUOTE_BUDGET`].
    pub async fn held(&self, dataset: &str, ids: &[i64]) -> Result<Vec<TeamHeld>, TeamError> {
        within(
            QUOTE_BUDGET,
            self.with_client(async |client| lookup::held(client, dataset, ids).await),
        )
        .await
    }

    /// The packed records of those of `ids` the team holds in `dataset`.
    pub async fn records(
        &self,
        dataset: &str,
        ids: &[i64],
    ) -> Result<Vec<crate::library::TeamCopy>, TeamError> {
        within(
            QUOTE_BUDGET * 4,
            self.with_client(async |client| lookup::records(client, dataset, ids).await),
        )
        .await
    }

    /// Colleagues' collections of one of `fingerprints` in the last 30 days.
    pub async fn earlier(&self, fingerprints: &[String]) -> Result<Vec<TeamCollection>, TeamError> {
        within(
            QUOTE_BUDGET,
            self.with_client(async |client| lookup::earlier(client, fingerprints, &self.who).await),
        )
        .await
    }

    /// Sends every outbox entry of `store`, oldest first, on a connection of its own. A failure is
    /// noted on its entry; an entry the server refuses (its error, not a lost connection) is
    /// passed over so that it cannot hold back the others, and any other failure stops the round
    /// (the rest wait for the next one). The first failure is returned after the round.
    pub async fn publish(&self, store: &Store) -> Result<Published, TeamError> {
        let (reader, mut done) = (store.clone(), Published::default());
        let pending = tokio::task::spawn_blocking(move || outbox::pending(&reader))
            .await
            .map_err(|error| TeamError::Local(error.to_string()))??;
        if pending.is_empty() {
            return Ok(done);
        }
        let mut client = within(QUOTE_BUDGET * 3, self.open()).await?;
        let mut refused = None;
        for entry in &pending {
            let sent = within(
                publish::SEND_BUDGET,
                publish::send(&mut client, store, entry),
            )
            .await;
            match sent {
                Ok(people) => {
                    done.collections += 1;
                    done.people += people;
                    super::settings::note_published(store)?;
                }
                Err(error) => {
                    let _ = outbox::not_sent(store, &entry.collection, &error.to_string());
                    // The server refused this entry (its transaction rolled back, the connection
                    // still open): the next ones may still go.
                    if matches!(error, TeamError::Server { .. }) && !client.is_closed() {
                        refused.get_or_insert(error);
                        continue;
                    }
                    return Err(refused.unwrap_or(error));
                }
            }
        }
        refused.map_or(Ok(done), Err)
    }

    /// The status Settings shows; with `ask`, the server is asked whether it answers.
    pub async fn status(&self, store: &Store, ask: bool) -> Result<TeamStatus, TeamError> {
        let mut status = local_status(store)?;
        status.address = Some(self.address.to_string());
        status.who = Some(self.who.clone());
        if ask {
            let answered = self.test().await;
            status.reachable = Some(answered.is_ok());
            if let Err(error) = answered {
                status.last_error = Some(error.to_string());
            }
        }
        status.summary = summary(&status);
        Ok(status)
    }
}

/// The status without a team library set: only what waits locally.
pub fn local_status(store: &Store) -> Result<TeamStatus, TeamError> {
    let (waiting_collections, waiting_people) = outbox::size(store)?;
    let mut status = TeamStatus {
        waiting_collections,
        waiting_people,
        last_published: super::settings::last_published(store)?,
        last_error: outbox::last_failure(store)?,
        ..TeamStatus::default()
    };
    status.summary = summary(&status);
    Ok(status)
}

fn summary(status: &TeamStatus) -> String {
    let reach = match status.reachable {
        Some(true) => "The team library answers.",
        Some(false) => "The team library cannot be reached right now.",
        None if status.address.is_none() => "No team library is set up.",
        None => "",
    };
    let waiting = match status.waiting_collections {
        0 => "Everything is published.".to_owned(),
        1 => format!(
            "1 collection ({} people) waits to be published.",
            crate::jobs::group(status.waiting_people)
        ),
        n => format!(
            "{n} collections ({} people) wait to be published.",
            crate::jobs::group(status.waiting_people)
        ),
    };
    format!("{reach} {waiting}").trim().to_owned()
}

/// `ask`, or [`TeamError::Unreachable`] once `budget` has passed.
async fn within<T>(
    budget: Duration,
    ask: impl std::future::Future<Output = Result<T, TeamError>>,
) -> Result<T, TeamError> {
    tokio::time::timeout(budget, ask).await.unwrap_or_else(|_| {
        Err(TeamError::Unreachable {
            detail: format!("no answer within {} seconds", budget.as_secs()),
        })
    })
}
