//! The synthetic Clean Employee corpus: deterministic records shaped like the service's output.
//!
//! Every record is a pure function of `(seed, id)`: [`employee`] builds it, so the same id always
//! yields the same bytes for a given seed. The searchable *corpus* is a seeded set of ids
//! ([`Corpus::build`]); ID-file requests may name any id that [`id_exists`].

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, Weak};

/// Smallest id that exists in the simulated database.
pub const MIN_ID: u64 = 1;
/// Largest id that exists in the simulated database (ids are at most nine digits).
pub const MAX_ID: u64 = 999_999_999;

/// Whether a record with this id exists: every id in `1..=999_999_999` does, nothing else.
pub fn id_exists(id: u64) -> bool {
    (MIN_ID..=MAX_ID).contains(&id)
}

/// A tiny, version-stable pseudo-random generator (SplitMix64).
#[derive(Clone, Debug)]
pub(crate) struct SplitMix(u64);

impl SplitMix {
    pub(crate) fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    pub(crate) fn range(&mut self, lo: u64, hi_inclusive: u64) -> u64 {
        lo + self.below(hi_inclusive - lo + 1)
    }

    pub(crate) fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub(crate) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        // Index is reduced modulo the length, so it is always in bounds for a non-empty slice;
        // every list passed here is a non-empty constant.
        items[self.below(items.len() as u64) as usize]
    }
}

// ---------------------------------------------------------------------------------------------
// Word lists
// ---------------------------------------------------------------------------------------------

#[rustfmt::skip]
const FIRST_NAMES: &[&str] = &[
    "Mehmet", "Niamh", "Camila", "Yusuf", "Emily", "Thabo", "Zeynep", "Lucas", "José", "Zoë",
    "Søren", "Łukasz", "François", "Björn", "Chloé", "Siobhán", "Jürgen", "Ana", "Mei", "Hiroshi",
    "Priya", "Olúwaseun", "Ngozi", "Aisha", "Matías", "Dmitri", "Élodie", "Kateřina", "Inês",
    "Raúl", "Wei", "Sven", "Ingrid", "Ahmed", "Fatima", "Kwame", "Liam", "Olivia", "Noah", "Emma",
    "Mateo", "Sofía", "Jonas", "Agnė", "Rūta", "Tomás", "Anne-Marie", "Jean-Luc", "Grace", "Ravi",
];

#[rustfmt::skip]
const LAST_NAMES: &[&str] = &[
    "McDonald", "Walker", "Jackson", "Yang", "Sanchez", "Jensen", "Oliveira", "Tanaka", "Müller",
    "García", "O'Brien", "Nowak", "Kowalski", "Dubois", "Nguyễn", "Østergaard", "Šimkus",
    "Petrauskas", "Smith", "Johnson", "Brown", "Kim", "Singh", "Patel", "Rossi", "Ferreira",
    "van der Berg", "Al-Sayed", "D'Angelo", "Łęcki", "Žukauskas", "Yılmaz", "Andersson", "Schäfer",
    "López", "Novák", "Ivanova", "Okafor", "Mensah", "Chen", "Wang", "Sato", "Suzuki", "Dvořák",
];

const NICKNAMES: &[&str] = &["Bobby", "Kat", "Dee", "J.J.", "Sunny", "Max"];
const NAME_SUFFIXES: &[&str] = &["PhD", "MBA", "Jr.", "CPA"];

