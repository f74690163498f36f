//! The first pass: which fields the records have, so that every row has the same columns, in a
//! stable order: the fields this build knows, in the service's order, then fields the service added
//! later, in the order they were first seen (kept, never dropped).

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::ops::ControlFlow;
use std::path::PathBuf;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::source::for_each_line;
use super::value::{Key, Obj, Val};
use super::ExportError;

/// Top-level fields of a Clean Employee record, in the service's order.
#[rustfmt::skip]
pub(crate) const KNOWN_FIELDS: &[&str] = &[
    "id", "last_updated", "is_deleted", "is_hidden", "full_name", "name_first", "name_middle",
    "name_last", "websites_professional_network", "shorthand_names", "picture_url",
    "follower_count", "connections_count", "headline", "generated_headline", "job_title",
    "description", "company_id", "company_name", "company_professional_network_url",
    "company_website", "company_industry", "management_level", "department", "is_working",
    "is_decision_maker", "is_parent", "location_full", "location_raw_address", "location_country",
    "location_regions", "skills", "experience", "education", "languages", "certifications",
    "awards", "organizations", "publications", "patents", "recommendations",
];

/// The lists of objects this build knows, with their items' fields in the service's order.
#[rustfmt::skip]
pub(crate) const KNOWN_LISTS: &[(&str, &[&str])] = &[
    ("experience", &[
        "company_id", "company_name", "company_professional_network_url", "company_shorthand_name",
        "company_website", "company_url", "company_industry", "company_size_employees_count",
        "title", "description", "department", "management_level", "date_from", "date_to",
        "duration", "duration_months", "location", "order_in_profile",
    ]),
    ("education", &[
        "title", "major", "institution_url", "description", "date_from", "date_to",
        "order_in_profile",
    ]),
    ("languages", &["language", "proficiency", "order_in_profile"]),
    ("certifications", &["name", "issuer", "date_from", "date_to"]),
    ("awards", &[
        "id", "title", "issuer", "description", "date", "date_year", "date_month", "date_day",
        "order_in_profile",
    ]),
    ("organizations", &[
        "organization", "position", "description", "date_from", "date_to", "order_in_profile",
    ]),
    ("publications", &["title", "publisher", "date", "publication_url", "description"]),
    ("patents", &[]),
    ("recommendations", &["recommendation", "referee_name", "referee_url"]),
];

/// The columns the records call for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Schema {
    /// Every top-level field seen, in stable order.
    pub fields: Vec<String>,
    /// The top-level fields that hold lists of objects (a known list, or a new field seen with an
    /// object in it), in stable order, each with its items' fields in stable order.
    pub lists: Vec<(String, Vec<String>)>,
}

impl Schema {
    /// Reads every line of `files` once, noting field names only (values are skipped unparsed).
    pub(crate) fn scan(files: &[PathBuf]) -> Result<Self, ExportError> {
        Self::scan_head(files, u64::MAX)
    }

    /// [`Schema::scan`] of the first `records` records only.
    pub(crate) fn scan_head(files: &[PathBuf], records: u64) -> Result<Self, ExportError> {
        let mut builder = Builder::default();
        let mut left = records;
        for_each_line(files, |path, line, text| {
            let mut deserializer = serde_json::Deserializer::from_str(text);
            RecordSeed(&mut builder)
                .deserialize(&mut deserializer)
                .and_then(|()| deserializer.end())
                .map_err(|error| ExportError::Damaged {
                    path: path.to_owned(),
                    line,
                    reason: format!("it is not a JSON object: {error}"),
                })?;
            left -= 1;
            Ok(if left == 0 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            })
        })?;
        Ok(builder.finish())
    }

    /// Whether this schema has a column for everything in `record` (whose top-level fields were
    /// all known, `known_fields`): `false` when a full scan would have found more columns. Only
    /// the lists that were parsed are checked.
    pub(crate) fn covers(&self, record: &Obj<'_>, known_fields: bool) -> bool {
        if !known_fields {
            return false;
        }
        record.0.iter().all(|(field, value)| {
            let items = value.as_array().unwrap_or_default();
            match self.lists.iter().find(|(name, _)| name == field) {
                Some((_, columns)) => items
                    .iter()
                    .filter_map(Val::as_object)
                    .all(|item| has_columns(item, columns)),
                None => {
                    let is_known_list = KNOWN_LISTS.iter().any(|(name, _)| name == field);
                    let becomes_list = value.as_array().is_some() && is_known_list;
                    !becomes_list && !items.iter().any(|item| item.as_object().is_some())
                }
            }
        })
    }

    /// Whether top-level `field` is a list of objects (a sheet of its own in the full layout).
    pub(crate) fn is_list(&self, field: &str) -> bool {
        self.lists.iter().any(|(name, _)| name == field)
    }
}

