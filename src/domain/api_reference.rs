//! The JSON API's reference as the `/api` page shows it: endpoints, their parameters and
//! answers, and the schemas those answers use. Plain data, built on the server from the OpenAPI
//! document (`server/rest/reference.rs`) and rendered by `ui/pages/api_reference/`; no part of
//! it is written by hand, so the page cannot drift from `/api/v1/openapi.json`.

use serde::{Deserialize, Serialize};

/// What the page needs: the reference, and this server's address for the curl example.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiReferenceView {
    /// `http://127.0.0.1:3000`: the scheme and host the page was requested with.
    pub origin: String,
    /// The signed-in user's account, which a token for the example belongs to.
    pub account_id: i64,
    pub reference: ApiReference,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiReference {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    /// In the document's order of paths, then GET, PUT, POST, DELETE, OPTIONS, HEAD, PATCH, TRACE.
    pub endpoints: Vec<Endpoint>,
    /// Every component schema, by name.
    pub schemas: Vec<SchemaDoc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endpoint {
    /// The element id of the endpoint's card, for the table of contents.
    pub anchor: String,
    /// Upper case: `GET`.
    pub method: String,
    pub path: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    /// The names of the security schemes that may authorize a call; empty for a public endpoint.
    pub auth: Vec<String>,
    pub parameters: Vec<Parameter>,
    pub request_body: Option<RequestBody>,
    pub responses: Vec<Response>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parameter {
    pub name: String,
    /// `query`, `path`, `header` or `cookie`.
    pub location: String,
    pub type_label: TypeLabel,
    pub required: bool,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestBody {
    pub description: Option<String>,
    pub required: bool,
    pub content: Vec<MediaType>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    /// `200`, `4XX` or `default`.
    pub status: String,
    pub description: String,
    pub content: Vec<MediaType>,
}

/// One representation of a body: its media type and, when the document gives one, its schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaType {
    pub media_type: String,
    pub schema: Option<TypeLabel>,
}

/// A component schema: an object's fields, an enumeration's values, or the alternatives of a
/// one-of, whichever the schema has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchemaDoc {
    pub name: String,
    pub description: Option<String>,
    /// What it is in a phrase: `object`, `string`, `array of Run`, `one of A, B`.
    pub shape: TypeLabel,
    /// Fields, an all-of's merged; nested inline objects flattened to `parent.child` and
    /// `parent[].child`.
    pub fields: Vec<Field>,
    /// The allowed values of an enumeration, as JSON.
    pub values: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    /// With `other_fields`, the object whose other fields these are (empty: the schema itself).
    pub name: String,
    pub type_label: TypeLabel,
    /// Always present in the JSON.
    pub required: bool,
    /// May be `null`.
    pub nullable: bool,
    pub description: Option<String>,
    /// Not one field but any others the object allows (`additionalProperties`), of this type.
    pub other_fields: bool,
}

/// A type written out for a reader (`array of `, `Run`), where the parts that name a component
/// schema link to its table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeLabel {
    pub parts: Vec<TypePart>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypePart {
    pub text: String,
    /// The component schema this part names.
    pub schema: Option<String>,
}

impl TypeLabel {
    pub fn text(text: impl Into<String>) -> Self {
        TypeLabel { parts: vec![TypePart { text: text.into(), schema: None }] }
    }

    pub fn schema(name: impl Into<String>) -> Self {
        let name = name.into();
        TypeLabel { parts: vec![TypePart { text: name.clone(), schema: Some(name) }] }
    }

    /// `prefix` followed by this label: `array of ` + `Run`.
    pub fn after(mut self, prefix: &str) -> Self {
        self.parts.insert(0, TypePart { text: prefix.into(), schema: None });
        self
    }

    /// The labels separated by `separator`: `A, B`.
    pub fn join(labels: impl IntoIterator<Item = TypeLabel>, separator: &str) -> Self {
        let mut joined = TypeLabel::default();
        for (i, label) in labels.into_iter().enumerate() {
            if i > 0 {
                joined.parts.push(TypePart { text: separator.into(), schema: None });
            }
            joined.parts.extend(label.parts);
        }
        joined
    }

    /// The label as plain text.
    pub fn plain(&self) -> String {
        self.parts.iter().map(|p| p.text.as_str()).collect()
    }
}

impl ApiReference {
    /// An endpoint to show in the curl example: a GET that needs authorization and takes no
    /// parameter (else none required), so the command works as it is; else the first.
    pub fn example_endpoint(&self) -> Option<&Endpoint> {
        let authorized_get = |e: &&Endpoint| e.method == "GET" && !e.auth.is_empty();
        let endpoints = || self.endpoints.iter().filter(authorized_get);
        endpoints()
            .find(|e| e.parameters.is_empty())
            .or_else(|| endpoints().find(|e| e.parameters.iter().all(|p| !p.required)))
            .or_else(|| self.endpoints.first())
    }
}

/// The element id of an endpoint's card: `get-api-v1-automation-sites`.
pub fn endpoint_anchor(method: &str, path: &str) -> String {
    slug(&format!("{method} {path}"))
}

/// The element id of a schema's table: `schema-RunDetail`.
pub fn schema_anchor(name: &str) -> String {
    format!("schema-{}", slug_keeping_case(name))
}

fn slug(text: &str) -> String {
    slug_keeping_case(&text.to_lowercase())
}

/// Letters, digits and `_` kept, every other run of characters one `-`, none at either end.
fn slug_keeping_case(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Shell lines that make a token of `account_id` and call `path` on `origin` with it.
pub fn curl_example(origin: &str, account_id: i64, path: &str) -> String {
    format!(
        "TOKEN=$(automation-runs token create --account {account_id} --name curl | tail -n1)\n\
         curl -H \"Authorization: Bearer $TOKEN\" '{}{}'",
        origin.trim_end_matches('/'),
        path
    )
}

/// A description split at its backticks: `(text, is_code)` pieces, so `token create` in
/// backticks reads as code. An unpaired backtick stays as text.
pub fn code_spans(text: &str) -> Vec<(String, bool)> {
    let mut pieces: Vec<String> = text.split('`').map(str::to_string).collect();
    if pieces.len().is_multiple_of(2) {
        let tail = pieces.pop().unwrap_or_default();
        if let Some(last) = pieces.last_mut() {
            last.push('`');
            last.push_str(&tail);
        }
    }
    pieces.into_iter().enumerate().filter(|(_, p)| !p.is_empty()).map(|(i, p)| (p, i % 2 == 1)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_are_stable_ids() {
        assert_eq!(endpoint_anchor("GET", "/api/v1/automation/sites/"), "get-api-v1-automation-sites");
        assert_eq!(
            endpoint_anchor("GET", "/api/v1/automation/runs/{run_id}/report.csv"),
            "get-api-v1-automation-runs-run_id-report-csv"
        );
        assert_eq!(schema_anchor("RunDetail"), "schema-RunDetail");
        assert_eq!(schema_anchor("Page<Run>"), "schema-Page-Run");
    }

    #[test]
    fn labels_compose() {
        let label = TypeLabel::join([TypeLabel::schema("A"), TypeLabel::text("null")], " or ").after("array of ");
        assert_eq!(label.plain(), "array of A or null");
        assert_eq!(label.parts.iter().filter_map(|p| p.schema.as_deref()).collect::<Vec<_>>(), ["A"]);
    }

    #[test]
    fn backticks_mark_code() {
        let spans = code_spans("send `Authorization: Bearer <token>` (from `token create`)");
        assert_eq!(
            spans,
            [
                ("send ".to_string(), false),
                ("Authorization: Bearer <token>".to_string(), true),
                (" (from ".to_string(), false),
                ("token create".to_string(), true),
                (")".to_string(), false),
            ]
        );
        assert_eq!(code_spans("a `b` c `d"), [("a ".into(), false), ("b".into(), true), (" c `d".into(), false)]);
        assert_eq!(code_spans("plain"), [("plain".to_string(), false)]);
    }

    #[test]
    fn curl_example_quotes_the_url() {
        assert_eq!(
            curl_example("http://127.0.0.1:3000/", 7, "/api/v1/automation/sites/"),
            "TOKEN=$(automation-runs token create --account 7 --name curl | tail -n1)\n\
             curl -H \"Authorization: Bearer $TOKEN\" 'http://127.0.0.1:3000/api/v1/automation/sites/'"
        );
    }
}
