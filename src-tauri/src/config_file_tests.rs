//! The app's Tauri configuration is one plain file, `tauri.conf.json` at the top of the repository,
//! beside the workspace's `Cargo.toml` (the owner's layout). The build script, `generate_context!`,
//! the Tauri CLI (`make bundle`, the release workflow) and the updater test all read that file; a
//! second configuration anywhere else would be merged or read instead by one of them and silently
//! drift from it, so this test fails when one appears.

use std::path::{Path, PathBuf};

/// Folders that hold build output, dependencies or generated files, never a configuration of ours.
const SKIPPED: &[&str] = &[
    ".git",
    "target",
    "node_modules",
    "dist",
    "gen",
    "permissions",
];

/// Whether a file name is one the Tauri CLI or tauri-build would read as (or merge into) the
/// app's configuration: `tauri.conf.json`, `tauri.conf.json5`, `Tauri.toml` and their platform
/// variants (`tauri.linux.conf.json`, `Tauri.windows.toml`, …).
fn is_tauri_config(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    (lower.starts_with("tauri.")
        && (lower.ends_with(".conf.json") || lower.ends_with(".conf.json5")))
        || (lower.starts_with("tauri.") && lower.ends_with(".toml"))
        || lower == "tauri.toml"
}

fn configs_under(folder: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            if !SKIPPED.contains(&name.as_str()) {
                configs_under(&path, found);
            }
        } else if is_tauri_config(&name) {
            found.push(path);
        }
    }
}

#[test]
fn the_only_tauri_configuration_is_the_plain_top_level_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    configs_under(root, &mut found);
    assert_eq!(
        found,
        vec![root.join("tauri.conf.json")],
        "one configuration, at the top"
    );
    let kind = std::fs::symlink_metadata(root.join("tauri.conf.json"))
        .unwrap()
        .file_type();
    assert!(
        kind.is_file(),
        "a plain file, not a symlink (Windows checkouts cannot read one)"
    );
}

#[test]
fn every_name_tauri_reads_as_a_configuration_is_recognised() {
    for name in [
        "tauri.conf.json",
        "tauri.conf.json5",
        "Tauri.toml",
        "tauri.linux.conf.json",
        "Tauri.windows.toml",
    ] {
        assert!(is_tauri_config(name), "{name}");
    }
    for name in [
        "package.json",
        "Cargo.toml",
        "tauri-driver.toml",
        "conf.json",
    ] {
        assert!(!is_tauri_config(name), "{name}");
    }
}
