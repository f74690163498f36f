//! Rows of `lists` and `list_rows`: a list read from a person's file (its columns, and for each
//! row the person it was found to be, or why not), kept so that the spreadsheet of what it
//! bought joins their own columns to the collected data.

use std::collections::HashMap;

use rusqlite::params;

use super::{now_text, Store, StoreError, StoreResult};
use crate::jobs::Mode;

/// How long a list no spent price needs is kept: a price checked again within it keeps its list.
pub const LISTS_KEPT_UNSPENT: std::time::Duration =
    std::time::Duration::from_secs(7 * 24 * 60 * 60);

/// A list to keep: where it came from, its header, and its rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPersonList {
    /// The file's name, or "Pasted cells".
    pub source: String,
    /// The column the people were read from.
    pub column: String,
    /// The header of the person's columns, as in their file.
    pub columns: Vec<String>,
    /// Every data row.
    pub rows: Vec<PersonListRow>,
}

/// One row of a person's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonListRow {
    /// The row number their spreadsheet shows.
    pub row: usize,
    /// The person it was found to be, if any.
    pub person: Option<i64>,
    /// Its cells, as many as the header has.
    pub cells: Vec<String>,
    /// Why it brought no person (not found, not a profile), in words.
    pub note: Option<String>,
}

/// A kept list, read back for a spreadsheet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonList {
    /// The file's name, or "Pasted cells".
    pub source: String,
    /// The column the people were read from.
    pub column: String,
    /// The header of the person's columns.
    pub columns: Vec<String>,
    /// Each person's first row: its number and cells.
    pub by_person: HashMap<i64, (usize, Vec<String>)>,
    /// The rows not on the People sheet, in order: those that brought nobody (with why), and
    /// those naming a person an earlier row named (`person` set, no note).
    pub unmatched: Vec<PersonListRow>,
}

impl Store {
    /// Keeps `list` (in one transaction); returns its number.
    pub fn insert_person_list(&self, mode: Mode, list: &NewPersonList) -> StoreResult<i64> {
        let columns = serde_json::to_string(&list.columns)
            .map_err(|error| StoreError::Corrupt(error.to_string()))?;
        let mut connection = self.lock();
        let transaction = connection.transaction()?;
        // A list is kept for the prices made from it. One whose prices all ran out unspent a
        // week ago (or that never got one) is no longer needed: it goes, with its rows. A spent
        // price keeps its list for good (its spreadsheet joins it).
        let cutoff = super::format_time(time::OffsetDateTime::now_utc() - LISTS_KEPT_UNSPENT);
        transaction.execute(
            "UPDATE quotes SET list_id = NULL WHERE list_id IS NOT NULL AND spent_at IS NULL AND expires_at < ?1",
            [&cutoff],
        )?;
        transaction.execute(
            "DELETE FROM lists WHERE created_at < ?1 AND id NOT IN (SELECT list_id FROM quotes WHERE list_id IS NOT NULL)",
            [&cutoff],
        )?;
        transaction.execute(
            "INSERT INTO lists (mode, source, column_name, columns_json, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![mode.as_str(), list.source, list.column, columns, now_text()],
        )?;
        let id = transaction.last_insert_rowid();
        {
            let mut insert = transaction.prepare_cached(
                "INSERT OR REPLACE INTO list_rows (list_id, row, person_id, cells_json, note) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for row in &list.rows {
                let cells = serde_json::to_string(&row.cells)
                    .map_err(|error| StoreError::Corrupt(error.to_string()))?;
                insert.execute(params![id, row.row as i64, row.person, cells, row.note])?;
            }
        }
        transaction.commit()?;
        Ok(id)
    }

    /// List `id` as kept: its header, each person's first row, and the rows that brought nobody.
    pub fn person_list(&self, id: i64) -> StoreResult<PersonList> {
        let connection = self.lock();
        let (source, column, columns): (String, String, String) = connection.query_row(
            "SELECT source, column_name, columns_json FROM lists WHERE id = ?1",
            [id],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )?;
        let columns: Vec<String> = serde_json::from_str(&columns)
            .map_err(|error| StoreError::Corrupt(error.to_string()))?;
        let mut list = PersonList {
            source,
            column,
            columns,
            ..PersonList::default()
        };
        let mut rows = connection.prepare_cached(
            "SELECT row, person_id, cells_json, note FROM list_rows WHERE list_id = ?1 ORDER BY row",
        )?;
        let mut read = rows.query([id])?;
        while let Some(row) = read.next()? {
            let number: i64 = row.get(0)?;
            let number = usize::try_from(number).unwrap_or_default();
            let person: Option<i64> = row.get(1)?;
            let cells: Vec<String> = serde_json::from_str(&row.get::<_, String>(2)?)
                .map_err(|error| StoreError::Corrupt(error.to_string()))?;
            match person {
                Some(person) if !list.by_person.contains_key(&person) => {
                    list.by_person.insert(person, (number, cells));
                }
                Some(_) => list.unmatched.push(PersonListRow {
                    row: number,
                    person,
                    cells,
                    note: None,
                }),
                None => list.unmatched.push(PersonListRow {
                    row: number,
                    person: None,
                    cells,
                    note: row.get(3)?,
                }),
            }
        }
        Ok(list)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_is_kept_and_read_back_with_each_persons_first_row() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        let row = |row, person, cells: &[&str], note: Option<&str>| PersonListRow {
            row,
            person,
            cells: cells.iter().map(|cell| (*cell).to_owned()).collect(),
            note: note.map(str::to_owned),
        };
        let id = store
            .insert_person_list(
                Mode::Practice,
                &NewPersonList {
                    source: "crm.csv".into(),
                    column: "LinkedIn".into(),
                    columns: vec!["CRM id".into(), "LinkedIn".into()],
                    rows: vec![
                        row(2, Some(7), &["A-1", "jane"], None),
                        row(
                            3,
                            None,
                            &["A-2", "nobody"],
                            Some("Not in Coresignal's data."),
                        ),
                        row(4, Some(7), &["A-3", "JANE"], None),
                    ],
                },
            )
            .unwrap();
        let list = store.person_list(id).unwrap();
        assert_eq!(list.source, "crm.csv");
        assert_eq!(list.columns, ["CRM id", "LinkedIn"]);
        assert_eq!(
            list.by_person.get(&7),
            Some(&(2, vec!["A-1".to_owned(), "jane".to_owned()]))
        );
        assert_eq!(list.unmatched.len(), 2);
        assert_eq!(list.unmatched[0].row, 3);
        assert_eq!(
            (list.unmatched[1].row, list.unmatched[1].person),
            (4, Some(7))
        );
        assert_eq!(
            list.unmatched[0].note.as_deref(),
            Some("Not in Coresignal's data.")
        );
    }
}
