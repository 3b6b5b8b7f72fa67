import { expect, test } from "@playwright/test";
import { api, sites, techblog } from "../fixtures/api";
import { grouped, OverviewPage } from "../fixtures/overview-page";
import { NORTHWIND_STATE } from "../fixtures/servers";
import {
  expectNoHorizontalPageScroll,
  expectNoSeriousA11yViolations,
  expectNothingWiderThanViewport,
  hydrated,
  openPhoneSection,
} from "../fixtures/page-checks";

test("the statistics show the API's figures", async ({ page, request }) => {
  const site = await techblog(request);
  const stats = (await api(request, `overview_stats/?site_id=${site.id}`)).run_statistics;
  const overview = new OverviewPage(page);
  await overview.goto(`?site_id=${site.id}`);
  await expect(overview.stat("total-runs")).toHaveText(grouped(stats.total_runs));
  await expect(overview.stat("success-rate")).toHaveText(`${stats.success_rate.toFixed(1)}%`);
  await expect(overview.stat("avg-credits")).toHaveText(`${grouped(Math.round(stats.avg_credits_per_run))} cr`);
  // The demo's trend windows both hold completed runs, so both trends are figures with words.
  await expect(overview.statistics).toContainText(/than last week/);
});

test("the pipeline and attention items match the plan's counts", async ({ page, request }) => {
  const site = await techblog(request);
  const overview = new OverviewPage(page);
  await overview.goto(`?site_id=${site.id}`);
  const keywords = overview.pipeline.getByRole("article", { name: "Keywords" });
  await expect(keywords).toContainText("150");
  await expect(keywords).toContainText("New120");
  await expect(overview.pipeline).toContainText("As of");
  await expect(overview.attention).toContainText("3 ideas skipped");
  await expect(overview.attention).toContainText("2 content items failed generation");
  await expect(overview.attention).toContainText("5 images failed");
});

test("the prediction shows each stage's estimate, the buffer and the balance check", async ({ page, request }) => {
  const site = await techblog(request);
  const prediction = (await api(request, `overview_stats/?site_id=${site.id}`)).predictive_analysis;
  const overview = new OverviewPage(page);
  await overview.goto(`?site_id=${site.id}`);
  for (const stage of prediction.stages) {
    const row = overview.predictionRow(stage.stage);
    await expect(row).toContainText(grouped(stage.pending_items));
    await expect(row).toContainText(`${grouped(stage.estimated_credits)} cr`);
  }
  await expect(overview.prediction.getByTestId("total-estimated")).toHaveText(`${grouped(prediction.total_estimated_credits)} cr`);
  await expect(overview.prediction.getByTestId("recommended-buffer")).toHaveText(`${grouped(prediction.recommended_buffer)} cr`);
  await expect(overview.prediction.getByTestId("current-balance")).toHaveText(`${grouped(prediction.current_balance)} credits`);
  await expect(overview.prediction.getByTestId("balance-verdict")).toContainText(prediction.is_sufficient ? "Sufficient" : "Not sufficient");
  await expect(overview.predictionRow(3)).toContainText("free");
  await expect(overview.prediction.getByRole("img", { name: "Estimated credits by stage" }).first()).toBeAttached();
});

test("the estimate shows its likely range, its backtested accuracy and the credits wasted", async ({ page, request }) => {
  const site = await techblog(request);
  const stats = await api(request, `overview_stats/?site_id=${site.id}`);
  const { likely_range: range, accuracy, total_estimated_credits: total } = stats.predictive_analysis;
  const overview = new OverviewPage(page);
  await overview.goto(`?site_id=${site.id}`);
  await expect(overview.prediction.getByTestId("likely-range")).toHaveText(
    `${grouped(total)} credits, likely ${grouped(range.low)}–${grouped(range.high)} ` +
      `(${range.runs_in_range} of the last ${range.runs} runs would fall in this range)`,
  );
  await expect(overview.prediction.getByTestId("estimate-accuracy")).toHaveText(
    `Over the last ${accuracy.runs_checked} runs, the estimate was off by ${accuracy.median_abs_error_percent.toFixed(1)}% ` +
      `(median); ${accuracy.within_range} of ${accuracy.runs_checked} landed in the likely range.`,
  );
  await expect(page.getByTestId("wasted-credits")).toHaveText(`${grouped(stats.run_statistics.wasted_credits)} cr`);
});

