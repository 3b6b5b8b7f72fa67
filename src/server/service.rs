//! The one place that combines the store and the domain. The JSON API and the server
//! functions both call it, so pages and API show the same figures.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

use super::db::{LogQuery, Scope, ScopedSite, Store};
use crate::domain::alerts::WebhookAllow;
use crate::domain::averages::{historical_averages, HISTORY_RUNS};
use crate::domain::detail::{history_run, run_detail, RunDetail, SiteRef};
use crate::domain::forecast::{backtest, likely_range, Accuracy, BACKTEST_READ};
use crate::domain::logs::LogPage;
use crate::domain::overview::{flat_averages, HistoryPage, OverviewStats, Pagination, RunDetailView, SiteSummary};
use crate::domain::params::{HistoryFilter, PageRequest, DEFAULT_PAGE_SIZE};
use crate::domain::pipeline::PipelineSnapshot;
use crate::domain::prediction::{predict, Prediction};
use crate::domain::run::Run;
use crate::domain::stats::{run_statistics, STATS_WINDOW_DAYS};
use crate::error::AppError;

/// A scope and the version of its site list (count, sum of revisions).
type SiteListKey = (Scope, (i64, i64));

/// Scopes whose site lists are kept (one per account, with sign-in).
const SITE_LIST_CACHE_ENTRIES: u64 = 10_000;
/// Sites whose backtest is kept.
const BACKTEST_CACHE_ENTRIES: u64 = 10_000;
/// The most completed runs a backtest reads. Only runs without credits, which it skips, push
/// it further back than [`BACKTEST_READ`]; past this bound it checks the runs it can check
/// exactly, and says how many.
const BACKTEST_MAX_READ: usize = 2_000;

/// The time of a request; tests fix it.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

pub fn system_clock() -> Clock {
    Arc::new(Utc::now)
}

#[derive(Clone)]
pub struct Service {
    store: Store,
    clock: Clock,
    /// Details of finished runs, keyed by run id and its site's revision (bumped by every
    /// import that touches the site, which is what can change a finished run's figures).
    details: moka::sync::Cache<(String, i64), Arc<RunDetail>>,
    /// Site lists by scope and the list's version: one small query instead of a row per site
    /// on every page view.
    site_lists: moka::sync::Cache<SiteListKey, Arc<Vec<SiteSummary>>>,
    /// Backtests by site id and revision: they change only when the site's runs do, and
    /// computing one reads three times the completed runs the overview needs otherwise.
    backtests: moka::sync::Cache<(i64, i64), Accuracy>,
    /// The hosts webhooks may go to (`AUTOMATION_RUNS_WEBHOOK_ALLOW`).
    webhook_allow: Arc<WebhookAllow>,
    /// The client alert deliveries go through (see `alerts::outbox`).
    webhook_client: reqwest::Client,
    /// Wakes the delivery task when an alert is raised.
    outbox: Arc<tokio::sync::Notify>,
}

/// The prediction and its likely range from the site's last (at most 10) completed runs and
/// pending items, and its balance; without the backtest, which only the overview shows.
fn site_prediction(site: &ScopedSite, completed: &[Run], pipeline: Option<&PipelineSnapshot>) -> Prediction {
    let averages = historical_averages(completed);
    let pending = pipeline.map(|p| p.counts).unwrap_or_default().pending();
    Prediction {
        likely_range: likely_range(&pending, completed),
        ..predict(&pending, averages.as_ref(), completed.len() as u32, site.row().credit_balance)
    }
}

fn site_ref(site: &ScopedSite) -> SiteRef {
    let row = site.row();
    SiteRef { id: row.id, name: row.name.clone(), domain: row.domain.clone() }
}

impl Service {
    pub fn new(store: Store, clock: Clock, detail_cache_entries: u64) -> Self {
        Service {
            store,
            clock,
            details: moka::sync::Cache::new(detail_cache_entries),
            site_lists: moka::sync::Cache::new(SITE_LIST_CACHE_ENTRIES),
            backtests: moka::sync::Cache::new(BACKTEST_CACHE_ENTRIES),
            webhook_allow: Arc::new(WebhookAllow::default()),
            webhook_client: super::alerts::outbox::webhook_client(),
            outbox: Arc::new(tokio::sync::Notify::new()),
        }
    }

