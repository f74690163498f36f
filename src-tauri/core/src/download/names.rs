//! Local names for server file names. The server's names are untrusted: the result is always a plain
//! basename that stays inside the destination folder, on Windows, macOS and Linux alike, and that
//! fits the file systems' 255-byte limit even with the `.part` suffix of a download in progress.

use std::collections::HashSet;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// What the common file systems allow in one name: 255 bytes (ext4, APFS, and NTFS's 255 UTF-16
/// units are never more than 255 UTF-8 bytes).
const MAX_FS_NAME_BYTES: usize = 255;

/// The suffix of a file being downloaded (`<dest>/.partial/<name>.part`).
pub(crate) const PART_SUFFIX: &str = ".part";

/// Longest local name, in UTF-8 bytes: with [`PART_SUFFIX`] it still fits [`MAX_FS_NAME_BYTES`].
const MAX_NAME_BYTES: usize = MAX_FS_NAME_BYTES - PART_SUFFIX.len();

/// An extension (`.json.gz`) longer than this is not one worth keeping whole.
const MAX_EXTENSION_BYTES: usize = 32;

/// Characters Windows refuses in a file name (besides control characters).
const RESERVED_CHARS: &[char] = &['<', '>', ':', '"', '/', '\\', '|', '?', '*'];

/// Device names Windows reserves whatever the extension (`CON`, `con.json.gz`, …).
const RESERVED_STEMS: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// One safe, unique local name per server name, in the same order.
///
/// The name is put in Unicode NFC form; the directory part is dropped (for `/` and `\`), as are
/// control characters, leading dots and trailing dots or spaces; characters Windows refuses become
/// `_`; a Windows device name gets a `_` prefix; a name left empty becomes `part-N.json.gz`
/// (N = its position). A name longer than 250 bytes is cut (at a character boundary, keeping its
/// extension such as `.json.gz`). Names are made unique ignoring case and Unicode normalisation
/// (`-2`, `-3`, … before the extension), since Windows and macOS ignore case and macOS may
/// normalise: two server names that differ only so never overwrite each other.
pub fn local_file_names(server_names: &[String]) -> Vec<String> {
    let mut taken = HashSet::new();
    server_names
        .iter()
        .enumerate()
        .map(|(index, name)| {
            let base = sanitise(name, Form::Nfc).unwrap_or_else(|| format!("part-{index}.json.gz"));
            unique(base, &mut taken)
        })
        .collect()
}

/// Whether `name` is already a safe local name: a plain basename, as [`local_file_names`] makes
/// them (its Unicode form is not required: names kept by older versions stay usable).
pub(crate) fn is_safe_local_name(name: &str) -> bool {
    sanitise(name, Form::AsIs).as_deref() == Some(name)
}

/// Whether [`sanitise`] normalises.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    Nfc,
    AsIs,
}

fn sanitise(name: &str, form: Form) -> Option<String> {
    let basename = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let normalised: String = match form {
        Form::Nfc => basename.nfc().collect(),
        Form::AsIs => basename.to_owned(),
    };
    let cleaned: String = normalised
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| if RESERVED_CHARS.contains(&c) { '_' } else { c })
        .collect();
    let trimmed = trim(&cleaned);
    if trimmed.is_empty() {
        return None;
    }
    let stem = trimmed.split('.').next().unwrap_or_default().trim_end();
    if RESERVED_STEMS.iter().any(|r| r.eq_ignore_ascii_case(stem)) {
        return Some(format!("_{}", shorten(trimmed, MAX_NAME_BYTES - 1)));
    }
    Some(shorten(trimmed, MAX_NAME_BYTES))
}

/// Without leading dots or spaces and trailing dots or spaces.
fn trim(name: &str) -> &str {
    name.trim_start_matches(['.', ' '])
        .trim_end_matches(['.', ' '])
}

/// Keeps the extension (`.json.gz`) and cuts the rest so that the whole fits `max_bytes`.
fn shorten(name: &str, max_bytes: usize) -> String {
    if name.len() <= max_bytes {
        return name.to_owned();
    }
    let (stem, extension) = split_extension(name);
    let stem = cut(stem, max_bytes.saturating_sub(extension.len()));
    if extension.is_empty() {
        trim(stem).to_owned()
    } else {
        format!("{stem}{extension}")
    }
}

/// The longest start of `text` of at most `max_bytes` bytes that ends at a character boundary, and
/// not between a letter and its combining accents.
fn cut(text: &str, max_bytes: usize) -> &str {
    if text.len() <= max_bytes {
        return text;
    }
    let mut end = max_bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut whole = end;
    while whole > 0 && text[whole..].chars().next().is_some_and(is_combining_mark) {
        whole = text[..whole]
            .char_indices()
            .next_back()
            .map_or(0, |(at, _)| at);
    }
    // A run of accents with no letter before it within reach: cut it at the character boundary.
    &text[..if whole > 0 { whole } else { end }]
}

