//! The spreadsheet of a net-new purchase holds everyone who matched: the people bought (its files)
//! and the library's copies of the others, with the columns *Collected on* and *In this purchase*
//! saying which is which.

use std::io::Write;
use std::path::PathBuf;

use crate::export::{
    export_with, Additions, ExportOptions, ExportResult, Mark, PurchaseMarks, TextSheet,
};
use crate::library::{Library, Standing};

use super::export::ExportInputs;
use super::{Engine, EngineError};

/// What a net-new purchase's export adds to its files.
pub(super) struct Purchased {
    library: Library,
    dataset: &'static str,
    /// Every matched person's two columns.
    marks: PurchaseMarks,
    /// The people not bought, in match order: their copies come from the library.
    held: Vec<i64>,
}

impl Engine {
    /// For job `id` (a collection's own id, or a single job) made from a net-new quote: what its
    /// export adds; `None` for any other job.
    pub(super) fn purchased(&self, id: i64) -> Result<Option<Purchased>, EngineError> {
        let job = self.job(id)?;
        let Some(quote) = job.quote_id else {
            return Ok(None);
        };
        if self.store.quote(job.mode, quote)?.request.split.is_none() {
            return Ok(None);
        }
        let people = self.store.quote_people(quote)?;
        let ids: Vec<i64> = people.iter().map(|(id, _)| *id).collect();
        let library = Library::new(self.store.clone());
        let dataset = job.mode.library_dataset();
        let collected: std::collections::HashMap<i64, String> = library
            .lookup(dataset, &ids)?
            .into_iter()
            .map(|held| (held.id, held.last_collected_at.chars().take(10).collect()))
            .collect();
        let mut marks = PurchaseMarks::default();
        let mut held = Vec::new();
        // The people bought were collected by this purchase, whatever the library holds now
        // (a later collection, or a copy that could not be kept); the others when the library
        // got the copy exported.
        let bought_on: String = job.updated_at.chars().take(10).collect();
        for (id, standing) in people {
            let collected_on = if standing == Standing::Held {
                held.push(id);
                collected.get(&id).cloned()
            } else {
                Some(bought_on.clone())
            };
            if let Some(collected_on) = collected_on {
                marks.by_id.insert(
                    id,
                    Mark {
                        collected_on,
                        in_purchase: standing != Standing::Held,
                    },
                );
            }
        }
        Ok(Some(Purchased {
            library,
            dataset,
            marks,
            held,
        }))
    }
}

impl ExportInputs {
    /// Writes the export named `stem` with `options`: the files as they are, or for a net-new
    /// purchase, with the library's copies of the people not bought after them and the two
    /// columns; an update's *What changed* sheet after the records. Blocking: call it off the
    /// async workers.
    pub(super) fn write(
        &self,
        stem: &str,
        options: &ExportOptions,
    ) -> Result<ExportResult, EngineError> {
        let mut sheets: Vec<TextSheet> = self.changes.iter().cloned().collect();
        sheets.extend(
            self.list
                .iter()
                .map(|(_, unmatched)| unmatched)
                .filter(|unmatched| !unmatched.rows.is_empty())
                .cloned(),
        );
        let own = self.list.as_ref().map(|(own, _)| own);
        let Some(purchased) = &self.purchased else {
            let additions = Additions {
                marks: None,
                own,
                sheets: &sheets,
            };
            return Ok(export_with(
                &self.files,
                &self.out,
                stem,
                options,
                additions,
            )?);
        };
        let io = |error: std::io::Error| {
            EngineError::Export(crate::export::ExportError::write(
                &std::env::temp_dir(),
                error,
            ))
        };
        let mut copies = tempfile::Builder::new()
            .prefix("bulk-collect-library-")
            .suffix(".jsonl")
            .tempfile()
            .map_err(io)?;
        let mut out = std::io::BufWriter::new(copies.as_file_mut());
        purchased
            .library
            .write_copies(purchased.dataset, &purchased.held, &mut out)?;
        out.flush().map_err(io)?;
        drop(out);
        let mut files: Vec<PathBuf> = self.files.clone();
        files.push(copies.path().to_path_buf());
        // The people bought come first: an export keeps the first copy of a person.
        let additions = Additions {
            marks: Some(&purchased.marks),
            own,
            sheets: &sheets,
        };
        Ok(export_with(&files, &self.out, stem, options, additions)?)
    }
}
