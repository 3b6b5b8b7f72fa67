import { expect, test } from "@playwright/test";
import { OverviewPage } from "../fixtures/overview-page";

test("the overview lists the first site's latest demo runs, newest first", async ({ page, request }) => {
  const sites = await (await request.get("/api/v1/automation/sites/")).json();
  const first = sites.sites[0];
  const history = await (await request.get(`/api/v1/automation/history/?site_id=${first.id}`)).json();
  const newest = history.runs[0];

  const overview = new OverviewPage(page);
  await overview.goto();
  await expect(overview.runLinks().first()).toHaveText(newest.run_title);
  await expect(overview.runLinks().first()).toHaveAttribute("href", `/automation/runs/${newest.run_id}`);
  await expect(overview.runLinks()).toHaveCount(history.runs.length);
});

test("the site is chosen by ?site_id=", async ({ page, request }) => {
  const sites = (await (await request.get("/api/v1/automation/sites/")).json()).sites;
  const second = sites[1];
  const overview = new OverviewPage(page);
  await overview.goto(`?site_id=${second.id}`);
  await expect(overview.runLinks().first()).toContainText(`${second.domain} #`);
});

test("an unknown site is a 404 page", async ({ page }) => {
  const response = await page.goto("/automation/overview?site_id=987654");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("alert")).toContainText("not found");
});

test("the page hydrates without script errors", async ({ page }, testInfo) => {
  test.skip(testInfo.project.name === "no-js", "nothing to hydrate without JavaScript");
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  const wasm = page.waitForResponse((r) => r.url().endsWith("/pkg/automation-runs.wasm"));
  await new OverviewPage(page).goto();
  expect((await wasm).status()).toBe(200);
  await page.waitForLoadState("networkidle");
  expect(errors).toEqual([]);
});
