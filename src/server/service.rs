//! The one place that combines the store and the domain. The JSON API and the server
//! functions both call it, so pages and API show the same figures.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

use super::db::{ScopedSite, Store};
use crate::domain::alerts::WebhookAllow;
use crate::domain::averages::{historical_averages, HistoricalAverages, HISTORY_RUNS};
use crate::domain::compare::{compare, CompareView, RunComparison};
use crate::domain::detail::RunDetailView;
use crate::domain::detail::{run_detail, RunDetail};
use crate::domain::forecast::{backtest, likely_range, Accuracy, Backtest, BACKTEST_READ};
use crate::domain::history::history_run;
use crate::domain::logs::LogPage;
use crate::domain::overview::{
    estimate_runs, flat_averages, HistoryPage, OverviewStats, OverviewView, Pagination, SiteSummary,
};
use crate::domain::params::{HistoryFilter, LogQuery, PageRequest, TrendDays, DEFAULT_PAGE_SIZE};
use crate::domain::pipeline::{AttentionItems, PipelineSnapshot};
use crate::domain::prediction::{predict, Prediction};
use crate::domain::requests::Estimate;
use crate::domain::run::Run;
use crate::domain::scope::Scope;
use crate::domain::stats::{run_statistics, RunTiming, STATS_WINDOW_DAYS};
use crate::domain::trends::{
    latest_anomalies, run_anomalies, runs_by_status, trend_report, Anomaly, Granularity, TrendReport, TrendSample,
    TrendsView, ATTENTION_ANOMALIES, BASELINE_RUNS,
};
use crate::domain::view::SiteRef;
use crate::domain::view::ThemedSvg;
use crate::error::AppError;

/// A scope and the version of its site list (count, sum of revisions).
type SiteListKey = (Scope, (i64, i64));

/// Scopes whose site lists are kept (one per account, with sign-in).
const SITE_LIST_CACHE_ENTRIES: u64 = 10_000;
/// Sites whose backtest is kept.
const BACKTEST_CACHE_ENTRIES: u64 = 10_000;
/// Sites whose overview basis is kept. An entry holds ten full runs and a few hundred timings
/// (~30 KB for a site with a run every few hours), so this bounds the cache near 60 MB.
const BASIS_CACHE_ENTRIES: u64 = 2_000;
/// How long a basis serves after it was read. Its timings reach this much further back than
/// the statistics need, so every window of a request in that time lies inside them.
const BASIS_MAX_AGE: Duration = Duration::hours(1);
/// Accounts whose detection lock is kept (an evicted lock is only a fresh one next time).
const DETECTION_LOCK_ENTRIES: u64 = 10_000;
/// Sites (and ranges) whose anomalies are kept.
const ANOMALY_CACHE_ENTRIES: u64 = 10_000;
/// Runs (trend samples and timings) the trend inputs of all sites hold together: ~150 bytes
/// each, so ~75 MB; a busy site's ten-year range is ~90,000 of them.
const TREND_INPUT_RUNS: u64 = 500_000;
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
    backtests: moka::sync::Cache<(i64, i64), Arc<SiteBacktest>>,
    /// Overview bases by site id and revision.
    bases: moka::sync::Cache<(i64, i64), Arc<SiteBasis>>,
    /// Anomalies of a site's completed runs started in the last `days` days, newest first, by
    /// site id, revision and days: the overview lists the latest on every view, and finding
    /// them reads the range's runs. A run's anomalies depend only on the runs before it, so a
    /// list made earlier stays right for a later `now` once filtered to the shorter window;
    /// a new run bumps the revision.
    anomalies: moka::sync::Cache<(i64, i64, u32), Arc<Vec<Anomaly>>>,
    /// Trend inputs by site id, revision and days, bounded by the runs they hold.
    trend_inputs: moka::sync::Cache<(i64, i64, u32), Arc<TrendInputs>>,
    /// One alert detection at a time per account: each reads the account's state when it
    /// starts, so two running at once (one per ingest) could write back what they saw out of
    /// order, and a stale "balance recovered" would open a new low-balance episode.
    detection_locks: moka::sync::Cache<i64, Arc<tokio::sync::Mutex<()>>>,
    /// The hosts webhooks may go to (`AUTOMATION_RUNS_WEBHOOK_ALLOW`).
    webhook_allow: Arc<WebhookAllow>,
    /// The client alert deliveries go through (see `alerts::outbox`).
    webhook_client: reqwest::Client,
    /// Wakes the delivery task when an alert is raised.
    outbox: Arc<tokio::sync::Notify>,
}

