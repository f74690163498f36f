//! The lint's rules about the fields a leaf query names: no plain `country`, nested fields inside
//! their `nested` query, fields that exist (with a likely one when not), and no exact `term` on a
//! field stored as words.

use serde_json::{json, Value};

use super::fields::{closest, field, nested_root, FieldKind, NESTED_ROOTS};
use super::{DiagnosticCode, QueryError, QueryWarning};

/// A fix longer than this is shown as a template instead of the user's own clause.
const MAX_FIX_CHARS: usize = 240;

/// One field named by a leaf query, and where.
pub(super) struct FieldUse<'a> {
    /// The field as written, without a `^boost`.
    pub name: &'a str,
    /// The query type, e.g. `term`.
    pub query_type: &'a str,
    /// The whole clause `{type: …}`, for the nested fix.
    pub clause: &'a Value,
    /// The path of the query type, e.g. `query.bool.must[0].term`.
    pub path: &'a str,
    /// Whether the field is a key of the type's body (`match`, `term`, …), not a value.
    pub keyed: bool,
    /// The nested path the clause is inside, if any.
    pub nested: Option<&'a str>,
}

impl FieldUse<'_> {
    /// The path of the field itself when it is a key, of the query type otherwise.
    fn place(&self) -> String {
        if self.keyed {
            format!("{}.{}", self.path, self.name)
        } else {
            self.path.to_owned()
        }
    }
}

/// The error a field use is, if any: a plain `country` field or a nested field outside `nested`.
pub(super) fn field_error(use_: &FieldUse) -> Option<QueryError> {
    let name = use_.name;
    if name == "country" || name.starts_with("country.") {
        return Some(QueryError::CountryField {
            path: use_.path.to_owned(),
            field: name.to_owned(),
        });
    }
    let root = nested_root(name)?;
    (use_.nested != Some(root)).then(|| QueryError::NotNested {
        path: use_.path.to_owned(),
        field: name.to_owned(),
        nested: root.to_owned(),
        fix: nested_fix(root, use_.clause),
    })
}

/// The warnings a field use deserves: an unknown field, or `term`/`terms` on a text field.
pub(super) fn field_warnings(use_: &FieldUse, warnings: &mut Vec<QueryWarning>) {
    let name = use_.name;
    if name.contains('*') || name.starts_with('_') || NESTED_ROOTS.contains(&name) {
        return;
    }
    let Some(info) = field(name) else {
        warnings.push(QueryWarning {
            code: DiagnosticCode::UnknownField,
            path: use_.place(),
            message: unknown_field(name),
        });
        return;
    };
    if matches!(use_.query_type, "term" | "terms") && info.kind == FieldKind::Text {
        warnings.push(QueryWarning {
            code: DiagnosticCode::TermOnText,
            path: use_.place(),
            message: format!(
                "\"{}\" looks for one exact stored value, but \"{}\" ({name}) is stored as \
                 separate words, so a value such as \"Data Engineer\" finds nobody. Use \"match\" \
                 instead, e.g. {{\"match\": {{\"{name}\": {{\"query\": \"data engineer\", \
                 \"operator\": \"and\"}}}}}}.",
                use_.query_type, info.label
            ),
        });
    }
}

fn unknown_field(name: &str) -> String {
    let base = name
        .strip_suffix(".keyword")
        .or_else(|| name.strip_suffix(".raw"))
        .filter(|base| field(base).is_some());
    let hint = match base.or_else(|| closest(name)) {
        Some(meant) => {
            let label = field(meant).map(|f| f.label).unwrap_or_default();
            format!(" Did you mean \"{meant}\" ({label})?")
        }
        None => " Check the spelling against the field list.".to_owned(),
    };
    format!("Profiles have no field \"{name}\", so this condition finds nobody.{hint}")
}

/// The clause wrapped in the nested query it needs, or a template when the clause is long.
fn nested_fix(root: &str, clause: &Value) -> String {
    let fix = json!({"nested": {"path": root, "query": clause}}).to_string();
    if fix.chars().count() <= MAX_FIX_CHARS {
        fix
    } else {
        format!("{{\"nested\": {{\"path\": \"{root}\", \"query\": {{ …this part… }}}}}}")
    }
}
