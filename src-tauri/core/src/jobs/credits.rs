//! What a profile really costs, learnt from the account balance: the reading seen last before a
//! job's POST and the one seen after its delivery. Only an interval in which nothing else of the
//! account could spend (no other job with the service, no paid preview) measures the job alone;
//! any other is skipped, never guessed from.

use crate::money::{
    credits_word, CreditsPerProfile, MeasuredCredits, Measurement, RECENT_MEASUREMENTS,
};
use crate::store::{format_time, now_text, BalanceReading, Setting};

use super::batches::BatchView;
use super::quote_view::practice_note;
use super::words::group;
use super::{Engine, EngineError, JobState, Mode};
use crate::store::JobRow;

/// A job Coresignal refused for want of credits (HTTP 402), in figures: what it needs, what the
/// account had, and that nothing was charged.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[ts(export)]
pub struct NotEnoughCredits {
    /// Credits the collection needs (its price: profiles × credits per profile).
    #[ts(type = "number")]
    pub needs: u64,
    /// Credits the account had at the latest reading below that price; `None` when no reading
    /// shows it.
    #[ts(type = "number | null")]
    pub had: Option<i64>,
    /// "This collection needs 2,500 credits, and your account had 1,800. Nothing was charged."
    pub message: String,
    /// Where to top up ([`crate::money::TOP_UP_URL`]).
    pub top_up_url: String,
}

/// The words for a 402: `needs` credits, the account had `had` (a reading below it, if any).
pub fn not_enough_credits(needs: u64, had: Option<i64>) -> NotEnoughCredits {
    let had = had.filter(|had| u64::try_from(*had).map_or(true, |had| had < needs));
    let first = match had {
        Some(had) => format!(
            "This collection needs {}, and your account had {}.",
            credits_word(needs),
            group(u64::try_from(had).unwrap_or(0))
        ),
        None => format!(
            "This collection needs {}, more than your account had when Coresignal prepared it.",
            credits_word(needs)
        ),
    };
    NotEnoughCredits {
        needs,
        had,
        message: format!("{first} Nothing was charged."),
        top_up_url: crate::money::TOP_UP_URL.to_owned(),
    }
}

impl Engine {
    /// What a profile costs: the plan setting, the latest measurement, and which one prices use.
    /// Before the person said which plan they are on (Live), the figure is assumed, or measured
    /// when a delivery measured more ([`CreditsPerProfile::while_assumed`]).
    pub fn credits_per_profile(&self) -> Result<CreditsPerProfile, EngineError> {
        let options = self.options();
        let measured = self.measured_credits()?;
        if options.credits_assumed {
            return Ok(CreditsPerProfile::while_assumed(
                options.credits_per_record,
                measured,
            ));
        }
        Ok(CreditsPerProfile::new(options.credits_per_record, measured))
    }

    /// The credits-per-profile figure measured in this mode on the latest clean deliveries, if
    /// any (see [`MeasuredCredits::of_recent`]).
    pub fn measured_credits(&self) -> Result<Option<MeasuredCredits>, EngineError> {
        let recent: Vec<Measurement> = self
            .store
            .measurements(self.mode(), RECENT_MEASUREMENTS)?
            .into_iter()
            .filter_map(|(job_id, spent, records, measured_at)| {
                Some(Measurement {
                    value: per_profile(spent, records)?,
                    job_id,
                    measured_at,
                })
            })
            .collect();
        Ok(MeasuredCredits::of_recent(&recent))
    }

    /// A 402'd job in figures: its price, and the lowest of the readings that could not pay it
    /// (the latest balance, or the one seen before its POST).
    pub(super) fn not_enough_credits(&self, job: &JobRow) -> NotEnoughCredits {
        let needs = job
            .estimated_records
            .unwrap_or(0)
            .saturating_mul(u64::from(job.credits_per_record));
        let before = self
            .store
            .job_credits(job.id)
            .ok()
            .and_then(|credits| credits.before.map(|reading| reading.credits));
        let latest = self.last_balance().ok().flatten();
        let had = [latest, before].into_iter().flatten().min();
        not_enough_credits(needs, had)
    }

