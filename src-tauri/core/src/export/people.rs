//! The *People* layout: one row per person, the fields a person reads first, the current job and
//! when it started, skills, the first N other positions and the highest education flattened into
//! columns, then any top-level field this build does not know (kept, not dropped).

use std::borrow::Cow;
use std::collections::HashSet;

use super::cell::{Cell, LIST_SEPARATOR};
use super::layout::{Layout, RowSink, Sheet};
use super::schema::{Schema, KNOWN_FIELDS};
use super::value::{Obj, Val};
use super::ExportError;

/// The columns before the positions: header, and the top-level field they show.
const FIRST_COLUMNS: &[(&str, Source)] = &[
    ("Person ID", Source::Field("id")),
    ("Full name", Source::Field("full_name")),
    ("Headline", Source::Field("headline")),
    ("Current title", Source::CurrentTitle),
    ("Current company", Source::CurrentCompany),
    ("In current job since", Source::Since),
    ("Country", Source::Field("location_country")),
    ("Location", Source::Field("location_full")),
    ("Management level", Source::Field("management_level")),
    ("Department", Source::Field("department")),
    (
        "Profile URL",
        Source::Field("websites_professional_network"),
    ),
    ("Last updated", Source::Field("last_updated")),
    ("Skills", Source::Skills),
];

/// The parts of each past position's columns ("Past position 1: title", …).
const POSITION_PARTS: [&str; 4] = ["title", "company", "from", "to"];

/// The highest education's columns, after the positions.
const EDUCATION_COLUMNS: [&str; 2] = [
    "Highest education: institution",
    "Highest education: degree",
];

/// What the People spreadsheet holds before a single record is read: its fixed columns (the
/// person, the current job, skills), the parts of each past position, and the education columns.
/// Shown before paying ("what the spreadsheet will hold").
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[ts(export)]
pub struct PeopleColumns {
    /// The columns every row has first, in order.
    pub first: Vec<String>,
    /// Each past position's columns, with `N` for its number ("Past position N: title").
    pub per_position: Vec<String>,
    /// The highest education's columns, last.
    pub education: Vec<String>,
}

/// The People layout's columns, from the layout itself (so the screen cannot drift from it).
pub fn people_columns() -> PeopleColumns {
    PeopleColumns {
        first: FIRST_COLUMNS.iter().map(|(h, _)| (*h).to_owned()).collect(),
        per_position: POSITION_PARTS
            .iter()
            .map(|part| format!("Past position N: {part}"))
            .collect(),
        education: EDUCATION_COLUMNS.iter().map(|c| (*c).to_owned()).collect(),
    }
}

/// Where a fixed column's value comes from.
#[derive(Debug, Clone, Copy)]
enum Source {
    Field(&'static str),
    /// `job_title`, else the current position's title.
    CurrentTitle,
    /// `company_name`, else the current position's company.
    CurrentCompany,
    /// The current position's `date_from`.
    Since,
    /// `skills`, joined.
    Skills,
}

/// The People layout over a [`Schema`].
pub(crate) struct People {
    past_positions: usize,
    extras: Vec<String>,
}

impl People {
    /// `past_positions`: how many positions besides the current one get columns.
    pub(crate) fn new(schema: &Schema, past_positions: usize) -> Self {
        let extras = schema
            .fields
            .iter()
            .filter(|field| !KNOWN_FIELDS.contains(&field.as_str()))
            .cloned()
            .collect();
        Self {
            past_positions,
            extras,
        }
    }
}

impl Layout for People {
    fn sheets(&self) -> Vec<Sheet> {
        let mut columns: Vec<String> = FIRST_COLUMNS.iter().map(|(h, _)| h.to_string()).collect();
        for n in 1..=self.past_positions {
            for part in POSITION_PARTS {
                columns.push(format!("Past position {n}: {part}"));
            }
        }
        columns.extend(EDUCATION_COLUMNS.iter().map(|c| (*c).to_owned()));
        columns.extend(self.extras.iter().cloned());
        vec![Sheet {
            name: "People".into(),
            columns,
        }]
    }

    fn wanted(&self) -> Option<HashSet<String>> {
        let fixed = FIRST_COLUMNS.iter().filter_map(|(_, source)| match source {
            Source::Field(name) => Some(*name),
            Source::CurrentTitle => Some("job_title"),
            Source::CurrentCompany => Some("company_name"),
            Source::Since => None,
            Source::Skills => Some("skills"),
        });
        let lists = ["experience", "education"].into_iter();
        let names = fixed.chain(lists).map(str::to_owned);
        Some(names.chain(self.extras.iter().cloned()).collect())
    }

