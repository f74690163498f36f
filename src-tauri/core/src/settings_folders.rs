//! Folders of the settings: the default download folder, network paths (refused), and an example
//! full path for messages.

use std::path::PathBuf;

/// Environment variable: the default download folder (for automation and tests; the user's choice in
/// Settings still wins).
pub const DOWNLOAD_ROOT_ENV: &str = "BULK_COLLECT_DOWNLOAD_DIR";

/// `$BULK_COLLECT_DOWNLOAD_DIR`, else `<Downloads>/Bulk Collect`, else `<data dir>/downloads` where
/// the OS has no Downloads folder.
pub fn default_download_root(data_dir: &std::path::Path) -> PathBuf {
    if let Some(dir) = std::env::var_os(DOWNLOAD_ROOT_ENV).filter(|dir| !dir.is_empty()) {
        return PathBuf::from(dir);
    }
    directories::UserDirs::new()
        .and_then(|dirs| dirs.download_dir().map(|dir| dir.join("Bulk Collect")))
        .unwrap_or_else(|| data_dir.join("downloads"))
}

/// Checks the download folder: chosen, a full path, on this computer. The error says what to do.
pub(super) fn check_download_root(folder: &std::path::Path) -> Result<(), String> {
    if folder.as_os_str().is_empty() {
        return Err("Choose a download folder.".into());
    }
    let shown = folder.display().to_string();
    let example = example_absolute_folder();
    if is_network_path(folder) {
        return Err(format!(
            "The download folder {shown:?} is on another computer (a network share). Bulk Collect \
             keeps the people it downloads on this computer only: choose a folder on this \
             computer's disk (like {example}). Press Change folder… to choose one."
        ));
    }
    if !folder.is_absolute() {
        return Err(format!(
            "The download folder {shown:?} is not a full path: it must start from the top of the \
             disk (like {example}). Press Change folder… to choose one."
        ));
    }
    Ok(())
}

/// An absolute folder for this OS, for messages.
fn example_absolute_folder() -> &'static str {
    if cfg!(windows) {
        r"C:\Users\you\Downloads"
    } else if cfg!(target_os = "macos") {
        "/Users/you/Downloads"
    } else {
        "/home/you/Downloads"
    }
}

/// Whether `path` names a folder on another computer: `\\host\share`, `//host/share`, and
/// Windows' long forms `\\?\UNC\host\share` and `\\.\UNC\…` (any path that starts with two
/// slashes of either kind), except the long form of a local drive, `\\?\C:\…`. Opening such a
/// folder sends the Windows login to that computer.
pub(super) fn is_network_path(path: &std::path::Path) -> bool {
    let text = path.to_string_lossy();
    let mut chars = text.chars();
    let slash = |c: Option<char>| matches!(c, Some('\\' | '/'));
    if !(slash(chars.next()) && slash(chars.next())) {
        return false;
    }
    let rest: Vec<char> = chars.take(4).collect();
    let local_drive = matches!(
        rest.as_slice(),
        ['?' | '.', separator, drive, ':'] if matches!(separator, '\\' | '/') && drive.is_ascii_alphabetic()
    );
    !local_drive
}
