//! The visual builder's model and the DSL it writes.
//!
//! A [`Search`] is a list of groups that must all hold; a [`Group`] holds when all, any or none of
//! its rules hold; a [`Rule`] is field · condition · value(s). [`to_query`] writes the ES body,
//! [`from_query`] reads back exactly what [`to_query`] writes, and otherwise says in plain words
//! what the builder cannot show (the query then stays in the code editor, untouched).
//!
//! Values are trimmed. A rule without a value (other than yes/no) and a group without such rules
//! are left out of the DSL; a search left with no rule at all is [`BuilderError::Empty`] (never a
//! "match everything" query, which would collect any profile).

mod read;
mod starters;

#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use serde_json::{json, Number, Value};

pub use read::{from_query, query_in_builder, NotRepresentable, QueryInBuilder};
pub use starters::{starter_searches, StarterSearch};

use super::fields::{field, FieldInfo, FieldKind};
use crate::error::{Coded, ErrorCode};

/// A search built in the visual builder: every group must hold.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[ts(export)]
pub struct Search {
    /// The groups, all of which must hold.
    pub groups: Vec<Group>,
}

/// Rules combined one way.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[ts(export)]
pub struct Group {
    /// How the rules combine.
    pub mode: GroupMode,
    /// The rules.
    pub rules: Vec<Rule>,
}

/// How a group's rules combine.
#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum GroupMode {
    /// Every rule holds (`bool.must`).
    All,
    /// At least one rule holds (`bool.should`, `minimum_should_match: 1`).
    Any,
    /// No rule holds (`bool.must_not`).
    None,
}

/// One condition on one field.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[ts(export)]
pub struct Rule {
    /// The catalogue name of the field, e.g. `job_title`.
    pub field: String,
    /// What must be true of it.
    pub condition: Condition,
    /// The value(s): one for most conditions, several for "is any of", none for yes/no.
    pub values: Vec<String>,
}

/// What a rule asks of its field.
#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Condition {
    /// Text: has all these words, in any order (`match`, `operator: and`).
    Contains,
    /// Text: has these words together, in this order (`match_phrase`).
    IsPhrase,
    /// Keyword: is exactly one of the values (`terms`).
    IsOneOf,
    /// Number or date: at least this (`range.gte`).
    OnOrAfter,
    /// Number or date: at most this (`range.lte`).
    OnOrBefore,
    /// Yes/no: yes (`term` 1).
    IsYes,
    /// Yes/no: no (`term` 0).
    IsNo,
}

impl Condition {
    /// Every condition, in the order the builder lists them.
    pub const ALL: [Condition; 7] = [
        Condition::Contains,
        Condition::IsPhrase,
        Condition::IsOneOf,
        Condition::OnOrAfter,
        Condition::OnOrBefore,
        Condition::IsYes,
        Condition::IsNo,
    ];

    /// Whether a field of `kind` can take this condition.
    pub fn fits(self, kind: FieldKind) -> bool {
        use FieldKind as K;
        matches!(
            (self, kind),
            (Condition::Contains | Condition::IsPhrase, K::Text)
                | (Condition::IsOneOf, K::Keyword)
                | (
                    Condition::OnOrAfter | Condition::OnOrBefore,
                    K::Number | K::Date
                )
                | (Condition::IsYes | Condition::IsNo, K::YesNo)
        )
    }

    /// Plain words for the condition on a field of `kind`.
    pub fn label(self, kind: FieldKind) -> &'static str {
        match (self, kind) {
            (Condition::Contains, _) => "mentions",
            (Condition::IsPhrase, _) => "mentions the exact phrase",
            (Condition::IsOneOf, _) => "is any of",
            (Condition::OnOrAfter, FieldKind::Number) => "is at least",
            (Condition::OnOrAfter, _) => "is on or after",
            (Condition::OnOrBefore, FieldKind::Number) => "is at most",
            (Condition::OnOrBefore, _) => "is on or before",
            (Condition::IsYes, _) => "is yes",
            (Condition::IsNo, _) => "is no",
        }
    }

    /// How many values the condition takes.
    pub fn values(self) -> ValueCount {
        match self {
            Condition::IsOneOf => ValueCount::Many,
            Condition::IsYes | Condition::IsNo => ValueCount::None,
            _ => ValueCount::One,
        }
    }
}

