use leptos::prelude::*;

/// Placeholders the size of the sections, so nothing jumps when the data arrives.
#[component]
pub fn OverviewSkeleton() -> impl IntoView {
    view! {
        <div class="page-grid" aria-busy="true">
            <p class="visually-hidden" role="status">"Loading the overview…"</p>
            <section class="card loading skeleton-stats"></section>
            <section class="card loading skeleton-pipeline"></section>
            <section class="card loading skeleton-prediction"></section>
        </div>
    }
}
