//! People changed over time by the tests: a record changed (a new job, a new name, …), a person
//! the service no longer has, a person who joined or left the searchable corpus. Generated records
//! stay pure functions of `(seed, id)`; this overlay says where the service differs from them, and
//! search, preview and delivery all read through it (see [`Overlay`]).

mod change;

pub(crate) use change::Day;

use crate::corpus::{employee, id_exists, Corpus, Employee};
use crate::persist::SavedPerson;
use crate::state::Shared;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

/// A person as the control calls show them ([`crate::Simulator::person`], `GET /_sim/people/{id}`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Person {
    /// The record's id.
    pub id: u64,
    /// Whether searches, previews and ES DSL requests find them (ID files always do).
    pub in_corpus: bool,
    /// Whether a control call changed the record (false: as generated).
    pub changed: bool,
    /// The record, as a data request delivers it now.
    pub record: Value,
}

/// Why a change was refused.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ChangeError {
    /// The id cannot exist (0, or ten digits or more).
    NoSuchId,
    /// The body is not a valid change; the text says why.
    Invalid(String),
}

/// One person who differs from the generated service.
#[derive(Clone, Debug)]
struct Entry {
    /// The current record; `None` once deleted.
    record: Option<Arc<Employee>>,
    /// Whether a change was applied to the generated record.
    changed: bool,
    /// Whether the searchable corpus holds them.
    in_corpus: bool,
}

/// What search, preview and delivery see of the changed people: a snapshot, cheap to clone.
#[derive(Clone, Debug, Default)]
pub(crate) struct Overlay(Arc<BTreeMap<u64, Entry>>);

impl Overlay {
    /// Whether the service has a record with this id (it exists and was not deleted).
    pub(crate) fn exists(&self, id: u64) -> bool {
        id_exists(id) && self.0.get(&id).is_none_or(|e| e.record.is_some())
    }

    /// The record delivered for `id`, `None` when the service does not have it.
    pub(crate) fn record(&self, seed: u64, id: u64) -> Option<Cow<'_, Employee>> {
        match self.0.get(&id) {
            Some(e) => e.record.as_deref().map(Cow::Borrowed),
            None => id_exists(id).then(|| Cow::Owned(employee(seed, id))),
        }
    }

    /// The searchable records, ascending by id: the corpus with changed people in their changed
    /// form, without the deleted or removed ones, with the added ones.
    pub(crate) fn searchable<'a>(&'a self, records: &'a [Employee]) -> Vec<&'a Employee> {
        let mut out: Vec<&Employee> = records
            .iter()
            .filter_map(|r| match self.0.get(&r.id) {
                None => Some(r),
                Some(e) if e.in_corpus => e.record.as_deref(),
                Some(_) => None,
            })
            .collect();
        let before = out.len();
        out.extend(self.0.iter().filter_map(|(id, e)| {
            let added = e.in_corpus && records.binary_search_by_key(id, |r| r.id).is_err();
            e.record.as_deref().filter(|_| added)
        }));
        if out.len() > before {
            out.sort_by_key(|r| r.id);
        }
        out
    }
}

/// The people who differ from the generated service, shared by every call.
#[derive(Default)]
pub(crate) struct People {
    entries: Mutex<Overlay>,
}

fn in_base(corpus: &Corpus, id: u64) -> bool {
    corpus.records.binary_search_by_key(&id, |r| r.id).is_ok()
}

impl People {
    fn lock(&self) -> std::sync::MutexGuard<'_, Overlay> {
        // Plain data behind the lock: a panic elsewhere leaves it usable.
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A snapshot for one search or delivery.
    pub(crate) fn overlay(&self) -> Overlay {
        self.lock().clone()
    }

    /// The person with this id as the service has them now; `None` if it does not.
    pub(crate) fn get(&self, corpus: &Corpus, id: u64) -> Option<Person> {
        let overlay = self.overlay();
        let record = overlay.record(corpus.seed, id)?;
        let entry = overlay.0.get(&id);
        Some(Person {
            id,
            in_corpus: entry.map_or_else(|| in_base(corpus, id), |e| e.in_corpus),
            changed: entry.is_some_and(|e| e.changed),
            record: serde_json::to_value(&*record).unwrap_or_default(),
        })
    }

