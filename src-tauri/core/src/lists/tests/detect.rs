//! Finding the header row and the column to use, by name and by content.

use super::{table, text_table};
use crate::lists::columns::letters;
use crate::lists::{preview, HeaderChoice, ValueKind};

const CRM: &str = "First name,Last name,Company,LinkedIn URL,CRM id,Notes\n\
                   Jane,Doe,Acme,https://www.linkedin.com/in/jane-doe-1a2b3c/,1001,\"Met in Berlin, liked it\"\n\
                   John,Roe,\"Globex, Inc.\",linkedin.com/in/john-roe,1002,\"Call back\nin May\"\n\
                   Ann,Lee,Initech,de.linkedin.com/in/ann-lee,1003,\n\
                   Bob,Ray,Hooli,bob-ray-77,1004,VIP\n";

#[test]
fn the_linkedin_column_is_picked_among_six_columns_of_a_crm_export() {
    let shown = preview(&text_table("crm.csv", CRM), HeaderChoice::Detect, None);
    assert_eq!(shown.header_row, Some(1));
    assert!(shown.header_detected);
    assert_eq!(shown.data_rows, 4);
    let names: Vec<&str> = shown.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "First name",
            "Last name",
            "Company",
            "LinkedIn URL",
            "CRM id",
            "Notes"
        ]
    );
    assert_eq!(shown.chosen, Some(3));
    let linkedin = &shown.columns[3];
    assert_eq!(linkedin.kind, ValueKind::ProfileAddresses);
    assert_eq!((linkedin.usable, linkedin.filled), (4, 4));
    assert_eq!(
        linkedin.samples,
        [
            "https://www.linkedin.com/in/jane-doe-1a2b3c/",
            "linkedin.com/in/john-roe",
            "de.linkedin.com/in/ann-lee"
        ]
    );
    assert_eq!(shown.columns[2].kind, ValueKind::Companies);
    assert_eq!(shown.columns[0].kind, ValueKind::Other);
    assert_eq!(shown.columns[5].kind, ValueKind::Other);
}

#[test]
fn the_employee_id_column_is_picked_beside_five_others() {
    let csv = "Name,Title,Company,Email,Employee ID,City\n\
               Jane Doe,CTO,Acme,jane@acme.com,123456789,Berlin\n\
               John Roe,CEO,Globex,john@globex.com,987654321,Paris\n\
               Ann Lee,VP,Initech,ann@initech.com,555666777,Rome\n";
    let shown = preview(&text_table("staff.csv", csv), HeaderChoice::Detect, None);
    assert_eq!(shown.header_row, Some(1));
    assert_eq!(shown.chosen, Some(4));
    assert_eq!(shown.columns[4].kind, ValueKind::EmployeeIds);
    assert_eq!(shown.columns[3].kind, ValueKind::Other);
}

#[test]
fn a_named_id_column_with_ids_wins_over_a_profile_column() {
    let t = table(&[
        &["LinkedIn", "Coresignal ID"],
        &["linkedin.com/in/jane-doe", "123456789"],
        &["linkedin.com/in/john-roe", "987654321"],
    ]);
    assert_eq!(preview(&t, HeaderChoice::Detect, None).chosen, Some(1));
}

#[test]
fn a_row_counter_does_not_beat_a_real_column() {
    let t = table(&[
        &["#", "Profile", "No."],
        &["1", "linkedin.com/in/jane-doe", "12"],
        &["2", "linkedin.com/in/john-roe", "40"],
        &["3", "linkedin.com/in/ann-lee", "7"],
    ]);
    let shown = preview(&t, HeaderChoice::Detect, None);
    assert_eq!(shown.header_row, Some(1));
    assert_eq!(shown.chosen, Some(1));
    // Even a column named "id" holding 1, 2, 3 is a counter next to real IDs.
    let counted = table(&[
        &["id", "Member number"],
        &["1", "123456789"],
        &["2", "987654321"],
        &["3", "555666777"],
    ]);
    assert_eq!(
        preview(&counted, HeaderChoice::Detect, None).chosen,
        Some(1)
    );
}