// gardenguide.io and travelnotes.net belong to the Northwind account.
test.describe("Northwind's sites", () => {
  test.use({ storageState: NORTHWIND_STATE });

  test("a short balance says how much is missing", async ({ page, request }) => {
    const all = await sites(request);
    const garden = all.find((s) => s.domain === "gardenguide.io")!;
    const prediction = (await api(request, `overview_stats/?site_id=${garden.id}`)).predictive_analysis;
    expect(prediction.is_sufficient).toBe(false);
    const overview = new OverviewPage(page);
    await overview.goto(`?site_id=${garden.id}`);
    await expect(overview.prediction.getByTestId("balance-verdict")).toContainText(`${grouped(prediction.shortfall)} credits short`);
  });

  test("a balance below the estimate says in which stage a run would stop, in the table and on the chart", async ({ page, request }) => {
    const all = await sites(request);
    const garden = all.find((s) => s.domain === "gardenguide.io")!;
    const prediction = (await api(request, `overview_stats/?site_id=${garden.id}`)).predictive_analysis;
    const stage = prediction.runs_out_at_stage;
    expect(stage, "the demo's gardenguide.io balance is below the estimate").toBeGreaterThanOrEqual(1);
    const overview = new OverviewPage(page);
    await overview.goto(`?site_id=${garden.id}`);
    const row = prediction.stages.find((s: { stage: number }) => s.stage === stage);
    await expect(overview.prediction.getByTestId("runs-out")).toHaveText(
      `At your balance of ${grouped(prediction.current_balance)} credits, a run now stops during stage ` +
        `${stage} (${row.name}); top up ${grouped(prediction.total_estimated_credits - prediction.current_balance)} credits to finish it.`,
    );
    await expect(overview.predictionRow(stage)).toContainText("balance runs out");
    const chart = overview.predictionChart();
    await expect(chart.locator(".runs-out-marker")).toHaveCount(1);
    const label = chart.locator("text.runs-out-label");
    await expect(label).toHaveText("Balance runs out here");
    // The mark crosses that stage's bar, and its label sits under it.
    const bar = (await chart.locator(`rect[data-stage="${stage}"]`).boundingBox())!;
    const mark = (await chart.locator(".runs-out-marker").boundingBox())!;
    expect(mark.x).toBeGreaterThanOrEqual(bar.x - 3);
    expect(mark.x).toBeLessThanOrEqual(bar.x + bar.width + 3);
    expect((await label.boundingBox())!.y).toBeGreaterThan(bar.y + bar.height);
    await expect(overview.prediction.getByRole("img", { name: `the balance runs out in stage ${stage}` }).first()).toBeAttached();
  });

  test("the runs-out mark reads in light and dark, with no serious accessibility violations", async ({ page, request }, testInfo) => {
    test.skip(testInfo.project.name === "no-js", "axe-core runs as a script in the page");
    const all = await sites(request);
    const garden = all.find((s) => s.domain === "gardenguide.io")!;
    for (const colorScheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme });
      const overview = new OverviewPage(page);
      await overview.goto(`?site_id=${garden.id}`);
      await expect(overview.predictionChart().locator("text.runs-out-label")).toBeVisible();
      await expectNoSeriousA11yViolations(page);
    }
  });

  test("a site with fewer than 3 completed runs says there is not enough history", async ({ page, request }) => {
    const all = await sites(request);
    const travel = all.find((s) => s.domain === "travelnotes.net")!;
    const overview = new OverviewPage(page);
    await overview.goto(`?site_id=${travel.id}`);
    await expect(overview.prediction.getByTestId("not-enough-history")).toContainText("Not enough history yet");
    await expect(overview.prediction.getByTestId("total-estimated")).toHaveCount(0);
  });
});

