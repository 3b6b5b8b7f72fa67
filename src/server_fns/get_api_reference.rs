use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::api_reference::ApiReferenceView;
use crate::error::AppError;

/// The JSON API's reference, built from its OpenAPI document, and for the curl example the
/// address this page was asked for and the caller's account. Behind sign-in like every page,
/// though the reference itself holds no account's data.
#[server(prefix = "/sfn", endpoint = "get_api_reference", input = GetUrl)]
pub async fn get_api_reference() -> Result<ApiReferenceView, AppError> {
    super::answer(async move {
        let caller = super::request_extension::<crate::server::auth::Caller>().ok_or(AppError::Unauthorized)?;
        let state = super::app_state()?;
        let headers = use_context::<axum::http::request::Parts>().map(|parts| parts.headers).unwrap_or_default();
        // The Host header is the client's own word: shown only when it looks like a host, and
        // only to that client.
        let host = headers
            .get(axum::http::header::HOST)
            .and_then(|h| h.to_str().ok())
            .filter(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c)))
            .map_or_else(|| state.leptos_options.site_addr.to_string(), str::to_string);
        let scheme = if crate::server::auth::cookies::over_https(&headers) { "https" } else { "http" };
        Ok(ApiReferenceView {
            origin: format!("{scheme}://{host}"),
            account_id: caller.account_id,
            reference: crate::server::rest::reference::api_reference().clone(),
        })
    })
    .await
}
