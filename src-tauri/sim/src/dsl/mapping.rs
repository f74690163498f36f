//! The simulated index mapping: which fields exist, their kind, and how to read them from a record.

use crate::corpus::{Certification, Education, Employee, Experience, Language, Recommendation};

/// Object paths that are mapped as `nested` (every array of objects, as the contract advises).
pub(crate) const NESTED_PATHS: &[&str] = &[
    "experience",
    "education",
    "languages",
    "certifications",
    "recommendations",
];

/// How a field is indexed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Analysed text: case-insensitive token matching.
    Text,
    /// Keyword: the whole value is one term (`term` is exact, `match` ignores case).
    Keyword,
    /// Numbers.
    Number,
}

/// One value of a field.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Val<'a> {
    /// A string value.
    Str(&'a str),
    /// A numeric value.
    Num(f64),
}

/// A field's kind and values (empty when null).
pub(crate) type Field<'a> = (Kind, Vec<Val<'a>>);

/// Something a query can be evaluated against: a record or one of its nested objects.
pub(crate) trait Doc {
    /// The values of `name` (a full dotted name such as `experience.title`); `None` if unmapped here.
    fn field(&self, name: &str) -> Option<Field<'_>>;
    /// The objects under a nested `path` (empty for nested objects themselves).
    fn nested(&self, path: &str) -> Vec<&dyn Doc>;
    /// The string fields a `query_string` searches when it names none.
    fn default_fields(&self) -> &'static [&'static str];
}

fn text(v: &str) -> Field<'_> {
    (Kind::Text, vec![Val::Str(v)])
}
fn kw(v: &str) -> Field<'_> {
    (Kind::Keyword, vec![Val::Str(v)])
}
fn opt_text(v: Option<&str>) -> Field<'_> {
    (Kind::Text, v.map(Val::Str).into_iter().collect())
}
fn opt_kw(v: Option<&str>) -> Field<'_> {
    (Kind::Keyword, v.map(Val::Str).into_iter().collect())
}
fn num(v: impl Into<f64>) -> Field<'static> {
    (Kind::Number, vec![Val::Num(v.into())])
}
fn int(v: u64) -> Field<'static> {
    // Record numbers are far below 2^53, so the conversion is exact.
    (Kind::Number, vec![Val::Num(v as f64)])
}

impl Doc for Employee {
    fn field(&self, name: &str) -> Option<Field<'_>> {
        Some(match name {
            "id" => int(self.id),
            "company_id" => int(self.company_id),
            "follower_count" => int(self.follower_count),
            "connections_count" => int(self.connections_count),
            "is_deleted" => num(self.is_deleted),
            "is_hidden" => num(self.is_hidden),
            "is_working" => num(self.is_working),
            "is_decision_maker" => num(self.is_decision_maker),
            "full_name" => text(&self.full_name),
            "name_first" => text(&self.name_first),
            "name_middle" => opt_text(self.name_middle.as_deref()),
            "name_last" => text(&self.name_last),
            "full_name.exact" => kw(&self.full_name),
            "name_first.exact" => kw(&self.name_first),
            "name_middle.exact" => opt_kw(self.name_middle.as_deref()),
            "name_last.exact" => kw(&self.name_last),
            "headline" => text(&self.headline),
            "generated_headline" => text(&self.generated_headline),
            "job_title" => text(&self.job_title),
            "description" => text(&self.description),
            "company_name" => text(&self.company_name),
            "company_industry" => text(&self.company_industry),
            "location_full" => text(&self.location_full),
            "location_raw_address" => text(&self.location_raw_address),
            "last_updated" => kw(&self.last_updated),
            "websites_professional_network" => kw(&self.websites_professional_network),
            "picture_url" => opt_kw(self.picture_url.as_deref()),
            "company_website" => kw(&self.company_website),
            "management_level" => kw(&self.management_level),
            "department" => kw(&self.department),
            "location_country" => kw(&self.location_country),
            "location_regions" => (
                Kind::Keyword,
                self.location_regions
                    .iter()
                    .map(|s| Val::Str(s.as_ref()))
                    .collect(),
            ),
            "skills" => (
                Kind::Keyword,
                self.skills.iter().map(|s| Val::Str(s.as_ref())).collect(),
            ),
            "shorthand_names" => (
                Kind::Keyword,
                self.shorthand_names
                    .iter()
                    .map(|s| Val::Str(s.as_ref()))
                    .collect(),
            ),
            _ => return None,
        })
    }

    fn nested(&self, path: &str) -> Vec<&dyn Doc> {
        fn all<T: Doc>(items: &[T]) -> Vec<&dyn Doc> {
            items.iter().map(|i| i as &dyn Doc).collect()
        }
        match path {
            "experience" => all(&self.experience),
            "education" => all(&self.education),
            "languages" => all(&self.languages),
            "certifications" => all(&self.certifications),
            "recommendations" => all(&self.recommendations),
            _ => Vec::new(),
        }
    }

    fn default_fields(&self) -> &'static [&'static str] {
        &[
            "full_name",
            "headline",
            "generated_headline",
            "job_title",
            "description",
            "company_name",
            "company_industry",
            "location_full",
            "location_country",
            "management_level",
            "department",
            "skills",
        ]
    }
}

