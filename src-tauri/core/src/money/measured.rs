//! The credits-per-profile figure measured from the balance around delivered jobs: the upper
//! median of the latest clean measurements, with any unusual one left out (the highest while there
//! are fewer than 3).

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

/// The credits-per-profile figure measured on the latest delivered jobs: the upper median of the
/// latest [`RECENT_MEASUREMENTS`], leaving out any unusual one (another key of the team spending
/// between the two balance readings makes a delivery look dearer than it was); with fewer than 3,
/// the highest of them.
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
    /// The figure of `recent` measurements (newest first); `None` when there are none. With fewer
    /// than 3, their highest (too few to tell an unusual one). Otherwise their upper median, after
    /// leaving out those more than a quarter away from it. A price is a promise: a tie or a doubt
    /// never lowers it.
    pub fn of_recent(recent: &[Measurement]) -> Option<Self> {
        let latest = recent.first()?;
        let all: Vec<u32> = recent.iter().map(|m| m.value).collect();
        let (value, usual) = if all.len() < 3 {
            (all.iter().copied().max()?, all.len())
        } else {
            let middle = upper_median(&all)?;
            // |value − middle| ≤ middle / 4, in whole numbers.
            let usual: Vec<u32> = all
                .iter()
                .copied()
                .filter(|value| value.abs_diff(middle).saturating_mul(4) <= middle)
                .collect();
            (upper_median(&usual).unwrap_or(middle), usual.len())
        };
        Some(Self {
            value,
            job_id: latest.job_id,
            measured_at: latest.measured_at.clone(),
            collections: u32::try_from(all.len()).unwrap_or(u32::MAX),
            left_out: u32::try_from(all.len() - usual).unwrap_or(u32::MAX),
        })
    }

    /// Where the figure comes from, in words: "measured on Collection 12 (2026-11-29)" or "measured:
    /// median of your last 5 collections (1 left out as unusual)".
    pub(super) fn source(&self, job: bool) -> String {
        if self.collections <= 1 {
            return if job {
                format!(
                    "measured on Collection {} ({})",
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

/// The middle value of `values` (the higher of the two middle ones for an even count: a price is
/// never lowered by a tie).
fn upper_median(values: &[u32]) -> Option<u32> {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    sorted.get(sorted.len() / 2).copied()
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
    fn the_figure_is_the_upper_median_of_recent_deliveries_without_the_unusual_ones() {
        assert_eq!(measured(&[]), None);
        let one = measured(&[10]).unwrap();
        assert_eq!((one.value, one.collections, one.left_out), (10, 1, 0));
        // Two readings cannot tell which is unusual: the higher one, so no price is too low.
        let two = measured(&[30, 10]).unwrap();
        assert_eq!((two.value, two.collections, two.left_out), (30, 2, 0));
        assert_eq!(two.job_id, 100, "the latest job measured");
        assert_eq!(measured(&[10, 30]).unwrap().value, 30);
        // From 3 on, an unusual one is left out (another key spent during the delivery).
        let three = measured(&[10, 40, 10]).unwrap();
        assert_eq!((three.value, three.left_out), (10, 1));
        let five = measured(&[10, 10, 40, 10, 11]).unwrap();
        assert_eq!((five.value, five.left_out), (10, 1));
        // A tie of the two middle readings takes the higher: never the lower.
        let tie = measured(&[10, 11, 10, 11]).unwrap();
        assert_eq!((tie.value, tie.left_out), (11, 0));
        // A real change of plan wins once most recent deliveries show it.
        let changed = measured(&[20, 20, 20, 10, 10]).unwrap();
        assert_eq!((changed.value, changed.left_out), (20, 2));

        let figure = CreditsPerProfile::new(1, measured(&[10, 10, 40]));
        assert_eq!((figure.used, figure.basis), (10, CreditsBasis::Measured));
        assert_eq!(
            figure.explained,
            "10 credits per profile, measured: median of your last 3 collections (1 left out as unusual)."
        );
        assert_eq!(
            figure.quote_note(),
            "10 credits per profile, measured: median of your last 3 collections (1 left out as unusual)."
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

    #[test]
    fn while_the_plan_is_not_known_a_measurement_never_goes_below_the_assumed_figure() {
        let lower = CreditsPerProfile::while_assumed(1, measured(&[5, 5, 5]));
        assert_eq!((lower.used, lower.basis), (10, CreditsBasis::Assumed));
        assert!(
            lower
                .explained
                .starts_with("This uses an assumed 10 credits a profile;"),
            "{}",
            lower.explained
        );
        assert!(
            lower.explained.contains("measured 5 credits"),
            "{}",
            lower.explained
        );
        assert_eq!(lower.quote_note(), lower.explained);
        let higher = CreditsPerProfile::while_assumed(1, measured(&[12, 12, 12]));
        assert_eq!((higher.used, higher.basis), (12, CreditsBasis::Measured));
        let none = CreditsPerProfile::while_assumed(1, None);
        assert_eq!(none, CreditsPerProfile::assumed(1));
    }
}
