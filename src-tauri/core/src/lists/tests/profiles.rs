//! One cell as a person: every address form people paste, and every refusal with its reason.

use crate::lists::{profile_value, ListValue};

fn short(text: &str) -> String {
    match profile_value(text) {
        Ok(Some(ListValue::ShortName(name))) => name,
        other => panic!("{text:?} gave {other:?}"),
    }
}

fn refused(text: &str) -> String {
    match profile_value(text) {
        Err(reason) => reason,
        other => panic!("{text:?} should be refused, gave {other:?}"),
    }
}

#[test]
fn the_full_address_with_a_trailing_slash() {
    assert_eq!(
        short("https://www.linkedin.com/in/jane-doe-1a2b3c/"),
        "jane-doe-1a2b3c"
    );
}

#[test]
fn http_without_www() {
    assert_eq!(short("http://linkedin.com/in/jane-doe"), "jane-doe");
}

#[test]
fn country_subdomains() {
    assert_eq!(short("https://de.linkedin.com/in/jane-doe"), "jane-doe");
    assert_eq!(short("uk.linkedin.com/in/jane-doe/"), "jane-doe");
    assert_eq!(short("https://m.linkedin.com/in/jane-doe"), "jane-doe");
}

#[test]
fn query_strings_and_fragments_are_dropped() {
    assert_eq!(
        short("https://www.linkedin.com/in/jane-doe?trk=public_profile_browsemap"),
        "jane-doe"
    );
    assert_eq!(
        short("linkedin.com/in/jane-doe/?originalSubdomain=de"),
        "jane-doe"
    );
    assert_eq!(
        short("https://www.linkedin.com/in/jane-doe#experience"),
        "jane-doe"
    );
}

#[test]
fn upper_case_and_trailing_slashes() {
    assert_eq!(short("HTTPS://WWW.LINKEDIN.COM/IN/JANE-DOE/"), "jane-doe");
    assert_eq!(short("https://www.linkedin.com/in/Jane-Doe//"), "jane-doe");
}

#[test]
fn percent_encoded_non_ascii_short_names_are_decoded() {
    assert_eq!(
        short("https://www.linkedin.com/in/zo%C3%AB-m%C3%BCller"),
        "zoë-müller"
    );
    assert_eq!(
        short("https://www.linkedin.com/in/ZO%C3%8B-M%C3%9CLLER/"),
        "zoë-müller"
    );
    // Already decoded, and decomposed (e + combining diaeresis): the same name.
    assert_eq!(short("linkedin.com/in/zoe\u{308}-müller"), "zoë-müller");
    assert_eq!(
        short("linkedin.com/in/%E7%8E%8B%E5%B0%8F%E6%98%8E"),
        "王小明"
    );
}

#[test]
fn without_a_scheme_with_or_without_www() {
    assert_eq!(short("linkedin.com/in/jane-doe"), "jane-doe");
    assert_eq!(short("www.linkedin.com/in/jane-doe"), "jane-doe");
    assert_eq!(short("/in/jane-doe"), "jane-doe");
}

#[test]
fn a_bare_short_name() {
    assert_eq!(short("jane-doe-1a2b3c"), "jane-doe-1a2b3c");
    assert_eq!(short("Jane-Doe"), "jane-doe");
    assert_eq!(short("zo%C3%AB-m%C3%BCller"), "zoë-müller");
}

#[test]
fn extra_path_after_the_name_is_ignored() {
    assert_eq!(
        short("https://www.linkedin.com/in/jane-doe/details/experience/"),
        "jane-doe"
    );
    assert_eq!(
        short("linkedin.com/in/jane-doe/recent-activity/all/"),
        "jane-doe"
    );
}

#[test]
fn the_mobile_lite_address() {
    assert_eq!(
        short("https://www.linkedin.com/mwlite/in/jane-doe"),
        "jane-doe"
    );
}

