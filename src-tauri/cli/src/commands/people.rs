//! `people`: the people library on this computer, searched (no key, no call to the service).

use collect_core::jobs::group;
use collect_core::library::{Count, Counts, Library, Page};
use collect_core::UserError;
use serde_json::json;

use super::money::table;
use crate::context::Context;
use crate::output::Report;

/// Page `page` of the people whose name, title, company or country holds `search`, with how many
/// match and the countries and companies most of them share.
pub(super) fn people(
    context: &Context,
    search: Option<&str>,
    page: u32,
) -> Result<Report, UserError> {
    let library = Library::new(context.store.clone());
    let dataset = context.mode.library_dataset();
    let found = library.search(dataset, search, page)?;
    let counts = library.counts(dataset, search)?;
    Ok(Report {
        json: json!({
            "search": search,
            "total": found.total,
            "page": found.page,
            "pages": found.pages,
            "countries": counts.countries,
            "companies": counts.companies,
            "people": found.people,
        }),
        text: people_text(search, &found, &counts),
    })
}

fn people_text(search: Option<&str>, found: &Page, counts: &Counts) -> String {
    let searched = search
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .map(|text| format!(" with “{text}” in their name, title, company or country"))
        .unwrap_or_default();
    let mut text = match found.total {
        0 if searched.is_empty() => {
            return "Your people library is empty: people go in when a download completes.".into()
        }
        0 => return format!("No one in your people library{searched}."),
        1 => format!("1 person in your people library{searched}."),
        n => format!("{} people in your people library{searched}.", group(n)),
    };
    for (title, counts) in [
        ("By country", &counts.countries),
        ("By company", &counts.companies),
    ] {
        if !counts.is_empty() {
            text.push_str(&format!("\n\n{title}:\n"));
            text.push_str(&counted(counts));
        }
    }
    text.push_str("\n\n");
    if found.people.is_empty() {
        text.push_str(&format!(
            "Page {} is past the last page ({}).",
            found.page, found.pages
        ));
        return text;
    }
    let rows: Vec<[String; 7]> = found
        .people
        .iter()
        .map(|person| {
            let cell = |text: &Option<String>| text.clone().unwrap_or_else(|| "–".into());
            [
                person.id.to_string(),
                cell(&person.name),
                cell(&person.title),
                cell(&person.company),
                cell(&person.country),
                person
                    .last_collected_at
                    .get(..10)
                    .unwrap_or(&person.last_collected_at)
                    .to_owned(),
                person.last_job.to_string(),
            ]
        })
        .collect();
    text.push_str(&table(
        &[
            "ID",
            "Name",
            "Title",
            "Company",
            "Country",
            "Collected",
            "Collection",
        ],
        &rows,
    ));
    text.push_str(&format!("\n\nPage {} of {}", found.page, found.pages));
    if found.page < found.pages {
        text.push_str(&format!(" (next: --page {})", found.page + 1));
    }
    text
}

/// One indented `value  count` line each.
fn counted(counts: &[Count]) -> String {
    let rows: Vec<[String; 2]> = counts
        .iter()
        .map(|count| [count.value.clone(), group(count.people)])
        .collect();
    table(&["", "People"], &rows)
        .lines()
        .skip(1)
        .map(|line| format!("  {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}
