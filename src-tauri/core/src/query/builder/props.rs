//! Property tests: builder → DSL → builder is the identity, and the DSL always passes the checker.

use proptest::prelude::*;

use super::*;
use crate::query::fields::{FieldKind, FIELDS};
use crate::query::parse_query;

/// A trimmed, non-empty text value (letters, digits, spaces, a few signs; any script).
fn text_value() -> impl Strategy<Value = String> {
    "[A-Za-z0-9ÄäÖöÜüßéÇ&'.+#-]{1,8}( [A-Za-z0-9äöü&'.+#-]{1,8}){0,2}"
}

fn date_value() -> impl Strategy<Value = String> {
    (1990u32..2030, 1u32..=12, prop::option::of(1u32..=28)).prop_map(|(y, m, d)| match d {
        Some(d) => format!("{y:04}-{m:02}-{d:02}"),
        None => format!("{y:04}-{m:02}"),
    })
}

/// A valid rule on a builder field.
fn rule() -> impl Strategy<Value = Rule> {
    let fields: Vec<&'static str> = FIELDS
        .iter()
        .filter(|f| f.builder)
        .map(|f| f.name)
        .collect();
    prop::sample::select(fields).prop_flat_map(|name| {
        let kind = builder_field(name)
            .map(|f| f.kind)
            .unwrap_or(FieldKind::Text);
        let conditions: Vec<Condition> = Condition::ALL
            .iter()
            .copied()
            .filter(|c| c.fits(kind))
            .collect();
        (prop::sample::select(conditions), values(kind)).prop_map(move |(condition, values)| {
            let values = match condition.values() {
                ValueCount::None => Vec::new(),
                ValueCount::One => values.into_iter().take(1).collect(),
                ValueCount::Many => values,
            };
            Rule {
                field: name.to_owned(),
                condition,
                values,
            }
        })
    })
}

fn values(kind: FieldKind) -> BoxedStrategy<Vec<String>> {
    match kind {
        FieldKind::Number => {
            prop::collection::vec((0i64..100_000).prop_map(|n| n.to_string()), 1..3).boxed()
        }
        FieldKind::Date => prop::collection::vec(date_value(), 1..3).boxed(),
        _ => prop::collection::vec(text_value(), 1..4).boxed(),
    }
}

/// A search every rule of which has a value: the shape the builder round-trips exactly.
pub(crate) fn search() -> impl Strategy<Value = Search> {
    let mode = prop::sample::select(vec![GroupMode::All, GroupMode::Any, GroupMode::None]);
    let group =
        (mode, prop::collection::vec(rule(), 1..5)).prop_map(|(mode, rules)| Group { mode, rules });
    prop::collection::vec(group, 1..4).prop_map(|groups| Search { groups })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn builder_to_dsl_to_builder_is_the_identity(s in search()) {
        let query = to_query(&s).unwrap();
        prop_assert_eq!(from_query(&query).unwrap(), s.clone());
        let bare = query["query"].clone();
        prop_assert_eq!(from_query(&bare).unwrap(), s);
    }

    #[test]
    fn dsl_from_the_builder_passes_the_checker(s in search()) {
        let query = to_query(&s).unwrap();
        let parsed = parse_query(&format!("{query:#}"));
        prop_assert!(parsed.is_ok(), "{:?}", parsed);
        let parsed = parsed.unwrap();
        prop_assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        prop_assert_eq!(parsed.body, query);
    }
}