impl Doc for Experience {
    fn field(&self, name: &str) -> Option<Field<'_>> {
        Some(match name {
            "experience.company_id" => int(self.company_id),
            "experience.company_size_employees_count" => int(self.company_size_employees_count),
            "experience.duration_months" => int(self.duration_months),
            "experience.order_in_profile" => int(self.order_in_profile),
            "experience.company_name" => text(&self.company_name),
            "experience.company_industry" => text(&self.company_industry),
            "experience.title" => text(&self.title),
            "experience.description" => text(&self.description),
            "experience.management_level" => text(&self.management_level),
            "experience.duration" => text(&self.duration),
            "experience.location" => text(&self.location),
            "experience.company_professional_network_url" => {
                kw(&self.company_professional_network_url)
            }
            "experience.company_shorthand_name" => kw(&self.company_shorthand_name),
            "experience.company_website" => kw(&self.company_website),
            "experience.department" => kw(&self.department),
            "experience.date_from" => kw(&self.date_from),
            "experience.date_to" => opt_kw(self.date_to.as_deref()),
            _ => return None,
        })
    }

    fn nested(&self, _path: &str) -> Vec<&dyn Doc> {
        Vec::new()
    }

    fn default_fields(&self) -> &'static [&'static str] {
        &[
            "experience.title",
            "experience.description",
            "experience.company_name",
        ]
    }
}

impl Doc for Education {
    fn field(&self, name: &str) -> Option<Field<'_>> {
        Some(match name {
            "education.title" => text(&self.title),
            "education.major" => text(&self.major),
            "education.description" => opt_text(self.description.as_deref()),
            "education.institution_url" => opt_kw(self.institution_url.as_deref()),
            "education.date_from" => int(self.date_from),
            "education.date_to" => int(self.date_to),
            "education.order_in_profile" => int(self.order_in_profile),
            _ => return None,
        })
    }

    fn nested(&self, _path: &str) -> Vec<&dyn Doc> {
        Vec::new()
    }

    fn default_fields(&self) -> &'static [&'static str] {
        &[
            "education.title",
            "education.major",
            "education.description",
        ]
    }
}

impl Doc for Language {
    fn field(&self, name: &str) -> Option<Field<'_>> {
        Some(match name {
            "languages.language" => text(&self.language),
            "languages.proficiency" => text(&self.proficiency),
            "languages.order_in_profile" => int(self.order_in_profile),
            _ => return None,
        })
    }

    fn nested(&self, _path: &str) -> Vec<&dyn Doc> {
        Vec::new()
    }

    fn default_fields(&self) -> &'static [&'static str] {
        &["languages.language", "languages.proficiency"]
    }
}

impl Doc for Certification {
    fn field(&self, name: &str) -> Option<Field<'_>> {
        Some(match name {
            "certifications.name" => text(&self.name),
            "certifications.issuer" => text(&self.issuer),
            "certifications.date_from" => kw(&self.date_from),
            "certifications.date_to" => opt_kw(self.date_to.as_deref()),
            _ => return None,
        })
    }

    fn nested(&self, _path: &str) -> Vec<&dyn Doc> {
        Vec::new()
    }

    fn default_fields(&self) -> &'static [&'static str] {
        &["certifications.name", "certifications.issuer"]
    }
}

impl Doc for Recommendation {
    fn field(&self, name: &str) -> Option<Field<'_>> {
        Some(match name {
            "recommendations.recommendation" => text(&self.recommendation),
            "recommendations.referee_name" => text(&self.referee_name),
            "recommendations.referee_url" => kw(&self.referee_url),
            _ => return None,
        })
    }

    fn nested(&self, _path: &str) -> Vec<&dyn Doc> {
        Vec::new()
    }

    fn default_fields(&self) -> &'static [&'static str] {
        &[
            "recommendations.recommendation",
            "recommendations.referee_name",
        ]
    }
}
