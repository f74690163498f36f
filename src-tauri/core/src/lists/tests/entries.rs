//! The chosen column read row by row: usable entries in order, duplicates kept, every bad row
//! named by row and column.

use super::{table, text_table};
use crate::lists::{entries, HeaderChoice, ListValue, RowProblem};

#[test]
fn a_mixed_column_gives_entries_problems_and_blanks_by_row_and_column() {
    let csv = "Name,LinkedIn URL\n\
               Jane,https://www.linkedin.com/in/jane-doe-1a2b3c/\n\
               John,http://linkedin.com/in/john-roe\n\
               Ann,\n\
               Acme,https://www.linkedin.com/company/acme\n\
               Jane again,HTTPS://WWW.LINKEDIN.COM/IN/JANE-DOE-1A2B3C/\n\
               Old,http://www.linkedin.com/pub/bob-ray/1a/2b/3c\n\
               Sales,https://www.linkedin.com/sales/lead/ACw123\n\
               School,https://www.linkedin.com/school/mit/\n\
               Web,https://example.com/in/x\n\
               Mail,jane@acme.com\n\
               Name only,Jane Doe\n\
               Empty,https://www.linkedin.com/in/\n\
               By id,123456789\n\
               Sci,1.23E+08\n";
    let read = entries(&text_table("mixed.csv", csv), HeaderChoice::Detect, 1);
    assert_eq!(read.header_row, Some(1));
    assert_eq!(read.blank, 1);
    let got: Vec<(usize, ListValue)> = read
        .entries
        .iter()
        .map(|e| (e.row, e.value.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            (2, ListValue::ShortName("jane-doe-1a2b3c".into())),
            (3, ListValue::ShortName("john-roe".into())),
            (6, ListValue::ShortName("jane-doe-1a2b3c".into())),
            (14, ListValue::Id(123456789)),
        ]
    );
    assert_eq!(
        read.entries[2].text,
        "HTTPS://WWW.LINKEDIN.COM/IN/JANE-DOE-1A2B3C/"
    );
    let rows: Vec<usize> = read.problems.iter().map(|p| p.row).collect();
    assert_eq!(rows, vec![5, 7, 8, 9, 10, 11, 12, 13, 15]);
    assert!(read.problems.iter().all(|p| p.column == "LinkedIn URL"));
    let reason = |row: usize| {
        read.problems
            .iter()
            .find(|p| p.row == row)
            .map(|p| p.reason.clone())
            .unwrap()
    };
    assert!(reason(5).contains("company's page"));
    assert!(reason(7).contains("old form"));
    assert!(reason(8).contains("Sales Navigator"));
    assert!(reason(9).contains("school's page"));
    assert!(reason(10).contains("another website"));
    assert!(reason(11).contains("e-mail"));
    assert!(reason(12).contains("name alone"));
    assert!(reason(13).contains("without the person's short name"));
    assert!(reason(15).contains("scientific notation"));
}

#[test]
fn without_a_header_every_row_is_data_and_the_column_has_a_letter() {
    let t = table(&[&["a", "not an id"], &["b", "123456789"]]);
    let read = entries(&t, HeaderChoice::None, 1);
    assert_eq!(read.header_row, None);
    assert_eq!(read.entries.len(), 1);
    assert_eq!(
        read.problems,
        vec![RowProblem {
            row: 1,
            column: "Column B".into(),
            text: "not an id".into(),
            reason: read.problems[0].reason.clone(),
        }]
    );
}

#[test]
fn a_header_row_chosen_below_titles_skips_them() {
    let t = table(&[&["Export"], &["id"], &["123456789"], &["987654321"]]);
    let read = entries(&t, HeaderChoice::Row(2), 0);
    assert_eq!(read.header_row, Some(2));
    assert_eq!(read.entries.len(), 2);
    assert!(read.problems.is_empty());
}

#[test]
fn long_cells_are_cut_in_problems_and_short_rows_count_as_blank() {
    let long = format!("https://example.com/{}", "x".repeat(100));
    let t = table(&[&["Name", "Profile"], &["Jane", &long], &["Short row"]]);
    let read = entries(&t, HeaderChoice::Detect, 1);
    assert_eq!(read.blank, 1);
    assert_eq!(read.problems[0].text.chars().count(), 60);
    assert!(read.problems[0].text.ends_with('…'));
}