    /// Applies `body` (an object of field changes, plus `in_corpus` optionally) to the person as
    /// they are now; a deleted person comes back as generated, then changed.
    pub(crate) fn change(
        &self,
        corpus: &Corpus,
        id: u64,
        body: &Value,
        today: Day,
    ) -> Result<Person, ChangeError> {
        if !id_exists(id) {
            return Err(ChangeError::NoSuchId);
        }
        let invalid = |s: &str| ChangeError::Invalid(s.to_string());
        let mut fields: Map<String, Value> = body
            .as_object()
            .cloned()
            .ok_or_else(|| invalid("The body must be a JSON object of field changes"))?;
        let in_corpus = match fields.remove("in_corpus") {
            None => None,
            Some(Value::Bool(b)) => Some(b),
            Some(_) => return Err(invalid("in_corpus must be true or false")),
        };
        {
            let mut guard = self.lock();
            let now = guard.0.get(&id).filter(|e| e.record.is_some()).cloned();
            let current = match now.as_ref().and_then(|e| e.record.clone()) {
                Some(r) => r,
                None => Arc::new(employee(corpus.seed, id)),
            };
            let (record, changed) = match fields.is_empty() {
                true => (current, now.as_ref().is_some_and(|e| e.changed)),
                false => (
                    Arc::new(
                        change::apply(&current, &fields, today).map_err(ChangeError::Invalid)?,
                    ),
                    true,
                ),
            };
            let in_corpus = in_corpus
                .or(now.map(|e| e.in_corpus))
                .unwrap_or_else(|| in_base(corpus, id));
            let entry = Entry {
                record: Some(record),
                changed,
                in_corpus,
            };
            Arc::make_mut(&mut guard.0).insert(id, entry);
        }
        self.get(corpus, id).ok_or(ChangeError::NoSuchId)
    }

    /// Removes the person from the service; false if it did not have them.
    pub(crate) fn delete(&self, id: u64) -> bool {
        let mut guard = self.lock();
        if !guard.exists(id) {
            return false;
        }
        let gone = Entry {
            record: None,
            changed: true,
            in_corpus: false,
        };
        Arc::make_mut(&mut guard.0).insert(id, gone);
        true
    }

    /// What the state file keeps.
    pub(crate) fn saved(&self) -> BTreeMap<u64, SavedPerson> {
        let overlay = self.overlay();
        let saved = overlay.0.iter().map(|(id, e)| {
            let record = e
                .record
                .as_ref()
                .filter(|_| e.changed)
                .and_then(|r| serde_json::to_value(&**r).ok());
            let person = SavedPerson {
                in_corpus: e.in_corpus,
                deleted: e.record.is_none(),
                record,
            };
            (*id, person)
        });
        saved.collect()
    }

    /// Takes back what [`People::saved`] gave (a record that no longer reads is skipped, with a
    /// warning).
    pub(crate) fn restore(&self, seed: u64, saved: BTreeMap<u64, SavedPerson>) {
        let mut entries = BTreeMap::new();
        for (id, p) in saved {
            let changed = p.deleted || p.record.is_some();
            let record = match (p.deleted, p.record) {
                (true, _) => None,
                (false, None) => Some(employee(seed, id)),
                (false, Some(v)) => match serde_json::from_value::<Employee>(v) {
                    Ok(r) => Some(r),
                    Err(e) => {
                        tracing::warn!("saved change of person {id} unreadable ({e}); dropped");
                        continue;
                    }
                },
            };
            let entry = Entry {
                changed,
                record: record.map(Arc::new),
                in_corpus: p.in_corpus,
            };
            entries.insert(id, entry);
        }
        *self.lock() = Overlay(Arc::new(entries));
    }
}

impl Shared {
    /// The simulated day.
    pub(crate) fn today(&self) -> Day {
        Day::from_unix_ms(self.now_ms())
    }

    /// [`People::change`] as of today, saved at once (blocking).
    pub(crate) fn change_person(&self, id: u64, body: &Value) -> Result<Person, ChangeError> {
        let person = self.people.change(&self.corpus, id, body, self.today())?;
        self.save();
        Ok(person)
    }

    /// [`People::delete`], saved at once (blocking).
    pub(crate) fn delete_person(&self, id: u64) -> bool {
        let deleted = self.people.delete(id);
        if deleted {
            self.save();
        }
        deleted
    }
}
