//! Run requests (live-api.md, "Run requests: re-run and retry"): what a user may ask the engine
//! to run, the states a request moves through, and when an unanswered claim lapses. The store
//! applies these rules inside its transactions; pages and the API read the same types.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::prediction::Prediction;
use super::run::RunStatus;
use super::stage::StageNumber;

/// A claim that is neither `started` nor `rejected` this long after it was made goes back to
/// `pending`: the engine that took it is taken to have died.
pub const CLAIM_TIMEOUT: Duration = Duration::minutes(10);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// A new run of the site's pipeline, as the prediction estimates it.
    Run,
    /// The same settings as a finished run.
    Rerun,
    /// The failed stage of a failed run, again.
    RetryStage,
}

impl RequestKind {
    pub const ALL: [RequestKind; 3] = [RequestKind::Run, RequestKind::Rerun, RequestKind::RetryStage];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Run => "run",
            RequestKind::Rerun => "rerun",
            RequestKind::RetryStage => "retry_stage",
        }
    }

    pub fn parse(s: &str) -> Option<RequestKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// How a page names a request of this kind.
    pub fn label(self) -> &'static str {
        match self {
            RequestKind::Run => "Run",
            RequestKind::Rerun => "Re-run",
            RequestKind::RetryStage => "Stage retry",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RequestState {
    /// Waiting for an engine (again, after a claim lapsed).
    Pending,
    /// An engine took it and has not yet answered.
    Claimed,
    /// The engine began a run for it (`run_id`).
    Started,
    /// The engine will not run it (`reason`).
    Rejected,
}

impl RequestState {
    pub const ALL: [RequestState; 4] =
        [RequestState::Pending, RequestState::Claimed, RequestState::Started, RequestState::Rejected];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestState::Pending => "pending",
            RequestState::Claimed => "claimed",
            RequestState::Started => "started",
            RequestState::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<RequestState> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Pending or claimed: the site has a run on its way, and takes no other request.
    pub fn is_open(self) -> bool {
        matches!(self, RequestState::Pending | RequestState::Claimed)
    }
}

/// What the run would cost, from the site's prediction when the request was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Estimate {
    /// Null when the site has fewer than 3 completed runs to estimate from.
    pub total_estimated_credits: Option<u64>,
    /// ceil(total × 1.2): what the balance should hold before the run starts.
    pub recommended_buffer: Option<u64>,
    pub current_balance: i64,
    /// Whether the balance covers the buffer; null without an estimate.
    pub is_sufficient: Option<bool>,
}

impl Estimate {
    pub fn of(prediction: &Prediction) -> Estimate {
        Estimate {
            total_estimated_credits: prediction.total_estimated_credits,
            recommended_buffer: prediction.recommended_buffer,
            current_balance: prediction.current_balance,
            is_sufficient: prediction.is_sufficient,
        }
    }

    /// The buffer exceeds the balance: the user must confirm before the request is made.
    pub fn is_short(&self) -> bool {
        self.is_sufficient == Some(false)
    }
}

/// A run request as the API and the pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RunRequest {
    pub id: i64,
    pub site_id: i64,
    pub kind: RequestKind,
    /// The run a re-run or retry repeats; null for `run`.
    pub source_run_id: Option<String>,
    /// The stage a retry runs again; null otherwise.
    pub stage: Option<u8>,
    pub state: RequestState,
    pub requested_at: DateTime<Utc>,
    /// The user's email, or the name of the API token that asked.
    pub requested_by: String,
    pub estimate: Estimate,
    /// The run the engine started, once `started`.
    pub run_id: Option<String>,
    /// The engine's reason, once `rejected`.
    pub reason: Option<String>,
    /// When the current claim was made, while `claimed`.
    pub claimed_at: Option<DateTime<Utc>>,
    /// When the engine answered (`started` or `rejected`).
    pub answered_at: Option<DateTime<Utc>>,
}

/// What a page shows of a site's requests: the newest ones, what a new run would cost now, and
/// why the site takes no request now, if it does not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestPanel {
    pub site_id: i64,
    /// Newest first.
    pub requests: Vec<RunRequest>,
    pub estimate: Estimate,
    /// The run of the site that has not finished (running or paused), if any.
    pub active_run_id: Option<String>,
    /// For the forms (the gate checks it on every post).
    pub csrf_token: String,
    /// Why the caller's role may not ask for runs (a viewer's); the forms are then disabled,
    /// and the server refuses them anyway.
    pub refusal: Option<String>,
}

impl RequestPanel {
    /// The request on its way (pending or claimed), if any.
    pub fn open_request(&self) -> Option<&RunRequest> {
        self.requests.first().filter(|r| r.state.is_open())
    }

