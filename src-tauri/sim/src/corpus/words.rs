//! The word lists records are made of: names, places, languages, levels, companies, schools.

#[rustfmt::skip]
pub(super) const FIRST_NAMES: &[&str] = &[
    "Mehmet", "Niamh", "Camila", "Yusuf", "Emily", "Thabo", "Zeynep", "Lucas", "José", "Zoë",
    "Søren", "Łukasz", "François", "Björn", "Chloé", "Siobhán", "Jürgen", "Ana", "Mei", "Hiroshi",
    "Priya", "Olúwaseun", "Ngozi", "Aisha", "Matías", "Dmitri", "Élodie", "Kateřina", "Inês",
    "Raúl", "Wei", "Sven", "Ingrid", "Ahmed", "Fatima", "Kwame", "Liam", "Olivia", "Noah", "Emma",
    "Mateo", "Sofía", "Jonas", "Agnė", "Rūta", "Tomás", "Anne-Marie", "Jean-Luc", "Grace", "Ravi",
];

#[rustfmt::skip]
pub(super) const LAST_NAMES: &[&str] = &[
    "McDonald", "Walker", "Jackson", "Yang", "Sanchez", "Jensen", "Oliveira", "Tanaka", "Müller",
    "García", "O'Brien", "Nowak", "Kowalski", "Dubois", "Nguyễn", "Østergaard", "Šimkus",
    "Petrauskas", "Smith", "Johnson", "Brown", "Kim", "Singh", "Patel", "Rossi", "Ferreira",
    "van der Berg", "Al-Sayed", "D'Angelo", "Łęcki", "Žukauskas", "Yılmaz", "Andersson", "Schäfer",
    "López", "Novák", "Ivanova", "Okafor", "Mensah", "Chen", "Wang", "Sato", "Suzuki", "Dvořák",
];

pub(super) const NICKNAMES: &[&str] = &["Bobby", "Kat", "Dee", "J.J.", "Sunny", "Max"];
pub(super) const NAME_SUFFIXES: &[&str] = &["PhD", "MBA", "Jr.", "CPA"];

/// (city, region, country, world region)
pub(super) type Place = (&'static str, &'static str, &'static str, &'static str);
pub(super) const PLACES: &[Place] = &[
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

pub(super) fn native_language(country: &str) -> &'static str {
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
pub(super) const PROFICIENCIES: &[&str] = &[
    "Professional working proficiency", "Full professional proficiency",
    "Limited working proficiency", "Elementary proficiency",
];

pub(super) const LEVELS: &[(u64, &str)] = &[
    (50, "Specialist"),
    (14, "Manager"),
    (8, "Senior"),
    (6, "Head"),
    (5, "Director"),
    (5, "Intern"),
    (2, "Vice President"),
    (2, "Partner"),
];
pub(super) const EXEC_LEVELS: &[&str] = &["C-Level", "Founder", "Owner", "President"];

#[rustfmt::skip]
pub(super) const COMPANY_PREFIX: &[&str] = &[
    "Acme", "Lakeside", "Orbit", "Northwind", "Pioneer", "Crescent", "Summit", "Oakridge",
    "Initech", "Globex", "Blue Harbor", "Nordlys", "Vértice", "Żagiel", "Kōyō", "Siemens",
    "Evergreen", "Silverline", "Redwood", "Åkerlund",
];
pub(super) const COMPANY_MIDDLE: &[(&str, &str)] = &[
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
pub(super) const COMPANY_SUFFIX: &[&str] = &[
    "AB", "GmbH", "plc", "Inc.", "B.V.", "Group", "UAB", "S.A.", "Ltd", "Co., Ltd.", "SE", "LLC",
];
pub(super) const COMPANY_SIZES: &[u64] = &[8, 25, 120, 450, 1_200, 5_000, 87_000];

#[rustfmt::skip]
pub(super) const INSTITUTIONS: &[&str] = &[
    "Københavns Universitet", "Vilniaus universitetas", "Technische Universität München",
    "Universidade de São Paulo", "University of Oxford", "Massachusetts Institute of Technology",
    "Université de Montréal", "Uniwersytet Jagielloński", "Indian Institute of Technology Bombay",
    "The University of Tokyo", "Universidad Complutense de Madrid", "Stockholms universitet",
    "Kauno technologijos universitetas", "University of Cape Town", "ETH Zürich",
];
pub(super) const DEGREES: &[&str] = &["BSc", "MSc", "BA", "MA", "MBA", "PhD"];
#[rustfmt::skip]
pub(super) const MAJORS: &[&str] = &[
    "Computer Science", "Data Science", "Economics", "Nursing", "Law", "Mechanical Engineering",
    "Marketing", "Physics", "Psychology", "Graphic Design", "Business Administration",
];
#[rustfmt::skip]
pub(super) const CERTIFICATIONS: &[&str] = &[
    "AWS Certified Solutions Architect", "Certified Salesforce Professional", "PMP",
    "Google Analytics Certification", "CFA Level II", "Certified Kubernetes Administrator",
];
