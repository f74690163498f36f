//! Putting a downloaded job's people into the library: every line of its files read once, the
//! people written in transactions of [`BATCH`], a person already held keeping when and by which job
//! it was first collected.

use std::ops::ControlFlow;
use std::path::PathBuf;

use rusqlite::{params, OptionalExtension};

use crate::export::source::for_each_line;
use crate::store::now_text;

use super::record::{changed_fields, unpack, Line, Reader, Stored};
use super::{Library, LibraryError};

/// A held person's copy, current title and company, `last_updated` and when last collected.
type Held = (
    Vec<u8>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
);

/// People written per transaction: the database is held for a moment, never for a whole job.
const BATCH: usize = 1_000;

/// What [`Library::ingest`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Ingested {
    /// Records written (a person listed twice counts twice: the last copy stays).
    pub people: u64,
    /// Lines skipped: not a JSON object, or without a whole-number id.
    pub skipped: u64,
}

impl Library {
    /// Puts every person of job `job`'s downloaded `files` (gzip JSON Lines, or plain) into
    /// `dataset`'s library: a new person is added; one already held gets this copy, its
    /// `last_updated`, and this job as the last to collect it, unless the copy held is newer (an
    /// earlier job read again), and what the newer copy changed is recorded
    /// ([`Library::changes_by`]). Every person is noted as delivered by `job`
    /// ([`Library::delivered`]). Running it again for the same job changes only when it was last
    /// collected. Blocking: call it off the async workers.
    pub fn ingest(
        &self,
        dataset: &str,
        job: i64,
        files: &[PathBuf],
    ) -> Result<Ingested, LibraryError> {
        self.ingest_collected(dataset, job, files, &now_text())
    }

    /// [`Library::ingest`] of people collected `at` (RFC 3339, as the database writes it): a
    /// person already held from a later collection keeps that one as the last, and takes this one
    /// as the first if it is earlier (the import of earlier downloads). The job is recorded as
    /// done in `library_imports` with the last batch.
    pub fn ingest_collected(
        &self,
        dataset: &str,
        job: i64,
        files: &[PathBuf],
        at: &str,
    ) -> Result<Ingested, LibraryError> {
        self.ingest_queued(dataset, job, files, at, None)
    }

    /// [`Library::ingest_collected`] that also queues the job for the team library
    /// ([`crate::team`]) in the transaction of its last batch: `queue` makes the outbox entry from
    /// the number of people kept. A kill before that commit keeps neither; after it, both.
    pub fn ingest_queued(
        &self,
        dataset: &str,
        job: i64,
        files: &[PathBuf],
        at: &str,
        queue: Option<&dyn Fn(u64) -> crate::team::Queued>,
    ) -> Result<Ingested, LibraryError> {
        let mut reader = Reader::new()?;
        let now = at;
        let mut done = Ingested::default();
        let mut batch = Vec::with_capacity(BATCH);
        let mut failed = None;
        for_each_line(files, |_, _, line| {
            match reader.read(line) {
                Ok(Line::Person(person)) => batch.push(person),
                Ok(Line::Skipped) => done.skipped += 1,
                Err(error) => {
                    failed = Some(error);
                    return Ok(ControlFlow::Break(()));
                }
            }
            if batch.len() >= BATCH {
                if let Err(error) = self.write(dataset, job, now, &batch, None, None) {
                    failed = Some(error);
                    return Ok(ControlFlow::Break(()));
                }
                done.people += batch.len() as u64;
                batch.clear();
            }
            Ok(ControlFlow::Continue(()))
        })?;
        if let Some(error) = failed {
            return Err(error);
        }
        done.people += batch.len() as u64;
        let queued = queue.map(|make| make(done.people));
        self.write(
            dataset,
            job,
            now,
            &batch,
            Some(done.people),
            queued.as_ref(),
        )?;
        Ok(done)
    }

