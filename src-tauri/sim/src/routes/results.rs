//! Listing and downloading a request's files, and the two searches (ids, preview records).

use super::*;

pub(super) async fn list_files(
    State(s): State<Arc<Shared>>,
    Path(request_id): Path<String>,
) -> Result<Response, ApiError> {
    Ok(match s.poll(&request_id).await? {
        Poll::Ready(files) => Json(json!({ "data_request_files": files })).into_response(),
        Poll::Pending => {
            let message = json!({ "message": "Data request is still being processed" });
            match s.config.pending_style {
                PendingStyle::Accepted => (StatusCode::ACCEPTED, Json(message)).into_response(),
                PendingStyle::EmptyList => {
                    Json(json!({ "data_request_files": [] })).into_response()
                }
                PendingStyle::Message => Json(message).into_response(),
            }
        }
    })
}

pub(super) async fn download(
    State(s): State<Arc<Shared>>,
    Path((request_id, file_name)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let plan = s.download(&request_id, &file_name)?;
    let range = headers.get(header::RANGE).and_then(|v| v.to_str().ok());
    let (status, start, len) = match files::parse_range(range, plan.len) {
        RangeRequest::Full => (StatusCode::OK, 0, plan.len),
        RangeRequest::Partial { start, end } => {
            (StatusCode::PARTIAL_CONTENT, start, end - start + 1)
        }
        RangeRequest::Unsatisfiable => {
            let mut res = ApiError::new(416, "Requested range not satisfiable").into_response();
            set_header(&mut res, "content-range", format!("bytes */{}", plan.len));
            return Ok(res);
        }
    };
    let stream = files::stream_file(
        &plan.path,
        StreamPlan {
            start,
            len,
            cut_after: plan.cut_after,
            throttle: plan.throttle,
        },
    )
    .await
    .map_err(|e| {
        tracing::error!("cannot open {}: {e}", plan.path.display());
        ApiError::new(500, "Internal Server Error")
    })?;
    let mut res = Response::new(Body::from_stream(stream));
    *res.status_mut() = status;
    set_header(&mut res, "content-type", "application/gzip");
    set_header(&mut res, "content-length", len);
    set_header(&mut res, "accept-ranges", "bytes");
    if status == StatusCode::PARTIAL_CONTENT {
        set_header(
            &mut res,
            "content-range",
            format!("bytes {start}-{}/{}", start + len - 1, plan.len),
        );
    }
    Ok(res)
}

pub(super) async fn search(
    State(s): State<Arc<Shared>>,
    Query(params): Query<HashMap<String, String>>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let query = dsl::parse_body(&parse_json(&body)?).map_err(bad_query)?;
    let per_page = match params.get("items_per_page") {
        None => MAX_PAGE,
        Some(v) => match v.parse::<usize>() {
            Ok(n @ 1..=MAX_PAGE) => n,
            _ => {
                return Err(ApiError::new(
                    422,
                    "items_per_page must be an integer between 1 and 1000",
                ))
            }
        },
    };
    let after =
        match params.get("after") {
            None => None,
            Some(v) => Some(v.trim().parse::<u64>().map_err(|_| {
                ApiError::new(422, "after must be the last id of the previous page")
            })?),
        };
    let ids = s.search(query).await;
    let total = ids.len();
    let rest: Vec<u64> = ids
        .into_iter()
        .filter(|id| after.is_none_or(|a| *id > a))
        .collect();
    let page: Vec<u64> = rest.iter().take(per_page).copied().collect();
    let mut res = Json(&page).into_response();
    set_header(&mut res, "x-total-results", total);
    set_header(&mut res, "x-total-pages", total.div_ceil(per_page));
    set_header(&mut res, "x-items-per-page", per_page);
    if rest.len() > page.len() {
        if let Some(last) = page.last() {
            set_header(&mut res, "x-next-page-after", last);
        }
    }
    Ok(res)
}

pub(super) async fn preview(
    State(s): State<Arc<Shared>>,
    Extension(ApiKey(key)): Extension<ApiKey>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let query = dsl::parse_body(&parse_json(&body)?).map_err(bad_query)?;
    s.charge(&key, s.config.preview_credits).await?;
    Ok(Json(s.preview(query, PREVIEW_SIZE).await).into_response())
}
