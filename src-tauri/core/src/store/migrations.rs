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
    // 2: quotes (a confirmed price is spent once), leases (which process owns a job's submission or
    // downloads), and what a job needs for them.
    r#"
    CREATE TABLE quotes (
        id                  INTEGER PRIMARY KEY,
        mode                TEXT NOT NULL CHECK (mode IN ('live', 'practice')),
        kind                TEXT NOT NULL CHECK (kind IN ('es_dsl', 'id_file')),
        name                TEXT NOT NULL,
        query_json          TEXT,
        query_limit         INTEGER,
        ids_text            TEXT,
        ids_count           INTEGER,
        source_file         TEXT,
        webhook_url         TEXT,
        fingerprint         TEXT NOT NULL,
        matches             INTEGER NOT NULL,
        records             INTEGER NOT NULL,
        credits             INTEGER NOT NULL,
        credits_per_record  INTEGER NOT NULL,
        balance             INTEGER,
        earlier_jobs        TEXT NOT NULL DEFAULT '[]',
        replaces_job        INTEGER REFERENCES jobs (id),
        created_at          TEXT NOT NULL,
        expires_at          TEXT NOT NULL,
        spent_at            TEXT,
        job_id              INTEGER REFERENCES jobs (id)
    );
    ALTER TABLE jobs ADD COLUMN quote_id INTEGER REFERENCES quotes (id);
    ALTER TABLE jobs ADD COLUMN poll_failures INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE jobs ADD COLUMN request_attached INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE jobs ADD COLUMN export_path TEXT;
    CREATE UNIQUE INDEX jobs_by_quote ON jobs (quote_id) WHERE quote_id IS NOT NULL;
    CREATE INDEX jobs_by_mode_update ON jobs (mode, updated_at);
    CREATE INDEX jobs_by_mode_id ON jobs (mode, id);

    CREATE TABLE leases (
        resource    TEXT PRIMARY KEY,
        owner       TEXT NOT NULL,
        label       TEXT NOT NULL,
        pid         INTEGER NOT NULL,
        expires_ms  INTEGER NOT NULL
    );
    "#,
    // 3: collections: an ID list over the service's 10,000 cap, quoted once, sent as batches (child
    // jobs of one parent row).
    r#"
    ALTER TABLE quotes ADD COLUMN batches INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE jobs ADD COLUMN parent_id INTEGER REFERENCES jobs (id);
    ALTER TABLE jobs ADD COLUMN batch_index INTEGER;
    CREATE INDEX jobs_by_parent ON jobs (parent_id, batch_index) WHERE parent_id IS NOT NULL;
    "#,
    // 4: saved searches (both modes see them: a search costs nothing until it is sent).
    r#"
    CREATE TABLE saved_searches (
        id           INTEGER PRIMARY KEY,
        name         TEXT NOT NULL,
        query_text   TEXT NOT NULL,
        query_limit  INTEGER CHECK (query_limit IS NULL OR query_limit BETWEEN 1 AND 10000),
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL
    );
    CREATE INDEX saved_searches_by_name ON saved_searches (name COLLATE NOCASE);
    "#,
    // 5: money: the balance seen before each job's POST and after its delivery (what it spent, and
    // what a profile really costs), the previews paid for, and where a quote's figure came from.
    r#"
    CREATE TABLE job_credits (
        job_id             INTEGER PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
        balance_before     INTEGER,
        balance_before_at  TEXT,
        balance_after      INTEGER,
        balance_after_at   TEXT,
        records            INTEGER,
        spent              INTEGER
    );
    CREATE TABLE previews (
        id              INTEGER PRIMARY KEY,
        mode            TEXT NOT NULL CHECK (mode IN ('live', 'practice')),
        at              TEXT NOT NULL,
        credits_quoted  INTEGER NOT NULL,
        balance_before  INTEGER,
        balance_after   INTEGER,
        people          INTEGER NOT NULL
    );
    CREATE INDEX previews_by_mode_at ON previews (mode, at);
    ALTER TABLE quotes ADD COLUMN credits_basis TEXT;
    "#,
    // 6 (leases): a lease's holder is told alive by its process (pid, start time, boot, machine),
    // and every grant carries a generation that only grows per resource, kept across releases in
    // `lease_generations`. Rows from before have no machine: their expiry decides, as it did.
    r#"
    ALTER TABLE leases ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE leases ADD COLUMN started INTEGER;
    ALTER TABLE leases ADD COLUMN boot_id TEXT;
    ALTER TABLE leases ADD COLUMN machine_id TEXT;
    CREATE TABLE lease_generations (
        resource    TEXT PRIMARY KEY,
        generation  INTEGER NOT NULL
    );
    "#,
    // 7 (library): the people library. The latest copy of every person downloaded (the JSON line,
    // zstd-compressed), by dataset and id, with the columns a search reads and when (and by which
    // job) they were first and last collected. Jobs are not foreign keys: people outlive a deleted
    // job. `library_events` keeps that a person was forgotten: when, and whom by id, nothing more.
    r#"
    CREATE TABLE people (
        dataset             TEXT NOT NULL,
        id                  INTEGER NOT NULL,
        record              BLOB NOT NULL,
        last_updated        TEXT,
        name                TEXT,
        title               TEXT,
        company             TEXT,
        country             TEXT,
        first_job           INTEGER NOT NULL,
        first_collected_at  TEXT NOT NULL,
        last_job            INTEGER NOT NULL,
        last_collected_at   TEXT NOT NULL,
        PRIMARY KEY (dataset, id)
    );
    CREATE TABLE library_events (
        id         INTEGER PRIMARY KEY,
        at         TEXT NOT NULL,
        kind       TEXT NOT NULL,
        dataset    TEXT NOT NULL,
        person_id  INTEGER NOT NULL
    );
    "#,
    // 8 (net-new quotes, what changed): what a quote was asked to buy (everyone, or only people
    // not in the library), and for a net-new purchase the search whose matches were split, the
    // counts, and every matched person with where they stood, in match order (the spreadsheet
    // holds them all); the collection an update refreshes. Which people each job delivered, and
    // what changed in a person's copy when a job brought a newer one. A covering index answers
    // "which of these 10,000 are held, with their dates" without reading the copies' pages.
    r#"
    ALTER TABLE quotes ADD COLUMN updates_job INTEGER;
    ALTER TABLE quotes ADD COLUMN held_again INTEGER;
    ALTER TABLE quotes ADD COLUMN library_note TEXT;
    CREATE TABLE job_people (
        job_id     INTEGER NOT NULL,
        dataset    TEXT NOT NULL,
        person_id  INTEGER NOT NULL,
        PRIMARY KEY (job_id, person_id)
    ) WITHOUT ROWID;
    CREATE INDEX job_people_by_person ON job_people (dataset, person_id);
    CREATE TABLE library_changes (
        id           INTEGER PRIMARY KEY,
        dataset      TEXT NOT NULL,
        person_id    INTEGER NOT NULL,
        job_id       INTEGER NOT NULL,
        at           TEXT NOT NULL,
        old_title    TEXT,
        old_company  TEXT,
        new_title    TEXT,
        new_company  TEXT,
        fields       TEXT NOT NULL
    );
    CREATE INDEX library_changes_by_job ON library_changes (job_id);
    CREATE INDEX library_changes_by_person ON library_changes (dataset, person_id);
    CREATE INDEX people_held ON people (dataset, id, last_updated, last_collected_at);
    ALTER TABLE quotes ADD COLUMN purchase TEXT NOT NULL DEFAULT 'everyone'
        CHECK (purchase IN ('everyone', 'new_only'));
    ALTER TABLE quotes ADD COLUMN origin_query TEXT;
    ALTER TABLE quotes ADD COLUMN origin_limit INTEGER;
    ALTER TABLE quotes ADD COLUMN new_people INTEGER;
    ALTER TABLE quotes ADD COLUMN changed_people INTEGER;
    ALTER TABLE quotes ADD COLUMN held_people INTEGER;
    CREATE TABLE quote_people (
        quote_id   INTEGER NOT NULL REFERENCES quotes (id) ON DELETE CASCADE,
        position   INTEGER NOT NULL,
        person_id  INTEGER NOT NULL,
        standing   TEXT NOT NULL CHECK (standing IN ('new', 'changed', 'held')),
        PRIMARY KEY (quote_id, position)
    ) WITHOUT ROWID;
    "#,
    // 9 (deleting collections, importing earlier downloads): a deleted job keeps its row, so the
    // credit ledger and "collected before" still count it; only the list hides it.
    // `library_imports` says whose people went into the library (or why not), so the import of
    // earlier downloads runs once per job; jobs that already have people there count as done.
    r#"
    ALTER TABLE jobs ADD COLUMN deleted_at TEXT;
    CREATE TABLE library_imports (
        job_id  INTEGER PRIMARY KEY,
        at      TEXT NOT NULL,
        people  INTEGER,
        note    TEXT
    );
    INSERT OR IGNORE INTO library_imports (job_id, at, people)
        SELECT first_job, first_collected_at, NULL FROM people
        UNION SELECT last_job, last_collected_at, NULL FROM people
        UNION SELECT DISTINCT job_id, '', NULL FROM job_people;
    "#,
    // 10 (lists people hold): a list read from the person's file keeps its columns and, for each
    // row, the person it was found to be (or why not), so that the spreadsheet joins their own
    // columns (a CRM id, notes) to the collected data. A quote made from a list names it.
    r#"
    CREATE TABLE lists (
        id           INTEGER PRIMARY KEY,
        mode         TEXT NOT NULL,
        source       TEXT NOT NULL,
        column_name  TEXT NOT NULL,
        columns_json TEXT NOT NULL,
        created_at   TEXT NOT NULL
    );
    CREATE TABLE list_rows (
        list_id    INTEGER NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
        row        INTEGER NOT NULL,
        person_id  INTEGER,
        cells_json TEXT NOT NULL,
        note       TEXT,
        PRIMARY KEY (list_id, row)
    ) WITHOUT ROWID;
    ALTER TABLE quotes ADD COLUMN list_id INTEGER REFERENCES lists (id);
    "#,
    // 11 (the team library): the outbox of collections kept in the people library and not yet
    // published to the team's server. An entry is queued in the transaction that keeps its
    // people, and deleted once the server committed them; its people are read from the library
    // (`job_people`) when it is sent.
    r#"
    CREATE TABLE team_outbox (
        collection   TEXT PRIMARY KEY,
        job_id       INTEGER NOT NULL,
        dataset      TEXT NOT NULL,
        who          TEXT NOT NULL,
        at           TEXT NOT NULL,
        name         TEXT NOT NULL,
        fingerprint  TEXT NOT NULL,
        credits      INTEGER NOT NULL,
        profiles     INTEGER NOT NULL,
        queued_at    TEXT NOT NULL,
        tries        INTEGER NOT NULL DEFAULT 0,
        last_error   TEXT
    );
    "#,
];

