import { expect, test } from "@playwright/test";
import { expectNoHorizontalPageScroll, expectNoSeriousA11yViolations } from "../fixtures/page-checks";

test("the header's API link opens a readable reference of every endpoint", async ({ page, request }) => {
  await page.goto("/automation/overview");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API" }).click();
  await expect(page).toHaveURL(/\/api$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("API reference");
  const document = await (await request.get("/api/v1/openapi.json")).json();
  for (const path of Object.keys(document.paths)) {
    await expect(page.getByText(path, { exact: true }).first(), path).toBeAttached();
  }
  // The stage result's own fields are documented, and the raw document stays linked.
  await expect(page.locator("body")).toContainText("keywords_processed");
  await expect(page.getByRole("link", { name: "The OpenAPI document (JSON)" })).toHaveAttribute("href", "/api/v1/openapi.json");
});

for (const colorScheme of ["light", "dark"] as const) {
  test(`the API reference has no serious accessibility violations in ${colorScheme} mode`, async ({ page }, testInfo) => {
    test.skip(testInfo.project.name === "no-js", "axe-core runs as a script in the page");
    await page.emulateMedia({ colorScheme });
    await page.goto("/api");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("API reference");
    await expectNoSeriousA11yViolations(page);
  });
}

test("the API reference reads at 375 px without sideways page scroll", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto("/api");
  await expectNoHorizontalPageScroll(page);
});
