//! The OpenAPI document turned into the reference page's view model ([`ApiReference`]). The
//! conversion is generic over the document: no schema, field or endpoint is named here, so a
//! changed response type changes the page with it.
//!
//! How schema constructs read on the page:
//! - a `$ref` to a component schema is a link to that schema's table;
//! - `allOf` (which `#[serde(flatten)]` produces) merges its members' fields into one table;
//! - `oneOf`/`anyOf` with a `null` member is the other member, nullable; otherwise "one of …",
//!   with the fields of inline members listed under `variant N.`;
//! - nested inline objects are flattened to `parent.child` (`parent[].child` inside arrays);
//! - `additionalProperties` is a row "any other fields" of the given type.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use utoipa::openapi::path::{Operation, Parameter as OaParameter, ParameterIn, PathItem};
use utoipa::openapi::request_body::RequestBody as OaRequestBody;
use utoipa::openapi::schema::{AdditionalProperties, ArrayItems, Object, Schema, SchemaType, Type};
use utoipa::openapi::security::SecurityRequirement;
use utoipa::openapi::{Content, OpenApi, Ref, RefOr, Required, Response as OaResponse};

use crate::domain::api_reference::{
    endpoint_anchor, ApiReference, Endpoint, Field, MediaType, Parameter, RequestBody, Response, SchemaDoc, TypeLabel,
};

const SCHEMA_PREFIX: &str = "#/components/schemas/";
const RESPONSE_PREFIX: &str = "#/components/responses/";
/// How far `$ref` chains and nested inline schemas are followed: far beyond any real document,
/// and a stop for a schema that (through `allOf`) contains itself.
const MAX_DEPTH: usize = 16;

/// The reference of this server's API. The document is fixed at compile time, so it is
/// converted once.
pub fn api_reference() -> &'static ApiReference {
    static REFERENCE: OnceLock<ApiReference> = OnceLock::new();
    REFERENCE.get_or_init(|| {
        use utoipa::OpenApi as _;
        reference(&super::ApiDoc::openapi())
    })
}

/// The reference of any OpenAPI document.
pub fn reference(doc: &OpenApi) -> ApiReference {
    let empty = BTreeMap::new();
    let empty_responses = BTreeMap::new();
    let components = doc.components.as_ref();
    let reader = Reader {
        schemas: components.map_or(&empty, |c| &c.schemas),
        responses: components.map_or(&empty_responses, |c| &c.responses),
    };
    let endpoints = doc
        .paths
        .paths
        .iter()
        .flat_map(|(path, item)| operations(item).into_iter().map(move |(method, op)| (path, item, method, op)))
        .map(|(path, item, method, op)| reader.endpoint(path, item, method, op, doc.security.as_deref()))
        .collect();
    let schemas = reader.schemas.iter().map(|(name, schema)| reader.schema_doc(name, schema)).collect();
    ApiReference {
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        description: doc.info.description.clone().filter(|d| !d.trim().is_empty()),
        endpoints,
        schemas,
    }
}

fn operations(item: &PathItem) -> Vec<(&'static str, &Operation)> {
    [
        ("GET", &item.get),
        ("PUT", &item.put),
        ("POST", &item.post),
        ("DELETE", &item.delete),
        ("OPTIONS", &item.options),
        ("HEAD", &item.head),
        ("PATCH", &item.patch),
        ("TRACE", &item.trace),
    ]
    .into_iter()
    .filter_map(|(method, op)| op.as_ref().map(|op| (method, op)))
    .collect()
}

/// The schemes that may authorize a call. `SecurityRequirement` keeps its scheme names private;
/// its JSON form is a map keyed by them.
fn scheme_names(requirements: &[SecurityRequirement]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for requirement in requirements.iter().filter_map(|r| serde_json::to_value(r).ok()) {
        for name in requirement.as_object().into_iter().flat_map(|o| o.keys()) {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
    }
    names
}

fn non_empty(text: &Option<String>) -> Option<String> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_string)
}

fn location(parameter_in: &ParameterIn) -> &'static str {
    match parameter_in {
        ParameterIn::Query => "query",
        ParameterIn::Path => "path",
        ParameterIn::Header => "header",
        ParameterIn::Cookie => "cookie",
    }
}

