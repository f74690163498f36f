//! *What changed* since the collection an update refreshes: who joined (match now, did not
//! then), who left (matched then, not now), who changed job (current title or company, old →
//! new), and who changed otherwise (which fields). Shown on the update's page, and as a sheet of
//! its spreadsheet.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::export::TextSheet;
use crate::library::{CopyChange, Library};
use crate::store::JobRow;

use super::words::group;
use super::{Engine, EngineError};

/// One person in *What changed*.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize)]
#[ts(export)]
pub struct PersonChange {
    /// The person's id.
    #[ts(type = "number")]
    pub id: i64,
    /// Their name, when the library holds one.
    pub name: Option<String>,
    /// For a changed job, "Data Analyst at Acme → Head of Data at Globex"; for other changes,
    /// the fields: "skills, education".
    pub detail: Option<String>,
}

/// What changed since the collection an update refreshes.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize)]
#[ts(export)]
pub struct WhatChanged {
    /// The collection this one updates.
    #[ts(type = "number")]
    pub since_job: i64,
    /// When that one was sent (`yyyy-mm-dd`).
    pub since: String,
    /// Match now, did not then.
    pub joined: Vec<PersonChange>,
    /// Matched then, do not now.
    pub left: Vec<PersonChange>,
    /// Their current title or company differs.
    pub changed_job: Vec<PersonChange>,
    /// Other fields of theirs changed.
    pub other_changes: Vec<PersonChange>,
    /// "Since 3 May 2026: 41 joined, 12 left, 9 changed job, 3 other changes."
    pub summary: String,
}

impl Engine {
    /// *What changed* for collection `id` when it is an update of an earlier one; `None` for any
    /// other collection. The changes are those its download brought to the library's copies.
    pub fn what_changed(&self, id: i64) -> Result<Option<WhatChanged>, EngineError> {
        let mut job = self.job(id)?;
        if let Some(parent) = job.parent_id {
            job = self.job(parent)?;
        }
        let Some(quote) = job.quote_id else {
            return Ok(None);
        };
        let Some(earlier) = self.store.quote(job.mode, quote)?.request.updates_job else {
            return Ok(None);
        };
        let earlier = self.job(earlier)?;
        let library = Library::new(self.store.clone());
        let dataset = job.mode.library_dataset();
        let now = self.matched(&library, &job)?;
        let then = self.matched(&library, &earlier)?;
        let changes = library.changes_by(dataset, &self.with_batches(&job)?)?;
        let everyone: Vec<i64> = now
            .symmetric_difference(&then)
            .copied()
            .chain(changes.iter().map(|change| change.id))
            .collect();
        let names = library.names(dataset, &everyone)?;
        let person = |id: i64, detail: Option<String>| PersonChange {
            id,
            name: names.get(&id).cloned(),
            detail,
        };
        let (job_changes, other): (Vec<&CopyChange>, Vec<&CopyChange>) =
            changes.iter().partition(|change| {
                change.old_title != change.new_title || change.old_company != change.new_company
            });
        let since = earlier
            .submitted_at
            .as_deref()
            .unwrap_or(&earlier.created_at)
            .chars()
            .take(10)
            .collect::<String>();
        let mut changed = WhatChanged {
            since_job: earlier.id,
            joined: now.difference(&then).map(|id| person(*id, None)).collect(),
            left: then.difference(&now).map(|id| person(*id, None)).collect(),
            changed_job: job_changes
                .iter()
                .map(|change| person(change.id, Some(job_change(change))))
                .collect(),
            other_changes: other
                .iter()
                .map(|change| person(change.id, Some(change.fields.join(", ").replace('_', " "))))
                .collect(),
            summary: String::new(),
            since,
        };
        changed.summary = summary(&changed);
        Ok(Some(changed))
    }

    /// Who collection `job` matched: every person its net-new quote listed, or else everyone its
    /// files delivered.
    fn matched(&self, library: &Library, job: &JobRow) -> Result<BTreeSet<i64>, EngineError> {
        if let Some(quote) = job.quote_id {
            let people = self.store.quote_people(quote)?;
            if !people.is_empty() {
                return Ok(people.into_iter().map(|(id, _)| id).collect());
            }
        }
        Ok(library
            .delivered(&self.with_batches(job)?)?
            .into_iter()
            .collect())
    }

    /// `job`'s id and its batches'.
    fn with_batches(&self, job: &JobRow) -> Result<Vec<i64>, EngineError> {
        let mut ids = vec![job.id];
        ids.extend(self.store.batches(job.id)?.iter().map(|batch| batch.id));
        Ok(ids)
    }
}

impl WhatChanged {
    /// The *What changed* sheet: one row per person, what happened and what changed.
    pub fn sheet(&self) -> TextSheet {
        let mut rows = Vec::new();
        for (what, people) in [
            ("Joined", &self.joined),
            ("Left", &self.left),
            ("Changed job", &self.changed_job),
            ("Other changes", &self.other_changes),
        ] {
            for person in people {
                rows.push(vec![
                    what.to_owned(),
                    person.id.to_string(),
                    person.name.clone().unwrap_or_default(),
                    person.detail.clone().unwrap_or_default(),
                ]);
            }
        }
        TextSheet {
            name: "What changed".into(),
            file_end: "changes".into(),
            columns: ["What", "Person ID", "Full name", "Change"]
                .map(str::to_owned)
                .to_vec(),
            rows,
        }
    }
}

/// "Data Analyst at Acme → Head of Data at Globex".
fn job_change(change: &CopyChange) -> String {
    let role = |title: &Option<String>, company: &Option<String>| match (title, company) {
        (Some(title), Some(company)) => format!("{title} at {company}"),
        (Some(title), None) => title.clone(),
        (None, Some(company)) => company.clone(),
        (None, None) => "no current job".to_owned(),
    };
    format!(
        "{} → {}",
        role(&change.old_title, &change.old_company),
        role(&change.new_title, &change.new_company)
    )
}

/// "Since 3 May 2026: 41 joined, 12 left, 9 changed job, 3 other changes." or "Since 3 May 2026:
/// nothing changed."
fn summary(changed: &WhatChanged) -> String {
    let day = time::Date::parse(
        &changed.since,
        &time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map_or_else(
        |_| changed.since.clone(),
        |date| format!("{} {} {}", date.day(), date.month(), date.year()),
    );
    let parts: Vec<String> = [
        (changed.joined.len(), "joined", "joined"),
        (changed.left.len(), "left", "left"),
        (changed.changed_job.len(), "changed job", "changed job"),
        (changed.other_changes.len(), "other change", "other changes"),
    ]
    .into_iter()
    .filter(|(count, ..)| *count > 0)
    .map(|(count, one, many)| {
        format!(
            "{} {}",
            group(count as u64),
            if count == 1 { one } else { many }
        )
    })
    .collect();
    if parts.is_empty() {
        return format!("Since {day}: nothing changed.");
    }
    format!("Since {day}: {}.", parts.join(", "))
}
