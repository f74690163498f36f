//! The engine's side of the team library ([`crate::team`]): which link it uses, queueing a Live
//! job's people for it, publishing the outbox (after each job, at start, and every
//! [`RETRY_EVERY`] while something waits), and the status Settings shows.

use std::sync::Arc;
use std::time::Duration;

use crate::team::{Published, Queued, TeamError, TeamLink, TeamSettings, TeamStatus};

use super::engine::{lock, read};
use super::request::fingerprint;
use super::{Engine, Mode};

/// How often the outbox is tried again while something waits in it.
pub const RETRY_EVERY: Duration = Duration::from_secs(60);

impl Engine {
    /// Uses `team` from now on (`None`: no team library). Anything waiting is sent soon.
    pub fn set_team(self: &Arc<Self>, team: Option<TeamLink>) {
        *super::engine::write(&self.team) = team.map(Arc::new);
        *lock(&self.team_tried) = None;
        self.publish_soon();
    }

    /// The team library in use, if any. Practice never uses one: its made-up people are not
    /// real.
    pub fn team(&self) -> Option<Arc<TeamLink>> {
        if self.mode() != Mode::Live {
            return None;
        }
        read(&self.team).clone()
    }

    /// The outbox entry for job `id` with `people` kept, when its people go to a team library:
    /// Live, and a team library set (here, or saved in Settings while it cannot be opened).
    pub(super) fn queued_for_team(&self, id: i64) -> Option<Box<dyn Fn(u64) -> Queued + Send>> {
        if self.mode() != Mode::Live {
            return None;
        }
        let who = match self.team() {
            Some(team) => team.who().to_owned(),
            None => {
                let saved = TeamSettings::load(&self.store).ok()?;
                saved.address.as_ref()?;
                saved.name
            }
        };
        let job = self.store.job(id).ok()?;
        let fingerprint = self.team_fingerprint(&job);
        let dataset = job.mode.library_dataset().to_owned();
        let per_profile = i64::from(job.credits_per_record);
        let collection = collection_id(&job, &dataset);
        Some(Box::new(move |people| Queued {
            collection: collection.clone(),
            job: job.id,
            dataset: dataset.clone(),
            who: who.clone(),
            at: crate::store::now_text(),
            name: job.name.clone(),
            fingerprint: fingerprint.clone(),
            credits: i64::try_from(people)
                .unwrap_or(i64::MAX)
                .saturating_mul(per_profile),
            profiles: i64::try_from(people).unwrap_or(i64::MAX),
        }))
    }

    /// The fingerprint colleagues' quotes look for: the search a net-new purchase split (the same
    /// search is the same data, whoever held what), else the request as sent.
    fn team_fingerprint(&self, job: &crate::store::JobRow) -> String {
        let quote = job.quote_id.or_else(|| {
            job.parent_id
                .and_then(|parent| self.store.job(parent).ok())
                .and_then(|parent| parent.quote_id)
        });
        let origin = quote
            .and_then(|quote| self.store.quote(job.mode, quote).ok())
            .and_then(|row| {
                let split = row.request.split?;
                let body: serde_json::Value =
                    serde_json::from_str(split.origin_query.as_deref()?).ok()?;
                let limit = split
                    .origin_limit
                    .filter(|limit| u64::from(*limit) < row.request.matches);
                Some(fingerprint(
                    &serde_json::json!({"es_dsl_query": body, "limit": limit}),
                ))
            });
        origin.unwrap_or_else(|| job.fingerprint.clone())
    }

    /// Sends what waits in the outbox now; one round at a time per engine: a call while a round
    /// runs waits for it, then sends what is left (`team publish`, and the CLI after a download,
    /// must not answer before the background round is done: the process ends after them).
    pub async fn publish_to_team(&self) -> Result<Published, TeamError> {
        let _round = self.publishing.lock().await;
        self.publish_round().await
    }

    /// One round, the caller holding [`Engine::publishing`].
    async fn publish_round(&self) -> Result<Published, TeamError> {
        let Some(team) = self.team() else {
            return Ok(Published::default());
        };
        *lock(&self.team_tried) = Some(tokio::time::Instant::now());
        let published = team.publish(&self.store).await;
        if let Err(error) = &published {
            tracing::info!("team library: {error}");
        }
        published
    }

    /// Starts a round of publishing in the background (nothing waits on it), unless one runs.
    pub fn publish_soon(self: &Arc<Self>) {
        if self.team().is_none() {
            return;
        }
        let engine = Arc::clone(self);
        tokio::spawn(async move {
            let Ok(_round) = engine.publishing.try_lock() else {
                return;
            };
            let _ = engine.publish_round().await;
        });
    }

    /// From the scheduler's pass: publishes again when something waits and the last round was
    /// [`RETRY_EVERY`] ago (or never ran).
    pub(super) fn retry_team(self: &Arc<Self>) {
        if self.team().is_none() || self.publishing.try_lock().is_err() {
            return;
        }
        let due = lock(&self.team_tried).is_none_or(|tried| tried.elapsed() >= RETRY_EVERY);
        let waiting = crate::team::local_status(&self.store)
            .map(|status| status.waiting_collections > 0)
            .unwrap_or(false);
        if due && waiting {
            self.publish_soon();
        }
    }