fn type_name(t: &Type) -> &'static str {
    match t {
        Type::Object => "object",
        Type::String => "string",
        Type::Integer => "integer",
        Type::Number => "number",
        Type::Boolean => "boolean",
        Type::Array => "array",
        Type::Null => "null",
    }
}

/// The named types of a `type` keyword, without `null`, and whether `null` is among them.
fn types(schema_type: &SchemaType) -> (Vec<&'static str>, bool) {
    let all: Vec<&Type> = match schema_type {
        SchemaType::Type(t) => vec![t],
        SchemaType::Array(ts) => ts.iter().collect(),
        SchemaType::AnyValue => Vec::new(),
    };
    let nullable = all.iter().any(|t| **t == Type::Null);
    (all.into_iter().filter(|t| **t != Type::Null).map(type_name).collect(), nullable)
}

fn is_null(schema: &RefOr<Schema>) -> bool {
    match schema {
        RefOr::T(Schema::Object(o)) => {
            matches!(&o.schema_type, SchemaType::Type(Type::Null))
                || matches!(&o.schema_type, SchemaType::Array(ts) if ts.iter().all(|t| *t == Type::Null))
        }
        _ => false,
    }
}

fn description(schema: &RefOr<Schema>) -> Option<String> {
    match schema {
        RefOr::Ref(r) => Some(r.description.clone()),
        RefOr::T(Schema::Object(o)) => o.description.clone(),
        RefOr::T(Schema::Array(a)) => a.description.clone(),
        RefOr::T(Schema::OneOf(o)) => o.description.clone(),
        RefOr::T(Schema::AllOf(a)) => a.description.clone(),
        RefOr::T(Schema::AnyOf(a)) => a.description.clone(),
        RefOr::T(_) => None,
    }
    .and_then(|d| non_empty(&Some(d)))
}

/// The fields found in a schema, and its enumeration values.
#[derive(Default)]
struct Fields {
    fields: Vec<Field>,
    values: Vec<String>,
    /// The `$ref`s being read, outermost first.
    following: Vec<String>,
}

struct Reader<'a> {
    schemas: &'a BTreeMap<String, RefOr<Schema>>,
    responses: &'a BTreeMap<String, RefOr<OaResponse>>,
}

impl<'a> Reader<'a> {
    fn endpoint(
        &self,
        path: &str,
        item: &PathItem,
        method: &str,
        op: &Operation,
        default_security: Option<&[SecurityRequirement]>,
    ) -> Endpoint {
        // Operation parameters override the path item's of the same name and place.
        let own = op.parameters.as_deref().unwrap_or_default();
        let inherited = item.parameters.as_deref().unwrap_or_default();
        let parameters = inherited
            .iter()
            .filter(|p| !own.iter().any(|o| o.name == p.name && o.parameter_in == p.parameter_in))
            .chain(own)
            .map(|p| self.parameter(p))
            .collect();
        let summary = non_empty(&op.summary);
        let description = non_empty(&op.description).filter(|d| Some(d) != summary.as_ref());
        Endpoint {
            anchor: endpoint_anchor(method, path),
            method: method.to_string(),
            path: path.to_string(),
            summary,
            description,
            auth: scheme_names(op.security.as_deref().or(default_security).unwrap_or_default()),
            parameters,
            request_body: op.request_body.as_ref().map(|b| self.request_body(b)),
            responses: op
                .responses
                .responses
                .iter()
                .filter_map(|(status, response)| self.response(status, response))
                .collect(),
        }
    }

    fn parameter(&self, p: &OaParameter) -> Parameter {
        // A parameter is absent or has a value: the `null` of an `Option` is not one to send.
        let type_label = p.schema.as_ref().map_or_else(|| TypeLabel::text("any"), |s| self.type_of(s, 0).0);
        Parameter {
            name: p.name.clone(),
            location: location(&p.parameter_in).to_string(),
            type_label,
            required: p.required == Required::True,
            description: non_empty(&p.description),
        }
    }

    fn request_body(&self, body: &OaRequestBody) -> RequestBody {
        RequestBody {
            description: non_empty(&body.description),
            required: body.required == Some(Required::True),
            content: body.content.iter().map(|(media_type, content)| self.media_type(media_type, content)).collect(),
        }
    }

