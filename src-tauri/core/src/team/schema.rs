//! The team library's tables, created and migrated by the app. Each migration is numbered and
//! recorded in `team_schema_version`; all run in one transaction under an advisory lock, so that
//! two colleagues starting together both succeed and each migration runs once.

use tokio_postgres::Client;

use super::connect::failed;
use super::TeamError;

/// The advisory lock every migration takes (any fixed number; "bulkcoll" in ASCII).
const MIGRATION_LOCK: i64 = 0x62_75_6c_6b_63_6f_6c_6c;

/// Every migration, in order: index + 1 is the version it produces. Never edit a shipped one.
const MIGRATIONS: &[&str] = &[
    // 1: people (the newest copy of each, packed as the app packs it: zstd JSON), and the
    // collections that brought them, for the team's ledger per person and month.
    r#"
    CREATE TABLE people (
        dataset           text NOT NULL,
        id                bigint NOT NULL,
        record            bytea NOT NULL,
        last_updated      text,
        first_by          text NOT NULL,
        first_at          timestamptz NOT NULL,
        first_collection  uuid NOT NULL,
        last_by           text NOT NULL,
        last_at           timestamptz NOT NULL,
        last_collection   uuid NOT NULL,
        PRIMARY KEY (dataset, id)
    );
    CREATE TABLE collections (
        id           uuid PRIMARY KEY,
        who          text NOT NULL,
        at           timestamptz NOT NULL,
        name         text NOT NULL,
        dataset      text NOT NULL,
        fingerprint  text NOT NULL,
        credits      bigint NOT NULL,
        profiles     bigint NOT NULL,
        published_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX collections_by_fingerprint ON collections (fingerprint);
    CREATE INDEX collections_by_month ON collections (at, who);
    "#,
];

/// The newest version this build knows.
pub(super) const LATEST: i32 = MIGRATIONS.len() as i32;

/// Brings the server's tables to [`LATEST`]; a server already there costs one read.
pub(super) async fn migrate(client: &mut Client) -> Result<(), TeamError> {
    let transaction = client.transaction().await.map_err(failed)?;
    transaction
        .execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await
        .map_err(failed)?;
    transaction
        .batch_execute(
            "CREATE TABLE IF NOT EXISTS team_schema_version (
                 version integer PRIMARY KEY,
                 at      timestamptz NOT NULL DEFAULT now()
             )",
        )
        .await
        .map_err(failed)?;
    let found: i32 = transaction
        .query_one(
            "SELECT coalesce(max(version), 0) FROM team_schema_version",
            &[],
        )
        .await
        .map_err(failed)?
        .get(0);
    if found > LATEST {
        return Err(TeamError::TooNew {
            found,
            known: LATEST,
        });
    }
    for (index, migration) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let version = index as i32 + 1;
        transaction.batch_execute(migration).await.map_err(failed)?;
        transaction
            .execute(
                "INSERT INTO team_schema_version (version) VALUES ($1)",
                &[&version],
            )
            .await
            .map_err(failed)?;
    }
    transaction.commit().await.map_err(failed)
}
