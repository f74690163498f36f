//! Rules for the files Bulk Collect keeps on this computer, shared by downloads, exports and the
//! journal: names Windows reserves for devices, files of personal data readable only by the person
//! who runs the app, and the longest line a file of profiles may hold.

use std::fs::OpenOptions;

/// The longest line a file of profiles may hold. A profile is a few kilobytes; a longer line is
/// not one, and must not be held in memory without end (a small gzip can inflate to gigabytes).
pub(crate) const MAX_LINE_BYTES: usize = 64 * 1024 * 1024;

/// What is wrong with a line longer than [`MAX_LINE_BYTES`], after its name ("line 3 of X").
pub(crate) const LINE_TOO_LONG: &str = "is longer than 64 MiB: this is not a file of profiles";

/// Device names Windows reserves whatever follows the first dot (`CON`, `nul.csv`,
/// `com1.json.gz`): `COM` and `LPT` with a digit 0–9 or a superscript ¹ ² ³ (Windows reads those
/// as digits), and the console's `CONIN$` and `CONOUT$`.
const DEVICES: &[&str] = &["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"];

/// The numbered devices: `COM0`–`COM9`, `COM¹`–`COM³`, and the same for `LPT`.
const NUMBERED_DEVICES: &[&str] = &["COM", "LPT"];

/// Whether Windows would open a device instead of a file for `name`: its part before the first
/// dot, without trailing spaces, is a device name in any case (`Nul.csv`, `COM¹`, `conin$.txt`).
pub(crate) fn is_windows_device_name(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or_default().trim_end();
    if DEVICES
        .iter()
        .any(|device| device.eq_ignore_ascii_case(stem))
    {
        return true;
    }
    NUMBERED_DEVICES.iter().any(|prefix| {
        let mut chars = stem.chars();
        let head: String = chars.by_ref().take(prefix.len()).collect();
        let rest: Vec<char> = chars.collect();
        head.eq_ignore_ascii_case(prefix)
            && matches!(rest.as_slice(), ['0'..='9' | '¹' | '²' | '³'])
    })
}

/// Options that create a file readable and writable by this user only (`0600` on Unix; on Windows
/// a new file takes its folder's permissions, which under the user's profile are the user's).
/// Use for every file of personal data: downloads, their `.part`, exports, the journal.
pub(crate) fn private_file() -> OpenOptions {
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_windows_device_name_is_recognised_in_any_case_and_with_any_extension() {
        for name in [
            "CON",
            "con",
            "Nul.csv",
            "nul .csv",
            "AUX.json.gz",
            "prn",
            "COM0",
            "com1",
            "COM9.gz",
            "LPT0",
            "lpt9.txt",
            "COM¹",
            "COM²",
            "com³.csv",
            "LPT¹",
            "LPT³.gz",
            "CONIN$",
            "conout$.csv",
            "CONIN$.txt",
        ] {
            assert!(is_windows_device_name(name), "{name}");
        }
        for name in [
            "console.gz",
            "COM10.gz",
            "LPT",
            "COM",
            "CONIN",
            "nullable.csv",
            "People.csv",
            "x.con",
            "COM⁴",
            "",
        ] {
            assert!(!is_windows_device_name(name), "{name}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_private_file_is_readable_by_its_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("people.csv");
        private_file()
            .create(true)
            .write(true)
            .truncate(true)
            .open(&path)
            .unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
