use leptos::prelude::*;
use leptos::Params;
use leptos_router::params::Params;

use super::figure_section::FigureSection;
use super::range_switcher::RangeSwitcher;
use super::runs_by_status_card::RunsByStatusCard;
use super::stage_credits_card::StageCreditsCard;
use super::too_few_runs::TooFewRuns;
use crate::domain::trends::{Granularity, TrendFigure, TrendsView};
use crate::error::AppError;
use crate::paths;
use crate::server_fns::get_trends;
use crate::ui::components::error_view::{first_app_error, ErrorView};
use crate::ui::components::page_title::PageTitle;
use crate::ui::query::{field, page_query, Given};

/// Fewer completed runs than this draw no line worth reading.
pub const MIN_RUNS: usize = 2;

fn content(view: TrendsView) -> AnyView {
    let site = view.site.clone();
    let header = view! {
        <div class="page-toolbar">
            <p class="muted">{format!("{} · {} · last {} days", site.name, site.domain, view.days)}</p>
            <RangeSwitcher site_id=site.id days=view.days />
        </div>
    };
    let runs = view.report.runs.len();
    if runs < MIN_RUNS {
        return view! {
            {header}
            <TooFewRuns domain=site.domain.clone() runs days=view.days />
        }
        .into_any();
    }
    let per = match view.report.granularity {
        Granularity::Day => "day",
        Granularity::Week => "week",
    };
    let charts = view.charts.clone();
    let anomaly_count = view.report.anomalies.len();
    view! {
        {header}
        <p data-testid="trends-summary">
            {format!(
                "{runs} completed runs, {anomaly_count} anomal{} flagged. Dots are runs, the dark line the rolling median of each run and the 9 before it, red diamonds the anomalies (select one to open its run).",
                if anomaly_count == 1 { "y" } else { "ies" },
            )}
        </p>
        <div class="page-grid trends-grid">
            <FigureSection
                view=view.clone()
                figure=TrendFigure::TotalCreditsUsed
                svg=charts.credits
                caption="Credits each completed run used, with the rolling median."
            />
            <FigureSection
                view=view.clone()
                figure=TrendFigure::DurationSeconds
                svg=charts.duration
                caption="How long each completed run took, in minutes, with the rolling median."
            />
            <FigureSection
                view=view.clone()
                figure=TrendFigure::CreditsPerContent
                svg=charts.credits_per_content
                caption="Credits per content item made (runs without content are left out), with the rolling median."
            />
            <StageCreditsCard svg=charts.stage_credits per />
            <RunsByStatusCard svg=charts.runs_by_status />
        </div>
    }
    .into_any()
}

/// `?site_id=&days=`: the site and the range.
#[derive(Params, Clone, PartialEq)]
struct TrendsQuery {
    site_id: Given<i64>,
    days: Given<u32>,
}

#[component]
pub fn TrendsPage() -> impl IntoView {
    let (query, valid) = page_query::<TrendsQuery>();
    let site_id = move || field(query, |q| q.site_id.0);
    let days = move || field(query, |q| q.days.0);
    let trends = Resource::new(move || (site_id(), days()), |(site, days)| get_trends(site, days));
    let body = move || {
        Suspend::new(async move {
            valid()?;
            Ok::<_, AppError>(content(trends.await?))
        })
    };
    view! {
        <PageTitle text="Trends" />
        <nav aria-label="Breadcrumb" class="breadcrumb">
            <ol>
                <li>"Automation"</li>
                <li>
                    <a href=paths::OVERVIEW>"Overview"</a>
                </li>
                <li aria-current="page">"Trends"</li>
            </ol>
        </nav>
        <div class="page-header">
            <h1>"Trends"</h1>
        </div>
        <Transition fallback=|| {
            view! {
                <p class="card loading" role="status">
                    "Loading the trends…"
                </p>
            }
        }>
            <ErrorBoundary fallback=|errors| view! { <ErrorView error=first_app_error(&errors.get()) /> }>
                {body}
            </ErrorBoundary>
        </Transition>
    }
}
