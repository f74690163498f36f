//! Schema migrations: numbered, each applied in its own transaction, recorded in `user_version`.

use rusqlite::Connection;

use super::{StoreError, StoreResult};

/// Every migration, in order. Index + 1 is the schema version it produces. Never edit a shipped one.
const MIGRATIONS: &[&str] = &[
    // 1: jobs, their files, the audit trail, settings.
    r#"
    CREATE TABLE jobs (
        id                  INTEGER PRIMARY KEY,
        mode                TEXT NOT NULL CHECK (mode IN ('live', 'practice')),
        name                TEXT NOT NULL,
        kind                TEXT NOT NULL CHECK (kind IN ('es_dsl', 'id_file')),
        state               TEXT NOT NULL,
        state_reason        TEXT,
        query_json          TEXT,
        query_limit         INTEGER,
        ids_text            TEXT,
        ids_count           INTEGER,
        source_file         TEXT,
        webhook_url         TEXT,
        fingerprint         TEXT NOT NULL,
        request_id          TEXT,
        estimated_records   INTEGER,
        credits_per_record  INTEGER NOT NULL,
        download_dir        TEXT NOT NULL,
        created_at          TEXT NOT NULL,
        submitted_at        TEXT,
        updated_at          TEXT NOT NULL,
        next_poll_at        TEXT,
        poll_count          INTEGER NOT NULL DEFAULT 0,
        error_code          TEXT
    );
    CREATE INDEX jobs_by_mode_state ON jobs (mode, state);
    CREATE INDEX jobs_by_fingerprint ON jobs (fingerprint);

    CREATE TABLE job_files (
        id           INTEGER PRIMARY KEY,
        job_id       INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        position     INTEGER NOT NULL,
        server_name  TEXT NOT NULL,
        local_name   TEXT NOT NULL,
        state        TEXT NOT NULL,
        bytes        INTEGER,
        records      INTEGER,
        path         TEXT,
        error        TEXT,
        updated_at   TEXT NOT NULL,
        UNIQUE (job_id, server_name)
    );

    CREATE TABLE job_events (
        id           INTEGER PRIMARY KEY,
        job_id       INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        at           TEXT NOT NULL,
        kind         TEXT NOT NULL,
        from_state   TEXT,
        to_state     TEXT,
        http_status  INTEGER,
        detail       TEXT NOT NULL
    );
    CREATE INDEX job_events_by_job ON job_events (job_id, id);

    CREATE TABLE settings (
        key    TEXT PRIMARY KEY,
        value  TEXT NOT NULL
    );
    "#,
];

/// The newest schema version this build knows.
#[cfg(test)]
const LATEST: i64 = MIGRATIONS.len() as i64;

/// Brings the database to [`LATEST`], one transaction per migration; refuses a newer database.
pub fn migrate(connection: &mut Connection) -> StoreResult<()> {
    apply(connection, MIGRATIONS)
}

fn apply(connection: &mut Connection, migrations: &[&str]) -> StoreResult<()> {
    let known = migrations.len() as i64;
    let found: i64 = connection.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if found > known {
        return Err(StoreError::TooNew { found, known });
    }
    for (index, sql) in migrations.iter().enumerate().skip(found as usize) {
        let version = index as i64 + 1;
        let transaction = connection.transaction()?;
        transaction.execute_batch(sql)?;
        transaction.pragma_update(None, "user_version", version)?;
        transaction.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_a_new_database_to_the_latest_version() {
        let mut connection = Connection::open_in_memory().unwrap();
        migrate(&mut connection).unwrap();
        let version: i64 = connection
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .unwrap();
        assert_eq!(version, LATEST);
        // Running again is a no-op.
        migrate(&mut connection).unwrap();
        let tables: i64 = connection
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('jobs', 'job_files', 'job_events', 'settings')",
                [],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(tables, 4);
    }

    #[test]
    fn refuses_a_database_from_a_newer_app() {
        let mut connection = Connection::open_in_memory().unwrap();
        connection
            .pragma_update(None, "user_version", LATEST + 1)
            .unwrap();
        let error = migrate(&mut connection).unwrap_err();
        assert!(
            matches!(error, StoreError::TooNew { found, known } if found == LATEST + 1 && known == LATEST)
        );
    }

    #[test]
    fn a_failing_migration_is_rolled_back_whole() {
        let mut connection = Connection::open_in_memory().unwrap();
        let migrations = [
            "CREATE TABLE first (x);",
            "CREATE TABLE half (x); THIS IS NOT SQL;",
        ];
        assert!(apply(&mut connection, &migrations).is_err());
        let version: i64 = connection
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .unwrap();
        assert_eq!(version, 1, "the first migration stays applied");
        let half: i64 = connection
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'half'",
                [],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(half, 0, "nothing of the failed migration remains");
    }
}
