use leptos::prelude::*;

use crate::error::AppError;
use crate::paths;

/// An error as the pages show it: what happened, and a way on. On the server it also sets the
/// response's status, so an unknown site is a real 404.
#[component]
pub fn ErrorView(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(
            axum::http::StatusCode::from_u16(error.status_code())
                .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR),
        );
    }
    let (title, retry) = match &error {
        AppError::NotFound(_) => ("Not found", false),
        AppError::BadRequest(_)
        | AppError::PayloadTooLarge(_)
        | AppError::UnsupportedMediaType(_)
        | AppError::InvalidRecords(_) => ("That request is not valid", false),
        AppError::NotAllowed(_) => ("Not allowed", false),
        AppError::Conflict(_) | AppError::InsufficientBalance(_) => ("That cannot be done now", true),
        AppError::Unauthorized => ("Sign in to continue", false),
        AppError::Forbidden(_) => ("Request refused", true),
        AppError::Internal | AppError::Transport(_) => ("Something went wrong", true),
        AppError::Unavailable => ("Temporarily unavailable", true),
        AppError::TooManyRequests => ("Too many attempts", true),
    };
    view! {
        <section class="card error-state" role="alert">
            <h2>{title}</h2>
            <p>{error.to_string()}</p>
            <p class="error-actions">
                {retry
                    .then(|| {
                        view! {
                            <a class="button" href="">
                                "Try again"
                            </a>
                        }
                    })}
                <a class="button secondary" href=paths::OVERVIEW>
                    "Go to the overview"
                </a>
            </p>
        </section>
    }
}

/// The first [`AppError`] of an error boundary's errors.
pub fn first_app_error(errors: &leptos::error::Errors) -> AppError {
    errors.iter().find_map(|(_, e)| e.downcast_ref::<AppError>().cloned()).unwrap_or(AppError::Internal)
}
