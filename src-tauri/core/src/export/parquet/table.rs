//! The one table a Parquet export holds, in either layout: the person's own columns from their
//! list first (when there are), then the record's columns, then the two purchase columns (when
//! there are).
//!
//! - *People*: the People layout's columns, as the CSV and the workbook have them, each typed
//!   from its values (numbers stay numbers; dates stay the text the service wrote).
//! - *Full*: every top-level field of the record as a column; lists of objects (`experience`,
//!   `education`, …) as lists of structs, lists of plain values as lists, objects as structs.

use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch, RecordBatchOptions};
use arrow_schema::{ArrowError, Field, Schema as ArrowSchema, SchemaRef};

use super::super::cell::Cell;
use super::super::layout::Layout;
use super::super::marks::Additions;
use super::super::people::People;
use super::super::value::Obj;
use super::super::{ExportError, COLLECTED_ON, IN_THIS_PURCHASE};
use super::column::{Column, StructColumn};
use super::kind::Kind;

/// What the record's part of the table is.
enum Body {
    /// The People layout's cells.
    People(People),
    /// The record itself: its learnt kind, then its columns.
    Full(Kind, Option<StructColumn>),
}

/// A column made of cells: its name, kind and (once started) its values.
struct CellColumn {
    name: String,
    kind: Kind,
    column: Option<Column>,
}

impl CellColumn {
    fn named(names: Vec<String>) -> Vec<CellColumn> {
        names
            .into_iter()
            .map(|name| CellColumn {
                name,
                kind: Kind::Unknown,
                column: None,
            })
            .collect()
    }
}

/// The table of a Parquet export, learning its columns' kinds, then filled batch by batch.
pub(crate) struct Table<'a> {
    additions: Additions<'a>,
    body: Body,
    /// Own columns, then (People layout) the layout's, then the purchase marks.
    cells: Vec<CellColumn>,
    /// Where the purchase marks start in `cells`.
    marks_at: usize,
    rows: usize,
}

impl<'a> Table<'a> {
    /// The People layout's table.
    pub(crate) fn people(layout: People, additions: Additions<'a>) -> Self {
        let columns = layout.sheets().swap_remove(0).columns;
        Self::new(Body::People(layout), columns, additions)
    }

    /// The Full layout's table.
    pub(crate) fn full(additions: Additions<'a>) -> Self {
        Self::new(
            Body::Full(Kind::Struct(Vec::new()), None),
            Vec::new(),
            additions,
        )
    }

    fn new(body: Body, body_names: Vec<String>, additions: Additions<'a>) -> Self {
        let own = additions.own.map(|own| own.header(&body_names));
        let mut names = own.unwrap_or_default();
        names.extend(body_names);
        let marks_at = names.len();
        if additions.marks.is_some() {
            names.extend([COLLECTED_ON.to_owned(), IN_THIS_PURCHASE.to_owned()]);
        }
        Self {
            additions,
            body,
            cells: CellColumn::named(names),
            marks_at,
            rows: 0,
        }
    }

    /// The top-level fields the rows are made of (`None`: all).
    pub(crate) fn wanted(&self) -> Option<std::collections::HashSet<String>> {
        match &self.body {
            Body::People(layout) => layout.wanted(),
            Body::Full(..) => None,
        }
    }

    /// Widens the columns' kinds to hold `record`'s row.
    pub(crate) fn learn(&mut self, record: &Obj<'_>) -> Result<(), ExportError> {
        let cells = &mut self.cells;
        with_row(&self.body, self.additions, record, |row| {
            for (column, cell) in cells.iter_mut().zip(row) {
                column.kind.absorb_cell(cell);
            }
        })?;
        if let Body::Full(kind, _) = &mut self.body {
            kind.absorb_object(record);
        }
        Ok(())
    }

