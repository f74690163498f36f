//! The one Coresignal HTTP client: calls 1–6 of the contract (`shared/api/coresignal-bulk-collect.md`).
//!
//! | file | holds |
//! |---|---|
//! | `config.rs` | [`ApiConfig`], [`RetryPolicy`] |
//! | `address.rs` | the base-URL rule (https, or http on loopback only), [`is_loopback`] |
//! | `limiter.rs` | the one [`RateLimiter`] shared by every call, `Retry-After` parsing |
//! | `classify.rs` | pure functions: a server answer (status, headers, body) → outcome or [`ApiError`] |
//! | `client.rs` | [`ApiClient`]: sending, retrying, the balance watch |
//! | `types.rs` | what the calls take and give back |
//! | `preview.rs` | call 6: sample people, reduced to the columns a person checks |
//! | `error.rs` | [`ApiError`], [`SubmitError`] and their plain-English messages |
//!
//! Retries: GETs are retried on 5xx, timeouts and broken connections. A POST is never re-sent once its
//! bytes may have reached the server (it could spend credits twice): only a 429 or 503 answer, or a
//! connection that never opened, may be retried; anything else doubtful is [`SubmitError::Uncertain`].
//! So that a server closing an idle keep-alive connection cannot make a submission doubtful, each
//! submission POST goes on a fresh connection; the other calls share a pool of kept-alive ones.

mod address;
mod classify;
mod client;
#[cfg(test)]
pub(crate) mod client_tests;
mod config;
mod error;
mod limiter;
mod preview;
#[cfg(test)]
pub(crate) mod scripted_peer;
mod search;
mod types;
mod wire;

pub use address::{is_loopback, saved_key_use, SavedKeyUse, SIMULATOR_KEY};
pub use client::ApiClient;
pub use config::{ApiConfig, RetryPolicy, DEFAULT_BASE_URL};
pub use error::{ApiError, SubmitError};
pub use limiter::{
    parse_retry_after, Endpoint, RateLimiter, DEFAULT_REQUESTS_PER_SECOND, LONGEST_WAIT,
};
pub use preview::{PreviewPerson, PREVIEW_PEOPLE};
pub use search::{Listed, SearchPage, SEARCH_PAGE};
pub use types::{EsDslSubmission, Estimate, FileResponse, PollOutcome, Submitted};

#[cfg(test)]
mod module_graph {
    //! The modules of `api/` depend on each other without a cycle, so each can be read (and
    //! changed) knowing only what it uses.

    use std::collections::{BTreeMap, BTreeSet};

    /// The non-test modules of this folder and their source.
    const MODULES: &[(&str, &str)] = &[
        ("address", include_str!("address.rs")),
        ("classify", include_str!("classify.rs")),
        ("client", include_str!("client.rs")),
        ("config", include_str!("config.rs")),
        ("error", include_str!("error.rs")),
        ("limiter", include_str!("limiter.rs")),
        ("preview", include_str!("preview.rs")),
        ("search", include_str!("search.rs")),
        ("types", include_str!("types.rs")),
    ];

    /// `super::x` (a sibling module) or `super::Name` (re-exported here from a sibling), outside
    /// comments and the file's own `#[cfg(test)]` part.
    fn uses(source: &str, reexports: &BTreeMap<String, String>) -> BTreeSet<String> {
        let code = source.split("#[cfg(test)]").next().unwrap_or_default();
        let mut found = BTreeSet::new();
        for line in code.lines().map(str::trim).filter(|l| !l.starts_with("//")) {
            for (_, rest) in line
                .match_indices("super::")
                .map(|(at, _)| line.split_at(at + 7))
            {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if MODULES.iter().any(|(module, _)| *module == name) {
                    found.insert(name);
                } else if let Some(module) = reexports.get(&name) {
                    found.insert(module.clone());
                }
            }
        }
        found
    }

    /// `pub use module::{A, B};` lines of `mod.rs` → name → module.
    fn reexports() -> BTreeMap<String, String> {
        let mut map = BTreeMap::new();
        for line in include_str!("mod.rs").lines() {
            let Some(rest) = line.strip_prefix("pub use ") else {
                continue;
            };
            let Some((module, names)) = rest.split_once("::") else {
                continue;
            };
            for name in names
                .split([',', '{', '}', ';', ' '])
                .filter(|n| !n.is_empty())
            {
                map.insert(name.to_owned(), module.to_owned());
            }
        }
        map
    }

    #[test]
    fn the_api_modules_form_no_cycle() {
        let reexports = reexports();
        let graph: BTreeMap<&str, BTreeSet<String>> = MODULES
            .iter()
            .map(|(module, source)| (*module, uses(source, &reexports)))
            .collect();
        assert!(graph["types"].contains("error"), "the scanner sees uses");
        // Depth-first search; a module met again while on the path closes a cycle.
        fn visit<'a>(
            module: &'a str,
            graph: &'a BTreeMap<&str, BTreeSet<String>>,
            path: &mut Vec<&'a str>,
            done: &mut BTreeSet<&'a str>,
        ) {
            if let Some(at) = path.iter().position(|m| *m == module) {
                panic!("import cycle: {} → {module}", path[at..].join(" → "));
            }
            if done.contains(module) {
                return;
            }
            path.push(module);
            for next in &graph[module] {
                visit(next.as_str(), graph, path, done);
            }
            path.pop();
            done.insert(module);
        }
        let mut done = BTreeSet::new();
        for module in graph.keys() {
            visit(module, &graph, &mut Vec::new(), &mut done);
        }
    }
}
