//! # coresignal-sim
//!
//! A local stand-in for Coresignal's Bulk Collect API (Clean Employee dataset), written from the
//! project's contract alone (`shared/api/coresignal-bulk-collect.md`). Every test and the app's
//! Practice mode talk to it on `http://127.0.0.1:<port>/cdapi`.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use coresignal_sim::{SimConfig, Simulator, DEFAULT_PRACTICE_KEY};
//! let sim = Simulator::start(SimConfig::default()).await?;
//! println!("{} (key {DEFAULT_PRACTICE_KEY})", sim.base_url());
//! sim.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! ## The calls
//!
//! | Call | Answers |
//! |---|---|
//! | `POST /cdapi/v2/data_requests/employee_clean/es_dsl` | 201 (or 200) `{"request_id"}` + `Location`; 409 identical request in progress; 400 bad JSON or query; 422 bad `limit`/`webhook_url`/`data_format` |
//! | `POST /cdapi/v2/data_requests/employee_clean/id_file` | as above; 400 over 10,000 IDs or non-numeric content |
//! | `GET /cdapi/v2/data_requests/{id}/files` | pending (see [`PendingStyle`]); 200 file list; 402; 404/422 no match; 422 too many; 404 expired or unknown |
//! | `GET /cdapi/v2/data_requests/{id}/files/{file_name}` | gzip JSON Lines from disk, `Range` support (206/416) |
//! | `POST /cdapi/v2/employee_clean/search/es_dsl` | JSON array of ids, ≤1,000 a page, `?after=` and `?items_per_page=`; `x-total-*` headers; free |
//! | `POST /cdapi/v2/employee_clean/search/es_dsl/preview` | ≤20 partial records; costs [`SimConfig::preview_credits`] |
//!
//! Every call needs a known `apikey` header (else 401). Answers to admitted calls carry
//! `x-credits-remaining`, `x-ratelimit-limit-second` and `x-ratelimit-remaining-second`.
//! Errors are flat `{"detail": "..."}`. Control endpoints live under `/_sim` (see [`admin`]), served
//! only when [`SimConfig::control_routes`] is on (never in the app's Practice mode).
//!
//! | Control call | In process | Does |
//! |---|---|---|
//! | `GET /_sim/health` | — | `{"ok", "corpus_size", "seed"}` |
//! | `GET`/`PUT /_sim/faults` | [`Simulator::faults`], [`Simulator::set_faults`] | the [`Faults`] in force |
//! | `GET /_sim/credits`, `PUT /_sim/credits/{key}` | [`Simulator::credits`], [`Simulator::set_credits`] | balances |
//! | `GET /_sim/clock`, `POST /_sim/clock/advance` | [`Simulator::today`], [`Simulator::advance_clock`] | the simulated clock and day |
//! | `GET /_sim/requests` | [`Simulator::requests`] | every data request |
//! | `GET`/`DELETE /_sim/calls` | [`Simulator::calls`], [`Simulator::clear_calls`] | the call log |
//! | `POST /_sim/fixtures/big-file` | [`Simulator::create_big_file_request`] | a ready request with a big file |
//! | `GET /_sim/people/{id}` | [`Simulator::person`] | a [`Person`] as the service has them now |
//! | `PUT /_sim/people/{id}` | [`Simulator::change_person`] | changes a person from now on (`last_updated` becomes today), or adds them to / takes them out of the searchable corpus (`in_corpus`) |
//! | `DELETE /_sim/people/{id}` | [`Simulator::delete_person`] | the service no longer has the person |
//!
//! ## Which records exist
//!
//! Every record is generated deterministically from `(seed, id)`. **Every id from 1 to
//! 999,999,999 exists** (so any ID file of real-looking ids, such as `shared/data/ids-valid.csv`,
//! yields one record per distinct id); `0` and ids of ten digits or more do not exist, which is how
//! a test gets an ID file that matches nothing. The *searchable* corpus (what ES DSL, search and
//! preview see) is `corpus_size` ids drawn from that range with the seed: the default 20,000 is big
//! enough for `match_all` to exceed 10,000, and a word like "Python" matches about a tenth of it.
//! Generated `last_updated` dates fall between 2024-07 and 2025-06.
//!
//! Tests change that over time with the people calls above ([`admin`] says what a change does): a
//! changed record (dated the simulated day), a deleted person (gone from search, ID files and
//! charges), a person added to or taken out of the searchable corpus. Search, preview and every
//! request settled afterwards see the same people.
//!
//! ## Lifecycle of a data request
//!
//! A request is ready `processing_time` after its POST on the simulated clock
//! ([`Simulator::advance_clock`] moves it forward). It settles on the first poll after that: then it
//! is charged once (`records × credits_per_record`, counting only the people the service still has
//! then), its files are written, and it is listed. If the
//! account cannot pay, the poll answers 402 and nothing is charged; a poll after a top-up delivers.
//! Requests older than `retention` (30 days) answer 404. Two ES DSL requests are *identical* when
//! key, ES body, `limit` and `webhook_url` are equal; the second answers 409 while the first has
//! not reached its ready time. The simulator calls no webhooks.
//!
//! The simulated clock is the wall clock plus every [`Simulator::advance_clock`]; times it reports
//! ([`RequestInfo::created_at_ms`], `GET /_sim/clock`) are UNIX milliseconds on it.
//!
//! ## Persistence
//!
//! With [`SimConfig::data_dir`] set, the simulator keeps its state across restarts (Practice mode
//! runs it inside the app: a job still processing when the app closes must find its request when
//! the app opens again). Without one (a temporary folder, removed on drop) nothing is saved.
//!
//! - **What**: every data request (id, kind, key, counts, `limit`, `webhook_url`, the canonical body
//!   of the 409 rule, state, charged credits, creation and ready times, result files, and the ids
//!   still to deliver while unsettled), every key's balance, the clock's total advance, and the
//!   people changed by the control calls. The call log, rate-limit buckets and faults are not saved
//!   (faults come from the config).
//! - **Where**: `<data_dir>/state.json`, next to the result files (`requests/<id>/`, paths saved
//!   relative to the folder). It is `{"version": 1, "clock_offset_ms": n, "credits": {key: n},
//!   "requests": [...], "people": {...}}`; each request is its [`RequestInfo`] fields plus
//!   `ready_at_ms`, `canonical`, `ids` (omitted once settled) and `stored` (`[{name, path, size}]`);
//!   `people` (omitted when empty; files without it read as no changes) maps an id to
//!   `{"in_corpus": bool, "deleted"?: true, "record"?: {...the changed record}}`.
//! - **When**: after each change that matters — a request created (before the POST is answered),
//!   settled or charged, a balance changed, the clock advanced, a person changed — written to `state.json.tmp`,
//!   synced, and renamed over `state.json`. A request being settled is saved uncharged (its files
//!   are not written yet), so a crash mid-settle settles it again after the restart.
//! - **Time**: times are saved as UNIX milliseconds on the simulated clock, so a request created
//!   before a restart becomes ready at the right moment after it, and expires 30 days after its
//!   creation, counting the time the simulator was not running and every clock advance.
//! - **Credits**: keys in [`SimConfig::api_keys`] are merged with the saved ones; **a saved
//!   balance wins** for a key in both (a practice user's balance is stable across restarts), and a
//!   configured key not saved yet starts with its configured balance.
//! - **Bad files**: an unreadable, invalid or newer-version `state.json` is moved aside to
//!   `state.json.corrupt-<UNIX ms>` with a warning and the simulator starts fresh; it never fails
//!   to start because of it. A failed save is logged and the simulator keeps serving from memory.