    /// Writes `people` in one transaction; with `finished` (the job's people in all), also that
    /// the job is in the library, and `queued` in the team library's outbox.
    fn write(
        &self,
        dataset: &str,
        job: i64,
        now: &str,
        people: &[Stored],
        finished: Option<u64>,
        queued: Option<&crate::team::Queued>,
    ) -> Result<(), LibraryError> {
        if people.is_empty() && finished.is_none() {
            return Ok(());
        }
        let mut connection = self.store.lock();
        let transaction =
            connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        {
            let mut held = transaction.prepare_cached(
                "SELECT record, title, company, last_updated, last_collected_at FROM people \
                 WHERE dataset = ?1 AND id = ?2",
            )?;
            let mut changed = transaction.prepare_cached(
                "INSERT INTO library_changes (dataset, person_id, job_id, at, old_title, \
                     old_company, new_title, new_company, fields)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?;
            let mut delivered = transaction.prepare_cached(
                "INSERT OR IGNORE INTO job_people (job_id, dataset, person_id) VALUES (?1, ?2, ?3)",
            )?;
            let mut upsert = transaction.prepare_cached(
                "INSERT INTO people (dataset, id, record, last_updated, name, title, company, \
                     country, first_job, first_collected_at, last_job, last_collected_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?9, ?10)
                 ON CONFLICT (dataset, id) DO UPDATE SET
                     record = iif(?11, excluded.record, people.record),
                     last_updated = iif(?11, excluded.last_updated, people.last_updated),
                     name = iif(?11, excluded.name, people.name),
                     title = iif(?11, excluded.title, people.title),
                     company = iif(?11, excluded.company, people.company),
                     country = iif(?11, excluded.country, people.country),
                     last_job = iif(?11, excluded.last_job, people.last_job),
                     last_collected_at = iif(?11, excluded.last_collected_at, people.last_collected_at),
                     first_job = iif(excluded.first_collected_at < people.first_collected_at, excluded.first_job, people.first_job),
                     first_collected_at = iif(excluded.first_collected_at < people.first_collected_at, excluded.first_collected_at, people.first_collected_at)",
            )?;
            for person in people {
                let before: Option<Held> = held
                    .query_row(params![dataset, person.id], |row| {
                        Ok((
                            row.get(0)?,
                            row.get(1)?,
                            row.get(2)?,
                            row.get(3)?,
                            row.get(4)?,
                        ))
                    })
                    .optional()?;
                delivered.execute(params![job, dataset, person.id])?;
                // This copy replaces the one held only if it is at least as new: by when it was
                // collected (the import of an earlier download is not) and by the service's
                // `last_updated` (an earlier job's files read again are not).
                let newer = before.as_ref().is_none_or(|(.., updated, collected)| {
                    now >= collected.as_str()
                        && !matches!((updated, &person.last_updated), (Some(held), Some(new)) if new < held)
                });
                if let Some((copy, title, company, ..)) =
                    before.filter(|(copy, ..)| newer && *copy != person.record)
                {
                    let fields = changed_fields(&unpack(&copy)?, &person.line);
                    if !fields.is_empty() {
                        let fields = serde_json::to_string(&fields).unwrap_or_default();
                        changed.execute(params![
                            dataset,
                            person.id,
                            job,
                            now,
                            title,
                            company,
                            person.title,
                            person.company,
                            fields,
                        ])?;
                    }
                }
                upsert.execute(params![
                    dataset,
                    person.id,
                    person.record,
                    person.last_updated,
                    person.name,
                    person.title,
                    person.company,
                    person.country,
                    job,
                    now,
                    newer,
                ])?;
            }
        }
        if let Some(people) = finished {
            transaction.execute(
                "INSERT INTO library_imports (job_id, at, people, note) VALUES (?1, ?2, ?3, NULL)
                 ON CONFLICT (job_id) DO UPDATE SET at = excluded.at, people = excluded.people,
                     note = NULL",
                params![job, now_text(), i64::try_from(people).unwrap_or(i64::MAX)],
            )?;
            if let Some(queued) = queued {
                queued.queue(&transaction)?;
            }
        }
        transaction.commit()?;
        Ok(())
    }
}