/// Whether every field of `item` is in `columns` (usually in the same order: tried first).
fn has_columns(item: &Obj<'_>, columns: &[String]) -> bool {
    let mut next = 0;
    item.0.iter().all(|(key, _)| {
        if columns.get(next).is_some_and(|name| name == key.as_ref()) {
            next += 1;
            return true;
        }
        match columns.iter().position(|name| name == key.as_ref()) {
            Some(at) => {
                next = at + 1;
                true
            }
            None => false,
        }
    })
}

/// Names in the order first seen, found again quickly (records repeat the same order, so the name
/// after the last one found is tried first).
#[derive(Debug, Default)]
struct Names {
    names: Vec<String>,
    index: HashMap<String, usize>,
    /// The last name found in the current record or item.
    last: Option<usize>,
}

impl Names {
    fn see(&mut self, name: &str) -> usize {
        let next = self.last.map_or(0, |last| last + 1);
        if self.names.get(next).is_some_and(|known| known == name) {
            self.last = Some(next);
            return next;
        }
        let at = match self.index.get(name) {
            Some(&at) => at,
            None => {
                self.names.push(name.to_owned());
                self.index.insert(name.to_owned(), self.names.len() - 1);
                self.names.len() - 1
            }
        };
        self.last = Some(at);
        at
    }

    /// The names: those in `known` first, in its order, then the others as first seen.
    fn ordered(mut self, known: &[&str]) -> Vec<String> {
        let rank = |name: &String| known.iter().position(|k| k == name).unwrap_or(usize::MAX);
        self.names.sort_by_key(rank); // Stable: new names keep the order they were seen in.
        self.names
    }
}

#[derive(Debug, Default)]
struct Builder {
    fields: Names,
    /// Per top-level field index: the items' field names, when an object was seen in its list.
    items: HashMap<usize, Names>,
    /// Top-level fields seen holding a list (any list: known lists are sheets even when empty).
    lists: HashSet<usize>,
}

impl Builder {
    fn finish(self) -> Schema {
        let mut items = self.items;
        let mut lists = Vec::new();
        for (index, name) in self.fields.names.iter().enumerate() {
            let known = KNOWN_LISTS.iter().find(|(known, _)| known == name);
            let holds_objects = items.contains_key(&index);
            let is_known_list = known.is_some() && self.lists.contains(&index);
            if holds_objects || is_known_list {
                let columns = items.remove(&index).unwrap_or_default();
                lists.push((name.clone(), columns.ordered(known.map_or(&[], |k| k.1))));
            }
        }
        let fields = self.fields.ordered(KNOWN_FIELDS);
        let rank = |(name, _): &(String, Vec<String>)| fields.iter().position(|f| f == name);
        lists.sort_by_key(rank);
        Schema { fields, lists }
    }
}

/// A whole record: notes each top-level field.
struct RecordSeed<'b>(&'b mut Builder);

impl<'de> DeserializeSeed<'de> for RecordSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RecordSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a profile record (a JSON object)")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.0.fields.last = None;
        while let Some(Key(key)) = map.next_key::<Key>()? {
            let index = self.0.fields.see(&key);
            map.next_value_seed(FieldSeed {
                builder: self.0,
                index,
            })?;
        }
        Ok(())
    }
}

/// One top-level value: only a list is looked into.
struct FieldSeed<'b> {
    builder: &'b mut Builder,
    index: usize,
}

impl<'de> DeserializeSeed<'de> for FieldSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for FieldSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.builder.lists.insert(self.index);
        while let Some(item) = seq.next_element::<Item>()? {
            if let Item::Object(keys) = item {
                let names = self.builder.items.entry(self.index).or_default();
                names.last = None; // Each item starts from its first field.
                for Key(key) in keys {
                    names.see(&key);
                }
            }
        }
        Ok(())
    }
}

/// An item of a list: an object's field names, or anything else.
enum Item<'de> {
    Object(Vec<Key<'de>>),
    Other,
}

impl<'de> serde::Deserialize<'de> for Item<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ItemVisitor;
        impl<'de> Visitor<'de> for ItemVisitor {
            type Value = Item<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_bool<E>(self, _: bool) -> Result<Item<'de>, E> {
                Ok(Item::Other)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Item<'de>, E> {
                Ok(Item::Other)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Item<'de>, E> {
                Ok(Item::Other)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Item<'de>, E> {
                Ok(Item::Other)
            }
            fn visit_str<E>(self, _: &str) -> Result<Item<'de>, E> {
                Ok(Item::Other)
            }
            fn visit_unit<E>(self) -> Result<Item<'de>, E> {
                Ok(Item::Other)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Item<'de>, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Item::Other)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Item<'de>, A::Error> {
                let mut keys = Vec::new();
                while let Some(key) = map.next_key::<Key>()? {
                    map.next_value::<IgnoredAny>()?;
                    keys.push(key);
                }
                Ok(Item::Object(keys))
            }
        }
        deserializer.deserialize_any(ItemVisitor)
    }
}
