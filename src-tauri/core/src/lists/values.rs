//! The chosen column as people: employee IDs or profile short names, every unusable row with the
//! reason, by row and column.

use serde::Serialize;

use super::address::{self, Address};
use super::columns::{column_name, data_start, HeaderChoice};
use super::table::ListTable;
use crate::ids::line::parse_id;

/// One person, as a list names them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ListValue {
    /// A Coresignal employee ID.
    Id(u64),
    /// A LinkedIn short name: percent-decoded UTF-8, lower-case, no slashes.
    ShortName(String),
}

/// One usable row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListEntry {
    /// The row number, as in [`super::ListRow::row`].
    pub row: usize,
    /// The cell as written.
    pub text: String,
    /// What it names.
    pub value: ListValue,
}

/// One row that cannot be used, and why.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize)]
#[ts(export)]
pub struct RowProblem {
    /// The row number, as in [`super::ListRow::row`].
    pub row: usize,
    /// The column's name.
    pub column: String,
    /// The cell, cut to about 60 characters.
    pub text: String,
    /// What is wrong and what to do, in plain words.
    pub reason: String,
}

/// The chosen column read row by row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListEntries {
    /// Every usable row, in order; duplicates kept (the caller reports them).
    pub entries: Vec<ListEntry>,
    /// Every unusable row.
    pub problems: Vec<RowProblem>,
    /// Data rows whose cell in the column is blank.
    pub blank: usize,
    /// The header row used, if any.
    pub header_row: Option<usize>,
}

/// Reads column `column` (0-based) of the rows below the header as people.
pub fn entries(table: &ListTable, header: HeaderChoice, column: usize) -> ListEntries {
    let read = read_column(table, header, column, profile_value);
    ListEntries {
        entries: read
            .values
            .into_iter()
            .map(|(row, text, value)| ListEntry { row, text, value })
            .collect(),
        problems: read.problems,
        blank: read.blank,
        header_row: read.header_row,
    }
}

/// A column read cell by cell with `value_of`: the values with their row and text, the problems.
pub(super) struct ReadColumn<T> {
    pub values: Vec<(usize, String, T)>,
    pub problems: Vec<RowProblem>,
    pub blank: usize,
    pub header_row: Option<usize>,
}

pub(super) fn read_column<T>(
    table: &ListTable,
    header: HeaderChoice,
    column: usize,
    value_of: impl Fn(&str) -> Result<Option<T>, String>,
) -> ReadColumn<T> {
    let (header_row, start) = data_start(table, header);
    let name = column_name(table, header_row, column);
    let mut out = ReadColumn {
        values: Vec::new(),
        problems: Vec::new(),
        blank: 0,
        header_row,
    };
    for row in &table.rows[start..] {
        let text = row.cells.get(column).map(String::as_str).unwrap_or("");
        match value_of(text) {
            Ok(Some(value)) => out.values.push((row.row, text.to_owned(), value)),
            Ok(None) => out.blank += 1,
            Err(reason) => out.problems.push(RowProblem {
                row: row.row,
                column: name.clone(),
                text: cut(text),
                reason,
            }),
        }
    }
    out
}