/// The newest schema version this build knows.
#[cfg(test)]
const LATEST: i64 = MIGRATIONS.len() as i64;

/// Brings the database to [`LATEST`] in one `BEGIN IMMEDIATE` transaction, reading the version
/// inside it, so that an app and a CLI starting together on a new database both succeed (the second
/// waits for the first, then finds nothing to do). Refuses a newer database.
pub fn migrate(connection: &mut Connection) -> StoreResult<()> {
    apply(connection, MIGRATIONS)
}

fn apply(connection: &mut Connection, migrations: &[&str]) -> StoreResult<()> {
    let known = migrations.len() as i64;
    let transaction =
        connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let found: i64 = transaction.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if found > known {
        return Err(StoreError::TooNew { found, known });
    }
    for sql in migrations.iter().skip(found as usize) {
        transaction.execute_batch(sql)?;
    }
    if found < known {
        transaction.pragma_update(None, "user_version", known)?;
    }
    transaction.commit()?;
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
    fn three_processes_opening_a_new_database_together_all_succeed() {
        // Many rounds: "database is locked" at the switch to WAL came once in a few hundred.
        for round in 0..50 {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("new.sqlite3");
            let start = std::sync::Arc::new(std::sync::Barrier::new(3));
            let openers: Vec<_> = (0..3)
                .map(|_| {
                    let (path, start) = (path.clone(), start.clone());
                    std::thread::spawn(move || {
                        start.wait();
                        crate::store::Store::open(&path).map(|_| ())
                    })
                })
                .collect();
            for opener in openers {
                opener
                    .join()
                    .unwrap()
                    .unwrap_or_else(|error| panic!("round {round}: {error}"));
            }
            let connection = Connection::open(&path).unwrap();
            let version: i64 = connection
                .query_row("PRAGMA user_version", [], |row| row.get(0))
                .unwrap();
            assert_eq!(version, LATEST);
        }
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
        assert_eq!(version, 0, "all pending migrations run in one transaction");
        let half: i64 = connection
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'half'",
                [],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(half, 0, "nothing of the failed migration remains");
        let first: i64 = connection
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'first'",
                [],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(first, 0, "the upgrade is all or nothing");
    }
}