/// (city, region, country, world region)
type Place = (&'static str, &'static str, &'static str, &'static str);
const PLACES: &[Place] = &[
    ("Austin", "Texas", "United States", "North America"),
    ("Boston", "Massachusetts", "United States", "North America"),
    ("New York", "New York", "United States", "North America"),
    (
        "San Francisco",
        "California",
        "United States",
        "North America",
    ),
    ("Chicago", "Illinois", "United States", "North America"),
    ("Seattle", "Washington", "United States", "North America"),
    ("London", "England", "United Kingdom", "Europe"),
    ("Manchester", "England", "United Kingdom", "Europe"),
    ("Edinburgh", "Scotland", "United Kingdom", "Europe"),
    ("Berlin", "Berlin", "Germany", "Europe"),
    ("München", "Bavaria", "Germany", "Europe"),
    ("Stockholm", "Stockholm County", "Sweden", "Europe"),
    ("Vilnius", "Vilniaus apskritis", "Lithuania", "Europe"),
    ("Kaunas", "Kauno apskritis", "Lithuania", "Europe"),
    ("Montréal", "Québec", "Canada", "North America"),
    ("Toronto", "Ontario", "Canada", "North America"),
    ("São Paulo", "São Paulo", "Brazil", "South America"),
    ("Bengaluru", "Karnataka", "India", "Asia"),
    ("Mumbai", "Maharashtra", "India", "Asia"),
    ("Kraków", "Lesser Poland", "Poland", "Europe"),
    ("Tokyo", "Tokyo", "Japan", "Asia"),
    ("Madrid", "Community of Madrid", "Spain", "Europe"),
    ("København", "Capital Region", "Denmark", "Europe"),
    ("Ciudad de México", "CDMX", "Mexico", "North America"),
    ("Zürich", "Zurich", "Switzerland", "Europe"),
    ("Paris", "Île-de-France", "France", "Europe"),
    ("Lagos", "Lagos", "Nigeria", "Africa"),
    ("Cape Town", "Western Cape", "South Africa", "Africa"),
    ("Sydney", "New South Wales", "Australia", "Oceania"),
    ("İstanbul", "İstanbul", "Turkey", "Europe"),
];

fn native_language(country: &str) -> &'static str {
    match country {
        "Germany" | "Switzerland" => "German",
        "Sweden" => "Swedish",
        "Lithuania" => "Lithuanian",
        "Canada" | "France" => "French",
        "Brazil" => "Portuguese",
        "India" => "Hindi",
        "Poland" => "Polish",
        "Japan" => "Japanese",
        "Spain" | "Mexico" => "Spanish",
        "Denmark" => "Danish",
        "Nigeria" => "Yoruba",
        "South Africa" => "Afrikaans",
        "Turkey" => "Turkish",
        _ => "English",
    }
}

#[rustfmt::skip]
const PROFICIENCIES: &[&str] = &[
    "Professional working proficiency", "Full professional proficiency",
    "Limited working proficiency", "Elementary proficiency",
];

/// A department: its name, short name, role titles and skills.
struct Department {
    name: &'static str,
    short: &'static str,
    titles: &'static [&'static str],
    skills: &'static [&'static str],
}

