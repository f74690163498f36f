//! One worksheet's XML, written cell by cell into a buffer exactly as `rust_xlsxwriter` writes a
//! constant-memory sheet (inline strings, the same escaping, the same number text), so the parts
//! Excel reads are the ones that library has been tested against. The part is split in two: the
//! head (which names the sheet's used range, known only at the end) and the body (the rows).

use std::fmt::Write as _;

use serde_json::Number;

use super::super::cell::{Cell, TextDate};
use crate::lists::column_letters;

/// The largest integer an Excel number (a double) holds exactly; larger ones are written as text.
const EXACT_INTEGER: u64 = 1 << 53;

/// Style indexes in `styles.xml` (see `parts::STYLES`).
const BOLD: u8 = 1;
const DAY: u8 = 2;
const MONTH: u8 = 3;

/// The rows of one sheet being written, and what its head needs to know about them.
pub(super) struct SheetXml {
    /// Column letters (`A`, `B`, … `AA`), one per column.
    letters: Vec<String>,
    /// The row being written (1-based, as in the XML), as text.
    row: itoa::Buffer,
    /// Columns given a width (the header's).
    widths: usize,
    /// The 0-based index of the last row and the last column that hold a cell (`None`: none yet).
    last_row: Option<u32>,
    last_column: usize,
}

impl SheetXml {
    /// A sheet with `columns` columns.
    pub(super) fn new(columns: usize) -> Self {
        Self {
            letters: (0..columns).map(column_letters).collect(),
            row: itoa::Buffer::new(),
            widths: columns,
            last_row: None,
            last_column: 0,
        }
    }

    /// Appends row `index` (0-based) to `out`; nothing when every cell is empty.
    pub(super) fn row(&mut self, out: &mut Vec<u8>, index: u32, cells: &[Cell<'_>]) {
        let Some(last) = cells.iter().rposition(|cell| !is_blank(cell)) else {
            return;
        };
        self.last_row = Some(index);
        self.last_column = self.last_column.max(last);
        while self.letters.len() < cells.len() {
            self.letters.push(column_letters(self.letters.len()));
        }
        let row = self.row.format(index + 1);
        out.extend_from_slice(b"<row r=\"");
        out.extend_from_slice(row.as_bytes());
        out.extend_from_slice(b"\">");
        for (cell, letters) in cells.iter().zip(&self.letters) {
            let at = CellAt { letters, row };
            at.write(out, cell);
        }
        out.extend_from_slice(b"</row>");
    }

    /// Appends the header row (bold) to `out`.
    pub(super) fn header(&mut self, out: &mut Vec<u8>, names: &[&str]) {
        if names.is_empty() {
            return;
        }
        self.last_row = Some(0);
        self.last_column = names.len() - 1;
        out.extend_from_slice(b"<row r=\"1\">");
        for (name, letters) in names.iter().zip(&self.letters) {
            let at = CellAt { letters, row: "1" };
            if name.is_empty() {
                at.open(out, Some(BOLD), None);
                out.extend_from_slice(b"/>"); // A blank cell, bold like its neighbours.
            } else {
                at.text(out, name, Some(BOLD));
            }
        }
        out.extend_from_slice(b"</row>");
    }

    /// The part's head: everything before the rows. `first` is the sheet shown on opening.
    pub(super) fn head(&self, first: bool) -> String {
        let mut head = String::from(concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
            "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" ",
            "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">",
        ));
        match self.last_row {
            Some(row) if row > 0 || self.last_column > 0 => {
                let column = column_letters(self.last_column);
                let _ = write!(head, "<dimension ref=\"A1:{column}{}\"/>", row + 1);
            }
            _ => head.push_str("<dimension ref=\"A1\"/>"),
        }
        head.push_str(if first {
            "<sheetViews><sheetView tabSelected=\"1\" workbookViewId=\"0\">"
        } else {
            "<sheetViews><sheetView workbookViewId=\"0\">"
        });
        head.push_str(concat!(
            "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>",
            "<selection pane=\"bottomLeft\"/></sheetView></sheetViews>",
            "<sheetFormatPr defaultRowHeight=\"15\"/>",
        ));
        if self.widths > 0 {
            // Width 18 characters, in Excel's units for the default font.
            let _ = write!(
                head,
                "<cols><col min=\"1\" max=\"{}\" width=\"18.7109375\" customWidth=\"1\"/></cols>",
                self.widths
            );
        }
        head.push_str(if self.last_row.is_some() {
            "<sheetData>"
        } else {
            "<sheetData/>"
        });
        head
    }

