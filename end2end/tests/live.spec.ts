// The live pages (live-api.md, "Live pages"): with the overview and a running run's page open,
// the engine reports the run through POST /api/v1/ingest, and both pages follow without a
// reload until the run completes on screen.
import { expect, test, type Page } from "@playwright/test";
import { ACME } from "../fixtures/auth";
import { acmeIngestToken, ingest, ReportedRun } from "../fixtures/ingest";
import { OverviewPage } from "../fixtures/overview-page";
import { hydrated } from "../fixtures/page-checks";
import { RunPage } from "../fixtures/run-page";

// Acme's recipesdaily.com: no other spec counts its runs or reads its newest one's figures.
const SITE = Number(Object.entries(ACME.sites).find(([, domain]) => domain === "recipesdaily.com")![0]);

test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, "only a hydrated page follows the engine");

const indicator = (page: Page) => page.getByTestId("live-indicator");

/** Marks the document, so the test can tell that it was never reloaded. */
async function markDocument(page: Page) {
  await page.evaluate(() => ((window as any).__sameDocument = true));
}
async function expectSameDocument(page: Page) {
  expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
}

test("a running run moves stage by stage on its page and the overview, then completes", async ({ page, context }) => {
  const token = acmeIngestToken();
  const run = new ReportedRun(SITE);
  await ingest(token, [run.at(2)]);

  const runPage = new RunPage(page);
  await runPage.goto(run.id);
  await hydrated(page);
  await expect(indicator(page)).toContainText("Live");
  const progress = page.getByRole("region", { name: "Run in progress" });
  const flowStage = (n: number) => runPage.flow.locator(`li[data-stage="${n}"]`);
  await expect(flowStage(2)).toHaveAttribute("aria-current", "step");
  await expect(progress.getByTestId("live-credits")).toHaveText("45 credits");
  await expect(progress.getByTestId("projected-credits")).toContainText("(projected)");
  await markDocument(page);

  const overviewTab = await context.newPage();
  const overview = new OverviewPage(overviewTab);
  await overview.goto(`?site_id=${SITE}`);
  await hydrated(overviewTab);
  await expect(indicator(overviewTab)).toContainText("Live");
  const row = overview.historyTable
    .getByRole("row")
    .filter({ has: overviewTab.locator(`a[href="/automation/runs/${run.id}"]`) });
  await expect(row.getByTestId("run-status")).toContainText("Running");
  await expect(row).toContainText("45 cr");
  const totalRuns = await overview.stat("total-runs").innerText();
  await markDocument(overviewTab);

  await test.step("the engine finishes stage 2: stage 3 is current", async () => {
    await ingest(token, [run.at(3)]);
    await expect(flowStage(3)).toHaveAttribute("aria-current", "step");
    await expect(flowStage(2)).not.toHaveAttribute("aria-current", "step");
    await expect(runPage.stages.getByTestId("stage-3-item")).toHaveAttribute("aria-current", "step");
    await expect(progress.getByTestId("live-credits")).toHaveText(`${run.creditsAfter(2)} credits`);
    await expect(progress.getByTestId("live-stage")).toContainText("Stage 3 of 7");
    await expect(row).toContainText(`${run.creditsAfter(2)} cr`);
  });

  await test.step("the engine completes the run", async () => {
    await ingest(token, [run.at(7, "completed")]);
    await expect(page.locator(".run-header .badge")).toHaveText(/Completed/);
    await expect(progress).toHaveCount(0);
    await expect(page.getByTestId("projected-credits")).toHaveCount(0);
    await expect(runPage.flow.locator('[aria-current="step"]')).toHaveCount(0);
    await expect(page.getByTestId("header-credits")).toHaveText("569 credits used");
    await expect(row.getByTestId("run-status")).toContainText("Completed");
    await expect(row).toContainText("569 cr");
    // The run was counted when it started; finishing it adds no run.
    await expect(overview.stat("total-runs")).toHaveText(totalRuns);
  });

  await expectSameDocument(page);
  await expectSameDocument(overviewTab);
});

test("a stream the server refuses is retried, and the indicator says so meanwhile", async ({ page }) => {
  let refused = 0;
  await page.route("**/api/v1/automation/events?*", (route) => {
    refused += 1;
    return route.fulfill({ status: 503, contentType: "application/json", body: '{"error":"unavailable"}' });
  });
  const overview = new OverviewPage(page);
  await overview.goto(`?site_id=${SITE}`);
  await hydrated(page);
  await expect(indicator(page)).toContainText("Reconnecting");
  await expect(page.getByRole("status").filter({ has: indicator(page) })).toBeAttached();
  expect(refused).toBeGreaterThanOrEqual(1);
  await page.unroute("**/api/v1/automation/events?*");
  // The browser gives up on a refused stream; the page tries again after 1 s, 2 s, 4 s …
  await expect(indicator(page)).toContainText("Live", { timeout: 10_000 });
});