#[test]
fn content_wins_when_the_name_says_one_thing_and_most_values_another() {
    let t = table(&[
        &["Name", "URL"],
        &["Acme", "https://acme.com"],
        &["Globex", "www.globex.com/about"],
        &["Initech", "initech.io"],
    ]);
    let shown = preview(&t, HeaderChoice::Detect, None);
    assert_eq!(shown.columns[1].kind, ValueKind::Companies);
    let ids_named_profile = table(&[&["Profile"], &["123456789"], &["987654321"], &["555666777"]]);
    let shown = preview(&ids_named_profile, HeaderChoice::Detect, None);
    assert_eq!(shown.columns[0].kind, ValueKind::EmployeeIds);
}

#[test]
fn column_names_match_whatever_the_case_spaces_or_underscores() {
    for name in ["EMPLOYEE_ID", "employee id", "EmployeeId", "Member ID"] {
        let t = table(&[&["x", name], &["a", "123456789"], &["b", "987654321"]]);
        let shown = preview(&t, HeaderChoice::Detect, None);
        assert_eq!(shown.columns[1].kind, ValueKind::EmployeeIds, "{name}");
    }
    for name in [
        "Public Identifier",
        "shorthand",
        "Linkedin_Profile",
        "person linkedin url",
    ] {
        let t = table(&[&[name], &["jane"], &["john"]]);
        let shown = preview(&t, HeaderChoice::Detect, None);
        assert_eq!(shown.header_row, Some(1), "{name}");
        assert_eq!(shown.columns[0].kind, ValueKind::ProfileAddresses, "{name}");
    }
    for name in ["Company Name", "account_name", "Organisation", "Firma"] {
        let t = table(&[&[name], &["Acme Corp"], &["Globex"]]);
        let shown = preview(&t, HeaderChoice::Detect, None);
        assert_eq!(shown.columns[0].kind, ValueKind::Companies, "{name}");
        assert_eq!(shown.chosen, Some(0), "{name}");
    }
}

#[test]
fn the_header_on_row_3_under_two_title_rows_is_found() {
    let csv = "Leads from the fair\nExported by Ann\nName,LinkedIn URL\n\
               Jane,linkedin.com/in/jane-doe\nJohn,linkedin.com/in/john-roe\n";
    let shown = preview(&text_table("fair.csv", csv), HeaderChoice::Detect, None);
    assert_eq!(shown.header_row, Some(3));
    assert!(shown.header_detected);
    assert_eq!(shown.data_rows, 2);
    assert_eq!(shown.columns[1].name, "LinkedIn URL");
    assert_eq!(shown.chosen, Some(1));
}

#[test]
fn a_list_without_a_header_has_letter_names() {
    let t = table(&[
        &["Jane", "linkedin.com/in/jane-doe"],
        &["John", "linkedin.com/in/john-roe"],
    ]);
    let shown = preview(&t, HeaderChoice::Detect, None);
    assert_eq!(shown.header_row, None);
    assert!(!shown.header_detected);
    assert_eq!(shown.data_rows, 2);
    assert_eq!(shown.columns[0].name, "Column A");
    assert_eq!(shown.columns[1].name, "Column B");
    assert_eq!(shown.chosen, Some(1));
    let ids = text_table("ids.txt", "123456789\n987654321\n");
    assert_eq!(preview(&ids, HeaderChoice::Detect, None).header_row, None);
}

#[test]
fn a_header_chosen_by_the_person_is_used_and_rows_above_it_skipped() {
    let csv = "Title\nName,LinkedIn URL\nJane,linkedin.com/in/jane-doe\n";
    let t = text_table("t.csv", csv);
    let shown = preview(&t, HeaderChoice::Row(2), None);
    assert_eq!(shown.header_row, Some(2));
    assert!(!shown.header_detected);
    assert_eq!(shown.data_rows, 1);
    assert_eq!(shown.columns[1].name, "LinkedIn URL");
    let none = preview(&t, HeaderChoice::None, None);
    assert_eq!(none.header_row, None);
    assert_eq!(none.data_rows, 3);
}

#[test]
fn a_column_chosen_explicitly_is_kept_even_if_another_looks_better() {
    let t = text_table("crm.csv", CRM);
    assert_eq!(preview(&t, HeaderChoice::Detect, Some(4)).chosen, Some(4));
    // A column past the last one falls back to the detected column.
    assert_eq!(preview(&t, HeaderChoice::Detect, Some(40)).chosen, Some(3));
}