    /// The same service, taking webhooks only to `allow`'s hosts.
    pub fn with_webhook_allow(mut self, allow: WebhookAllow) -> Self {
        self.webhook_allow = Arc::new(allow);
        self
    }

    pub fn webhook_allow(&self) -> &WebhookAllow {
        &self.webhook_allow
    }

    pub(crate) fn webhook_client(&self) -> &reqwest::Client {
        &self.webhook_client
    }

    /// Tells the delivery task that an alert is waiting.
    pub fn wake_outbox(&self) {
        self.outbox.notify_one();
    }

    /// Resolves when [`Service::wake_outbox`] was called.
    pub async fn outbox_woken(&self) {
        self.outbox.notified().await
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    pub async fn sites(&self, scope: Scope) -> Result<Arc<Vec<SiteSummary>>, AppError> {
        let key = (scope, self.store.sites_version(scope).await?);
        if let Some(hit) = self.site_lists.get(&key) {
            return Ok(hit);
        }
        let list: Arc<Vec<SiteSummary>> = Arc::new(
            self.store
                .sites(scope)
                .await?
                .iter()
                .map(|s| {
                    let r = s.row();
                    SiteSummary {
                        id: r.id,
                        account_id: r.account_id,
                        account_name: r.account_name.clone(),
                        name: r.name.clone(),
                        domain: r.domain.clone(),
                    }
                })
                .collect(),
        );
        self.site_lists.insert(key, list.clone());
        Ok(list)
    }

    /// The site, or the scope's first site when none is asked for.
    pub async fn site(&self, scope: Scope, site_id: Option<i64>) -> Result<ScopedSite, AppError> {
        let site = match site_id {
            Some(id) => self.store.site(scope, id).await?,
            None => self.store.first_site(scope).await?,
        };
        site.ok_or_else(|| {
            AppError::NotFound(match site_id {
                Some(id) => format!("Site {id}"),
                None => "Site".to_string(),
            })
        })
    }

    pub async fn overview_stats(&self, scope: Scope, site_id: Option<i64>) -> Result<OverviewStats, AppError> {
        let now = self.now();
        let site = self.site(scope, site_id).await?;
        let backtest_key = (site.id(), site.row().revision);
        let cached = self.backtests.get(&backtest_key);
        // Without this revision's backtest, one read serves both the averages and the backtest.
        let read = if cached.is_some() { HISTORY_RUNS } else { BACKTEST_READ };
        let w30_start = now - Duration::days(STATS_WINDOW_DAYS);
        let (total, recent, completed, pipeline) = tokio::try_join!(
            self.store.total_runs(&site),
            self.store.run_timings_since(&site, w30_start, w30_start - Duration::days(STATS_WINDOW_DAYS)),
            self.store.last_completed_runs(&site, None, read as u32),
            self.store.pipeline(&site),
        )?;
        let accuracy = match cached {
            Some(accuracy) => accuracy,
            None => {
                let accuracy = self.site_backtest(&site, &completed, read).await?;
                self.backtests.insert(backtest_key, accuracy);
                accuracy
            }
        };
        let last = &completed[..completed.len().min(HISTORY_RUNS)];
        let averages = historical_averages(last);
        let counts = pipeline.as_ref().map(|p| p.counts).unwrap_or_default();
        Ok(OverviewStats {
            site: site_ref(&site),
            run_statistics: run_statistics(total.max(0) as u64, &recent, now),
            predictive_analysis: Prediction {
                accuracy: averages.is_some().then_some(accuracy),
                ..site_prediction(&site, last, pipeline.as_ref())
            },
            attention_items: counts.attention(),
            historical_averages: flat_averages(averages.as_ref(), last.len() as u32),
            pipeline,
        })
    }

    /// The backtest from `completed`, the site's newest completed runs as read with `limit`,
    /// reading further back while runs without credits leave it unsettled.
    async fn site_backtest(
        &self,
        site: &ScopedSite,
        completed: &[Run],
        mut limit: usize,
    ) -> Result<Accuracy, AppError> {
        let mut result = backtest(completed, completed.len() < limit);
        while !result.settled && limit < BACKTEST_MAX_READ {
            limit = (limit * 4).min(BACKTEST_MAX_READ);
            let more = self.store.last_completed_runs(site, None, limit as u32).await?;
            result = backtest(&more, more.len() < limit);
        }
        Ok(result.accuracy)
    }

    /// "If automation runs now" for the site, as the overview shows it but for the backtest: what
    /// a run request checks against the balance.
    pub async fn prediction(&self, site: &ScopedSite) -> Result<Prediction, AppError> {
        let (completed, pipeline) = tokio::try_join!(
            self.store.last_completed_runs(site, None, HISTORY_RUNS as u32),
            self.store.pipeline(site),
        )?;
        Ok(site_prediction(site, &completed, pipeline.as_ref()))
    }

    pub async fn history(
        &self,
        scope: Scope,
        site_id: Option<i64>,
        page: PageRequest,
        filter: HistoryFilter,
    ) -> Result<HistoryPage, AppError> {
        let now = self.now();
        let site = self.site(scope, site_id).await?;
        let (total, runs) = if filter.is_empty() {
            // Unfiltered pages are ranges of run numbers: their cost does not grow with the page.
            let total = self.store.total_runs(&site).await?;
            let runs = match page.number_range(total) {
                Some((first, last)) => self.store.runs_numbered(&site, first, last).await?,
                None => Vec::new(),
            };
            (total, runs)
        } else {
            let offset = i64::from(page.page() - 1) * i64::from(page.page_size());
            tokio::try_join!(
                self.store.count_runs(&site, filter),
                self.store.filtered_runs(&site, filter, offset, i64::from(page.page_size())),
            )?
        };
        let total = total.max(0) as u64;
        let domain = &site.row().domain;
        Ok(HistoryPage {
            site: site_ref(&site),
            runs: runs.iter().map(|r| history_run(r, domain, now)).collect(),
            pagination: Pagination {
                page: page.page(),
                page_size: page.page_size(),
                total_count: total,
                total_pages: page.total_pages(total),
            },
        })
    }

    fn run_not_found(run_id: &str) -> AppError {
        AppError::NotFound(format!("Run {run_id}"))
    }

    pub async fn run_detail(&self, scope: Scope, run_id: &str) -> Result<Arc<RunDetail>, AppError> {
        let site = self.store.site_of_run(scope, run_id).await?.ok_or_else(|| Self::run_not_found(run_id))?;
        let key = (run_id.to_string(), site.row().revision);
        if let Some(hit) = self.details.get(&key) {
            return Ok(hit);
        }
        let run = self.store.run(&site, run_id).await?.ok_or_else(|| Self::run_not_found(run_id))?;
        let earlier = self.store.last_completed_runs(&site, Some(run.started_at), HISTORY_RUNS as u32).await?;
        let averages = historical_averages(&earlier);
        let detail = Arc::new(run_detail(&run, &site_ref(&site), averages.as_ref(), earlier.len() as u32, self.now()));
        // A running or paused run changes with time and with the engine's next export.
        if !run.status.is_active() {
            self.details.insert(key, detail.clone());
        }
        Ok(detail)
    }

    /// The run page's data: the detail, its donut, and the history page that lists it.
    pub async fn run_detail_view(
        &self,
        scope: Scope,
        run_id: &str,
        csrf_token: String,
    ) -> Result<RunDetailView, AppError> {
        let detail = self.run_detail(scope, run_id).await?;
        let site = self.site(scope, Some(detail.run.site_id)).await?;
        let (total, started_by) =
            tokio::try_join!(self.store.total_runs(&site), self.store.request_of_run(&site, run_id))?;
        let requests = self.request_panel(scope, site.id(), None, csrf_token).await?;
        let newer = (total - detail.run.run_number).max(0);
        let history_page = u32::try_from(newer / i64::from(DEFAULT_PAGE_SIZE) + 1).unwrap_or(1);
        Ok(RunDetailView {
            credits_donut: super::charts::credits_donut(&detail.metrics.credit_shares),
            detail: detail.as_ref().clone(),
            history_page,
            started_by,
            requests,
        })
    }

    pub async fn run_logs(&self, scope: Scope, run_id: &str, query: &LogQuery) -> Result<LogPage, AppError> {
        let site = self.store.site_of_run(scope, run_id).await?.ok_or_else(|| Self::run_not_found(run_id))?;
        let (lines, total_count) = self.store.logs(&site, run_id, query).await?;
        Ok(LogPage { lines, total_count, offset: query.offset })
    }
}
