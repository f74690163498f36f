//! The Python references of the export bench: pandas and DuckDB from PyPI in a throwaway venv.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::common::BenchResult;
use super::{timed, Run};

pub(crate) const PANDAS: &str = r#"
import gzip, json, sys
import pandas as pd
records = []
for path in sys.argv[2:]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        records.extend(json.loads(line) for line in f if line.strip())
pd.json_normalize(records).to_csv(sys.argv[1], index=False)
"#;

pub(crate) const DUCKDB: &str = r#"
import sys, duckdb
files = ", ".join("'" + p.replace("'", "''") + "'" for p in sys.argv[2:])
out = sys.argv[1].replace("'", "''")
duckdb.sql(f"COPY (SELECT * FROM read_json([{files}], format='newline_delimited')) TO '{out}' (HEADER, DELIMITER ',')")
"#;

pub(crate) const DUCKDB_PARQUET: &str = r#"
import sys, duckdb
files = ", ".join("'" + p.replace("'", "''") + "'" for p in sys.argv[2:])
out = sys.argv[1].replace("'", "''")
duckdb.sql(f"COPY (SELECT * FROM read_json([{files}], format='newline_delimited')) TO '{out}' (FORMAT parquet)")
"#;

/// The throwaway venv with pandas and DuckDB; `None` for each one that cannot be installed.
pub(crate) fn python_references(dir: &Path) -> (Option<PathBuf>, Option<PathBuf>) {
    let python = dir.join("venv/bin/python");
    if !python.exists() {
        eprintln!(
            "export-bench: making a virtual environment in {}",
            dir.display()
        );
        let made = Command::new("python3")
            .arg("-m")
            .arg("venv")
            .arg(dir.join("venv"))
            .status();
        if !made.is_ok_and(|status| status.success()) {
            println!("note: python3 -m venv failed: pandas and DuckDB skipped");
            return (None, None);
        }
    }
    let mut found = [None, None];
    for (slot, package) in ["pandas", "duckdb"].iter().enumerate() {
        let ready = Command::new(&python)
            .args(["-c", &format!("import {package}")])
            .stderr(Stdio::null())
            .status();
        let ready = ready.is_ok_and(|s| s.success())
            || Command::new(&python)
                .args([
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                    package,
                ])
                .status()
                .is_ok_and(|s| s.success());
        if ready {
            found[slot] = Some(python.clone());
        } else {
            println!("note: pip install {package} failed: that reference is skipped");
        }
    }
    let [pandas, duckdb] = found;
    (pandas, duckdb)
}

pub(crate) fn python_run(
    python: &Path,
    script: &str,
    out: &Path,
    files: &[PathBuf],
) -> BenchResult<Run> {
    timed(
        Command::new(python)
            .arg("-c")
            .arg(script)
            .arg(out)
            .args(files),
    )
}
