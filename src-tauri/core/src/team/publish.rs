//! Publishing one outbox entry in one server transaction: the collection inserted by its uuid
//! (already there: it was published, only the local delete was lost), its people COPied in binary
//! into a staging table, then upserted keeping the newest `last_updated`. The entry leaves the
//! outbox only after the commit.

use std::pin::pin;

use tokio_postgres::binary_copy::BinaryCopyInWriter;
use tokio_postgres::types::Type;
use tokio_postgres::Client;

use crate::store::Store;

use super::connect::failed;
use super::outbox::{self, Queued};
use super::TeamError;

/// How long one entry's transaction may run on the server (100,000 people take a few seconds).
const PUBLISH_TIMEOUT_MS: u32 = 120_000;

/// How long this side waits for one entry, whatever the server does: its own limit, plus a
/// margin. A server gone silent (its connection neither answering nor closed) runs no limit.
pub(super) const SEND_BUDGET: std::time::Duration =
    std::time::Duration::from_millis(PUBLISH_TIMEOUT_MS as u64 + 15_000);

/// What a round of publishing did.
#[derive(ts_rs::TS, Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[ts(export)]
pub struct Published {
    /// Collections the server took (or already had).
    #[ts(type = "number")]
    pub collections: u64,
    /// People sent with them.
    #[ts(type = "number")]
    pub people: u64,
}

/// The upsert from the staging table, in id order (two colleagues publishing the same people
/// lock them in the same order, so neither waits on the other in a cycle). A held copy is
/// replaced only by a newer `last_updated`; who collected it first never changes.
const UPSERT: &str = "
    INSERT INTO people AS held (dataset, id, record, last_updated, first_by, first_at,
        first_collection, last_by, last_at, last_collection)
    SELECT $1, id, record, last_updated, $2, $3::text::timestamptz, $4::text::uuid,
        $2, $3::text::timestamptz, $4::text::uuid
    FROM team_staging ORDER BY id
    ON CONFLICT (dataset, id) DO UPDATE SET
        record = excluded.record,
        last_updated = excluded.last_updated,
        last_by = excluded.last_by,
        last_at = excluded.last_at,
        last_collection = excluded.last_collection
    WHERE excluded.last_updated > held.last_updated
       OR (held.last_updated IS NULL AND excluded.last_updated IS NOT NULL)";

/// Sends `entry` in one transaction and, once committed, deletes it from the outbox. Returns the
/// people sent (0 when the server already had the collection).
pub(super) async fn send(
    client: &mut Client,
    store: &Store,
    entry: &Queued,
) -> Result<u64, TeamError> {
    let transaction = client.transaction().await.map_err(failed)?;
    transaction
        .batch_execute(&format!(
            "SET LOCAL statement_timeout = {PUBLISH_TIMEOUT_MS}"
        ))
        .await
        .map_err(failed)?;
    let inserted = transaction
        .execute(
            "INSERT INTO collections (id, who, at, name, dataset, fingerprint, credits, profiles)
             VALUES ($1::text::uuid, $2, $3::text::timestamptz, $4, $5, $6, $7, $8)
             ON CONFLICT (id) DO NOTHING",
            &[
                &entry.collection,
                &entry.who,
                &entry.at,
                &entry.name,
                &entry.dataset,
                &entry.fingerprint,
                &entry.credits,
                &entry.profiles,
            ],
        )
        .await
        .map_err(failed)?;
    let mut sent = 0;
    if inserted == 1 {
        transaction
            .batch_execute(
                "CREATE TEMP TABLE team_staging (id bigint, record bytea, last_updated text)
                 ON COMMIT DROP",
            )
            .await
            .map_err(failed)?;
        let sink = transaction
            .copy_in("COPY team_staging (id, record, last_updated) FROM STDIN BINARY")
            .await
            .map_err(failed)?;
        let mut writer = pin!(BinaryCopyInWriter::new(
            sink,
            &[Type::INT8, Type::BYTEA, Type::TEXT]
        ));
        let mut after = i64::MIN;
        loop {
            let (reader, queued) = (store.clone(), entry.clone());
            let chunk =
                tokio::task::spawn_blocking(move || outbox::people_after(&reader, &queued, after))
                    .await
                    .map_err(|error| TeamError::Local(error.to_string()))??;
            let Some(last) = chunk.last().map(|(id, ..)| *id) else {
                break;
            };
            for (id, record, last_updated) in &chunk {
                writer
                    .as_mut()
                    .write(&[id, record, last_updated])
                    .await
                    .map_err(failed)?;
            }
            sent += chunk.len() as u64;
            after = last;
        }
        writer.as_mut().finish().await.map_err(failed)?;
        transaction
            .execute(
                UPSERT,
                &[&entry.dataset, &entry.who, &entry.at, &entry.collection],
            )
            .await
            .map_err(failed)?;
    }
    crate::test_seams::kill_point("team.before_commit");
    transaction.commit().await.map_err(failed)?;
    outbox::delivered(store, &entry.collection)?;
    Ok(sent)
}
