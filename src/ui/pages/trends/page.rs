use leptos::prelude::*;
use leptos::Params;
use leptos_router::params::Params;

use super::anomaly_list::AnomalyList;
use super::chart_legend::ChartLegend;
use super::range_switcher::RangeSwitcher;
use super::trend_chart::TrendChart;
use crate::domain::stage::StageNumber;
use crate::domain::trends::{Granularity, TrendFigure, TrendsView, STATUS_ORDER};
use crate::domain::view::ThemedSvg;
use crate::error::AppError;
use crate::paths;
use crate::server_fns::get_trends;
use crate::ui::components::error_view::{first_app_error, ErrorView};
use crate::ui::components::page_title::PageTitle;
use crate::ui::query::{field, page_query, Given};

/// Fewer completed runs than this draw no line worth reading.
const MIN_RUNS: usize = 2;

/// A figure's chart and the anomalies on it, as one card.
#[component]
fn FigureSection(
    view: TrendsView,
    figure: TrendFigure,
    svg: Option<ThemedSvg>,
    caption: &'static str,
) -> impl IntoView {
    let anomalies = view.report.anomalies.iter().filter(|a| a.figure == figure).cloned().collect();
    let id = format!("trend-{}", figure.as_str().replace('_', "-"));
    view! {
        <section class="card" aria-labelledby=id.clone()>
            <h2 id=id.clone()>{figure.label()}</h2>
            {svg.map(|svg| view! { <TrendChart svg caption testid=id.clone() /> })}
            <h3>"Anomalies"</h3>
            <AnomalyList anomalies domain=view.site.domain.clone() />
        </section>
    }
}

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
            <section class="card empty-state" data-testid="trends-empty">
                <h2>"Too few runs for trends"</h2>
                <p>
                    {format!(
                        "{} has {runs} completed run{} in the last {} days; trends need at least {MIN_RUNS}. Try a longer range.",
                        site.domain,
                        if runs == 1 { "" } else { "s" },
                        view.days,
                    )}
                </p>
            </section>
        }
        .into_any();
    }
    let per = match view.report.granularity {
        Granularity::Day => "day",
        Granularity::Week => "week",
    };
    let charts = view.charts.clone();
    let stage_entries = StageNumber::all()
        .map(|s| ("data-stage", s.get().to_string(), format!("{}. {}", s.get(), s.def().name)))
        .collect();
    let status_entries =
        STATUS_ORDER.iter().map(|s| ("data-status", s.as_str().to_string(), s.label().to_string())).collect();
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
            <section class="card" aria-labelledby="trend-stage-credits">
                <h2 id="trend-stage-credits">"Credits by stage"</h2>
                {charts
                    .stage_credits
                    .map(|svg| {
                        view! {
                            <TrendChart
                                svg
                                caption=format!(
                                    "Credits of the completed runs per {per}, stacked by stage: a stage that got more expensive grows its band.",
                                )
                                testid="trend-stage-credits-chart"
                            />
                        }
                    })}
                <ChartLegend title="Stages:" entries=stage_entries />
            </section>
            <section class="card" aria-labelledby="trend-runs-by-status">
                <h2 id="trend-runs-by-status">"Runs per week by status"</h2>
                {charts
                    .runs_by_status
                    .map(|svg| {
                        view! {
                            <TrendChart
                                svg
                                caption="Every run started each week (Monday to Sunday, UTC), stacked by how it ended."
                                testid="trend-runs-by-status-chart"
                            />
                        }
                    })}
                <ChartLegend title="Status:" entries=status_entries />
            </section>
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
