//! The writer against `rust_xlsxwriter` 0.102 (what the export used before, and what Excel
//! compatibility was inherited from): the same workbook written by both holds the same parts,
//! byte for byte, in the same order. And its ZIP read back by the `zip` crate, ZIP64 included.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::borrow::Cow;
use std::io::{Cursor, Read, Write};
use std::path::Path;

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet};
use serde_json::Number;

use super::super::cell::{Cell, TextDate};
use super::super::layout::Sheet;
use super::zip::{Archive, Deflated};
use super::{XlsxExport, MAX_ROWS};
use crate::export::ExportError;

/// Text that tests the escaping: entities, control characters, `_xHHHH_` look-alikes, the
/// non-characters, edges that need `xml:space`, and text that looks like a formula.
const HOSTILE: &[&str] = &[
    "plain",
    "Tom & Jerry <b>bold</b> \"quoted\" 'single'",
    "\u{1}\u{8}\u{b}\u{c}\r\u{1f}tab\tline\nend",
    "_x0041_ and _x00zz_ and _x004_ and x0041_ and __x0041__ _X0041_ _x0041",
    "\u{fffe}\u{ffff}\u{fffd}é😀",
    " leading",
    "trailing\n",
    "\ttab",
    "=1+2",
    "@SUM(A1)",
    "0042",
];

fn sheets() -> Vec<Sheet> {
    let columns = |names: &[&str]| names.iter().map(|name| (*name).to_owned()).collect();
    vec![
        Sheet {
            name: "People".into(),
            columns: columns(&["id", "name & <title>", "", "when", "flag", "n"]),
        },
        Sheet {
            name: "Experience".into(),
            columns: columns(&["only"]),
        },
        Sheet {
            name: "Empty".into(),
            columns: Vec::new(),
        },
    ]
}

/// The rows, (sheet, cells): enough for several buffers of the People sheet.
fn rows(numbers: &[Number]) -> Vec<(usize, Vec<Cell<'_>>)> {
    let dates = [
        "2025-01-18",
        "2019-12",
        "1900-01-01",
        "1900-02-28",
        "1900-03-01",
        "9999-12-31",
        "2024-02-29",
    ];
    let mut rows = Vec::new();
    for n in 0..12_000 {
        let text = |s: &'static str| Cell::Text(Cow::Borrowed(s));
        let number = &numbers[n % numbers.len()];
        rows.push((
            0,
            vec![
                Cell::Number(number),
                text(HOSTILE[n % HOSTILE.len()]),
                if n % 3 == 0 { Cell::Empty } else { text("x") },
                text(dates[n % dates.len()]),
                Cell::Bool(n % 2 == 0),
                Cell::Empty,
            ],
        ));
        if n % 1_000 == 7 {
            rows.push((0, vec![Cell::Empty; 6])); // A row with nothing in it.
            rows.push((1, vec![text("one"), text("beyond the header")]));
        }
    }
    rows
}

fn numbers() -> Vec<Number> {
    [
        "0",
        "-3",
        "12345",
        "9007199254740992",
        "9007199254740993",
        "-9007199254740993",
        "18446744073709551615",
        "0.1",
        "1.5e-7",
        "-0.0",
        "1e21",
        "3.14159",
    ]
    .iter()
    .map(|text| serde_json::from_str(text).unwrap())
    .collect()
}

