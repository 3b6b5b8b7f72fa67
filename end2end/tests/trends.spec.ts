import { expect, test } from "@playwright/test";
import { api, sites } from "../fixtures/api";
import { expectNoHorizontalPageScroll, expectNoSeriousA11yViolations } from "../fixtures/page-checks";

async function recipes(request: Parameters<typeof sites>[0]) {
  const site = (await sites(request)).find((s) => s.domain === "recipesdaily.com");
  if (!site) throw new Error("the demo has no recipesdaily.com");
  return site;
}

test("each range shows the API's runs and anomalies, with the CSV of the same rows", async ({ page, request }) => {
  const site = await recipes(request);
  for (const days of [30, 90, 365]) {
    const rows = (await api(request, `trends?site_id=${site.id}&days=${days}`)).runs as { anomalies: string[] }[];
    const flagged = rows.reduce((n, r) => n + r.anomalies.length, 0);
    await page.goto(`/automation/trends?site_id=${site.id}&days=${days}`);
    await expect(page.getByRole("link", { name: `${days} days` })).toHaveAttribute("aria-current", "page");
    await expect(page.getByTestId("trends-summary")).toContainText(
      `${rows.length} completed runs, ${flagged} anomal${flagged === 1 ? "y" : "ies"} flagged`,
    );
    await expect(page.getByRole("link", { name: "Download CSV" })).toHaveAttribute(
      "href",
      `/api/v1/automation/trends.csv?site_id=${site.id}&days=${days}`,
    );
  }
  const csv = await request.get(`/api/v1/automation/trends.csv?site_id=${site.id}&days=90`);
  expect(csv.ok()).toBeTruthy();
});

test("an anomaly is marked on its chart, listed in words and links its run", async ({ page, request }) => {
  const site = await recipes(request);
  const rows = (await api(request, `trends?site_id=${site.id}&days=365`)).runs as { run_id: string; anomalies: string[] }[];
  const flagged = rows.filter((r) => r.anomalies.length > 0);
  expect(flagged.length).toBeGreaterThan(0);
  const run = flagged[flagged.length - 1];
  const figure = { total_credits_used: "Credits used", duration_seconds: "Duration", credits_per_content: "Credits per content item" }[
    run.anomalies[0]
  ]!;
  await page.goto(`/automation/trends?site_id=${site.id}&days=365`);
  const section = page.getByRole("region", { name: figure, exact: true });
  // The chart's mark, in the shown theme's copy of the chart.
  const mark = section.locator(`.chart-light a.anomaly-link[href="/automation/runs/${run.run_id}"]`);
  await expect(mark).toHaveCount(1);
  await expect(mark.locator("title")).toContainText("against a median of");
  const listed = section.getByTestId("anomaly-list").locator(`a[href="/automation/runs/${run.run_id}"]`);
  await expect(listed.first().locator("xpath=..")).toContainText(`${figure}:`);
  await listed.first().click();
  await expect(page).toHaveURL(new RegExp(`/automation/runs/${run.run_id}$`));
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
});

test("a site with too few runs says so", async ({ page, request }) => {
  // travelnotes.net belongs to Northwind: the Acme user gets the 404 view rather than its data.
  const site = await recipes(request);
  await page.goto(`/automation/trends?site_id=${site.id}&days=1`);
  await expect(page.getByTestId("trends-empty")).toContainText("Too few runs");
});

for (const colorScheme of ["light", "dark"] as const) {
  test(`trends: no serious accessibility violations in ${colorScheme} mode`, async ({ page, request }, testInfo) => {
    test.skip(testInfo.project.name === "no-js", "axe-core runs as a script in the page");
    const site = await recipes(request);
    await page.emulateMedia({ colorScheme });
    await page.goto(`/automation/trends?site_id=${site.id}&days=90`);
    await expect(page.getByRole("heading", { name: "Credits used" })).toBeVisible();
    await expectNoSeriousA11yViolations(page);
  });
}

test("trends: readable charts and no horizontal page scroll at 375 px", async ({ page, request }) => {
  const site = await recipes(request);
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto(`/automation/trends?site_id=${site.id}&days=365`);
  await expect(page.getByRole("heading", { name: "Credits used" })).toBeVisible();
  await expectNoHorizontalPageScroll(page);
  // The chart keeps its labels readable and scrolls in its own box, which the keyboard reaches.
  const region = page.getByTestId("trend-total-credits-used").getByRole("region");
  await expect(region).toHaveAttribute("tabindex", "0");
  // It opens at its start, with its value axis in view; the newest runs are a scroll away.
  const { labelPx, scrolls, rightInView, leftInView } = await region.evaluate((box) => {
    const svg = [...box.querySelectorAll("svg")].find((s) => s.getBoundingClientRect().width > 0)!;
    const label = svg.querySelector("text")!;
    const boxRect = box.getBoundingClientRect();
    const svgRect = svg.getBoundingClientRect();
    return {
      labelPx: label.getBoundingClientRect().height,
      scrolls: box.scrollWidth > box.clientWidth,
      rightInView: svgRect.right <= boxRect.right + 1,
      leftInView: svgRect.left >= boxRect.left - 1,
    };
  });
  expect(labelPx).toBeGreaterThanOrEqual(11);
  expect(scrolls).toBe(true);
  expect(leftInView).toBe(true);
  expect(rightInView).toBe(false);
  await expect(page.getByText("Scroll it sideways for the newest runs.").first()).toBeVisible();
});
