//! Finding people by the short names in their profile addresses with the free search: the names
//! go in chunks of `terms` on `shorthand_names` within the query's size limits; a chunk that
//! found someone is then asked name by name, so that each row learns its own person, and a name
//! that several people carry (an old short name of one, the current of another) is settled by
//! the profile address field: the person whose address it is now.

use std::collections::{BTreeMap, BTreeSet};

use futures_util::stream::{self, StreamExt, TryStreamExt};
use serde_json::{json, Value};

use crate::api::{ApiClient, ApiError};
use crate::query::MAX_QUERY_CHARS;

/// The most short names one chunk asks for (far below the service's limit on `terms` values, so
/// that the chunk's matches stay a few pages).
const MOST_NAMES_PER_CHUNK: usize = 500;

/// Searches in flight at once; the client's rate limiter paces them.
const IN_FLIGHT: usize = 4;

/// The most people one short name is taken to match (more is not a short name worth choosing
/// among).
const MOST_PER_NAME: u64 = 50;

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
    /// Searches planned so far (grows as chunks with matches are asked name by name).
    pub planned: usize,
}

/// Finds the people `names` (distinct normalised short names) belong to, with free searches
/// only; `progress` hears after each search.
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
    let counter = std::sync::atomic::AtomicUsize::new(0);
    let planned = std::sync::atomic::AtomicUsize::new(chunks.len());
    let tick = || {
        let done = counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        progress(LookupProgress {
            done,
            planned: planned.load(std::sync::atomic::Ordering::SeqCst),
        });
    };
    // First, which chunks found anyone at all: a chunk that found nobody settles all its names.
    // Owned items: a stream of borrowed ones makes the future not `Send` for every lifetime
    // (rust-lang/rust#102211), and the app runs it on a multi-threaded runtime.
    let bodies: Vec<(usize, Value)> = chunks
        .iter()
        .map(|chunk| json!({"query": {"terms": {"shorthand_names": chunk}}}))
        .enumerate()
        .collect();
    let found: Vec<(usize, bool)> = stream::iter(bodies)
        .map(|(index, body)| {
            let tick = &tick;
            async move {
                let page = client.search_page(&body, None).await?;
                tick();
                Ok::<_, ApiError>((index, page.total > 0 || !page.ids.is_empty()))
            }
        })
        .buffer_unordered(IN_FLIGHT)
        .try_collect()
        .await?;
    let mut matches = NameMatches::default();
    let mut to_ask: Vec<String> = Vec::new();
    for (index, any) in found {
        for name in &chunks[index] {
            if any {
                to_ask.push(name.clone());
            } else {
                matches.by_name.insert(name.clone(), Vec::new());
            }
        }
    }
    planned.fetch_add(to_ask.len(), std::sync::atomic::Ordering::SeqCst);
    let asked: Vec<(String, Vec<i64>)> = stream::iter(to_ask)
        .map(|name| {
            let tick = &tick;
            async move {
                let body = json!({"query": {"term": {"shorthand_names": name}}});
                let ids = list_all(client, &body, MOST_PER_NAME).await?;
                tick();
                Ok::<_, ApiError>((name, ids))
            }
        })
        .buffer_unordered(IN_FLIGHT)
        .try_collect()
        .await?;
    let shared: Vec<(String, Vec<i64>)> = asked
        .iter()
        .filter(|(_, ids)| ids.len() > 1)
        .cloned()
        .collect();
    matches.by_name.extend(asked);
    planned.fetch_add(shared.len(), std::sync::atomic::Ordering::SeqCst);
    let settled: Vec<(String, Option<i64>)> = stream::iter(shared)
        .map(|(name, ids)| {
            let tick = &tick;
            async move {
                let body = json!({"query": {"bool": {"filter": [
                    {"terms": {"id": ids}},
                    {"terms": {"websites_professional_network": address_forms(&name)}}
                ]}}});
                let owners = list_all(client, &body, MOST_PER_NAME).await?;
                tick();
                Ok::<_, ApiError>((name, (owners.len() == 1).then(|| owners[0])))
            }
        })
        .buffer_unordered(IN_FLIGHT)
        .try_collect()
        .await?;
    matches.current = settled
        .into_iter()
        .filter_map(|(name, owner)| owner.map(|owner| (name, owner)))
        .collect();
    matches.searches = counter.load(std::sync::atomic::Ordering::SeqCst);
    Ok(matches)
}

/// The ids `body` matches, at most `cap`, page after page.
async fn list_all(client: &ApiClient, body: &Value, cap: u64) -> Result<Vec<i64>, ApiError> {
    let mut ids: Vec<i64> = Vec::new();
    let mut after: Option<String> = None;
    let mut seen = BTreeSet::new();
    loop {
        let page = client.search_page(body, after.as_deref()).await?;
        ids.extend(page.ids);
        match page.next_after {
            // A page that leads back to one already read would list forever.
            Some(next) if (ids.len() as u64) < cap && seen.insert(next.clone()) => {
                after = Some(next);
            }
            _ => break,
        }
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
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
