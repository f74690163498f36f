//! Searching the library: the people whose name, title, company or country holds a text, a page
//! at a time, and how many of them there are by country and by company.

use rusqlite::{params, types::ToSql};
use serde::Serialize;

use super::{Library, LibraryError};

/// People on a page of [`Library::search`].
pub const PAGE_SIZE: u32 = 100;

/// Countries and companies [`Library::counts`] lists (the most people first).
pub const TOP: u32 = 20;

/// A person as a search lists them.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize)]
#[ts(export)]
pub struct Found {
    /// The person's id at Coresignal.
    #[ts(type = "number")]
    pub id: i64,
    /// Full name, when the record has one.
    pub name: Option<String>,
    /// Current job title.
    pub title: Option<String>,
    /// Current company.
    pub company: Option<String>,
    /// Country.
    pub country: Option<String>,
    /// When the app last collected the person (RFC 3339).
    pub last_collected_at: String,
    /// The job that last collected the person.
    #[ts(type = "number")]
    pub last_job: i64,
}

/// One page of a search, with how many people match in all.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize)]
#[ts(export, rename = "LibraryPage")]
pub struct Page {
    /// People matching the text, all pages together.
    #[ts(type = "number")]
    pub total: u64,
    /// This page's number, from 1.
    pub page: u32,
    /// How many pages the matches fill (0 when nothing matches).
    pub pages: u32,
    /// This page's people, by name then id.
    pub people: Vec<Found>,
}

/// How many matching people share a country, or a company.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize)]
#[ts(export)]
pub struct Count {
    /// The country or company, as the records write it.
    pub value: String,
    /// How many matching people have it.
    #[ts(type = "number")]
    pub people: u64,
}

/// The countries and the companies with the most matching people ([`TOP`] of each).
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize)]
#[ts(export)]
pub struct Counts {
    /// By country, the most people first, then by name.
    pub countries: Vec<Count>,
    /// By company, the most people first, then by name.
    pub companies: Vec<Count>,
}

/// The condition on `people` shared by a search and its counts: `?1` is the dataset, `?2` the
/// LIKE pattern or NULL for everyone. LIKE ignores the case of ASCII letters only.
pub(super) const MATCHING: &str = "dataset = ?1 AND (?2 IS NULL
        OR name LIKE ?2 ESCAPE '\\' OR title LIKE ?2 ESCAPE '\\'
        OR company LIKE ?2 ESCAPE '\\' OR country LIKE ?2 ESCAPE '\\')";

/// The LIKE pattern for "holds `text`", its `%`, `_` and `\` taken literally; `None` (everyone)
/// for no text or only spaces.
pub(super) fn pattern(text: Option<&str>) -> Option<String> {
    let text = text.map(str::trim).filter(|text| !text.is_empty())?;
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    Some(pattern)
}

impl Library {
    /// Page `page` (from 1; 0 counts as 1) of the people in `dataset` whose name, title, company
    /// or country holds `text` (any case; everyone when `None` or blank), [`PAGE_SIZE`] a page,
    /// by name (people without one last) then id.
    pub fn search(
        &self,
        dataset: &str,
        text: Option<&str>,
        page: u32,
    ) -> Result<Page, LibraryError> {
        let pattern = pattern(text);
        let page = page.max(1);
        let connection = self.store.lock();
        let total: i64 = connection.query_row(
            &format!("SELECT count(*) FROM people WHERE {MATCHING}"),
            params![dataset, pattern],
            |row| row.get(0),
        )?;
        let total = total.unsigned_abs();
        let offset = u64::from(page - 1) * u64::from(PAGE_SIZE);
        let mut select = connection.prepare_cached(&format!(
            "SELECT id, name, title, company, country, last_collected_at, last_job
             FROM people WHERE {MATCHING}
             ORDER BY name IS NULL, name COLLATE NOCASE, name, id
             LIMIT ?3 OFFSET ?4"
        ))?;
        let offset = i64::try_from(offset).unwrap_or(i64::MAX);
        let args: [&dyn ToSql; 4] = [&dataset, &pattern, &PAGE_SIZE, &offset];
        let people = select
            .query_map(args.as_slice(), |row| {
                Ok(Found {
                    id: row.get(0)?,
                    name: row.get(1)?,
                    title: row.get(2)?,
                    company: row.get(3)?,
                    country: row.get(4)?,
                    last_collected_at: row.get(5)?,
                    last_job: row.get(6)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let pages = total.div_ceil(u64::from(PAGE_SIZE));
        Ok(Page {
            total,
            page,
            pages: u32::try_from(pages).unwrap_or(u32::MAX),
            people,
        })
    }

    /// For the people [`Library::search`] finds with `text`: the [`TOP`] countries and companies
    /// with the most of them, with how many (people without one are not counted).
    pub fn counts(&self, dataset: &str, text: Option<&str>) -> Result<Counts, LibraryError> {
        let pattern = pattern(text);
        let connection = self.store.lock();
        let by = |column: &str| -> Result<Vec<Count>, LibraryError> {
            let mut select = connection.prepare_cached(&format!(
                "SELECT {column}, count(*) AS n FROM people
                 WHERE {MATCHING} AND {column} IS NOT NULL
                 GROUP BY {column} ORDER BY n DESC, {column} LIMIT ?3"
            ))?;
            let counts = select
                .query_map(params![dataset, pattern, TOP], |row| {
                    Ok(Count {
                        value: row.get(0)?,
                        people: row.get::<_, i64>(1)?.unsigned_abs(),
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(counts)
        };
        Ok(Counts {
            countries: by("country")?,
            companies: by("company")?,
        })
    }
}