    /// Appends the part's end, after the rows, to `out`.
    pub(super) fn tail(&self, out: &mut Vec<u8>) {
        if self.last_row.is_some() {
            out.extend_from_slice(b"</sheetData>");
        }
        out.extend_from_slice(
            concat!(
                "<pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" ",
                "header=\"0.3\" footer=\"0.3\"/></worksheet>"
            )
            .as_bytes(),
        );
    }
}

/// Where a cell goes: its column letters and row number.
struct CellAt<'a> {
    letters: &'a str,
    row: &'a str,
}

impl CellAt<'_> {
    fn write(&self, out: &mut Vec<u8>, cell: &Cell<'_>) {
        match cell {
            _ if is_blank(cell) => {}
            Cell::Empty => {}
            Cell::Bool(flag) => {
                self.open(out, None, Some("b"));
                out.extend_from_slice(if *flag {
                    b"><v>1</v></c>"
                } else {
                    b"><v>0</v></c>"
                });
            }
            Cell::Number(number) => self.number(out, number),
            Cell::Text(text) => match TextDate::parse(text) {
                Some(date) => {
                    let style = if date.day.is_some() { DAY } else { MONTH };
                    self.open(out, Some(style), None);
                    out.extend_from_slice(b"><v>");
                    out.extend_from_slice(itoa::Buffer::new().format(serial(date)).as_bytes());
                    out.extend_from_slice(b"</v></c>");
                }
                None => self.text(out, text, None),
            },
        }
    }

    /// `<c r="B7"` with its style and type; the caller closes the tag.
    fn open(&self, out: &mut Vec<u8>, style: Option<u8>, kind: Option<&str>) {
        out.extend_from_slice(b"<c r=\"");
        out.extend_from_slice(self.letters.as_bytes());
        out.extend_from_slice(self.row.as_bytes());
        out.push(b'"');
        if let Some(style) = style {
            out.extend_from_slice(b" s=\"");
            out.push(b'0' + style);
            out.push(b'"');
        }
        if let Some(kind) = kind {
            out.extend_from_slice(b" t=\"");
            out.extend_from_slice(kind.as_bytes());
            out.push(b'"');
        }
    }

    fn number(&self, out: &mut Vec<u8>, number: &Number) {
        let exact = number.as_i64().map(i64::unsigned_abs).or(number.as_u64());
        let mut integer = itoa::Buffer::new();
        let mut float = String::new();
        let value: &str = match (exact, number.as_f64()) {
            (Some(n), _) if n > EXACT_INTEGER => return self.text(out, &number.to_string(), None),
            (Some(_), _) => match number.as_i64() {
                Some(n) => integer.format(n),
                None => integer.format(number.as_u64().unwrap_or_default()),
            },
            (_, Some(value)) if value.is_nan() => return self.text(out, "NAN", None),
            (_, Some(value)) if value.is_infinite() => {
                let text = if value > 0.0 { "INF" } else { "-INF" };
                return self.text(out, text, None);
            }
            (_, Some(value)) => {
                // Rust's shortest round-trip form, as `rust_xlsxwriter` writes it.
                let _ = write!(float, "{value}");
                &float
            }
            (_, None) => return self.text(out, &number.to_string(), None),
        };
        self.open(out, None, None);
        out.extend_from_slice(b"><v>");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"</v></c>");
    }

    /// An inline string: never a formula, whatever it starts with.
    fn text(&self, out: &mut Vec<u8>, text: &str, style: Option<u8>) {
        self.open(out, style, Some("inlineStr"));
        let edge = |c: char| matches!(c, '\t' | '\n' | ' ');
        if text.starts_with(edge) || text.ends_with(edge) {
            out.extend_from_slice(b"><is><t xml:space=\"preserve\">");
        } else {
            out.extend_from_slice(b"><is><t>");
        }
        escape(out, text, true);
        out.extend_from_slice(b"</t></is></c>");
    }
}

