use leptos::prelude::*;
use leptos_meta::Title;

use super::error_view::ErrorView;
use crate::error::AppError;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <Title text="Not found" />
        <h1>"Page not found"</h1>
        <ErrorView error=AppError::NotFound("This page".into()) />
    }
}
