//! One cell of a companies list: a name, a web domain or address, or a company profile address.

use super::address::{self, Address};
use super::columns::HeaderChoice;
use super::table::ListTable;
use super::values::{read_column, RowProblem};

/// A company, as a list names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CompanyKey {
    /// The name as written, spaces collapsed.
    Name(String),
    /// A web domain, lower-case, without scheme, `www.` or path: `acme.com`.
    Domain(String),
    /// The short name in a company profile address (linkedin.com/company/<short>/…).
    ShortName(String),
}

/// One usable row of a companies list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanyEntry {
    /// The row number, as in [`super::ListRow::row`].
    pub row: usize,
    /// The cell as written.
    pub text: String,
    /// The company it names.
    pub key: CompanyKey,
}

/// A column read as companies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanyEntries {
    /// Every usable row, in order; duplicates kept.
    pub entries: Vec<CompanyEntry>,
    /// Every unusable row.
    pub problems: Vec<RowProblem>,
    /// Data rows whose cell in the column is blank.
    pub blank: usize,
    /// The header row used, if any.
    pub header_row: Option<usize>,
}

/// Reads column `column` (0-based) of the rows below the header as companies.
pub fn company_entries(table: &ListTable, header: HeaderChoice, column: usize) -> CompanyEntries {
    let read = read_column(table, header, column, company_value);
    CompanyEntries {
        entries: read
            .values
            .into_iter()
            .map(|(row, text, key)| CompanyEntry { row, text, key })
            .collect(),
        problems: read.problems,
        blank: read.blank,
        header_row: read.header_row,
    }
}

const ONLY: &str = "Write the company's name, its web address (acme.com) or its LinkedIn page \
                    (linkedin.com/company/…).";

/// The longest company name accepted, in characters.
const MAX_NAME: usize = 200;

/// One cell of a companies list; `Ok(None)` for a blank cell; `Err(reason)` otherwise.
pub fn company_value(text: &str) -> Result<Option<CompanyKey>, String> {
    let value = address::clean(text);
    if value.is_empty() {
        return Ok(None);
    }
    if let Some(reason) = address::excel_error(value) {
        return Err(reason);
    }
    if value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("This is a number, not a company. {ONLY}"));
    }
    match address::split(value) {
        Some(Ok(address)) => return company_address(&address).map(Some),
        Some(Err(scheme)) if scheme == "mailto" => return Err(email_reason()),
        Some(Err(scheme)) => return Err(format!("This is a {scheme}: address. {ONLY}")),
        None => {}
    }
    if value.contains('@') && !value.contains(char::is_whitespace) {
        return Err(email_reason());
    }
    let name = value.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.chars().count() > MAX_NAME {
        return Err(format!(
            "This text is too long to be a company's name (over {MAX_NAME} characters). {ONLY}"
        ));
    }
    Ok(Some(CompanyKey::Name(name)))
}

fn email_reason() -> String {
    format!("An e-mail address is not a company (it may be a personal mailbox). {ONLY}")
}

fn company_address(address: &Address) -> Result<CompanyKey, String> {
    if address.host.is_empty() {
        return Err(format!(
            "This is part of an address without its website. {ONLY}"
        ));
    }
    if !address::is_linkedin(&address.host) {
        return domain(&address.host).map(CompanyKey::Domain);
    }
    let first = address.segments.first().map(|s| s.to_ascii_lowercase());
    match (first.as_deref(), address.segments.get(1)) {
        (Some("company" | "showcase" | "school"), Some(name)) => {
            address::short_name(name).map(CompanyKey::ShortName)
        }
        (Some("in" | "pub" | "mwlite"), _) => Err(
            "This is a person's profile, not a company: put people in a people list instead."
                .to_owned(),
        ),
        _ => Err(format!(
            "This LinkedIn address is not a company page (linkedin.com/company/…). {ONLY}"
        )),
    }
}

/// A host as a domain: labels of letters, digits and hyphens, ending in a name of 2+ letters.
fn domain(host: &str) -> Result<String, String> {
    let labels: Vec<&str> = host.split('.').collect();
    let valid_label = |l: &&str| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    let ends_in_name = labels
        .last()
        .is_some_and(|tld| tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic));
    if labels.len() >= 2 && labels.iter().all(valid_label) && ends_in_name {
        Ok(host.to_lowercase())
    } else {
        Err(format!("\"{host}\" is not a web address. {ONLY}"))
    }
}