    /// What Settings shows of the team library; with `ask`, whether the server answers now.
    pub async fn team_status(&self, ask: bool) -> Result<TeamStatus, TeamError> {
        let team = read(&self.team).clone();
        match team {
            Some(team) => team.status(&self.store, ask).await,
            None => {
                let mut status = crate::team::local_status(&self.store)?;
                status.address = TeamSettings::load(&self.store)?.address;
                Ok(status)
            }
        }
    }
}

/// The team ledger's id of `job`'s collection: the same every time its download completes (so a
/// download done again, or finished again after a restart, is one collection on the server, its
/// credits counted once), made from Coresignal's request id, which colleagues do not see; a job
/// without one gets a random id.
fn collection_id(job: &crate::store::JobRow, dataset: &str) -> String {
    use sha2::Digest;
    let Some(request) = job.request_id.as_deref() else {
        return uuid::Uuid::new_v4().to_string();
    };
    let digest = sha2::Sha256::digest(format!(
        "bulk-collect team collection\n{dataset}\n{request}\n{}",
        job.id
    ));
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string()
}

impl Engine {
    /// The team's part of a quote: how many of the people skipped the team holds (not this
    /// computer), who brought the newest of them, what that saves; colleagues' collections of
    /// the same request; or that the team library could not be asked. `None` without one.
    pub(super) async fn team_part(
        &self,
        asked: super::net_new::TeamAsked,
        net_new: &super::net_new::NetNew,
        request: &super::JobRequest,
        matches: u64,
        per_profile: u32,
    ) -> Option<crate::team::TeamQuote> {
        use super::net_new::{NetNew, TeamAsked};
        let link = self.team()?;
        let (found, asked_held) = match asked {
            TeamAsked::Unreachable => return Some(crate::team::TeamQuote::unreachable()),
            TeamAsked::Held(found) => (found, true),
            TeamAsked::NotAsked => (Vec::new(), false),
        };
        let skipped: std::collections::HashSet<i64> = match net_new {
            NetNew::Split(split) => split
                .people
                .iter()
                .filter(|(_, standing)| *standing == crate::library::Standing::Held)
                .map(|(id, _)| *id)
                .collect(),
            _ => Default::default(),
        };
        let held: Vec<&crate::team::TeamHeld> = found
            .iter()
            .filter(|person| skipped.contains(&person.id))
            .collect();
        let same = vec![fingerprint(&request.canonical(matches))];
        let earlier = match link.earlier(&same).await {
            Ok(earlier) => earlier,
            // The people it holds were asked and are skipped: the quote must say so, whatever
            // became of the question about colleagues' collections.
            Err(error) if asked_held => {
                tracing::info!("quote without colleagues' collections: {error}");
                Vec::new()
            }
            Err(_) => return Some(crate::team::TeamQuote::unreachable()),
        };
        // Not asked who it holds (everyone bought, or too many to list): only a colleague's
        // collection of the same request is news.
        if !asked_held && earlier.is_empty() {
            return None;
        }
        Some(crate::team::TeamQuote::of(
            &held,
            u64::from(per_profile),
            earlier,
        ))
    }
}

impl Engine {
    /// For job `id` made from a net-new quote: copies the people it skipped because the team
    /// holds them, and this computer does not, from the team library into the people library,
    /// so that its spreadsheet has their records. Returns how many were added, and how many of
    /// those missing here are still missing after (the team library no longer holds them, or
    /// their records cannot be read); (0, 0) without a team library, or when nothing is missing.
    /// Runs before the spreadsheet after a download.
    pub async fn copy_from_team(&self, id: i64) -> Result<(u64, u64), super::EngineError> {
        let Some(link) = self.team() else {
            return Ok((0, 0));
        };
        let job = self.store.job(id)?;
        let owner = job
            .parent_id
            .map_or(Ok(job.clone()), |parent| self.store.job(parent))?;
        let Some(quote) = owner.quote_id else {
            return Ok((0, 0));
        };
        if self.store.quote(job.mode, quote)?.request.split.is_none() {
            return Ok((0, 0));
        }
        let skipped: Vec<i64> = self
            .store
            .quote_people(quote)?
            .into_iter()
            .filter(|(_, standing)| *standing == crate::library::Standing::Held)
            .map(|(id, _)| id)
            .collect();
        let library = crate::library::Library::new(self.store.clone());
        let dataset = job.mode.library_dataset();
        let mine: std::collections::HashSet<i64> = library
            .lookup(dataset, &skipped)?
            .into_iter()
            .map(|held| held.id)
            .collect();
        let missing: Vec<i64> = skipped
            .into_iter()
            .filter(|id| !mine.contains(id))
            .collect();
        let mut added = 0;
        for ids in missing.chunks(crate::ids::MAX_IDS_PER_REQUEST) {
            let copies = link
                .records(dataset, ids)
                .await
                .map_err(|error| super::EngineError::InvalidInput(error.to_string()))?;
            let (library, owner) = (library.clone(), owner.id);
            added += tokio::task::spawn_blocking(move || {
                library.keep_team_copies(dataset, owner, &copies)
            })
            .await
            .map_err(|error| super::EngineError::InvalidInput(error.to_string()))??;
        }
        let still_missing = missing.len() as u64
            - library.lookup(dataset, &missing)?.len().min(missing.len()) as u64;
        Ok((added, still_missing))
    }
}
