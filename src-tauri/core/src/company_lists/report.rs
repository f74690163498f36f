//! The report of a companies list: which companies found nobody, in words.

use super::{CompanyKey, CompanyReport};
use crate::ids::{group_digits, plural};
use crate::lists::CompanyEntries;
use crate::profiles::RowValue;
use crate::query::builder::Group;

/// Builds the report of `entries` (read from `column` of `source`): `companies` are the distinct
/// ones (first row, text, key) with how many people each matches, `matches` the people the
/// searches match in all, `group` the builder group when one search holds them all.
pub fn company_report(
    (source, column): (&str, &str),
    entries: &CompanyEntries,
    companies: &[((usize, String, CompanyKey), u64)],
    duplicates: usize,
    (matches, searches, counted_with): (u64, usize, usize),
    group: Option<Group>,
) -> CompanyReport {
    let nobody: Vec<RowValue> = companies
        .iter()
        .filter(|(_, count)| *count == 0)
        .map(|((row, text, _), _)| RowValue {
            row: *row,
            value: text.clone(),
        })
        .collect();
    let pages = companies
        .iter()
        .any(|((_, _, key), _)| matches!(key, CompanyKey::ShortName(_)));
    let found_someone = companies.len() - nobody.len();
    let mut summary = format!(
        "{} {} match{} these {}.",
        group_digits(usize::try_from(matches).unwrap_or(usize::MAX)),
        if matches == 1 { "person" } else { "people" },
        if matches == 1 { "es" } else { "" },
        plural(companies.len(), "company", "companies"),
    );
    if !nobody.is_empty() {
        summary.push_str(&format!(
            " {} found nobody: check how {} written.",
            plural(nobody.len(), "company", "companies"),
            if nobody.len() == 1 {
                "it is"
            } else {
                "they are"
            }
        ));
    }
    if duplicates > 0 {
        summary.push_str(&format!(
            " {} the same company as an earlier row.",
            match duplicates {
                1 => "1 row names".to_owned(),
                n => format!("{} rows name", group_digits(n)),
            }
        ));
    }
    if !entries.problems.is_empty() {
        summary.push_str(&format!(
            " {} could not be used: see why below.",
            plural(entries.problems.len(), "row", "rows")
        ));
    }
    if searches > 1 {
        summary.push_str(&format!(
            " That is too many for one search, so they go as {searches} searches collected as one collection."
        ));
    }
    if pages {
        summary.push_str(
            " Company pages (linkedin.com/company/…) also find people who worked there before: the data keeps a company's page only in the work history.",
        );
    }
    CompanyReport {
        source: source.to_owned(),
        column: column.to_owned(),
        companies: companies.len(),
        found_someone,
        nobody,
        duplicates,
        problems: entries.problems.clone(),
        matches,
        group,
        searches,
        counted_with,
        summary,
    }
}