/// Cuts `text` to about 60 characters, marking the cut with `…`.
pub(super) fn cut(text: &str) -> String {
    const MAX: usize = 60;
    if text.chars().count() <= MAX {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(MAX - 1).collect();
    out.push('…');
    out
}

const ONLY: &str = "Use employee IDs or LinkedIn profile addresses (linkedin.com/in/…) only.";

/// One cell as a person: an employee ID (digits), or a profile short name from any address form;
/// `Ok(None)` for a blank cell; `Err(reason)` otherwise.
pub fn profile_value(text: &str) -> Result<Option<ListValue>, String> {
    let value = address::clean(text);
    if value.is_empty() {
        return Ok(None);
    }
    if let Some(reason) = address::excel_error(value) {
        return Err(reason);
    }
    if looks_numeric(value) {
        return parse_id(value).map(|id| Some(ListValue::Id(id)));
    }
    if value.contains(char::is_whitespace) {
        return Err(spaced_reason(value));
    }
    match address::split(value) {
        Some(Ok(address)) => return person_address(&address).map(Some),
        Some(Err(scheme)) if scheme == "mailto" => return Err(email_reason()),
        Some(Err(scheme)) => {
            return Err(format!(
                "This is a {scheme}: address, not a web page. {ONLY}"
            ))
        }
        None => {}
    }
    if value.contains('@') {
        return Err(email_reason());
    }
    address::short_name(value).map(|name| Some(ListValue::ShortName(name)))
}

/// Digits, or what people take for a number: `1.23E+08`, `-5`, `12.0`, `0x1F`.
fn looks_numeric(value: &str) -> bool {
    let unsigned = value.trim_start_matches(['-', '+']);
    let has_digit = unsigned.bytes().any(|b| b.is_ascii_digit());
    has_digit
        && (unsigned.bytes().all(|b| b.is_ascii_digit())
            || unsigned.parse::<f64>().is_ok()
            || unsigned.starts_with("0x")
            || unsigned.starts_with("0X")
            || value
                .split_whitespace()
                .all(|w| w.bytes().all(|b| b.is_ascii_digit())))
}

fn email_reason() -> String {
    format!("An e-mail address is not a profile and cannot be looked up. {ONLY}")
}

/// Why text with spaces is not one person: several addresses, an e-mail, a name.
fn spaced_reason(value: &str) -> String {
    let words: Vec<&str> = value.split_whitespace().collect();
    let addresses = words
        .iter()
        .filter(|w| w.contains("linkedin.") || w.contains("/in/"))
        .count();
    if addresses > 1 {
        return "This cell holds several addresses: put one on each row.".to_owned();
    }
    if addresses == 1 {
        return format!(
            "This cell holds other text beside the address: keep only the address \
             (linkedin.com/in/…). {ONLY}"
        );
    }
    if value.contains('@') {
        return email_reason();
    }
    format!(
        "This looks like a name; a name alone cannot be looked up (many people share it). {ONLY}"
    )
}

/// The short name in a person's LinkedIn address, or why the address is not one.
fn person_address(address: &Address) -> Result<ListValue, String> {
    if !address.host.is_empty() && !address::is_linkedin(&address.host) {
        return Err(other_site(&address.host));
    }
    let segments: Vec<String> = address
        .segments
        .iter()
        .map(|s| s.to_ascii_lowercase())
        .collect();
    let segments = match segments.first().map(String::as_str) {
        Some("mwlite") => &segments[1..],
        _ => &segments[..],
    };
    let offset = address.segments.len() - segments.len();
    match segments.first().map(String::as_str) {
        Some("in") => match address.segments.get(offset + 1) {
            Some(name) if is_member_code(name) => Err(
                "This address holds LinkedIn's internal member code, not the person's public \
                 short name: open it in a browser and copy the address it turns into \
                 (linkedin.com/in/…)."
                    .to_owned(),
            ),
            Some(name) => address::short_name(name).map(ListValue::ShortName),
            None => Err(format!(
                "This address ends at /in/ without the person's short name. {ONLY}"
            )),
        },
        Some("company" | "showcase") => Err(
            "This is a company's page, not a person's profile: put companies in a companies list \
             instead."
                .to_owned(),
        ),
        Some("school") => Err(
            "This is a school's page, not a person's profile. Use the person's profile address \
             (linkedin.com/in/…)."
                .to_owned(),
        ),
        Some("pub") => Err(
            "This is an old form of LinkedIn profile address (/pub/…) that Coresignal's data is \
             not keyed by: open it in a browser and copy the address it turns into \
             (linkedin.com/in/…)."
                .to_owned(),
        ),
        Some("sales" | "recruiter" | "talent") => Err(
            "This is a Sales Navigator or Recruiter link, which only works inside those tools: \
             export the public profile address (linkedin.com/in/…) instead."
                .to_owned(),
        ),
        _ => Err(format!(
            "This LinkedIn address is not a person's profile (a profile address has /in/ \
             followed by the short name). {ONLY}"
        )),
    }
}

/// `ACoAAB…`/`ACwAAB…`: the member code Sales Navigator and the API put where the short name goes.
fn is_member_code(segment: &str) -> bool {
    (segment.starts_with("ACoAA") || segment.starts_with("ACwAA")) && segment.len() >= 30
}

fn other_site(host: &str) -> String {
    if host == "lnkd.in" {
        return "This is a shortened LinkedIn link: open it in a browser and copy the profile \
                address it turns into (linkedin.com/in/…)."
            .to_owned();
    }
    format!("This address is on another website ({host}), not LinkedIn. {ONLY}")
}
