import { expect, test } from "@playwright/test";
import { api, techblog } from "../fixtures/api";
import { expectNoHorizontalPageScroll, expectNoSeriousA11yViolations, hydrated } from "../fixtures/page-checks";
import { RunPage } from "../fixtures/run-page";

/** The demo's copy of the plan's example run (569 credits), found through the API. */
async function planRun(request: any) {
  const site = await techblog(request);
  const history = await api(request, `history/?site_id=${site.id}`);
  const run = history.runs.find((r: any) => /_140523_manual$/.test(r.run_id));
  if (!run) throw new Error("the demo's example run is not on the first page");
  return { site, run, detail: await api(request, `run_detail/?run_id=${run.run_id}`) };
}

test("the header and summary show the run's figures", async ({ page, request }) => {
  const { run, detail } = await planRun(request);
  const runPage = new RunPage(page);
  await runPage.goto(run.run_id);
  await expect(runPage.heading).toHaveText(run.run_title);
  await expect(page).toHaveTitle(run.run_title);
  await expect(page.getByText(run.run_id, { exact: true })).toBeVisible();
  await expect(page.getByTestId("header-credits")).toHaveText("569 credits used");
  await expect(runPage.summary.getByTestId("summary-duration")).toHaveText("38m 21s");
  // Every figure carries its unit.
  await expect(runPage.summary.getByRole("article", { name: "Credits" })).toContainText(/569\s*credits/);
  await expect(runPage.summary.getByTestId("queue-flow")).toContainText("processed: 263 items");
  await expect(runPage.summary.getByTestId("summary-stages")).toHaveText("7 of 7 stages completed");
  await expect(runPage.summary.getByTestId("queue-flow")).toContainText("263 items");
  await expect(runPage.summary.getByTestId("queue-flow")).toContainText("created: 243");
  await expect(runPage.summary.getByTestId("queue-flow")).toContainText("100.0% of the queue processed");
  expect(detail.metrics.items_created).toBe(243);
});

test("the back link returns to the overview page that lists the run", async ({ page, request }) => {
  const { site, run } = await planRun(request);
  const runPage = new RunPage(page);
  await runPage.goto(run.run_id);
  await page.getByRole("link", { name: "Back to the overview" }).click();
  await expect(page).toHaveURL(new RegExp(`/automation/overview\\?site_id=${site.id}$`));
  await expect(page.getByRole("link", { name: run.run_title, exact: true })).toBeVisible();
});

test("the pipeline flow shows each stage's input, output, credits and time", async ({ page, request }) => {
  const { run } = await planRun(request);
  const runPage = new RunPage(page);
  await runPage.goto(run.run_id);
  const stage4 = runPage.flow.getByRole("listitem").filter({ hasText: "Stage 4" });
  await expect(stage4).toContainText("25 tasks");
  await expect(stage4).toContainText("25 articles");
  await expect(stage4).toContainText("310 cr · 18m 42s");
});

test("the credits breakdown lists the shares, largest first, with the free stages grouped", async ({ page, request }) => {
  const { run } = await planRun(request);
  const runPage = new RunPage(page);
  await runPage.goto(run.run_id);
  await expect(runPage.credits.getByRole("img", { name: /569 credits/ })).toBeVisible();
  const rows = runPage.credits.getByRole("table").getByRole("row");
  const shares = await rows.allInnerTexts();
  const body = shares.slice(1).map((r) => r.replace(/\s+/g, " ").trim());
  expect(body).toEqual([
    "Stage 4: Content Generation 54.5% 310 cr",
    "Stage 2: Idea Generation 21.1% 120 cr",
    "Stage 6: Image Generation 12.7% 72 cr",
    "Stage 1: Clustering 7.9% 45 cr",
    "Stage 5: Image Prompts 3.9% 22 cr",
    "Free: Stage 3, Stage 7 0.0% 0 cr",
  ]);
});

test("the timeline shows the stage offsets", async ({ page, request }) => {
  const { run } = await planRun(request);
  const runPage = new RunPage(page);
  await runPage.goto(run.run_id);
  const offsets = await runPage.timeline.getByTestId("timeline-offset").allInnerTexts();
  for (const expected of ["+3m 24s", "+11m 39s", "+11m 51s", "+30m 33s", "+32m 48s", "+38m 21s"]) {
    expect(offsets).toContain(expected);
  }
});

test("the insights name the most expensive stage and its share", async ({ page, request }) => {
  const { run } = await planRun(request);
  const runPage = new RunPage(page);
  await runPage.goto(run.run_id);
  await expect(runPage.insights).toContainText("Stage 4 (Tasks → Content) used the most credits: 310 of the run's 569 credits (54.5%).");
});