/// The same workbook as the export wrote it with `rust_xlsxwriter` (the code it replaced).
fn reference(path: &Path, sheets: &[Sheet], rows: &[(usize, Vec<Cell<'_>>)]) {
    let mut workbook = Workbook::new();
    workbook.set_zip_compression_level(1);
    let bold = Format::new().set_bold();
    let day = Format::new().set_num_format("yyyy-mm-dd");
    let month = Format::new().set_num_format("yyyy-mm");
    for sheet in sheets {
        let worksheet = workbook.add_worksheet_with_constant_memory().unwrap();
        worksheet.set_name(&sheet.name).unwrap();
        worksheet.set_freeze_panes(1, 0).unwrap();
        for (column, header) in sheet.columns.iter().enumerate() {
            let column = u16::try_from(column).unwrap();
            worksheet.set_column_width(column, 18).unwrap();
            worksheet
                .write_string_with_format(0, column, header, &bold)
                .unwrap();
        }
    }
    let mut next = vec![1u32; sheets.len()];
    for (sheet, cells) in rows {
        let worksheet = workbook.worksheet_from_index(*sheet).unwrap();
        for (column, cell) in cells.iter().enumerate() {
            let column = u16::try_from(column).unwrap();
            reference_cell(worksheet, next[*sheet], column, cell, &day, &month);
        }
        next[*sheet] += 1;
    }
    workbook.save(path).unwrap();
}

fn reference_cell(
    worksheet: &mut Worksheet,
    row: u32,
    column: u16,
    cell: &Cell<'_>,
    day: &Format,
    month: &Format,
) {
    match cell {
        Cell::Empty => {}
        Cell::Bool(flag) => {
            worksheet.write_boolean(row, column, *flag).unwrap();
        }
        Cell::Number(number) => {
            let exact = number.as_i64().map(i64::unsigned_abs).or(number.as_u64());
            match (exact, number.as_f64()) {
                (Some(n), _) if n > 1 << 53 => {
                    worksheet
                        .write_string(row, column, number.to_string())
                        .unwrap();
                }
                (_, Some(value)) => {
                    worksheet.write_number(row, column, value).unwrap();
                }
                (_, None) => unreachable!("every test number is a double"),
            }
        }
        Cell::Text(text) => match TextDate::parse(text) {
            Some(date) => {
                let format = if date.day.is_some() { day } else { month };
                let value =
                    ExcelDateTime::from_ymd(date.year, date.month, date.day.unwrap_or(1)).unwrap();
                worksheet
                    .write_date_with_format(row, column, value, format)
                    .unwrap();
            }
            None => {
                worksheet.write_string(row, column, text.as_ref()).unwrap();
            }
        },
    }
}

/// Every part of a ZIP, in order: (name, bytes).
fn parts(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = ::zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|index| {
            let mut part = archive.by_index(index).unwrap();
            let mut data = Vec::new();
            part.read_to_end(&mut data).unwrap();
            (part.name().unwrap().into_owned(), data)
        })
        .collect()
}

/// The creation time, which differs from one run to the next.
fn without_times(xml: &[u8]) -> String {
    let text = String::from_utf8(xml.to_vec()).unwrap();
    let mut out = String::new();
    for (index, piece) in text.split("W3CDTF\">").enumerate() {
        if index > 0 {
            out.push_str("W3CDTF\">");
            out.push_str(&piece[piece.find('<').unwrap()..]);
        } else {
            out.push_str(piece);
        }
    }
    out
}

#[test]
fn every_part_is_the_one_rust_xlsxwriter_writes() {
    let dir = tempfile::tempdir().unwrap();
    let (numbers, sheets) = (numbers(), sheets());
    let rows = rows(&numbers);
    let ours = dir.path().join("ours.xlsx");
    let mut export = XlsxExport::create(ours.clone(), &sheets).unwrap();
    for (sheet, cells) in &rows {
        export.row(*sheet, cells).unwrap();
    }
    assert_eq!(export.finish().unwrap(), vec![ours.clone()]);
    let theirs = dir.path().join("theirs.xlsx");
    reference(&theirs, &sheets, &rows);

    let ours = parts(&std::fs::read(ours).unwrap());
    let theirs = parts(&std::fs::read(theirs).unwrap());
    let names = |parts: &[(String, Vec<u8>)]| parts.iter().map(|p| p.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&ours), names(&theirs));
    for ((name, mine), (_, reference)) in ours.iter().zip(&theirs) {
        if name == "docProps/core.xml" {
            assert_eq!(without_times(mine), without_times(reference));
        } else {
            let (mine, reference) = (
                String::from_utf8_lossy(mine),
                String::from_utf8_lossy(reference),
            );
            if mine != reference {
                let at = mine
                    .bytes()
                    .zip(reference.bytes())
                    .position(|(a, b)| a != b)
                    .unwrap_or(mine.len().min(reference.len()));
                let from = at.saturating_sub(80);
                panic!(
                    "{name} differs at byte {at}:\n ours:   {:?}\n theirs: {:?}",
                    &mine[from..(at + 80).min(mine.len())],
                    &reference[from..(at + 80).min(reference.len())]
                );
            }
        }
    }
    // The People sheet went to the compressing thread in several buffers.
    let people = &ours[6].1;
    assert!(people.len() > 3 * super::BUFFER, "{} bytes", people.len());
}

