//! The two submits: a data request by ES DSL query or by ID file.

use super::*;

pub(super) async fn submit_es_dsl(
    State(s): State<Arc<Shared>>,
    Extension(ApiKey(key)): Extension<ApiKey>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let v = parse_json(&body)?;
    let obj = v
        .as_object()
        .ok_or_else(|| ApiError::new(422, "The body must be a JSON object"))?;
    check_data_format(match obj.get("data_format") {
        None | Some(Value::Null) => None,
        Some(Value::String(f)) => Some(f),
        Some(_) => return Err(ApiError::new(422, "data_format must be a string")),
    })?;
    let limit = match obj.get("limit") {
        None | Some(Value::Null) => None,
        Some(l) => match l.as_u64() {
            Some(n @ 1..=10_000) => Some(n as u32),
            _ => {
                return Err(ApiError::new(
                    422,
                    "limit must be an integer between 1 and 10,000",
                ))
            }
        },
    };
    let webhook_url = match obj.get("webhook_url") {
        None | Some(Value::Null) => None,
        Some(Value::String(u)) => check_webhook(Some(u))?,
        Some(_) => {
            return Err(ApiError::new(
                422,
                "webhook_url must be a valid https:// URL",
            ))
        }
    };
    let es = match obj.get("es_dsl_query") {
        Some(es) => es.clone(),
        None if obj.contains_key("query") => Value::Object(
            obj.iter()
                .filter(|(k, _)| !WRAPPER_KEYS.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect::<Map<_, _>>(),
        ),
        None => return Err(ApiError::new(422, "Field required: es_dsl_query")),
    };
    let query = dsl::parse_body(&es).map_err(bad_query)?;
    let canonical =
        json!({ "es_dsl_query": es, "limit": limit, "webhook_url": webhook_url }).to_string();
    let mut ids = s.search(query).await;
    let matched = ids.len();
    match limit {
        Some(l) => ids.truncate(l as usize),
        None if matched > MAX_RECORDS => ids.clear(),
        None => {}
    }
    let info = s
        .create_request(NewRequest {
            kind: RequestKind::EsDsl,
            key,
            matched,
            ids,
            limit,
            webhook_url,
            canonical: Some(canonical),
        })
        .await?;
    Ok(created(&s, &info))
}

/// Parses an ID file: numeric ids one a line (CRLF and empty lines tolerated), at most 10,000.
pub(super) fn parse_ids(bytes: &[u8]) -> Result<Vec<u64>, ApiError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| ApiError::new(400, "File must be text: numeric IDs, one a line"))?;
    let lines: Vec<(usize, &str)> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .enumerate()
        .filter(|(_, l)| !l.is_empty())
        .collect();
    if lines.len() > MAX_RECORDS {
        return Err(ApiError::new(
            400,
            "File contains too many IDs. Maximum is 10,000 IDs",
        ));
    }
    if lines.is_empty() {
        return Err(ApiError::new(400, "File contains no IDs"));
    }
    lines
        .into_iter()
        .map(|(n, line)| {
            line.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| line.parse::<u64>().ok())
                .flatten()
                .ok_or_else(|| {
                    let shown: String = line.chars().take(40).collect();
                    ApiError::new(
                        400,
                        format!(
                            "File contains non-numeric data on line {}: {shown:?}",
                            n + 1
                        ),
                    )
                })
        })
        .collect()
}

pub(super) async fn submit_id_file(
    State(s): State<Arc<Shared>>,
    Extension(ApiKey(key)): Extension<ApiKey>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, ApiError> {
    let mut multipart = multipart
        .map_err(|e| ApiError::new(400, format!("Expected a multipart/form-data body: {e}")))?;
    let bad = |e: axum::extract::multipart::MultipartError| {
        ApiError::new(400, format!("Invalid multipart body: {e}"))
    };
    let (mut file, mut data_format, mut webhook) = (None, None, None);
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        match field.name() {
            Some("ids_file") => file = Some(field.bytes().await.map_err(bad)?),
            Some("data_format") => data_format = Some(field.text().await.map_err(bad)?),
            Some("webhook_url") => webhook = Some(field.text().await.map_err(bad)?),
            _ => {}
        }
    }
    let file = file.ok_or_else(|| ApiError::new(422, "Field required: ids_file"))?;
    check_data_format(data_format.as_deref())?;
    let webhook_url = check_webhook(webhook.as_deref())?;
    let mut seen = std::collections::HashSet::new();
    let people = s.people.overlay();
    let ids: Vec<u64> = parse_ids(&file)?
        .into_iter()
        .filter(|id| people.exists(*id) && seen.insert(*id))
        .collect();
    let info = s
        .create_request(NewRequest {
            kind: RequestKind::IdFile,
            key,
            matched: ids.len(),
            ids,
            limit: None,
            webhook_url,
            canonical: None,
        })
        .await?;
    Ok(created(&s, &info))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_files() {
        assert_eq!(parse_ids(b"1\r\n22\n\n333\n").unwrap(), vec![1, 22, 333]);
        let e = parse_ids(b"1\nabc\n").unwrap_err();
        assert_eq!(e.status, 400);
        assert!(e.detail.contains("line 2"), "{}", e.detail);
        assert!(parse_ids(b"-42\n").is_err());
        assert!(parse_ids(b" 42\n").is_err());
        assert!(parse_ids("\u{feff}42\n".as_bytes()).is_err());
        assert!(parse_ids(b"\n\n").is_err());
        let many: String = (1..=10_001).map(|i| format!("{i}\n")).collect();
        assert_eq!(
            parse_ids(many.as_bytes()).unwrap_err().detail,
            "File contains too many IDs. Maximum is 10,000 IDs"
        );
    }

    #[test]
    fn webhooks() {
        assert!(check_webhook(Some("https://example.com/hook")).is_ok());
        assert_eq!(check_webhook(Some("")).unwrap(), None);
        assert!(check_webhook(Some("http://example.com/hook")).is_err());
        assert!(check_webhook(Some("https:///x")).is_err());
    }
}
