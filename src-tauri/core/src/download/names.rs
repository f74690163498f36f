//! Local names for server file names. The server's names are untrusted: the result is always a plain
//! basename that stays inside the destination folder, on Windows, macOS and Linux alike.

use std::collections::HashSet;

/// Longest local name, in characters (well under every file system's limit).
const MAX_NAME_CHARS: usize = 200;

/// Characters Windows refuses in a file name (besides control characters).
const RESERVED_CHARS: &[char] = &['<', '>', ':', '"', '/', '\\', '|', '?', '*'];

/// Device names Windows reserves whatever the extension (`CON`, `con.json.gz`, …).
const RESERVED_STEMS: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// One safe, unique local name per server name, in the same order.
///
/// The directory part is dropped (for `/` and `\`), as are control characters, leading dots and
/// trailing dots or spaces; characters Windows refuses become `_`; a Windows device name gets a `_`
/// prefix; a name left empty becomes `part-N.json.gz` (N = its position). Names are made unique
/// ignoring case (`-2`, `-3`, … before the extension), since Windows and macOS ignore case.
pub fn local_file_names(server_names: &[String]) -> Vec<String> {
    let mut taken = HashSet::new();
    server_names
        .iter()
        .enumerate()
        .map(|(index, name)| {
            let base = sanitise(name).unwrap_or_else(|| format!("part-{index}.json.gz"));
            unique(base, &mut taken)
        })
        .collect()
}

/// Whether `name` is already a safe local name (what [`local_file_names`] gives for itself).
pub(crate) fn is_safe_local_name(name: &str) -> bool {
    sanitise(name).as_deref() == Some(name)
}

fn sanitise(name: &str) -> Option<String> {
    let basename = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = basename
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| if RESERVED_CHARS.contains(&c) { '_' } else { c })
        .collect();
    let trimmed = cleaned
        .trim_start_matches(['.', ' '])
        .trim_end_matches(['.', ' ']);
    if trimmed.is_empty() {
        return None;
    }
    let shortened = shorten(trimmed);
    let stem = shortened.split('.').next().unwrap_or_default().trim_end();
    if RESERVED_STEMS.iter().any(|r| r.eq_ignore_ascii_case(stem)) {
        return Some(format!("_{shortened}"));
    }
    Some(shortened)
}

/// Keeps the extension (`.json.gz`) and cuts the rest to fit [`MAX_NAME_CHARS`].
fn shorten(name: &str) -> String {
    if name.chars().count() <= MAX_NAME_CHARS {
        return name.to_owned();
    }
    let (stem, extension) = split_extension(name);
    let keep = MAX_NAME_CHARS.saturating_sub(extension.chars().count());
    let mut short: String = stem.chars().take(keep).collect();
    short.push_str(extension);
    short
}

/// `part-1.json.gz` → (`part-1`, `.json.gz`): the extension starts at the first dot after the first
/// character (leading dots are gone by now).
fn split_extension(name: &str) -> (&str, &str) {
    match name.char_indices().skip(1).find(|(_, c)| *c == '.') {
        Some((at, _)) => name.split_at(at),
        None => (name, ""),
    }
}

fn unique(base: String, taken: &mut HashSet<String>) -> String {
    if taken.insert(base.to_lowercase()) {
        return base;
    }
    let (stem, extension) = split_extension(&base);
    (2u32..)
        .map(|n| format!("{stem}-{n}{extension}"))
        .find(|candidate| taken.insert(candidate.to_lowercase()))
        // The counter cannot run out before the list does: each step tries a new name.
        .unwrap_or(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        local_file_names(&list.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn normal_names_keep_their_basename() {
        assert_eq!(
            names(&[
                "json/part-00000-2c3d41c2-99c2-43ff-a39c-7ad7h63h7cd9-c000.json.gz",
                "part-00001.json.gz"
            ]),
            [
                "part-00000-2c3d41c2-99c2-43ff-a39c-7ad7h63h7cd9-c000.json.gz",
                "part-00001.json.gz"
            ]
        );
    }

    #[test]
    fn hostile_names_cannot_leave_the_folder() {
        let got = names(&[
            "../x",
            "/etc/passwd",
            "..\\..\\evil",
            "C:\\x",
            "",
            ".",
            "..",
            "...",
            "json/",
            "a/../../b.json.gz",
            "\0\u{1}bad\nname.gz",
            ".hidden.json.gz",
            "what?<>|*\".json.gz",
            "C:evil",
            "trailing. . ",
        ]);
        assert_eq!(
            got,
            [
                "x",
                "passwd",
                "evil",
                "x-2",
                "part-4.json.gz",
                "part-5.json.gz",
                "part-6.json.gz",
                "part-7.json.gz",
                "part-8.json.gz",
                "b.json.gz",
                "badname.gz",
                "hidden.json.gz",
                "what______.json.gz",
                "C_evil",
                "trailing",
            ]
        );
        for name in &got {
            assert!(!name.contains(['/', '\\', '\0', ':']), "{name}");
            assert!(!name.starts_with('.'), "{name}");
            assert!(is_safe_local_name(name), "{name}");
        }
    }

    #[test]
    fn windows_device_names_are_prefixed() {
        assert_eq!(
            names(&[
                "CON",
                "con.json.gz",
                "nul",
                "LPT1.txt",
                "COM10.gz",
                "console.gz"
            ]),
            [
                "_CON",
                "_con.json.gz",
                "_nul",
                "_LPT1.txt",
                "COM10.gz",
                "console.gz"
            ]
        );
    }

    #[test]
    fn duplicates_are_numbered_ignoring_case() {
        assert_eq!(
            names(&[
                "a/part.json.gz",
                "b/part.json.gz",
                "PART.json.gz",
                "part-2.json.gz",
                "noext",
                "noext"
            ]),
            [
                "part.json.gz",
                "part-2.json.gz",
                "PART-3.json.gz",
                "part-2-2.json.gz",
                "noext",
                "noext-2"
            ]
        );
    }

    #[test]
    fn long_names_are_cut_but_keep_their_extension() {
        let long = format!("{}.json.gz", "x".repeat(500));
        let got = names(&[&long]);
        assert_eq!(got[0].chars().count(), MAX_NAME_CHARS);
        assert!(got[0].ends_with("x.json.gz"));
    }

    #[test]
    fn unsafe_local_names_are_recognised() {
        for bad in ["../x", "a/b", "", ".x", "CON", "x\0"] {
            assert!(!is_safe_local_name(bad), "{bad}");
        }
    }
}
