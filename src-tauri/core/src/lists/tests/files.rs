//! Text files and pasted cells: delimiters, quotes, line breaks, encodings, refusals.

use super::{cells, text_table};
use crate::error::{ErrorCode, UserError};
use crate::lists::table::read_list_bytes;
use crate::lists::{read_list_file, read_pasted, ListError, MAX_ROWS};

#[test]
fn a_crm_csv_keeps_quoted_commas_and_a_multi_line_note_in_their_cells() {
    let csv = "First name,Last name,Company,LinkedIn URL,CRM id,Notes\r\n\
               Jane,Doe,Acme,https://www.linkedin.com/in/jane-doe-1a2b3c/,1001,\"Met in Berlin, liked it\"\r\n\
               John,Roe,\"Globex, Inc.\",linkedin.com/in/john-roe,1002,\"Call back\r\nin May\"\r\n\
               Ann,Lee,Initech,,1003,\r\n";
    let table = text_table("crm.csv", csv);
    assert_eq!(table.source, "crm.csv");
    assert_eq!(table.sheet, None);
    assert_eq!(
        cells(&table),
        vec![
            (
                1,
                vec![
                    "First name",
                    "Last name",
                    "Company",
                    "LinkedIn URL",
                    "CRM id",
                    "Notes"
                ]
            ),
            (
                2,
                vec![
                    "Jane",
                    "Doe",
                    "Acme",
                    "https://www.linkedin.com/in/jane-doe-1a2b3c/",
                    "1001",
                    "Met in Berlin, liked it"
                ]
            ),
            (
                3,
                vec![
                    "John",
                    "Roe",
                    "Globex, Inc.",
                    "linkedin.com/in/john-roe",
                    "1002",
                    "Call back\nin May"
                ]
            ),
            // The multi-line note took lines 3 and 4: this row starts on line 5.
            (5, vec!["Ann", "Lee", "Initech", "", "1003", ""]),
        ]
    );
    assert_eq!(table.total_rows, 5);
}

#[test]
fn a_tsv_splits_at_tabs_even_with_commas_in_cells() {
    let table = text_table(
        "people.tsv",
        "Name\tEmployee ID\tCity\nDoe, Jane\t123456789\tBerlin, DE\n",
    );
    assert_eq!(
        cells(&table),
        vec![
            (1, vec!["Name", "Employee ID", "City"]),
            (2, vec!["Doe, Jane", "123456789", "Berlin, DE"]),
        ]
    );
}

#[test]
fn semicolons_and_pipes_are_found_as_delimiters() {
    let semicolons = text_table("eu.csv", "Name;ID\nJane;123456789\nJohn;987654321\n");
    assert_eq!(cells(&semicolons)[1], (2, vec!["Jane", "123456789"]));
    let pipes = text_table("pipes.txt", "Name|ID\nJane|123456789\n");
    assert_eq!(cells(&pipes)[1], (2, vec!["Jane", "123456789"]));
}

#[test]
fn a_one_column_txt_of_ids_with_an_id_header_is_one_column() {
    let table = text_table("ids.txt", "\u{feff}id\n123456789\n\n987654321\r\n");
    assert_eq!(
        cells(&table),
        vec![
            (1, vec!["id"]),
            (2, vec!["123456789"]),
            (4, vec!["987654321"])
        ]
    );
    assert_eq!(table.total_rows, 4);
}

#[test]
fn old_mac_line_endings_and_rows_of_any_width_are_kept() {
    let table = text_table("mac.csv", "a,b,c\r1,2\r3,4,5,6\r");
    assert_eq!(
        cells(&table),
        vec![
            (1, vec!["a", "b", "c"]),
            (2, vec!["1", "2"]),
            (3, vec!["3", "4", "5", "6"])
        ]
    );
}

#[test]
fn windows_1252_text_is_read_instead_of_refused() {
    let bytes = b"Name,ID\nZo\xEB M\xFCller,123456789\n";
    let table = read_list_bytes(bytes, "latin.csv", "csv").unwrap();
    assert_eq!(table.rows[1].cells, vec!["Zoë Müller", "123456789"]);
}

#[test]
fn a_file_mixing_utf8_and_other_bytes_is_refused_naming_the_line() {
    let mut mixed = "Name,ID\nZoë,123456789\n".as_bytes().to_vec();
    mixed.extend_from_slice(b"M\xFCller,987654321\n");
    let error = read_list_bytes(&mixed, "mixed.csv", "csv").unwrap_err();
    assert!(matches!(error, ListError::NotUtf8 { line: 3 }), "{error:?}");
    assert!(error.to_string().contains("Line 3"), "{error}");
}

#[test]
fn cells_pasted_from_excel_are_tab_separated_with_crlf() {
    let table = read_pasted("Name\tLinkedIn\r\nJane\thttps://www.linkedin.com/in/jane\r\n\r\nJohn\tlinkedin.com/in/john-roe\r\n").unwrap();
    assert_eq!(table.source, "Pasted cells");
    assert_eq!(
        cells(&table),
        vec![
            (1, vec!["Name", "LinkedIn"]),
            (2, vec!["Jane", "https://www.linkedin.com/in/jane"]),
            (4, vec!["John", "linkedin.com/in/john-roe"]),
        ]
    );
}

