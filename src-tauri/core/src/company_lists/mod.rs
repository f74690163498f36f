//! Everyone at these companies: a column of company names, web domains or company profile
//! addresses becomes a search builder group, "current company is one of (list)": the names as
//! *Current company* phrases, the domains as *Current company website*, the company pages as
//! *Company short name* (the data keeps a company's page in the work history only, so those match
//! people who work or worked there). Each company is counted with a free search, so the person
//! sees which found nobody. Past the query's size and clause limits the companies are split over
//! several searches, collected as one collection (their people listed with free searches, then
//! sent as one ID list in batches).

mod report;

#[cfg(test)]
mod tests;

use std::collections::BTreeSet;

use serde::Serialize;

use crate::lists::{CompanyEntries, CompanyKey, RowProblem};
use crate::profiles::RowValue;
use crate::query::builder::{to_query, Condition, Group, GroupMode, Rule, Search};

pub use report::company_report;

/// The field a company's name is matched in: the current company, as a phrase.
pub const NAME_FIELD: &str = "company_name";
/// The field a company's web domain is matched in: the current company's website.
pub const DOMAIN_FIELD: &str = "company_website";
/// The field a company page's short name is matched in (work history).
pub const PAGE_FIELD: &str = "experience.company_shorthand_name";

/// What a companies list was found to hold, and how it is searched.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize)]
#[ts(export)]
pub struct CompanyReport {
    /// The file's name, or "Pasted cells".
    pub source: String,
    /// The column read.
    pub column: String,
    /// Different companies named.
    pub companies: usize,
    /// Companies the search found at least one person at.
    pub found_someone: usize,
    /// Companies that found nobody, by row.
    pub nobody: Vec<RowValue>,
    /// Rows naming a company an earlier row named.
    pub duplicates: usize,
    /// Rows that hold no usable company, with why.
    pub problems: Vec<RowProblem>,
    /// People the search (or searches) match in all (people at several companies count once
    /// per search).
    #[ts(type = "number")]
    pub matches: u64,
    /// The builder group to add to the search, when one search holds every company.
    pub group: Option<Group>,
    /// How many searches the companies take (1 when they fit one).
    pub searches: usize,
    /// Free searches made to count them.
    pub counted_with: usize,
    /// One or two sentences for the person.
    pub summary: String,
}

/// The distinct companies of `entries`, in first-seen order, each with its first row and text.
pub fn distinct(entries: &CompanyEntries) -> (Vec<(usize, String, CompanyKey)>, usize) {
    let mut seen = BTreeSet::new();
    let mut companies = Vec::new();
    let mut duplicates = 0;
    for entry in &entries.entries {
        if seen.insert(folded(&entry.key)) {
            companies.push((entry.row, entry.text.clone(), entry.key.clone()));
        } else {
            duplicates += 1;
        }
    }
    (companies, duplicates)
}

/// A company key compared without case.
fn folded(key: &CompanyKey) -> CompanyKey {
    match key {
        CompanyKey::Name(name) => CompanyKey::Name(name.to_lowercase()),
        CompanyKey::Domain(domain) => CompanyKey::Domain(domain.to_lowercase()),
        CompanyKey::ShortName(name) => CompanyKey::ShortName(name.to_lowercase()),
    }
}

/// The builder group "current company is one of" `companies`: a phrase rule per name, one rule
/// for the domains, one for the company pages.
pub fn company_group(companies: &[CompanyKey]) -> Group {
    let mut rules = Vec::new();
    let mut domains = Vec::new();
    let mut pages = Vec::new();
    for company in companies {
        match company {
            CompanyKey::Name(name) => rules.push(Rule {
                field: NAME_FIELD.to_owned(),
                condition: Condition::IsPhrase,
                values: vec![name.clone()],
            }),
            CompanyKey::Domain(domain) => domains.push(domain.clone()),
            CompanyKey::ShortName(name) => pages.push(name.clone()),
        }
    }
    if !domains.is_empty() {
        rules.push(Rule {
            field: DOMAIN_FIELD.to_owned(),
            condition: Condition::IsOneOf,
            values: domains,
        });
    }
    if !pages.is_empty() {
        rules.push(Rule {
            field: PAGE_FIELD.to_owned(),
            condition: Condition::IsOneOf,
            values: pages,
        });
    }
    Group {
        mode: GroupMode::Any,
        rules,
    }
}

/// The search of one group.
pub fn search_of(group: Group) -> Search {
    Search {
        groups: vec![group],
    }
}

/// Whether `search` is a query the service takes: within the size and clause limits (the core's
/// own query checker decides).
pub fn fits(search: &Search) -> bool {
    to_query(search)
        .ok()
        .is_some_and(|body| crate::query::parse_query(&body.to_string()).is_ok())
}

/// `companies` split over as few searches as hold them, in order: each search as large as the
/// query's limits allow (a company too big for a search alone still gets one).
///
/// Each search's size is found by halving: the query checker reads a whole search, so asking it
/// once per company took seconds for a few thousand companies.
pub fn split_searches(companies: &[CompanyKey]) -> Vec<Search> {
    let mut searches = Vec::new();
    let mut start = 0;
    while start < companies.len() {
        let rest = &companies[start..];
        let fits_first = |count: usize| fits(&search_of(company_group(&rest[..count])));
        // `held` fits (or is 1); `held + 1 ..= over` is where the first that does not may be.
        // Doubling first keeps each check about the size of the search it finds.
        let (mut held, mut over) = (1, rest.len());
        while held < over {
            let next = (held * 2).min(over);
            if !fits_first(next) {
                over = next - 1;
                break;
            }
            held = next;
        }
        while held < over {
            let middle = held + (over - held).div_ceil(2);
            if fits_first(middle) {
                held = middle;
            } else {
                over = middle - 1;
            }
        }
        searches.push(search_of(company_group(&rest[..held])));
        start += held;
    }
    searches
}
