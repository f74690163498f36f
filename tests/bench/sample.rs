//! The shared sample's records (`shared/data/employees-sample.jsonl.gz`), from which the benches
//! make their synthetic people.

use std::io::{BufRead, BufReader};
use std::path::Path;

/// Every record of the shared sample, parsed.
pub fn sample_records() -> Result<Vec<serde_json::Value>, Box<dyn std::error::Error>> {
    let sample =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/employees-sample.jsonl.gz");
    let reader = BufReader::new(flate2::read::MultiGzDecoder::new(std::fs::File::open(
        sample,
    )?));
    let mut records = Vec::new();
    for line in reader.lines() {
        let line = line?;
        if !line.trim().is_empty() {
            records.push(serde_json::from_str(&line)?);
        }
    }
    Ok(records)
}