/// What the overview's figures and the run-now estimate are computed from, but the balance
/// (the site row, read on every request): it changes only with the site's revision, which
/// every write of its runs or pipeline moves, and with the clock, which slides the statistics'
/// windows over its timings. Each request then computes its figures in microseconds from one
/// query (the scoped site) instead of five, on every instance, since the revision is read from
/// the database.
struct SiteBasis {
    read_at: DateTime<Utc>,
    total_runs: i64,
    /// Runs started in the statistics' window before `read_at` less [`BASIS_MAX_AGE`], and the
    /// failed and cancelled ones of the 30 days before that.
    timings: Vec<RunTiming>,
    /// The last [`HISTORY_RUNS`] completed runs, newest first.
    completed: Vec<Run>,
    pipeline: Option<PipelineSnapshot>,
}

impl SiteBasis {
    fn serves(&self, now: DateTime<Utc>) -> bool {
        now >= self.read_at && now - self.read_at < BASIS_MAX_AGE
    }
}

/// What a site's trends over a range are computed from: the same idea as [`SiteBasis`]. Read
/// at `read_at` for the range back from then, it holds every run a later request's range
/// (which starts later) needs, so while the revision stands each request only computes.
struct TrendInputs {
    read_at: DateTime<Utc>,
    /// Completed runs started in the range, and the [`BASELINE_RUNS`] before it, in start order.
    samples: Vec<TrendSample>,
    /// Runs of every status started in the range.
    timings: Vec<RunTiming>,
}

impl TrendInputs {
    fn serves(&self, now: DateTime<Utc>) -> bool {
        now >= self.read_at && now - self.read_at < BASIS_MAX_AGE
    }

    fn weight(&self) -> u32 {
        u32::try_from(self.samples.len() + self.timings.len()).unwrap_or(u32::MAX)
    }
}

/// A site's backtest as the overview shows it: the API's summary, and the page's chart of its
/// runs, drawn once per revision with it.
pub struct SiteBacktest {
    pub accuracy: Accuracy,
    pub chart: Option<ThemedSvg>,
}

/// The overview's figures and what only its page draws from them, which the API leaves alone.
struct Overview {
    /// The API's `overview_stats`.
    stats: OverviewStats,
    backtest: Arc<SiteBacktest>,
    basis: Arc<SiteBasis>,
    /// Whether the basis holds enough completed runs for an estimate.
    estimates: bool,
}

