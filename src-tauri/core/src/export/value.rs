//! A record as the export reads it: text borrowed from the line where it has no escapes, objects
//! as lists of pairs in the order the service wrote them, and the top-level fields a layout does
//! not show skipped without being built. (Building `serde_json::Value`s — a `String` per text and a
//! `BTreeMap` per object — was most of an export's time.)

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde_json::Number;

/// A JSON value borrowed from its line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val<'a> {
    Null,
    Bool(bool),
    Number(Number),
    String(Cow<'a, str>),
    Array(Vec<Val<'a>>),
    Object(Obj<'a>),
}

/// A JSON object: its fields in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Obj<'a>(pub Vec<(Cow<'a, str>, Val<'a>)>);

impl<'a> Obj<'a> {
    /// The value of field `key` (the first, if the line repeats it).
    pub(crate) fn get(&self, key: &str) -> Option<&Val<'a>> {
        self.0
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value)
    }
}

impl<'a> Val<'a> {
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Val::String(text) => Some(text),
            _ => None,
        }
    }

    pub(crate) fn as_array(&self) -> Option<&[Val<'a>]> {
        match self {
            Val::Array(items) => Some(items),
            _ => None,
        }
    }

    pub(crate) fn as_object(&self) -> Option<&Obj<'a>> {
        match self {
            Val::Object(object) => Some(object),
            _ => None,
        }
    }

    pub(crate) fn as_u64(&self) -> Option<u64> {
        match self {
            Val::Number(number) => number.as_u64(),
            _ => None,
        }
    }
}

/// Which top-level fields to build, and which to expect.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Fields<'w> {
    /// Build only these (`None`: all); the others are skipped unparsed.
    pub wanted: Option<&'w HashSet<String>>,
    /// The fields expected, in their usual order: [`parse_record`] says whether a record had
    /// another (`None`: no check).
    pub known: Option<&'w [String]>,
}

/// Parses one line as a record, building only the fields `fields` wants; `true` beside it when
/// every top-level field was a known one.
pub(crate) fn parse_record<'a>(
    line: &'a str,
    fields: Fields<'_>,
) -> Result<(Obj<'a>, bool), serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_str(line);
    let record = RecordSeed(fields).deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(record)
}

/// A map key, borrowed from the line when it has no escapes.
pub(crate) struct Key<'de>(pub Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(text)))
            }
            fn visit_str<E>(self, text: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(text.to_owned())))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct RecordSeed<'w>(Fields<'w>);

impl<'de> DeserializeSeed<'de> for RecordSeed<'_> {
    type Value = (Obj<'de>, bool);
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RecordSeed<'_> {
    type Value = (Obj<'de>, bool);
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a profile record (a JSON object)")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let Fields { wanted, known } = self.0;
        let mut fields = Vec::with_capacity(48);
        let (mut all_known, mut next) = (true, 0);
        while let Some(Key(key)) = map.next_key::<Key>()? {
            if let Some(known) = known {
                // Records list their fields in the same order: try the one after the last first.
                if known.get(next).is_some_and(|name| name == key.as_ref()) {
                    next += 1;
                } else if let Some(at) = known.iter().position(|name| name == key.as_ref()) {
                    next = at + 1;
                } else {
                    all_known = false;
                }
            }
            if wanted.is_none_or(|wanted| wanted.contains(key.as_ref())) {
                let value = map.next_value::<Val>()?;
                fields.push((key, value));
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok((Obj(fields), all_known))
    }
}

impl<'de> serde::Deserialize<'de> for Val<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValVisitor)
    }
}

struct ValVisitor;

impl<'de> Visitor<'de> for ValVisitor {
    type Value = Val<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<Val<'de>, E> {
        Ok(Val::Null)
    }
    fn visit_bool<E>(self, flag: bool) -> Result<Val<'de>, E> {
        Ok(Val::Bool(flag))
    }
    fn visit_i64<E>(self, number: i64) -> Result<Val<'de>, E> {
        Ok(Val::Number(number.into()))
    }
    fn visit_u64<E>(self, number: u64) -> Result<Val<'de>, E> {
        Ok(Val::Number(number.into()))
    }
    fn visit_f64<E>(self, number: f64) -> Result<Val<'de>, E> {
        Ok(Number::from_f64(number).map_or(Val::Null, Val::Number))
    }
    fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Val<'de>, E> {
        Ok(Val::String(Cow::Borrowed(text)))
    }
    fn visit_str<E>(self, text: &str) -> Result<Val<'de>, E> {
        Ok(Val::String(Cow::Owned(text.to_owned())))
    }
    fn visit_string<E>(self, text: String) -> Result<Val<'de>, E> {
        Ok(Val::String(Cow::Owned(text)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Val<'de>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(4));
        while let Some(item) = seq.next_element::<Val>()? {
            items.push(item);
        }
        Ok(Val::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Val<'de>, A::Error> {
        let mut fields = Vec::with_capacity(16);
        while let Some(Key(key)) = map.next_key::<Key>()? {
            fields.push((key, map.next_value::<Val>()?));
        }
        Ok(Val::Object(Obj(fields)))
    }
}

/// Written back as compact JSON (nested values in one cell), fields in the service's order.
impl serde::Serialize for Val<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Val::Null => serializer.serialize_unit(),
            Val::Bool(flag) => serializer.serialize_bool(*flag),
            Val::Number(number) => number.serialize(serializer),
            Val::String(text) => serializer.serialize_str(text),
            Val::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Val::Object(Obj(fields)) => {
                let mut map = serializer.serialize_map(Some(fields.len()))?;
                for (key, value) in fields {
                    map.serialize_entry(key.as_ref(), value)?;
                }
                map.end()
            }
        }
    }
}
