//! The credits-per-profile figure measured from the balance around delivered jobs: the median of
//! the latest clean measurements, with any unusual one left out.

use serde::{Deserialize, Serialize};

/// How many of the latest clean measurements the measured figure is taken from.
pub const RECENT_MEASUREMENTS: usize = 5;

/// One clean measurement: what a profile cost in one delivered job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measurement {
    /// Credits one profile cost.
    pub value: u32,
    /// The job.
    pub job_id: i64,
    /// When (RFC 3339).
    pub measured_at: String,
}

/// The credits-per-profile figure measured on the latest delivered jobs: the median of the
/// latest [`RECENT_MEASUREMENTS`], leaving out any unusual one (another key of the team spending
/// between the two balance readings makes a delivery look dearer than it was).
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[ts(export)]
pub struct MeasuredCredits {
    /// Credits one profile cost.
    pub value: u32,
    /// The latest job measured.
    #[ts(type = "number")]
    pub job_id: i64,
    /// When that was (RFC 3339).
    pub measured_at: String,
    /// How many delivered jobs the figure is taken from (1 to [`RECENT_MEASUREMENTS`]).
    pub collections: u32,
    /// How many of them were left out as unusual (far from the others' median).
    pub left_out: u32,
}

impl MeasuredCredits {
    /// The figure of `recent` measurements (newest first): their median, after leaving out those
    /// more than a quarter away from it; `None` when there are none.
    pub fn of_recent(recent: &[Measurement]) -> Option<Self> {
        let latest = recent.first()?;
        let all: Vec<u32> = recent.iter().map(|m| m.value).collect();
        let middle = lower_median(&all)?;
        // |value − middle| ≤ middle / 4, in whole numbers.
        let usual: Vec<u32> = all
            .iter()
            .copied()
            .filter(|value| value.abs_diff(middle).saturating_mul(4) <= middle)
            .collect();
        Some(Self {
            value: lower_median(&usual).unwrap_or(middle),
            job_id: latest.job_id,
            measured_at: latest.measured_at.clone(),
            collections: u32::try_from(all.len()).unwrap_or(u32::MAX),
            left_out: u32::try_from(all.len() - usual.len()).unwrap_or(u32::MAX),
        })
    }

    /// Where the figure comes from, in words: "measured on job 12 (2026-11-29)" or "measured:
    /// median of your last 5 collections (1 left out as unusual)".
    pub(super) fn source(&self, job: bool) -> String {
        if self.collections <= 1 {
            return if job {
                format!(
                    "measured on job {} ({})",
                    self.job_id,
                    self.measured_at.get(..10).unwrap_or(&self.measured_at)
                )
            } else {
                "measured on an earlier delivery".to_owned()
            };
        }
        let left_out = match self.left_out {
            0 => String::new(),
            n => format!(" ({n} left out as unusual)"),
        };
        format!(
            "measured: median of your last {} collections{left_out}",
            self.collections
        )
    }
}

/// The middle value of `values` (the lower of the two middle ones for an even count: a price is
/// never raised by a tie).
fn lower_median(values: &[u32]) -> Option<u32> {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    sorted.get(sorted.len().checked_sub(1)? / 2).copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::{CreditsBasis, CreditsPerProfile};

    fn measured(values: &[u32]) -> Option<MeasuredCredits> {
        let recent: Vec<Measurement> = values
            .iter()
            .enumerate()
            .map(|(at, value)| Measurement {
                value: *value,
                job_id: 100 - at as i64,
                measured_at: format!("2026-11-{:02}T10:00:00Z", 29 - at),
            })
            .collect();
        MeasuredCredits::of_recent(&recent)
    }

    #[test]
    fn the_figure_is_the_median_of_recent_deliveries_without_the_unusual_ones() {
        assert_eq!(measured(&[]), None);
        let one = measured(&[10]).unwrap();
        assert_eq!((one.value, one.collections, one.left_out), (10, 1, 0));
        // The latest delivery was measured while another key spent: it looks 3 times dearer.
        let two = measured(&[30, 10]).unwrap();
        assert_eq!((two.value, two.collections, two.left_out), (10, 2, 1));
        assert_eq!(two.job_id, 100, "the latest job measured");
        let five = measured(&[10, 10, 40, 10, 11]).unwrap();
        assert_eq!((five.value, five.left_out), (10, 1));
        // A real change of plan wins once most recent deliveries show it.
        let changed = measured(&[20, 20, 20, 10, 10]).unwrap();
        assert_eq!((changed.value, changed.left_out), (20, 2));

        let figure = CreditsPerProfile::new(1, Some(two));
        assert_eq!((figure.used, figure.basis), (10, CreditsBasis::Measured));
        assert_eq!(
            figure.explained,
            "10 credits per profile, measured: median of your last 2 collections (1 left out as unusual)."
        );
        assert_eq!(
            figure.quote_note(),
            "10 credits per profile, measured: median of your last 2 collections (1 left out as unusual)."
        );
        let single = CreditsPerProfile::new(1, measured(&[10]));
        assert_eq!(
            single.quote_note(),
            "10 credits per profile, measured on an earlier delivery."
        );
        assert_eq!(
            CreditsPerProfile::new(1, None).quote_note(),
            "1 credit per profile, from your plan setting."
        );
    }
}
