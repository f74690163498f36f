//! What a column holds, learnt from the values seen: the first pass of a Parquet export.
//!
//! Every value widens its column's kind: nothing seen yet, then a boolean, an integer, a decimal
//! number (integers and decimals together make decimals), text, a list of one kind, or an object
//! whose fields each have a kind (a field seen in any object is kept). Values whose kinds cannot
//! share a column (text in one record, an object in another; an integer larger than Parquet's
//! 64 bits) make a column of text holding each value's JSON (text as itself).

use arrow_schema::{DataType, Field, Fields};

use super::super::cell::Cell;
use super::super::schema::{KNOWN_FIELDS, KNOWN_LISTS};
use super::super::value::{Obj, Val};

/// A column's kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Only nulls (or nothing) seen: a text column of nulls.
    Unknown,
    Bool,
    Int,
    Float,
    Text,
    /// Values that cannot share a column: text, JSON for anything else.
    Json,
    /// A list of items of one kind.
    List(Box<Kind>),
    /// An object: its fields, each with its kind (order: see [`Kind::ordered`]).
    Struct(Vec<(String, Kind)>),
}

impl Kind {
    /// The kind of a number: an integer that fits 64 bits, a decimal, or (larger) JSON text.
    fn of_number(number: &serde_json::Number) -> Kind {
        if number.as_i64().is_some() {
            Kind::Int
        } else if number.is_u64() {
            Kind::Json
        } else {
            Kind::Float
        }
    }

    /// Widens this kind to hold `value` too.
    pub(crate) fn absorb(&mut self, value: &Val<'_>) {
        match value {
            Val::Null => {}
            Val::Bool(_) => self.widen(Kind::Bool),
            Val::Number(number) => self.widen(Kind::of_number(number)),
            Val::String(_) => self.widen(Kind::Text),
            Val::Array(items) => {
                if matches!(self, Kind::Unknown) {
                    *self = Kind::List(Box::new(Kind::Unknown));
                }
                match self {
                    Kind::List(item) => items.iter().for_each(|value| item.absorb(value)),
                    _ => *self = Kind::Json,
                }
            }
            Val::Object(object) => self.absorb_object(object),
        }
    }

    /// Widens this kind to hold `object` too (a record, without copying it into a value).
    pub(crate) fn absorb_object(&mut self, object: &Obj<'_>) {
        if matches!(self, Kind::Unknown) {
            *self = Kind::Struct(Vec::new());
        }
        match self {
            Kind::Struct(fields) => absorb_fields(fields, object),
            _ => *self = Kind::Json,
        }
    }

    /// Widens this kind to hold `cell` too (a People-layout column).
    pub(crate) fn absorb_cell(&mut self, cell: &Cell<'_>) {
        match cell {
            Cell::Empty => {}
            Cell::Bool(_) => self.widen(Kind::Bool),
            Cell::Number(number) => self.widen(Kind::of_number(number)),
            Cell::Text(_) => self.widen(Kind::Text),
        }
    }

    /// Widens this kind to a plain kind (not a list nor an object).
    fn widen(&mut self, plain: Kind) {
        *self = match (&*self, plain) {
            (Kind::Unknown, plain) => plain,
            (Kind::Int, Kind::Float) | (Kind::Float, Kind::Int) => Kind::Float,
            (same, plain) if *same == plain => plain,
            _ => Kind::Json,
        };
    }

    /// The same kind with every object's fields in a stable order: for the record itself
    /// (`top`), the fields this build knows in the service's order, and the items of a list
    /// this build knows in the service's order; then any other field sorted by name.
    pub(crate) fn ordered(self, top: bool) -> Kind {
        match self {
            Kind::Struct(fields) => {
                let known: &[&str] = if top { KNOWN_FIELDS } else { &[] };
                Kind::Struct(order_fields(fields, known))
            }
            Kind::List(item) => Kind::List(Box::new(item.ordered(false))),
            other => other,
        }
    }

    /// The Arrow type of this kind's column.
    pub(crate) fn data_type(&self) -> DataType {
        match self {
            Kind::Unknown | Kind::Text | Kind::Json => DataType::Utf8,
            Kind::Bool => DataType::Boolean,
            Kind::Int => DataType::Int64,
            Kind::Float => DataType::Float64,
            Kind::List(item) => {
                DataType::List(Field::new_list_field(item.data_type(), true).into())
            }
            // Parquet has no empty group: an object never seen with a field is JSON text.
            Kind::Struct(fields) if fields.is_empty() => DataType::Utf8,
            Kind::Struct(fields) => DataType::Struct(struct_fields(fields)),
        }
    }
}

