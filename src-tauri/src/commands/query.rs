//! The query helpers: the field catalogue, and the visual builder to and from query code. Pure and
//! quick, so they run synchronously.

use collect_core::query::{
    query_catalogue, query_in_builder, read_pasted, to_query, PastedSearch, QueryCatalogue,
    QueryInBuilder, Search,
};
use collect_core::{ErrorCode, UserError};

/// The field catalogue, the builder's conditions, the allowed query types and starter searches.
#[tauri::command]
pub fn query_fields() -> QueryCatalogue {
    query_catalogue()
}

/// The query code for a builder search, formatted; an error names the group and rule to fix.
#[tauri::command]
pub fn builder_to_query(search: Search) -> Result<String, UserError> {
    Ok(format!("{:#}", to_query(&search)?))
}

/// Query code read into the builder, or the reason the builder cannot show it.
#[tauri::command]
pub fn query_to_builder(text: String) -> QueryInBuilder {
    query_in_builder(&text)
}

/// A paste into the search read as a cURL command or a request body from Coresignal (the API key
/// in it dropped, never logged); `None` when it is neither, so the paste goes ahead as text.
#[tauri::command]
pub fn read_pasted_search(text: String) -> Result<Option<PastedSearch>, UserError> {
    read_pasted(&text).map_err(|words| UserError::new(ErrorCode::InvalidQuery, words))
}