#[test]
fn no_column_is_chosen_when_none_holds_people_or_companies() {
    let t = table(&[&["Note"], &["call back"], &["send a letter"]]);
    let shown = preview(&t, HeaderChoice::Detect, None);
    assert_eq!(shown.chosen, None);
    assert_eq!(shown.columns[0].kind, ValueKind::Other);
}

#[test]
fn blank_header_cells_get_spreadsheet_letters_up_to_aa() {
    assert_eq!(letters(0), "A");
    assert_eq!(letters(25), "Z");
    assert_eq!(letters(26), "AA");
    assert_eq!(letters(27), "AB");
    assert_eq!(letters(701), "ZZ");
    assert_eq!(letters(702), "AAA");
    let t = table(&[&["Name", "", "id"], &["Jane", "x", "123456789"]]);
    let shown = preview(&t, HeaderChoice::Detect, None);
    assert_eq!(shown.columns[1].name, "Column B");
}

#[test]
fn the_preview_serialises_as_the_ui_expects() {
    let t = table(&[&["id"], &["123456789"]]);
    let json = serde_json::to_value(preview(&t, HeaderChoice::Detect, None)).unwrap();
    assert_eq!(json["header_row"], 1);
    assert_eq!(json["columns"][0]["kind"], "employee_ids");
    let row: HeaderChoice = serde_json::from_str(r#"{"kind":"row","row":3}"#).unwrap();
    assert_eq!(row, HeaderChoice::Row(3));
    let detect: HeaderChoice = serde_json::from_str(r#"{"kind":"detect"}"#).unwrap();
    assert_eq!(detect, HeaderChoice::Detect);
}

#[test]
fn data_rows_with_a_blank_value_above_the_first_value_are_not_taken_for_the_header() {
    let t = table(&[
        &["Name", "Employee ID"],
        &["Jane", ""],
        &["John", ""],
        &["Ann", "123456789"],
        &["Bob", "987654321"],
    ]);
    let shown = preview(&t, HeaderChoice::Detect, None);
    assert_eq!(shown.header_row, Some(1));
    assert_eq!(shown.data_rows, 4);
    assert_eq!(shown.chosen, Some(1));
}

#[test]
fn a_one_column_txt_of_ids_with_an_id_header_uses_it() {
    let t = text_table("ids.txt", "id\n123456789\n987654321\n");
    let shown = preview(&t, HeaderChoice::Detect, None);
    assert_eq!(shown.header_row, Some(1));
    assert_eq!(shown.columns[0].kind, ValueKind::EmployeeIds);
    assert_eq!(shown.chosen, Some(0));
}

#[test]
fn the_largest_id_next_to_another_does_not_overflow_the_counter_check() {
    let t = table(&[&["id"], &["18446744073709551615"], &["5"]]);
    let shown = preview(&t, HeaderChoice::Detect, None);
    assert_eq!(shown.columns[0].kind, ValueKind::EmployeeIds);
}

#[test]
fn a_first_short_name_without_a_hyphen_is_a_person_not_the_header() {
    // Short names pasted one a line: the first has no hyphen, so it does not look like a short
    // name as surely as those below, yet it is one. Taken for the header, it would be dropped.
    let t = table(&[&["satyanadella"], &["jane-doe-1a2b3c"], &["john-roe-77"]]);
    let shown = preview(&t, HeaderChoice::Detect, None);
    assert_eq!(shown.header_row, None, "{shown:?}");
    let read = crate::lists::entries(&t, HeaderChoice::Detect, 0);
    let rows: Vec<usize> = read.entries.iter().map(|entry| entry.row).collect();
    assert_eq!(rows, [1, 2, 3]);
    // A header that does not name a known column is still found when it is written as one.
    for header in ["Handle", "LinkedIn handle", "Person's page"] {
        let t = table(&[&[header], &["jane-doe-1a2b3c"], &["john-roe-77"]]);
        assert_eq!(
            preview(&t, HeaderChoice::Detect, None).header_row,
            Some(1),
            "{header}"
        );
    }
}

#[test]
fn a_lower_case_word_above_ids_is_still_their_header() {
    let t = table(&[&["employee"], &["123456789"], &["987654321"]]);
    assert_eq!(preview(&t, HeaderChoice::Detect, None).header_row, Some(1));
}
