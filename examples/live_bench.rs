//! Load generator for the live API's speed targets (BENCHMARKS.md, section 6). It talks HTTP to
//! a running server with an `ingest` token of the site's account, like the engine does:
//!
//!   live_bench --url U --token T --site S ingest --clients 1 --requests 2000
//!   live_bench --url U --token T --site S batch --records 1000 --bodies 20
//!   live_bench --url U --token T --site S events --streams 100 --events 200
//!   live_bench --url U --token T --site S hold --streams 1000 --seconds 60
//!
//! Every mode prints one summary line. Latencies are taken from just before a request is sent,
//! so "commit to event" includes the ingest request's own time: an upper bound.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use chrono::{SecondsFormat, Utc};
use clap::{Parser, Subcommand};

#[derive(Parser)]
struct Args {
    /// The server, e.g. http://127.0.0.1:3000.
    #[arg(long)]
    url: String,
    /// An `ingest` token of the site's account.
    #[arg(long)]
    token: String,
    /// The site the runs are written to.
    #[arg(long)]
    site: i64,
    #[command(subcommand)]
    mode: Mode,
}

#[derive(Subcommand)]
enum Mode {
    /// One run record per request, as the engine reports progress: latency percentiles.
    Ingest {
        #[arg(long, default_value_t = 1)]
        clients: usize,
        #[arg(long, default_value_t = 2000)]
        requests: usize,
    },
    /// Bodies of many new run records, then the same bodies again: runs per second.
    Batch {
        #[arg(long, default_value_t = 1000)]
        records: usize,
        #[arg(long, default_value_t = 20)]
        bodies: usize,
    },
    /// Opens event streams, then writes one run record at a time: commit-to-event latency.
    Events {
        #[arg(long, default_value_t = 1)]
        streams: usize,
        #[arg(long, default_value_t = 200)]
        events: usize,
        /// Pause between writes, so that events do not queue behind each other.
        #[arg(long, default_value_t = 50)]
        interval_ms: u64,
    },
    /// Holds event streams open (for memory and API latency measured from outside).
    Hold {
        #[arg(long, default_value_t = 1000)]
        streams: usize,
        #[arg(long, default_value_t = 60)]
        seconds: u64,
    },
}

/// A run record of the import format; `progress` 1–7 is a running run's stage, 8 a completed run.
fn run_record(site: i64, run_id: &str, started_at: &str, progress: u8, credits: u64) -> String {
    let done = progress > 7;
    let stage = progress.min(7);
    let mut record = serde_json::json!({
        "kind": "run", "site_id": site, "run_id": run_id,
        "status": if done { "completed" } else { "running" },
        "trigger_type": "scheduled", "current_stage": stage,
        "started_at": started_at,
        "completed_at": if done { serde_json::Value::from(started_at) } else { serde_json::Value::Null },
        "total_credits_used": credits, "error_message": null,
        "initial_snapshot": {"stage_1_initial":150,"stage_2_initial":10,"stage_3_initial":50,
            "stage_4_initial":25,"stage_5_initial":15,"stage_6_initial":8,"stage_7_initial":5,
            "total_initial_items":263},
    });
    let results = [
        serde_json::json!({"keywords_processed":150,"clusters_created":12,"batches":3,"credits_used":45,"time_elapsed":"00:03:24"}),
        serde_json::json!({"clusters_processed":10,"ideas_created":87,"credits_used":120,"time_elapsed":"00:08:15"}),
        serde_json::json!({"ideas_processed":50,"tasks_created":50,"credits_used":0,"time_elapsed":"00:00:12"}),
        serde_json::json!({"tasks_processed":25,"content_created":25,"total_words":15450,"credits_used":310,"time_elapsed":"00:18:42"}),
        serde_json::json!({"content_processed":15,"prompts_created":45,"credits_used":22,"time_elapsed":"00:02:15"}),
        serde_json::json!({"images_processed":8,"images_generated":24,"credits_used":72,"time_elapsed":"00:05:30"}),
        serde_json::json!({"ready_for_review":5,"credits_used":0,"time_elapsed":"00:00:03"}),
    ];
    let finished = if done { 7 } else { usize::from(stage) - 1 };
    for (i, result) in results.into_iter().enumerate().take(finished) {
        record[format!("stage_{}_result", i + 1)] = result;
    }
    record.to_string()
}

