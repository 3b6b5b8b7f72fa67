// Commit to event in the browser (BENCHMARKS.md, section 6): a running run's page is open,
// hydrated and following its site's events; the script reports the run's progress through
// POST /api/v1/ingest and times, for each record, from just before the request is sent to
//   - the moment an EventSource of the page's own site stream receives the event, and
//   - the moment the page shows the new credits (a MutationObserver's timestamp).
// Records are sent 0.5 s apart, as an engine's are at the least: the pages refetch at most once
// per 300 ms (src/ui/live/coalesce.rs), and closer records would time that wait instead. Both
// clocks are this machine's (performance.timeOrigin + now() on each side).
//   node scripts/bench-browser-events.mjs BASE_URL INGEST_TOKEN SITE_ID [COUNT]
// Signs in as the Acme demo user: the server must hold the demo data (serve --demo, with
// AUTOMATION_RUNS_NO_SIMULATOR=1 so nothing else writes).
import { chromium } from "@playwright/test";
import { performance } from "node:perf_hooks";

const [base, token, siteArg, countArg] = process.argv.slice(2);
if (!base || !token || !siteArg) {
  console.error("usage: node scripts/bench-browser-events.mjs BASE_URL INGEST_TOKEN SITE_ID [COUNT]");
  process.exit(2);
}
const site = Number(siteArg);
const count = Number(countArg ?? 200);
const now = () => performance.timeOrigin + performance.now();

const runId = `bench_browser_${Date.now()}`;
const startedAt = new Date().toISOString().replace(/\.\d+Z$/, "Z");
const record = (credits, status = "running") =>
  JSON.stringify({
    kind: "run", site_id: site, run_id: runId, status, trigger_type: "manual", current_stage: 4,
    started_at: startedAt, completed_at: status === "completed" ? startedAt : null,
    total_credits_used: credits, error_message: null,
    initial_snapshot: { stage_1_initial: 150, stage_2_initial: 10, stage_3_initial: 50, stage_4_initial: 25,
      stage_5_initial: 15, stage_6_initial: 8, stage_7_initial: 5, total_initial_items: 263 },
  });
async function ingest(body) {
  const response = await fetch(`${base}/api/v1/ingest`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/x-ndjson" },
    body,
  });
  if (!response.ok) throw new Error(`ingest: ${response.status} ${await response.text()}`);
}

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const context = await browser.newContext();
const page = await context.newPage();
await page.goto(`${base}/sign-in`);
await page.getByLabel("Email").fill("owner@acme-media.example");
await page.getByLabel("Password").fill("acme-demo-password");
await Promise.all([page.waitForURL((url) => url.pathname !== "/sign-in"), page.getByRole("button", { name: "Sign in" }).click()]);

await ingest(record(1));
await page.goto(`${base}/automation/runs/${runId}`);
await page.locator(".theme-toggle").waitFor({ timeout: 30_000 });
await page.getByTestId("live-indicator").filter({ hasText: "Live" }).waitFor();
await page.evaluate(([site, runId]) => {
  window.__events = {};
  const source = new EventSource(`/api/v1/automation/events?site_id=${site}`);
  source.addEventListener("run", (e) => {
    const data = JSON.parse(e.data);
    if (data.run_id === runId && !(data.total_credits_used in window.__events)) {
      window.__events[data.total_credits_used] = performance.timeOrigin + performance.now();
    }
  });
  window.__seen = {};
  const look = () => {
    const text = document.querySelector('[data-testid="live-credits"]')?.textContent ?? "";
    const credits = Number.parseInt(text.replace(/[^0-9]/g, ""), 10);
    if (Number.isFinite(credits) && !(credits in window.__seen)) {
      window.__seen[credits] = performance.timeOrigin + performance.now();
    }
  };
  new MutationObserver(look).observe(document.body, { subtree: true, childList: true, characterData: true });
}, [site, runId]);
await new Promise((resolve) => setTimeout(resolve, 1000));

const toEvent = [];
const toScreen = [];
for (let k = 2; k <= count + 1; k++) {
  const sent = now();
  await ingest(record(k));
  await page.waitForFunction((k) => k in window.__seen && k in window.__events, k, { polling: 10, timeout: 10_000 });
  const [event, seen] = await page.evaluate((k) => [window.__events[k], window.__seen[k]], k);
  toEvent.push(event - sent);
  toScreen.push(seen - sent);
  await new Promise((resolve) => setTimeout(resolve, 500));
}
await ingest(record(count + 2, "completed"));
await browser.close();

const summary = (latencies) => {
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length, Math.max(1, Math.ceil(latencies.length * q))) - 1].toFixed(1);
  return `p50 ${at(0.5)} ms, p90 ${at(0.9)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`;
};
console.log(`browser: ${count} records; ingest sent to the event in the page: ${summary(toEvent)}`);
console.log(`browser: ${count} records; ingest sent to the credits on screen: ${summary(toScreen)}`);
