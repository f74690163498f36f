//! One spreadsheet cell, borrowed from a record where it can be, and the rules every format
//! shares: how JSON values become cells, and Excel's 32,767-character limit.

use std::borrow::Cow;
use std::fmt::Write as _;

use serde_json::Number;

use super::value::Val;

/// Excel's limit for one cell, in UTF-16 code units (what Excel counts).
pub const CELL_LIMIT: usize = 32_767;

/// What ends a value that was cut to fit [`CELL_LIMIT`].
pub const CUT_MARKER: &str = "… [cut]";

/// Joins the items of a list of plain values (skills, regions) in one cell.
pub const LIST_SEPARATOR: &str = "; ";

/// One cell of an export row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell<'a> {
    /// Nothing (JSON `null` or a missing field).
    Empty,
    /// A JSON number, written as the service sent it.
    Number(&'a Number),
    /// A JSON boolean.
    Bool(bool),
    /// Text, already cut to [`CELL_LIMIT`].
    Text(Cow<'a, str>),
}

impl<'a> Cell<'a> {
    /// The cell for a JSON value: lists of plain values joined with [`LIST_SEPARATOR`], objects
    /// and lists of objects as compact JSON (nothing is dropped).
    pub(crate) fn from_value(value: Option<&'a Val<'_>>) -> Self {
        match value {
            None | Some(Val::Null) => Cell::Empty,
            Some(Val::Bool(flag)) => Cell::Bool(*flag),
            Some(Val::Number(number)) => Cell::Number(number),
            Some(Val::String(text)) => Cell::text(Cow::Borrowed(text)),
            Some(Val::Array(items)) if items.is_empty() => Cell::Empty,
            Some(Val::Array(items)) if items.iter().all(is_plain) => {
                let mut joined = String::new();
                for (index, item) in items.iter().enumerate() {
                    if index > 0 {
                        joined.push_str(LIST_SEPARATOR);
                    }
                    push_plain(&mut joined, item);
                }
                Cell::text(Cow::Owned(joined))
            }
            Some(other) => Cell::text(Cow::Owned(serde_json::to_string(other).unwrap_or_default())),
        }
    }

    /// A text cell, cut to [`CELL_LIMIT`] with [`CUT_MARKER`].
    pub(crate) fn text(text: Cow<'a, str>) -> Self {
        if text.is_empty() {
            return Cell::Empty;
        }
        Cell::Text(cut_to_limit(text))
    }
}

fn is_plain(value: &Val<'_>) -> bool {
    !matches!(value, Val::Array(_) | Val::Object(_))
}

fn push_plain(out: &mut String, value: &Val<'_>) {
    match value {
        Val::String(text) => out.push_str(text),
        Val::Null => {}
        Val::Bool(flag) => {
            let _ = write!(out, "{flag}");
        }
        Val::Number(number) => {
            let _ = write!(out, "{number}");
        }
        nested => out.push_str(&serde_json::to_string(nested).unwrap_or_default()),
    }
}

/// `text`, or its beginning followed by [`CUT_MARKER`] when it is longer than Excel allows.
pub(crate) fn cut_to_limit(text: Cow<'_, str>) -> Cow<'_, str> {
    // UTF-16 units never outnumber UTF-8 bytes, so short text needs no counting.
    if text.len() <= CELL_LIMIT || text.encode_utf16().count() <= CELL_LIMIT {
        return text;
    }
    let room = CELL_LIMIT - CUT_MARKER.encode_utf16().count();
    let mut units = 0;
    let mut end = 0;
    for (at, character) in text.char_indices() {
        if units + character.len_utf16() > room {
            break;
        }
        units += character.len_utf16();
        end = at + character.len_utf8();
    }
    Cow::Owned(format!("{}{CUT_MARKER}", &text[..end]))
}

/// A calendar date written as text by the service: `yyyy-mm-dd`, or `yyyy-mm` (the first of the
/// month; shown as `yyyy-mm`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TextDate {
    pub year: u16,
    pub month: u8,
    /// `None` for a `yyyy-mm` month.
    pub day: Option<u8>,
}

impl TextDate {
    /// Recognises exactly `yyyy-mm-dd` or `yyyy-mm` with a real month and day; anything else is
    /// not a date.
    pub(crate) fn parse(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        let digits = |range: std::ops::Range<usize>| -> Option<u32> {
            let part = bytes.get(range)?;
            part.iter().all(u8::is_ascii_digit).then(|| {
                part.iter()
                    .fold(0u32, |total, digit| total * 10 + u32::from(digit - b'0'))
            })
        };
        if !(bytes.len() == 7 || bytes.len() == 10) || bytes[4] != b'-' {
            return None;
        }
        let year = u16::try_from(digits(0..4)?).ok()?;
        let month = u8::try_from(digits(5..7)?).ok()?;
        let month_value = time::Month::try_from(month).ok()?;
        if year < 1900 {
            return None; // Excel's dates start in 1900.
        }
        let day = if bytes.len() == 10 {
            if bytes[7] != b'-' {
                return None;
            }
            let day = u8::try_from(digits(8..10)?).ok()?;
            time::Date::from_calendar_date(i32::from(year), month_value, day).ok()?;
            Some(day)
        } else {
            None
        };
        Some(Self { year, month, day })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_become_cells_without_losing_anything() {
        let text = json!({"n": 5, "s": "x", "list": ["a", 2, null], "objects": [{"a": 1}], "o": {"b": true}, "e": [], "z": null}).to_string();
        let (value, _) = crate::export::value::parse_record(&text, Default::default()).unwrap();
        let cell = |key: &str| Cell::from_value(value.get(key));
        assert_eq!(cell("n"), Cell::Number(&Number::from(5)));
        assert_eq!(cell("s"), Cell::Text("x".into()));
        assert_eq!(cell("list"), Cell::Text("a; 2; ".into()));
        assert_eq!(cell("objects"), Cell::Text(r#"[{"a":1}]"#.into()));
        assert_eq!(cell("o"), Cell::Text(r#"{"b":true}"#.into()));
        assert_eq!(cell("e"), Cell::Empty);
        assert_eq!(cell("z"), Cell::Empty);
        assert_eq!(cell("missing"), Cell::Empty);
    }

    #[test]
    fn long_text_is_cut_to_excels_limit_with_a_marker() {
        let long = "é".repeat(40_000);
        let Cell::Text(cut) = Cell::text(Cow::Owned(long)) else {
            panic!("text expected")
        };
        assert_eq!(cut.encode_utf16().count(), CELL_LIMIT);
        assert!(cut.ends_with(CUT_MARKER));
        // A character outside the BMP counts twice and is never split.
        let emoji = "😀".repeat(20_000);
        let Cell::Text(cut) = Cell::text(Cow::Owned(emoji)) else {
            panic!("text expected")
        };
        assert!(cut.encode_utf16().count() <= CELL_LIMIT);
        assert!(cut.ends_with(CUT_MARKER));
        let exact = "a".repeat(CELL_LIMIT);
        assert_eq!(cut_to_limit(Cow::Borrowed(&exact)).len(), CELL_LIMIT);
    }

    #[test]
    fn only_real_dates_are_dates() {
        let day = TextDate::parse("2025-01-18");
        assert_eq!(
            day,
            Some(TextDate {
                year: 2025,
                month: 1,
                day: Some(18)
            })
        );
        assert_eq!(TextDate::parse("2019-12").and_then(|d| d.day), None);
        assert!(TextDate::parse("2019-12").is_some());
        for not_a_date in [
            "2025-02-30",
            "2025-13",
            "2025-1-18",
            "20250118",
            "1850-01",
            "2025-01-18 ",
            "abcd-ef",
        ] {
            assert_eq!(TextDate::parse(not_a_date), None, "{not_a_date}");
        }
    }
}
