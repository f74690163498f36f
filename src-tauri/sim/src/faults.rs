//! Switchable faults: what can go wrong, per simulator, changeable at run time.

use serde::{Deserialize, Serialize};

/// The groups of endpoints that faults and delays are set for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    /// The two POSTs that create data requests.
    Submit,
    /// `GET /files` (status polling).
    Status,
    /// `GET /files/{file_name}`.
    Download,
    /// The search and preview POSTs.
    Search,
}

/// One value per endpoint group.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PerGroup<T> {
    /// For the submit POSTs.
    pub submit: T,
    /// For status polls.
    pub status: T,
    /// For downloads.
    pub download: T,
    /// For search and preview.
    pub search: T,
}

impl<T: Copy> PerGroup<T> {
    /// The same value for every group.
    pub fn all(v: T) -> Self {
        PerGroup {
            submit: v,
            status: v,
            download: v,
            search: v,
        }
    }

    /// The value for `group`.
    pub fn get(&self, group: Group) -> T {
        match group {
            Group::Submit => self.submit,
            Group::Status => self.status,
            Group::Download => self.download,
            Group::Search => self.search,
        }
    }
}

/// Faults to inject. Counters (`submit_lost`, `submit_unavailable`, `rate_limit_storm`,
/// `cut_download_times`, `truncate_files_times`) count down as they fire. Every field defaults to
/// "off", so a partial JSON object is a valid `PUT /_sim/faults` body.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Faults {
    /// Probability (0..=1) that a call of the group is answered a random 500/502/503/504 before
    /// anything happens (nothing is created). Seeded, so runs repeat.
    pub error_rate: PerGroup<f64>,
    /// Extra milliseconds before answering, per group. Applied after the work: a delayed submit has
    /// already created its request when a client gives up.
    pub delay_ms: PerGroup<u64>,
    /// The next N submits create their request but are answered `submit_lost_status`.
    pub submit_lost: u32,
    /// Status of those answers: 500, 502 or 504 (default 502 when 0).
    pub submit_lost_status: u16,
    /// The next N submits are answered 503 without creating anything.
    pub submit_unavailable: u32,
    /// The next N API calls (any endpoint) are answered 429.
    pub rate_limit_storm: u32,
    /// Break the connection after this many body bytes of a download.
    pub cut_download_after: Option<u64>,
    /// How many downloads to cut; `None` cuts every attempt.
    pub cut_download_times: Option<u32>,
    /// Serve downloads at most this fast.
    pub throttle_bytes_per_second: Option<u64>,
    /// Serve files cut short (a corrupt gzip with a consistent `Content-Length`).
    pub truncate_files: bool,
    /// How many downloads `truncate_files` spoils (counting down); `None` spoils every one.
    pub truncate_files_times: Option<u32>,
    /// A keep-alive connection that sat idle longer than this many milliseconds is closed when the
    /// next request arrives on it, before the request is read (unanswered, never counted). It is
    /// what a client meets when its request crosses the server's idle-timeout close (a load
    /// balancer's, say) on the wire.
    pub close_idle_after_ms: Option<u64>,
    /// `Retry-After` (seconds) sent with the 429s of `rate_limit_storm`, whatever
    /// [`crate::SimConfig::send_retry_after`] says.
    pub storm_retry_after_secs: Option<u64>,
    /// Requests that become ready while this is on list hostile file names (`../…`, `/tmp/…`,
    /// `..\..\…`, then [`crate::hostile_names`] from the 4th file on), which the download route
    /// serves by that exact name.
    pub hostile_file_names: bool,
}

impl Faults {
    /// Checks probabilities and statuses.
    pub fn validate(&self) -> Result<(), String> {
        for g in [Group::Submit, Group::Status, Group::Download, Group::Search] {
            let p = self.error_rate.get(g);
            if !(0.0..=1.0).contains(&p) {
                return Err(format!(
                    "error_rate for {g:?} must be within 0..=1, not {p}"
                ));
            }
        }
        if !matches!(self.submit_lost_status, 0 | 500 | 502 | 504) {
            return Err(format!(
                "submit_lost_status must be 500, 502 or 504, not {}",
                self.submit_lost_status
            ));
        }
        if self.throttle_bytes_per_second == Some(0) {
            return Err("throttle_bytes_per_second must be at least 1".into());
        }
        Ok(())
    }

    /// The status a lost submit is answered with.
    pub(crate) fn lost_status(&self) -> u16 {
        if self.submit_lost_status == 0 {
            502
        } else {
            self.submit_lost_status
        }
    }

    /// Whether the next download is served cut short (consumes one count).
    pub(crate) fn take_truncate(&mut self) -> bool {
        if !self.truncate_files {
            return false;
        }
        match &mut self.truncate_files_times {
            None => true,
            Some(n) => take(n),
        }
    }

    /// Whether the next download is cut, and after how many bytes (consumes one count).
    pub(crate) fn take_cut(&mut self) -> Option<u64> {
        let after = self.cut_download_after?;
        match &mut self.cut_download_times {
            None => Some(after),
            Some(0) => None,
            Some(n) => {
                *n -= 1;
                Some(after)
            }
        }
    }
}

/// Decrements a countdown fault; true if it fired.
pub(crate) fn take(counter: &mut u32) -> bool {
    if *counter > 0 {
        *counter -= 1;
        true
    } else {
        false
    }
}