/// How many values a condition takes.
#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ValueCount {
    /// None (yes/no).
    None,
    /// Exactly one.
    One,
    /// One or more.
    Many,
}

/// Why a builder search cannot become a query. Messages name the group and rule by number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuilderError {
    /// No rule has a value.
    #[error(
        "The search has no rules with a value yet. Add a rule, for example \"Current job title \
         mentions engineer\"."
    )]
    Empty,
    /// A field the builder does not offer.
    #[error(
        "Group {group}, rule {rule}: \"{field}\" is not a field the builder offers. Pick a field \
         from the list."
    )]
    UnknownField {
        /// 1-based group number.
        group: usize,
        /// 1-based rule number.
        rule: usize,
        /// The field as given.
        field: String,
    },
    /// A condition the field cannot take.
    #[error(
        "Group {group}, rule {rule}: \"{label}\" cannot use this condition. Pick one of: {allowed}."
    )]
    WrongCondition {
        /// 1-based group number.
        group: usize,
        /// 1-based rule number.
        rule: usize,
        /// The field's label.
        label: &'static str,
        /// The conditions it can take, in words.
        allowed: String,
    },
    /// A value of the wrong shape, or several where one is needed.
    #[error("Group {group}, rule {rule}: {problem}")]
    BadValue {
        /// 1-based group number.
        group: usize,
        /// 1-based rule number.
        rule: usize,
        /// What is wrong and what to write, in plain words.
        problem: String,
    },
}

impl Coded for BuilderError {
    fn code(&self) -> ErrorCode {
        ErrorCode::InvalidQuery
    }
}

/// Writes the ES body for `search`: `{"query": {"bool": {"must": [group, …]}}}`.
pub fn to_query(search: &Search) -> Result<Value, BuilderError> {
    let mut groups = Vec::new();
    for (g, group) in search.groups.iter().enumerate() {
        let mut clauses = Vec::new();
        for (r, rule) in group.rules.iter().enumerate() {
            if let Some(clause) = rule_clause(rule).map_err(|e| e.at(g + 1, r + 1))? {
                clauses.push(clause);
            }
        }
        if !clauses.is_empty() {
            groups.push(group_clause(group.mode, clauses));
        }
    }
    if groups.is_empty() {
        return Err(BuilderError::Empty);
    }
    Ok(json!({"query": {"bool": {"must": groups}}}))
}

/// A group's `bool` clause.
fn group_clause(mode: GroupMode, clauses: Vec<Value>) -> Value {
    match mode {
        GroupMode::All => json!({"bool": {"must": clauses}}),
        GroupMode::Any => json!({"bool": {"should": clauses, "minimum_should_match": 1}}),
        GroupMode::None => json!({"bool": {"must_not": clauses}}),
    }
}

/// A rule's problem, before the group and rule numbers are known.
enum RuleProblem {
    UnknownField(String),
    WrongCondition(&'static FieldInfo),
    BadValue(String),
}

impl RuleProblem {
    fn at(self, group: usize, rule: usize) -> BuilderError {
        match self {
            RuleProblem::UnknownField(field) => BuilderError::UnknownField { group, rule, field },
            RuleProblem::WrongCondition(info) => BuilderError::WrongCondition {
                group,
                rule,
                label: info.label,
                allowed: allowed_conditions(info.kind),
            },
            RuleProblem::BadValue(problem) => BuilderError::BadValue {
                group,
                rule,
                problem,
            },
        }
    }
}

fn allowed_conditions(kind: FieldKind) -> String {
    let labels: Vec<&str> = Condition::ALL
        .iter()
        .filter(|c| c.fits(kind))
        .map(|c| c.label(kind))
        .collect();
    labels.join(", ")
}

/// The rule's clause, wrapped in `nested` for a field of a nested object; `None` without a value.
fn rule_clause(rule: &Rule) -> Result<Option<Value>, RuleProblem> {
    let info =
        builder_field(&rule.field).ok_or_else(|| RuleProblem::UnknownField(rule.field.clone()))?;
    let Some(leaf) = leaf_clause(info, rule.condition, &rule.values)? else {
        return Ok(None);
    };
    Ok(Some(match info.nested {
        Some(path) => json!({"nested": {"path": path, "query": leaf}}),
        None => leaf,
    }))
}

/// The catalogue entry of a field the builder offers.
pub(crate) fn builder_field(name: &str) -> Option<&'static FieldInfo> {
    field(name).filter(|f| f.builder)
}