test("the prediction chart shows the total's likely range", async ({ page, request }) => {
  const site = await techblog(request);
  const prediction = (await api(request, `overview_stats/?site_id=${site.id}`)).predictive_analysis;
  const { low, high } = prediction.likely_range;
  const likely = low === high ? grouped(low) : `${grouped(low)}–${grouped(high)}`;
  const overview = new OverviewPage(page);
  await overview.goto(`?site_id=${site.id}`);
  await expect(overview.prediction.getByTestId("likely-range")).toContainText(`likely ${likely}`);
  await expect(overview.predictionChart().locator("text.likely-range")).toHaveText(
    `Total ${grouped(prediction.total_estimated_credits)} cr, likely ${likely} cr`,
  );
});

test("the accuracy chart has a point per checked run, each opening its run", async ({ page, request }) => {
  const site = await techblog(request);
  const accuracy = (await api(request, `overview_stats/?site_id=${site.id}`)).predictive_analysis.accuracy;
  expect(accuracy.runs_checked).toBeGreaterThan(0);
  const overview = new OverviewPage(page);
  await overview.goto(`?site_id=${site.id}`);
  await expect(overview.prediction.getByTestId("estimate-accuracy")).toContainText(`${accuracy.runs_checked}`);
  const chart = overview.accuracyChart();
  await expect(chart.locator(".exact-line")).toHaveCount(1);
  await expect(chart.locator("text").filter({ hasText: "Actual credits (cr)" })).toHaveCount(1);
  await expect(chart.locator("text").filter({ hasText: "Estimated credits (cr)" })).toHaveCount(1);
  const points = chart.getByRole("link");
  await expect(points).toHaveCount(accuracy.runs_checked);
  const newest = points.last();
  const name = (await newest.getAttribute("aria-label"))!;
  expect(name).toMatch(/^techblog\.com #\d+: estimated [\d,]+ cr, used [\d,]+ cr, (in|outside) the likely range$/);
  const href = (await newest.getAttribute("href"))!;
  expect(href).toMatch(/^\/automation\/runs\//);
  await newest.click();
  await expect(page).toHaveURL(href);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name.split(":")[0]);
});

test("'How it is estimated' opens to the sums, the runs used with links, and the buffer", async ({ page, request }) => {
  const site = await techblog(request);
  const prediction = (await api(request, `overview_stats/?site_id=${site.id}`)).predictive_analysis;
  const overview = new OverviewPage(page);
  await overview.goto(`?site_id=${site.id}`);
  const details = overview.prediction.getByTestId("how-estimated");
  const summary = details.getByText("How it is estimated", { exact: true });
  await expect(details.getByText(/20% buffer/)).toBeHidden();
  await summary.click();
  await expect(details).toHaveAttribute("open", "");
  await expect(details.getByText(/20% buffer/)).toBeVisible();
  await expect(details).toContainText("times what one item cost");
  await expect(details).toContainText("second lowest to the second highest");
  const runs = details.getByRole("link");
  await expect(runs).toHaveCount(prediction.runs_analyzed);
  const first = runs.first();
  const title = (await first.textContent())!;
  await first.click();
  await expect(page).toHaveURL(/\/automation\/runs\//);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
});

test("at 375 px the forecasts fit the screen", async ({ page, request, javaScriptEnabled }) => {
  const site = await techblog(request);
  await page.setViewportSize({ width: 375, height: 800 });
  const overview = new OverviewPage(page);
  await overview.goto(`?site_id=${site.id}`);
  if (javaScriptEnabled) await hydrated(page);
  await openPhoneSection(page, "If automation runs now");
  await overview.prediction.getByTestId("how-estimated").getByText("How it is estimated", { exact: true }).click();
  await expectNoHorizontalPageScroll(page);
  await expectNothingWiderThanViewport(page);
  for (const chart of [overview.predictionChart(), overview.accuracyChart()]) {
    await chart.scrollIntoViewIfNeeded();
    const box = (await chart.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(375);
  }
});

test("the attention items list the site's unusual runs, each linking its run", async ({ page, request }) => {
  const all = await sites(request);
  const recipes = all.find((s) => s.domain === "recipesdaily.com")!;
  const items = (await api(request, `overview_stats/?site_id=${recipes.id}`)).attention_items;
  // recipesdaily.com's pipeline needs no care; what is listed are its anomalies alone.
  expect(items.total_attention_needed).toBe(0);
  expect(items.anomalies.length, "the demo's recipesdaily.com has unusual runs").toBeGreaterThan(0);
  const overview = new OverviewPage(page);
  await overview.goto(`?site_id=${recipes.id}`);
  await expect(overview.attention.getByRole("heading")).toContainText(`(${items.anomalies.length})`);
  const first = items.anomalies[0];
  // A run unusual on two figures is listed twice (the live spec's runs may be).
  const link = overview.attention.getByRole("link", { name: `Run #${first.run_number}`, exact: true }).first();
  await expect(link).toHaveAttribute("href", `/automation/runs/${first.run_id}`);
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/automation/runs/${first.run_id}$`));
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`#${first.run_number}`);
});

test("the history lists runs newest first with titles, badges and duration", async ({ page, request }) => {
  const site = await techblog(request);
  const history = await api(request, `history/?site_id=${site.id}`);
  const overview = new OverviewPage(page);
  await overview.goto(`?site_id=${site.id}`);
  await expect(overview.runLinks()).toHaveCount(20);
  const newest = history.runs[0];
  await expect(overview.runLinks().first()).toHaveText(newest.run_title);
  await expect(overview.runLinks().first()).toHaveAttribute("href", `/automation/runs/${newest.run_id}`);
  const failed = history.runs.find((r: any) => r.status === "failed");
  const row = overview.historyTable.getByRole("row").filter({ hasText: failed.run_title });
  await expect(row).toContainText(`Stage ${failed.failed_stage} failed`);
  await expect(row.getByRole("listitem").nth(failed.failed_stage - 1)).toContainText(`Stage ${failed.failed_stage}`);
});

test("the site switcher changes the URL and the content", async ({ page, request }) => {
  const all = await sites(request);
  const overview = new OverviewPage(page);
  await overview.goto();
  await overview.switchSite(all[1].id);
  await expect(page).toHaveURL(new RegExp(`site_id=${all[1].id}`));
  await expect(overview.runLinks().first()).toContainText(`${all[1].domain} #`);
});

test("pagination changes the URL and the runs, and reloads to the same page", async ({ page, request }) => {
  const site = await techblog(request);
  const second = await api(request, `history/?site_id=${site.id}&page=2`);
  const overview = new OverviewPage(page);
  await overview.goto(`?site_id=${site.id}`);
  await overview.pagination.getByRole("link", { name: "Page 2", exact: true }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(overview.runLinks().first()).toHaveText(second.runs[0].run_title);
  await page.reload();
  await expect(overview.runLinks().first()).toHaveText(second.runs[0].run_title);
  await overview.pagination.getByRole("link", { name: "← Previous" }).click();
  await expect(page).not.toHaveURL(/page=/);
});

test("filters by status and trigger live in the URL", async ({ page, request }) => {
  const site = await techblog(request);
  const failed = await api(request, `history/?site_id=${site.id}&status=failed`);
  const overview = new OverviewPage(page);
  await overview.goto(`?site_id=${site.id}`);
  await page.getByRole("combobox", { name: "Status", exact: true }).selectOption("failed");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/status=failed/);
  await expect(overview.runLinks()).toHaveCount(failed.runs.length);
  await expect(overview.history.getByTestId("history-summary")).toContainText(`of ${failed.pagination.total_count}`);
});

test("a run title opens its run page", async ({ page, request }) => {
  const site = await techblog(request);
  const newest = (await api(request, `history/?site_id=${site.id}`)).runs[1];
  const overview = new OverviewPage(page);
  await overview.goto(`?site_id=${site.id}`);
  await overview.runLinks().nth(1).click();
  await expect(page).toHaveURL(`/automation/runs/${newest.run_id}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(newest.run_title);
});

test("an unknown site is a 404 page", async ({ page }) => {
  const response = await page.goto("/automation/overview?site_id=987654");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("alert")).toContainText("not found");
});

test("times are in the viewer's zone, named", async ({ browser, request, storageState }, testInfo) => {
  const site = await techblog(request);
  const context = await browser.newContext({
    timezoneId: "America/New_York",
    javaScriptEnabled: testInfo.project.name !== "no-js",
    storageState,
  });
  const page = await context.newPage();
  await new OverviewPage(page).goto(`?site_id=${site.id}`);
  const first = new OverviewPage(page).historyTable.locator("time").first();
  await expect(first).toContainText(testInfo.project.name === "no-js" ? "UTC" : /E[SD]T/);
  await context.close();
});

test("the theme toggle is remembered", async ({ page }, testInfo) => {
  test.skip(testInfo.project.name === "no-js", "the page follows the system theme without JavaScript");
  const overview = new OverviewPage(page);
  await overview.goto();
  // The label says what a press will do.
  await page.getByRole("button", { name: "Dark mode" }).click();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  await expect(page.getByRole("button", { name: "Light mode" })).toBeVisible();
  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  await page.getByRole("button", { name: "Light mode" }).click();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "light");
  await expect(page.getByRole("button", { name: "Dark mode" })).toBeVisible();
});

for (const colorScheme of ["light", "dark"] as const) {
  test(`no serious accessibility violations in ${colorScheme} mode`, async ({ page }, testInfo) => {
    test.skip(testInfo.project.name === "no-js", "axe-core runs as a script in the page");
    await page.emulateMedia({ colorScheme });
    await new OverviewPage(page).goto();
    await expectNoSeriousA11yViolations(page);
  });
}

test("no horizontal page scroll at 375 px", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await new OverviewPage(page).goto();
  await expectNoHorizontalPageScroll(page);
});

test("the page hydrates without script errors", async ({ page }, testInfo) => {
  test.skip(testInfo.project.name === "no-js", "nothing to hydrate without JavaScript");
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  const wasm = page.waitForResponse((r) => /\/pkg\/automation-runs\.[0-9a-f]{16}\.wasm$/.test(r.url()));
  await new OverviewPage(page).goto();
  expect((await wasm).status()).toBe(200);
  await page.waitForLoadState("networkidle");
  expect(errors).toEqual([]);
});

test("a link loads the next page, which hydrates its islands again", async ({ page }, testInfo) => {
  // Islands: the pages are server-rendered documents, so a link is a page load (cached script
  // and WebAssembly), and each page wires its own interactive parts.
  test.skip(testInfo.project.name === "no-js", "islands need JavaScript");
  const overview = new OverviewPage(page);
  await overview.goto();
  await hydrated(page);
  await overview.pagination.getByRole("link", { name: "Page 2", exact: true }).click();
  await expect(page).toHaveURL(/page=2/);
  await hydrated(page);
  await expect(page.getByTestId("live-indicator")).toContainText("Live");
  await page.getByRole("button", { name: "Dark mode" }).click();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
});

test("the success rate shows its week-over-week change in points", async ({ page, request }) => {
  const site = await techblog(request);
  const stats = (await api(request, `overview_stats/?site_id=${site.id}`)).run_statistics;
  const overview = new OverviewPage(page);
  await overview.goto(`?site_id=${site.id}`);
  const card = overview.statistics.getByRole("article", { name: "Success rate" });
  if (stats.success_rate_trend === null) {
    await expect(card).toContainText("No data to compare with last week");
  } else if (stats.success_rate_trend === 0) {
    await expect(card).toContainText("Same as last week");
  } else {
    const word = stats.success_rate_trend > 0 ? "higher" : "lower";
    await expect(card).toContainText(`${Math.abs(stats.success_rate_trend).toFixed(1)} points ${word} than last week`);
  }
  // The all-time total is labelled as such, not under the 30-day window.
  await expect(overview.statistics.getByRole("article", { name: "Total runs, all time" })).toBeVisible();
});

test("a failed run that finished stages reads as Partial, with the stage that failed", async ({ page, request }) => {
  const site = await techblog(request);
  const failed = await api(request, `history/?site_id=${site.id}&status=failed&page_size=100`);
  const partial = failed.runs.find((r: any) => r.stages_completed > 0);
  expect(partial, "the demo has a failed run that finished some stages").toBeTruthy();
  const overview = new OverviewPage(page);
  await overview.goto(`?site_id=${site.id}&status=failed`);
  const row = overview.historyTable.getByRole("row").filter({ hasText: partial.run_title });
  await expect(row.getByTestId("run-status")).toHaveText(`⚠ Partial (Stage ${partial.failed_stage} failed)`);
  await expect(row.getByTestId("run-summary")).toContainText(`${partial.summary.content_created} article`);
  // Every history row carries its quick summary, and the squares are explained.
  await expect(overview.history.getByTestId("stage-legend")).toContainText("Skipped");
  await expect(overview.history.getByTestId("stage-legend")).toContainText("Pending");
});

test("the prediction adds up credits only, and its chart keeps every label inside", async ({ page, request }) => {
  const site = await techblog(request);
  const overview = new OverviewPage(page);
  await overview.goto(`?site_id=${site.id}`);
  await expect(overview.prediction.locator("tfoot")).toContainText("Total estimated credits");
  const chart = overview.prediction.locator(".chart-figure svg").filter({ visible: true }).first();
  await expect(chart).toBeVisible();
  const outside = await chart.evaluate((svg) => {
    const box = svg.getBoundingClientRect();
    return Array.from(svg.querySelectorAll("text"))
      .map((t) => ({ text: t.textContent ?? "", r: t.getBoundingClientRect() }))
      .filter(({ r }) => r.width > 0 && (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5))
      .map(({ text }) => text);
  });
  expect(outside).toEqual([]);
  const labels = await chart.locator("text").allTextContents();
  expect(labels.join(" ")).toContain("Content → Image Prompts");
});

test("at 375 px nothing is wider than the screen and every history column is on its card", async ({ page, request, javaScriptEnabled }) => {
  const site = await techblog(request);
  await page.setViewportSize({ width: 375, height: 800 });
  const overview = new OverviewPage(page);
  await overview.goto(`?site_id=${site.id}`);
  // Hydration closes the sections below the first screen: open them only after it.
  if (javaScriptEnabled) await hydrated(page);
  await openPhoneSection(page, "Run history");
  await openPhoneSection(page, "If automation runs now");
  await openPhoneSection(page, "Pipeline status");
  await expectNothingWiderThanViewport(page);
  const first = overview.historyTable.locator("tbody tr").first();
  for (const label of ["Status", "Trigger", "Started", "Credits", "Stages", "Duration"]) {
    const cell = first.locator(`td[data-label="${label}"]`);
    await cell.scrollIntoViewIfNeeded();
    await expect(cell, label).toBeVisible();
    const box = (await cell.boundingBox())!;
    expect(box.x, label).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, label).toBeLessThanOrEqual(375);
  }
  await overview.siteSelect.scrollIntoViewIfNeeded();
  const select = (await overview.siteSelect.boundingBox())!;
  expect(select.x + select.width).toBeLessThanOrEqual(375);
});

test("on a phone the sections below the first screen start closed and open on request", async ({ page }, testInfo) => {
  test.skip(testInfo.project.name === "no-js", "without scripts every section shows");
  await page.setViewportSize({ width: 375, height: 800 });
  const overview = new OverviewPage(page);
  await overview.goto();
  await hydrated(page);
  await expect(overview.historyTable).toBeHidden();
  await page.getByRole("button", { name: "Show Run history" }).click();
  await expect(overview.historyTable).toBeVisible();
  await expect(page.getByRole("button", { name: "Hide Run history" })).toHaveAttribute("aria-expanded", "true");
});

test("a signed-out visitor sees no way into the app", async ({ browser }, testInfo) => {
  const context = await browser.newContext({
    javaScriptEnabled: testInfo.project.name !== "no-js",
    storageState: { cookies: [], origins: [] },
  });
  const page = await context.newPage();
  await page.goto("/sign-in");
  await expect(page.getByRole("navigation", { name: "Main" })).toHaveCount(0);
  await expect(page.locator('header a[href^="/automation"], header a[href^="/api"]')).toHaveCount(0);
  await context.close();
});