    /// A collection with batches refused for want of credits: their prices together.
    pub(super) fn collection_not_enough_credits(
        &self,
        batches: &[BatchView],
    ) -> Option<NotEnoughCredits> {
        let short: Vec<JobRow> = batches
            .iter()
            .filter(|batch| batch.state == JobState::InsufficientCredits)
            .filter_map(|batch| self.store.job(batch.job).ok())
            .collect();
        let first = short.first()?;
        let needs = short
            .iter()
            .map(|job| self.not_enough_credits(job).needs)
            .fold(0u64, u64::saturating_add);
        Some(not_enough_credits(
            needs,
            self.not_enough_credits(first).had,
        ))
    }

    /// The latest balance and when it was seen; `None` until both are known.
    pub(super) fn balance_reading(&self) -> Option<BalanceReading> {
        let credits = self.last_balance().ok()??;
        let at = self.store.setting(self.balance_at_setting()).ok()??;
        Some(BalanceReading { credits, at })
    }

    /// Stores when the balance was seen (beside the balance itself): when the answer carrying it
    /// arrived, else now.
    pub(super) fn note_balance_time(&self, seen_at: Option<time::OffsetDateTime>) {
        let at = seen_at.map_or_else(now_text, format_time);
        if let Err(error) = self.store.set_setting(self.balance_at_setting(), &at) {
            tracing::warn!("could not store when the balance was seen: {error}");
        }
    }

    /// Records the balance seen last before job `job`'s POST. A failure is logged: readings
    /// inform prices, they never stop a confirmed request.
    pub(super) fn note_balance_before(&self, job: i64) {
        let Some(before) = self.balance_reading() else {
            return;
        };
        if let Err(error) = self.store.set_balance_before(job, &before) {
            tracing::warn!("job {job}: could not store the balance before sending: {error}");
        }
    }

    /// After job `job` delivered `records` profiles: records the balance seen now, and, when the
    /// interval since its reading before the POST is clean, what it spent and what a profile
    /// costs. A failure is logged (the delivery itself is done).
    pub(super) fn learn_from_delivery(&self, job: i64, records: u64) {
        if let Err(error) = self.try_learn(job, records) {
            tracing::warn!("job {job}: could not learn what it spent: {error}");
        }
    }

    fn try_learn(&self, job: i64, records: u64) -> Result<(), EngineError> {
        let Some(after) = self.balance_reading() else {
            return Ok(());
        };
        let readings = self.store.job_credits(job)?;
        if readings.after.is_some() {
            // Delivered before (this is a download again): its figure stands.
            return Ok(());
        }
        let mut measured = None;
        if let Some(before) = readings.before.filter(|before| before.at <= after.at) {
            match self
                .store
                .muddied_by(self.mode(), job, &before.at, &after.at)?
            {
                Some(reason) => self.note(job, &unmeasured_note(self.mode(), &reason))?,
                None => {
                    let spent = before.credits - after.credits;
                    match per_profile(spent, records) {
                        Some(value) => measured = Some((spent, value)),
                        None => self.note(
                            job,
                            &uneven_note(self.mode(), before.credits, after.credits, records),
                        )?,
                    }
                }
            }
        }
        self.store
            .set_balance_after(job, &after, records, measured.map(|(spent, _)| spent))?;
        if let Some((spent, value)) = measured {
            self.note(job, &measured_note(self.mode(), spent, records, value))?;
        }
        Ok(())
    }

    pub(super) fn balance_at_setting(&self) -> Setting {
        match self.mode() {
            Mode::Live => Setting::LastBalanceAtLive,
            Mode::Practice => Setting::LastBalanceAtPractice,
        }
    }
}

/// A job's note when its delivery measured what a profile costs. Practice spends nothing, so it
/// says what a real account would pay, not what "it cost".
fn measured_note(mode: Mode, spent: i64, records: u64, value: u32) -> String {
    let rule = "Prices use the median of the latest deliveries measured, this one included.";
    match mode {
        Mode::Live => format!(
            "It cost {} for {records} profiles: {value} per profile. {rule}",
            credits_word(u64::try_from(spent).unwrap_or(0))
        ),
        Mode::Practice => format!(
            "{} That is {value} per profile for {records} profiles. {rule}",
            practice_note(u64::try_from(spent).unwrap_or(0))
        ),
    }
}

/// A job's note when what it cost was not measured, because of `reason`.
fn unmeasured_note(mode: Mode, reason: &str) -> String {
    match mode {
        Mode::Live => format!("What it cost was not measured: {reason}."),
        Mode::Practice => format!(
            "Practice: nothing is spent. What a real account would pay was not measured: {reason}."
        ),
    }
}

