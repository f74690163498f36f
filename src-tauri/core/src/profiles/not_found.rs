//! A resolved list's rows saved as a CSV a person opens in Excel: the rows that brought nobody
//! (the row, the value as written, and why), or the people found (the row, the value, the ID).

use std::borrow::Cow;
use std::io::Write;
use std::path::Path;

use super::{ListReport, Resolved};
use crate::export::cell::Cell;
use crate::export::csv::push_cell;
use crate::export::{ExportError, BOM};

/// The header of the CSV of rows not found.
pub const NOT_FOUND_COLUMNS: [&str; 3] = ["Row", "Value", "Why"];

/// The header of the CSV of people found.
pub const FOUND_COLUMNS: [&str; 3] = ["Row", "Value", "Employee ID"];

/// Writes each row of `resolved` that names a person as a CSV at `to`: the row, the value as
/// written, and the person's employee ID.
pub fn write_found(resolved: &Resolved, to: &Path) -> Result<(), ExportError> {
    let rows: Vec<[String; 3]> = resolved
        .rows
        .iter()
        .filter_map(|row| {
            row.person
                .map(|person| [row.row.to_string(), row.value.clone(), person.to_string()])
        })
        .collect();
    write_csv(to, FOUND_COLUMNS, &rows)
}

/// Writes the rows of `report` not found, and the rows that could not be used, as a CSV at `to`
/// (UTF-8 with BOM, formula injection guarded), replacing it whole or not at all.
pub fn write_not_found(report: &ListReport, to: &Path) -> Result<(), ExportError> {
    let mut rows: Vec<(usize, &str, &str)> = report
        .not_found
        .iter()
        .map(|row| (row.row, row.value.as_str(), super::report::NOT_IN_THE_DATA))
        .collect();
    rows.extend(
        report
            .problems
            .iter()
            .map(|problem| (problem.row, problem.text.as_str(), problem.reason.as_str())),
    );
    rows.sort_by_key(|(row, _, _)| *row);
    let rows: Vec<[String; 3]> = rows
        .into_iter()
        .map(|(row, value, why)| [row.to_string(), value.to_owned(), why.to_owned()])
        .collect();
    write_csv(to, NOT_FOUND_COLUMNS, &rows)
}

/// Writes `header` and `rows` as a CSV at `to`, whole or not at all.
fn write_csv(to: &Path, header: [&str; 3], rows: &[[String; 3]]) -> Result<(), ExportError> {
    let mut text: Vec<u8> = BOM.as_bytes().to_vec();
    let mut line = |cells: [&str; 3]| {
        for (at, cell) in cells.iter().enumerate() {
            if at > 0 {
                text.push(b',');
            }
            push_cell(&mut text, &Cell::Text(Cow::Borrowed(cell)));
        }
        text.extend_from_slice(b"\r\n");
    };
    line(header);
    for [row, value, last] in rows {
        line([row, value, last]);
    }
    let folder = to
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let fail = |error: std::io::Error| ExportError::write(to, error);
    let mut file = tempfile::NamedTempFile::new_in(folder).map_err(fail)?;
    file.write_all(&text).map_err(fail)?;
    file.as_file().sync_all().map_err(fail)?;
    file.persist(to).map_err(|error| fail(error.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lists::RowProblem;
    use crate::profiles::RowValue;

    #[test]
    fn the_rows_not_found_and_not_usable_are_saved_in_row_order() {
        let dir = tempfile::tempdir().unwrap();
        let report = ListReport {
            source: "crm.csv".into(),
            column: "LinkedIn".into(),
            rows: 3,
            found: 1,
            people: 1,
            given_ids: 0,
            looked_up: 2,
            not_found: vec![RowValue {
                row: 4,
                value: "=nobody".into(),
            }],
            duplicates: vec![],
            several: vec![],
            problems: vec![RowProblem {
                row: 2,
                column: "LinkedIn".into(),
                text: "https://www.linkedin.com/company/acme".into(),
                reason: "A company's page, not a person's.".into(),
            }],
            blank: 0,
            searches: 1,
            summary: String::new(),
        };
        let path = dir.path().join("not found.csv");
        write_not_found(&report, &path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text,
            format!("{BOM}Row,Value,Why\r\n2,https://www.linkedin.com/company/acme,\"A company's page, not a person's.\"\r\n4,'=nobody,Not in Coresignal's data: no profile has this address.\r\n")
        );
    }
}
