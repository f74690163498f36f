//! Finding people by the short names in their profile addresses with the free search: the names
//! go in chunks of `terms` on `shorthand_names` within the query's size limits; a chunk that
//! found someone learns which person is whose from a few coded searches ([`super::decode`]), so
//! that each row learns its own person, and a name that several people carry (an old short name
//! of one, the current of another) is settled by the profile address field: the person whose
//! address it is now.

use std::collections::{BTreeMap, BTreeSet};

use super::decode::{bits, decode, side};

use std::sync::atomic::{AtomicUsize, Ordering};

use futures_util::stream::{self, StreamExt, TryStreamExt};
use serde_json::{json, Value};

use crate::api::{ApiClient, ApiError, Listed};
use crate::query::MAX_QUERY_CHARS;

/// The most short names one chunk asks for (far below the service's limit on `terms` values, so
/// that the chunk's matches stay a few pages).
const MOST_NAMES_PER_CHUNK: usize = 500;

/// Searches in flight at once; the client's rate limiter paces them.
const IN_FLIGHT: usize = 4;

/// The most people one search of a chunk lists (a chunk's names match about one person each);
/// a chunk that matches more is asked name by name, so that nobody past it goes "not found".
const MOST_PER_CHUNK: u64 = 10_000;

/// What the search found for a list of short names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NameMatches {
    /// The people each short name matched (none for a name not found), ids ascending.
    pub by_name: BTreeMap<String, Vec<i64>>,
    /// For a name several people matched: the one whose profile address it is now, if one is.
    pub current: BTreeMap<String, i64>,
    /// Free searches made.
    pub searches: usize,
}

/// How far a lookup has come: searches made of those planned so far.
#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[ts(export)]
pub struct LookupProgress {
    /// Searches made.
    pub done: usize,
    /// Searches planned so far (grows as the chunks that found someone are asked further).
    pub planned: usize,
}