const DEPARTMENTS: &[(u64, Department)] = &[
    (
        18,
        Department {
            name: "Engineering and Technical",
            short: "Engineering",
            titles: &[
                "Software Engineer",
                "Backend Engineer",
                "Data Engineer",
                "Data Scientist",
                "DevOps Engineer",
                "Frontend Developer",
                "Machine Learning Engineer",
                "QA Engineer",
                "Site Reliability Engineer",
                "Mobile Developer",
                "Python Developer",
            ],
            skills: &[
                "python",
                "java",
                "javascript",
                "typescript",
                "sql",
                "kubernetes",
                "aws",
                "docker",
                "react",
                "go",
                "rust",
                "c#",
                "node.js",
                "spark",
                "terraform",
                "linux",
                "machine learning",
            ],
        },
    ),
    (
        14,
        Department {
            name: "Sales",
            short: "Sales",
            titles: &[
                "Account Executive",
                "Sales Representative",
                "Key Account Manager",
                "Business Development Representative",
            ],
            skills: &[
                "cold calling",
                "hubspot",
                "crm",
                "account management",
                "negotiation",
                "salesforce",
                "lead generation",
                "saas",
            ],
        },
    ),
    (
        12,
        Department {
            name: "Finance & Accounting",
            short: "Finance",
            titles: &[
                "Accountant",
                "Financial Analyst",
                "Controller",
                "Auditor",
                "Tax Advisor",
            ],
            skills: &[
                "excel",
                "ifrs",
                "sap",
                "financial modeling",
                "budgeting",
                "p&l management",
                "vba",
                "power bi",
            ],
        },
    ),
    (
        10,
        Department {
            name: "Medical",
            short: "Medical",
            titles: &[
                "Nurse",
                "Physiotherapist",
                "General Practitioner",
                "Pharmacist",
                "Clinical Research Associate",
            ],
            skills: &[
                "patient care",
                "epic systems",
                "clinical research",
                "problem solving",
                "first aid",
                "gcp",
            ],
        },
    ),
    (
        9,
        Department {
            name: "Marketing",
            short: "Marketing",
            titles: &[
                "Marketing Specialist",
                "SEO Specialist",
                "Content Writer",
                "Brand Manager",
                "Growth Marketer",
            ],
            skills: &[
                "seo",
                "google analytics",
                "copywriting",
                "content strategy",
                "social media",
                "sql",
                "hubspot",
            ],
        },
    ),
    (
        7,
        Department {
            name: "Education",
            short: "Education",
            titles: &[
                "Teacher",
                "Lecturer",
                "Teaching Assistant",
                "Curriculum Designer",
            ],
            skills: &[
                "curriculum design",
                "classroom management",
                "public speaking",
                "e-learning",
                "scratch",
            ],
        },
    ),
    (
        7,
        Department {
            name: "Operations",
            short: "Operations",
            titles: &[
                "Operations Analyst",
                "Logistics Coordinator",
                "Supply Chain Analyst",
                "Project Manager",
            ],
            skills: &["lean", "six sigma", "sap", "excel", "logistics", "jira"],
        },
    ),
    (
        6,
        Department {
            name: "Customer Service",
            short: "Customer Service",
            titles: &[
                "Customer Success Manager",
                "Support Specialist",
                "Call Center Agent",
            ],
            skills: &["zendesk", "customer support", "communication", "crm"],
        },
    ),
    (
        5,
        Department {
            name: "Human Resources",
            short: "People",
            titles: &[
                "HR Generalist",
                "Recruiter",
                "Talent Partner",
                "People Partner",
            ],
            skills: &["recruiting", "onboarding", "workday", "employee relations"],
        },
    ),
    (
        4,
        Department {
            name: "Legal",
            short: "Legal",
            titles: &["Lawyer", "Legal Counsel", "Paralegal"],
            skills: &["contract law", "compliance", "gdpr", "litigation"],
        },
    ),
    (
        4,
        Department {
            name: "Design",
            short: "Design",
            titles: &[
                "Product Designer",
                "UX Designer",
                "Art Director",
                "Graphic Designer",
            ],
            skills: &[
                "figma",
                "sketch",
                "illustrator",
                "user research",
                "photoshop",
            ],
        },
    ),
    (
        4,
        Department {
            name: "Research",
            short: "Research",
            titles: &["Research Scientist", "Data Analyst", "Research Assistant"],
            skills: &["python", "r", "statistics", "matlab", "sql"],
        },
    ),
    (
        3,
        Department {
            name: "C-Suite",
            short: "Executive",
            titles: &[
                "Chief Executive Officer",
                "Chief Technology Officer",
                "Chief Financial Officer",
                "Chief Operating Officer",
            ],
            skills: &[
                "leadership",
                "strategy",
                "fundraising",
                "p&l management",
                "board relations",
            ],
        },
    ),
];

const LEVELS: &[(u64, &str)] = &[
    (50, "Specialist"),
    (14, "Manager"),
    (8, "Senior"),
    (6, "Head"),
    (5, "Director"),
    (5, "Intern"),
    (2, "Vice President"),
    (2, "Partner"),
];
const EXEC_LEVELS: &[&str] = &["C-Level", "Founder", "Owner", "President"];

