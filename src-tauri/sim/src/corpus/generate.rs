//! Generation: the record with an id, a pure function of `(seed, id)`.

use super::departments::{Department, DEPARTMENTS};
use super::records::*;
use super::words::*;
use super::SplitMix;
use std::borrow::Cow;

/// Months since year 0 of the simulated "today" (2025-06).
const TODAY_MONTHS: u64 = 2025 * 12 + 5;

pub(crate) fn ym(months: u64) -> String {
    format!("{:04}-{:02}", months / 12, months % 12 + 1)
}

pub(crate) fn duration_text(months: u64) -> String {
    let (y, m) = (months / 12, months % 12);
    match (y, m) {
        (0, m) => format!("{m} month{}", if m == 1 { "" } else { "s" }),
        (y, 0) => format!("{y} year{}", if y == 1 { "" } else { "s" }),
        (y, m) => format!(
            "{y} year{} {m} month{}",
            if y == 1 { "" } else { "s" },
            if m == 1 { "" } else { "s" }
        ),
    }
}

fn pick_weighted<T: Copy>(rng: &mut SplitMix, items: &[(u64, T)]) -> T {
    let total: u64 = items.iter().map(|(w, _)| w).sum();
    let mut roll = rng.below(total);
    for (w, item) in items {
        if roll < *w {
            return *item;
        }
        roll -= w;
    }
    items[0].1
}

fn pick_department(rng: &mut SplitMix) -> &'static Department {
    let total: u64 = DEPARTMENTS.iter().map(|(w, _)| w).sum();
    let mut roll = rng.below(total);
    for (w, d) in DEPARTMENTS {
        if roll < *w {
            return d;
        }
        roll -= w;
    }
    &DEPARTMENTS[0].1
}

fn title_for(rng: &mut SplitMix, dept: &Department, level: &str) -> String {
    let base = rng.pick(dept.titles);
    match level {
        "Senior" => format!("Senior {base}"),
        "Manager" => format!("{} Manager", dept.short),
        "Head" => format!("Head of {}", dept.short),
        "Director" => format!("{} Director", dept.short),
        "Intern" => format!("{} Intern", dept.short),
        "Vice President" => format!("Vice President, {}", dept.short),
        "Partner" => format!("Partner, {}", dept.short),
        "Founder" => "Founder".to_string(),
        "Owner" => "Owner".to_string(),
        "President" => "President".to_string(),
        _ => base.to_string(),
    }
}

fn pick_skills(rng: &mut SplitMix, dept: &Department) -> Vec<&'static str> {
    let want = rng.range(3, 8).min(dept.skills.len() as u64) as usize;
    let mut skills: Vec<&'static str> = Vec::with_capacity(want);
    while skills.len() < want {
        let s = rng.pick(dept.skills);
        if !skills.contains(&s) {
            skills.push(s);
        }
    }
    skills
}

fn description(rng: &mut SplitMix, title: &str, company: &str, skills: &[&str]) -> String {
    let s = |rng: &mut SplitMix| rng.pick(skills);
    match rng.below(6) {
        0 => format!(
            "{title} with {} years of experience in {}, {}, and {}.",
            rng.range(1, 25),
            s(rng),
            s(rng),
            s(rng)
        ),
        1 => format!(
            "Responsible for {}, {} and {}.\nKey achievements:\n• Reduced costs by {}%\n• Mentored {} colleagues",
            s(rng),
            s(rng),
            s(rng),
            rng.range(3, 40),
            rng.range(1, 9)
        ),
        2 => format!(
            "Led the {} initiative (budget €{}k) – cross-functional team of {} people.",
            s(rng),
            rng.range(50, 900),
            rng.range(3, 30)
        ),
        3 => format!("Working on {} and {} at {company}.", s(rng), s(rng)),
        4 => format!(
            "Known as the \"{} person\" on the team; day-to-day work covers {}, {}.",
            s(rng),
            s(rng),
            s(rng)
        ),
        _ => format!("Day-to-day: {}, {}; \"always learning\".\r\nBased on-site.", s(rng), s(rng)),
    }
}