fn now_rfc3339() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A prefix no earlier run of the benchmark used, so every run id is new.
fn run_prefix() -> String {
    format!("bench_{}", Utc::now().format("%Y%m%d%H%M%S%3f"))
}

struct Percentiles(Vec<Duration>);

impl std::fmt::Display for Percentiles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut v = self.0.clone();
        v.sort();
        let at = |q: f64| {
            let i = ((v.len() as f64 * q).ceil() as usize).clamp(1, v.len()) - 1;
            v[i].as_secs_f64() * 1000.0
        };
        if v.is_empty() {
            return write!(f, "no samples");
        }
        write!(
            f,
            "n {}, p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            v.len(),
            at(0.50),
            at(0.90),
            at(0.99),
            at(1.0)
        )
    }
}

#[derive(Clone)]
struct Api {
    http: reqwest::Client,
    url: String,
    token: String,
}

impl Api {
    async fn ingest(&self, body: String) -> anyhow::Result<()> {
        let response = self
            .http
            .post(format!("{}/api/v1/ingest", self.url))
            .bearer_auth(&self.token)
            .header("content-type", "application/x-ndjson")
            .body(body)
            .send()
            .await?;
        let status = response.status();
        if !status.is_success() {
            bail!("ingest answered {status}: {}", response.text().await.unwrap_or_default());
        }
        Ok(())
    }

    async fn stream(&self, site: i64) -> anyhow::Result<reqwest::Response> {
        let response = self
            .http
            .get(format!("{}/api/v1/automation/events?site_id={site}", self.url))
            .bearer_auth(&self.token)
            .send()
            .await?;
        if !response.status().is_success() {
            bail!("events answered {}", response.status());
        }
        Ok(response)
    }
}

async fn ingest(api: Api, site: i64, clients: usize, requests: usize) -> anyhow::Result<()> {
    let prefix = run_prefix();
    let next = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for client in 0..clients {
        let (api, next, prefix) = (api.clone(), next.clone(), prefix.clone());
        tasks.push(tokio::spawn(async move {
            // Each client is one engine run reporting its progress: the first record inserts
            // the run, the next ones update it (stage and credits), a new run after stage 7.
            let mut samples = Vec::new();
            let mut run = 0;
            let mut started_at = now_rfc3339();
            while next.fetch_add(1, Ordering::Relaxed) < requests as u64 {
                let step = samples.len() % 8;
                if step == 0 {
                    run += 1;
                    started_at = now_rfc3339();
                }
                let run_id = format!("{prefix}_{client}_{run}");
                let body = run_record(site, &run_id, &started_at, step as u8 + 1, 40 * step as u64);
                let t0 = Instant::now();
                api.ingest(body).await?;
                samples.push(t0.elapsed());
            }
            anyhow::Ok(samples)
        }));
    }
    let t0 = Instant::now();
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await??);
    }
    let wall = t0.elapsed().as_secs_f64();
    println!(
        "ingest: {clients} clients, one record per request: {:.0} req/s, {}",
        all.len() as f64 / wall,
        Percentiles(all)
    );
    Ok(())
}

