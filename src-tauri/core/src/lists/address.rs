//! Web addresses as people paste them: cleaning a cell, splitting host and path, LinkedIn short
//! names (percent-decoded, lower-case, NFC).

use unicode_normalization::UnicodeNormalization;

/// A cell without what wraps a value: spaces, `=HYPERLINK("…", "…")`, `<…>`, surrounding quotes.
pub(super) fn clean(text: &str) -> &str {
    // Zero-width spaces and marks come along when addresses are copied from web pages.
    let mut value = text.trim_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
            )
    });
    if let Some(url) = hyperlink_target(value) {
        value = url;
    }
    loop {
        let before = value;
        for (open, close) in [('<', '>'), ('"', '"'), ('\'', '\''), ('“', '”'), ('(', ')')] {
            if let Some(inner) = value
                .strip_prefix(open)
                .and_then(|rest| rest.strip_suffix(close))
            {
                value = inner.trim();
            }
        }
        if value == before {
            return value;
        }
    }
}

/// The address in an Excel `=HYPERLINK("address", "label")` (`;` in some languages).
pub(super) fn hyperlink_target(value: &str) -> Option<&str> {
    let head = value.get(..11)?;
    if !head.eq_ignore_ascii_case("=hyperlink(") {
        return None;
    }
    let rest = value[11..].trim_start().strip_prefix('"')?;
    rest.split('"').next().map(str::trim)
}

/// An Excel error shown in a cell (`#N/A`), with the reason to give.
pub(super) fn excel_error(value: &str) -> Option<String> {
    const ERRORS: [&str; 8] = [
        "#N/A", "#REF!", "#VALUE!", "#NAME?", "#DIV/0!", "#NULL!", "#NUM!", "#DATA!",
    ];
    ERRORS
        .iter()
        .any(|e| value.eq_ignore_ascii_case(e))
        .then(|| {
            format!(
                "The cell shows the spreadsheet error {value} instead of a value: fix the \
                 formula in the spreadsheet, or type the value, and read the list again."
            )
        })
}

/// An address split into its host (lower case, without `www.` or port; empty when the text starts
/// at the path) and its path segments (without query string or fragment).
pub(super) struct Address {
    pub host: String,
    pub segments: Vec<String>,
}

/// Splits `text` as a web address when it looks like one: a scheme, `www.`, a leading `/`, or a
/// host with a dot before the first `/`. `Err` names another scheme (mailto:, ftp:).
pub(super) fn split(text: &str) -> Option<Result<Address, String>> {
    let lower = text.to_ascii_lowercase();
    let rest = if let Some(i) = lower.find("://") {
        let scheme = &lower[..i];
        if scheme != "http" && scheme != "https" {
            return Some(Err(scheme.to_owned()));
        }
        &text[i + 3..]
    } else if lower.starts_with("mailto:") {
        return Some(Err("mailto".to_owned()));
    } else {
        text
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (host, path) = rest.split_at(end);
    let is_address = rest.len() != text.len()
        || host.is_empty() && path.starts_with('/')
        || (host.contains('.') && !host.contains(char::is_whitespace) && !host.contains('@'));
    if !is_address {
        return None;
    }
    let host = host.to_ascii_lowercase();
    let host = host.split(':').next().unwrap_or_default();
    let host = host.strip_prefix("www.").unwrap_or(host).to_owned();
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let segments = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    Some(Ok(Address { host, segments }))
}

/// linkedin.com or one of its country subdomains (de.linkedin.com, uk.linkedin.com).
pub(super) fn is_linkedin(host: &str) -> bool {
    host == "linkedin.com" || host.ends_with(".linkedin.com")
}

/// A short name from an address or a cell: percent-decoded, NFC, lower-case, checked to look like
/// LinkedIn's (letters of any script, digits and hyphens, 3 to 100 of them).
pub(super) fn short_name(raw: &str) -> Result<String, String> {
    let decoded = percent_decode(raw).ok_or_else(|| {
        "The address holds a broken character code (a % not followed by a valid UTF-8 \
         sequence): copy the address again from the browser's address bar."
            .to_owned()
    })?;
    let name: String = decoded.nfc().collect::<String>().to_lowercase();
    let length = name.chars().count();
    if !name.chars().all(|c| c.is_alphanumeric() || c == '-') {
        return Err(format!(
            "\"{name}\" cannot be a LinkedIn short name: those hold only letters, digits and \
             hyphens. Use the person's profile address (linkedin.com/in/…) or employee ID."
        ));
    }
    if !(3..=100).contains(&length) {
        return Err(format!(
            "\"{name}\" is too {} to be a LinkedIn short name (3 to 100 letters, digits or \
             hyphens). Use the person's profile address (linkedin.com/in/…) or employee ID.",
            if length < 3 { "short" } else { "long" }
        ));
    }
    Ok(name)
}

/// `%C3%AB` → `ë`; `None` when the bytes are not UTF-8. A `%` without two hex digits stays as is.
pub(super) fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}