pub mod admin;
mod config;
mod conn;
mod corpus;
mod dsl;
mod error;
mod faults;
mod files;
mod people;
mod persist;
mod routes;
mod state;

pub use config::{PendingStyle, SimConfig, DEFAULT_PRACTICE_KEY};
pub use corpus::{id_exists, MAX_ID, MIN_ID};
pub use dsl::{MAX_CLAUSES, MAX_QUERY_CHARS};
pub use faults::{Faults, Group, PerGroup};
pub use files::hostile_names;
pub use people::Person;
pub use state::{CallRecord, Endpoint, RequestInfo, RequestKind, RequestState, MAX_RECORDS};

use axum::extract::DefaultBodyLimit;
use axum::Router;
use corpus::Corpus;
use state::{DataDir, Shared};
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A running simulator. Dropping it leaves the server running until the runtime ends; call
/// [`Simulator::shutdown`] to stop it.
pub struct Simulator {
    shared: Arc<Shared>,
    addr: SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

/// The whole HTTP application: API, admin API (only with `control_routes`), 404/405 fallbacks.
fn app(shared: Arc<Shared>, control_routes: bool) -> Router {
    let api = routes::router(shared.clone());
    let api = match control_routes {
        true => api.merge(admin::router()),
        false => api,
    };
    api.fallback(routes::not_found)
        .method_not_allowed_fallback(routes::method_not_allowed)
        .layer(DefaultBodyLimit::max(64 * 1024 * 1024))
        .with_state(shared)
}

impl Simulator {
    /// Builds the corpus (shared between simulators of the same seed and size), binds
    /// `127.0.0.1:<config.port or a free port>` and starts serving. With a data folder, the state
    /// saved there is reloaded first (see "Persistence" above).
    pub async fn start(config: SimConfig) -> std::io::Result<Simulator> {
        config
            .validate()
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
        let data_dir = DataDir::new(config.data_dir.as_deref())?;
        let control_routes = config.control_routes;
        let (seed, size) = (config.seed, config.corpus_size);
        let corpus = tokio::task::spawn_blocking(move || Corpus::shared(seed, size))
            .await
            .map_err(std::io::Error::other)?;
        let listener =
            tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, config.port.unwrap_or(0))).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared::new(config, corpus, data_dir));
        let listener = conn::SimListener {
            tcp: listener,
            shared: shared.clone(),
        };
        let (stop, stopped) = oneshot::channel::<()>();
        let server = axum::serve(listener, app(shared.clone(), control_routes))
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            });
        let task = tokio::spawn(async move {
            if let Err(e) = server.await {
                tracing::error!("simulator server stopped: {e}");
            }
        });
        tracing::info!("coresignal-sim listening on http://{addr}/cdapi");
        Ok(Simulator {
            shared,
            addr,
            stop,
            task,
        })
    }

    /// `http://127.0.0.1:PORT/cdapi`.
    pub fn base_url(&self) -> String {
        format!("http://{}/cdapi", self.addr)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Replaces the faults in force.
    pub fn set_faults(&self, faults: Faults) {
        self.shared.set_faults(faults);
    }

    /// The faults in force (countdowns as they stand now).
    pub fn faults(&self) -> Faults {
        self.shared.faults()
    }

    /// Sets a key's balance; an unknown key becomes a valid one. Saved at once with a data folder.
    pub fn set_credits(&self, key: &str, credits: i64) {
        self.shared.set_credits(key, credits);
    }

    /// A key's balance, `None` for an unknown key.
    pub fn credits(&self, key: &str) -> Option<i64> {
        self.shared.credits(key)
    }

    /// Moves the simulated clock forward (processing time, 30-day expiry). Saved at once with a data
    /// folder, so the advance outlives a restart.
    pub fn advance_clock(&self, by: Duration) {
        self.shared.advance_clock(by);
    }

    /// The simulated day, `yyyy-mm-dd`: the `last_updated` a change gets.
    pub fn today(&self) -> String {
        self.shared.today().ymd()
    }

    /// Changes a person from now on (search, preview, later deliveries), as
    /// `PUT /_sim/people/{id}` does: `changes` is a JSON object of top-level record fields, plus
    /// `in_corpus` (whether searches find them) optionally; see [`admin`]. Saved at once with a
    /// data folder. Fails with the reason (no such id, unknown field, wrong type).
    pub fn change_person(&self, id: u64, changes: serde_json::Value) -> Result<Person, String> {
        self.shared
            .change_person(id, &changes)
            .map_err(|e| match e {
                people::ChangeError::NoSuchId => format!("no person can have the id {id}"),
                people::ChangeError::Invalid(why) => why,
            })
    }

    /// Removes a person from the service: no search finds them, no request delivers or charges
    /// them. False if the service did not have them. Saved at once with a data folder.
    pub fn delete_person(&self, id: u64) -> bool {
        self.shared.delete_person(id)
    }

    /// The person as the service has them now (`None`: deleted, or no such id).
    pub fn person(&self, id: u64) -> Option<Person> {
        self.shared.people.get(&self.shared.corpus, id)
    }

    /// Every data request created, in creation order.
    pub fn requests(&self) -> Vec<RequestInfo> {
        self.shared.requests()
    }

    /// Every API call received (admin calls and wrong paths excluded), in arrival order.
    pub fn calls(&self) -> Vec<CallRecord> {
        self.shared.calls()
    }

    /// How many calls reached `endpoint` (whatever they were answered).
    pub fn count_calls(&self, endpoint: Endpoint) -> usize {
        self.shared
            .calls()
            .iter()
            .filter(|c| c.endpoint == endpoint)
            .count()
    }

    /// Empties the call log.
    pub fn clear_calls(&self) {
        self.shared.clear_calls();
    }

    /// A ready request of `key` whose single file is a gzip of at least `min_bytes`, written at a
    /// fast compression level under the data folder once (reused while the folder keeps it).
    /// Its file holds more than 10,000 records when large: it is a download fixture.
    ///
    /// # Panics
    /// If the file cannot be written; see [`Simulator::try_create_big_file_request`].
    pub async fn create_big_file_request(&self, key: &str, min_bytes: u64) -> RequestInfo {
        match self.try_create_big_file_request(key, min_bytes).await {
            Ok(info) => info,
            Err(e) => panic!("cannot write the big-file fixture: {e}"),
        }
    }

    /// [`Simulator::create_big_file_request`] reporting I/O errors.
    pub async fn try_create_big_file_request(
        &self,
        key: &str,
        min_bytes: u64,
    ) -> std::io::Result<RequestInfo> {
        self.shared.big_file_request(key, min_bytes).await
    }

    /// Stops serving (open downloads get a second to end) and waits for the server to stop.
    pub async fn shutdown(self) {
        let _ = self.stop.send(());
        let mut task = self.task;
        if tokio::time::timeout(Duration::from_secs(1), &mut task)
            .await
            .is_err()
        {
            task.abort();
        }
    }
}
