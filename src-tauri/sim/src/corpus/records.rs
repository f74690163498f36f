//! The record types, in the service's field order, and the fixed company table.

use super::words::{COMPANY_MIDDLE, COMPANY_PREFIX, COMPANY_SIZES, COMPANY_SUFFIX};
use super::SplitMix;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::sync::OnceLock;

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
