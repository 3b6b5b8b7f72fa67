//! The engine simulator (live-api.md, "The engine simulator"): a real HTTP client of the API
//! that does what the automation engine does. It claims run requests, starts scheduled runs,
//! and reports each run stage by stage through `POST /api/v1/ingest`, with counts, credits and
//! times drawn from the site's own history (`plan.rs`). `automation-runs simulate` runs one
//! against any server; `serve --demo` runs one per demo account against itself ([`demo`]).
//!
//! It keeps no state of its own: a run record is the run's whole state, so a simulator that
//! starts carries on every running run of its sites from its current stage, and since ingest is
//! idempotent any report may be sent again. Hence one simulator per site: two would both carry
//! on the same running runs (simulators of one account can split its sites with `sites`).

mod client;
pub mod demo;
mod plan;

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};
use tokio::time::Instant;
use tracing::Instrument;

use crate::domain::requests::{RequestKind, RunRequest};
use crate::domain::run::RunStatus;
use crate::domain::run::TriggerType;
use crate::domain::stage::StageNumber;
use client::{pause, Client};
use plan::{History, NewRun, Plan, Progress, Sample, Work};

pub use client::ClientError;
pub use plan::Speed;

/// How often the simulator asks for requests and looks at its schedule.
const POLL: Duration = Duration::from_secs(1);
/// The completed runs a new run draws its figures from: the prediction's window.
const SAMPLE_RUNS: u32 = 10;
/// The recent runs whose failures set how often a simulated run fails.
const FAILURE_WINDOW: u32 = 50;

