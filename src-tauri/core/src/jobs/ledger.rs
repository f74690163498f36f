//! The ledger: credits spent per job and per month. A job's figure is measured (the balance before
//! its POST minus the balance after its delivery, when nothing else spent in between) or estimated
//! (profiles × the credits per profile it was priced at), and says which.

use serde::Serialize;

use crate::store::{ChargedJob, PreviewRow};

use super::{Engine, EngineError};

/// What a ledger line is for.
#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum LedgerKind {
    /// A collection job (or one batch of a long ID list).
    Job,
    /// A paid preview of sample people.
    Preview,
}

/// One spending.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize)]
#[ts(export)]
pub struct LedgerLine {
    /// A job or a preview.
    pub kind: LedgerKind,
    /// The job, for a job line.
    #[ts(type = "number | null")]
    pub job_id: Option<i64>,
    /// The job's name, or "Preview".
    pub name: String,
    /// When (delivery for a job), RFC 3339.
    pub at: String,
    /// `YYYY-MM` of `at`.
    pub month: String,
    /// Profiles delivered (people shown, for a preview).
    #[ts(type = "number")]
    pub records: u64,
    /// Credits spent.
    #[ts(type = "number")]
    pub credits: u64,
    /// True when measured from the balance; false when estimated.
    pub measured: bool,
}

/// Credits spent in one month.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize)]
#[ts(export)]
pub struct LedgerMonth {
    /// `YYYY-MM`.
    pub month: String,
    /// Credits spent.
    #[ts(type = "number")]
    pub credits: u64,
    /// True when some of it is estimated.
    pub estimated: bool,
}

/// Credits spent in this mode: every line, oldest first, the months, and the total.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize)]
#[ts(export)]
pub struct CreditLedger {
    /// Every job the service delivered, and every paid preview.
    pub lines: Vec<LedgerLine>,
    /// Totals per month, oldest first.
    pub months: Vec<LedgerMonth>,
    /// Everything.
    #[ts(type = "number")]
    pub total: u64,
    /// True when some of it is estimated.
    pub estimated: bool,
}

impl Engine {
    /// Credits spent in this mode, per job and per month.
    pub fn credit_ledger(&self) -> Result<CreditLedger, EngineError> {
        let mode = self.mode();
        let mut lines: Vec<LedgerLine> = self
            .store
            .charged_jobs(mode)?
            .into_iter()
            .map(job_line)
            .collect();
        lines.extend(
            self.store
                .previews(mode)?
                .into_iter()
                .filter_map(preview_line),
        );
        lines.sort_by(|a, b| a.at.cmp(&b.at));
        Ok(ledger(lines))
    }
}

fn job_line(job: ChargedJob) -> LedgerLine {
    let measured = job.spent.and_then(|spent| u64::try_from(spent).ok());
    LedgerLine {
        kind: LedgerKind::Job,
        job_id: Some(job.id),
        name: job.name,
        month: month_of(&job.at),
        at: job.at,
        records: job.records,
        credits: measured.unwrap_or_else(|| {
            job.records
                .saturating_mul(u64::from(job.credits_per_record))
        }),
        measured: measured.is_some(),
    }
}

/// A preview that cost something (by its price or by the balance); free ones are no spending.
fn preview_line(preview: PreviewRow) -> Option<LedgerLine> {
    let difference = match (preview.balance_before, preview.balance_after) {
        (Some(before), Some(after)) => u64::try_from(before - after).ok(),
        _ => None,
    };
    if preview.credits_quoted == 0 && difference.unwrap_or(0) == 0 {
        return None;
    }
    Some(LedgerLine {
        kind: LedgerKind::Preview,
        job_id: None,
        name: "Preview of sample people".into(),
        month: month_of(&preview.at),
        at: preview.at,
        records: u64::from(preview.people),
        credits: preview.credits_quoted,
        measured: difference == Some(preview.credits_quoted),
    })
}

fn month_of(at: &str) -> String {
    at.get(..7).unwrap_or(at).to_owned()
}

fn ledger(lines: Vec<LedgerLine>) -> CreditLedger {
    let mut months: Vec<LedgerMonth> = Vec::new();
    for line in &lines {
        match months.iter_mut().find(|month| month.month == line.month) {
            Some(month) => {
                month.credits = month.credits.saturating_add(line.credits);
                month.estimated |= !line.measured;
            }
            None => months.push(LedgerMonth {
                month: line.month.clone(),
                credits: line.credits,
                estimated: !line.measured,
            }),
        }
    }
    months.sort_by(|a, b| a.month.cmp(&b.month));
    CreditLedger {
        total: lines.iter().map(|line| line.credits).sum(),
        estimated: lines.iter().any(|line| !line.measured),
        lines,
        months,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(id: i64, at: &str, records: u64, spent: Option<i64>) -> ChargedJob {
        ChargedJob {
            id,
            name: format!("Job {id}"),
            at: at.into(),
            credits_per_record: 10,
            records,
            spent,
        }
    }

    #[test]
    fn lines_are_measured_or_estimated_and_months_add_up() {
        let lines = vec![
            job_line(job(1, "2026-10-30T10:00:00.000000Z", 100, Some(1_000))),
            job_line(job(2, "2026-11-01T10:00:00.000000Z", 50, None)),
            job_line(job(3, "2026-11-02T10:00:00.000000Z", 5, Some(50))),
        ];
        assert!(lines[0].measured && !lines[1].measured);
        assert_eq!(lines[1].credits, 500, "50 profiles × 10, estimated");
        let ledger = ledger(lines);
        assert_eq!(ledger.total, 1_550);
        assert!(ledger.estimated);
        assert_eq!(
            ledger.months,
            vec![
                LedgerMonth {
                    month: "2026-10".into(),
                    credits: 1_000,
                    estimated: false
                },
                LedgerMonth {
                    month: "2026-11".into(),
                    credits: 550,
                    estimated: true
                },
            ]
        );
    }

    #[test]
    fn free_previews_are_no_spending() {
        let free = PreviewRow {
            id: 1,
            at: "2026-11-01T10:00:00.000000Z".into(),
            credits_quoted: 0,
            balance_before: Some(100),
            balance_after: Some(100),
            people: 20,
        };
        assert!(preview_line(free.clone()).is_none());
        let paid = PreviewRow {
            credits_quoted: 10,
            balance_after: Some(90),
            ..free
        };
        let line = preview_line(paid).unwrap();
        assert_eq!((line.credits, line.measured), (10, true));
    }
}
