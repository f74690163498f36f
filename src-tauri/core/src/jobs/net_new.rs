//! Net-new purchases: before a request is priced, its matches are listed with the free search and
//! split against the people library ([`crate::library::Split`]), so that a person pays only for
//! the people never collected and those the service has a newer copy of.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::api::ApiClient;
use crate::ids::MAX_IDS_PER_REQUEST;
use crate::library::{changed_searches, Library, Split, CLEAN_EMPLOYEE};

use super::{Engine, EngineError, JobRequest, Mode};

/// The most matches a search is listed to: beyond it the split cannot be made.
pub const MOST_LISTED: u64 = 10_000;

/// Whom a purchase collects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purchase {
    /// Only the people the library does not hold, or holds an older copy of (the default).
    #[default]
    NewOnly,
    /// Everyone who matches, already held or not: an explicit "again".
    Everyone,
}

impl Purchase {
    /// The word stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Purchase::NewOnly => "new_only",
            Purchase::Everyone => "everyone",
        }
    }

    /// The stored word read back (anything else is the old behaviour: everyone).
    pub fn parse(text: &str) -> Self {
        match text {
            "new_only" => Purchase::NewOnly,
            _ => Purchase::Everyone,
        }
    }
}

/// What the library says about a request's matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum NetNew {
    /// The library holds none of them (or nobody at all): everyone is new.
    AllNew,
    /// Too many match to be listed: the reason, in words.
    Unavailable(String),
    /// The matches, split.
    Split(Split),
}

/// What the team library said during a quote.
#[derive(Debug, Clone, Default)]
pub(super) enum TeamAsked {
    /// No team library, or it was not asked (too many matches, an "everyone" purchase).
    #[default]
    NotAsked,
    /// It could not be asked in time.
    Unreachable,
    /// The matched people it holds that this computer does not.
    Held(Vec<crate::team::TeamHeld>),
}

impl Mode {
    /// The library a mode's people are kept in: Practice's made-up people never stand for real
    /// ones in a Live quote.
    pub fn library_dataset(self) -> &'static str {
        match self {
            Mode::Live => CLEAN_EMPLOYEE,
            Mode::Practice => "practice/employee_clean",
        }
    }
}

impl Engine {
    /// Splits the matches of `request` against the library (`matches` is the count the service
    /// gave). Only free searches are made, within the search rate limit.
    pub(super) async fn net_new(
        &self,
        request: &JobRequest,
        matches: u64,
        team: &mut TeamAsked,
    ) -> Result<NetNew, EngineError> {
        let library = Library::new(self.store.clone());
        let dataset = self.mode().library_dataset();
        let link = self.team();
        if library.is_empty(dataset)? && link.is_none() {
            return Ok(NetNew::AllNew);
        }
        let ids: Vec<i64> = match request {
            JobRequest::Query { query, limit } => {
                let cap = limit.map_or(MOST_LISTED, u64::from).min(MOST_LISTED);
                if limit.is_none() && matches > MOST_LISTED {
                    return Ok(NetNew::Unavailable(format!(
                        "More than {} people match, so the app cannot check which of them you already have. To pay only for new people, narrow the search or set a limit.",
                        super::words::group(MOST_LISTED)
                    )));
                }
                let client = self.client()?;
                let listed = list_ids(&client, &query.body, cap).await;
                self.record_balance(&client);
                listed?
            }
            JobRequest::Ids { report, .. } => report
                .ids
                .iter()
                .filter_map(|id| i64::try_from(*id).ok())
                .collect(),
        };
        let mut held = {
            let (library, wanted) = (library.clone(), ids.clone());
            tokio::task::spawn_blocking(move || library.lookup(dataset, &wanted))
                .await
                .map_err(|error| EngineError::InvalidInput(error.to_string()))??
        };
        if let Some(link) = link {
            // The people this computer does not hold are asked of the team, under a time limit:
            // those it holds are skipped like the library's own.
            let mine: std::collections::HashSet<i64> =
                held.iter().map(|person| person.id).collect();
            let others: Vec<i64> = ids
                .iter()
                .copied()
                .filter(|id| !mine.contains(id))
                .collect();
            match link.held(dataset, &others).await {
                Ok(found) => {
                    held.extend(found.iter().map(|person| crate::library::Held {
                        id: person.id,
                        last_updated: person.last_updated.clone(),
                        last_collected_at: person.last_at.clone(),
                    }));
                    *team = TeamAsked::Held(found);
                }
                Err(error) => {
                    tracing::info!("quote without the team library: {error}");
                    *team = TeamAsked::Unreachable;
                }
            }
        }
        if held.is_empty() {
            return Ok(NetNew::AllNew);
        }
        let mut changed = BTreeSet::new();
        let searches = changed_searches(&held);
        if !searches.is_empty() {
            let client = self.client()?;
            for search in &searches {
                let found = list_ids(&client, search, MAX_IDS_PER_REQUEST as u64).await;
                self.record_balance(&client);
                changed.extend(found?);
            }
        }
        Ok(NetNew::Split(Split::of(&ids, &held, &changed)))
    }
}

impl Engine {
    /// Jobs that may still bring some of the people a net-new quote would buy, not in the
    /// library yet (sent and not downloaded, or downloaded and not kept): the same search (any
    /// limit), a net-new purchase of it, or an ID list sharing a person with `to_buy`. Buying
    /// them now could pay for them twice, so the quote names them and `submit` needs "again".
    pub(super) fn on_their_way(
        &self,
        origin_query: Option<&str>,
        to_buy: &[i64],
    ) -> Result<Vec<crate::store::JobRow>, EngineError> {
        let since =
            crate::store::format_time(time::OffsetDateTime::now_utc() - crate::store::RETENTION);
        let buying: std::collections::HashSet<i64> = to_buy.iter().copied().collect();
        let jobs = self.store.jobs_bringing_people(self.mode(), &since)?;
        Ok(jobs
            .into_iter()
            .filter(|(job, split_from)| {
                let same_search = origin_query.is_some()
                    && (job.query_json.as_deref() == origin_query
                        || split_from.as_deref() == origin_query);
                let shared = job.ids_text.as_deref().is_some_and(|ids| {
                    ids.lines()
                        .filter_map(|line| line.trim().parse::<i64>().ok())
                        .any(|id| buying.contains(&id))
                });
                same_search || shared
            })
            .map(|(job, _)| job)
            .collect())
    }
}

/// The ids `body` matches, at most `cap`, a page at a time.
pub(super) async fn list_ids(
    client: &ApiClient,
    body: &Value,
    cap: u64,
) -> Result<Vec<i64>, EngineError> {
    let mut ids = client.list_ids(body, cap).await?.ids;
    ids.truncate(usize::try_from(cap).unwrap_or(usize::MAX));
    Ok(ids)
}
