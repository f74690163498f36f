//! The outbox: collections kept in the people library and not yet published to the team library,
//! in the app's own database (`team_outbox`), so that a restart or a kill loses none. An entry is
//! queued in the transaction that keeps the job's people, and deleted only after the server's
//! transaction committed; its people are read from the library when it is sent.

use rusqlite::{params, Connection, OptionalExtension};

use crate::store::Store;

use super::TeamError;

/// The local table of the outbox.
pub const QUEUE_TABLE: &str = "team_outbox";

/// People read from the library per round when an entry is sent.
pub(super) const CHUNK: usize = 5_000;

/// One collection waiting to be published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queued {
    /// The collection's id on the server (a uuid made when it was queued): a retry inserts it
    /// at most once.
    pub collection: String,
    /// The local job whose people it publishes.
    pub job: i64,
    /// The library the people are kept in.
    pub dataset: String,
    /// Who collected it (the display name in Settings).
    pub who: String,
    /// When (RFC 3339).
    pub at: String,
    /// The job's name.
    pub name: String,
    /// The request's fingerprint ("collected before" across the team).
    pub fingerprint: String,
    /// Credits it spent.
    pub credits: i64,
    /// Profiles it brought.
    pub profiles: i64,
}

impl Queued {
    /// Queues this entry inside `connection`'s open transaction (the one keeping the people).
    pub(crate) fn queue(&self, connection: &Connection) -> Result<(), rusqlite::Error> {
        connection.execute(
            "INSERT OR IGNORE INTO team_outbox (collection, job_id, dataset, who, at, name, \
                 fingerprint, credits, profiles, queued_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                self.collection,
                self.job,
                self.dataset,
                self.who,
                self.at,
                self.name,
                self.fingerprint,
                self.credits,
                self.profiles,
                crate::store::now_text()
            ],
        )?;
        Ok(())
    }
}

/// Every entry waiting, oldest first.
pub(super) fn pending(store: &Store) -> Result<Vec<Queued>, TeamError> {
    let connection = store.lock();
    let mut select = connection.prepare_cached(
        "SELECT collection, job_id, dataset, who, at, name, fingerprint, credits, profiles
         FROM team_outbox ORDER BY queued_at, collection",
    )?;
    let rows = select.query_map([], |row| {
        Ok(Queued {
            collection: row.get(0)?,
            job: row.get(1)?,
            dataset: row.get(2)?,
            who: row.get(3)?,
            at: row.get(4)?,
            name: row.get(5)?,
            fingerprint: row.get(6)?,
            credits: row.get(7)?,
            profiles: row.get(8)?,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// How many entries wait, and how many people they hold.
pub(super) fn size(store: &Store) -> Result<(u64, u64), TeamError> {
    let (entries, people): (i64, i64) = store.lock().query_row(
        "SELECT count(*), coalesce(sum(profiles), 0) FROM team_outbox",
        [],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    Ok((entries.unsigned_abs(), people.unsigned_abs()))
}

/// A person as published: id, packed record, `last_updated`.
pub(super) type Person = (i64, Vec<u8>, Option<String>);

/// The next people of `entry` after id `after`, at most [`CHUNK`], by id.
pub(super) fn people_after(
    store: &Store,
    entry: &Queued,
    after: i64,
) -> Result<Vec<Person>, TeamError> {
    let connection = store.lock();
    let mut select = connection.prepare_cached(
        "SELECT people.id, people.record, people.last_updated
         FROM job_people JOIN people
           ON people.dataset = job_people.dataset AND people.id = job_people.person_id
         WHERE job_people.job_id = ?1 AND job_people.dataset = ?2 AND job_people.person_id > ?3
         ORDER BY job_people.person_id LIMIT ?4",
    )?;
    let rows = select.query_map(
        params![entry.job, entry.dataset, after, CHUNK as i64],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
    )?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Removes `collection` from the outbox: the server holds it.
pub(super) fn delivered(store: &Store, collection: &str) -> Result<(), TeamError> {
    store.lock().execute(
        "DELETE FROM team_outbox WHERE collection = ?1",
        [collection],
    )?;
    Ok(())
}

/// Notes on `collection` why it could not be sent this time.
pub(super) fn not_sent(store: &Store, collection: &str, reason: &str) -> Result<(), TeamError> {
    store.lock().execute(
        "UPDATE team_outbox SET tries = tries + 1, last_error = ?2 WHERE collection = ?1",
        params![collection, reason],
    )?;
    Ok(())
}

/// The last failure noted on any entry, if one waits.
pub(super) fn last_failure(store: &Store) -> Result<Option<String>, TeamError> {
    Ok(store
        .lock()
        .query_row(
            "SELECT last_error FROM team_outbox WHERE last_error IS NOT NULL
             ORDER BY queued_at DESC LIMIT 1",
            [],
            |row| row.get(0),
        )
        .optional()?)
}