/// A job's note when the balance moved by no whole number of credits a profile. Practice names
/// no balance: there is none to spend.
fn uneven_note(mode: Mode, before: i64, after: i64, records: u64) -> String {
    match mode {
        Mode::Live => format!(
            "What it cost was not measured: the balance went from {before} to {after} for \
             {records} profiles, which is no whole number of credits each."
        ),
        Mode::Practice => format!(
            "Practice: nothing is spent. What a real account would pay for {records} profiles \
             was not measured: it came to no whole number of credits each."
        ),
    }
}

/// Credits per profile when `spent` credits bought `records` profiles: rounded to the nearest whole
/// credit, and only when the figure is within a tenth of a credit of it (anything further means
/// something else spent too, or a top-up) and at least 1.
pub(crate) fn per_profile(spent: i64, records: u64) -> Option<u32> {
    let records = i64::try_from(records).ok().filter(|r| *r > 0)?;
    if spent <= 0 {
        return None;
    }
    let value = (spent + records / 2) / records;
    let off = (spent - value * records).abs();
    // |spent / records − value| ≤ 0.1  ⇔  10 × off ≤ records.
    if value < 1 || off.saturating_mul(10) > records {
        return None;
    }
    u32::try_from(value).ok()
}

#[cfg(test)]
mod tests {
    use super::{measured_note, not_enough_credits, per_profile, uneven_note, unmeasured_note};
    use crate::jobs::Mode;

    #[test]
    fn a_402_is_said_once_in_figures_and_says_nothing_was_charged() {
        let short = not_enough_credits(2_500, Some(1_800));
        assert_eq!(
            short.message,
            "This collection needs 2,500 credits, and your account had 1,800. Nothing was charged."
        );
        assert_eq!(short.top_up_url, crate::money::TOP_UP_URL);
        // A reading that could pay is not what the account had when it was refused.
        let unknown = not_enough_credits(2_500, Some(9_000));
        assert_eq!(unknown.had, None);
        assert_eq!(
            unknown.message,
            "This collection needs 2,500 credits, more than your account had when Coresignal \
             prepared it. Nothing was charged."
        );
        assert_eq!(not_enough_credits(1, None).had, None);
    }

    #[test]
    fn practice_notes_say_nothing_is_spent_and_name_no_balance() {
        let measured = measured_note(Mode::Practice, 70, 7, 10);
        assert_eq!(
            measured,
            "Practice: nothing is spent (a real account would pay 70 credits). That is 10 per \
             profile for 7 profiles. Prices use the median of the latest deliveries measured, \
             this one included."
        );
        let reason = "Collection 3 was with Coresignal at the same time";
        for note in [
            measured,
            unmeasured_note(Mode::Practice, reason),
            uneven_note(Mode::Practice, 1_000, 895, 10),
        ] {
            assert!(note.starts_with("Practice: nothing is spent"), "{note}");
            assert!(!note.contains("It cost"), "{note}");
            assert!(!note.contains("balance"), "{note}");
        }
        assert!(unmeasured_note(Mode::Practice, reason).contains("was not measured: Collection 3"));
        // Live says what it cost, from the balance.
        assert_eq!(
            measured_note(Mode::Live, 70, 7, 10),
            "It cost 70 credits for 7 profiles: 10 per profile. Prices use the median of the \
             latest deliveries measured, this one included."
        );
        assert!(
            uneven_note(Mode::Live, 1_000, 895, 10).contains("the balance went from 1000 to 895")
        );
    }

    #[test]
    fn a_clean_difference_gives_a_whole_figure() {
        assert_eq!(per_profile(1_000, 100), Some(10));
        assert_eq!(per_profile(100, 100), Some(1));
        assert_eq!(
            per_profile(1_001, 100),
            Some(10),
            "a stray credit rounds away"
        );
        assert_eq!(
            per_profile(1_050, 100),
            None,
            "half a credit each is no plan"
        );
        assert_eq!(per_profile(0, 100), None);
        assert_eq!(per_profile(-500, 100), None, "a top-up in between");
        assert_eq!(per_profile(40, 100), None, "under one credit a profile");
        assert_eq!(per_profile(10, 0), None);
    }
}
