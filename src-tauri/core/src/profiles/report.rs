//! The report of a resolved list, row by row, built from what the searches found.

use std::collections::HashMap;

use super::{DuplicateRow, ListReport, NameMatches, RowValue, SeveralMatches};
use crate::ids::{group_digits, plural};
use crate::lists::{ListEntries, ListValue};

/// Why a row brought nobody, for the *Not found* sheet and the report.
pub const NOT_IN_THE_DATA: &str = "Not in Coresignal's data: no profile has this address.";

/// A list resolved: its report, the people to collect, and each row's person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// What is shown before the price.
    pub report: ListReport,
    /// Different people, in the order their first row names them.
    pub ids: Vec<u64>,
    /// Every data row with a value, in row order.
    pub rows: Vec<ResolvedRow>,
}

/// One row of a resolved list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedRow {
    /// The row number the spreadsheet shows.
    pub row: usize,
    /// The cell, as written.
    pub value: String,
    /// The person it names, if any.
    pub person: Option<i64>,
    /// Why it names nobody, in words.
    pub note: Option<String>,
}

/// Builds the report of `entries` (read from `column` of `source`) from what the searches
/// found for its short names.
pub fn build(source: &str, column: &str, entries: &ListEntries, matches: &NameMatches) -> Resolved {
    let mut report = ListReport {
        source: source.to_owned(),
        column: column.to_owned(),
        rows: entries.entries.len() + entries.problems.len(),
        found: 0,
        people: 0,
        given_ids: 0,
        looked_up: 0,
        not_found: Vec::new(),
        duplicates: Vec::new(),
        several: Vec::new(),
        problems: entries.problems.clone(),
        blank: entries.blank,
        searches: matches.searches,
        summary: String::new(),
    };
    let mut first_row: HashMap<i64, usize> = HashMap::new();
    let mut ids = Vec::new();
    let mut rows = Vec::new();
    for entry in &entries.entries {
        let person = match &entry.value {
            ListValue::Id(id) => {
                report.given_ids += 1;
                i64::try_from(*id).ok()
            }
            ListValue::ShortName(name) => {
                report.looked_up += 1;
                let found = matches
                    .by_name
                    .get(name)
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                match found {
                    [] => None,
                    [one] => Some(*one),
                    several => {
                        let current = matches.current.get(name).copied();
                        let chosen = current.unwrap_or(several[0]);
                        report.several.push(SeveralMatches {
                            row: entry.row,
                            value: entry.text.clone(),
                            ids: several.to_vec(),
                            chosen,
                            reason: match current {
                                Some(_) => format!(
                                    "{} people have used this address; it is the profile address of ID {chosen} now, so that person was taken.",
                                    several.len()
                                ),
                                None => format!(
                                    "{} people have used this address and none of them has it now; the first, ID {chosen}, was taken. Check the others if that is not the person you meant.",
                                    several.len()
                                ),
                            },
                        });
                        Some(chosen)
                    }
                }
            }
        };
        let Some(person) = person else {
            report.not_found.push(RowValue {
                row: entry.row,
                value: entry.text.clone(),
            });
            rows.push(ResolvedRow {
                row: entry.row,
                value: entry.text.clone(),
                person: None,
                note: Some(NOT_IN_THE_DATA.to_owned()),
            });
            continue;
        };
        report.found += 1;
        rows.push(ResolvedRow {
            row: entry.row,
            value: entry.text.clone(),
            person: Some(person),
            note: None,
        });
        match first_row.get(&person) {
            Some(first) => report.duplicates.push(DuplicateRow {
                row: entry.row,
                value: entry.text.clone(),
                id: person,
                first_row: *first,
            }),
            None => {
                first_row.insert(person, entry.row);
                if let Ok(id) = u64::try_from(person) {
                    ids.push(id);
                }
            }
        }
    }
    for problem in &entries.problems {
        rows.push(ResolvedRow {
            row: problem.row,
            value: problem.text.clone(),
            person: None,
            note: Some(problem.reason.clone()),
        });
    }
    rows.sort_by_key(|row| row.row);
    report.people = ids.len();
    report.summary = summary(&report);
    Resolved { report, ids, rows }
}