/// Finds the people `names` (distinct normalised short names) belong to, with free searches
/// only; `progress` hears after each search.
///
/// Each chunk is searched whole first: a chunk that found nobody settles all its names. A chunk
/// that found someone learns which name each person belongs to from two searches per bit of its
/// names' numbers ([`super::decode`]): 19 searches for 500 names rather than 500. Small chunks,
/// and names a person matched twice within one chunk, are asked one by one.
pub async fn find_short_names(
    client: &ApiClient,
    names: &[String],
    progress: &(dyn Fn(LookupProgress) + Send + Sync),
) -> Result<NameMatches, ApiError> {
    let names: Vec<String> = names
        .iter()
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let chunks = chunks(&names, MAX_QUERY_CHARS);
    let counter = AtomicUsize::new(0);
    let planned = AtomicUsize::new(chunks.len());
    let tick = || {
        let done = counter.fetch_add(1, Ordering::SeqCst) + 1;
        progress(LookupProgress {
            done,
            planned: planned.load(Ordering::SeqCst),
        });
    };
    let ask = |asks: Vec<(usize, Value)>| {
        let (tick, cap) = (&tick, MOST_PER_CHUNK);
        stream::iter(asks)
            .map(move |(key, body)| async move {
                let listed = list_all(client, &body, cap).await?;
                tick();
                Ok::<_, ApiError>((key, listed))
            })
            .buffer_unordered(IN_FLIGHT)
            .try_collect::<Vec<(usize, Listed)>>()
    };
    // Owned items: a stream of borrowed ones makes the future not `Send` for every lifetime
    // (rust-lang/rust#102211), and the app runs it on a multi-threaded runtime.
    let whole: BTreeMap<usize, Listed> = ask(chunks
        .iter()
        .map(|chunk| terms(chunk.iter()))
        .enumerate()
        .collect())
    .await?
    .into_iter()
    .collect();
    let mut matches = NameMatches::default();
    // The coded searches of every chunk that found someone, keyed by (chunk, bit, side), and
    // the names to ask one by one.
    let mut coded: Vec<(usize, Value)> = Vec::new();
    let mut keys: Vec<(usize, usize, bool)> = Vec::new();
    let mut one_by_one: Vec<String> = Vec::new();
    for (index, chunk) in chunks.iter().enumerate() {
        let listed = whole.get(&index);
        let found = listed
            .map(|listed| listed.ids.as_slice())
            .unwrap_or_default();
        if found.is_empty() {
            matches
                .by_name
                .extend(chunk.iter().map(|name| (name.clone(), Vec::new())));
        } else if !listed.is_some_and(|listed| listed.complete)
            || chunk.len() <= 1 + 2 * bits(chunk.len())
        {
            // A chunk matching more people than one listing holds cannot be decoded: someone
            // past the cap would leave their name "not found".
            one_by_one.extend(chunk.iter().cloned());
        } else {
            for bit in 0..bits(chunk.len()) {
                for one in [true, false] {
                    let side = side(chunk.len(), bit, one);
                    keys.push((index, bit, one));
                    coded.push((keys.len() - 1, terms(side.iter().map(|at| &chunk[*at]))));
                }
            }
        }
    }
    planned.fetch_add(coded.len(), Ordering::SeqCst);
    let mut sides: BTreeMap<(usize, usize, bool), BTreeSet<i64>> = BTreeMap::new();
    let mut cut: BTreeSet<usize> = BTreeSet::new();
    for (key, listed) in ask(coded).await? {
        if !listed.complete {
            cut.insert(keys[key].0);
        }
        sides.insert(keys[key], listed.ids.into_iter().collect());
    }
    for (index, chunk) in chunks.iter().enumerate() {
        let Some(listed) = whole.get(&index) else {
            continue;
        };
        let found = listed.ids.as_slice();
        if found.is_empty() || !listed.complete || chunk.len() <= 1 + 2 * bits(chunk.len()) {
            continue;
        }
        if cut.contains(&index) {
            // A coded search listed only part of its people (the data grew meanwhile).
            one_by_one.extend(chunk.iter().cloned());
            continue;
        }
        let side_of = |one| -> Vec<BTreeSet<i64>> {
            (0..bits(chunk.len()))
                .map(|bit| sides.get(&(index, bit, one)).cloned().unwrap_or_default())
                .collect()
        };
        let decoded = decode(chunk.len(), found, &side_of(true), &side_of(false));
        for (at, name) in chunk.iter().enumerate() {
            if decoded.unsure.contains(&at) {
                one_by_one.push(name.clone());
            } else {
                let people = decoded.by_index.get(&at).cloned().unwrap_or_default();
                matches.by_name.insert(name.clone(), people);
            }
        }
    }
    planned.fetch_add(one_by_one.len(), Ordering::SeqCst);
    let asked = ask(one_by_one
        .iter()
        .map(|name| json!({"query": {"term": {"shorthand_names": name}}}))
        .enumerate()
        .collect())
    .await?;
    for (at, listed) in asked {
        matches.by_name.insert(one_by_one[at].clone(), listed.ids);
    }
    let shared: Vec<(String, Vec<i64>)> = matches
        .by_name
        .iter()
        .filter(|(_, ids)| ids.len() > 1)
        .map(|(name, ids)| (name.clone(), ids.clone()))
        .collect();
    planned.fetch_add(shared.len(), Ordering::SeqCst);
    let settled = ask(shared
        .iter()
        .map(|(name, ids)| {
            json!({"query": {"bool": {"filter": [
                {"terms": {"id": ids}},
                {"terms": {"websites_professional_network": address_forms(name)}}
            ]}}})
        })
        .enumerate()
        .collect())
    .await?;
    for (at, owners) in settled {
        if let [owner] = owners.ids.as_slice() {
            matches.current.insert(shared[at].0.clone(), *owner);
        }
    }
    matches.searches = counter.load(Ordering::SeqCst);
    Ok(matches)
}

