//! The field catalogue: every Clean Employee field the app knows, in plain words, with its kind,
//! its nested object and the values people usually pick. The lint, the visual builder and the
//! editor's completion all read this one list.

mod table;

use serde::{Deserialize, Serialize};

pub use table::FIELDS;

/// Object fields of a profile that are mapped `nested`: searchable only inside a `nested` query
/// on that path. The contract names `experience` and, to be safe, `education`; the other lists of
/// objects are treated the same way (as the simulator does).
pub const NESTED_ROOTS: [&str; 5] = [
    "experience",
    "education",
    "languages",
    "certifications",
    "recommendations",
];

/// How a field is stored, which decides the conditions it can take.
#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum FieldKind {
    /// Words (analysed text): found by the words it contains, in any case.
    Text,
    /// A whole value such as a country: found only when it is written exactly the same.
    Keyword,
    /// A number.
    Number,
    /// A date written `YYYY-MM-DD` (or `YYYY-MM`).
    Date,
    /// Yes or no, stored as 1 or 0.
    YesNo,
}

/// One field of a Clean Employee profile.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize)]
#[ts(export)]
pub struct FieldInfo {
    /// The field's name in a query, e.g. `job_title` or `experience.company_name`.
    pub name: &'static str,
    /// Plain words for a person, e.g. "Current job title".
    pub label: &'static str,
    /// One sentence: what the field holds.
    pub help: &'static str,
    /// How it is stored.
    pub kind: FieldKind,
    /// The nested object it belongs to (`experience`, `education`, …), if any.
    pub nested: Option<&'static str>,
    /// Values people usually pick, written as the data has them (may be empty).
    pub known_values: &'static [&'static str],
    /// Whether the visual builder offers it.
    pub builder: bool,
}

impl FieldInfo {
    /// A field of `kind`, not in the builder, with no known values; `nested` from its name.
    const fn new(
        name: &'static str,
        kind: FieldKind,
        label: &'static str,
        help: &'static str,
    ) -> Self {
        Self {
            name,
            label,
            help,
            kind,
            nested: None,
            known_values: &[],
            builder: false,
        }
    }

    /// This field, offered in the builder.
    const fn in_builder(mut self) -> Self {
        self.builder = true;
        self
    }

    /// This field, inside the nested object `root`.
    const fn inside(mut self, root: &'static str) -> Self {
        self.nested = Some(root);
        self
    }

    /// This field, with the values people usually pick.
    const fn values(mut self, values: &'static [&'static str]) -> Self {
        self.known_values = values;
        self
    }
}

/// The catalogue entry of `name` (a full dotted name such as `experience.title`).
pub fn field(name: &str) -> Option<&'static FieldInfo> {
    FIELDS.iter().find(|f| f.name == name)
}

/// The nested object `name` belongs to, from its first part: `experience` for
/// `experience.title`, even for a sub-field the catalogue does not list.
pub fn nested_root(name: &str) -> Option<&'static str> {
    let (root, rest) = name.split_once('.')?;
    let root = NESTED_ROOTS.iter().find(|r| **r == root)?;
    (!rest.is_empty()).then_some(*root)
}

/// The catalogue name closest to `name` (a likely typo), if one is close enough.
pub fn closest(name: &str) -> Option<&'static str> {
    let wanted = name.to_lowercase();
    let limit = (wanted.chars().count() / 3).clamp(1, 3);
    FIELDS
        .iter()
        .map(|f| (distance(&wanted, f.name), f.name))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, name)| name)
}

/// Levenshtein distance in characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_nested_fields_say_so() {
        for (i, f) in FIELDS.iter().enumerate() {
            assert!(
                FIELDS[..i].iter().all(|g| g.name != f.name),
                "{} twice",
                f.name
            );
            assert_eq!(f.nested, nested_root(f.name), "{}", f.name);
            assert!(!f.label.is_empty() && f.help.ends_with('.'), "{}", f.name);
        }
    }

    #[test]
    fn the_builder_offers_the_fields_people_search_by() {
        for name in [
            "job_title",
            "headline",
            "description",
            "skills",
            "location_country",
            "location_full",
            "management_level",
            "department",
            "is_working",
            "experience.company_name",
            "experience.title",
            "education.title",
            "education.major",
            "last_updated",
        ] {
            assert!(field(name).is_some_and(|f| f.builder), "{name}");
        }
    }

    #[test]
    fn typos_find_the_field_meant() {
        assert_eq!(closest("job_titel"), Some("job_title"));
        assert_eq!(closest("Location_Country"), Some("location_country"));
        assert_eq!(closest("experience.titel"), Some("experience.title"));
        assert_eq!(closest("banana"), None);
    }

    #[test]
    fn nested_root_needs_a_sub_field() {
        assert_eq!(nested_root("experience.title"), Some("experience"));
        assert_eq!(nested_root("experience"), None);
        assert_eq!(nested_root("job_title"), None);
    }
}