async fn batch(api: Api, site: i64, records: usize, bodies: usize) -> anyhow::Result<()> {
    let prefix = run_prefix();
    let started_at = now_rfc3339();
    let bodies: Vec<String> = (0..bodies)
        .map(|b| {
            (0..records)
                .map(|r| run_record(site, &format!("{prefix}_{b}_{r}"), &started_at, 8, 569))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect();
    for (label, round) in [("new runs", 1), ("the same bodies again", 2)] {
        let mut samples = Vec::new();
        let t0 = Instant::now();
        for body in &bodies {
            let t = Instant::now();
            api.ingest(body.clone()).await?;
            samples.push(t.elapsed());
        }
        let wall = t0.elapsed().as_secs_f64();
        println!(
            "batch {round} ({label}): {} bodies of {records} runs: {:.0} runs/s; per body {}",
            bodies.len(),
            (bodies.len() * records) as f64 / wall,
            Percentiles(samples)
        );
    }
    Ok(())
}

/// Reads `event: run` data lines off a stream and hands each parsed data to `seen`.
async fn read_run_events(
    mut response: reqwest::Response,
    mut seen: impl FnMut(serde_json::Value),
) -> anyhow::Result<()> {
    let mut buffer = String::new();
    while let Some(chunk) = response.chunk().await? {
        buffer.push_str(std::str::from_utf8(&chunk).context("event stream is not UTF-8")?);
        while let Some(end) = buffer.find("\n\n") {
            let frame: String = buffer.drain(..end + 2).collect();
            if frame.lines().any(|l| l == "event: run" || l == "event:run") {
                for data in frame.lines().filter_map(|l| l.strip_prefix("data:")) {
                    seen(serde_json::from_str(data.trim_start())?);
                }
            }
        }
    }
    Ok(())
}

async fn events(api: Api, site: i64, streams: usize, events: usize, interval: Duration) -> anyhow::Result<()> {
    let run_id = format!("{}_events", run_prefix());
    // Plain mutexes: readers record arrivals from a synchronous callback, never across an await.
    let received = Arc::new(Mutex::new(Vec::<(usize, Instant)>::new()));
    let mut readers = Vec::new();
    for _ in 0..streams {
        let response = api.stream(site).await?;
        let (received, run_id) = (received.clone(), run_id.clone());
        readers.push(tokio::spawn(read_run_events(response, move |data| {
            if data["run_id"] == run_id.as_str() {
                if let Some(k) = data["total_credits_used"].as_u64() {
                    received.lock().expect("not poisoned").push((k as usize, Instant::now()));
                }
            }
        })));
    }
    // Give the server a moment to register every subscriber before the first write.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let started_at = now_rfc3339();
    let mut sent = vec![None; events + 1];
    for (k, slot) in sent.iter_mut().enumerate().skip(1) {
        let body = run_record(site, &run_id, &started_at, 4, k as u64);
        *slot = Some(Instant::now());
        api.ingest(body).await?;
        tokio::time::sleep(interval).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    api.ingest(run_record(site, &run_id, &started_at, 8, 569)).await?;
    for reader in &readers {
        reader.abort();
    }
    let received = received.lock().expect("not poisoned");
    let latencies: Vec<Duration> = received
        .iter()
        .filter_map(|(k, at)| sent.get(*k).copied().flatten().map(|s| at.saturating_duration_since(s)))
        .collect();
    let expected = streams * events;
    println!(
        "events: {streams} streams, {events} writes: {} of {expected} events arrived; commit to event {}",
        latencies.len(),
        Percentiles(latencies)
    );
    if received.len() < expected {
        bail!("{} events never arrived", expected - received.len());
    }
    Ok(())
}

async fn hold(api: Api, site: i64, streams: usize, seconds: u64) -> anyhow::Result<()> {
    let mut open = Vec::new();
    for _ in 0..streams {
        open.push(api.stream(site).await?);
    }
    println!("hold: {streams} streams open for {seconds} s");
    let readers: Vec<_> = open.into_iter().map(|response| tokio::spawn(read_run_events(response, |_| ()))).collect();
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    let still_open = readers.iter().filter(|r| !r.is_finished()).count();
    println!("hold: {still_open} of {streams} streams still open at the end");
    if still_open < streams {
        bail!("{} streams closed early", streams - still_open);
    }
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let api = Api {
        http: reqwest::Client::builder().pool_max_idle_per_host(usize::MAX).build()?,
        url: args.url.trim_end_matches('/').to_string(),
        token: args.token,
    };
    match args.mode {
        Mode::Ingest { clients, requests } => ingest(api, args.site, clients, requests).await,
        Mode::Batch { records, bodies } => batch(api, args.site, records, bodies).await,
        Mode::Events { streams, events: n, interval_ms } => {
            events(api, args.site, streams, n, Duration::from_millis(interval_ms)).await
        }
        Mode::Hold { streams, seconds } => hold(api, args.site, streams, seconds).await,
    }
}