    fn rows(&self, record: &Obj<'_>, sink: &mut RowSink<'_>) -> Result<(), ExportError> {
        let positions = Positions::of(record);
        let mut row = Vec::with_capacity(FIRST_COLUMNS.len() + 4 * self.past_positions + 2);
        for (_, source) in FIRST_COLUMNS {
            row.push(match *source {
                Source::Field(name) => Cell::from_value(record.get(name)),
                Source::CurrentTitle => {
                    first_of(record.get("job_title"), positions.current, "title")
                }
                Source::CurrentCompany => first_of(
                    record.get("company_name"),
                    positions.current,
                    "company_name",
                ),
                Source::Since => {
                    Cell::from_value(positions.current.and_then(|p| p.get("date_from")))
                }
                Source::Skills => skills(record.get("skills")),
            });
        }
        for n in 0..self.past_positions {
            let position = positions.past.get(n);
            for field in ["title", "company_name", "date_from", "date_to"] {
                row.push(Cell::from_value(position.and_then(|p| p.get(field))));
            }
        }
        let education = highest_education(record.get("education"));
        for field in ["title", "major"] {
            row.push(Cell::from_value(education.and_then(|e| e.get(field))));
        }
        for extra in &self.extras {
            row.push(Cell::from_value(record.get(extra)));
        }
        sink(0, &row)
    }
}

/// A person's current title and company: the top-level fields, or the current position's.
pub(crate) fn current_job<'a>(record: &'a Obj<'a>) -> (Cell<'a>, Cell<'a>) {
    let positions = Positions::of(record);
    (
        first_of(record.get("job_title"), positions.current, "title"),
        first_of(
            record.get("company_name"),
            positions.current,
            "company_name",
        ),
    )
}

/// A top-level value, or when it is empty the same field of a position.
fn first_of<'a>(top: Option<&'a Val<'a>>, position: Option<&'a Obj<'a>>, field: &str) -> Cell<'a> {
    match Cell::from_value(top) {
        Cell::Empty => Cell::from_value(position.and_then(|p| p.get(field))),
        cell => cell,
    }
}

fn skills<'a>(value: Option<&'a Val<'_>>) -> Cell<'a> {
    match value {
        Some(Val::Array(items)) => {
            let names: Vec<&str> = items.iter().filter_map(Val::as_str).collect();
            Cell::text(Cow::Owned(names.join(LIST_SEPARATOR)))
        }
        other => Cell::from_value(other),
    }
}

/// A person's positions: the current one (no end date; the first in profile order), and the
/// others in profile order.
struct Positions<'a> {
    current: Option<&'a Obj<'a>>,
    past: Vec<&'a Obj<'a>>,
}

impl<'a> Positions<'a> {
    fn of(record: &'a Obj<'a>) -> Self {
        let mut all: Vec<&Obj<'_>> = objects(record.get("experience")).collect();
        all.sort_by_key(|item| order_in_profile(item)); // Stable: the listed order breaks ties.
        let current_at = all
            .iter()
            .position(|item| matches!(item.get("date_to"), None | Some(Val::Null)));
        let current = current_at.map(|at| all.remove(at));
        Self { current, past: all }
    }
}

fn objects<'a>(value: Option<&'a Val<'a>>) -> impl Iterator<Item = &'a Obj<'a>> {
    value
        .and_then(Val::as_array)
        .into_iter()
        .flatten()
        .filter_map(Val::as_object)
}

fn order_in_profile(item: &Obj<'_>) -> u64 {
    item.get("order_in_profile")
        .and_then(Val::as_u64)
        .unwrap_or(u64::MAX)
}

/// How an education compares: degree rank, then end year.
type Rank = (u8, i64);

/// The education with the highest degree (doctorate, master's, bachelor's, associate, other, read
/// from `major`); a tie goes to the one that ended last, then to the first in the profile.
fn highest_education<'a>(value: Option<&'a Val<'a>>) -> Option<&'a Obj<'a>> {
    let mut best: Option<(&Obj<'a>, Rank)> = None;
    for item in objects(value) {
        let rank = (degree_rank(item.get("major")), year(item.get("date_to")));
        if best.as_ref().is_none_or(|(_, best_rank)| rank > *best_rank) {
            best = Some((item, rank));
        }
    }
    best.map(|(item, _)| item)
}

/// 5 doctorate, 4 master's, 3 bachelor's, 2 associate, 1 anything else.
pub(crate) fn degree_rank(major: Option<&Val<'_>>) -> u8 {
    let Some(text) = major.and_then(Val::as_str) else {
        return 0;
    };
    let lower = text.to_lowercase();
    let mut rank = 1;
    for word in lower.split(|c: char| !c.is_alphanumeric()) {
        let word_rank = match word {
            "phd" | "doctor" | "doctorate" | "dphil" | "edd" | "md" => 5,
            "master" | "masters" | "mba" | "msc" | "ms" | "ma" | "meng" | "mphil" | "llm" => 4,
            "bachelor" | "bachelors" | "bsc" | "ba" | "bs" | "beng" | "bcom" | "llb" => 3,
            "associate" => 2,
            _ => 1,
        };
        rank = rank.max(word_rank);
    }
    rank
}

/// The year a value names (a number, or text starting with four digits); `i64::MIN` when none.
fn year(value: Option<&Val<'_>>) -> i64 {
    match value {
        Some(Val::Number(number)) => number.as_i64().unwrap_or(i64::MIN),
        Some(Val::String(text)) => text
            .get(..4)
            .and_then(|digits| digits.parse().ok())
            .unwrap_or(i64::MIN),
        _ => i64::MIN,
    }
}
