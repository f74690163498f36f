//! Call 5 read in full: the ids a query matches, a page of at most [`SEARCH_PAGE`] at a time. Free;
//! the net-new quotes list every match with it before pricing.

use serde_json::Value;

use super::classify::{credits_remaining, error_of, Answer, Call};
use super::client::ApiClient;
use super::error::ApiError;

/// The most ids the service gives in one page, asked for with `items_per_page`.
pub const SEARCH_PAGE: u32 = 1_000;

/// One page of the ids a query matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchPage {
    /// The ids of this page, in the service's order.
    pub ids: Vec<i64>,
    /// How many profiles match in all (`x-total-results`).
    pub total: u64,
    /// What to pass as `after` for the next page; `None` on the last page.
    pub next_after: Option<String>,
    /// `x-credits-remaining`, if sent.
    pub credits_remaining: Option<i64>,
}

impl ApiClient {
    /// The page of ids `es_body` matches that follows `after` (the first page without it).
    pub async fn search_page(
        &self,
        es_body: &Value,
        after: Option<&str>,
    ) -> Result<SearchPage, ApiError> {
        let per_page = SEARCH_PAGE.to_string();
        let mut query = vec![("items_per_page", per_page.as_str())];
        if let Some(after) = after {
            query.push(("after", after));
        }
        search_page(&self.search_answer(&query, es_body).await?)
    }
}

/// The ids a search listed, page after page, and whether that is all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// The ids, in the service's order (at least `cap` when the listing stopped there).
    pub ids: Vec<i64>,
    /// False when the listing stopped at its cap with more pages to read.
    pub complete: bool,
}

impl ApiClient {
    /// The ids `es_body` matches, a page at a time, until there are at least `cap` or no page
    /// is left (a page that leads back to one already read ends it too).
    pub async fn list_ids(&self, es_body: &Value, cap: u64) -> Result<Listed, ApiError> {
        let mut ids: Vec<i64> = Vec::new();
        let mut after: Option<String> = None;
        let mut seen = std::collections::HashSet::new();
        loop {
            let page = self.search_page(es_body, after.as_deref()).await?;
            ids.extend(page.ids);
            if ids.len() as u64 >= cap {
                let complete = page.next_after.is_none();
                return Ok(Listed { ids, complete });
            }
            match page.next_after {
                // A page that leads back to one already read would list forever.
                Some(next) if seen.insert(next.clone()) => after = Some(next),
                _ => {
                    return Ok(Listed {
                        ids,
                        complete: true,
                    })
                }
            }
        }
    }
}

/// Reads a search answer: a JSON array of ids, written as numbers, as text, or as objects with an
/// `id` (every variant the evidence shows is accepted); the total from `x-total-results`, or the
/// page's own length when the header is missing on a last page.
pub(crate) fn search_page(answer: &Answer) -> Result<SearchPage, ApiError> {
    if answer.status != 200 {
        return Err(error_of(Call::Estimate, answer));
    }
    let unexpected = |detail: &str| ApiError::Unexpected {
        status: 200,
        detail: Some(detail.to_owned()),
    };
    let body: Value = serde_json::from_slice(&answer.body)
        .map_err(|_| unexpected("the search answer is not JSON"))?;
    let items = body
        .as_array()
        .ok_or_else(|| unexpected("the search answer is not a list of ids"))?;
    let ids = items
        .iter()
        .map(|item| {
            id_of(item).ok_or_else(|| unexpected("the search answer has an item that is not an id"))
        })
        .collect::<Result<Vec<i64>, ApiError>>()?;
    let next_after = answer
        .header("x-next-page-after")
        .map(str::trim)
        .filter(|after| !after.is_empty() && !ids.is_empty())
        .map(str::to_owned);
    let total = match answer
        .header("x-total-results")
        .and_then(|value| value.trim().parse::<u64>().ok())
    {
        Some(total) => total,
        None if next_after.is_none() => ids.len() as u64,
        None => return Err(unexpected("the answer has no x-total-results header")),
    };
    Ok(SearchPage {
        ids,
        total,
        next_after,
        credits_remaining: credits_remaining(&answer.headers),
    })
}

/// An id written as a number, as text, or as an object's `id`.
fn id_of(item: &Value) -> Option<i64> {
    match item {
        Value::Number(number) => number.as_i64(),
        Value::String(text) => text.trim().parse().ok(),
        Value::Object(object) => object.get("id").and_then(id_of),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue};

    fn answer(status: u16, headers: &[(&'static str, &str)], body: &str) -> Answer {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        Answer {
            status,
            headers: map,
            body: body.as_bytes().to_vec().into(),
        }
    }

    #[test]
    fn a_page_reads_ids_in_every_documented_form_and_the_next_page() {
        let page = search_page(&answer(
            200,
            &[
                ("x-total-results", "2500"),
                ("x-next-page-after", "42"),
                ("x-credits-remaining", "900"),
            ],
            r#"[7, "12", {"id": 42}]"#,
        ))
        .unwrap();
        assert_eq!(page.ids, vec![7, 12, 42]);
        assert_eq!(page.total, 2_500);
        assert_eq!(page.next_after.as_deref(), Some("42"));
        assert_eq!(page.credits_remaining, Some(900));
    }

    #[test]
    fn the_last_page_has_no_next_and_may_omit_the_total() {
        let page = search_page(&answer(200, &[], "[1, 2]")).unwrap();
        assert_eq!((page.total, page.next_after), (2, None));
        let empty = search_page(&answer(200, &[("x-next-page-after", "9")], "[]")).unwrap();
        assert_eq!(empty.next_after, None, "an empty page ends the listing");
    }

    #[test]
    fn an_answer_that_is_not_a_list_of_ids_is_refused_with_words() {
        for body in ["{}", "not json", r#"[1, "x"]"#, "[true]"] {
            let error = search_page(&answer(200, &[], body)).unwrap_err();
            assert!(
                matches!(error, ApiError::Unexpected { .. }),
                "{body}: {error:?}"
            );
        }
        let error =
            search_page(&answer(200, &[("x-next-page-after", "3")], "[1, 2, 3]")).unwrap_err();
        assert!(error.to_string().contains("x-total-results"), "{error}");
    }

    #[test]
    fn an_error_answer_is_the_search_s_error() {
        let error = search_page(&answer(429, &[], r#"{"detail": "slow down"}"#)).unwrap_err();
        assert!(matches!(error, ApiError::RateLimited { .. }), "{error:?}");
    }
}
