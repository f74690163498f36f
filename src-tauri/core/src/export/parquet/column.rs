//! A column being filled, of the kind the first pass learnt ([`Kind`]), turned into an Arrow
//! array every few thousand rows. A value the column cannot hold is refused (`false`): the
//! export then learns the kinds from every record and starts again, so no value is ever dropped.

use std::sync::Arc;

use arrow_array::builder::{BooleanBuilder, Float64Builder, Int64Builder, StringBuilder};
use arrow_array::{ArrayRef, ListArray, StructArray};
use arrow_buffer::{NullBufferBuilder, OffsetBuffer, ScalarBuffer};
use arrow_schema::{ArrowError, Field, FieldRef, Fields};

use super::super::cell::Cell;
use super::super::value::{Obj, Val};
use super::kind::{struct_fields, Kind};

/// What a text column takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Takes {
    /// Nulls only (no value was seen in the first pass).
    Nothing,
    /// Text only.
    Text,
    /// Empty objects only (an object never seen with a field).
    EmptyObjects,
    /// Anything: text as itself, any other value as its JSON.
    Anything,
}

/// A column being filled.
pub(crate) enum Column {
    Bool(BooleanBuilder),
    Int(Int64Builder),
    Float(Float64Builder),
    Text(StringBuilder, Takes),
    List {
        field: FieldRef,
        offsets: Vec<i32>,
        valid: NullBufferBuilder,
        item: Box<Column>,
    },
    Struct(StructColumn),
}

/// The columns of an object's fields, filled together.
pub(crate) struct StructColumn {
    fields: Fields,
    children: Vec<Column>,
    valid: NullBufferBuilder,
    /// Which fields the object being added had (scratch, one per field).
    filled: Vec<bool>,
}

impl Column {
    /// An empty column for values of `kind`.
    pub(crate) fn new(kind: &Kind) -> Self {
        match kind {
            Kind::Unknown => Column::Text(StringBuilder::new(), Takes::Nothing),
            Kind::Bool => Column::Bool(BooleanBuilder::new()),
            Kind::Int => Column::Int(Int64Builder::new()),
            Kind::Float => Column::Float(Float64Builder::new()),
            Kind::Text => Column::Text(StringBuilder::new(), Takes::Text),
            Kind::Json => Column::Text(StringBuilder::new(), Takes::Anything),
            Kind::Struct(fields) if fields.is_empty() => {
                Column::Text(StringBuilder::new(), Takes::EmptyObjects)
            }
            Kind::Struct(fields) => Column::Struct(StructColumn::new(fields)),
            Kind::List(item) => Column::List {
                field: Arc::new(Field::new_list_field(item.data_type(), true)),
                offsets: vec![0],
                valid: NullBufferBuilder::new(0),
                item: Box::new(Column::new(item)),
            },
        }
    }

    /// Adds a null.
    pub(crate) fn push_null(&mut self) {
        match self {
            Column::Bool(b) => b.append_null(),
            Column::Int(b) => b.append_null(),
            Column::Float(b) => b.append_null(),
            Column::Text(b, _) => b.append_null(),
            Column::List { offsets, valid, .. } => {
                offsets.push(offsets.last().copied().unwrap_or(0));
                valid.append_null();
            }
            Column::Struct(column) => column.push_null(),
        }
    }

    /// Adds `value` (`None`: a missing field, a null); `false` when this column cannot hold it.
    /// `weight` grows by about the bytes added.
    pub(crate) fn push(&mut self, value: Option<&Val<'_>>, weight: &mut usize) -> bool {
        *weight += 8;
        let Some(value) = value.filter(|value| !matches!(value, Val::Null)) else {
            self.push_null();
            return true;
        };
        match (self, value) {
            (Column::Bool(b), Val::Bool(flag)) => b.append_value(*flag),
            (Column::Int(b), Val::Number(number)) => match number.as_i64() {
                Some(n) => b.append_value(n),
                None => return false,
            },
            (Column::Float(b), Val::Number(number)) => match number.as_f64() {
                Some(n) => b.append_value(n),
                None => return false,
            },
            (Column::Text(b, takes), value) => {
                let text = match (*takes, value) {
                    (Takes::Text | Takes::Anything, Val::String(text)) => text.clone(),
                    (Takes::EmptyObjects, Val::Object(object)) if object.0.is_empty() => {
                        "{}".into()
                    }
                    (Takes::Anything, other) => {
                        serde_json::to_string(other).unwrap_or_default().into()
                    }
                    _ => return false,
                };
                *weight += text.len();
                b.append_value(text);
            }
            (
                Column::List {
                    offsets,
                    valid,
                    item,
                    ..
                },
                Val::Array(items),
            ) => {
                for value in items {
                    if !item.push(Some(value), weight) {
                        return false;
                    }
                }
                let end = offsets.last().copied().unwrap_or(0);
                // A batch ends long before 2^31 items (see `weight`).
                let Ok(count) = i32::try_from(items.len()) else {
                    return false;
                };
                offsets.push(end.saturating_add(count));
                valid.append_non_null();
            }
            (Column::Struct(column), Val::Object(object)) => return column.push(object, weight),
            _ => return false,
        }
        true
    }

