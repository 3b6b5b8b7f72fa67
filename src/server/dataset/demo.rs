//! The demo (the module doc of `dataset` lists what it holds): its accounts, sites, users, runs,
//! pipelines and logs.

use chrono::{DateTime, Utc};

use super::logs::{example_logs, run_logs};
use super::ndjson::{
    account_line, log_line, pipeline_line, run_id, run_line, site_line, Outcome, Pipeline, Run, StageResult,
};
use super::rng::Rng;
use super::runs::{gen_run, random_outcome, Profile};
use super::{DAY, HOUR, MINUTE};
use crate::domain::run::TriggerType;

/// An owner, a member and a viewer per demo account, with published passwords, so each role
/// can be tried: `serve --demo` creates them and the sign-in page lists them, in demo mode only.
pub fn demo_users() -> Vec<crate::server::auth::DemoUser> {
    use crate::domain::team::Role;
    use crate::server::auth::DemoUser;
    let user =
        |account_id, account_name, email, password, role| DemoUser { account_id, account_name, email, password, role };
    vec![
        user(1, "Acme Media", "owner@acme-media.example", "acme-demo-password", Role::Owner),
        user(1, "Acme Media", "member@acme-media.example", "acme-member-password", Role::Member),
        user(1, "Acme Media", "viewer@acme-media.example", "acme-viewer-password", Role::Viewer),
        user(2, "Northwind Publishing", "owner@northwind.example", "northwind-demo-password", Role::Owner),
        user(2, "Northwind Publishing", "member@northwind.example", "northwind-member-password", Role::Member),
        user(2, "Northwind Publishing", "viewer@northwind.example", "northwind-viewer-password", Role::Viewer),
    ]
}

/// The demo: 2 accounts, 4 sites, six months of runs ending at `anchor` (see the module doc).
pub fn demo_lines(anchor: DateTime<Utc>) -> Vec<String> {
    let now = anchor.timestamp();
    let day0 = now.div_euclid(DAY) * DAY;
    let mut lines = Vec::with_capacity(1_000);

    for (id, name, balance) in DEMO_ACCOUNTS {
        lines.push(account_line(id, name, balance));
    }
    for (id, account, name, domain) in DEMO_SITES {
        lines.push(site_line(id, account, name, domain));
    }

    let techblog = techblog_runs(now, day0);
    let example_id = demo_example_run_id(anchor);
    let (example, others): (Vec<&Run>, Vec<&Run>) = techblog.iter().partition(|r| r.run_id == example_id);
    for run in others.iter().chain(example.iter()) {
        lines.push(run_line(run));
    }
    for run in recipes_runs(day0).iter().chain(&garden_runs(day0)).chain(&travel_runs(day0)) {
        lines.push(run_line(run));
    }

    for p in demo_pipelines(now - HOUR) {
        lines.push(pipeline_line(&p));
    }

    let mut rng = Rng::new(0x106_5EED);
    for run in techblog.iter().filter(|r| r.started >= day0 - 13 * DAY) {
        let logs = if run.run_id == example_id { example_logs(run) } else { run_logs(&mut rng, run, now) };
        for l in &logs {
            lines.push(log_line(&run.run_id, l));
        }
    }
    lines
}

/// The run id of the plan's example run in [`demo_lines`]: techblog.com, manual, started two
/// days before `anchor`'s date at 14:05:23 UTC, e.g. `run_20260117_140523_manual`.
pub fn demo_example_run_id(anchor: DateTime<Utc>) -> String {
    let day0 = anchor.timestamp().div_euclid(DAY) * DAY;
    run_id(123, day0 - 2 * DAY + example_start_offset(), TriggerType::Manual)
}

pub(super) const DEMO_ACCOUNTS: [(u32, &str, i64); 2] = [(1, "Acme Media", 1250), (2, "Northwind Publishing", 180)];

pub(super) const DEMO_SITES: [(u32, u32, &str, &str); 4] = [
    (123, 1, "TechBlog", "techblog.com"),
    (124, 1, "Recipes Daily", "recipesdaily.com"),
    (201, 2, "GardenGuide", "gardenguide.io"),
    (202, 2, "TravelNotes", "travelnotes.net"),
];

pub(super) fn example_start_offset() -> i64 {
    14 * HOUR + 5 * MINUTE + 23
}