#[rustfmt::skip]
const COMPANY_PREFIX: &[&str] = &[
    "Acme", "Lakeside", "Orbit", "Northwind", "Pioneer", "Crescent", "Summit", "Oakridge",
    "Initech", "Globex", "Blue Harbor", "Nordlys", "Vértice", "Żagiel", "Kōyō", "Siemens",
    "Evergreen", "Silverline", "Redwood", "Åkerlund",
];
const COMPANY_MIDDLE: &[(&str, &str)] = &[
    ("Data", "IT Services and IT Consulting"),
    ("Pharma", "Pharmaceutical Manufacturing"),
    ("Media", "Media Production"),
    ("Capital", "Financial Services"),
    ("Labs", "Research Services"),
    ("Health", "Hospitals and Health Care"),
    (
        "Logistics",
        "Transportation, Logistics, Supply Chain and Storage",
    ),
    ("Education", "Education Administration Programs"),
    ("Systems", "Software Development"),
    ("Energy", "Renewable Energy Power Generation"),
    ("Foods", "Food and Beverage Manufacturing"),
    ("Robotics", "Automation Machinery Manufacturing"),
];
#[rustfmt::skip]
const COMPANY_SUFFIX: &[&str] = &[
    "AB", "GmbH", "plc", "Inc.", "B.V.", "Group", "UAB", "S.A.", "Ltd", "Co., Ltd.", "SE", "LLC",
];
const COMPANY_SIZES: &[u64] = &[8, 25, 120, 450, 1_200, 5_000, 87_000];

#[rustfmt::skip]
const INSTITUTIONS: &[&str] = &[
    "Københavns Universitet", "Vilniaus universitetas", "Technische Universität München",
    "Universidade de São Paulo", "University of Oxford", "Massachusetts Institute of Technology",
    "Université de Montréal", "Uniwersytet Jagielloński", "Indian Institute of Technology Bombay",
    "The University of Tokyo", "Universidad Complutense de Madrid", "Stockholms universitet",
    "Kauno technologijos universitetas", "University of Cape Town", "ETH Zürich",
];
const DEGREES: &[&str] = &["BSc", "MSc", "BA", "MA", "MBA", "PhD"];
#[rustfmt::skip]
const MAJORS: &[&str] = &[
    "Computer Science", "Data Science", "Economics", "Nursing", "Law", "Mechanical Engineering",
    "Marketing", "Physics", "Psychology", "Graphic Design", "Business Administration",
];
#[rustfmt::skip]
const CERTIFICATIONS: &[&str] = &[
    "AWS Certified Solutions Architect", "Certified Salesforce Professional", "PMP",
    "Google Analytics Certification", "CFA Level II", "Certified Kubernetes Administrator",
];

// ---------------------------------------------------------------------------------------------
// Record types
// ---------------------------------------------------------------------------------------------

/// A company of the fixed, seed-independent company table.
#[derive(Debug)]
pub(crate) struct Company {
    pub(crate) id: u64,
    pub(crate) name: String,
    pub(crate) slug: String,
    pub(crate) website: String,
    pub(crate) industry: &'static str,
    pub(crate) size: u64,
}

pub(crate) fn companies() -> &'static [Company] {
    static TABLE: OnceLock<Vec<Company>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut rng = SplitMix::new(0xC0FF_EE00);
        let mut out = Vec::new();
        for prefix in COMPANY_PREFIX {
            for (middle, industry) in COMPANY_MIDDLE {
                let suffix = rng.pick(COMPANY_SUFFIX);
                let name = format!("{prefix} {middle} {suffix}");
                let slug = slugify(&name);
                out.push(Company {
                    id: 1_000_000 + rng.below(9_000_000),
                    website: format!("{}.com", slug.replace('-', "")),
                    slug,
                    name,
                    industry,
                    size: rng.pick(COMPANY_SIZES),
                });
            }
        }
        out
    })
}

/// ASCII slug of a name: letters folded to ASCII where known, other runs become one `-`.
pub(crate) fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.to_lowercase().chars() {
        let folded = match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ą' => "a",
            'é' | 'è' | 'ê' | 'ë' | 'ę' | 'ė' => "e",
            'í' | 'ì' | 'î' | 'ï' | 'ı' => "i",
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ō' | 'ø' => "o",
            'ú' | 'ù' | 'û' | 'ü' | 'ū' => "u",
            'ç' | 'č' => "c",
            'ł' => "l",
            'ñ' | 'ń' => "n",
            'š' | 'ś' => "s",
            'ž' | 'ż' | 'ź' => "z",
            'ř' => "r",
            'ễ' => "e",
            'ß' => "ss",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => "-",
        };
        if folded == "-" {
            if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push_str(folded);
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// A string of a record: borrowed from the word lists when generated, owned when changed.
pub(crate) type Str = Cow<'static, str>;

/// A list that is always empty in this corpus (awards, organizations, publications, patents).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct EmptyList;

impl<'de> Deserialize<'de> for EmptyList {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let items = Vec::<serde::de::IgnoredAny>::deserialize(d)?;
        match items.is_empty() {
            true => Ok(EmptyList),
            false => Err(serde::de::Error::custom(
                "awards, organizations, publications and patents stay empty in the simulator",
            )),
        }
    }
}

