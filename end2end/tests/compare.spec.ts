import { expect, test } from "@playwright/test";
import { api, techblog } from "../fixtures/api";
import { expectNoHorizontalPageScroll, expectNoSeriousA11yViolations } from "../fixtures/page-checks";

/** techblog's newest completed run and the one before it. */
async function twoRuns(request: Parameters<typeof techblog>[0]) {
  const site = await techblog(request);
  const history = await api(request, `history/?site_id=${site.id}`);
  const done = history.runs.filter((r: { status: string }) => r.status === "completed");
  return { site, newer: done[0].run_id as string, older: done[1].run_id as string };
}

test("compare is reached from the run page's previous run", async ({ page, request }) => {
  const { newer, older } = await twoRuns(request);
  await page.goto(`/automation/runs/${newer}`);
  await page.getByRole("link", { name: "Compare with the previous run" }).click();
  await expect(page).toHaveURL(new RegExp(`/automation/compare\\?a=${older}&b=${newer}$`));
  await expect(page.getByTestId("compare-summary-a")).toContainText("Run A");
  await expect(page.getByTestId("compare-stages").locator("tbody")).toHaveCount(7);
  const comparison = await api(request, `compare?a=${older}&b=${newer}`);
  const credits = comparison.stages[3].credits_diff_percent as number | null;
  if (credits !== null && credits !== 0) {
    const row = page.getByTestId("compare-stages").locator("tbody").nth(3).getByRole("row").nth(2);
    await expect(row).toContainText(`${credits > 0 ? "▲" : "▼"}`);
    await expect(row).toContainText(credits > 0 ? "worse" : "better");
  }
});

test("compare is reached from two ticked runs of the history", async ({ page, request }) => {
  const { site, newer, older } = await twoRuns(request);
  await page.goto(`/automation/overview?site_id=${site.id}`);
  await page.getByRole("checkbox", { name: /^Compare / }).first().waitFor({ state: "attached" });
  await page.locator(`input[name="run"][value="${newer}"]`).check({ force: true });
  await page.locator(`input[name="run"][value="${older}"]`).check({ force: true });
  await page.getByRole("button", { name: "Compare selected" }).click();
  await expect(page).toHaveURL(/\/automation\/compare\?run=/);
  await expect(page.getByTestId("compare-summary-a")).toBeVisible();
  await expect(page.getByTestId("compare-summary-b")).toBeVisible();
});

test("the same run twice reads as no change; a bad id is 400, an unknown one 404", async ({ page, request }) => {
  const { newer } = await twoRuns(request);
  await page.goto(`/automation/compare?a=${newer}&b=${newer}`);
  await expect(page.getByTestId("compare-stages")).toContainText("= same");
  await expect(page.getByTestId("compare-stages")).not.toContainText("worse");
  const unknown = await page.goto(`/automation/compare?a=run_20000101_000000_manual&b=${newer}`);
  expect(unknown?.status()).toBe(404);
  const bad = await page.goto(`/automation/compare?a=${encodeURIComponent("no such/id")}&b=${newer}`);
  expect(bad?.status()).toBe(400);
});

for (const colorScheme of ["light", "dark"] as const) {
  test(`compare: no serious accessibility violations in ${colorScheme} mode`, async ({ page, request }, testInfo) => {
    test.skip(testInfo.project.name === "no-js", "axe-core runs as a script in the page");
    const { newer, older } = await twoRuns(request);
    await page.emulateMedia({ colorScheme });
    await page.goto(`/automation/compare?a=${older}&b=${newer}`);
    await expect(page.getByTestId("compare-stages")).toBeVisible();
    await expectNoSeriousA11yViolations(page);
  });
}

test("compare: no horizontal page scroll at 375 px", async ({ page, request }) => {
  const { newer, older } = await twoRuns(request);
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto(`/automation/compare?a=${older}&b=${newer}`);
  await expect(page.getByTestId("compare-stages")).toBeVisible();
  await expectNoHorizontalPageScroll(page);
});