#[test]
fn a_sheet_holds_at_most_excels_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rows.xlsx");
    let sheets = [Sheet {
        name: "People".into(),
        columns: vec!["id".into()],
    }];
    let mut export = XlsxExport::create(path, &sheets).unwrap();
    // Empty rows still take their place; the header took row 1.
    for _ in 1..MAX_ROWS {
        export.row(0, &[Cell::Empty]).unwrap();
    }
    let error = export.row(0, &[Cell::Empty]).unwrap_err();
    assert!(matches!(error, ExportError::TooManyRows { ref sheet } if sheet == "People"));
}

#[test]
fn zip64_fields_are_read_back_where_sizes_pass_the_limit() {
    let mut body = tempfile::tempfile().unwrap();
    let text = "row ".repeat(10_000);
    let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), super::deflate::level());
    encoder.write_all(text.as_bytes()).unwrap();
    let packed = encoder.finish().unwrap();
    body.write_all(&packed).unwrap();
    let mut crc = crc32fast::Hasher::new();
    crc.update(text.as_bytes());
    for limit in [0, 100, u64::from(u32::MAX)] {
        let mut zip = Archive::with_limit(Vec::new(), limit);
        zip.part("small.xml", b"<a/>").unwrap();
        let deflated = Deflated {
            head: &[],
            body: Some((&mut body, packed.len() as u64)),
        };
        zip.entry(
            "big.xml",
            crc.clone().finalize(),
            text.len() as u64,
            deflated,
        )
        .unwrap();
        zip.part("last.xml", b"<b/>").unwrap();
        let bytes = zip.finish().unwrap();
        let read = parts(&bytes);
        let expected = [
            ("small.xml", b"<a/>".to_vec()),
            ("big.xml", text.as_bytes().to_vec()),
            ("last.xml", b"<b/>".to_vec()),
        ];
        assert_eq!(read.len(), 3, "limit {limit}");
        for ((name, data), (want_name, want)) in read.iter().zip(expected) {
            assert_eq!((name.as_str(), data), (want_name, &want), "limit {limit}");
        }
        let zip64 = bytes.windows(4).any(|w| w == [0x50, 0x4b, 0x06, 0x06]);
        assert_eq!(
            zip64,
            limit < u64::from(u32::MAX),
            "ZIP64 end record, limit {limit}"
        );
    }
}

/// Sheet names come from the records' own field names (the Full layout): whatever they hold, the
/// names written are ones Excel accepts (checked by `rust_xlsxwriter`'s own rules) and hold no
/// character XML cannot (a control character in `workbook.xml` makes the whole file unreadable).
#[test]
fn hostile_sheet_names_become_names_excel_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("names.xlsx");
    let wanted = [
        format!("{}'ends cut", "x".repeat(30)), // Cut to 31 characters: it would end with '.
        "tab\there, bell\u{7}, \u{fffe}".to_owned(),
        "'quoted'".to_owned(),
        "a:b/c".to_owned(),
        "😀".repeat(20), // 20 characters, 40 as Excel counts them.
        "😀".repeat(20), // The same again: made unique within the limit.
        "Éducation".to_owned(),
        "éducation".to_owned(), // The same name to Excel, which ignores case beyond ASCII too.
    ];
    let sheets: Vec<Sheet> = wanted
        .iter()
        .map(|name| Sheet {
            name: name.clone(),
            columns: vec!["id".into()],
        })
        .collect();
    XlsxExport::create(path.clone(), &sheets)
        .unwrap()
        .finish()
        .unwrap();
    let parts = parts(&std::fs::read(path).unwrap());
    let workbook = String::from_utf8(parts[5].1.clone()).unwrap();
    let names: Vec<&str> = workbook
        .split("<sheet name=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    assert_eq!(names.len(), wanted.len(), "{workbook}");
    let unique: std::collections::HashSet<_> = names.iter().map(|n| n.to_lowercase()).collect();
    assert_eq!(unique.len(), names.len(), "{names:?}");
    for name in names {
        assert!(!name.chars().any(char::is_control), "{name:?}");
        assert!(!name.contains(['\u{fffe}', '\u{ffff}']), "{name:?}");
        let mut check = Workbook::new();
        let result = check.add_worksheet().set_name(name).map(|_| ());
        assert!(result.is_ok(), "{name:?}: {result:?}");
    }
}