#[test]
fn a_pasted_cell_with_a_line_break_arrives_quoted_and_stays_one_cell() {
    let table = read_pasted("Note\tID\n\"two\nlines\"\t123456789\n").unwrap();
    assert_eq!(table.rows[1].cells, vec!["two\nlines", "123456789"]);
}

#[test]
fn a_pasted_single_column_is_one_value_per_line() {
    let table = read_pasted("jane-doe\nlinkedin.com/in/john-roe\n123456789").unwrap();
    assert_eq!(
        cells(&table),
        vec![
            (1, vec!["jane-doe"]),
            (2, vec!["linkedin.com/in/john-roe"]),
            (3, vec!["123456789"])
        ]
    );
}

#[test]
fn a_comma_list_pasted_on_one_line_becomes_one_value_per_row() {
    let table = read_pasted("123456789, 987654321 ,jane-doe-1a2b3c,").unwrap();
    assert_eq!(
        cells(&table),
        vec![
            (1, vec!["123456789"]),
            (2, vec!["987654321"]),
            (3, vec!["jane-doe-1a2b3c"])
        ]
    );
}

#[test]
fn blank_pastes_and_files_are_refused_as_empty() {
    assert!(matches!(read_pasted(" \n\t\n"), Err(ListError::Empty)));
    assert!(matches!(
        read_list_bytes(b"\n,,\n", "blank.csv", "csv"),
        Err(ListError::Empty)
    ));
    assert!(matches!(
        read_list_bytes(b"", "empty.csv", "csv"),
        Err(ListError::Empty)
    ));
}

#[test]
fn pdf_gzip_utf16_and_binary_files_are_refused_in_plain_words() {
    let refused = |bytes: &[u8]| read_list_bytes(bytes, "list.csv", "csv").unwrap_err();
    let pdf = refused(b"%PDF-1.7 ...");
    assert!(
        pdf.to_string().contains("a PDF document, not a list"),
        "{pdf}"
    );
    let gz = refused(b"\x1F\x8B\x08\x00rest");
    assert!(gz.to_string().contains("compressed file"), "{gz}");
    assert!(matches!(refused(b"\xFF\xFEi\0d\0"), ListError::Utf16));
    assert!(matches!(refused(b"i\0d\0\n\x001\0"), ListError::Utf16));
    let binary = refused(b"abc\0def");
    assert!(binary.to_string().contains("binary file"), "{binary}");
    let zip = refused(b"PK\x03\x04word/document.xml");
    assert!(zip.to_string().contains("not a spreadsheet"), "{zip}");
    let numbers = refused(b"PK\x03\x04Index/Document.iwa");
    assert!(numbers.to_string().contains("Apple Numbers"), "{numbers}");
}

#[test]
fn errors_become_the_user_error_shape_with_codes() {
    let empty: UserError = ListError::Empty.into();
    assert_eq!(empty.code, ErrorCode::InvalidIdFile);
    assert!(empty.message.contains("nothing in this list"));
    let missing = read_list_file(std::path::Path::new("/nonexistent/list.csv")).unwrap_err();
    assert_eq!(UserError::from(missing).code, ErrorCode::Io);
}

#[test]
fn a_file_over_50_mb_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.csv");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(crate::ids::MAX_FILE_BYTES + 1).unwrap();
    let error = read_list_file(&path).unwrap_err();
    assert!(matches!(error, ListError::TooLarge { .. }));
    assert!(error.to_string().contains("at most 50.0 MB"), "{error}");
}

#[test]
fn more_than_a_million_rows_are_refused() {
    let text = "1\n".repeat(MAX_ROWS + 1);
    assert!(matches!(read_pasted(&text), Err(ListError::TooManyRows)));
    let fits = "1\n".repeat(10);
    assert_eq!(read_pasted(&fits).unwrap().rows.len(), 10);
}

#[test]
fn a_file_on_disk_is_named_by_its_file_name_without_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("my list.csv");
    std::fs::write(&path, "id\n123456789\n").unwrap();
    let table = read_list_file(&path).unwrap();
    assert_eq!(table.source, "my list.csv");
}

#[test]
fn a_row_of_cells_pasted_on_one_line_becomes_one_value_per_row() {
    let table = read_pasted("123456789\t987654321\tjane-doe\r\n").unwrap();
    assert_eq!(
        cells(&table),
        vec![
            (1, vec!["123456789"]),
            (2, vec!["987654321"]),
            (3, vec!["jane-doe"])
        ]
    );
}

#[test]
fn more_than_a_million_values_pasted_on_one_line_are_refused() {
    let line = "1,".repeat(MAX_ROWS + 1);
    assert!(matches!(read_pasted(&line), Err(ListError::TooManyRows)));
    assert_eq!(read_pasted(&"1,".repeat(10)).unwrap().rows.len(), 10);
}