    /// Fixes the kinds learnt (a Full table's record fields put in their stable order) and
    /// returns the table's Arrow schema.
    pub(crate) fn start(&mut self) -> SchemaRef {
        for column in &mut self.cells {
            column.column = Some(Column::new(&column.kind));
        }
        let field = |column: &CellColumn| Field::new(&column.name, column.kind.data_type(), true);
        let mut fields: Vec<Field> = self.cells[..self.marks_at].iter().map(field).collect();
        if let Body::Full(kind, columns) = &mut self.body {
            let mut record = std::mem::replace(kind, Kind::Unknown).ordered(true);
            if let Kind::Struct(record_fields) = &mut record {
                if record_fields.is_empty() {
                    // No record at all: the file still has a column, the person's id.
                    record_fields.push(("id".into(), Kind::Int));
                }
                fields.extend(
                    record_fields
                        .iter()
                        .map(|(name, kind)| Field::new(name, kind.data_type(), true)),
                );
                *columns = Some(StructColumn::new(record_fields));
            }
            *kind = record;
        }
        fields.extend(self.cells[self.marks_at..].iter().map(field));
        Arc::new(ArrowSchema::new(fields))
    }

    /// Adds `record`'s row; `false` when a column cannot hold one of its values (or, in the Full
    /// layout, it has a field the columns do not). `weight` grows by about the bytes added.
    pub(crate) fn push(
        &mut self,
        record: &Obj<'_>,
        weight: &mut usize,
    ) -> Result<bool, ExportError> {
        let (cells, mut fits) = (&mut self.cells, true);
        with_row(&self.body, self.additions, record, |row| {
            for (column, cell) in cells.iter_mut().zip(row) {
                // Every column is made by `start`; one that is not takes nothing.
                fits = fits
                    && column
                        .column
                        .as_mut()
                        .is_some_and(|column| column.push_cell(cell, weight));
            }
        })?;
        if let Body::Full(_, Some(columns)) = &mut self.body {
            fits = fits && columns.push(record, weight);
        }
        self.rows += 1;
        Ok(fits)
    }

    /// The rows added since the last call, as one batch.
    pub(crate) fn batch(&mut self, schema: &SchemaRef) -> Result<RecordBatch, ArrowError> {
        let mut arrays: Vec<ArrayRef> = Vec::with_capacity(schema.fields().len());
        let (before, after) = self.cells.split_at_mut(self.marks_at);
        for column in before.iter_mut().filter_map(|c| c.column.as_mut()) {
            arrays.push(column.finish()?);
        }
        if let Body::Full(_, Some(columns)) = &mut self.body {
            let (_, record, _) = columns.finish()?.into_parts();
            arrays.extend(record);
        }
        for column in after.iter_mut().filter_map(|c| c.column.as_mut()) {
            arrays.push(column.finish()?);
        }
        let options = RecordBatchOptions::new().with_row_count(Some(self.rows));
        self.rows = 0;
        RecordBatch::try_new_with_options(schema.clone(), arrays, &options)
    }

    /// Rows added since the last batch.
    pub(crate) fn rows(&self) -> usize {
        self.rows
    }
}

/// Calls `each` with the cells of `record`'s row: own columns, the People layout's (none in the
/// Full layout), the purchase marks.
fn with_row(
    body: &Body,
    additions: Additions<'_>,
    record: &Obj<'_>,
    mut each: impl FnMut(&[Cell<'_>]),
) -> Result<(), ExportError> {
    let own = additions
        .own
        .map(|own| own.cells(record))
        .unwrap_or_default();
    let marks = additions.marks.map(|marks| marks.cells(record));
    let mut emit = |body_cells: &[Cell<'_>]| {
        if own.is_empty() && marks.is_none() {
            return each(body_cells);
        }
        let mut row: Vec<Cell<'_>> = own.clone();
        row.extend_from_slice(body_cells);
        row.extend(marks.iter().flatten().cloned());
        each(&row);
    };
    match body {
        Body::People(layout) => layout.rows(record, &mut |_, cells| {
            emit(cells);
            Ok(())
        }),
        Body::Full(..) => {
            emit(&[]);
            Ok(())
        }
    }
}
