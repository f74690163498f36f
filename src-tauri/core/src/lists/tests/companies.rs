//! One cell of a companies list.

use super::table;
use crate::lists::{company_entries, company_value, CompanyKey, HeaderChoice};

fn key(text: &str) -> CompanyKey {
    company_value(text).unwrap().unwrap()
}

fn refused(text: &str) -> String {
    match company_value(text) {
        Err(reason) => reason,
        other => panic!("{text:?} should be refused, gave {other:?}"),
    }
}

#[test]
fn names_keep_their_writing_with_spaces_collapsed() {
    assert_eq!(
        key("  Acme   Corp, Inc. "),
        CompanyKey::Name("Acme Corp, Inc.".into())
    );
    assert_eq!(key("\"Globex\""), CompanyKey::Name("Globex".into()));
    assert_eq!(key("3M"), CompanyKey::Name("3M".into()));
}

#[test]
fn domains_and_web_addresses_become_bare_lower_case_domains() {
    for text in [
        "acme.com",
        "ACME.COM",
        "www.acme.com",
        "https://www.acme.com/about?x=1",
        "http://acme.com:8080/",
        "<https://acme.com>",
    ] {
        assert_eq!(key(text), CompanyKey::Domain("acme.com".into()), "{text}");
    }
    assert_eq!(
        key("shop.acme.co.uk"),
        CompanyKey::Domain("shop.acme.co.uk".into())
    );
}

#[test]
fn company_profile_addresses_give_their_short_name() {
    for text in [
        "https://www.linkedin.com/company/acme-corp/",
        "linkedin.com/company/Acme-Corp/about/",
        "https://de.linkedin.com/company/acme-corp?trk=x",
    ] {
        assert_eq!(
            key(text),
            CompanyKey::ShortName("acme-corp".into()),
            "{text}"
        );
    }
}

#[test]
fn a_person_profile_is_refused_pointing_to_the_people_list() {
    let reason = refused("https://www.linkedin.com/in/jane-doe");
    assert!(
        reason.contains("person's profile, not a company"),
        "{reason}"
    );
}

#[test]
fn an_email_address_is_refused_not_turned_into_its_domain() {
    let reason = refused("jane@acme.com");
    assert!(
        reason.contains("e-mail address is not a company"),
        "{reason}"
    );
}

#[test]
fn numbers_bad_addresses_and_overlong_text_are_refused() {
    assert!(refused("123456789").contains("a number, not a company"));
    assert!(refused("https://www.linkedin.com/feed/").contains("not a company page"));
    assert!(refused("https://-bad-.com").contains("not a web address"));
    assert!(refused(&"x ".repeat(150)).contains("too long"));
    assert!(refused("#REF!").contains("spreadsheet error"));
    assert_eq!(company_value("  "), Ok(None));
}

#[test]
fn a_companies_column_is_read_by_row_with_problems_named_by_column() {
    let t = table(&[
        &["Company", "Owner"],
        &["Acme Corp", "Ann"],
        &["https://www.linkedin.com/company/globex/", "Bob"],
        &["", "Cy"],
        &["jane@acme.com", "Di"],
        &["initech.com", "Ed"],
        &["Acme Corp", "Flo"],
    ]);
    let read = company_entries(&t, HeaderChoice::Detect, 0);
    assert_eq!(read.header_row, Some(1));
    assert_eq!(read.blank, 1);
    let keys: Vec<(usize, CompanyKey)> = read
        .entries
        .iter()
        .map(|e| (e.row, e.key.clone()))
        .collect();
    assert_eq!(
        keys,
        vec![
            (2, CompanyKey::Name("Acme Corp".into())),
            (3, CompanyKey::ShortName("globex".into())),
            (6, CompanyKey::Domain("initech.com".into())),
            (7, CompanyKey::Name("Acme Corp".into())),
        ]
    );
    assert_eq!(read.problems.len(), 1);
    assert_eq!(
        (read.problems[0].row, read.problems[0].column.as_str()),
        (5, "Company")
    );
}
