//! The independent readers of the export suites (pyarrow and DuckDB for Parquet, openpyxl for
//! XLSX): Python packages pinned in `tests/support/parquet-readers.txt`, in a venv outside the
//! clone (`make test` installs it; the suites make it when missing).

use std::path::{Path, PathBuf};
use std::process::Command;

/// A file of `tests/support` (the readers' scripts and pins).
pub fn support(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("support")
        .join(name)
}

/// The readers' Python, its venv made (or remade when the pinned versions changed).
pub fn python() -> PathBuf {
    let requirements = support("parquet-readers.txt");
    let home = std::env::var_os("HOME").expect("HOME is set");
    let root = Path::new(&home).join(".cache/bulk-collect/tools/parquet-readers");
    let python = root.join("bin/python");
    let wanted = std::fs::read_to_string(&requirements).unwrap();
    let stamp = root.join("installed.txt");
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) {
        return python;
    }
    let made = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&root)
        .status()
        .unwrap();
    assert!(
        made.success(),
        "python3 -m venv failed (install python3-venv: make deps)"
    );
    let installed = Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ])
        .args(["--only-binary=:all:", "-r"])
        .arg(&requirements)
        .status()
        .unwrap();
    assert!(
        installed.success(),
        "pip could not install the readers (tests/support/parquet-readers.txt)"
    );
    std::fs::write(stamp, wanted).unwrap();
    python
}
