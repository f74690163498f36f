//! Call 6: the search preview. Up to 20 partial records, each reduced to the few columns a person
//! checks before paying for a collection. Any field may be missing; nothing else is assumed.

use serde::Serialize;
use serde_json::Value;

use super::classify::{error_of, Answer, Call};
use super::error::ApiError;

/// The most people one preview shows (the service sends at most 20).
pub const PREVIEW_PEOPLE: usize = 20;

/// One sample person of a preview.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize)]
#[ts(export)]
pub struct PreviewPerson {
    /// The employee id.
    #[ts(type = "number | null")]
    pub id: Option<u64>,
    /// `full_name`.
    pub name: Option<String>,
    /// `job_title`, else `headline`.
    pub title: Option<String>,
    /// `company_name`.
    pub company: Option<String>,
    /// `location_country`.
    pub country: Option<String>,
}

impl PreviewPerson {
    /// The columns of one preview record; missing or empty fields are `None`.
    pub fn from_record(record: &Value) -> Self {
        let text = |field: &str| {
            record
                .get(field)
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|text| !text.is_empty())
                .map(str::to_owned)
        };
        Self {
            id: record.get("id").and_then(|id| {
                id.as_u64()
                    .or_else(|| id.as_str().and_then(|s| s.trim().parse().ok()))
            }),
            name: text("full_name"),
            title: text("job_title").or_else(|| text("headline")),
            company: text("company_name"),
            country: text("location_country"),
        }
    }
}

/// A 200 answer is a JSON array of records (objects; anything else in it is skipped).
pub(crate) fn people(answer: &Answer) -> Result<Vec<PreviewPerson>, ApiError> {
    if answer.status != 200 {
        return Err(error_of(Call::Estimate, answer));
    }
    let Some(Value::Array(records)) = answer.json() else {
        return Err(ApiError::Unexpected {
            status: 200,
            detail: Some("the preview answer is not a list of people".into()),
        });
    };
    Ok(records
        .iter()
        .filter(|record| record.is_object())
        .take(PREVIEW_PEOPLE)
        .map(PreviewPerson::from_record)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_record_maps_to_its_columns_and_missing_fields_are_none() {
        let full = json!({"id": 7, "full_name": "Ona Petraitė", "job_title": "Data Engineer",
            "headline": "ignored", "company_name": "Acme", "location_country": "Lithuania"});
        assert_eq!(
            PreviewPerson::from_record(&full),
            PreviewPerson {
                id: Some(7),
                name: Some("Ona Petraitė".into()),
                title: Some("Data Engineer".into()),
                company: Some("Acme".into()),
                country: Some("Lithuania".into()),
            }
        );
        let sparse = json!({"id": "8", "job_title": "", "headline": "Analyst at Beta"});
        let person = PreviewPerson::from_record(&sparse);
        assert_eq!(person.id, Some(8));
        assert_eq!(person.title.as_deref(), Some("Analyst at Beta"));
        assert_eq!(
            (person.name, person.company, person.country),
            (None, None, None)
        );
    }
}
