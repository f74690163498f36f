//! Spreadsheets: XLSX written here with rust_xlsxwriter, ODS zipped here by hand, XLS from a
//! checked-in fixture (see fixtures/make_xls.py).

use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};

use super::cells;
use crate::lists::table::read_list_bytes;
use crate::lists::{entries, preview, read_list_file, HeaderChoice, ListValue, ValueKind};

fn xlsx_with_ids_as_numbers() -> Vec<u8> {
    let mut book = Workbook::new();
    // An empty first sheet: the first sheet that has a cell is read.
    book.add_worksheet().set_name("Empty").unwrap();
    let sheet = book.add_worksheet();
    sheet.set_name("Leads").unwrap();
    sheet.write_string(0, 0, "Leads exported 2024").unwrap();
    for (c, name) in ["Name", "Employee ID", "Added", "Active", "Score"]
        .iter()
        .enumerate()
    {
        sheet.write_string(2, c as u16, *name).unwrap();
    }
    let date = Format::new().set_num_format("dd/mm/yyyy");
    sheet.write_string(3, 0, "Jane Doe").unwrap();
    sheet.write_number(3, 1, 123456789.0).unwrap();
    let added = ExcelDateTime::from_ymd(2024, 5, 1).unwrap();
    sheet
        .write_datetime_with_format(3, 2, &added, &date)
        .unwrap();
    sheet.write_boolean(3, 3, true).unwrap();
    sheet.write_number(3, 4, 2.5).unwrap();
    sheet.write_string(4, 0, "John Roe").unwrap();
    sheet.write_number(4, 1, 98765432101.0).unwrap();
    sheet.write_boolean(4, 3, false).unwrap();
    book.save_to_buffer().unwrap()
}

#[test]
fn an_xlsx_reads_whole_float_ids_as_digits_dates_as_iso_and_booleans_as_words() {
    let bytes = xlsx_with_ids_as_numbers();
    let table = read_list_bytes(&bytes, "leads.xlsx", "xlsx").unwrap();
    assert_eq!(table.sheet.as_deref(), Some("Leads"));
    assert_eq!(
        cells(&table),
        vec![
            (1, vec!["Leads exported 2024"]),
            (3, vec!["Name", "Employee ID", "Added", "Active", "Score"]),
            (
                4,
                vec!["Jane Doe", "123456789", "2024-05-01", "TRUE", "2.5"]
            ),
            (5, vec!["John Roe", "98765432101", "", "FALSE"]),
        ]
    );
    assert_eq!(table.total_rows, 5);
}

#[test]
fn an_xlsx_named_csv_is_still_read_as_a_workbook_by_its_content() {
    let bytes = xlsx_with_ids_as_numbers();
    let table = read_list_bytes(&bytes, "renamed.csv", "csv").unwrap();
    assert_eq!(table.sheet.as_deref(), Some("Leads"));
}

#[test]
fn an_xlsx_on_disk_finds_the_header_under_the_title_and_the_id_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("leads.xlsx");
    std::fs::write(&path, xlsx_with_ids_as_numbers()).unwrap();
    let table = read_list_file(&path).unwrap();
    let shown = preview(&table, HeaderChoice::Detect, None);
    assert_eq!(shown.header_row, Some(3));
    assert!(shown.header_detected);
    assert_eq!(shown.chosen, Some(1));
    assert_eq!(shown.columns[1].kind, ValueKind::EmployeeIds);
    let read = entries(&table, HeaderChoice::Detect, 1);
    let values: Vec<_> = read.entries.iter().map(|e| e.value.clone()).collect();
    assert_eq!(
        values,
        vec![ListValue::Id(123456789), ListValue::Id(98765432101)]
    );
}

#[test]
fn an_xls_fixture_from_excel_97_reads_ids_addresses_and_dates() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lists/fixtures/people.xls");
    let table = read_list_file(&path).unwrap();
    assert_eq!(table.sheet.as_deref(), Some("Leads"));
    assert_eq!(
        cells(&table)[1],
        (
            2,
            vec![
                "Jane Doe",
                "123456789",
                "https://www.linkedin.com/in/jane-doe-1a2b3c/",
                "2024-05-01"
            ]
        )
    );
    let shown = preview(&table, HeaderChoice::Detect, None);
    assert_eq!(shown.header_row, Some(1));
    assert_eq!(shown.columns[2].name, "Profile");
    assert_eq!(shown.columns[2].kind, ValueKind::ProfileAddresses);
    // "Employee ID" holding IDs wins over the profile column.
    assert_eq!(shown.chosen, Some(1));
    let read = entries(&table, HeaderChoice::Detect, 2);
    assert_eq!(
        read.entries
            .iter()
            .map(|e| e.value.clone())
            .collect::<Vec<_>>(),
        vec![
            ListValue::ShortName("jane-doe-1a2b3c".to_owned()),
            ListValue::ShortName("zoë-müller".to_owned())
        ]
    );
    assert_eq!(read.problems.len(), 1);
    assert_eq!(read.problems[0].row, 4);
    assert_eq!(read.problems[0].column, "Profile");
}

/// A minimal OpenDocument spreadsheet: a zip of stored entries, `mimetype` first.
fn ods(content_rows: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="People">{content_rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    stored_zip(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet".as_slice(),
        ),
        ("content.xml", content.as_bytes()),
        ("META-INF/manifest.xml", manifest.as_bytes()),
    ])
}