/// The Arrow fields of an object's fields.
pub(crate) fn struct_fields(fields: &[(String, Kind)]) -> Fields {
    fields
        .iter()
        .map(|(name, kind)| Field::new(name, kind.data_type(), true))
        .collect()
}

/// Widens `fields` with `object`'s: a field not seen before is added at the end.
fn absorb_fields(fields: &mut Vec<(String, Kind)>, object: &Obj<'_>) {
    let mut hint = 0;
    for (key, value) in &object.0 {
        // Objects usually list their fields in the same order: the one after the last first.
        let at = match fields.get(hint) {
            Some((name, _)) if name == key.as_ref() => hint,
            _ => match fields.iter().position(|(name, _)| name == key.as_ref()) {
                Some(at) => at,
                None => {
                    fields.push((key.to_string(), Kind::Unknown));
                    fields.len() - 1
                }
            },
        };
        hint = at + 1;
        fields[at].1.absorb(value);
    }
}

/// `fields` in the order of `known`, then the others sorted by name; a known list's items'
/// fields in the service's order.
fn order_fields(mut fields: Vec<(String, Kind)>, known: &[&str]) -> Vec<(String, Kind)> {
    let rank = |name: &str| known.iter().position(|k| *k == name).unwrap_or(usize::MAX);
    fields.sort_by(|(a, _), (b, _)| rank(a).cmp(&rank(b)).then_with(|| a.cmp(b)));
    fields
        .into_iter()
        .map(|(name, kind)| {
            let items = KNOWN_LISTS.iter().find(|(list, _)| *list == name);
            let kind = match (kind, items) {
                (Kind::List(item), Some((_, columns))) if !known.is_empty() => match *item {
                    Kind::Struct(inner) => {
                        Kind::List(Box::new(Kind::Struct(order_fields(inner, columns))))
                    }
                    other => Kind::List(Box::new(other.ordered(false))),
                },
                (kind, _) => kind.ordered(false),
            };
            (name, kind)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::value::parse_record;

    fn learn(lines: &[&str]) -> Kind {
        let mut kind = Kind::Struct(Vec::new());
        for line in lines {
            let (record, _) = parse_record(line, Default::default()).unwrap();
            kind.absorb(&Val::Object(record));
        }
        kind.ordered(true)
    }

    #[test]
    fn kinds_widen_and_clash_into_json_text() {
        let kind = learn(&[
            r#"{"zeta": 1, "id": 5, "x": "a", "n": 1, "e": [{"b": 1, "a": "x"}], "skills": []}"#,
            r#"{"id": 6, "x": {"o": 1}, "n": 2.5, "e": [{"c": true}], "skills": ["a"], "u": 18446744073709551615}"#,
        ]);
        let Kind::Struct(fields) = kind else {
            panic!("{kind:?}")
        };
        let names: Vec<&str> = fields.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["id", "skills", "e", "n", "u", "x", "zeta"]);
        let get = |name: &str| &fields.iter().find(|(n, _)| n == name).unwrap().1;
        assert_eq!(get("id"), &Kind::Int);
        assert_eq!(get("x"), &Kind::Json);
        assert_eq!(get("n"), &Kind::Float);
        assert_eq!(get("u"), &Kind::Json);
        assert_eq!(get("skills"), &Kind::List(Box::new(Kind::Text)));
        assert_eq!(
            get("e"),
            &Kind::List(Box::new(Kind::Struct(vec![
                ("a".into(), Kind::Text),
                ("b".into(), Kind::Int),
                ("c".into(), Kind::Bool),
            ])))
        );
    }

    #[test]
    fn a_known_lists_items_keep_the_services_order() {
        let kind = learn(&[r#"{"experience": [{"zz": 1, "title": "t", "company_name": "c"}]}"#]);
        let Kind::Struct(fields) = kind else {
            panic!("{kind:?}")
        };
        let Kind::List(item) = &fields[0].1 else {
            panic!()
        };
        let Kind::Struct(items) = &**item else {
            panic!()
        };
        let names: Vec<&str> = items.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["company_name", "title", "zz"]);
    }
}