/// The clause for one field, condition and values; `None` when no value is given.
fn leaf_clause(
    info: &'static FieldInfo,
    condition: Condition,
    values: &[String],
) -> Result<Option<Value>, RuleProblem> {
    if !condition.fits(info.kind) {
        return Err(RuleProblem::WrongCondition(info));
    }
    let name = info.name;
    let values: Vec<&str> = values
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .collect();
    let one = || -> Result<Option<&str>, RuleProblem> {
        match values.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(one)),
            _ => Err(RuleProblem::BadValue(format!(
                "\"{}\" {} takes one value; put each other value in a rule of its own.",
                info.label,
                condition.label(info.kind)
            ))),
        }
    };
    let clause = match condition {
        Condition::Contains => {
            one()?.map(|v| json!({"match": {name: {"query": v, "operator": "and"}}}))
        }
        Condition::IsPhrase => one()?.map(|v| json!({"match_phrase": {name: v}})),
        Condition::IsOneOf => (!values.is_empty()).then(|| json!({"terms": {name: values}})),
        Condition::OnOrAfter | Condition::OnOrBefore => match one()? {
            None => None,
            Some(v) => {
                let bound = if condition == Condition::OnOrAfter {
                    "gte"
                } else {
                    "lte"
                };
                Some(json!({"range": {name: {bound: range_value(info, v)?}}}))
            }
        },
        Condition::IsYes => Some(json!({"term": {name: 1}})),
        Condition::IsNo => Some(json!({"term": {name: 0}})),
    };
    Ok(clause)
}

/// A number field's value as a JSON number, a date field's as checked text.
fn range_value(info: &FieldInfo, value: &str) -> Result<Value, RuleProblem> {
    if info.kind == FieldKind::Date {
        return if is_date(value) {
            Ok(Value::String(value.to_owned()))
        } else {
            Err(RuleProblem::BadValue(format!(
                "\"{}\" needs a date written year-month-day, e.g. 2024-06-30 (or 2024-06), but \
                 \"{value}\" is not one.",
                info.label
            )))
        };
    }
    parse_number(value).ok_or_else(|| {
        RuleProblem::BadValue(format!(
            "\"{}\" needs a number, but \"{value}\" is not one. Write digits only, e.g. 500.",
            info.label
        ))
    })
}

/// `value` as a JSON number: an integer when it is one, else a finite decimal.
pub(crate) fn parse_number(value: &str) -> Option<Value> {
    if let Ok(n) = value.parse::<i64>() {
        return Some(Value::from(n));
    }
    let n = value.parse::<f64>().ok()?;
    Number::from_f64(n).map(Value::Number)
}

/// `YYYY-MM-DD` or `YYYY-MM`: a month 01–12 and, when given, a day that month has
/// (2024-02-29 is one, 2024-02-31 is not).
pub(crate) fn is_date(value: &str) -> bool {
    let parts: Vec<&str> = value.split('-').collect();
    let number = |s: &str, n: usize| {
        (s.len() == n && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<i32>().ok())
            .flatten()
    };
    let (year, month, day) = match parts.as_slice() {
        [y, m] => (number(y, 4), number(m, 2), Some(1)),
        [y, m, d] => (number(y, 4), number(m, 2), number(d, 2)),
        _ => return false,
    };
    let (Some(year), Some(month), Some(day)) = (year, month, day) else {
        return false;
    };
    let month = u8::try_from(month)
        .ok()
        .and_then(|m| time::Month::try_from(m).ok());
    let day = u8::try_from(day).ok();
    matches!((month, day), (Some(month), Some(day)) if time::Date::from_calendar_date(year, month, day).is_ok())
}
