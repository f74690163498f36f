//! The query checker from the outside: `bulk-collect-cli lint` (lines, `--json`, exit codes),
//! `estimate` and `submit` refusing a query with errors before anything is sent, and the
//! simulator accepting every search the visual builder writes.

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use bulk_collect_tests::*;
use collect_core::query::builder::{Condition, Group, GroupMode, Rule, Search};
use collect_core::query::fields::{FieldKind, FIELDS};
use collect_core::query::{diagnose, to_query, Severity};
use coresignal_sim::{SimConfig, Simulator, DEFAULT_PRACTICE_KEY};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::Value;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn lint(args: &[&str], file: &Path) -> Output {
    Command::new(workspace_binary("bulk-collect-cli"))
        .args(args)
        .arg("lint")
        .arg("--query")
        .arg(file)
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

const BAD: &str = "{\"query\": {\"bool\": {\"must\": [\n  {\"match\": {\"experience.title\": \"engineer\"}},\n  {\"term\": {\"job_title\": \"Data Engineer\"}}\n]}}}\n";

#[test]
fn lint_prints_one_line_per_problem_and_fails_on_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(dir.path(), "bad.json", BAD);
    let output = lint(&[], &bad);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    let file = bad.display().to_string();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[0].starts_with(&format!(
            "{file}:2:4: error: The field \"experience.title\""
        )),
        "{text}"
    );
    assert!(
        lines[1].starts_with(&format!("{file}:3:13: warning: \"term\" looks for")),
        "{text}"
    );

    let warning_only = write(
        dir.path(),
        "warn.json",
        r#"{"query": {"term": {"job_title": "engineer"}}}"#,
    );
    let output = lint(&[], &warning_only);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).contains(":1:21: warning: "));

    let good = write(
        dir.path(),
        "good.json",
        r#"{"query": {"match": {"job_title": "engineer"}}}"#,
    );
    let output = lint(&[], &good);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), "");
    assert!(String::from_utf8_lossy(&output.stderr).contains("no problems found"));
}

#[test]
fn lint_json_lists_the_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(dir.path(), "bad.json", BAD);
    let output = lint(&["--json"], &bad);
    assert_eq!(output.status.code(), Some(1));
    let answer: Value = serde_json::from_slice(&output.stdout).unwrap();
    let list = answer["diagnostics"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    let first = &list[0];
    for key in ["severity", "code", "message", "line", "column", "path"] {
        assert!(first.get(key).is_some(), "{key} in {first}");
    }
    assert_eq!(first["severity"], "error");
    assert_eq!(first["code"], "not_nested");
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(2), Some(4))
    );
    assert_eq!(first["path"], "query.bool.must[0].match");
    assert_eq!(list[1]["severity"], "warning");

    let syntax = write(dir.path(), "syntax.json", "{\"query\": {,}}");
    let answer: Value = serde_json::from_slice(&lint(&["--json"], &syntax).stdout).unwrap();
    assert_eq!(answer["diagnostics"][0]["code"], "syntax");
    let good = write(dir.path(), "good.json", r#"{"match_all": {}}"#);
    let output = lint(&["--json"], &good);
    assert_eq!(output.status.code(), Some(0));
    let answer: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(answer, serde_json::json!({"diagnostics": []}));

    let missing = lint(&["--json"], &dir.path().join("nope.json"));
    assert_eq!(missing.status.code(), Some(1));
    let answer: Value = serde_json::from_slice(&missing.stdout).unwrap();
    assert_eq!(answer["error"]["code"], "Io");
}

#[tokio::test]
async fn estimate_and_submit_refuse_a_query_with_errors_before_sending() {
    let harness = Harness::start(quick_sim()).await;
    let bad = write(harness.dir.path(), "bad.json", BAD);
    let bad = bad.to_str().unwrap();
    for args in [
        vec!["--json", "estimate", "--query", bad],
        vec!["--json", "submit", "--query", bad, "--limit", "5", "--yes"],
    ] {
        let output = run_cli(&harness, &args);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let answer: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(answer["error"]["code"], "InvalidQuery", "{answer}");
    }
    assert!(
        harness.sim.requests().is_empty(),
        "nothing reached the service"
    );
}

/// A seeded builder search: 1–3 groups of 1–4 rules on the fields the builder offers.
fn random_search(rng: &mut StdRng) -> Search {
    let fields: Vec<_> = FIELDS.iter().filter(|f| f.builder).collect();
    let words = [
        "engineer", "Sales", "data", "München", "O'Brien", "c++", "nurse", "AB",
    ];
    let groups = (0..rng.random_range(1..=3))
        .map(|_| Group {
            mode: [GroupMode::All, GroupMode::Any, GroupMode::None][rng.random_range(0..3)],
            rules: (0..rng.random_range(1..=4))
                .map(|_| {
                    let field = fields[rng.random_range(0..fields.len())];
                    let conditions: Vec<Condition> = Condition::ALL
                        .into_iter()
                        .filter(|c| c.fits(field.kind))
                        .collect();
                    let condition = conditions[rng.random_range(0..conditions.len())];
                    let pick = |rng: &mut StdRng| match field.kind {
                        FieldKind::Number => rng.random_range(0..5_000).to_string(),
                        FieldKind::Date => format!(
                            "{}-{:02}-{:02}",
                            rng.random_range(2015..2026),
                            rng.random_range(1..=12),
                            rng.random_range(1..=28)
                        ),
                        _ if !field.known_values.is_empty() && rng.random_bool(0.7) => field
                            .known_values[rng.random_range(0..field.known_values.len())]
                        .to_owned(),
                        _ => words[rng.random_range(0..words.len())].to_owned(),
                    };
                    let values = match condition {
                        Condition::IsYes | Condition::IsNo => Vec::new(),
                        Condition::IsOneOf => {
                            (0..rng.random_range(1..=3)).map(|_| pick(rng)).collect()
                        }
                        _ => vec![pick(rng)],
                    };
                    Rule {
                        field: field.name.to_owned(),
                        condition,
                        values,
                    }
                })
                .collect(),
        })
        .collect();
    Search { groups }
}

#[tokio::test]
async fn the_simulator_accepts_every_search_the_builder_writes() {
    let sim = Simulator::start(SimConfig {
        rate_limit_per_second: 100_000,
        corpus_size: 2_000,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let client = reqwest::Client::new();
    let url = format!("{}/v2/employee_clean/search/es_dsl", sim.base_url());
    let mut rng = StdRng::seed_from_u64(8);
    for case in 0..200 {
        let search = random_search(&mut rng);
        let query = to_query(&search).unwrap();
        let text = format!("{query:#}");
        let errors: Vec<_> = diagnose(&text)
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        assert!(errors.is_empty(), "case {case}: {errors:?}");
        let answer = client
            .post(&url)
            .header("apikey", DEFAULT_PRACTICE_KEY)
            .header("accept", "application/json")
            .json(&query)
            .send()
            .await
            .unwrap();
        let status = answer.status();
        let body = answer.text().await.unwrap();
        assert_eq!(status, 200, "case {case}: {text}\n{body}");
    }
}