/// The search for people whose short names include any of `names`.
fn terms<'a>(names: impl Iterator<Item = &'a String>) -> Value {
    let names: Vec<&String> = names.collect();
    json!({"query": {"terms": {"shorthand_names": names}}})
}

/// The ids `body` matches, at most about `cap`, ascending, and whether that is all of them.
async fn list_all(client: &ApiClient, body: &Value, cap: u64) -> Result<Listed, ApiError> {
    let mut listed = client.list_ids(body, cap).await?;
    listed.ids.sort_unstable();
    listed.ids.dedup();
    Ok(listed)
}

/// The ways a profile address with short name `name` is written in the data.
pub(crate) fn address_forms(name: &str) -> Vec<String> {
    let mut names = vec![name.to_owned()];
    let encoded = percent_encoded(name);
    if encoded != name {
        names.push(encoded);
    }
    let mut forms = Vec::new();
    for name in names {
        for host in [
            "https://www.linkedin.com",
            "https://linkedin.com",
            "http://www.linkedin.com",
        ] {
            forms.push(format!("{host}/in/{name}"));
            forms.push(format!("{host}/in/{name}/"));
        }
        forms.push(format!("linkedin.com/in/{name}"));
        forms.push(format!("www.linkedin.com/in/{name}"));
    }
    forms
}

/// `name` with every byte outside ASCII written `%XX` (as browsers write non-ASCII addresses).
fn percent_encoded(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for byte in name.bytes() {
        if byte.is_ascii() {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `names` in chunks whose `terms` search stays within `max_chars` and [`MOST_NAMES_PER_CHUNK`].
fn chunks(names: &[String], max_chars: usize) -> Vec<Vec<String>> {
    let wrapper = json!({"query": {"terms": {"shorthand_names": []}}})
        .to_string()
        .len();
    let mut chunks: Vec<Vec<String>> = Vec::new();
    let mut chunk: Vec<String> = Vec::new();
    let mut chars = wrapper;
    for name in names {
        // The name as JSON text, and a comma before it when it is not the first.
        let size = Value::String(name.clone()).to_string().len() + usize::from(!chunk.is_empty());
        if !chunk.is_empty() && (chars + size > max_chars || chunk.len() >= MOST_NAMES_PER_CHUNK) {
            chunks.push(std::mem::take(&mut chunk));
            chars = wrapper;
        }
        chars += Value::String(name.clone()).to_string().len() + usize::from(!chunk.is_empty());
        chunk.push(name.clone());
    }
    if !chunk.is_empty() {
        chunks.push(chunk);
    }
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_stay_within_the_query_size_and_keep_every_name_once() {
        let names: Vec<String> = (0..3_000).map(|i| format!("jane-doe-{i:08x}")).collect();
        let chunks = chunks(&names, MAX_QUERY_CHARS);
        assert!(chunks.len() > 1);
        for chunk in &chunks {
            let body = json!({"query": {"terms": {"shorthand_names": chunk}}});
            assert!(body.to_string().len() <= MAX_QUERY_CHARS);
            assert!(chunk.len() <= MOST_NAMES_PER_CHUNK);
            // The core's own query checker accepts it.
            crate::query::parse_query(&body.to_string()).unwrap();
        }
        let back: Vec<String> = chunks.concat();
        assert_eq!(back, names);
    }

    #[test]
    fn a_small_limit_still_takes_one_name_a_chunk() {
        let names = vec!["a-very-long-short-name".to_owned(), "b".to_owned()];
        assert_eq!(
            chunks(&names, 10),
            vec![vec![names[0].clone()], vec![names[1].clone()]]
        );
    }

    #[test]
    fn a_non_ascii_name_is_also_looked_for_percent_encoded() {
        let forms = address_forms("zoë-müller");
        assert!(forms.contains(&"https://www.linkedin.com/in/zoë-müller".to_owned()));
        assert!(forms.contains(&"https://www.linkedin.com/in/zo%C3%AB-m%C3%BCller".to_owned()));
        assert_eq!(address_forms("jane").len(), 8);
    }
}