/// What to simulate, and against which server. (Not `Debug`: it holds the token.)
#[derive(Clone)]
pub struct Options {
    /// The server's base URL, e.g. `http://127.0.0.1:3000`.
    pub url: String,
    /// An `ingest` token: the simulator acts for its account.
    pub token: String,
    pub speed: Speed,
    /// Only these sites' requests, scheduled and running runs (all of the account's when empty).
    pub sites: Vec<i64>,
    /// Start a scheduled run of each site this often.
    pub schedule_every: Option<Duration>,
    /// Let runs fail, as often as the site's recent runs did.
    pub failures: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum SimulateError {
    #[error(transparent)]
    Client(#[from] ClientError),
    #[error("the simulator's task ended abnormally: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// A simulator at work in the background.
pub struct Simulator {
    stop: watch::Sender<bool>,
    task: JoinHandle<Result<(), SimulateError>>,
}

/// Starts a simulator; it runs until stopped, or until the server refuses it (a bad token).
pub fn spawn(options: Options) -> Result<Simulator, SimulateError> {
    let (stop, stopping) = watch::channel(false);
    let client = Client::new(&options.url, &options.token, stopping)?;
    let engine = Engine { client, options, busy: Busy::default(), tasks: JoinSet::new() };
    Ok(Simulator { stop, task: tokio::spawn(engine.run()) })
}

impl Simulator {
    /// Stops at once. Runs in progress stay `running` on the server at their current stage,
    /// where the next simulator carries on with them.
    pub async fn stop(self) -> Result<(), SimulateError> {
        let _ = self.stop.send(true);
        self.task.await?
    }

    /// Works until `shutdown` resolves (then stops) or the simulator fails.
    pub async fn run_until(mut self, shutdown: impl Future<Output = ()>) -> Result<(), SimulateError> {
        tokio::select! {
            result = &mut self.task => result?,
            () = shutdown => self.stop().await,
        }
    }
}

/// `90s`, `4m`, `1.5h`, `500ms`: a duration as the command line takes it.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let split = s.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(s.len());
    let (number, unit) = s.split_at(split);
    let seconds = match unit {
        "ms" => 0.001,
        "s" => 1.0,
        "m" => 60.0,
        "h" => 3600.0,
        _ => return Err(format!("{s:?}: expected a number and a unit (ms, s, m or h), e.g. 4m")),
    };
    number
        .parse::<f64>()
        .ok()
        .map(|n| n * seconds)
        .filter(|secs| secs.is_finite() && *secs > 0.0)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| format!("{s:?}: expected a positive duration, e.g. 4m"))
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// The sites this simulator has a run on, each with the run's id once it is known: one run at a
/// time per site, also between a request and a scheduled run that come at once.
#[derive(Debug, Clone, Default)]
struct Busy(Arc<Mutex<HashMap<i64, Option<String>>>>);

/// A site taken for one run; dropped, it is free again.
struct Taken {
    busy: Busy,
    site_id: i64,
}

impl Busy {
    fn sites(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Option<String>>> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn take(&self, site_id: i64) -> Option<Taken> {
        let mut sites = self.sites();
        if sites.contains_key(&site_id) {
            return None;
        }
        sites.insert(site_id, None);
        Some(Taken { busy: self.clone(), site_id })
    }

    fn holds(&self, site_id: i64) -> bool {
        self.sites().contains_key(&site_id)
    }

    fn run_of(&self, site_id: i64) -> Option<String> {
        self.sites().get(&site_id).cloned().flatten()
    }
}

impl Taken {
    fn running(&self, run_id: &str) {
        self.busy.sites().insert(self.site_id, Some(run_id.to_string()));
    }
}

impl Drop for Taken {
    fn drop(&mut self) {
        self.busy.sites().remove(&self.site_id);
    }
}

/// When each site's next scheduled run is due.
#[derive(Debug)]
struct Schedule {
    every: Duration,
    next: BTreeMap<i64, Instant>,
}

impl Schedule {
    /// The sites' first runs spread over one period, so that they do not all start at once.
    fn new(every: Duration, sites: &[i64], now: Instant) -> Schedule {
        let n = sites.len().max(1) as u32;
        let next = sites.iter().enumerate().map(|(i, &site)| (site, now + every * i as u32 / n)).collect();
        Schedule { every, next }
    }

    fn any_due(&self, now: Instant) -> bool {
        self.next.values().any(|&at| at <= now)
    }

    /// Follows the account's sites: a new site's first run is a period away.
    fn sync(&mut self, sites: &[i64], now: Instant) {
        self.next.retain(|site, _| sites.contains(site));
        for &site in sites {
            self.next.entry(site).or_insert(now + self.every);
        }
    }

    /// The sites due now; each is next due a period later (a run missed is not made up).
    fn due(&mut self, now: Instant) -> Vec<i64> {
        let mut due = Vec::new();
        for (&site, at) in &mut self.next {
            if *at <= now {
                due.push(site);
                while *at <= now {
                    *at += self.every;
                }
            }
        }
        due
    }
}

/// What every run of the simulator shares.
#[derive(Debug, Clone, Copy)]
struct Pace {
    speed: Speed,
    failures: bool,
}

struct Engine {
    client: Client,
    options: Options,
    busy: Busy,
    tasks: JoinSet<()>,
}

impl Engine {
    async fn run(mut self) -> Result<(), SimulateError> {
        let result = self.work().await;
        // Each run stops at its next wait; the server keeps it `running`.
        while self.tasks.join_next().await.is_some() {}
        match result {
            Err(ClientError::Stopped) => Ok(()),
            other => Ok(other?),
        }
    }

    async fn work(&mut self) -> Result<(), ClientError> {
        let sites = self.sites().await?;
        tracing::info!(?sites, speed = %self.options.speed, "the engine simulator starts");
        self.carry_on(&sites).await?;
        let mut schedule = self.options.schedule_every.map(|every| Schedule::new(every, &sites, Instant::now()));
        loop {
            for site_id in self.claims() {
                while let Some(request) = self.client.claim(site_id).await? {
                    self.take(request).await?;
                }
            }
            if let Some(schedule) = &mut schedule {
                let now = Instant::now();
                if schedule.any_due(now) {
                    schedule.sync(&self.sites().await?, now);
                    for site_id in schedule.due(now) {
                        self.start_scheduled(site_id);
                    }
                }
            }
            while self.tasks.try_join_next().is_some() {}
            pause(self.client.stop_signal(), POLL).await?;
        }
    }

    /// Whose requests to claim: the account's, or each of the chosen sites'.
    fn claims(&self) -> Vec<Option<i64>> {
        match self.options.sites.as_slice() {
            [] => vec![None],
            sites => sites.iter().copied().map(Some).collect(),
        }
    }

    fn pace(&self) -> Pace {
        Pace { speed: self.options.speed, failures: self.options.failures }
    }

    /// The account's sites this simulator looks after.
    async fn sites(&self) -> Result<Vec<i64>, ClientError> {
        let all = self.client.sites().await?;
        let wanted = &self.options.sites;
        Ok(all.into_iter().map(|s| s.id).filter(|id| wanted.is_empty() || wanted.contains(id)).collect())
    }

    fn spawn(
        &mut self,
        what: &'static str,
        site_id: i64,
        work: impl Future<Output = Result<(), ClientError>> + Send + 'static,
    ) {
        let work = async move {
            match work.await {
                Ok(()) | Err(ClientError::Stopped) => {}
                Err(e) => tracing::error!(error = %e, "{what} abandoned"),
            }
        };
        self.tasks.spawn(work.instrument(tracing::info_span!("site", site_id)));
    }

    /// Carries on the running runs of the sites, from their current stages.
    async fn carry_on(&mut self, sites: &[i64]) -> Result<(), ClientError> {
        for &site_id in sites {
            // Newest first: a site with more than one running run gets its newest carried on.
            for run in self.client.history(site_id, Some(RunStatus::Running), 100).await?.runs {
                let Some(taken) = self.busy.take(site_id) else {
                    tracing::warn!(site_id, run_id = run.run_id, "another run of the site is running: left as it is");
                    continue;
                };
                taken.running(&run.run_id);
                let (client, pace) = (self.client.clone(), self.pace());
                self.spawn("a resumed run", site_id, async move {
                    let _taken = taken;
                    resume(&client, pace, &run.run_id).await
                });
            }
        }
        Ok(())
    }

    async fn take(&mut self, request: RunRequest) -> Result<(), ClientError> {
        tracing::info!(request = request.id, site_id = request.site_id, kind = request.kind.as_str(), "claimed");
        let Some(taken) = self.busy.take(request.site_id) else {
            return match self.busy.run_of(request.site_id) {
                // Its claim lapsed while the run was starting, and came back.
                Some(run_id) if plan::request_of(&run_id) == Some(request.id) => {
                    answer_started(&self.client, request.id, &run_id).await
                }
                running => {
                    let run = running.map_or_else(|| "a run".to_string(), |id| format!("run {id}"));
                    let reason = format!(
                        "The site is busy with {run}: one run at a time per site. Ask again once it has finished."
                    );
                    reject(&self.client, request.id, &reason).await
                }
            };
        };
        let (client, pace) = (self.client.clone(), self.pace());
        self.spawn("a requested run", request.site_id, async move { serve(&client, pace, &request, &taken).await });
        Ok(())
    }

    fn start_scheduled(&mut self, site_id: i64) {
        let (client, pace, busy) = (self.client.clone(), self.pace(), self.busy.clone());
        self.spawn("a scheduled run", site_id, async move { scheduled(&client, pace, &busy, site_id).await });
    }
}

/// The site's last completed runs, and how often its recent runs failed (when runs may fail).
async fn history_of(client: &Client, site_id: i64, failures: bool) -> Result<History, ClientError> {
    let mut samples = Vec::new();
    for run in client.history(site_id, Some(RunStatus::Completed), SAMPLE_RUNS).await?.runs {
        samples.push(Sample::of(&client.run_detail(&run.run_id).await?));
    }
    let mut fail_rate = 0.0;
    if failures {
        let recent = client.history(site_id, None, FAILURE_WINDOW).await?.runs;
        let failed = recent.iter().filter(|r| r.status == RunStatus::Failed).count();
        fail_rate = failed as f64 / recent.len().max(1) as f64;
    }
    Ok(History { samples, fail_rate })
}

/// Reports the plan's steps, each at its time. The first report comes before the request is
/// answered `started`: a run that exists before the request names it survives a simulator that
/// stops between the two, since the next one carries it on and answers for it.
async fn drive(client: &Client, plan: &Plan) -> Result<(), ClientError> {
    for (i, step) in plan.steps.iter().enumerate() {
        let wait = step.at_ms - now_ms();
        if wait > 0 {
            pause(client.stop_signal(), Duration::from_millis(wait as u64)).await?;
        }
        client.ingest(&step.body).await?;
        tracing::debug!(run_id = plan.run_id, status = step.status, stage = step.current_stage, "reported");
        if i == 0 {
            tracing::info!(run_id = plan.run_id, stage = step.current_stage, "run under way");
            if let Some(request) = plan.request {
                answer_started(client, request, &plan.run_id).await?;
            }
        }
    }
    if let Some(last) = plan.steps.last() {
        tracing::info!(run_id = plan.run_id, status = last.status, stage = last.current_stage, "run ended");
    }
    Ok(())
}

/// Links the request to its run; a request answered otherwise meanwhile does not stop a run that
/// has begun.
async fn answer_started(client: &Client, request: i64, run_id: &str) -> Result<(), ClientError> {
    answered(request, client.started(request, run_id).await)
}

/// Tells users why the request will not run.
async fn reject(client: &Client, request: i64, reason: &str) -> Result<(), ClientError> {
    tracing::info!(request, reason, "rejected");
    answered(request, client.rejected(request, reason).await)
}

/// A request that is gone, or was answered otherwise meanwhile (its claim lapsed and another
/// engine took it), is no longer this simulator's to answer: noted, not an error.
fn answered(request: i64, result: Result<RunRequest, ClientError>) -> Result<(), ClientError> {
    match result {
        Ok(_) => Ok(()),
        Err(e) if matches!(e.status(), Some(404 | 409)) => {
            tracing::warn!(request, error = %e, "the request was no longer this simulator's to answer");
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// What a request asks to run, or why it cannot be run.
async fn new_run(client: &Client, request: &RunRequest) -> Result<Result<NewRun, String>, ClientError> {
    let origin = |what: String| Some(format!("Requested by {} (request {}): {what}", request.requested_by, request.id));
    let source = match (&request.source_run_id, request.kind) {
        (Some(run_id), RequestKind::Rerun | RequestKind::RetryStage) => match client.run_detail(run_id).await {
            Ok(detail) => Some((run_id.as_str(), Sample::of(&detail).queued())),
            Err(e) if e.status() == Some(404) => return Ok(Err(format!("Run {run_id} no longer exists."))),
            Err(e) => return Err(e),
        },
        _ => None,
    };
    let (work, origin) = match (request.kind, source, request.stage) {
        (RequestKind::Run, _, _) => (Work::Fresh, origin("a new run".into())),
        (RequestKind::Rerun, Some((run_id, snapshot)), _) => {
            (Work::Again { snapshot }, origin(format!("a re-run of run {run_id}")))
        }
        (RequestKind::RetryStage, Some((run_id, snapshot)), Some(stage)) if StageNumber::from_u8(stage).is_some() => {
            (Work::From { snapshot, stage: usize::from(stage) }, origin(format!("stage {stage} of run {run_id} again")))
        }
        _ => return Ok(Err("The request does not say which run, or which stage, to run again.".into())),
    };
    Ok(Ok(NewRun { site_id: request.site_id, trigger: TriggerType::Manual, request: Some(request.id), work, origin }))
}

/// Runs a claimed request, or rejects it with the reason.
async fn serve(client: &Client, pace: Pace, request: &RunRequest, taken: &Taken) -> Result<(), ClientError> {
    let planned = match new_run(client, request).await? {
        Ok(new) => {
            let history = history_of(client, request.site_id, pace.failures).await?;
            plan::start(&history, &new, now_ms(), pace.speed).map_err(|e| e.to_string())
        }
        Err(reason) => Err(reason),
    };
    match planned {
        Ok(plan) => {
            taken.running(&plan.run_id);
            drive(client, &plan).await
        }
        Err(reason) => reject(client, request.id, &reason).await,
    }
}

/// Whether the site has a run that has not finished, or a request on its way.
async fn site_is_busy(client: &Client, site_id: i64) -> Result<bool, ClientError> {
    for status in [RunStatus::Running, RunStatus::Paused] {
        if client.history(site_id, Some(status), 1).await?.pagination.total_count > 0 {
            return Ok(true);
        }
    }
    Ok(client.requests(site_id).await?.iter().any(|r| r.state.is_open()))
}

/// A scheduled run of the site, unless it has a run going or a request on its way. The site is
/// taken only once the figures are drawn, just before the run begins: a request claimed
/// meanwhile gets the site, and this run is skipped.
async fn scheduled(client: &Client, pace: Pace, busy: &Busy, site_id: i64) -> Result<(), ClientError> {
    let skipped = || tracing::debug!(site_id, "scheduled run skipped: the site's run is still going");
    if busy.holds(site_id) {
        skipped();
        return Ok(());
    }
    let history = history_of(client, site_id, pace.failures).await?;
    let Some(taken) = busy.take(site_id) else {
        skipped();
        return Ok(());
    };
    if site_is_busy(client, site_id).await? {
        tracing::debug!(site_id, "scheduled run skipped: the site has a run or a request on its way");
        return Ok(());
    }
    let new = NewRun { site_id, trigger: TriggerType::Scheduled, request: None, work: Work::Fresh, origin: None };
    match plan::start(&history, &new, now_ms(), pace.speed) {
        Ok(plan) => {
            taken.running(&plan.run_id);
            drive(client, &plan).await
        }
        Err(e) => {
            tracing::info!(site_id, reason = %e, "no scheduled run");
            Ok(())
        }
    }
}

async fn resume(client: &Client, pace: Pace, run_id: &str) -> Result<(), ClientError> {
    let progress = match Progress::of(&client.run_detail(run_id).await?) {
        Ok(progress) => progress,
        Err(e) => {
            tracing::info!(run_id, reason = %e, "nothing to carry on");
            return Ok(());
        }
    };
    match plan::resume(&history_of(client, progress.site_id, pace.failures).await?, &progress, now_ms(), pace.speed) {
        Ok(plan) => drive(client, &plan).await,
        Err(e) => {
            tracing::warn!(run_id, reason = %e, "the run is left as it is");
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_with_their_unit() {
        assert_eq!(parse_duration("4m"), Ok(Duration::from_secs(240)));
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("1.5h"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        for bad in ["4", "m", "0s", "-1m", "4 days", "1.2.3s", ""] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn sites_are_scheduled_staggered_and_each_once_a_period() {
        let start = Instant::now();
        let every = Duration::from_secs(60);
        let mut schedule = Schedule::new(every, &[1, 2, 3], start);
        assert_eq!(schedule.due(start), vec![1]);
        assert_eq!(schedule.due(start + Duration::from_secs(20)), vec![2]);
        assert_eq!(schedule.due(start + Duration::from_secs(59)), vec![3]);
        assert!(!schedule.any_due(start + Duration::from_secs(59)));
        // Three periods late: each site once, not three times.
        assert_eq!(schedule.due(start + Duration::from_secs(240)), vec![1, 2, 3]);
        assert!(!schedule.any_due(start + Duration::from_secs(240)));

        schedule.sync(&[2, 4], start + Duration::from_secs(240));
        assert_eq!(schedule.next.keys().copied().collect::<Vec<_>>(), vec![2, 4]);
        assert_eq!(schedule.due(start + Duration::from_secs(299)), vec![2]);
        assert_eq!(schedule.due(start + Duration::from_secs(300)), vec![4]);
    }

    #[test]
    fn a_site_runs_one_run_at_a_time() {
        let busy = Busy::default();
        let taken = busy.take(7).unwrap();
        assert!(busy.take(7).is_none() && busy.holds(7));
        assert_eq!(busy.run_of(7), None);
        taken.running("run_1");
        assert_eq!(busy.run_of(7).as_deref(), Some("run_1"));
        drop(taken);
        assert!(!busy.holds(7) && busy.take(7).is_some());
    }
}