fn headline(
    rng: &mut SplitMix,
    title: &str,
    company: &str,
    prev: &str,
    city: &str,
    skills: &[&str],
) -> String {
    match rng.below(5) {
        0 => format!("{title} at {company}"),
        1 => format!("{title} — {city}"),
        2 => format!("{title} @ {company} | ex-{prev}"),
        3 => format!("{title} · \"{}\" enthusiast", rng.pick(skills)),
        _ => format!(
            "{title} | {}, {} & {}",
            rng.pick(skills),
            rng.pick(skills),
            rng.pick(skills)
        ),
    }
}

/// Builds the record with this id for this seed. Pure: same inputs, same record.
pub(crate) fn employee(seed: u64, id: u64) -> Employee {
    let mut rng = SplitMix::new(seed ^ id.wrapping_mul(0xA076_1D64_78BD_642F));
    rng.next_u64();
    let table = companies();

    let first = rng.pick(FIRST_NAMES);
    let last = rng.pick(LAST_NAMES);
    let middle = if rng.chance(20) {
        Some(rng.pick(FIRST_NAMES))
    } else {
        None
    };
    let mut full_name = match middle {
        Some(m) => format!("{first} {m} {last}"),
        None => format!("{first} {last}"),
    };
    if rng.chance(4) {
        full_name = format!("{first} \"{}\" {last}", rng.pick(NICKNAMES));
    }
    if rng.chance(4) {
        full_name = format!("{full_name}, {}", rng.pick(NAME_SUFFIXES));
    }
    let slug = format!(
        "{}-{:08x}",
        slugify(&format!("{first} {last}")),
        rng.next_u64() as u32
    );

    let (city, region, country, world) = rng.pick(PLACES);
    let location_full = format!("{city}, {region}, {country}");
    let location_raw_address = if rng.chance(20) {
        format!("{city}, {country}")
    } else {
        location_full.clone()
    };

    let dept = pick_department(&mut rng);
    let exec = dept.name == "C-Suite";
    let level = if exec {
        rng.pick(EXEC_LEVELS)
    } else {
        pick_weighted(&mut rng, LEVELS)
    };
    let job_title = if exec && level == "C-Level" {
        rng.pick(dept.titles).to_string()
    } else {
        title_for(&mut rng, dept, level)
    };
    let skills = pick_skills(&mut rng, dept);
    let is_working = u8::from(rng.chance(88));

    // Experience, newest first.
    let n_exp = rng.range(1, 4);
    let mut experience = Vec::new();
    let mut current_company = &table[0];
    let mut end = TODAY_MONTHS - if is_working == 1 { 0 } else { rng.range(1, 18) };
    for i in 0..n_exp {
        let company = &table[rng.below(table.len() as u64) as usize];
        if i == 0 {
            current_company = company;
        }
        let months = rng.range(4, 84);
        let start = end.saturating_sub(months);
        let current = i == 0 && is_working == 1;
        let (exp_level, exp_title) = if i == 0 {
            (level, job_title.clone())
        } else {
            let l = if exec {
                "Manager"
            } else {
                pick_weighted(&mut rng, LEVELS)
            };
            (l, title_for(&mut rng, dept, l))
        };
        experience.push(Experience {
            company_id: company.id,
            company_name: company.name.as_str().into(),
            company_professional_network_url: format!("linkedin.com/company/{}", company.slug),
            company_shorthand_name: company.slug.as_str().into(),
            company_website: company.website.as_str().into(),
            company_industry: company.industry.into(),
            company_size_employees_count: company.size,
            description: description(&mut rng, &exp_title, &company.name, &skills),
            title: exp_title,
            department: dept.name.into(),
            management_level: exp_level.into(),
            date_from: ym(start),
            date_to: if current { None } else { Some(ym(end)) },
            duration: duration_text(months),
            duration_months: months,
            location: format!("{city}, {country}"),
            order_in_profile: i + 1,
        });
        end = start.saturating_sub(rng.range(0, 6));
    }
    let prev_company = experience
        .get(1)
        .map(|e| e.company_name.as_ref())
        .unwrap_or("Freelance");

    let edu_end_year = end / 12;
    let n_edu = rng.range(0, 2);
    let education = (0..n_edu)
        .map(|i| {
            let title = rng.pick(INSTITUTIONS);
            let to = edu_end_year.saturating_sub(i * 3);
            Education {
                title: title.into(),
                major: format!("{}, {}", rng.pick(DEGREES), rng.pick(MAJORS)),
                institution_url: if rng.chance(70) {
                    Some(format!(
                        "https://www.linkedin.com/school/{}/",
                        slugify(title)
                    ))
                } else {
                    None
                },
                description: if rng.chance(15) {
                    Some("Thesis: \"Scaling, measuring & shipping\"\nGPA 3.8".to_string())
                } else {
                    None
                },
                date_from: to.saturating_sub(rng.range(2, 5)),
                date_to: to,
                order_in_profile: i + 1,
            }
        })
        .collect();

    let native = native_language(country);
    let mut languages = vec![Language {
        language: native.into(),
        proficiency: "Native or bilingual proficiency".into(),
        order_in_profile: 1,
    }];
    if native != "English" {
        languages.push(Language {
            language: "English".into(),
            proficiency: rng.pick(PROFICIENCIES).into(),
            order_in_profile: 2,
        });
    }

    let certifications = if rng.chance(25) {
        vec![Certification {
            name: rng.pick(CERTIFICATIONS).into(),
            issuer: table[rng.below(table.len() as u64) as usize]
                .name
                .as_str()
                .into(),
            date_from: ym(TODAY_MONTHS - rng.range(1, 60)),
            date_to: None,
        }]
    } else {
        Vec::new()
    };
    let recommendations = if rng.chance(10) {
        let rf = rng.pick(FIRST_NAMES);
        let rl = rng.pick(LAST_NAMES);
        vec![Recommendation {
            recommendation: format!("\"{first} is a rare {job_title}, calm under pressure.\"\nWould hire again, without hesitation."),
            referee_name: format!("{rf} {rl}"),
            referee_url: format!("https://www.linkedin.com/in/{}", slugify(&format!("{rf} {rl}"))),
        }]
    } else {
        Vec::new()
    };

    let company_name: &'static str = &current_company.name;
    let headline = headline(
        &mut rng,
        &job_title,
        company_name,
        prev_company,
        city,
        &skills,
    );
    let last_updated_day = rng.below(360);
    let description = description(&mut rng, &job_title, company_name, &skills);
    Employee {
        id,
        last_updated: format!(
            "{:04}-{:02}-{:02}",
            2024 + (6 + last_updated_day / 30) / 12,
            (6 + last_updated_day / 30) % 12 + 1,
            last_updated_day % 28 + 1
        ),
        is_deleted: 0,
        is_hidden: 0,
        full_name,
        name_first: first.into(),
        name_middle: middle.map(Cow::Borrowed),
        name_last: last.into(),
        websites_professional_network: format!("https://www.linkedin.com/in/{slug}"),
        shorthand_names: vec![slug],
        picture_url: if rng.chance(60) {
            Some(format!("https://media.example.com/profile/{id}.jpg"))
        } else {
            None
        },
        follower_count: rng.below(5_000),
        connections_count: rng.below(501),
        headline,
        generated_headline: job_title.clone(),
        job_title,
        description,
        company_id: current_company.id,
        company_name: company_name.into(),
        company_website: current_company.website.as_str().into(),
        company_industry: current_company.industry.into(),
        management_level: level.into(),
        department: dept.name.into(),
        is_working,
        is_decision_maker: u8::from(matches!(
            level,
            "Head"
                | "Director"
                | "Vice President"
                | "C-Level"
                | "Founder"
                | "Owner"
                | "President"
                | "Partner"
        )),
        location_full,
        location_raw_address,
        location_country: country.into(),
        location_regions: vec![world.into()],
        skills: skills.into_iter().map(Cow::Borrowed).collect(),
        experience,
        education,
        languages,
        certifications,
        awards: EmptyList,
        organizations: EmptyList,
        publications: EmptyList,
        patents: EmptyList,
        recommendations,
    }
}
