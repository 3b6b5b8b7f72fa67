//! The OpenAPI document of the JSON API, served at /api/v1/openapi.json.

use utoipa::openapi::path::Operation;
use utoipa::openapi::schema::{AdditionalProperties, ObjectBuilder, Schema, Type};
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use crate::domain::run_detail::{StageResultView, STAGE_RESULT_COMMON_FIELDS};
use crate::domain::stage::STAGES;
use crate::paths;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "automation-runs API",
        description = "Run history, statistics and predictions of the content-automation pipeline. Figures are defined in metrics.md; times are UTC. Every /api/v1/automation endpoint answers for the caller's account only: send `Authorization: Bearer <token>` (from `automation-runs token create`) or the web app's session cookie."
    ),
    paths(
        super::sites,
        super::overview_stats,
        super::history,
        super::run_detail,
        super::trends::trends,
        super::trends::trends_csv,
        super::trends::compare,
        super::export::report_csv,
        super::export::report_json,
        super::export::logs_ndjson,
        crate::server::events::stream::events,
        super::ingest::ingest,
        super::run_requests::create,
        super::run_requests::list,
        super::run_requests::claim,
        super::run_requests::started,
        super::run_requests::rejected,
        super::budget::get_budget,
        super::budget::put_budget,
        super::alerts::get_alerts,
        super::alerts::put_alerts,
        super::audit::audit,
        super::healthz
    ),
    components(schemas(
        super::ErrorBody,
        super::ErrorDetail,
        super::SitesResponse,
        super::Health,
        crate::domain::trends::Trends,
        crate::domain::trends::TrendRun,
        crate::domain::trends::TrendFigure,
        crate::domain::compare::RunComparison,
        crate::domain::compare::StageComparison,
        crate::domain::compare::StageFigures,
        super::ingest::IngestResult,
        super::ingest::KindCounts,
        super::ingest::InvalidRecordsBody,
        super::ingest::BadLineBody,
        super::run_requests::CreateRunRequest,
        super::run_requests::RunRequestList,
        super::run_requests::StartedBody,
        super::run_requests::RejectedBody,
        crate::domain::requests::RunRequest,
        crate::domain::requests::Estimate,
        crate::domain::requests::RequestKind,
        crate::domain::requests::RequestState,
        super::budget::BudgetBody,
        crate::domain::budget::BudgetView,
        crate::domain::budget::BudgetStatus,
        super::alerts::WebhookBody,
        crate::domain::alerts::WebhookSet,
        crate::domain::alerts::AlertsView,
        crate::domain::alerts::Alert,
        crate::domain::alerts::AlertKind,
        crate::domain::alerts::Delivery,
        crate::domain::alerts::DeliveryState,
        super::audit::AuditLog,
        crate::domain::team::AuditEntry,
        crate::domain::team::AuditAction
    )),
    modifiers(&Authentication)
)]
pub struct ApiDoc;

/// Declares the two ways in (token, session cookie) on every account endpoint, and the 401
/// each gives without one, in one place rather than on every handler.
struct Authentication;

impl Modify for Authentication {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An API token from `automation-runs token create`"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::server::auth::cookies::SESSION_COOKIE,
                "The web app's session, after signing in",
            ))),
        );
        let unauthorized = ResponseBuilder::new()
            .description("No valid token or session")
            .content("application/json", ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build())
            .build();
        let security = vec![
            SecurityRequirement::new("bearer", Vec::<String>::new()),
            SecurityRequirement::new("session", Vec::<String>::new()),
        ];
        for (path, item) in openapi.paths.paths.iter_mut() {
            if !path.starts_with(paths::api::AUTOMATION) {
                continue;
            }
            let operations: [&mut Option<Operation>; 4] =
                [&mut item.get, &mut item.head, &mut item.post, &mut item.put];
            for operation in operations.into_iter().flatten() {
                operation.responses.responses.insert("401".into(), unauthorized.clone().into());
                operation.security = Some(security.clone());
            }
        }
    }
}

/// Written by hand because the fields of a result are the stages' own: each stage's input and
/// output counts (from the stage table, so the document follows it), the plan's extras, and
/// whatever else the engine recorded as additional properties.
impl utoipa::PartialSchema for StageResultView {
    fn schema() -> RefOr<Schema> {
        let count = |description: String| {
            ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(0)).description(Some(description))
        };
        let mut object = ObjectBuilder::new()
            .description(Some(
                "A stage's result: the common figures, then every field of the engine's record flat beside them, \
                 unknown ones included.",
            ))
            .property("input_count", count("Items the stage read (its input field)".into()))
            .property("output_count", count("Items it produced (its output field)".into()))
            .property("credits_used", count("Credits the stage used".into()))
            .property(
                "time_elapsed",
                ObjectBuilder::new().schema_type(Type::String).description(Some("Time the stage took, HH:MM:SS")),
            )
            .property("time_elapsed_seconds", count("Time the stage took, in seconds".into()));
        for field in STAGE_RESULT_COMMON_FIELDS {
            object = object.required(field);
        }
        for def in &STAGES {
            object = if def.input_field == def.output_field {
                object.property(def.input_field, count(format!("Stage {}: items reviewed and approved", def.number)))
            } else {
                object
                    .property(def.input_field, count(format!("Stage {}: {} read", def.number, def.input_unit.many)))
                    .property(
                        def.output_field,
                        count(format!("Stage {}: {} produced", def.number, def.output_unit.many)),
                    )
            };
        }
        object
            .property("batches", count("Stage 1: batches the keywords were clustered in".into()))
            .property("total_words", count("Stage 4: words written".into()))
            .additional_properties(Some(AdditionalProperties::<Schema>::FreeForm(true)))
            .into()
    }
}

impl utoipa::ToSchema for StageResultView {}
