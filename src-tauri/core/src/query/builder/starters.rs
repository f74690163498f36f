//! Starter searches that combine criteria, for people who do not write queries.

use serde::Serialize;

use super::{Condition, Group, GroupMode, Rule, Search};

/// A ready-made search to start from.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize)]
#[ts(export)]
pub struct StarterSearch {
    /// A stable name, e.g. `python-germany`.
    pub id: &'static str,
    /// What it finds, in a few words.
    pub label: &'static str,
    /// One sentence on what the search asks for.
    pub description: &'static str,
    /// The search, ready for the builder.
    pub search: Search,
}

fn rule(field: &str, condition: Condition, values: &[&str]) -> Rule {
    Rule {
        field: field.to_owned(),
        condition,
        values: values.iter().map(|v| (*v).to_owned()).collect(),
    }
}

fn group(mode: GroupMode, rules: Vec<Rule>) -> Group {
    Group { mode, rules }
}

fn starter(
    id: &'static str,
    label: &'static str,
    description: &'static str,
    groups: Vec<Group>,
) -> StarterSearch {
    StarterSearch {
        id,
        label,
        description,
        search: Search { groups },
    }
}

/// The starter searches, in the order the UI offers them.
pub fn starter_searches() -> Vec<StarterSearch> {
    use Condition::{Contains, IsNo, IsOneOf, IsPhrase, IsYes, OnOrAfter};
    use GroupMode::{All, Any, None};
    vec![
        starter(
            "python-germany",
            "Python developers in Germany",
            "People in Germany whose current job title, description or skills mention Python.",
            vec![
                group(
                    Any,
                    vec![
                        rule("job_title", Contains, &["python"]),
                        rule("description", Contains, &["python"]),
                        rule("skills", IsOneOf, &["python"]),
                    ],
                ),
                group(All, vec![rule("location_country", IsOneOf, &["Germany"])]),
            ],
        ),
        starter(
            "sales-managers-germany",
            "Sales managers in Germany",
            "People in Germany at manager level in a sales department.",
            vec![group(
                All,
                vec![
                    rule("department", IsOneOf, &["Sales"]),
                    rule("management_level", IsOneOf, &["Manager"]),
                    rule("location_country", IsOneOf, &["Germany"]),
                ],
            )],
        ),
        starter(
            "worked-at-siemens",
            "Worked at Siemens",
            "People who work or worked at a company named Siemens.",
            vec![group(
                All,
                vec![rule("experience.company_name", Contains, &["Siemens"])],
            )],
        ),
        starter(
            "data-engineers-us-uk-working",
            "Data engineers in the US or UK, currently working",
            "People in the United States or the United Kingdom with a current data engineer job.",
            vec![group(
                All,
                vec![
                    rule("job_title", IsPhrase, &["data engineer"]),
                    rule(
                        "location_country",
                        IsOneOf,
                        &["United States", "United Kingdom"],
                    ),
                    rule("is_working", IsYes, &[]),
                ],
            )],
        ),
        starter(
            "marketing-leaders",
            "Marketing leaders",
            "Directors, heads and vice presidents of marketing departments.",
            vec![group(
                All,
                vec![
                    rule("department", IsOneOf, &["Marketing"]),
                    rule(
                        "management_level",
                        IsOneOf,
                        &["Director", "Head", "Vice President"],
                    ),
                ],
            )],
        ),
        starter(
            "nurses-not-managers",
            "Nurses who are not managers",
            "People with nurse in their current job title, leaving out managers, heads and \
             directors.",
            vec![
                group(All, vec![rule("job_title", Contains, &["nurse"])]),
                group(
                    None,
                    vec![rule(
                        "management_level",
                        IsOneOf,
                        &["Manager", "Head", "Director"],
                    )],
                ),
            ],
        ),
        starter(
            "university-recent",
            "Studied at a university, profile updated since 2024",
            "People who list Vilnius University in their education, with profiles refreshed in \
             2024 or later.",
            vec![group(
                All,
                vec![
                    rule("education.title", IsPhrase, &["Vilnius University"]),
                    rule("last_updated", OnOrAfter, &["2024-01-01"]),
                ],
            )],
        ),
        starter(
            "open-to-work-engineers",
            "Engineers without a current job",
            "People whose past job titles include engineer and who have no current job.",
            vec![group(
                All,
                vec![
                    rule("experience.title", Contains, &["engineer"]),
                    rule("is_working", IsNo, &[]),
                ],
            )],
        ),
    ]
}