    /// Adds `cell` (a People-layout column); `false` when this column cannot hold it.
    pub(crate) fn push_cell(&mut self, cell: &Cell<'_>, weight: &mut usize) -> bool {
        *weight += 8;
        match (self, cell) {
            (column, Cell::Empty) => column.push_null(),
            (Column::Bool(b), Cell::Bool(flag)) => b.append_value(*flag),
            (Column::Int(b), Cell::Number(number)) => match number.as_i64() {
                Some(n) => b.append_value(n),
                None => return false,
            },
            (Column::Float(b), Cell::Number(number)) => match number.as_f64() {
                Some(n) => b.append_value(n),
                None => return false,
            },
            (Column::Text(b, Takes::Text | Takes::Anything), Cell::Text(text)) => {
                *weight += text.len();
                b.append_value(text);
            }
            (Column::Text(b, Takes::Anything), Cell::Number(number)) => {
                b.append_value(number.to_string())
            }
            (Column::Text(b, Takes::Anything), Cell::Bool(flag)) => {
                b.append_value(flag.to_string())
            }
            _ => return false,
        }
        true
    }

    /// The values added since the last call, as an Arrow array; the column starts empty again.
    pub(crate) fn finish(&mut self) -> Result<ArrayRef, ArrowError> {
        Ok(match self {
            Column::Bool(b) => Arc::new(b.finish()),
            Column::Int(b) => Arc::new(b.finish()),
            Column::Float(b) => Arc::new(b.finish()),
            Column::Text(b, _) => Arc::new(b.finish()),
            Column::List {
                field,
                offsets,
                valid,
                item,
            } => {
                let ends = std::mem::replace(offsets, vec![0]);
                let offsets = OffsetBuffer::new(ScalarBuffer::from(ends));
                let values = item.finish()?;
                Arc::new(ListArray::try_new(
                    field.clone(),
                    offsets,
                    values,
                    valid.finish(),
                )?)
            }
            Column::Struct(column) => Arc::new(column.finish()?),
        })
    }
}

impl StructColumn {
    /// The columns of an object with `fields` (in this order).
    pub(crate) fn new(fields: &[(String, Kind)]) -> Self {
        Self {
            fields: struct_fields(fields),
            children: fields.iter().map(|(_, kind)| Column::new(kind)).collect(),
            valid: NullBufferBuilder::new(0),
            filled: vec![false; fields.len()],
        }
    }

    fn push_null(&mut self) {
        self.children.iter_mut().for_each(Column::push_null);
        self.valid.append_null();
    }

    /// Adds `object`; `false` when it has a field these columns do not, or a value one cannot
    /// hold. A field the object repeats counts once (the first, as everywhere in the export).
    pub(crate) fn push(&mut self, object: &Obj<'_>, weight: &mut usize) -> bool {
        self.filled.iter_mut().for_each(|filled| *filled = false);
        let mut hint = 0;
        for (key, value) in &object.0 {
            // Objects usually list their fields in the same order: the one after the last first.
            let at = if self.fields.get(hint).is_some_and(|f| f.name() == key) {
                hint
            } else {
                match self.fields.iter().position(|f| f.name() == key) {
                    Some(at) => at,
                    None => return false,
                }
            };
            hint = at + 1;
            if std::mem::replace(&mut self.filled[at], true) {
                continue;
            }
            if !self.children[at].push(Some(value), weight) {
                return false;
            }
        }
        for (child, filled) in self.children.iter_mut().zip(&self.filled) {
            if !filled {
                child.push_null();
            }
        }
        self.valid.append_non_null();
        true
    }

    /// The objects added since the last call; the columns start empty again.
    pub(crate) fn finish(&mut self) -> Result<StructArray, ArrowError> {
        let arrays = self
            .children
            .iter_mut()
            .map(Column::finish)
            .collect::<Result<Vec<_>, _>>()?;
        StructArray::try_new(self.fields.clone(), arrays, self.valid.finish())
    }
}