    /// Why a new request would be refused now (one run at a time per site).
    pub fn busy_reason(&self) -> Option<String> {
        if let Some(r) = self.open_request() {
            return Some(format!("A {} request is {} for this site.", r.kind.label().to_lowercase(), r.state.as_str()));
        }
        self.active_run_id.as_ref().map(|id| format!("Run {id} has not finished yet: one run at a time per site."))
    }
}

/// What a request asks for, as the caller sent it (before the source run is looked up).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ask {
    pub kind: RequestKind,
    pub source_run_id: Option<String>,
    pub stage: Option<u8>,
}

/// The run a re-run or retry repeats, as far as the rules need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceRun {
    pub status: RunStatus,
    pub current_stage: StageNumber,
}

/// Why a request cannot be made. Each variant is the caller's to fix; the service maps them to
/// 400 or 409.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AskError {
    #[error("A {0} request needs source_run_id: the run it repeats.")]
    MissingSource(&'static str),
    #[error("A run request starts from the site's pending items and takes no source_run_id.")]
    UnexpectedSource,
    #[error("A retry_stage request needs stage: the failed stage to run again (1 to 7).")]
    MissingStage,
    #[error("Only a retry_stage request takes a stage.")]
    UnexpectedStage,
    #[error("Stage {0} does not exist: stages are numbered 1 to 7.")]
    NoSuchStage(u8),
    /// 409: the run has not finished.
    #[error("Run {0} is still {1}: it can be re-run once it has finished.")]
    SourceActive(String, &'static str),
    #[error("Run {0} did not fail, so it has no stage to retry.")]
    SourceDidNotFail(String),
    #[error("Stage {stage} of run {run} did not fail: only its failed stage, {failed}, can be retried.")]
    StageDidNotFail { run: String, stage: u8, failed: u8 },
}

impl AskError {
    /// A state of the run, not a mistake in the request: 409 rather than 400.
    pub fn is_conflict(&self) -> bool {
        matches!(self, AskError::SourceActive(..))
    }
}

/// Checks the shape of a request before anything is looked up.
pub fn check_shape(ask: &Ask) -> Result<(), AskError> {
    match (ask.kind, &ask.source_run_id, ask.stage) {
        (RequestKind::Run, Some(_), _) => Err(AskError::UnexpectedSource),
        (RequestKind::Rerun | RequestKind::RetryStage, None, _) => Err(AskError::MissingSource(ask.kind.as_str())),
        (RequestKind::RetryStage, Some(_), None) => Err(AskError::MissingStage),
        (RequestKind::RetryStage, Some(_), Some(stage)) if StageNumber::from_u8(stage).is_none() => {
            Err(AskError::NoSuchStage(stage))
        }
        (RequestKind::Run | RequestKind::Rerun, _, Some(_)) => Err(AskError::UnexpectedStage),
        _ => Ok(()),
    }
}

/// Checks a re-run or retry against the run it repeats (`ask` has passed [`check_shape`]).
pub fn check_source(ask: &Ask, source: SourceRun) -> Result<(), AskError> {
    let run = ask.source_run_id.clone().unwrap_or_default();
    if source.status.is_active() {
        return Err(AskError::SourceActive(run, source.status.as_str()));
    }
    if ask.kind != RequestKind::RetryStage {
        return Ok(());
    }
    if source.status != RunStatus::Failed {
        return Err(AskError::SourceDidNotFail(run));
    }
    // A failed run stopped at its current stage: that is the stage that failed.
    let failed = source.current_stage.get();
    match ask.stage {
        Some(stage) if stage == failed => Ok(()),
        Some(stage) => Err(AskError::StageDidNotFail { run, stage, failed }),
        None => Err(AskError::MissingStage),
    }
}

/// The engine's answer to a claimed request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Started { run_id: String },
    Rejected { reason: String },
}

impl Answer {
    pub fn state(&self) -> RequestState {
        match self {
            Answer::Started { .. } => RequestState::Started,
            Answer::Rejected { .. } => RequestState::Rejected,
        }
    }
}

/// What an answer does to a request in its current state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerOutcome {
    /// The request takes the answer.
    Apply,
    /// The same answer was already taken (an engine retrying after a lost response).
    AlreadyAnswered,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("Request {0} is pending: its claim lapsed or it was never claimed. Claim it first.")]
    NotClaimed(i64),
    #[error("Request {0} was already answered ({1}).")]
    AlreadyAnswered(i64, &'static str),
}

