//! Words for jobs: a job's name when the person gave none, a collection as a person sees it named,
//! counts in plain English.

use super::{JobRequest, NewJob};

pub(super) fn job_name(job: &NewJob) -> String {
    job.name
        .as_deref()
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .unwrap_or_else(|| default_name(&job.request))
}

fn default_name(request: &JobRequest) -> String {
    match request {
        JobRequest::Query { limit, .. } => match limit {
            Some(limit) => format!("Search (up to {limit} profiles)"),
            None => "Search".to_owned(),
        },
        JobRequest::Ids {
            report,
            source_file,
            ..
        } => {
            let file = source_file
                .as_deref()
                .and_then(|path| std::path::Path::new(path).file_name())
                .map(|name| name.to_string_lossy().into_owned());
            match file {
                Some(file) => format!("{} IDs from {file}", group(report.ids.len() as u64)),
                None => format!("{} IDs", group(report.ids.len() as u64)),
            }
        }
    }
}

/// A collection's title as the Collections screen shows it: its name, or "Collection 12" when it
/// has none.
pub fn collection_title(id: i64, name: &str) -> String {
    match name.trim() {
        "" => format!("Collection {id}"),
        name => name.to_owned(),
    }
}

/// A collection named in a sentence: its name in quotes, or "Collection 12" when it has none.
pub fn collection_named(id: i64, name: &str) -> String {
    match name.trim() {
        "" => collection_title(id, name),
        name => format!("\"{name}\""),
    }
}

/// `1234567` → `1,234,567`.
pub fn group(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

pub(super) fn plural(count: u64, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{} {many}", group(count))
    }
}

/// Batch numbers in words: `[3]` → "Batch 3", `[2, 3]` → "Batches 2 and 3", `[2, 3, 5]` →
/// "Batches 2, 3 and 5".
pub(super) fn batches_named(indices: &[u32]) -> String {
    let numbers: Vec<String> = indices.iter().map(u32::to_string).collect();
    match numbers.as_slice() {
        [one] => format!("Batch {one}"),
        [rest @ .., last] => format!("Batches {} and {last}", rest.join(", ")),
        [] => "No batch".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::{batches_named, collection_named, collection_title};

    #[test]
    fn a_collection_is_named_as_the_collections_screen_names_it() {
        assert_eq!(collection_named(4, "Python people"), "\"Python people\"");
        assert_eq!(collection_named(4, "  "), "Collection 4");
        assert_eq!(collection_title(4, "Python people"), "Python people");
        assert_eq!(collection_title(4, ""), "Collection 4");
    }

    #[test]
    fn batch_numbers_read_as_a_list() {
        assert_eq!(batches_named(&[3]), "Batch 3");
        assert_eq!(batches_named(&[2, 3]), "Batches 2 and 3");
        assert_eq!(batches_named(&[2, 3, 5]), "Batches 2, 3 and 5");
    }
}