/// A run planned before its figures are drawn.
pub(super) struct Plan {
    started: i64,
    trigger: TriggerType,
    outcome: Outcome,
    snapshot: Option<[u32; 7]>,
}

/// `count` distinct days in `lo..=hi` (not in `except`), each with a daytime start, as plans.
pub(super) fn manual_plans(
    rng: &mut Rng,
    day0: i64,
    count: usize,
    lo: i64,
    hi: i64,
    except: &[i64],
) -> Vec<(i64, i64)> {
    let mut days: Vec<i64> = Vec::with_capacity(count);
    while days.len() < count {
        let k = rng.range(lo, hi);
        if !days.contains(&k) && !except.contains(&k) {
            days.push(k);
        }
    }
    days.sort_unstable();
    days.into_iter()
        .map(|k| {
            let at = rng.range(8, 19) * HOUR + rng.range(0, 59) * MINUTE + rng.range(0, 59);
            (k, day0 - k * DAY + at)
        })
        .collect()
}

/// Draws figures for the plans in started_at order.
pub(super) fn realize(rng: &mut Rng, site_id: u32, p: &Profile, mut plans: Vec<Plan>) -> Vec<Run> {
    plans.sort_by_key(|pl| pl.started);
    plans.into_iter().map(|pl| gen_run(rng, site_id, p, pl.started, pl.trigger, pl.outcome, pl.snapshot)).collect()
}

pub(super) fn techblog_runs(now: i64, day0: i64) -> Vec<Run> {
    let mut rng = Rng::new(123);
    let p = Profile::techblog();
    let mut plans = Vec::with_capacity(200);
    for k in 1..=182 {
        let outcome = if k <= 14 { Outcome::Completed } else { random_outcome(&mut rng, 0.05, 0.03) };
        plans.push(Plan {
            started: day0 - k * DAY + 2 * HOUR,
            trigger: TriggerType::Scheduled,
            outcome,
            snapshot: None,
        });
    }
    for (k, started) in manual_plans(&mut rng, day0, 14, 5, 182, &[9]) {
        let outcome = if k <= 14 { Outcome::Completed } else { random_outcome(&mut rng, 0.05, 0.03) };
        plans.push(Plan { started, trigger: TriggerType::Manual, outcome, snapshot: None });
    }
    plans.push(Plan {
        started: day0 - 4 * DAY + 10 * HOUR + 30 * MINUTE,
        trigger: TriggerType::Manual,
        outcome: Outcome::Failed(5),
        snapshot: None,
    });
    plans.push(Plan {
        started: day0 - 9 * DAY + 11 * HOUR + 47 * MINUTE + 5,
        trigger: TriggerType::Manual,
        outcome: Outcome::Cancelled(4),
        snapshot: None,
    });
    // Small enough that stages 1-3 finish well within its 20 minutes.
    plans.push(Plan {
        started: now - 20 * MINUTE,
        trigger: TriggerType::Manual,
        outcome: Outcome::Running(4),
        snapshot: Some([120, 8, 40, 24, 12, 6, 4]),
    });
    let mut runs = realize(&mut rng, 123, &p, plans);
    let example = example_run(day0 - 2 * DAY + example_start_offset());
    let at = runs.partition_point(|r| r.started < example.started);
    runs.insert(at, example);
    runs
}

/// The plan's example run, figure for figure.
pub(super) fn example_run(started: i64) -> Run {
    let r =
        |input, output, extra, credits, secs| Some(StageResult { input, output, extra, model: None, credits, secs });
    Run {
        site_id: 123,
        run_id: run_id(123, started, TriggerType::Manual),
        outcome: Outcome::Completed,
        trigger: TriggerType::Manual,
        started,
        completed: Some(started + 2301),
        paused: None,
        cancelled: None,
        error: None,
        snapshot: [150, 10, 50, 25, 15, 8, 5],
        results: [
            r(150, 12, 3, 45, 204),
            r(10, 87, 0, 120, 495),
            r(50, 50, 0, 0, 12),
            r(25, 25, 15450, 310, 1122),
            r(15, 45, 0, 22, 135),
            r(8, 24, 0, 72, 330),
            r(5, 5, 0, 0, 3),
        ],
        omit_missing: false,
    }
}

