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

/// One safe, unique local name per server name, in the same order.
///
/// The name is put in Unicode NFC form; the directory part is dropped (for `/` and `\`), as are
/// control characters, leading dots and trailing dots or spaces; characters Windows refuses become
/// `_`; a Windows device name (`CON`, `nul.json.gz`, `COM¹`, `CONIN$`, …) gets a `_` prefix; a
/// name left empty becomes `part-N.json.gz` (N = its position). A name longer than 250 bytes is cut (at a character boundary, keeping its
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
    if crate::local_files::is_windows_device_name(trimmed) {
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
#[path = "names_tests.rs"]
mod tests;
