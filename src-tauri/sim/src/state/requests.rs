//! Data requests: made, polled, settled, downloaded, and the big-file fixture.

use super::*;

impl Shared {
    // --- data requests --------------------------------------------------------------------

    fn info(&self, inner: &Inner, r: &DataRequest) -> RequestInfo {
        let mut info = r.info.clone();
        if self.now(inner) >= r.created_at + self.config.retention {
            info.state = RequestState::Expired;
        }
        info
    }

    pub(crate) fn requests(&self) -> Vec<RequestInfo> {
        let inner = self.lock();
        let mut all: Vec<&DataRequest> = inner.requests.values().collect();
        all.sort_by_key(|r| r.seq);
        all.into_iter().map(|r| self.info(&inner, r)).collect()
    }

    /// Creates a data request and saves it before returning, or answers 409 for an identical ES DSL
    /// request still in progress.
    pub(crate) async fn create_request(
        self: &Arc<Self>,
        new: NewRequest,
    ) -> Result<RequestInfo, ApiError> {
        let info = self.insert_request(new)?;
        self.persist().await;
        Ok(info)
    }

    /// [`Shared::create_request`] without saving.
    fn insert_request(&self, new: NewRequest) -> Result<RequestInfo, ApiError> {
        let mut inner = self.lock();
        let now = self.now(&inner);
        if let Some(canonical) = &new.canonical {
            let busy = inner.requests.values().any(|r| {
                r.info.key == new.key
                    && r.canonical.as_ref() == Some(canonical)
                    && (now < r.ready_at || r.finalizing)
            });
            if busy {
                return Err(ApiError::new(
                    409,
                    "Identical data request is already in progress.",
                ));
            }
        }
        let id = uuid::Uuid::new_v4().to_string();
        let seq = inner.next_seq;
        inner.next_seq += 1;
        let info = RequestInfo {
            id: id.clone(),
            kind: new.kind,
            key: new.key,
            state: RequestState::Processing,
            matched: new.matched,
            record_count: new.ids.len(),
            files: Vec::new(),
            charged: 0,
            created_at_ms: now.as_millis() as u64,
            limit: new.limit,
            webhook_url: new.webhook_url,
        };
        let request = DataRequest {
            seq,
            info: info.clone(),
            ids: new.ids,
            ready_at: now + self.config.processing_time,
            created_at: now,
            canonical: new.canonical,
            finalizing: false,
            files: Vec::new(),
        };
        inner.requests.insert(id, request);
        Ok(info)
    }

    fn not_found() -> ApiError {
        ApiError::new(404, "Not found")
    }

    fn expired() -> ApiError {
        ApiError::new(404, "Data request has expired")
    }

    fn no_match(&self) -> ApiError {
        ApiError::new(
            self.config.no_match_status,
            "Request did not find any matching IDs",
        )
    }

    fn too_many() -> ApiError {
        ApiError::new(422, "Request matched too many IDs. Maximum is 10,000 IDs")
    }

    /// A status poll: settles a request whose processing time has passed (charging it once and
    /// writing its files), saves what changed, then reports it.
    pub(crate) async fn poll(self: &Arc<Self>, id: &str) -> Result<Poll, ApiError> {
        match self.begin_poll(id)? {
            Step::Answer { result, changed } => {
                if changed {
                    self.persist().await;
                }
                result
            }
            Step::Write {
                ids,
                dir,
                hostile,
                people,
            } => {
                // Settled in a task of its own: a client that gives up on this poll (a timeout
                // closes the connection and drops this future) must not leave the request
                // "finalizing" for ever; the next poll finds it ready.
                let (seed, per_file) = (self.corpus.seed, self.config.records_per_file);
                let shared = Arc::clone(self);
                let id = id.to_owned();
                let settle = tokio::spawn(async move {
                    let written = tokio::task::spawn_blocking(move || {
                        files::write_parts(&dir, seed, &ids, per_file, hostile, &people)
                    })
                    .await
                    .map_err(std::io::Error::other)
                    .and_then(|w| w);
                    let result = shared.finish_poll(&id, written);
                    if result.is_ok() {
                        shared.persist().await;
                    }
                    result
                });
                settle
                    .await
                    .unwrap_or_else(|_| Err(ApiError::new(500, "Internal Server Error")))
            }
        }
    }

