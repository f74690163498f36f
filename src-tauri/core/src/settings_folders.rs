//! Folders of the settings: the default download folder and an example full path for messages.

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

/// An absolute folder for this OS, for messages.
pub(super) fn example_absolute_folder() -> &'static str {
    if cfg!(windows) {
        r"C:\Users\you\Downloads"
    } else if cfg!(target_os = "macos") {
        "/Users/you/Downloads"
    } else {
        "/home/you/Downloads"
    }
}
