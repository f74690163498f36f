//! What one cell is, and what a column's cells add up to: the evidence behind [`super::ValueKind`].

use super::address;
use super::columns::ValueKind;
use super::companies::{company_value, CompanyKey};
use super::values::{profile_value, ListValue};

/// Column names that say what a column holds, compared lower-case with only letters and digits
/// kept ("Employee ID", "employee_id" and "EmployeeId" are alike).
const ID_NAMES: &[&str] = &[
    "id",
    "ids",
    "employeeid",
    "employeeids",
    "coresignalid",
    "coresignalemployeeid",
    "memberid",
    "mitarbeiterid",
    "idempleado",
    "idemploye",
    "identifiant",
];
const PROFILE_NAMES: &[&str] = &[
    "linkedin",
    "linkedinurl",
    "linkedinurls",
    "linkedinprofile",
    "linkedinprofileurl",
    "linkedinlink",
    "linkedinaddress",
    "profile",
    "profileurl",
    "profilelink",
    "profiles",
    "personlinkedinurl",
    "publicprofileurl",
    "url",
    "urls",
    "shorthand",
    "shorthandname",
    "shorthandnames",
    "publicidentifier",
    "websitesprofessionalnetwork",
    "profil",
    "profillink",
    "linkedinprofil",
    "perfil",
    "perfillinkedin",
    "profilolinkedin",
];
const COMPANY_NAMES: &[&str] = &[
    "company",
    "companies",
    "companyname",
    "accountname",
    "account",
    "organization",
    "organisation",
    "organizationname",
    "domain",
    "companydomain",
    "website",
    "companywebsite",
    "companyurl",
    "companylinkedinurl",
    "employer",
    "currentcompany",
    "firma",
    "unternehmen",
    "empresa",
    "entreprise",
    "societe",
    "société",
    "azienda",
    "bedrijf",
];

/// The kind a column's name suggests.
pub(super) fn hint_of(name: &str) -> Option<ValueKind> {
    let key: String = name
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    if ID_NAMES.contains(&key.as_str()) {
        Some(ValueKind::EmployeeIds)
    } else if PROFILE_NAMES.contains(&key.as_str()) {
        Some(ValueKind::ProfileAddresses)
    } else if COMPANY_NAMES.contains(&key.as_str()) {
        Some(ValueKind::Companies)
    } else {
        None
    }
}

/// One cell, classified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cell {
    Blank,
    Id(u64),
    /// A person's LinkedIn address.
    ProfileAddress,
    /// A word that could be a short name; `likely` when it looks like one (lower case, a hyphen).
    ProfileBare {
        likely: bool,
    },
    /// A company's LinkedIn address or a web domain.
    CompanyAddress,
    /// Text that could be a company's name.
    CompanyName,
    Text,
}

impl Cell {
    pub(super) fn of(text: &str) -> Self {
        let value = address::clean(text);
        match profile_value(text) {
            Ok(None) => Cell::Blank,
            Ok(Some(ListValue::Id(id))) => Cell::Id(id),
            Ok(Some(ListValue::ShortName(_))) if address::split(value).is_some() => {
                Cell::ProfileAddress
            }
            Ok(Some(ListValue::ShortName(_))) => Cell::ProfileBare {
                likely: value.contains('-') && !value.chars().any(char::is_uppercase),
            },
            Err(_) => match company_value(text) {
                Ok(Some(CompanyKey::Name(_))) => Cell::CompanyName,
                Ok(Some(_)) => Cell::CompanyAddress,
                _ => Cell::Text,
            },
        }
    }

    /// A value no header would hold: an ID, an address, a domain, a likely short name.
    pub(super) fn is_value(self) -> bool {
        matches!(
            self,
            Cell::Id(_)
                | Cell::ProfileAddress
                | Cell::CompanyAddress
                | Cell::ProfileBare { likely: true }
        )
    }

    /// Whether a column of `kind` can use this cell.
    pub(super) fn is_usable(self, kind: ValueKind) -> bool {
        match kind {
            ValueKind::EmployeeIds => matches!(self, Cell::Id(_)),
            ValueKind::ProfileAddresses => {
                matches!(
                    self,
                    Cell::Id(_) | Cell::ProfileAddress | Cell::ProfileBare { .. }
                )
            }
            ValueKind::Companies => matches!(
                self,
                Cell::CompanyAddress | Cell::CompanyName | Cell::ProfileBare { .. }
            ),
            ValueKind::Other => false,
        }
    }
}