impl Serialize for EmptyList {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        s.serialize_seq(Some(0))?.end()
    }
}

/// One `experience[]` item.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Experience {
    pub(crate) company_id: u64,
    pub(crate) company_name: Str,
    pub(crate) company_professional_network_url: String,
    pub(crate) company_shorthand_name: Str,
    pub(crate) company_website: Str,
    pub(crate) company_industry: Str,
    pub(crate) company_size_employees_count: u64,
    pub(crate) title: String,
    pub(crate) description: String,
    pub(crate) department: Str,
    pub(crate) management_level: Str,
    pub(crate) date_from: String,
    pub(crate) date_to: Option<String>,
    pub(crate) duration: String,
    pub(crate) duration_months: u64,
    pub(crate) location: String,
    pub(crate) order_in_profile: u64,
}

/// One `education[]` item.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Education {
    pub(crate) title: Str,
    pub(crate) major: String,
    pub(crate) institution_url: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) date_from: u64,
    pub(crate) date_to: u64,
    pub(crate) order_in_profile: u64,
}

/// One `languages[]` item.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Language {
    pub(crate) language: Str,
    pub(crate) proficiency: Str,
    pub(crate) order_in_profile: u64,
}

/// One `certifications[]` item.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Certification {
    pub(crate) name: Str,
    pub(crate) issuer: Str,
    pub(crate) date_from: String,
    pub(crate) date_to: Option<String>,
}

/// One `recommendations[]` item.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Recommendation {
    pub(crate) recommendation: String,
    pub(crate) referee_name: String,
    pub(crate) referee_url: String,
}

/// A Clean Employee record, serialized in the service's field order.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Employee {
    pub(crate) id: u64,
    pub(crate) last_updated: String,
    pub(crate) is_deleted: u8,
    pub(crate) is_hidden: u8,
    pub(crate) full_name: String,
    pub(crate) name_first: Str,
    pub(crate) name_middle: Option<Str>,
    pub(crate) name_last: Str,
    pub(crate) websites_professional_network: String,
    pub(crate) shorthand_names: Vec<String>,
    pub(crate) picture_url: Option<String>,
    pub(crate) follower_count: u64,
    pub(crate) connections_count: u64,
    pub(crate) headline: String,
    pub(crate) generated_headline: String,
    pub(crate) job_title: String,
    pub(crate) description: String,
    pub(crate) company_id: u64,
    pub(crate) company_name: Str,
    pub(crate) company_website: Str,
    pub(crate) company_industry: Str,
    pub(crate) management_level: Str,
    pub(crate) department: Str,
    pub(crate) is_working: u8,
    pub(crate) is_decision_maker: u8,
    pub(crate) location_full: String,
    pub(crate) location_raw_address: String,
    pub(crate) location_country: Str,
    pub(crate) location_regions: Vec<Str>,
    pub(crate) skills: Vec<Str>,
    pub(crate) experience: Vec<Experience>,
    pub(crate) education: Vec<Education>,
    pub(crate) languages: Vec<Language>,
    pub(crate) certifications: Vec<Certification>,
    pub(crate) awards: EmptyList,
    pub(crate) organizations: EmptyList,
    pub(crate) publications: EmptyList,
    pub(crate) patents: EmptyList,
    pub(crate) recommendations: Vec<Recommendation>,
}

/// The partial record the preview endpoint returns.
#[derive(Debug, Serialize)]
pub(crate) struct PreviewRecord<'a> {
    id: u64,
    full_name: &'a str,
    websites_professional_network: &'a str,
    headline: &'a str,
    job_title: &'a str,
    location_full: &'a str,
    location_raw_address: &'a str,
    location_country: &'a str,
    connections_count: u64,
    follower_count: u64,
    company_name: &'a str,
    company_professional_network_url: Option<&'a str>,
    company_website: &'a str,
    company_industry: &'a str,
}

