//! The OpenAPI document of the JSON API, served at /api/v1/openapi.json.

use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "automation-runs API",
        description = "Run history, statistics and predictions of the content-automation pipeline. Figures are defined in metrics.md; times are UTC."
    ),
    paths(
        super::sites,
        super::overview_stats,
        super::history,
        super::run_detail,
        super::export::report_csv,
        super::export::report_json,
        super::export::logs_ndjson,
        super::healthz
    ),
    components(schemas(super::ErrorBody, super::ErrorDetail, super::SitesResponse, super::Health))
)]
pub struct ApiDoc;
