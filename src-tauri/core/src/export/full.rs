//! The *Full* layout: nothing left out. A People sheet with every top-level field that is not a
//! list of objects (lists of plain values joined), and one sheet per list of objects (Experience,
//! Education, Languages, Certifications, …) with one row per item, keyed by the person's id.

use std::collections::HashSet;

use super::cell::Cell;
use super::layout::{Layout, RowSink, Sheet};
use super::schema::Schema;
use super::value::{Obj, Val};
use super::ExportError;

/// The column that keys an item's row to its person.
pub const PERSON_KEY_COLUMN: &str = "person_id";

/// The Full layout over a [`Schema`].
pub(crate) struct Full {
    /// The People sheet's fields.
    people: Vec<String>,
    /// The lists, each with its items' fields.
    lists: Vec<(String, Vec<String>)>,
}

impl Full {
    /// The sheets `schema` calls for.
    pub(crate) fn new(schema: &Schema) -> Self {
        let people = schema
            .fields
            .iter()
            .filter(|field| !schema.is_list(field))
            .cloned()
            .collect();
        Self {
            people,
            lists: schema.lists.clone(),
        }
    }
}

/// A sheet's name for a list field: `experience` → `Experience`.
fn sheet_name(field: &str) -> String {
    let mut name = String::with_capacity(field.len());
    for (at, character) in field.chars().enumerate() {
        match (at, character) {
            (0, c) => name.extend(c.to_uppercase()),
            (_, '_') => name.push(' '),
            (_, c) => name.push(c),
        }
    }
    name
}

impl Layout for Full {
    fn sheets(&self) -> Vec<Sheet> {
        let mut sheets = vec![Sheet {
            name: "People".into(),
            columns: self.people.clone(),
        }];
        for (field, columns) in &self.lists {
            let mut header = vec![PERSON_KEY_COLUMN.to_owned()];
            header.extend(columns.iter().cloned());
            let mut name = sheet_name(field);
            // A list called `people` (or two names that differ only in case) must not share a
            // sheet, nor a CSV file on a case-insensitive disk.
            let taken = |name: &str| {
                sheets
                    .iter()
                    .any(|s: &Sheet| s.name.eq_ignore_ascii_case(name))
            };
            let base = name.clone();
            let mut n = 2;
            while taken(&name) {
                name = format!("{base} {n}");
                n += 1;
            }
            sheets.push(Sheet {
                name,
                columns: header,
            });
        }
        sheets
    }

    fn wanted(&self) -> Option<HashSet<String>> {
        None
    }

    fn rows(&self, record: &Obj<'_>, sink: &mut RowSink<'_>) -> Result<(), ExportError> {
        let row: Vec<Cell> = self
            .people
            .iter()
            .map(|field| Cell::from_value(record.get(field)))
            .collect();
        sink(0, &row)?;
        let id = record.get("id");
        let mut row = Vec::new();
        for (sheet, (field, columns)) in self.lists.iter().enumerate() {
            let items = record
                .get(field)
                .and_then(Val::as_array)
                .into_iter()
                .flatten();
            for item in items.filter_map(Val::as_object) {
                row.clear();
                row.push(Cell::from_value(id));
                row.extend(
                    columns
                        .iter()
                        .map(|column| Cell::from_value(item.get(column))),
                );
                sink(sheet + 1, &row)?;
            }
        }
        Ok(())
    }
}
