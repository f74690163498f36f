//! Applying a test's change to a record: field overrides, a coherent new current job, and
//! `last_updated` set to the simulated day.

use crate::corpus::{companies, duration_text, slugify, ym, Employee, Experience, SplitMix};
use serde_json::{Map, Value};

/// A day on the simulated clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Day {
    year: i64,
    /// 1 to 12.
    month: u32,
    /// 1 to 31.
    day: u32,
}

impl Day {
    /// The UTC day of a UNIX time in milliseconds.
    pub(crate) fn from_unix_ms(ms: u64) -> Day {
        // Howard Hinnant's civil_from_days (days since 1970-01-01 to a proleptic Gregorian date).
        let z = (ms / 86_400_000) as i64 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = (if mp < 10 { mp + 3 } else { mp - 9 }) as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        Day { year, month, day }
    }

    /// `yyyy-mm-dd`, the format of `last_updated`.
    pub(crate) fn ymd(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// `yyyy-mm`, the format of experience dates.
    fn ym(self) -> String {
        ym(self.year.max(0) as u64 * 12 + u64::from(self.month) - 1)
    }
}

/// Whether `s` reads `yyyy-mm-dd` (digits in place; the calendar is not checked).
fn is_ymd(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// The company facts a new current job takes: from the fixed company table when the name is in it,
/// else made up from the name (id and site derived from it; industry and size kept).
struct CompanyFacts {
    id: u64,
    slug: String,
    website: String,
    industry: Option<&'static str>,
    size: Option<u64>,
}

fn company_facts(name: &str) -> CompanyFacts {
    if let Some(c) = companies().iter().find(|c| c.name == name) {
        return CompanyFacts {
            id: c.id,
            slug: c.slug.clone(),
            website: c.website.clone(),
            industry: Some(c.industry),
            size: Some(c.size),
        };
    }
    let slug = slugify(name);
    let seed = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    CompanyFacts {
        id: 1_000_000 + SplitMix::new(seed).below(9_000_000),
        website: format!("{}.com", slug.replace('-', "")),
        slug,
        industry: None,
        size: None,
    }
}

/// `current` with `changes` (top-level fields of the record) applied, as of `today`.
///
/// - `last_updated` becomes `today` unless `changes` gives one (`yyyy-mm-dd`).
/// - A new `company_name` brings its `company_id`, `company_website` and `company_industry`
///   (from the company table, or made up), and a new `job_title` its `generated_headline`, unless
///   `changes` gives them.
/// - A new `job_title` or `company_name` (without an `experience` in `changes`) is a new current
///   job: the current `experience` entry ends this month and a new one, starting this month, comes
///   first; `is_working` becomes 1.
/// - A new `location_country` replaces the country at the end of `location_full` and
///   `location_raw_address` unless `changes` gives them.
///
/// Fails on `id`, on a field the record does not have, or on a value of the wrong type.
pub(crate) fn apply(
    current: &Employee,
    changes: &Map<String, Value>,
    today: Day,
) -> Result<Employee, String> {
    let Ok(Value::Object(base)) = serde_json::to_value(current) else {
        return Err("the record cannot be read".into());
    };
    if changes.contains_key("id") {
        return Err("id cannot be changed".into());
    }
    if let Some(k) = changes.keys().find(|k| !base.contains_key(*k)) {
        return Err(format!(
            "{k:?} is not a field of the record (a change names top-level fields, such as \
             job_title, company_name, full_name, location_country or experience)"
        ));
    }
    let mut map = base.clone();
    let text = |k: &str| changes.get(k).and_then(Value::as_str);
    let new_company = text("company_name").filter(|c| *c != current.company_name);
    if let Some(name) = new_company {
        let facts = company_facts(name);
        map.insert("company_id".into(), facts.id.into());
        map.insert("company_website".into(), facts.website.into());
        if let Some(industry) = facts.industry {
            map.insert("company_industry".into(), industry.into());
        }
    }
    let new_title = text("job_title").filter(|t| *t != current.job_title);
    if let Some(title) = new_title {
        map.insert("generated_headline".into(), title.into());
    }
    if let Some(country) = text("location_country").filter(|c| *c != current.location_country) {
        let old = format!(", {}", current.location_country);
        for field in ["location_full", "location_raw_address"] {
            let moved = map
                .get(field)
                .and_then(Value::as_str)
                .and_then(|p| p.strip_suffix(&old))
                .map(|place| format!("{place}, {country}"));
            if let Some(moved) = moved {
                map.insert(field.into(), moved.into());
            }
        }
    }
    if !changes.contains_key("last_updated") {
        map.insert("last_updated".into(), today.ymd().into());
    }
    map.extend(changes.iter().map(|(k, v)| (k.clone(), v.clone())));
    let mut next = decode(map, &base, changes)?;
    if !is_ymd(&next.last_updated) {
        return Err(format!(
            "last_updated must read yyyy-mm-dd, not {:?}",
            next.last_updated
        ));
    }
    if (new_company.is_some() || new_title.is_some()) && !changes.contains_key("experience") {
        start_new_job(
            &mut next,
            current,
            today,
            !changes.contains_key("is_working"),
        );
    }
    Ok(next)
}

/// The record `map` describes, or an error naming the first changed field of the wrong type.
fn decode(
    map: Map<String, Value>,
    base: &Map<String, Value>,
    changes: &Map<String, Value>,
) -> Result<Employee, String> {
    serde_json::from_value(Value::Object(map)).map_err(|whole| {
        let culprit = changes.iter().find_map(|(k, v)| {
            let mut one = base.clone();
            one.insert(k.clone(), v.clone());
            serde_json::from_value::<Employee>(Value::Object(one))
                .err()
                .map(|e| format!("{k}: {e}"))
        });
        culprit.unwrap_or_else(|| whole.to_string())
    })
}

/// Ends the current job this month and puts the record's new `job_title` at `company_name` first.
fn start_new_job(next: &mut Employee, previous: &Employee, today: Day, set_working: bool) {
    let facts = company_facts(&next.company_name);
    let was = previous.experience.first();
    let size = facts
        .size
        .or_else(|| was.map(|e| e.company_size_employees_count))
        .unwrap_or(50);
    let location = was
        .filter(|_| next.location_country == previous.location_country)
        .map(|e| e.location.clone())
        .unwrap_or_else(|| next.location_full.clone());
    for e in next.experience.iter_mut() {
        if e.date_to.is_none() {
            e.date_to = Some(today.ym());
        }
        e.order_in_profile += 1;
    }
    let entry = Experience {
        company_id: next.company_id,
        company_name: next.company_name.clone(),
        company_professional_network_url: format!("linkedin.com/company/{}", facts.slug),
        company_shorthand_name: facts.slug.into(),
        company_website: next.company_website.clone(),
        company_industry: next.company_industry.clone(),
        company_size_employees_count: size,
        description: format!("{} at {}.", next.job_title, next.company_name),
        title: next.job_title.clone(),
        department: next.department.clone(),
        management_level: next.management_level.clone(),
        date_from: today.ym(),
        date_to: None,
        duration: duration_text(1),
        duration_months: 1,
        location,
        order_in_profile: 1,
    };
    next.experience.insert(0, entry);
    if set_working {
        next.is_working = 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::employee;
    use serde_json::json;

    fn change(e: &Employee, v: Value) -> Result<Employee, String> {
        let Value::Object(m) = v else { panic!() };
        apply(e, &m, Day::from_unix_ms(1_796_601_600_000))
    }

    #[test]
    fn days() {
        assert_eq!(Day::from_unix_ms(0).ymd(), "1970-01-01");
        assert_eq!(Day::from_unix_ms(951_782_400_000).ymd(), "2000-02-29");
        assert_eq!(Day::from_unix_ms(1_796_601_600_000).ymd(), "2026-12-07");
        assert_eq!(Day::from_unix_ms(1_796_601_600_000).ym(), "2026-12");
        assert!(is_ymd("2025-01-18") && !is_ymd("2025-1-18") && !is_ymd("yesterday"));
    }

    #[test]
    fn a_new_job_is_coherent() {
        let old = employee(1, 4290);
        let e = change(
            &old,
            json!({"job_title": "Chief Baker", "company_name": "Acme Foods Ltd"}),
        )
        .unwrap();
        assert_eq!(e.last_updated, "2026-12-07");
        assert_eq!(
            (&*e.job_title, &*e.company_name),
            ("Chief Baker", "Acme Foods Ltd")
        );
        assert_eq!(e.generated_headline, "Chief Baker");
        let now = &e.experience[0];
        assert_eq!(
            (&*now.title, &*now.company_name),
            ("Chief Baker", "Acme Foods Ltd")
        );
        assert_eq!(
            (now.date_from.as_str(), now.date_to.as_deref()),
            ("2026-12", None)
        );
        assert_eq!(now.company_id, e.company_id);
        assert_eq!(e.experience.len(), old.experience.len() + 1);
        assert!(e.experience[1..].iter().all(|x| x.date_to.is_some()));
        let order: Vec<u64> = e.experience.iter().map(|x| x.order_in_profile).collect();
        assert_eq!(order, (1..=e.experience.len() as u64).collect::<Vec<_>>());
        assert_eq!(e.is_working, 1);
        // Unchanged fields stay.
        assert_eq!(e.full_name, old.full_name);
        assert_eq!(e.skills, old.skills);
    }

    #[test]
    fn other_fields_and_errors() {
        let old = employee(1, 77);
        let e = change(
            &old,
            json!({"full_name": "Zoë Test", "location_country": "Atlantis", "last_updated": "2025-02-01"}),
        )
        .unwrap();
        assert_eq!(e.full_name, "Zoë Test");
        assert_eq!(e.last_updated, "2025-02-01");
        assert!(
            e.location_full.ends_with(", Atlantis"),
            "{}",
            e.location_full
        );
        assert_eq!(e.experience.len(), old.experience.len(), "no new job");
        assert!(change(&old, json!({"id": 5})).unwrap_err().contains("id"));
        assert!(change(&old, json!({"shoe_size": 5}))
            .unwrap_err()
            .contains("shoe_size"));
        let e = change(&old, json!({"follower_count": "many"})).unwrap_err();
        assert!(e.starts_with("follower_count:"), "{e}");
        let e = change(&old, json!({"last_updated": "soon"})).unwrap_err();
        assert!(e.contains("yyyy-mm-dd"), "{e}");
        assert!(change(&old, json!({"awards": [{"x": 1}]})).is_err());
    }
}
