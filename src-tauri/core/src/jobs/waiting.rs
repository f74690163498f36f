//! What a person waiting for a collection is told about the time: Coresignal publishes no typical
//! time (the contract says only "poll until the files are listed"; public clients check once a
//! minute), so the app says so, and once it has seen some of its own requests become ready, it
//! gives their middle (median) wait, saying how many it is taken from.

use std::time::Duration;

use serde::Serialize;

use super::{Engine, EngineError};

/// How many of the latest ready requests the typical time is taken from.
pub const TYPICAL_FROM_LATEST: u32 = 20;

/// The typical wait, from this app's own requests of the same mode.
#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[ts(export)]
pub struct TypicalWait {
    /// The median wait from sending to files ready, in whole seconds; `None` before any
    /// request of this mode became ready.
    #[ts(type = "number | null")]
    pub median_secs: Option<u64>,
    /// How many requests it is taken from.
    pub from: u32,
}

/// The middle of `waits` (the mean of the two middle ones for an even count); `None` for none.
pub fn median(waits: &[Duration]) -> Option<Duration> {
    let mut sorted = waits.to_vec();
    sorted.sort_unstable();
    let middle = sorted.len() / 2;
    match sorted.len() {
        0 => None,
        len if len % 2 == 1 => sorted.get(middle).copied(),
        _ => {
            let (low, high) = (sorted.get(middle - 1)?, sorted.get(middle)?);
            Some((*low + *high) / 2)
        }
    }
}

/// The typical wait of `waits`, as a person is shown it.
pub fn typical_wait(waits: &[Duration]) -> TypicalWait {
    TypicalWait {
        median_secs: median(waits).map(|wait| wait.as_secs()),
        from: u32::try_from(waits.len()).unwrap_or(u32::MAX),
    }
}

impl Engine {
    /// The typical wait of this mode's latest requests that became ready.
    pub fn typical_wait(&self) -> Result<TypicalWait, EngineError> {
        let waits = self.store.ready_waits(self.mode(), TYPICAL_FROM_LATEST)?;
        Ok(typical_wait(&waits))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(values: &[u64]) -> Vec<Duration> {
        values.iter().map(|&s| Duration::from_secs(s)).collect()
    }

    #[test]
    fn the_median_is_the_middle_wait_and_none_without_waits() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&secs(&[300])), Some(Duration::from_secs(300)));
        assert_eq!(
            median(&secs(&[900, 60, 240])),
            Some(Duration::from_secs(240))
        );
        assert_eq!(
            median(&secs(&[60, 240, 300, 3_600])),
            Some(Duration::from_secs(270))
        );
    }

    #[test]
    fn the_typical_wait_says_how_many_requests_it_comes_from() {
        assert_eq!(
            typical_wait(&[]),
            TypicalWait {
                median_secs: None,
                from: 0
            }
        );
        assert_eq!(
            typical_wait(&secs(&[4, 5, 600])),
            TypicalWait {
                median_secs: Some(5),
                from: 3
            }
        );
    }
}
