//! Words for jobs: a job's name when the person gave none, counts in plain English.

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
    use super::batches_named;

    #[test]
    fn batch_numbers_read_as_a_list() {
        assert_eq!(batches_named(&[3]), "Batch 3");
        assert_eq!(batches_named(&[2, 3]), "Batches 2 and 3");
        assert_eq!(batches_named(&[2, 3, 5]), "Batches 2, 3 and 5");
    }
}