/// Whether `answer` may be given to request `id`, now `state`, with its recorded run and reason.
pub fn check_answer(
    id: i64,
    state: RequestState,
    run_id: Option<&str>,
    reason: Option<&str>,
    answer: &Answer,
) -> Result<AnswerOutcome, AnswerError> {
    match (state, answer) {
        (RequestState::Claimed, _) => Ok(AnswerOutcome::Apply),
        (RequestState::Pending, _) => Err(AnswerError::NotClaimed(id)),
        (RequestState::Started, Answer::Started { run_id: new }) if run_id == Some(new.as_str()) => {
            Ok(AnswerOutcome::AlreadyAnswered)
        }
        (RequestState::Rejected, Answer::Rejected { reason: new }) if reason == Some(new.as_str()) => {
            Ok(AnswerOutcome::AlreadyAnswered)
        }
        (RequestState::Started | RequestState::Rejected, _) => Err(AnswerError::AlreadyAnswered(id, state.as_str())),
    }
}

/// Claims made before this instant have lapsed at `now`.
pub fn claims_lapsed_before(now: DateTime<Utc>) -> DateTime<Utc> {
    now - CLAIM_TIMEOUT
}

/// The longest reason an engine may give; longer ones are cut, not refused, so that a verbose
/// engine is still heard.
pub const REASON_MAX_CHARS: usize = 500;

/// The reason as stored: trimmed and at most [`REASON_MAX_CHARS`] characters, or `None` when
/// nothing is left.
pub fn clean_reason(reason: &str) -> Option<String> {
    let trimmed = reason.trim();
    (!trimmed.is_empty()).then(|| trimmed.chars().take(REASON_MAX_CHARS).collect())
}

/// Query parameters a request form's redirect sets on the page it returns to.
pub const OUTCOME_PARAMS: [&str; 2] = ["request", "request_error"];