#[test]
fn wrappers_hyperlink_formulas_angle_brackets_and_quotes() {
    assert_eq!(
        short(r#"=HYPERLINK("https://www.linkedin.com/in/jane-doe","Jane Doe")"#),
        "jane-doe"
    );
    assert_eq!(
        short(r#"=hyperlink("linkedin.com/in/jane-doe"; "Jane")"#),
        "jane-doe"
    );
    assert_eq!(short("<https://www.linkedin.com/in/jane-doe>"), "jane-doe");
    assert_eq!(
        short("\"https://www.linkedin.com/in/jane-doe\""),
        "jane-doe"
    );
    assert_eq!(short("'jane-doe'"), "jane-doe");
    assert_eq!(short("  linkedin.com/in/jane-doe  "), "jane-doe");
}

#[test]
fn ids_are_digits_and_keep_the_id_files_reasons() {
    assert_eq!(
        profile_value("123456789"),
        Ok(Some(ListValue::Id(123456789)))
    );
    assert_eq!(profile_value(" 42 "), Ok(Some(ListValue::Id(42))));
    assert!(refused("1.23E+08").contains("scientific notation"));
    assert!(refused("123456789.5").contains("decimal point"));
    assert!(refused("-5").contains("negative"));
    assert!(refused("0").contains("IDs start at 1"));
    assert!(refused("0x1F").contains("hexadecimal"));
    assert!(refused("123 456").contains("several numbers"));
}

#[test]
fn a_blank_cell_is_nothing() {
    assert_eq!(profile_value(""), Ok(None));
    assert_eq!(profile_value("   "), Ok(None));
    assert_eq!(profile_value("\"\""), Ok(None));
}

#[test]
fn a_company_page_is_refused_pointing_to_the_companies_list() {
    let reason = refused("https://www.linkedin.com/company/acme/");
    assert!(
        reason.contains("company's page, not a person's profile"),
        "{reason}"
    );
    assert!(reason.contains("companies list"), "{reason}");
}

#[test]
fn a_school_page_is_refused() {
    let reason = refused("https://www.linkedin.com/school/stanford-university/");
    assert!(reason.contains("school's page"), "{reason}");
}

#[test]
fn the_old_pub_form_is_refused_saying_to_open_it_in_a_browser() {
    let reason = refused("http://www.linkedin.com/pub/jane-doe/1a/2b/3c");
    assert!(reason.contains("old form"), "{reason}");
    assert!(reason.contains("open it in a browser"), "{reason}");
    assert!(reason.contains("/in/"), "{reason}");
}

#[test]
fn sales_navigator_links_are_refused_saying_to_export_the_public_address() {
    let reason = refused("https://www.linkedin.com/sales/lead/ACwAAA123,NAME_SEARCH,abc");
    assert!(reason.contains("Sales Navigator"), "{reason}");
    assert!(
        reason.contains("export the public profile address"),
        "{reason}"
    );
    let people = refused("https://www.linkedin.com/sales/people/ACwAAA123");
    assert!(people.contains("Sales Navigator"), "{people}");
}

#[test]
fn other_sites_are_refused_naming_the_site() {
    let reason = refused("https://example.com/in/x");
    assert!(reason.contains("another website (example.com)"), "{reason}");
    let twitter = refused("https://twitter.com/x");
    assert!(twitter.contains("twitter.com"), "{twitter}");
    assert!(refused("https://lnkd.in/abc").contains("shortened LinkedIn link"));
    assert!(refused("ftp://linkedin.com/in/x").contains("ftp"));
}

#[test]
fn an_email_address_is_refused() {
    let reason = refused("jane.doe@acme.com");
    assert!(
        reason.contains("e-mail address is not a profile"),
        "{reason}"
    );
    assert!(
        reason.contains("employee IDs or LinkedIn profile addresses"),
        "{reason}"
    );
    assert!(refused("mailto:jane@acme.com").contains("e-mail"));
}

#[test]
fn a_persons_name_is_refused_as_not_enough_to_look_up() {
    let reason = refused("Jane Doe");
    assert!(
        reason.contains("a name alone cannot be looked up"),
        "{reason}"
    );
    let several = refused("linkedin.com/in/jane linkedin.com/in/john");
    assert!(several.contains("several addresses"), "{several}");
}

#[test]
fn an_empty_in_path_is_refused() {
    let reason = refused("https://www.linkedin.com/in/");
    assert!(
        reason.contains("without the person's short name"),
        "{reason}"
    );
    assert!(refused("https://www.linkedin.com/").contains("not a person's profile"));
    assert!(refused("https://www.linkedin.com/feed/").contains("not a person's profile"));
}

#[test]
fn a_bare_word_must_look_like_a_short_name() {
    assert!(refused("jd").contains("too short"));
    assert!(refused(&"a".repeat(101)).contains("too long"));
    assert!(refused("jane_doe!").contains("only letters, digits and hyphens"));
    assert!(refused("jane%ZZdoe").contains("only letters, digits and hyphens"));
    assert!(refused("linkedin.com/in/%C3%28").contains("broken character code"));
}

#[test]
fn spreadsheet_errors_are_refused_with_what_to_fix() {
    let reason = refused("#N/A");
    assert!(reason.contains("spreadsheet error #N/A"), "{reason}");
}

#[test]
fn an_internal_member_code_in_place_of_the_short_name_is_refused() {
    let reason = refused("https://www.linkedin.com/in/ACoAABcdEfGhIjKlMnOpQrStUvWxYz0123456");
    assert!(reason.contains("internal member code"), "{reason}");
    assert!(reason.contains("open it in a browser"), "{reason}");
}

#[test]
fn zero_width_spaces_copied_from_web_pages_are_dropped() {
    assert_eq!(
        short("\u{200B}https://www.linkedin.com/in/jane-doe\u{200B}"),
        "jane-doe"
    );
    assert_eq!(short("\u{feff}jane-doe "), "jane-doe");
}