    /// Answers a poll from the request's state, or charges it and marks it as being settled.
    pub(super) fn begin_poll(&self, id: &str) -> Result<Step, ApiError> {
        let mut inner = self.lock();
        let now = self.now(&inner);
        let hostile = inner.faults.hostile_file_names;
        let r = inner.requests.get(id).ok_or_else(Self::not_found)?;
        if now >= r.created_at + self.config.retention {
            return Err(Self::expired());
        }
        let answer = |result| {
            Ok(Step::Answer {
                result,
                changed: false,
            })
        };
        match r.info.state {
            RequestState::Ready => return answer(Ok(Poll::Ready(r.info.files.clone()))),
            RequestState::NoMatch => return answer(Err(self.no_match())),
            RequestState::TooManyMatches => return answer(Err(Self::too_many())),
            RequestState::Expired => return answer(Err(Self::expired())),
            RequestState::Processing | RequestState::InsufficientCredits => {}
        }
        if r.finalizing || now < r.ready_at {
            return answer(Ok(Poll::Pending));
        }
        let key = r.info.key.clone();
        // Only the people the service still has are delivered and charged.
        let people = self.people.overlay();
        let too_many = r.ids.is_empty();
        let ids: Vec<u64> = r
            .ids
            .iter()
            .copied()
            .filter(|&i| people.exists(i))
            .collect();
        let (matched, count) = (r.info.matched, ids.len());
        let cost = count as i64 * self.config.credits_per_record;
        let balance = inner.credits.get(&key).copied().unwrap_or(0);
        let failure = if matched == 0 || (count == 0 && !too_many) {
            Some((RequestState::NoMatch, self.no_match()))
        } else if too_many {
            Some((RequestState::TooManyMatches, Self::too_many()))
        } else if balance < cost {
            Some((
                RequestState::InsufficientCredits,
                ApiError::new(402, "Insufficient credits"),
            ))
        } else {
            None
        };
        let r = inner.requests.get_mut(id).ok_or_else(Self::not_found)?;
        if let Some((state, err)) = failure {
            let changed = r.info.state != state;
            r.info.state = state;
            return Ok(Step::Answer {
                result: Err(err),
                changed,
            });
        }
        r.finalizing = true;
        r.info.charged = cost;
        r.info.record_count = count;
        r.ids.clone_from(&ids);
        *inner.credits.entry(key).or_insert(0) -= cost;
        Ok(Step::Write {
            ids,
            dir: self.data_dir.path.join("requests").join(id),
            hostile,
            people,
        })
    }

    /// Lists the written files, or refunds the charge when writing failed.
    fn finish_poll(
        &self,
        id: &str,
        written: std::io::Result<Vec<StoredFile>>,
    ) -> Result<Poll, ApiError> {
        let mut inner = self.lock();
        let r = inner.requests.get_mut(id).ok_or_else(Self::not_found)?;
        r.finalizing = false;
        match written {
            Ok(stored) => {
                r.info.files = stored.iter().map(|f| f.name.clone()).collect();
                r.info.state = RequestState::Ready;
                r.files = stored;
                Ok(Poll::Ready(r.info.files.clone()))
            }
            Err(e) => {
                let refund = std::mem::take(&mut r.info.charged);
                let key = r.info.key.clone();
                *inner.credits.entry(key).or_insert(0) += refund;
                tracing::error!("writing result files failed: {e}");
                Err(ApiError::new(500, "Internal Server Error"))
            }
        }
    }

    /// Looks up a listed file by its exact name and applies the download faults.
    pub(crate) fn download(&self, id: &str, name: &str) -> Result<DownloadPlan, ApiError> {
        let mut inner = self.lock();
        let now = self.now(&inner);
        let r = inner.requests.get(id).ok_or_else(Self::not_found)?;
        if now >= r.created_at + self.config.retention {
            return Err(Self::expired());
        }
        let file = r
            .files
            .iter()
            .find(|f| f.name == name)
            .ok_or_else(|| ApiError::new(404, "File not found"))?;
        let (path, size) = (file.path.clone(), file.size);
        let faults = &mut inner.faults;
        let len = if faults.take_truncate() {
            size - (size / 3).max(16).min(size)
        } else {
            size
        };
        Ok(DownloadPlan {
            path,
            len,
            cut_after: faults.take_cut(),
            throttle: faults.throttle_bytes_per_second,
        })
    }

    /// A ready request whose single file is a gzip of at least `min_bytes`, written once per data
    /// folder and seed (and reused while it is there). Not charged.
    pub(crate) async fn big_file_request(
        self: &Arc<Self>,
        key: &str,
        min_bytes: u64,
    ) -> std::io::Result<RequestInfo> {
        let _one_at_a_time = self.big_file.lock().await;
        let seed = self.corpus.seed;
        let path = self
            .data_dir
            .path
            .join("fixtures")
            .join(format!("big-{seed}-{min_bytes}.json.gz"));
        let count_path = path.with_extension("count");
        let known = std::fs::read_to_string(&count_path)
            .ok()
            .and_then(|s| s.trim().parse::<u64>().ok());
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        let records = match known {
            Some(n) if size >= min_bytes => n,
            _ => {
                let p = path.clone();
                let n =
                    tokio::task::spawn_blocking(move || files::write_big_file(&p, seed, min_bytes))
                        .await
                        .map_err(std::io::Error::other)??;
                std::fs::write(&count_path, n.to_string())?;
                n
            }
        };
        let size = std::fs::metadata(&path)?.len();
        let name = files::part_name(0, &uuid::Uuid::new_v4().to_string(), false);
        let info = self
            .insert_request(NewRequest {
                kind: RequestKind::Fixture,
                key: key.to_string(),
                matched: records as usize,
                ids: Vec::new(),
                limit: None,
                webhook_url: None,
                canonical: None,
            })
            .map_err(|e| std::io::Error::other(e.detail))?;
        let info = {
            let mut inner = self.lock();
            let Some(r) = inner.requests.get_mut(&info.id) else {
                return Err(std::io::Error::other("request vanished"));
            };
            r.ready_at = r.created_at;
            r.info.record_count = records as usize;
            r.info.state = RequestState::Ready;
            r.info.files = vec![name.clone()];
            r.files = vec![StoredFile { name, path, size }];
            r.info.clone()
        };
        self.persist().await;
        Ok(info)
    }
}
