//! Helpers shared by the simulator's HTTP tests.

/// GETs `url` (no key: the admin API) and parses the JSON answer; panics on any failure.
pub async fn get_json<T: serde::de::DeserializeOwned>(url: impl reqwest::IntoUrl) -> T {
    reqwest::get(url).await.unwrap().json().await.unwrap()
}
