//! Everything the editor and the builder need to know about queries, in one answer for the UI.

use serde::Serialize;

use super::builder::{starter_searches, Condition, StarterSearch, ValueCount};
use super::fields::{FieldInfo, FieldKind, FIELDS};
use super::ALLOWED_QUERY_TYPES;

/// The field catalogue, the builder's conditions, the query types and the starter searches.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize)]
#[ts(export)]
pub struct QueryCatalogue {
    /// Every known field; those with `builder` are offered in the visual builder.
    pub fields: Vec<FieldInfo>,
    /// The conditions the builder offers, one entry per field kind they fit.
    pub conditions: Vec<ConditionInfo>,
    /// The query types the checker lets through, with a line of help each.
    pub query_types: Vec<QueryTypeInfo>,
    /// Ready-made searches that combine criteria.
    pub starters: Vec<StarterSearch>,
    /// What the spreadsheet of a collection will hold (the People layout's columns).
    pub spreadsheet: crate::export::PeopleColumns,
    /// What it does not hold, in words: the data has no e-mail addresses or phone numbers.
    pub spreadsheet_note: &'static str,
}

/// Coresignal's Clean Employee data documents no e-mail or phone field (its data dictionary:
/// identifiers, experience, education, skills, location, …), so no spreadsheet has them.
pub const SPREADSHEET_NOTE: &str = "No e-mail addresses or phone numbers: Coresignal's employee \
     data does not include them.";

/// A condition the builder offers for fields of one kind.
#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[ts(export)]
pub struct ConditionInfo {
    /// The condition.
    pub condition: Condition,
    /// The kind of field it is offered for.
    pub kind: FieldKind,
    /// Plain words, e.g. "mentions".
    pub label: &'static str,
    /// How many values it takes.
    pub values: ValueCount,
}

/// A query type the checker allows, for completion and hover help in the editor.
#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[ts(export)]
pub struct QueryTypeInfo {
    /// The name written in the query, e.g. `match`.
    pub name: &'static str,
    /// One line of plain help.
    pub help: &'static str,
}

/// The kinds, in the order the builder lists conditions.
const KINDS: [FieldKind; 5] = [
    FieldKind::Text,
    FieldKind::Keyword,
    FieldKind::Number,
    FieldKind::Date,
    FieldKind::YesNo,
];

/// Help for each entry of [`ALLOWED_QUERY_TYPES`].
fn type_help(name: &str) -> &'static str {
    match name {
        "bool" => "Combines conditions: must (all hold), should (some hold), must_not (none hold), filter.",
        "query_string" => "Search words with AND, OR, NOT, quotes and field:value, as in a search box.",
        "simple_query_string" => "Like query_string, but never fails on a typo in the search words.",
        "match" => "Finds the words in a text field, in any order; add \"operator\": \"and\" to need all.",
        "match_phrase" => "Finds the words together, in this order, in a text field.",
        "match_phrase_prefix" => "Like match_phrase, with the last word taken as the start of a word.",
        "multi_match" => "Finds the words in several fields at once.",
        "term" => "Finds one exact value in a keyword, number or yes/no field (not in text fields).",
        "terms" => "Finds any of several exact values in a keyword or number field.",
        "range" => "Finds numbers or dates between bounds: gte (at least), lte (at most), gt, lt.",
        "exists" => "Finds profiles where the field has a value.",
        "nested" => "Searches inside experience or education; their fields must be searched this way.",
        "match_all" => "Finds every profile.",
        "ids" => "Finds profiles by their ID numbers.",
        "prefix" => "Finds values that start with the given text.",
        "wildcard" => "Finds values matching a pattern: * for any text, ? for one character.",
        "constant_score" => "Runs a filter without ranking the results.",
        "boosting" => "Ranks some results lower; does not change which profiles are found.",
        "dis_max" => "Finds profiles matching any of several queries.",
        _ => "A query type the checker allows.",
    }
}

/// The whole catalogue.
pub fn query_catalogue() -> QueryCatalogue {
    let conditions = KINDS
        .iter()
        .flat_map(|kind| {
            Condition::ALL
                .iter()
                .filter(|c| c.fits(*kind))
                .map(|c| ConditionInfo {
                    condition: *c,
                    kind: *kind,
                    label: c.label(*kind),
                    values: c.values(),
                })
        })
        .collect();
    QueryCatalogue {
        fields: FIELDS.to_vec(),
        conditions,
        query_types: ALLOWED_QUERY_TYPES
            .iter()
            .map(|name| QueryTypeInfo {
                name,
                help: type_help(name),
            })
            .collect(),
        starters: starter_searches(),
        spreadsheet: crate::export::people_columns(),
        spreadsheet_note: SPREADSHEET_NOTE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_condition_and_every_type_its_own_help() {
        let catalogue = query_catalogue();
        for kind in KINDS {
            assert!(catalogue.conditions.iter().any(|c| c.kind == kind));
        }
        for info in &catalogue.query_types {
            assert_ne!(info.help, type_help("no such type"), "{}", info.name);
        }
    }

    #[test]
    fn the_spreadsheet_columns_come_from_the_people_layout_and_hold_no_contact_details() {
        let columns = query_catalogue().spreadsheet;
        assert_eq!(columns.first.first().map(String::as_str), Some("Person ID"));
        assert!(columns.first.iter().any(|c| c == "Current company"));
        assert_eq!(columns.per_position[0], "Past position N: title");
        assert_eq!(columns.education.len(), 2);
        let all: Vec<&String> = columns
            .first
            .iter()
            .chain(&columns.per_position)
            .chain(&columns.education)
            .collect();
        for column in all {
            let lower = column.to_lowercase();
            assert!(
                !lower.contains("mail") && !lower.contains("phone"),
                "{column}"
            );
        }
        assert!(SPREADSHEET_NOTE.contains("No e-mail addresses or phone numbers"));
    }

    #[test]
    fn conditions_read_as_people_say_them() {
        let labels: Vec<&str> = query_catalogue()
            .conditions
            .iter()
            .map(|c| c.label)
            .collect();
        for label in ["mentions", "mentions the exact phrase", "is any of"] {
            assert!(labels.contains(&label), "{label} in {labels:?}");
        }
        for code_like in ["contains the words", "is one of"] {
            assert!(!labels.contains(&code_like), "{code_like}");
        }
    }
}
