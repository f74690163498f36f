//! How often the scheduler asks the service about a job: a growing interval.

use std::time::Duration;

/// A growing poll interval: `first`, then × `factor` after each answer, never above `max`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PollSchedule {
    /// The wait before the first poll (and after a restart).
    pub first: Duration,
    /// How much the wait grows after each "still processing".
    pub factor: f64,
    /// The longest wait.
    pub max: Duration,
}

impl Default for PollSchedule {
    fn default() -> Self {
        Self {
            first: Duration::from_secs(5),
            factor: 1.5,
            max: Duration::from_secs(60),
        }
    }
}

impl PollSchedule {
    /// The wait after `polls` answers of "still processing".
    pub fn interval(&self, polls: u32) -> Duration {
        let grown = self.first.as_secs_f64() * self.factor.powi(polls.min(64) as i32);
        Duration::from_secs_f64(grown.min(self.max.as_secs_f64()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_grows_then_stops_at_max() {
        let schedule = PollSchedule::default();
        assert_eq!(schedule.interval(0), Duration::from_secs(5));
        assert_eq!(schedule.interval(1), Duration::from_secs_f64(7.5));
        assert!(schedule.interval(3) > schedule.interval(2));
        assert_eq!(schedule.interval(20), Duration::from_secs(60));
        assert_eq!(schedule.interval(u32::MAX), Duration::from_secs(60));
    }
}
