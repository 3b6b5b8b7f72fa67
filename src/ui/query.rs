//! The pages' query parameters, each page's as a `#[derive(Params)]` struct of [`Given`] fields:
//! a missing or empty parameter (a form's "All" choice sends `status=`) is `None`, and a
//! malformed one makes the page answer 400 with the parameter's name.

use std::str::FromStr;
use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::use_query;
use leptos_router::params::{IntoParam, Params, ParamsError};

use crate::error::AppError;

/// An optional query parameter; empty counts as absent.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Given<T>(pub Option<T>);

#[derive(Debug, thiserror::Error)]
#[error("The address's {name} is not valid: {value:?}.")]
struct Malformed {
    name: String,
    value: String,
}

impl<T: FromStr> IntoParam for Given<T> {
    fn into_param(value: Option<&str>, name: &str) -> Result<Self, ParamsError> {
        match value.filter(|v| !v.is_empty()) {
            None => Ok(Given(None)),
            Some(v) => v
                .parse()
                .map(|v| Given(Some(v)))
                .map_err(|_| ParamsError::Params(Arc::new(Malformed { name: name.to_string(), value: v.to_string() }))),
        }
    }
}

impl From<ParamsError> for AppError {
    fn from(error: ParamsError) -> Self {
        match error {
            ParamsError::Params(inner) => AppError::BadRequest(inner.to_string()),
            missing @ ParamsError::MissingParam(_) => AppError::BadRequest(missing.to_string()),
        }
    }
}

/// The page's query as `Q`, and a check that yields its 400 once the page renders.
pub fn page_query<Q>() -> (Memo<Result<Q, ParamsError>>, impl Fn() -> Result<(), AppError> + Copy + Send + Sync)
where
    Q: Params + Clone + PartialEq + Send + Sync + 'static,
{
    let query = use_query::<Q>();
    let valid = move || query.with_untracked(|q| q.as_ref().map(drop).map_err(|e| AppError::from(e.clone())));
    (query, valid)
}

/// A field of the query, `None` while the query is malformed (the page then shows its 400).
pub fn field<Q, T>(query: Memo<Result<Q, ParamsError>>, pick: impl Fn(&Q) -> Option<T>) -> Option<T>
where
    Q: Send + Sync + 'static,
{
    query.with(|q| q.as_ref().ok().and_then(pick))
}