test("the accordion opens the most expensive stage and works by keyboard", async ({ page, request }, testInfo) => {
  const { run } = await planRun(request);
  const runPage = new RunPage(page);
  await runPage.goto(run.run_id);
  await expect(runPage.stageButton(4)).toHaveAttribute("aria-expanded", "true");
  await expect(runPage.stagePanel(4)).toContainText("Total words");
  await expect(runPage.stagePanel(4)).toContainText("15,450");
  // Efficiency in the stage's own terms, never a bare ratio.
  await expect(runPage.stagePanel(4)).toContainText("1 article per task");
  await expect(runPage.stagePanel(4)).toContainText("12.40 credits per article");
  await expect(runPage.stagePanel(4)).not.toContainText("Output per input");
  if (testInfo.project.name === "no-js") {
    // Without scripts every panel shows, so nothing is out of reach.
    await expect(runPage.stagePanel(1)).toBeVisible();
    return;
  }
  await expect(runPage.stagePanel(1)).toBeHidden();
  await hydrated(page);
  await runPage.stageButton(1).focus();
  await page.keyboard.press("Enter");
  await expect(runPage.stageButton(1)).toHaveAttribute("aria-expanded", "true");
  await expect(runPage.stagePanel(1)).toContainText("Batches");
  await expect(runPage.stagePanel(1)).toContainText("12.5 keywords per cluster");
  await expect(runPage.stagePanel(1)).toContainText("0.30 credits per keyword");
  await page.keyboard.press("Space");
  await expect(runPage.stagePanel(1)).toBeHidden();
});

test("log filters and search narrow the lines", async ({ page, request }) => {
  const { run } = await planRun(request);
  const runPage = new RunPage(page);
  await runPage.goto(run.run_id);
  const all = await runPage.logRows().count();
  expect(all).toBeGreaterThan(5);
  await page.getByRole("combobox", { name: "Level" }).selectOption("warn");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/log_level=warn/);
  await expect(runPage.logRows().first()).toContainText("warn");
  const warnings = await runPage.logRows().count();
  expect(warnings).toBeLessThan(all);
  await page.getByRole("searchbox", { name: "Search" }).fill("timeout");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(runPage.logs.getByTestId("log-count")).toHaveText("1 matching lines");
  await expect(runPage.logRows()).toHaveCount(1);
  await expect(runPage.logRows().first()).toContainText("Task 17: model timeout");
});

test("the CSV and JSON exports hold the run's figures", async ({ request }) => {
  const { run } = await planRun(request);
  const csv = await request.get(`/api/v1/automation/runs/${run.run_id}/report.csv`);
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-disposition"]).toMatch(/attachment; filename="techblog\.com-\d+-report\.csv"/);
  expect(csv.headers()["cache-control"]).toContain("max-age");
  const lines = (await csv.text()).trim().split("\r\n");
  expect(lines).toHaveLength(8);
  expect(lines[4]).toContain(",4,Tasks → Content,completed,25,25,310,54.5,1122,");
  const json = await request.get(`/api/v1/automation/runs/${run.run_id}/report.json`);
  expect(json.headers()["content-disposition"]).toMatch(/report\.json"/);
  const detail = await json.json();
  expect(detail.metrics.stage_credits_total).toBe(569);
  expect(detail.metrics.credit_shares.map((s: any) => s.share_percent)).toEqual([7.9, 21.1, 0, 54.5, 3.9, 12.7, 0]);
});

test("an unknown run id is a 404 page", async ({ page }) => {
  const response = await page.goto("/automation/runs/run_does_not_exist");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Run not found");
});

test("a failed run shows its error prominently", async ({ page, request }) => {
  const site = await techblog(request);
  const failed = await api(request, `history/?site_id=${site.id}&status=failed`);
  const runPage = new RunPage(page);
  await runPage.goto(failed.runs[0].run_id);
  const detail = await api(request, `run_detail/?run_id=${failed.runs[0].run_id}`);
  await expect(page.getByRole("alert")).toContainText(detail.run.error_message);
});

for (const colorScheme of ["light", "dark"] as const) {
  test(`no serious accessibility violations in ${colorScheme} mode`, async ({ page, request }, testInfo) => {
    test.skip(testInfo.project.name === "no-js", "axe-core runs as a script in the page");
    const { run } = await planRun(request);
    await page.emulateMedia({ colorScheme });
    await new RunPage(page).goto(run.run_id);
    await expectNoSeriousA11yViolations(page);
  });
}

test("no horizontal page scroll at 375 px", async ({ page, request }) => {
  const { run } = await planRun(request);
  await page.setViewportSize({ width: 375, height: 800 });
  await new RunPage(page).goto(run.run_id);
  await expectNoHorizontalPageScroll(page);
});