/// `back` with the outcome of a form in its query (`key=value`), replacing an earlier outcome
/// and dropping the fragment, so the page shows only the newest one.
pub fn outcome_path(back: &str, key: &str, value: &str) -> String {
    let back = back.split('#').next().unwrap_or(back);
    let (path, query) = back.split_once('?').unwrap_or((back, ""));
    let mut pairs: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && !OUTCOME_PARAMS.contains(&p.split('=').next().unwrap_or(p)))
        .collect();
    let outcome = format!("{key}={value}");
    pairs.push(&outcome);
    format!("{path}?{}", pairs.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ask(kind: RequestKind, source: Option<&str>, stage: Option<u8>) -> Ask {
        Ask { kind, source_run_id: source.map(str::to_string), stage }
    }

    fn source(status: RunStatus, stage: u8) -> SourceRun {
        SourceRun { status, current_stage: StageNumber::from_u8(stage).unwrap() }
    }

    #[test]
    fn each_kind_takes_its_own_fields() {
        assert_eq!(check_shape(&ask(RequestKind::Run, None, None)), Ok(()));
        assert_eq!(check_shape(&ask(RequestKind::Run, Some("r"), None)), Err(AskError::UnexpectedSource));
        assert_eq!(check_shape(&ask(RequestKind::Run, None, Some(2))), Err(AskError::UnexpectedStage));
        assert_eq!(check_shape(&ask(RequestKind::Rerun, Some("r"), None)), Ok(()));
        assert_eq!(check_shape(&ask(RequestKind::Rerun, None, None)), Err(AskError::MissingSource("rerun")));
        assert_eq!(check_shape(&ask(RequestKind::Rerun, Some("r"), Some(1))), Err(AskError::UnexpectedStage));
        assert_eq!(check_shape(&ask(RequestKind::RetryStage, Some("r"), Some(7))), Ok(()));
        assert_eq!(check_shape(&ask(RequestKind::RetryStage, Some("r"), None)), Err(AskError::MissingStage));
        assert_eq!(check_shape(&ask(RequestKind::RetryStage, Some("r"), Some(8))), Err(AskError::NoSuchStage(8)));
        assert_eq!(check_shape(&ask(RequestKind::RetryStage, Some("r"), Some(0))), Err(AskError::NoSuchStage(0)));
    }

    #[test]
    fn finished_runs_can_be_rerun_and_active_ones_conflict() {
        let rerun = ask(RequestKind::Rerun, Some("r1"), None);
        for status in [RunStatus::Completed, RunStatus::Failed, RunStatus::Cancelled] {
            assert_eq!(check_source(&rerun, source(status, 7)), Ok(()));
        }
        for status in [RunStatus::Running, RunStatus::Paused] {
            let e = check_source(&rerun, source(status, 3)).unwrap_err();
            assert!(e.is_conflict(), "{e}");
        }
    }

    #[test]
    fn only_the_failed_stage_of_a_failed_run_can_be_retried() {
        let retry = |stage| ask(RequestKind::RetryStage, Some("r1"), Some(stage));
        assert_eq!(check_source(&retry(4), source(RunStatus::Failed, 4)), Ok(()));
        let e = check_source(&retry(3), source(RunStatus::Failed, 4)).unwrap_err();
        assert_eq!(e, AskError::StageDidNotFail { run: "r1".into(), stage: 3, failed: 4 });
        assert!(!e.is_conflict());
        assert_eq!(
            check_source(&retry(7), source(RunStatus::Completed, 7)),
            Err(AskError::SourceDidNotFail("r1".into()))
        );
        assert_eq!(
            check_source(&retry(2), source(RunStatus::Cancelled, 2)),
            Err(AskError::SourceDidNotFail("r1".into()))
        );
    }

    #[test]
    fn answers_apply_to_claimed_requests_and_repeat_harmlessly() {
        let started = Answer::Started { run_id: "run_9".into() };
        let rejected = Answer::Rejected { reason: "no credits".into() };
        assert_eq!(check_answer(1, RequestState::Claimed, None, None, &started), Ok(AnswerOutcome::Apply));
        assert_eq!(check_answer(1, RequestState::Claimed, None, None, &rejected), Ok(AnswerOutcome::Apply));
        assert_eq!(check_answer(1, RequestState::Pending, None, None, &started), Err(AnswerError::NotClaimed(1)));
        assert_eq!(
            check_answer(1, RequestState::Started, Some("run_9"), None, &started),
            Ok(AnswerOutcome::AlreadyAnswered)
        );
        assert_eq!(
            check_answer(1, RequestState::Started, Some("run_8"), None, &started),
            Err(AnswerError::AlreadyAnswered(1, "started"))
        );
        assert_eq!(
            check_answer(1, RequestState::Started, Some("run_9"), None, &rejected),
            Err(AnswerError::AlreadyAnswered(1, "started"))
        );
        assert_eq!(
            check_answer(1, RequestState::Rejected, None, Some("no credits"), &rejected),
            Ok(AnswerOutcome::AlreadyAnswered)
        );
    }

    #[test]
    fn a_claim_lapses_after_ten_minutes() {
        let now = DateTime::parse_from_rfc3339("2026-12-03T12:00:00Z").unwrap().to_utc();
        assert_eq!(claims_lapsed_before(now), now - Duration::minutes(10));
    }

    #[test]
    fn kinds_and_states_read_back_from_their_names() {
        for k in RequestKind::ALL {
            assert_eq!(RequestKind::parse(k.as_str()), Some(k));
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
        for s in RequestState::ALL {
            assert_eq!(RequestState::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        assert_eq!(RequestKind::parse("retry"), None);
    }

    #[test]
    fn a_form_returns_with_only_its_own_outcome() {
        assert_eq!(outcome_path("/automation/overview", "request", "filed"), "/automation/overview?request=filed");
        assert_eq!(
            outcome_path("/automation/overview?site_id=4&request_error=conflict#x", "request", "filed"),
            "/automation/overview?site_id=4&request=filed"
        );
        assert_eq!(
            outcome_path("/automation/runs/r1?request=filed", "request_error", "conflict"),
            "/automation/runs/r1?request_error=conflict"
        );
    }

    #[test]
    fn only_a_short_balance_needs_confirmation() {
        let e = |is_sufficient| Estimate {
            total_estimated_credits: Some(100),
            recommended_buffer: Some(120),
            current_balance: 50,
            is_sufficient,
        };
        assert!(e(Some(false)).is_short());
        assert!(!e(Some(true)).is_short());
        assert!(!e(None).is_short());
    }

    proptest! {
        #[test]
        fn reasons_are_trimmed_and_bounded(reason in ".{0,800}") {
            match clean_reason(&reason) {
                None => prop_assert!(reason.trim().is_empty()),
                Some(r) => {
                    prop_assert!(r.chars().count() <= REASON_MAX_CHARS);
                    prop_assert!(reason.trim().starts_with(&r));
                    prop_assert!(!r.is_empty());
                }
            }
        }

        #[test]
        fn a_request_passes_its_shape_check_only_with_its_fields(
            kind in prop::sample::select(RequestKind::ALL.to_vec()),
            has_source: bool,
            stage in prop::option::of(0u8..10),
        ) {
            let a = ask(kind, has_source.then_some("r"), stage);
            let fits = match kind {
                RequestKind::Run => !has_source && stage.is_none(),
                RequestKind::Rerun => has_source && stage.is_none(),
                RequestKind::RetryStage => has_source && matches!(stage, Some(1..=7)),
            };
            prop_assert_eq!(check_shape(&a).is_ok(), fits);
        }
    }
}
