//! Hostile input: whatever a cell, a paste or a file holds, reading it never panics, and what is
//! read back is well formed.

use proptest::prelude::*;
use proptest::strategy::Union;

use crate::lists::table::read_list_bytes;
use crate::lists::{
    company_value, entries, preview, profile_value, read_pasted, HeaderChoice, ListValue,
};
use crate::property;

/// Text made mostly of the characters that steer the readers.
fn tricky_text() -> impl Strategy<Value = String> {
    let pieces = Union::new(vec![
        Just("https://".to_owned()).boxed(),
        Just("linkedin.com/".to_owned()).boxed(),
        Just("/in/".to_owned()).boxed(),
        Just("%C3%".to_owned()).boxed(),
        Just("=HYPERLINK(\"".to_owned()).boxed(),
        Just("18446744073709551615".to_owned()).boxed(),
        "[,;\t|\"'\r\n <>@#?.%/-]".boxed(),
        "[a-zA-Z0-9éü王]{1,4}".boxed(),
        any::<char>().prop_map(String::from).boxed(),
    ]);
    prop::collection::vec(pieces, 0..24).prop_map(|v| v.concat())
}

#[test]
fn any_cell_gives_a_value_a_blank_or_a_reason_without_panicking() {
    property::check(
        "any_cell_gives_a_value_a_blank_or_a_reason_without_panicking",
        property::cases(512),
        tricky_text(),
        |text| {
            match profile_value(&text) {
                Ok(Some(ListValue::ShortName(name))) => {
                    prop_assert!(!name.contains('/'), "{name}");
                    prop_assert!(name.chars().count() >= 3, "{name}");
                    prop_assert_eq!(name.to_lowercase(), name.clone());
                }
                Ok(Some(ListValue::Id(id))) => prop_assert!(id > 0),
                Ok(None) => {}
                Err(reason) => prop_assert!(!reason.is_empty()),
            }
            let _ = company_value(&text);
            Ok(())
        },
    );
}

#[test]
fn any_paste_or_file_is_read_previewed_and_listed_without_panicking() {
    property::check(
        "any_paste_or_file_is_read_previewed_and_listed_without_panicking",
        property::cases(256),
        tricky_text(),
        |text| {
            let tables = [
                read_pasted(&text).ok(),
                read_list_bytes(text.as_bytes(), "x.csv", "csv").ok(),
            ];
            for table in tables.into_iter().flatten() {
                prop_assert!(table
                    .rows
                    .iter()
                    .all(|r| r.cells.iter().any(|c| !c.is_empty())));
                let shown = preview(&table, HeaderChoice::Detect, None);
                prop_assert!(shown.chosen.is_none_or(|c| c < shown.columns.len()));
                let read = entries(&table, HeaderChoice::Detect, shown.chosen.unwrap_or(0));
                prop_assert!(read.problems.iter().all(|p| p.text.chars().count() <= 60));
            }
            Ok(())
        },
    );
}