/// The prediction and its likely range from the site's last (at most 10) completed runs and
/// pending items, and its balance; without the backtest, which only the overview shows.
fn site_prediction(
    site: &ScopedSite,
    completed: &[Run],
    averages: Option<&HistoricalAverages>,
    pipeline: Option<&PipelineSnapshot>,
) -> Prediction {
    let pending = pipeline.map(|p| p.counts).unwrap_or_default().pending();
    Prediction {
        likely_range: likely_range(&pending, completed),
        ..predict(&pending, averages, completed.len() as u32, site.row().credit_balance)
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
            bases: moka::sync::Cache::new(BASIS_CACHE_ENTRIES),
            anomalies: moka::sync::Cache::new(ANOMALY_CACHE_ENTRIES),
            trend_inputs: moka::sync::Cache::builder()
                .max_capacity(TREND_INPUT_RUNS)
                .weigher(|_, inputs: &Arc<TrendInputs>| inputs.weight())
                .build(),
            detection_locks: moka::sync::Cache::new(DETECTION_LOCK_ENTRIES),
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

    /// The lock that keeps an account's alert detections one at a time.
    pub fn detection_lock(&self, account_id: i64) -> Arc<tokio::sync::Mutex<()>> {
        self.detection_locks.get_with(account_id, || Arc::new(tokio::sync::Mutex::new(())))
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
        let site = self.site(scope, site_id).await?;
        Ok(self.site_overview(&site).await?.stats)
    }

    /// The overview page's data: the figures with their charts and the runs behind the
    /// estimate, and the site's run requests.
    pub async fn overview_view(
        &self,
        scope: Scope,
        site_id: Option<i64>,
        csrf_token: String,
    ) -> Result<OverviewView, AppError> {
        let site = self.site(scope, site_id).await?;
        let Overview { stats, backtest, basis, estimates } = self.site_overview(&site).await?;
        let estimate_runs = if estimates { estimate_runs(&basis.completed, &site.row().domain) } else { Vec::new() };
        let estimate = Estimate::of(&stats.predictive_analysis);
        let requests = self.request_panel(&site, Some(estimate), csrf_token).await?;
        Ok(OverviewView {
            credits_chart: super::charts::estimated_credits_chart(&stats.predictive_analysis),
            accuracy_chart: backtest.chart.clone(),
            stats,
            estimate_runs,
            requests,
        })
    }

    /// The overview of a site already looked up.
    async fn site_overview(&self, site: &ScopedSite) -> Result<Overview, AppError> {
        let now = self.now();
        let basis = self.basis(site, now).await?;
        let backtest_key = (site.id(), site.row().revision);
        let anomalies = self.site_anomalies(site, TrendDays::ATTENTION, now).await?;
        let backtest = match self.backtests.get(&backtest_key) {
            Some(backtest) => backtest,
            None => {
                let result = self.site_backtest(site).await?;
                let backtest = Arc::new(SiteBacktest {
                    accuracy: result.accuracy,
                    chart: super::charts::accuracy_chart(&result.points, &site.row().domain),
                });
                self.backtests.insert(backtest_key, backtest.clone());
                backtest
            }
        };
        let last = &basis.completed;
        let averages = historical_averages(last);
        let counts = basis.pipeline.as_ref().map(|p| p.counts).unwrap_or_default();
        let stats = OverviewStats {
            site: site_ref(site),
            run_statistics: run_statistics(basis.total_runs.max(0) as u64, &basis.timings, now),
            predictive_analysis: Prediction {
                accuracy: averages.is_some().then_some(backtest.accuracy),
                ..site_prediction(site, last, averages.as_ref(), basis.pipeline.as_ref())
            },
            attention_items: AttentionItems { anomalies, ..counts.attention() },
            historical_averages: flat_averages(averages.as_ref(), last.len() as u32),
            pipeline: basis.pipeline.clone(),
        };
        Ok(Overview { stats, backtest, estimates: averages.is_some(), basis })
    }

    /// The site's overview basis for a request at `now`: kept while the site's revision stands
    /// and [`BASIS_MAX_AGE`] has not passed, read again otherwise.
    async fn basis(&self, site: &ScopedSite, now: DateTime<Utc>) -> Result<Arc<SiteBasis>, AppError> {
        let key = (site.id(), site.row().revision);
        if let Some(basis) = self.bases.get(&key).filter(|b| b.serves(now)) {
            return Ok(basis);
        }
        let since = now - Duration::days(STATS_WINDOW_DAYS) - BASIS_MAX_AGE;
        let (total_runs, timings, completed, pipeline) = tokio::try_join!(
            self.store.total_runs(site),
            self.store.run_timings_since(site, since, since - Duration::days(STATS_WINDOW_DAYS)),
            self.store.last_completed_runs(site, None, HISTORY_RUNS as u32),
            self.store.pipeline(site),
        )?;
        let basis = Arc::new(SiteBasis { read_at: now, total_runs, timings, completed, pipeline });
        self.bases.insert(key, basis.clone());
        Ok(basis)
    }

    /// The site's backtest: from its newest [`BACKTEST_READ`] completed runs, reading further
    /// back while runs without credits leave it unsettled.
    async fn site_backtest(&self, site: &ScopedSite) -> Result<Backtest, AppError> {
        let mut limit = BACKTEST_READ;
        let completed = self.store.last_completed_runs(site, None, limit as u32).await?;
        let mut result = backtest(&completed, completed.len() < limit);
        while !result.settled && limit < BACKTEST_MAX_READ {
            limit = (limit * 4).min(BACKTEST_MAX_READ);
            let more = self.store.last_completed_runs(site, None, limit as u32).await?;
            result = backtest(&more, more.len() < limit);
        }
        Ok(result)
    }

    /// "If automation runs now" for the site, as the overview shows it but for the backtest: what
    /// a run request checks against the balance.
    pub async fn prediction(&self, site: &ScopedSite) -> Result<Prediction, AppError> {
        let basis = self.basis(site, self.now()).await?;
        let averages = historical_averages(&basis.completed);
        Ok(site_prediction(site, &basis.completed, averages.as_ref(), basis.pipeline.as_ref()))
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
        let earlier = self.store.last_completed_runs(&site, Some(&run), HISTORY_RUNS as u32).await?;
        let averages = historical_averages(&earlier);
        let detail = Arc::new(
            run_detail(&run, &site_ref(&site), averages.as_ref(), earlier.len() as u32, self.now())
                .with_anomalies(&run_anomalies(&run, &earlier)),
        );
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
        let (total, started_by, previous_run_id) = tokio::try_join!(
            self.store.total_runs(&site),
            self.store.request_of_run(&site, run_id),
            self.store.previous_completed_run(&site, detail.run.run_number),
        )?;
        let requests = self.request_panel(&site, None, csrf_token).await?;
        let newer = (total - detail.run.run_number).max(0);
        let history_page = u32::try_from(newer / i64::from(DEFAULT_PAGE_SIZE) + 1).unwrap_or(1);
        Ok(RunDetailView {
            credits_donut: super::charts::credits_donut(&detail.metrics.credit_shares),
            detail: detail.as_ref().clone(),
            history_page,
            started_by,
            previous_run_id,
            requests,
        })
    }

    pub async fn run_logs(&self, scope: Scope, run_id: &str, query: &LogQuery) -> Result<LogPage, AppError> {
        let site = self.store.site_of_run(scope, run_id).await?.ok_or_else(|| Self::run_not_found(run_id))?;
        let (lines, total_count) = self.store.logs(&site, run_id, query).await?;
        Ok(LogPage { lines, total_count, offset: query.offset })
    }

    /// The newest anomalies of the site's completed runs started in the last `days` days, at
    /// most [`ATTENTION_ANOMALIES`], newest first.
    pub async fn latest_anomalies(
        &self,
        scope: Scope,
        site_id: i64,
        days: TrendDays,
    ) -> Result<Vec<Anomaly>, AppError> {
        let site = self.site(scope, Some(site_id)).await?;
        Ok(self.site_anomalies(&site, days, self.now()).await?)
    }

    /// [`Service::latest_anomalies`] of a site already looked up, from the cache when the site
    /// has not changed since.
    async fn site_anomalies(
        &self,
        site: &ScopedSite,
        days: TrendDays,
        now: DateTime<Utc>,
    ) -> Result<Vec<Anomaly>, super::db::StoreError> {
        let since = now - Duration::days(i64::from(days.get()));
        let key = (site.id(), site.row().revision, days.get());
        let all = match self.anomalies.get(&key) {
            Some(hit) => hit,
            None => {
                let all = Arc::new(self.site_trends(site, days, now).await?.anomalies);
                self.anomalies.insert(key, all.clone());
                all
            }
        };
        Ok(latest_anomalies(&all, since, ATTENTION_ANOMALIES))
    }

    /// The site's trend inputs for the `days` before `now`: kept while the site's revision
    /// stands and [`BASIS_MAX_AGE`] has not passed, read again otherwise.
    async fn trend_inputs(
        &self,
        site: &ScopedSite,
        days: TrendDays,
        now: DateTime<Utc>,
    ) -> Result<Arc<TrendInputs>, super::db::StoreError> {
        let key = (site.id(), site.row().revision, days.get());
        if let Some(inputs) = self.trend_inputs.get(&key).filter(|i| i.serves(now)) {
            return Ok(inputs);
        }
        let from = now - Duration::days(i64::from(days.get()));
        let (runs, timings) = tokio::try_join!(
            self.store.completed_runs_since(site, from, BASELINE_RUNS as u32),
            self.store.run_timings_since(site, from, from),
        )?;
        let samples = runs.iter().map(TrendSample::of).collect();
        let inputs = Arc::new(TrendInputs { read_at: now, samples, timings });
        self.trend_inputs.insert(key, inputs.clone());
        Ok(inputs)
    }

    /// The trends of the site's completed runs started in the last `days` days.
    async fn site_trends(
        &self,
        site: &ScopedSite,
        days: TrendDays,
        now: DateTime<Utc>,
    ) -> Result<TrendReport, super::db::StoreError> {
        let inputs = self.trend_inputs(site, days, now).await?;
        let from = now - Duration::days(i64::from(days.get()));
        Ok(trend_report(&inputs.samples, from, now, days.get()))
    }

    /// `GET /api/v1/automation/trends`, and more: see [`TrendReport`].
    pub async fn trends(&self, scope: Scope, site_id: i64, days: TrendDays) -> Result<TrendReport, AppError> {
        let site = self.site(scope, Some(site_id)).await?;
        Ok(self.site_trends(&site, days, self.now()).await?)
    }

    /// The trends page's data: the report, and the runs of every status by week.
    pub async fn trends_view(
        &self,
        scope: Scope,
        site_id: Option<i64>,
        days: TrendDays,
    ) -> Result<TrendsView, AppError> {
        let now = self.now();
        let site = self.site(scope, site_id).await?;
        let from = now - Duration::days(i64::from(days.get()));
        let inputs = self.trend_inputs(&site, days, now).await?;
        let mut view = TrendsView {
            site: site_ref(&site),
            days: days.get(),
            report: trend_report(&inputs.samples, from, now, days.get()),
            runs_by_status: runs_by_status(&inputs.timings, Granularity::Week, from, now),
            charts: Default::default(),
        };
        view.charts = super::charts::trend_charts(&view);
        Ok(view)
    }

    /// Run `b` against run `a`, any two runs of the scope (the same one twice too).
    pub async fn compare(&self, scope: Scope, a: &str, b: &str) -> Result<RunComparison, AppError> {
        let (a, b) = tokio::try_join!(self.run_detail(scope, a), self.run_detail(scope, b))?;
        Ok(compare(&a, &b))
    }

    /// The compare page's data: the comparison, both runs whole and their donuts.
    pub async fn compare_view(&self, scope: Scope, a: &str, b: &str) -> Result<CompareView, AppError> {
        let (a, b) = tokio::try_join!(self.run_detail(scope, a), self.run_detail(scope, b))?;
        let recent = self.history(scope, Some(a.run.site_id), PageRequest::default(), HistoryFilter::default()).await?;
        Ok(CompareView {
            recent_runs: recent.runs,
            comparison: compare(&a, &b),
            a_donut: super::charts::credits_donut(&a.metrics.credit_shares),
            b_donut: super::charts::credits_donut(&b.metrics.credit_shares),
            a: a.as_ref().clone(),
            b: b.as_ref().clone(),
        })
    }
}