    fn response(&self, status: &str, response: &RefOr<OaResponse>) -> Option<Response> {
        let response = self.resolve_response(response, 0)?;
        Some(Response {
            status: status.to_string(),
            description: response.description.trim().to_string(),
            content: response
                .content
                .iter()
                .map(|(media_type, content)| self.media_type(media_type, content))
                .collect(),
        })
    }

    fn resolve_response<'r>(&self, response: &'r RefOr<OaResponse>, depth: usize) -> Option<&'r OaResponse>
    where
        'a: 'r,
    {
        match response {
            RefOr::T(r) => Some(r),
            RefOr::Ref(r) if depth < MAX_DEPTH => {
                let name = r.ref_location.strip_prefix(RESPONSE_PREFIX)?;
                self.resolve_response(self.responses.get(name)?, depth + 1)
            }
            RefOr::Ref(_) => None,
        }
    }

    fn media_type(&self, media_type: &str, content: &Content) -> MediaType {
        MediaType { media_type: media_type.to_string(), schema: content.schema.as_ref().map(|s| self.type_of(s, 0).0) }
    }

    /// A link to the component a `$ref` names; the bare reference when there is none.
    fn ref_label(&self, r: &Ref) -> TypeLabel {
        match r.ref_location.strip_prefix(SCHEMA_PREFIX) {
            Some(name) if self.schemas.contains_key(name) => TypeLabel::schema(name),
            Some(name) => TypeLabel::text(name),
            None => TypeLabel::text(r.ref_location.clone()),
        }
    }

    /// How a schema reads in a type column, and whether it admits `null`.
    fn type_of(&self, schema: &RefOr<Schema>, depth: usize) -> (TypeLabel, bool) {
        if depth > MAX_DEPTH {
            return (TypeLabel::text("any"), false);
        }
        match schema {
            RefOr::Ref(r) => (self.ref_label(r), false),
            RefOr::T(Schema::Object(o)) => self.object_type(o, depth),
            RefOr::T(Schema::Array(a)) => {
                let item = match &a.items {
                    ArrayItems::RefOrSchema(item) => {
                        let (label, nullable) = self.type_of(item, depth + 1);
                        if nullable {
                            TypeLabel::join([label, TypeLabel::text("null")], " or ")
                        } else {
                            label
                        }
                    }
                    ArrayItems::False => TypeLabel::text("nothing"),
                };
                (item.after("array of "), types(&a.schema_type).1)
            }
            RefOr::T(Schema::OneOf(o)) => self.alternatives(&o.items, depth),
            RefOr::T(Schema::AnyOf(a)) => self.alternatives(&a.items, depth),
            RefOr::T(Schema::AllOf(a)) => {
                let labels = a.items.iter().filter(|s| !is_null(s)).map(|s| self.type_of(s, depth + 1).0);
                (TypeLabel::join(labels, " and "), a.items.iter().any(is_null))
            }
            RefOr::T(_) => (TypeLabel::text("any"), false),
        }
    }

    /// `A or B`; a `null` member makes the rest nullable instead of being listed.
    fn alternatives(&self, items: &[RefOr<Schema>], depth: usize) -> (TypeLabel, bool) {
        let mut nullable = items.iter().any(is_null);
        let labels: Vec<TypeLabel> = items
            .iter()
            .filter(|s| !is_null(s))
            .map(|s| {
                let (label, n) = self.type_of(s, depth + 1);
                nullable |= n;
                label
            })
            .collect();
        (if labels.is_empty() { TypeLabel::text("null") } else { TypeLabel::join(labels, " or ") }, nullable)
    }

    fn object_type(&self, o: &Object, depth: usize) -> (TypeLabel, bool) {
        let (names, nullable) = types(&o.schema_type);
        let base = if let Some(title) = o.title.as_ref().filter(|t| !t.is_empty()) {
            title.clone()
        } else if names.is_empty() {
            if o.properties.is_empty() && o.additional_properties.is_none() {
                "any".to_string()
            } else {
                "object".into()
            }
        } else {
            names.join(" or ")
        };
        let format =
            o.format.as_ref().and_then(|f| serde_json::to_value(f).ok()).and_then(|v| v.as_str().map(str::to_string));
        let mut label = match format {
            Some(format) => TypeLabel::text(format!("{base} ({format})")),
            None => TypeLabel::text(base),
        };
        // A map: an object whose only fields are the other fields.
        if o.properties.is_empty() {
            if let Some(other) = self.other_fields(o, depth) {
                label = other.after("map of ");
            }
        }
        if let Some(values) = o.enum_values.as_ref().filter(|v| !v.is_empty()) {
            let values: Vec<String> = values.iter().map(|v| v.to_string()).collect();
            label = TypeLabel::text(format!("{}, one of {}", label.plain(), values.join(", ")));
        }
        (label, nullable)
    }

    /// The type of the fields an object allows beyond its named ones.
    fn other_fields(&self, o: &Object, depth: usize) -> Option<TypeLabel> {
        match o.additional_properties.as_deref()? {
            AdditionalProperties::FreeForm(true) => Some(TypeLabel::text("any")),
            AdditionalProperties::FreeForm(false) => None,
            AdditionalProperties::RefOr(schema) => {
                let (label, nullable) = self.type_of(schema, depth + 1);
                Some(if nullable { TypeLabel::join([label, TypeLabel::text("null")], " or ") } else { label })
            }
        }
    }

    fn schema_doc(&self, name: &str, schema: &RefOr<Schema>) -> SchemaDoc {
        let mut found = Fields::default();
        // An alias (a bare `$ref`) links to its target, whose own table has the fields.
        if let RefOr::T(_) = schema {
            self.collect(schema, "", &mut found, 0);
        }
        let (shape, nullable) = match schema {
            // An object's own table says what it holds; its label would only say "object".
            RefOr::T(Schema::Object(o)) if !o.properties.is_empty() => {
                (TypeLabel::text("object"), types(&o.schema_type).1)
            }
            RefOr::T(Schema::AllOf(_)) => (TypeLabel::text("object"), false),
            // An enumeration's values have a line of their own.
            RefOr::T(Schema::Object(o)) if o.enum_values.is_some() => {
                let mut plain = o.clone();
                plain.enum_values = None;
                self.object_type(&plain, 0)
            }
            _ => self.type_of(schema, 0),
        };
        SchemaDoc {
            name: name.to_string(),
            description: description(schema),
            shape: if nullable { TypeLabel::join([shape, TypeLabel::text("null")], " or ") } else { shape },
            fields: found.fields,
            values: found.values,
        }
    }

    /// The fields of `schema`, named under `prefix`, into `found`.
    fn collect(&self, schema: &RefOr<Schema>, prefix: &str, found: &mut Fields, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        // A reference is followed only inside allOf, never into one already being read; a
        // field that refers to a component links to it instead.
        if let RefOr::Ref(r) = schema {
            if found.following.contains(&r.ref_location) {
                return;
            }
            let Some(target) = r.ref_location.strip_prefix(SCHEMA_PREFIX).and_then(|n| self.schemas.get(n)) else {
                return;
            };
            found.following.push(r.ref_location.clone());
            self.collect(target, prefix, found, depth + 1);
            found.following.pop();
            return;
        }
        let RefOr::T(resolved) = schema else { return };
        match resolved {
            Schema::Object(o) => {
                for (field, property) in &o.properties {
                    let name = format!("{prefix}{field}");
                    // Of two allOf members with the same field, the first describes it.
                    if found.fields.iter().any(|f| f.name == name && !f.other_fields) {
                        continue;
                    }
                    let (type_label, nullable) = self.type_of(property, depth + 1);
                    found.fields.push(Field {
                        name: name.clone(),
                        type_label,
                        required: o.required.contains(field),
                        nullable,
                        description: description(property),
                        other_fields: false,
                    });
                    self.collect_nested(property, &name, found, depth + 1);
                }
                if let Some(other) = self.other_fields(o, depth) {
                    found.fields.push(Field {
                        name: prefix.trim_end_matches('.').to_string(),
                        type_label: other,
                        required: false,
                        nullable: false,
                        description: None,
                        other_fields: true,
                    });
                }
                if prefix.is_empty() {
                    if let Some(values) = &o.enum_values {
                        found.values.extend(values.iter().map(|v| v.to_string()));
                    }
                }
            }
            Schema::AllOf(a) => {
                for member in &a.items {
                    self.collect(member, prefix, found, depth + 1);
                }
            }
            Schema::OneOf(o) => self.collect_alternatives(&o.items, prefix, found, depth),
            Schema::AnyOf(a) => self.collect_alternatives(&a.items, prefix, found, depth),
            _ => {}
        }
    }

    /// The fields of the inline members of a oneOf or anyOf: under the same names when the only
    /// other member is `null`, else under `variant N.`. Referenced members have their own table.
    fn collect_alternatives(&self, members: &[RefOr<Schema>], prefix: &str, found: &mut Fields, depth: usize) {
        let members: Vec<&RefOr<Schema>> = members.iter().filter(|m| !is_null(m)).collect();
        let single = members.len() == 1;
        for (i, member) in members.into_iter().enumerate() {
            if matches!(member, RefOr::T(_)) {
                let prefix = if single { prefix.to_string() } else { format!("{prefix}variant {}.", i + 1) };
                self.collect(member, &prefix, found, depth + 1);
            }
        }
    }

    /// The fields of an inline object inside a field (`parent.child`) or inside its array
    /// items (`parent[].child`). A referenced component has its own table.
    fn collect_nested(&self, property: &RefOr<Schema>, name: &str, found: &mut Fields, depth: usize) {
        match property {
            RefOr::T(Schema::Array(a)) => {
                if let ArrayItems::RefOrSchema(item) = &a.items {
                    self.collect_nested(item, &format!("{name}[]"), found, depth + 1);
                }
            }
            RefOr::T(Schema::Object(o)) if !o.properties.is_empty() => {
                self.collect(property, &format!("{name}."), found, depth + 1);
            }
            RefOr::T(Schema::AllOf(_) | Schema::OneOf(_) | Schema::AnyOf(_)) => {
                self.collect(property, &format!("{name}."), found, depth + 1);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use serde::Serialize;
    use utoipa::{OpenApi, ToSchema};

    use super::*;
    use crate::domain::api_reference::{schema_anchor, TypePart};

    fn schema<'r>(reference: &'r ApiReference, name: &str) -> &'r SchemaDoc {
        reference.schemas.iter().find(|s| s.name == name).unwrap_or_else(|| panic!("no schema {name}"))
    }

    fn field<'s>(schema: &'s SchemaDoc, name: &str) -> &'s Field {
        schema
            .fields
            .iter()
            .find(|f| f.name == name && !f.other_fields)
            .unwrap_or_else(|| panic!("{} has no field {name}: {:?}", schema.name, schema.fields))
    }

    fn links(label: &TypeLabel) -> Vec<&str> {
        label.parts.iter().filter_map(|p| p.schema.as_deref()).collect()
    }

    fn every_label(reference: &ApiReference) -> Vec<&TypeLabel> {
        let endpoints = reference.endpoints.iter().flat_map(|e| {
            let parameters = e.parameters.iter().map(|p| &p.type_label);
            let bodies =
                e.request_body.iter().flat_map(|b| &b.content).chain(e.responses.iter().flat_map(|r| &r.content));
            parameters.chain(bodies.filter_map(|m| m.schema.as_ref()))
        });
        let schemas = reference
            .schemas
            .iter()
            .flat_map(|s| std::iter::once(&s.shape).chain(s.fields.iter().map(|f| &f.type_label)));
        endpoints.chain(schemas).collect()
    }

    #[test]
    fn every_operation_of_the_api_document_is_listed_with_its_parameters() {
        let doc = super::super::ApiDoc::openapi();
        let reference = reference(&doc);
        let mut expected = Vec::new();
        for (path, item) in &doc.paths.paths {
            for (method, op) in operations(item) {
                let names: Vec<String> = op.parameters.iter().flatten().map(|p| p.name.clone()).collect();
                expected.push((method.to_string(), path.clone(), names));
            }
        }
        let listed: Vec<(String, String, Vec<String>)> = reference
            .endpoints
            .iter()
            .map(|e| (e.method.clone(), e.path.clone(), e.parameters.iter().map(|p| p.name.clone()).collect()))
            .collect();
        assert_eq!(listed, expected);
        assert!(listed.len() >= 8, "{listed:?}");
        assert_eq!(reference.title, doc.info.title);

        let run_detail = reference.endpoints.iter().find(|e| e.path.ends_with("/run_detail/")).unwrap();
        let run_id = &run_detail.parameters[0];
        assert_eq!((run_id.name.as_str(), run_id.location.as_str()), ("run_id", "query"));
        assert_eq!(run_id.type_label.plain(), "string");
        assert!(run_id.description.as_deref().is_some_and(|d| d.contains("run_")), "{run_id:?}");
        assert_eq!(run_detail.auth, ["bearer", "session"]);
        let health = reference.endpoints.iter().find(|e| e.path == "/healthz").unwrap();
        assert!(health.auth.is_empty(), "the health check is public");

        let anchors: std::collections::HashSet<&str> = reference.endpoints.iter().map(|e| e.anchor.as_str()).collect();
        assert_eq!(anchors.len(), reference.endpoints.len(), "anchors are unique");
    }

    #[test]
    fn references_resolve_to_listed_schemas() {
        let doc = super::super::ApiDoc::openapi();
        let reference = reference(&doc);
        let names: Vec<&str> = reference.schemas.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names.len(), doc.components.as_ref().unwrap().schemas.len());
        // Every link of every label names a schema of the page.
        for label in every_label(&reference) {
            for target in links(label) {
                assert!(names.contains(&target), "{} links to a missing {target}", label.plain());
            }
        }
        // Every answer with a body names its schema.
        for endpoint in reference.endpoints.iter().filter(|e| e.path.starts_with("/api/v1/automation/")) {
            let unauthorized =
                endpoint.responses.iter().find(|r| r.status == "401").expect("401 on every account endpoint");
            assert_eq!(links(unauthorized.content[0].schema.as_ref().unwrap()), ["ErrorBody"]);
        }
        let error_body = schema(&reference, "ErrorBody");
        let error = field(error_body, "error");
        assert_eq!(links(&error.type_label), ["ErrorDetail"]);
        assert!(error.required && !error.nullable);
        let detail = schema(&reference, "ErrorDetail");
        let request_id = field(detail, "request_id");
        assert!(!request_id.required && request_id.nullable, "{request_id:?}");
        assert!(request_id.description.as_deref().is_some_and(|d| d.contains("x-request-id")));
        // Every schema has something to show.
        for s in &reference.schemas {
            assert!(!s.fields.is_empty() || !s.values.is_empty() || !s.shape.parts.is_empty(), "{s:?}");
        }
    }

    // A document that uses the constructs the API's types may come to use.
    #[derive(Serialize, ToSchema)]
    struct Counts {
        queued: u32,
        /// Items done.
        done: u32,
    }

    #[derive(Serialize, ToSchema)]
    struct Snapshot {
        as_of: String,
        #[serde(flatten)]
        counts: Counts,
    }

    #[derive(Serialize, ToSchema)]
    struct Open {
        known: u32,
        #[serde(flatten)]
        rest: HashMap<String, serde_json::Value>,
    }

    #[derive(Serialize, ToSchema)]
    #[serde(rename_all = "lowercase")]
    #[allow(dead_code)] // only its schema is read
    enum Kind {
        Small,
        Large,
    }

    #[derive(Serialize, ToSchema)]
    struct Inner {
        depth: u8,
    }

    #[derive(Serialize, ToSchema)]
    #[serde(tag = "type", rename_all = "lowercase")]
    #[allow(dead_code)] // only its schema is read
    enum Shape {
        Circle { radius: f64 },
        Square { side: f64 },
    }

    #[derive(Serialize, ToSchema)]
    struct Holder {
        maybe: Option<Counts>,
        list: Vec<Counts>,
        #[schema(inline)]
        nested: Inner,
        #[schema(inline)]
        nested_list: Vec<Inner>,
        map: HashMap<String, u64>,
        kind: Kind,
        shape: Shape,
    }

    #[utoipa::path(get, path = "/things/{id}", params(("id" = String, Path, description = "The thing's `id`.")),
        responses((status = 200, body = Holder), (status = 404, description = "No such thing")))]
    #[allow(dead_code)]
    fn thing() {}

    #[derive(OpenApi)]
    #[openapi(paths(thing), components(schemas(Snapshot, Open)))]
    struct TestDoc;

    #[test]
    fn schema_constructs_read_sensibly() {
        let reference = reference(&TestDoc::openapi());
        let endpoint = &reference.endpoints[0];
        assert_eq!((endpoint.method.as_str(), endpoint.path.as_str()), ("GET", "/things/{id}"));
        assert_eq!(endpoint.anchor, "get-things-id");
        let id = &endpoint.parameters[0];
        assert_eq!((id.name.as_str(), id.location.as_str(), id.required), ("id", "path", true));
        assert!(endpoint.auth.is_empty());
        let statuses: Vec<&str> = endpoint.responses.iter().map(|r| r.status.as_str()).collect();
        assert_eq!(statuses, ["200", "404"]);
        assert_eq!(links(endpoint.responses[0].content[0].schema.as_ref().unwrap()), ["Holder"]);
        assert!(endpoint.responses[1].content.is_empty());
        assert_eq!(endpoint.responses[1].description, "No such thing");

        let holder = schema(&reference, "Holder");
        let maybe = field(holder, "maybe");
        assert_eq!((links(&maybe.type_label), maybe.nullable), (vec!["Counts"], true), "{maybe:?}");
        let list = field(holder, "list");
        assert_eq!(list.type_label.plain(), "array of Counts");
        assert_eq!(links(&list.type_label), ["Counts"]);
        // Inline objects: their fields under the parent's name, not a table of their own.
        assert_eq!(field(holder, "nested.depth").type_label.plain(), "integer (int32)");
        assert!(field(holder, "nested_list[].depth").required);
        assert!(field(holder, "map").type_label.plain().starts_with("map of integer"), "{:?}", field(holder, "map"));
        assert_eq!(links(&field(holder, "kind").type_label), ["Kind"]);
        assert!(holder.fields.iter().all(|f| f.required || f.nullable), "{:?}", holder.fields);

        // An enumeration lists its values.
        let kind = schema(&reference, "Kind");
        assert_eq!(kind.values, ["\"small\"", "\"large\""]);
        assert_eq!(kind.shape.plain(), "string");
        assert!(kind.fields.is_empty());

        // allOf (from #[serde(flatten)]) merges the fields of a referenced schema.
        let snapshot = schema(&reference, "Snapshot");
        let names: Vec<&str> = snapshot.fields.iter().map(|f| f.name.as_str()).collect();
        for name in ["as_of", "queued", "done"] {
            assert!(names.contains(&name), "{name} in {names:?}");
        }
        assert_eq!(field(snapshot, "done").description.as_deref(), Some("Items done."));

        // Fields beyond the named ones.
        let open = schema(&reference, "Open");
        field(open, "known");
        let other = open.fields.iter().find(|f| f.other_fields).unwrap_or_else(|| panic!("{open:?}"));
        assert_eq!((other.name.as_str(), other.type_label.plain().as_str()), ("", "any"));

        // A tagged enum: one of its variants, each variant's fields listed.
        let shape = schema(&reference, "Shape");
        assert!(shape.shape.plain().contains(" or "), "{:?}", shape.shape);
        let names: Vec<&str> = shape.fields.iter().map(|f| f.name.as_str()).collect();
        assert!(names.contains(&"variant 1.radius") && names.contains(&"variant 2.side"), "{names:?}");
    }

    #[test]
    fn references_follow_chains_and_stop_at_cycles() {
        use utoipa::openapi::schema::{AllOfBuilder, ObjectBuilder};
        use utoipa::openapi::{ComponentsBuilder, OpenApiBuilder};
        let looped = Schema::AllOf(
            AllOfBuilder::new()
                .item(Ref::from_schema_name("Loop"))
                .item(ObjectBuilder::new().property("x", ObjectBuilder::new().schema_type(Type::String)).required("x"))
                .build(),
        );
        let doc = OpenApiBuilder::new()
            .components(Some(
                ComponentsBuilder::new()
                    .schema("Loop", looped)
                    .schema("Alias", Ref::from_schema_name("Loop"))
                    .schema("Dangling", Ref::from_schema_name("Missing"))
                    .build(),
            ))
            .build();
        let reference = reference(&doc);
        assert!(field(schema(&reference, "Loop"), "x").required);
        assert_eq!(
            schema(&reference, "Alias").shape.parts,
            [TypePart { text: "Loop".into(), schema: Some("Loop".into()) }]
        );
        assert_eq!(schema(&reference, "Dangling").shape.parts, [TypePart { text: "Missing".into(), schema: None }]);
        assert_eq!(schema_anchor("Loop"), "schema-Loop");
    }
}