/// A zip whose entries are stored (not compressed).
fn stored_zip(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in files {
        let mut crc = flate2::Crc::new();
        crc.update(data);
        let offset = out.len() as u32;
        let common = |v: &mut Vec<u8>| {
            v.extend_from_slice(&20u16.to_le_bytes()); // version needed
            v.extend_from_slice(&0u16.to_le_bytes()); // flags
            v.extend_from_slice(&0u16.to_le_bytes()); // stored
            v.extend_from_slice(&0u32.to_le_bytes()); // time and date
            v.extend_from_slice(&crc.sum().to_le_bytes());
            v.extend_from_slice(&(data.len() as u32).to_le_bytes());
            v.extend_from_slice(&(data.len() as u32).to_le_bytes());
            v.extend_from_slice(&(name.len() as u16).to_le_bytes());
            v.extend_from_slice(&0u16.to_le_bytes()); // extra
        };
        out.extend_from_slice(b"PK\x03\x04");
        common(&mut out);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        central.extend_from_slice(b"PK\x01\x02");
        central.extend_from_slice(&20u16.to_le_bytes()); // version made by
        common(&mut central);
        central.extend_from_slice(&[0; 6]); // comment, disk, internal attributes
        central.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let start = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

fn text_cell(text: &str) -> String {
    format!(
        r#"<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>"#
    )
}

fn number_cell(value: &str) -> String {
    format!(
        r#"<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>"#
    )
}

#[test]
fn an_ods_zipped_by_hand_reads_numbers_as_ids_and_text_as_written() {
    let row = |cells: &[String]| format!("<table:table-row>{}</table:table-row>", cells.concat());
    let rows = [
        row(&[text_cell("Person LinkedIn URL"), text_cell("Coresignal ID")]),
        row(&[
            text_cell("https://uk.linkedin.com/in/jane-doe/"),
            number_cell("123456789"),
        ]),
        row(&[
            text_cell("linkedin.com/in/john-roe"),
            number_cell("987654321"),
        ]),
    ]
    .concat();
    let bytes = ods(&rows);
    let table = read_list_bytes(&bytes, "people.ods", "ods").unwrap();
    assert_eq!(table.sheet.as_deref(), Some("People"));
    assert_eq!(
        cells(&table),
        vec![
            (1, vec!["Person LinkedIn URL", "Coresignal ID"]),
            (2, vec!["https://uk.linkedin.com/in/jane-doe/", "123456789"]),
            (3, vec!["linkedin.com/in/john-roe", "987654321"]),
        ]
    );
    let shown = preview(&table, HeaderChoice::Detect, None);
    assert_eq!(shown.header_row, Some(1));
    assert_eq!(shown.columns[0].kind, ValueKind::ProfileAddresses);
    assert_eq!(shown.columns[1].kind, ValueKind::EmployeeIds);
}

#[test]
fn a_damaged_workbook_is_refused_with_what_to_do() {
    let mut bytes = xlsx_with_ids_as_numbers();
    bytes.truncate(bytes.len() / 2);
    bytes.extend_from_slice(b"xl/workbook.xml");
    let error = read_list_bytes(&bytes, "broken.xlsx", "xlsx").unwrap_err();
    assert!(error.to_string().contains("could not be read"), "{error}");
    let old = read_list_bytes(b"\xD0\xCF\x11\xE0garbage", "old.xls", "xls").unwrap_err();
    assert!(old.to_string().contains("save it again"), "{old}");
}

#[test]
fn an_xlsx_hyperlink_formula_showing_a_name_is_read_as_its_address() {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Person").unwrap();
    let link = Formula::new(r#"=HYPERLINK("https://www.linkedin.com/in/jane-doe/","Jane Doe")"#)
        .set_result("Jane Doe");
    sheet.write_formula(1, 0, link).unwrap();
    sheet
        .write_string(2, 0, "linkedin.com/in/john-roe")
        .unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let table = read_list_bytes(&bytes, "links.xlsx", "xlsx").unwrap();
    assert_eq!(
        table.rows[1].cells,
        vec!["https://www.linkedin.com/in/jane-doe/"]
    );
    let read = entries(&table, HeaderChoice::Detect, 0);
    assert_eq!(read.header_row, Some(1));
    assert_eq!(read.entries.len(), 2);
}

#[test]
fn an_xlsx_with_two_cells_a_whole_sheet_apart_is_refused_in_words_not_a_crash() {
    // A1 and a cell near the sheet's far corner: a reader that fills every cell between them
    // would need billions of cells.
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "LinkedIn").unwrap();
    sheet.write_string(1, 0, "jane-doe-1a2b3c").unwrap();
    sheet.write_string(999_990, 16_000, "x").unwrap();
    let bytes = workbook.save_to_buffer().unwrap();
    let error = read_list_bytes(&bytes, "far.xlsx", "xlsx").unwrap_err();
    assert!(
        matches!(error, crate::lists::ListError::TooSpread { .. }),
        "{error}"
    );
    assert!(
        error
            .to_string()
            .contains("999,991 rows and 16,001 columns"),
        "{error}"
    );
}
