//! A corpus of bad ID files and bad queries, each given to the real CLI: the exact message a person
//! sees, and nothing sent to the service.

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use std::path::{Path, PathBuf};

use bulk_collect_tests::*;
use collect_core::export::{export_job, ExportOptions};
use collect_core::ids::read_id_file;

const SAVE_AS_CSV: &str = "In Excel choose File › Save As › \"CSV UTF-8\"; in a text editor save \
                           as UTF-8 text. Then choose the new file.";

/// Writes `bytes` as `name` in `dir`.
fn file(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Everything the CLI printed, standard output then standard error.
fn printed(output: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Runs `submit <flag> <path>` (no --yes: nothing may be spent) and checks the CLI failed with
/// exactly `message` after the file's path, and sent nothing.
fn refused(harness: &Harness, flag: &str, path: &Path, message: &str) {
    let output = run_cli(harness, &["submit", flag, path.to_str().unwrap()]);
    let text = printed(&output);
    assert!(!output.status.success(), "{text}");
    let expected = format!("Error: {}: {message}", path.display());
    assert!(
        text.lines().any(|line| line == expected),
        "expected the line\n{expected}\nin\n{text}"
    );
    assert!(
        harness.sim.calls().is_empty(),
        "nothing reached the service"
    );
}

#[tokio::test]
async fn each_bad_id_file_gets_its_own_plain_message() {
    let harness = Harness::start(quick_sim()).await;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let binary: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
    let cases: Vec<(PathBuf, String)> = vec![
        (
            file(d, "binary.csv", &binary),
            format!(
                "This file is a binary file (not plain text), not a text list of IDs. Save the \
                 IDs as a CSV or text file, one ID a line. {SAVE_AS_CSV}"
            ),
        ),
        (
            file(d, "latin1.csv", b"123456\ncaf\xe9\n789\n"),
            format!(
                "Line 2 of this file is not UTF-8 text (it may use an older character set). Save \
                 the file again as UTF-8. {SAVE_AS_CSV}"
            ),
        ),
        (
            file(d, "utf16.csv", b"\xFF\xFEi\x00d\x00\n\x001\x00"),
            format!(
                "This file is saved as UTF-16 (\"Unicode text\"), which Bulk Collect does not \
                 read. Save it again as UTF-8. {SAVE_AS_CSV}"
            ),
        ),
        (
            file(d, "header-only.csv", b"id\r\n\r\n"),
            "This file has no IDs: it is empty or holds only blank lines and a header. Choose a \
             file with one employee ID on each line."
                .to_owned(),
        ),
        (
            file(d, "empty.csv", b""),
            "This file has no IDs: it is empty or holds only blank lines and a header. Choose a \
             file with one employee ID on each line."
                .to_owned(),
        ),
        (
            file(d, "negative.csv", b"-123456\n"),
            "No valid employee ID was found in the one line of this file. Line 1 (\"-123456\"): \
             This is a negative number; employee IDs are positive whole numbers. An ID is a whole \
             number such as 123456789, one on each line."
                .to_owned(),
        ),
        (
            file(d, "scientific.csv", b"1e5\n2.5E+08\n"),
            "No valid employee ID was found in the 2 lines of this file. Line 1 (\"1e5\"): This \
             number is written in scientific notation; IDs must be written out in full digits. \
             If the list comes from Excel, format the column as Number with 0 decimal places and \
             save it again. An ID is a whole number such as 123456789, one on each line."
                .to_owned(),
        ),
        (
            file(d, "hex.csv", b"0x10\n"),
            "No valid employee ID was found in the one line of this file. Line 1 (\"0x10\"): This \
             is written in hexadecimal (it starts with 0x); write the employee ID in ordinary \
             digits, 0 to 9. An ID is a whole number such as 123456789, one on each line."
                .to_owned(),
        ),
        (
            file(d, "columns.csv", b"name;email\nAda;ada@example.com\n"),
            "The first line of this file names the columns \"name\", \"email\", but none is \
             called \"id\". Rename the column that holds the employee IDs to id, or save a file \
             with only the IDs, one a line."
                .to_owned(),
        ),
        (
            file(d, "report.csv", b"%PDF-1.7\n1 0 obj\n"),
            format!(
                "This file is a PDF document, not a text list of IDs. Save the IDs as a CSV or \
                 text file, one ID a line. {SAVE_AS_CSV}"
            ),
        ),
    ];
    for (path, message) in &cases {
        refused(&harness, "--ids", path, message);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_workbook_renamed_to_csv_is_read_as_the_workbook_it_is() {
    let harness = Harness::start(quick_sim()).await;
    let dir = tempfile::tempdir().unwrap();
    // A real workbook: the export of one record, then given a .csv name.
    let records = file(
        dir.path(),
        "people.jsonl",
        b"{\"id\": 7, \"full_name\": \"Ada\"}\n",
    );
    let date = time::macros::date!(2026 - 11 - 29);
    let export = export_job(
        &[records],
        dir.path(),
        "ids",
        date,
        &ExportOptions::default(),
    );
    let workbook = export.unwrap().paths.remove(0);
    let renamed = dir.path().join("ids.csv");
    std::fs::rename(&workbook, &renamed).unwrap();
    // Lists may be workbooks: its "Person ID" column is found by name and content.
    let output = run_cli(&harness, &["--json", "resolve", renamed.to_str().unwrap()]);
    let answer = stdout_json(&output);
    assert_eq!(answer["ids"], serde_json::json!([7]), "{answer}");
    assert!(harness.sim.calls().is_empty(), "IDs need no search");
}

/// Bytes this process has read so far (Linux `rchar`).
fn bytes_read() -> u64 {
    let io = std::fs::read_to_string("/proc/self/io").unwrap();
    let line = io.lines().find(|l| l.starts_with("rchar:")).unwrap();
    line["rchar:".len()..].trim().parse().unwrap()
}

#[tokio::test]
async fn a_200_mb_file_is_refused_by_its_size_before_it_is_read() {
    let harness = Harness::start(quick_sim()).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.csv");
    // Sparse: 200 MB long, no disk used.
    let huge = std::fs::File::create(&path).unwrap();
    huge.set_len(200 * 1024 * 1024).unwrap();
    drop(huge);
    let message = "This file is 200.0 MB; an ID list can be at most 50.0 MB. Check that you chose \
                   the right file: 10,000 IDs take well under 1 MB.";
    let before = bytes_read();
    let error = read_id_file(&path).unwrap_err();
    let read = bytes_read() - before;
    assert_eq!(error.to_string(), message);
    assert!(
        read < 8 * 1024 * 1024,
        "{read} bytes were read (the limit alone is 50 MB)"
    );
    refused(&harness, "--ids", &path, message);
}

#[tokio::test]
async fn a_list_of_10_001_ids_is_offered_as_2_batches() {
    let harness = Harness::start(quick_sim()).await;
    let dir = tempfile::tempdir().unwrap();
    let ids: String = (1..=10_001).map(|id| format!("{id}\n")).collect();
    let path = file(dir.path(), "many.csv", format!("id\n{ids}").as_bytes());
    let output = run_cli(
        &harness,
        &["submit", "--ids", path.to_str().unwrap(), "--yes"],
    );
    let text = printed(&output);
    assert!(!output.status.success(), "{text}");
    assert!(text.contains(
        "Error: This file has 10,001 different IDs; one request can take at most 10,000. It can \
         go as 2 batches, priced and confirmed once for all of them (on the command line: add \
         --split)."
    ));
    assert!(
        harness.sim.calls().is_empty(),
        "nothing reached the service"
    );
    assert!(harness.engine.jobs().unwrap().is_empty());
}

#[tokio::test]
async fn bad_lines_among_good_ones_are_listed_by_line_and_skipped() {
    let harness = Harness::start(quick_sim()).await;
    let dir = tempfile::tempdir().unwrap();
    let path = file(
        dir.path(),
        "mixed.csv",
        b"id\r\n123\r\n-5\r\n1e5\r\n0x10\r\n456\r\n123\r\n",
    );
    // No --yes and no answer on standard input: the price is shown, nothing is spent.
    let output = run_cli(&harness, &["submit", "--ids", path.to_str().unwrap()]);
    let text = printed(&output);
    for line in [
        "2 different IDs ready to send, read from 7 lines. Skipped: the header line, 1 repeated ID \
         and 3 lines that are not IDs (lines 3, 4 and 5).",
        "  line 3: \"-5\" skipped (This is a negative number; employee IDs are positive whole \
         numbers.)",
        "  line 4: \"1e5\" skipped (This number is written in scientific notation; IDs must be \
         written out in full digits. If the list comes from Excel, format the column as Number \
         with 0 decimal places and save it again.)",
        "  line 5: \"0x10\" skipped (This is written in hexadecimal (it starts with 0x); write the \
         employee ID in ordinary digits, 0 to 9.)",
    ] {
        assert!(text.lines().any(|l| l == line), "expected\n{line}\nin\n{text}");
    }
    assert!(harness.sim.requests().is_empty(), "nothing was submitted");
}

#[tokio::test]
async fn each_bad_query_gets_its_own_plain_message() {
    let harness = Harness::start(quick_sim()).await;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let long_terms: Vec<String> = (0..1500).map(|i| format!("\"term{i:04}\"")).collect();
    let long = format!(
        "{{\"query\": {{\"terms\": {{\"job_title\": [{}]}}}}}}",
        long_terms.join(",")
    );
    let cases = [
        (
            file(
                d,
                "comma.json",
                b"{\"query\": {\"match\": {\"job_title\": \"x\"}},}",
            ),
            "There is an extra comma before `}` at line 1, column 41. Remove it.".to_owned(),
        ),
        (
            file(d, "words.json", b"python developer\n"),
            "A value was expected at line 1, column 1: text in double quotes, a number, true, \
             false, null, {…} or […]."
                .to_owned(),
        ),
        (
            file(
                d,
                "country.json",
                br#"{"query":{"match":{"country":"Germany"}}}"#,
            ),
            "There is no \"country\" field (at `query.match`). Use \"location_country\" instead, \
             e.g. {\"term\": {\"location_country\": \"Germany\"}}."
                .to_owned(),
        ),
        (
            file(d, "fuzzy.json", br#"{"query":{"fuzzy":{"job_title":"x"}}}"#),
            "\"fuzzy\" at `query.fuzzy` is not a query type Bulk Collect can send. Allowed: bool, \
             query_string, simple_query_string, match, match_phrase, match_phrase_prefix, \
             multi_match, term, terms, range, exists, nested, match_all, ids, prefix, wildcard, \
             constant_score, boosting, dis_max."
                .to_owned(),
        ),
        (
            file(d, "long.json", long.as_bytes()),
            "The query is 16,535 characters long; the service accepts at most 15,000. Shorten \
             it, for example by splitting a long list of names over two requests."
                .to_owned(),
        ),
        (
            file(d, "empty.json", b"  \n"),
            "The query is empty. Paste a query, for example {\"query\": {\"match\": \
             {\"job_title\": \"engineer\"}}}."
                .to_owned(),
        ),
    ];
    for (path, message) in &cases {
        refused(&harness, "--query", path, message);
    }
}