/// "Found 46 of 50 rows: 45 different people. …"
fn summary(report: &ListReport) -> String {
    let mut text = if report.looked_up == 0 {
        format!(
            "{} ready to collect, read from {} in column \"{}\".",
            plural(
                report.people,
                "different employee ID",
                "different employee IDs"
            ),
            plural(report.rows, "row", "rows"),
            report.column
        )
    } else {
        format!(
            "Found {} of {}: {} to collect.",
            group_digits(report.found),
            plural(report.rows, "row", "rows"),
            plural(report.people, "different person", "different people"),
        )
    };
    if report.looked_up > 0 && report.given_ids > 0 {
        // Among addresses, a number may be a phone number or LinkedIn's own member number: it
        // would buy whoever has that employee ID.
        text.push_str(&format!(
            " {} a number, taken as a Coresignal employee ID without looking it up: check {} not a phone number or another number.",
            match report.given_ids {
                1 => "1 row holds".to_owned(),
                n => format!("{} rows hold", group_digits(n)),
            },
            if report.given_ids == 1 { "it is" } else { "they are" }
        ));
    }
    if !report.not_found.is_empty() {
        text.push_str(&format!(
            " {} not in Coresignal's data.",
            plural(report.not_found.len(), "row is", "rows are")
        ));
    }
    if !report.duplicates.is_empty() {
        text.push_str(&format!(
            " {} the same person as an earlier row (collected once).",
            plural(report.duplicates.len(), "row is", "rows are")
        ));
    }
    if !report.several.is_empty() {
        text.push_str(&format!(
            " {} several people: see which one was taken.",
            match report.several.len() {
                1 => "1 address matches".to_owned(),
                n => format!("{} addresses match", group_digits(n)),
            }
        ));
    }
    if !report.problems.is_empty() {
        text.push_str(&format!(
            " {} could not be used: see why below.",
            plural(report.problems.len(), "row", "rows")
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lists::{ListEntry, RowProblem};

    fn entry(row: usize, text: &str, value: ListValue) -> ListEntry {
        ListEntry {
            row,
            text: text.to_owned(),
            value,
        }
    }

    #[test]
    fn each_row_learns_its_person_and_the_report_names_the_rest_by_row() {
        let name = |n: &str| ListValue::ShortName(n.to_owned());
        let entries = ListEntries {
            entries: vec![
                entry(2, "https://www.linkedin.com/in/ann/", name("ann")),
                entry(3, "linkedin.com/in/nobody", name("nobody")),
                entry(4, "ANN", name("ann")),
                entry(5, "777", ListValue::Id(777)),
                entry(6, "old-name", name("old-name")),
                entry(7, "odd", name("odd")),
            ],
            problems: vec![RowProblem {
                row: 8,
                column: "LinkedIn".into(),
                text: "https://www.linkedin.com/company/acme".into(),
                reason: "A company's page".into(),
            }],
            blank: 1,
            header_row: Some(1),
        };
        let mut matches = NameMatches {
            searches: 5,
            ..NameMatches::default()
        };
        matches.by_name.insert("ann".into(), vec![10]);
        matches.by_name.insert("nobody".into(), vec![]);
        matches.by_name.insert("old-name".into(), vec![20, 21]);
        matches.by_name.insert("odd".into(), vec![30, 31]);
        matches.current.insert("old-name".into(), 21);
        let resolved = build("crm.csv", "LinkedIn", &entries, &matches);
        let report = &resolved.report;
        assert_eq!(resolved.ids, [10, 777, 21, 30]);
        assert_eq!((report.rows, report.found, report.people), (7, 5, 4));
        assert_eq!((report.given_ids, report.looked_up), (1, 5));
        assert_eq!(
            report.not_found,
            [RowValue {
                row: 3,
                value: "linkedin.com/in/nobody".into()
            }]
        );
        assert_eq!(
            report.duplicates,
            [DuplicateRow {
                row: 4,
                value: "ANN".into(),
                id: 10,
                first_row: 2
            }]
        );
        assert_eq!(report.several.len(), 2);
        assert_eq!(report.several[0].chosen, 21);
        assert!(
            report.several[0].reason.contains("ID 21 now"),
            "{}",
            report.several[0].reason
        );
        assert_eq!(report.several[1].chosen, 30);
        assert!(
            report.several[1].reason.contains("none of them"),
            "{}",
            report.several[1].reason
        );
        assert_eq!(
            report.summary,
            "Found 5 of 7 rows: 4 different people to collect. 1 row holds a number, taken as a Coresignal employee ID without looking it up: check it is not a phone number or another number. 1 row is not in Coresignal's data. 1 row is the same person as an earlier row (collected once). 2 addresses match several people: see which one was taken. 1 row could not be used: see why below."
        );
        let numbers: Vec<usize> = resolved.rows.iter().map(|row| row.row).collect();
        assert_eq!(numbers, [2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(
            resolved.rows[1],
            ResolvedRow {
                row: 3,
                value: "linkedin.com/in/nobody".into(),
                person: None,
                note: Some(NOT_IN_THE_DATA.to_owned())
            }
        );
    }

    #[test]
    fn a_list_of_ids_is_taken_as_it_is() {
        let entries = ListEntries {
            entries: vec![
                entry(2, "5", ListValue::Id(5)),
                entry(3, "6", ListValue::Id(6)),
            ],
            problems: vec![],
            blank: 0,
            header_row: Some(1),
        };
        let resolved = build("ids.csv", "Employee ID", &entries, &NameMatches::default());
        assert_eq!(resolved.ids, [5, 6]);
        assert_eq!(
            resolved.report.summary,
            "2 different employee IDs ready to collect, read from 2 rows in column \"Employee ID\"."
        );
    }
}