/// The cells of one column, counted.
#[derive(Debug, Default)]
pub(super) struct Tally {
    filled: usize,
    ids: Vec<u64>,
    profile_addresses: usize,
    bare: usize,
    likely_bare: usize,
    company_addresses: usize,
    company_names: usize,
}

impl Tally {
    pub(super) fn of(cells: impl Iterator<Item = Cell>) -> Self {
        let mut tally = Tally::default();
        for cell in cells {
            tally.filled += usize::from(cell != Cell::Blank);
            match cell {
                Cell::Id(id) => tally.ids.push(id),
                Cell::ProfileAddress => tally.profile_addresses += 1,
                Cell::ProfileBare { likely } => {
                    tally.bare += 1;
                    tally.likely_bare += usize::from(likely);
                }
                Cell::CompanyAddress => tally.company_addresses += 1,
                Cell::CompanyName => tally.company_names += 1,
                Cell::Blank | Cell::Text => {}
            }
        }
        tally
    }

    fn share(&self, kind: ValueKind, hint: Option<ValueKind>) -> f64 {
        let hinted = hint == Some(kind);
        let count = match kind {
            ValueKind::EmployeeIds => self.ids.len(),
            ValueKind::ProfileAddresses if hinted => self.profile_addresses + self.bare,
            ValueKind::ProfileAddresses => self.profile_addresses + self.likely_bare,
            ValueKind::Companies if hinted => {
                self.company_addresses + self.company_names + self.bare
            }
            ValueKind::Companies => self.company_addresses,
            ValueKind::Other => 0,
        };
        if self.filled == 0 {
            0.0
        } else {
            count as f64 / self.filled as f64
        }
    }

    /// What most filled values are. The name decides unless at least 80% of the values say
    /// another kind; without a telling name, the majority decides.
    pub(super) fn kind(&self, hint: Option<ValueKind>) -> ValueKind {
        const ORDER: [ValueKind; 3] = [
            ValueKind::ProfileAddresses,
            ValueKind::EmployeeIds,
            ValueKind::Companies,
        ];
        let top = |at_least: f64| {
            let mut best: Option<(ValueKind, f64)> = None;
            for kind in ORDER {
                let share = self.share(kind, hint);
                if share >= at_least && best.is_none_or(|(_, s)| share > s) {
                    best = Some((kind, share));
                }
            }
            best.map(|(kind, _)| kind)
        };
        if let Some(named) = hint {
            match top(0.8) {
                Some(content) if content != named => return content,
                _ if self.share(named, hint) >= 0.5 => return named,
                _ => {}
            }
        }
        top(0.5).unwrap_or(ValueKind::Other)
    }

    /// Small numbers (all below 1,000) or 1, 2, 3…: a row counter more likely than IDs.
    fn counter(&self) -> bool {
        self.ids.iter().all(|id| *id < 1000)
            || (self.ids.len() > 1
                && self
                    .ids
                    .windows(2)
                    .all(|w| w[0].checked_add(1) == Some(w[1])))
    }

    /// How strongly this column should be chosen (lower first), with its share of usable values;
    /// `None` when it holds nothing to use. A column named for IDs with IDs in it comes first, then
    /// profile addresses, other IDs, companies, and last numbers that look like a row counter.
    pub(super) fn rank(
        &self,
        kind: ValueKind,
        hint: Option<ValueKind>,
        usable: usize,
        filled: usize,
    ) -> Option<(u8, f64)> {
        let rank = match kind {
            ValueKind::Other => return None,
            ValueKind::EmployeeIds if self.counter() => 4,
            ValueKind::EmployeeIds if hint == Some(ValueKind::EmployeeIds) => 0,
            ValueKind::ProfileAddresses => 1,
            ValueKind::EmployeeIds => 2,
            ValueKind::Companies => 3,
        };
        Some((rank, usable as f64 / filled.max(1) as f64))
    }
}