impl Employee {
    /// The preview projection of this record.
    pub(crate) fn preview(&self) -> PreviewRecord<'_> {
        PreviewRecord {
            id: self.id,
            full_name: &self.full_name,
            websites_professional_network: &self.websites_professional_network,
            headline: &self.headline,
            job_title: &self.job_title,
            location_full: &self.location_full,
            location_raw_address: &self.location_raw_address,
            location_country: &self.location_country,
            connections_count: self.connections_count,
            follower_count: self.follower_count,
            company_name: &self.company_name,
            company_professional_network_url: self
                .experience
                .first()
                .map(|e| e.company_professional_network_url.as_str()),
            company_website: &self.company_website,
            company_industry: &self.company_industry,
        }
    }

    /// The record as one JSON line (no trailing newline).
    pub(crate) fn to_json_line(&self) -> String {
        // Serializing plain structs of strings and numbers cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

// ---------------------------------------------------------------------------------------------
// Generation
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Corpus
// ---------------------------------------------------------------------------------------------

/// The searchable records: `size` distinct seeded ids, sorted ascending, with their records.
#[derive(Debug)]
pub(crate) struct Corpus {
    pub(crate) seed: u64,
    pub(crate) records: Vec<Employee>,
}

impl Corpus {
    /// Builds the corpus for `(seed, size)`, or returns the one already built and still in use.
    pub(crate) fn shared(seed: u64, size: usize) -> Arc<Corpus> {
        type Cache = Mutex<HashMap<(u64, usize), Weak<Corpus>>>;
        static CACHE: OnceLock<Cache> = OnceLock::new();
        let cache = CACHE.get_or_init(Default::default);
        let mut guard = cache.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(c) = guard.get(&(seed, size)).and_then(Weak::upgrade) {
            return c;
        }
        let corpus = Arc::new(Corpus::build(seed, size));
        guard.retain(|_, w| w.strong_count() > 0);
        guard.insert((seed, size), Arc::downgrade(&corpus));
        corpus
    }

    /// Builds a fresh corpus of `size` records for `seed`.
    pub(crate) fn build(seed: u64, size: usize) -> Corpus {
        let mut rng = SplitMix::new(seed.wrapping_add(0x5EED));
        let mut ids = std::collections::BTreeSet::new();
        while ids.len() < size {
            ids.insert(rng.range(MIN_ID, MAX_ID));
        }
        Corpus {
            seed,
            records: ids.into_iter().map(|id| employee(seed, id)).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_deterministic() {
        assert_eq!(
            employee(7, 12345).to_json_line(),
            employee(7, 12345).to_json_line()
        );
        assert_ne!(
            employee(7, 12345).to_json_line(),
            employee(8, 12345).to_json_line()
        );
        let a = Corpus::build(3, 50);
        let b = Corpus::build(3, 50);
        let ids = |c: &Corpus| c.records.iter().map(|r| r.id).collect::<Vec<_>>();
        assert_eq!(ids(&a), ids(&b));
        assert!(ids(&a).windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn records_look_like_the_service() {
        let line = employee(1, 99159).to_json_line();
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert!(line.starts_with("{\"id\":99159,"));
        for key in [
            "full_name",
            "experience",
            "education",
            "skills",
            "location_country",
            "awards",
        ] {
            assert!(v.get(key).is_some(), "{key}");
        }
        assert!(v["experience"][0]["company_name"].is_string());
        // Across a few hundred records we see non-ASCII, quotes and line breaks.
        let all: String = (1..400).map(|id| employee(1, id).to_json_line()).collect();
        assert!(!all.is_ascii());
        assert!(all.contains("\\\"") && all.contains("\\n"));
        assert!(!all.contains('\n'));
    }

    #[test]
    fn existence_rule() {
        assert!(!id_exists(0));
        assert!(id_exists(1) && id_exists(999_999_999));
        assert!(!id_exists(1_000_000_000));
    }

    #[test]
    fn slugs_are_ascii() {
        assert_eq!(slugify("Żagiel Data Co., Ltd."), "zagiel-data-co-ltd");
        assert_eq!(slugify("Zoë O'Brien"), "zoe-o-brien");
    }
}
