use super::page_title::PageTitle;
use leptos::prelude::*;

use super::error_view::ErrorView;
use crate::error::AppError;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <PageTitle text="Not found" />
        <h1>"Page not found"</h1>
        <ErrorView error=AppError::NotFound("This page".into()) />
    }
}
