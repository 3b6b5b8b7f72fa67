//! Scale data for load tests: any number of sites and runs, one line at a time.

use chrono::{DateTime, Utc};

use super::ndjson::{account_line, pipeline_line, run_line, site_line, Pipeline};
use super::rng::{mix, Rng};
use super::runs::{gen_run, random_outcome, Profile};
use super::{HOUR, MINUTE};
use crate::domain::run::TriggerType;

/// Scale data: `sites` sites (spread over ceil(sites/10) accounts, ids from 1), `runs_per_site`
/// runs each, deterministic for `seed` and `anchor`.
///
/// Order: all accounts, then all sites, then for each site its runs in started_at order, then
/// one pipeline line per site (`as_of = anchor − 1 h`). No log lines. The iterator builds one
/// line at a time and reports its exact length through `size_hint`.
pub fn generate_lines(
    sites: u32,
    runs_per_site: u32,
    seed: u64,
    anchor: DateTime<Utc>,
) -> impl Iterator<Item = String> {
    let now = anchor.timestamp();
    let accounts = sites.div_ceil(10);
    let total = accounts as u64 + 2 * sites as u64 + sites as u64 * runs_per_site as u64;
    ScaleLines {
        sites,
        runs_per_site,
        accounts,
        seed,
        now,
        base: now.div_euclid(HOUR) * HOUR,
        phase: Phase::Accounts,
        i: 1,
        j: 0,
        rng: Rng::new(seed),
        profile: Profile::techblog(),
        remaining: total,
    }
}

fn random_pipeline(rng: &mut Rng, site_id: u32, as_of: i64) -> Pipeline {
    let mut r = |lo: i64, hi: i64| rng.range(lo, hi) as u32;
    Pipeline {
        site_id,
        as_of,
        keywords: [r(0, 300), r(0, 2000), r(0, 20)],
        clusters: [r(0, 20), r(0, 150), r(0, 3)],
        ideas: [r(0, 80), r(0, 40), r(0, 800), r(0, 8)],
        tasks: [r(0, 40), r(0, 700)],
        content: [r(0, 30), r(0, 25), r(0, 600), r(0, 4)],
        image_prompts: [r(0, 40), r(0, 1500)],
        images: [r(0, 40), r(0, 1500), r(0, 8)],
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Accounts,
    Sites,
    Runs,
    Pipelines,
    Done,
}

struct ScaleLines {
    sites: u32,
    runs_per_site: u32,
    accounts: u32,
    seed: u64,
    now: i64,
    /// `anchor` floored to the hour; the last slot starts 4 h before it.
    base: i64,
    phase: Phase,
    /// Current account or site id (1-based).
    i: u32,
    /// Next run of site `i`.
    j: u32,
    rng: Rng,
    profile: Profile,
    remaining: u64,
}

const SLOT: i64 = 4 * HOUR;

impl ScaleLines {
    #[expect(clippy::too_many_lines, reason = "one state machine over the file's sections; each arm is short")]
    fn next_line(&mut self) -> Option<String> {
        loop {
            match self.phase {
                Phase::Accounts => {
                    if self.i > self.accounts {
                        self.phase = Phase::Sites;
                        self.i = 1;
                        continue;
                    }
                    let id = self.i;
                    self.i += 1;
                    let balance = Rng::new(mix(self.seed, 0xACC0_0000 + id as u64)).range(0, 5000);
                    return Some(account_line(id, &format!("Account {id}"), balance));
                }
                Phase::Sites => {
                    if self.i > self.sites {
                        self.phase = Phase::Runs;
                        self.i = 1;
                        self.j = 0;
                        continue;
                    }
                    let id = self.i;
                    self.i += 1;
                    return Some(site_line(
                        id,
                        (id - 1) / 10 + 1,
                        &format!("Site {id}"),
                        &format!("site{id}.example.com"),
                    ));
                }
                Phase::Runs => {
                    if self.i > self.sites || self.runs_per_site == 0 {
                        self.phase = Phase::Pipelines;
                        self.i = 1;
                        continue;
                    }
                    if self.j == 0 {
                        self.rng = Rng::new(mix(self.seed, self.i as u64));
                        self.profile = Profile::scaled(&mut self.rng);
                    }
                    let slot = self.base - (self.runs_per_site - self.j) as i64 * SLOT;
                    let rng = &mut self.rng;
                    let (trigger, started) = if rng.chance(0.75) {
                        (TriggerType::Scheduled, slot)
                    } else {
                        (TriggerType::Manual, slot + rng.range(MINUTE, 2 * HOUR - 1))
                    };
                    let outcome = random_outcome(rng, 0.07, 0.03);
                    let run = gen_run(rng, self.i, &self.profile, started, trigger, outcome, None);
                    self.j += 1;
                    if self.j == self.runs_per_site {
                        self.j = 0;
                        self.i += 1;
                    }
                    return Some(run_line(&run));
                }
                Phase::Pipelines => {
                    if self.i > self.sites {
                        self.phase = Phase::Done;
                        continue;
                    }
                    let id = self.i;
                    self.i += 1;
                    let mut rng = Rng::new(mix(self.seed, 0x919E_0000_0000 + id as u64));
                    return Some(pipeline_line(&random_pipeline(&mut rng, id, self.now - HOUR)));
                }
                Phase::Done => return None,
            }
        }
    }
}

impl Iterator for ScaleLines {
    type Item = String;

    fn next(&mut self) -> Option<String> {
        let line = self.next_line();
        if line.is_some() {
            self.remaining -= 1;
        }
        line
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match usize::try_from(self.remaining) {
            Ok(n) => (n, Some(n)),
            Err(_) => (usize::MAX, None),
        }
    }
}
