//! Generated hostile input shared by the property suites (`hostile_input.rs`, `hostile_export.rs`).

use proptest::prelude::*;
use serde_json::{Map, Value};

/// Arbitrary JSON, with keys the linter and the export look at mixed into random ones.
pub fn hostile_json() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        proptest::sample::select(vec![
            "query",
            "bool",
            "must",
            "should",
            "filter",
            "must_not",
            "match",
            "nested",
            "path",
            "term",
            "terms",
            "range",
            "experience.title",
            "country",
            "id",
            "full_name",
            "experience",
            "education",
            "limit",
            "es_dsl_query",
            "sort",
            "size",
        ])
        .prop_map(str::to_owned),
        "[a-z_.]{1,8}",
        any::<String>(),
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON numbers are finite", |f| f.is_finite())
            .prop_map(Value::from),
        any::<String>().prop_map(Value::from),
        "[0-9]{4}-[0-9]{2}-[0-9]{2}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::vec((key.clone(), inner), 0..6)
                .prop_map(|entries| Value::Object(entries.into_iter().collect::<Map<_, _>>())),
        ]
    })
}