/// `part-1.json.gz` → (`part-1`, `.json.gz`): the extension starts at the first dot after the first
/// character (leading dots are gone by now); if that is longer than [`MAX_EXTENSION_BYTES`], at the
/// last dot; if that is still too long, there is none.
fn split_extension(name: &str) -> (&str, &str) {
    let first = name.char_indices().skip(1).find(|(_, c)| *c == '.');
    let last = name.rfind('.').filter(|at| *at > 0);
    [first.map(|(at, _)| at), last]
        .into_iter()
        .flatten()
        .find(|at| name.len() - at <= MAX_EXTENSION_BYTES)
        .map_or((name, ""), |at| name.split_at(at))
}

/// The key two names collide on: lower case, NFC.
fn fold(name: &str) -> String {
    name.to_lowercase().nfc().collect()
}

fn unique(base: String, taken: &mut HashSet<String>) -> String {
    if taken.insert(fold(&base)) {
        return base;
    }
    let (stem, extension) = split_extension(&base);
    (2u32..)
        .map(|n| {
            let suffix = format!("-{n}");
            let room = MAX_NAME_BYTES.saturating_sub(suffix.len() + extension.len());
            format!("{}{suffix}{extension}", cut(stem, room))
        })
        .find(|candidate| taken.insert(fold(candidate)))
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
        assert_eq!(got[0].len(), MAX_NAME_BYTES);
        assert!(got[0].ends_with("x.json.gz"));
    }

    /// Plain files directly in `dir`.
    fn count_files(dir: &std::path::Path) -> usize {
        std::fs::read_dir(dir)
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_type().unwrap().is_file())
            .count()
    }

    /// Creates `<dir>/.partial/<name>.part` and `<dir>/<name>` for real, as a download does.
    fn write_as_a_download_would(dir: &std::path::Path, name: &str) {
        let partial = dir.join(".partial");
        std::fs::create_dir_all(&partial).unwrap();
        let part = partial.join(format!("{name}{PART_SUFFIX}"));
        std::fs::write(&part, name).unwrap();
        std::fs::rename(&part, dir.join(name)).unwrap();
    }

    #[test]
    fn long_non_latin_names_are_cut_by_bytes_and_still_fit_with_the_part_suffix() {
        let cjk = "数据文件名称".repeat(50); // 300 characters, 900 bytes
        let accented = "e\u{301}".repeat(200); // a letter and its accent, 600 bytes, in NFD
        let got = names(&[
            &format!("json/{cjk}.json.gz"),
            &cjk,
            &format!("{cjk}.json.gz"),
            &format!("{accented}.json.gz"),
            &format!("x.{cjk}"),
        ]);
        let dir = tempfile::tempdir().unwrap();
        for name in &got {
            assert!(
                name.len() + PART_SUFFIX.len() <= 255,
                "{} bytes",
                name.len()
            );
            assert!(
                name.len() > 200,
                "cut no more than needed: {} bytes",
                name.len()
            );
            assert!(is_safe_local_name(name), "{name}");
            write_as_a_download_would(dir.path(), name);
        }
        assert!(
            got[0].ends_with(".json.gz") && got[0].starts_with("数据"),
            "{}",
            got[0]
        );
        assert_eq!(
            got[0].len(),
            80 * 3 + ".json.gz".len(),
            "as many whole characters as fit"
        );
        assert!(got[1].chars().all(|c| "数据文件名称".contains(c)));
        assert!(got[2].ends_with("-2.json.gz"), "{}", got[2]);
        assert!(
            got[3].ends_with("é.json.gz"),
            "NFC, not cut inside a letter"
        );
        assert!(got[4].starts_with("x.数据"));
        assert_eq!(count_files(dir.path()), got.len());
    }

    #[test]
    fn names_differing_only_in_case_or_normalisation_never_collide() {
        let got = names(&[
            "json/Caf\u{e9}.json.gz",     // é composed (NFC)
            "json/Cafe\u{301}.json.gz",   // e + combining acute (NFD)
            "json/CAF\u{c9}.json.gz",     // upper case
            "json/cafe\u{301}-2.JSON.GZ", // what the second one becomes, in other case and form
        ]);
        assert_eq!(
            got,
            [
                "Caf\u{e9}.json.gz",
                "Caf\u{e9}-2.json.gz",
                "CAF\u{c9}-3.json.gz",
                "caf\u{e9}-2-2.JSON.GZ",
            ]
        );
        let dir = tempfile::tempdir().unwrap();
        for name in &got {
            write_as_a_download_would(dir.path(), name);
        }
        assert_eq!(count_files(dir.path()), 4);
    }

    #[test]
    fn every_name_given_is_recognised_as_safe() {
        let long = "Ω".repeat(300);
        for name in names(&[
            "CON.json.gz",
            &format!("con{long}"),
            &long,
            &long,
            "a  . .json.gz",
        ]) {
            assert!(is_safe_local_name(&name), "{name}");
            assert!(name.len() <= MAX_NAME_BYTES, "{name}");
        }
    }

    #[test]
    fn unsafe_local_names_are_recognised() {
        for bad in ["../x", "a/b", "", ".x", "CON", "x\0"] {
            assert!(!is_safe_local_name(bad), "{bad}");
        }
    }
}
