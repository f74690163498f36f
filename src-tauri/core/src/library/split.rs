//! The net-new split of a list of matches against the library: **new** (never collected),
//! **changed** (held, but the service has a newer `last_updated`) and **held** (unchanged).
//!
//! Which held people changed is asked of the free search: one clause per date our copies carry,
//! "these ids, updated after that date", packed into as few searches as the service's body and
//! clause limits allow ([`changed_searches`]).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::Held;
use crate::query::{MAX_BOOL_CLAUSES, MAX_QUERY_CHARS};

/// Where a matched person stands against the library.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Standing {
    /// Never collected.
    New,
    /// Collected, but the service has a newer copy.
    Changed,
    /// Collected, and unchanged since.
    Held,
}

impl Standing {
    /// The word stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Standing::New => "new",
            Standing::Changed => "changed",
            Standing::Held => "held",
        }
    }

    /// The stored word read back.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "new" => Some(Standing::New),
            "changed" => Some(Standing::Changed),
            "held" => Some(Standing::Held),
            _ => None,
        }
    }
}

/// Every matched person with where they stand, in the order they matched (each once).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Split {
    /// `(id, standing)` per matched person.
    pub people: Vec<(i64, Standing)>,
}

impl Split {
    /// Sorts `matches` into new, changed and held: `held` is what the library has of them,
    /// `changed` the held ids the service has newer copies of. A held person whose copy has no
    /// `last_updated` cannot be compared and counts as changed (collected again rather than
    /// trusted blind).
    pub fn of(matches: &[i64], held: &[Held], changed: &BTreeSet<i64>) -> Self {
        let held: HashMap<i64, &Held> = held.iter().map(|person| (person.id, person)).collect();
        let mut seen = BTreeSet::new();
        let people = matches
            .iter()
            .filter(|id| seen.insert(**id))
            .map(|id| {
                let standing = match held.get(id) {
                    None => Standing::New,
                    Some(person) if person.last_updated.is_none() || changed.contains(id) => {
                        Standing::Changed
                    }
                    Some(_) => Standing::Held,
                };
                (*id, standing)
            })
            .collect();
        Self { people }
    }

    /// How many people stand as `standing`.
    pub fn count(&self, standing: Standing) -> u64 {
        self.people.iter().filter(|(_, s)| *s == standing).count() as u64
    }

    /// The ids to buy: the new and the changed, in match order.
    pub fn to_buy(&self) -> Vec<i64> {
        self.people
            .iter()
            .filter(|(_, standing)| *standing != Standing::Held)
            .map(|(id, _)| *id)
            .collect()
    }
}

/// The searches that find which of the `held` people the service has a newer copy of: for every
/// date our copies carry, "one of these ids, and `last_updated` after that date", as the clauses
/// of a `should`, packed so that each body stays within [`MAX_QUERY_CHARS`] and
/// [`MAX_BOOL_CLAUSES`]. A date with more ids than one body holds is split over several. People
/// without a `last_updated` need no search (see [`Split::of`]).
pub fn changed_searches(held: &[Held]) -> Vec<Value> {
    changed_searches_within(held, MAX_QUERY_CHARS, MAX_BOOL_CLAUSES)
}

/// The wrapper every search has around its clauses: its length without them.
const WRAPPER: &str = r#"{"query":{"bool":{"should":[],"minimum_should_match":1}}}"#;

/// The clauses one date group adds: the `should` entry, its `terms` and its `range`.
const CLAUSES_PER_GROUP: usize = 3;

fn changed_searches_within(held: &[Held], max_chars: usize, max_clauses: usize) -> Vec<Value> {
    let mut by_date: BTreeMap<&str, Vec<i64>> = BTreeMap::new();
    for person in held {
        if let Some(date) = person.last_updated.as_deref() {
            by_date.entry(date).or_default().push(person.id);
        }
    }
    let mut searches = Vec::new();
    let mut groups: Vec<Value> = Vec::new();
    let mut chars = WRAPPER.len();
    for (date, ids) in by_date {
        let mut rest: &[i64] = &ids;
        while !rest.is_empty() {
            let empty_group = group(date, &[]).to_string().len();
            let separator = usize::from(!groups.is_empty());
            let room = max_chars.saturating_sub(chars + separator + empty_group);
            let fits = ids_that_fit(rest, room);
            let clauses_full = (groups.len() + 1) * CLAUSES_PER_GROUP > max_clauses;
            if fits == 0 || clauses_full {
                if groups.is_empty() {
                    // Not even one id fits an empty search: the limits are too small to ask.
                    return searches;
                }
                searches.push(search(std::mem::take(&mut groups)));
                chars = WRAPPER.len();
                continue;
            }
            let (taken, left) = rest.split_at(fits);
            let clause = group(date, taken);
            chars += separator + clause.to_string().len();
            groups.push(clause);
            rest = left;
        }
    }
    if !groups.is_empty() {
        searches.push(search(groups));
    }
    searches
}

/// How many of `ids`, from the start, fit in `room` characters of a `terms` list.
fn ids_that_fit(ids: &[i64], room: usize) -> usize {
    let mut used = 0;
    for (taken, id) in ids.iter().enumerate() {
        used += id.to_string().len() + usize::from(taken > 0);
        if used > room {
            return taken;
        }
    }
    ids.len()
}

/// "One of `ids`, updated after `date`".
fn group(date: &str, ids: &[i64]) -> Value {
    json!({"bool": {"filter": [
        {"terms": {"id": ids}},
        {"range": {"last_updated": {"gt": date}}}
    ]}})
}

fn search(groups: Vec<Value>) -> Value {
    json!({"query": {"bool": {"should": groups, "minimum_should_match": 1}}})
}

#[cfg(test)]
#[path = "split_tests.rs"]
mod tests;