/// Appends `text` as XML character data, as `rust_xlsxwriter` (and Excel) write it: `&`, `<` and
/// `>` as entities; the control characters XML cannot hold (all below U+0020 but tab and line
/// feed) and the non-characters U+FFFE and U+FFFF as `_xHHHH_`; and, so that such an escape in
/// the text itself is read back as written, the `_` that starts one (`_x0041_`) as `_x005F`
/// (when `underscores`: in cells, not in the names of `docProps/app.xml`).
pub(super) fn escape(out: &mut Vec<u8>, text: &str, underscores: bool) {
    let bytes = text.as_bytes();
    let mut plain = 0; // Start of the run not yet copied.
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        if !NOTABLE[usize::from(byte)] {
            at += 1;
            continue;
        }
        let (replacement, width): (&[u8], usize) = match byte {
            b'&' => (b"&amp;", 1),
            b'<' => (b"&lt;", 1),
            b'>' => (b"&gt;", 1),
            b'_' if underscores && is_escape_like(&bytes[at..]) => (b"_x005F_", 1),
            0..=0x1f => (&CONTROL[usize::from(byte)], 1),
            0xef => match bytes.get(at + 1..at + 3) {
                Some([0xbf, 0xbe]) => (b"_xFFFE_", 3),
                Some([0xbf, 0xbf]) => (b"_xFFFF_", 3),
                _ => (&[], 0),
            },
            _ => (&[], 0),
        };
        if width == 0 {
            at += 1;
            continue;
        }
        out.extend_from_slice(&bytes[plain..at]);
        out.extend_from_slice(replacement);
        at += width;
        plain = at;
    }
    out.extend_from_slice(&bytes[plain..]);
}

/// Bytes that may need escaping: `&`, `<`, `>`, `_`, the control characters but tab and line
/// feed, and the first byte of U+FFFE and U+FFFF.
const NOTABLE: [bool; 256] = {
    let mut notable = [false; 256];
    let mut byte = 0;
    while byte < 0x20 {
        notable[byte] = byte != 0x09 && byte != 0x0a;
        byte += 1;
    }
    notable[b'&' as usize] = true;
    notable[b'<' as usize] = true;
    notable[b'>' as usize] = true;
    notable[b'_' as usize] = true;
    notable[0xef] = true;
    notable
};

/// `_x0000_` … `_x001F_` for the control characters.
const CONTROL: [[u8; 7]; 32] = {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let mut control = [[0u8; 7]; 32];
    let mut byte = 0;
    while byte < 32 {
        control[byte] = [
            b'_',
            b'x',
            b'0',
            b'0',
            DIGITS[byte >> 4],
            DIGITS[byte & 0xf],
            b'_',
        ];
        byte += 1;
    }
    control
};

/// A cell that writes nothing (an empty text is no cell, as in `rust_xlsxwriter`).
fn is_blank(cell: &Cell<'_>) -> bool {
    match cell {
        Cell::Empty => true,
        Cell::Text(text) => text.is_empty(),
        Cell::Number(_) | Cell::Bool(_) => false,
    }
}

/// `_xHHHH_` with four hexadecimal digits.
fn is_escape_like(bytes: &[u8]) -> bool {
    matches!(bytes.get(..7), Some([b'_', b'x', h @ .., b'_']) if h.iter().all(u8::is_ascii_hexdigit))
}

/// Excel's serial number of a date: days since 1899-12-31, counting the 29 February 1900 that
/// Excel (after Lotus 1-2-3) believes in, so dates from March 1900 on are one more.
fn serial(date: TextDate) -> i32 {
    let day = time::Month::try_from(date.month)
        .ok()
        .and_then(|month| {
            time::Date::from_calendar_date(i32::from(date.year), month, date.day.unwrap_or(1)).ok()
        })
        .map_or(0, time::Date::to_julian_day);
    // TextDate::parse only lets real dates from 1900 on through; 2,415,020 is 1899-12-31.
    let days = day - 2_415_020;
    if days >= 60 {
        days + 1
    } else {
        days
    }
}