pub(super) fn recipes_runs(day0: i64) -> Vec<Run> {
    let mut rng = Rng::new(124);
    let p = Profile::recipes();
    let mut plans = Vec::with_capacity(130);
    for k in 1..=120 {
        let outcome = if k <= 7 { Outcome::Completed } else { random_outcome(&mut rng, 0.04, 0.02) };
        plans.push(Plan {
            started: day0 - k * DAY + 2 * HOUR,
            trigger: TriggerType::Scheduled,
            outcome,
            snapshot: None,
        });
    }
    for (k, started) in manual_plans(&mut rng, day0, 9, 4, 120, &[]) {
        let outcome = if k <= 7 { Outcome::Completed } else { random_outcome(&mut rng, 0.04, 0.02) };
        plans.push(Plan { started, trigger: TriggerType::Manual, outcome, snapshot: None });
    }
    plans.push(Plan {
        started: day0 - 2 * DAY + 17 * HOUR + 42 * MINUTE + 10,
        trigger: TriggerType::Manual,
        outcome: Outcome::Paused(4),
        snapshot: None,
    });
    realize(&mut rng, 124, &p, plans)
}

pub(super) fn garden_runs(day0: i64) -> Vec<Run> {
    let mut rng = Rng::new(201);
    let p = Profile::garden();
    let mut plans = Vec::with_capacity(100);
    for k in (2..=182).step_by(2) {
        let outcome = if k <= 14 { Outcome::Completed } else { random_outcome(&mut rng, 0.07, 0.03) };
        plans.push(Plan {
            started: day0 - k * DAY + 2 * HOUR,
            trigger: TriggerType::Scheduled,
            outcome,
            snapshot: None,
        });
    }
    for (k, started) in manual_plans(&mut rng, day0, 9, 3, 182, &[]) {
        let outcome = if k <= 14 { Outcome::Completed } else { random_outcome(&mut rng, 0.07, 0.03) };
        plans.push(Plan { started, trigger: TriggerType::Manual, outcome, snapshot: None });
    }
    realize(&mut rng, 201, &p, plans)
}

pub(super) fn travel_runs(day0: i64) -> Vec<Run> {
    let mut rng = Rng::new(202);
    let p = Profile::garden();
    let at = |k: i64, h: i64, m: i64, s: i64| day0 - k * DAY + h * HOUR + m * MINUTE + s;
    let plan = |started, trigger, outcome| Plan { started, trigger, outcome, snapshot: None };
    let plans = vec![
        plan(at(18, 2, 0, 0), TriggerType::Scheduled, Outcome::Failed(1)),
        plan(at(15, 9, 12, 44), TriggerType::Manual, Outcome::Completed),
        plan(at(11, 2, 0, 0), TriggerType::Scheduled, Outcome::Cancelled(2)),
        plan(at(6, 2, 0, 0), TriggerType::Scheduled, Outcome::Failed(4)),
        plan(at(3, 16, 20, 9), TriggerType::Manual, Outcome::Completed),
    ];
    realize(&mut rng, 202, &p, plans)
}

#[rustfmt::skip]
pub(super) fn demo_pipelines(as_of: i64) -> [Pipeline; 4] {
    [
        Pipeline {
            site_id: 123,
            as_of,
            keywords: [120, 30, 0],
            clusters: [8, 15, 0],
            ideas: [32, 20, 35, 3],
            tasks: [20, 22],
            content: [15, 12, 15, 2],
            image_prompts: [24, 132],
            images: [24, 132, 5],
        },
        Pipeline {
            site_id: 124,
            as_of,
            keywords: [64, 212, 0],
            clusters: [5, 31, 0],
            ideas: [18, 11, 96, 0],
            tasks: [12, 84],
            content: [9, 6, 78, 0],
            image_prompts: [10, 240],
            images: [10, 236, 0],
        },
        Pipeline {
            site_id: 201,
            as_of,
            keywords: [240, 410, 12],
            clusters: [14, 38, 1],
            ideas: [45, 18, 160, 6],
            tasks: [22, 140],
            content: [12, 9, 118, 3],
            image_prompts: [20, 300],
            images: [20, 290, 4],
        },
        Pipeline {
            site_id: 202,
            as_of,
            keywords: [85, 40, 4],
            clusters: [6, 3, 0],
            ideas: [22, 5, 12, 1],
            tasks: [7, 9],
            content: [4, 3, 6, 1],
            image_prompts: [6, 18],
            images: [6, 16, 2],
        },
    ]
}
