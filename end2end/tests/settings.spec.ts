// The monthly budget (issue 12), as a user meets it: set in the settings with a plain form,
// then shown on the overview with its status, a banner while the month is past or heading past
// it, and whether a run now fits.
//
// On the third server (playwright.config.ts), whose data the other specs do not read figures
// from; the hydrated project signs in as Acme, the one without JavaScript as Northwind, so the
// two never change the same account's budget at once.
import { expect, test, type Page } from "@playwright/test";
import { ACME, NORTHWIND, signIn } from "../fixtures/auth";
import { grouped } from "../fixtures/overview-page";
import { expectNoHorizontalPageScroll, expectNoSeriousA11yViolations } from "../fixtures/page-checks";
import { requestsURL, SIGNED_OUT } from "../fixtures/servers";

test.use({ baseURL: requestsURL, storageState: SIGNED_OUT });
// The tests of a project change the same account's budget, one after the other.
test.describe.configure({ mode: "serial" });

type Budget = { monthly_budget: number | null; month_to_date: number; projected_month_end: number | null; status: string };

async function budget(page: Page): Promise<Budget> {
  const response = await page.request.get("/api/v1/automation/budget");
  expect(response.ok()).toBe(true);
  return response.json();
}

async function saveBudget(page: Page, value: string) {
  await page.goto("/settings");
  const field = page.getByLabel("Credits a month (empty for no budget)");
  await field.fill(value);
  await page.getByRole("button", { name: "Save budget" }).click();
}

test("a budget set in the settings shows on the overview, with its status and banner", async ({ page, javaScriptEnabled }) => {
  await signIn(page, javaScriptEnabled ? ACME : NORTHWIND);
  const spent = (await budget(page)).month_to_date;
  expect(spent, "the demo's runs of this month used credits").toBeGreaterThan(0);

  // Below what the month already used: over.
  const low = Math.floor(spent / 2);
  await saveBudget(page, String(low));
  await expect(page).toHaveURL(/\/settings\?saved=budget$/);
  await expect(page.getByTestId("budget-form-saved")).toHaveText("Budget saved.");
  const over = await budget(page);
  expect([over.monthly_budget, over.status]).toEqual([low, "over"]);
  await expect(page.getByTestId("budget-current")).toHaveText(
    `The budget is ${grouped(low)} credits a month; runs have used ${grouped(spent)} this month.`,
  );
  await page.goto("/automation/overview");
  await expect(page.getByTestId("budget-spent")).toHaveText(`${grouped(spent)} of ${grouped(low)} cr`);
  await expect(page.getByTestId("budget-status")).toHaveText("Over budget");
  await expect(page.getByTestId("budget-banner")).toHaveText(
    `Runs have used ${grouped(spent)} credits this month, past the monthly budget of ${grouped(low)} credits.`,
  );
  await expect(page.getByTestId("budget-run-now")).toContainText("would take this month past the budget");

  // Far above the month's pace: on track, no banner, and a run now fits.
  const high = Math.max(spent, over.projected_month_end ?? 0) * 100;
  await saveBudget(page, String(high));
  await page.goto("/automation/overview");
  await expect(page.getByTestId("budget-status")).toHaveText("On track");
  await expect(page.getByTestId("budget-banner")).toHaveCount(0);
  await expect(page.getByTestId("budget-run-now")).toContainText(`fits in the ${grouped(high - spent)} credits left this month`);

  // Cleared: no budget.
  await saveBudget(page, "");
  expect((await budget(page)).status).toBe("none");
  await page.goto("/automation/overview");
  await expect(page.getByTestId("budget-none")).toContainText("No monthly budget is set");
});

test("a budget the server refuses is not saved, and the form says why", async ({ page, javaScriptEnabled }) => {
  await signIn(page, javaScriptEnabled ? ACME : NORTHWIND);
  const before = await budget(page);
  await page.goto("/settings");
  // Past the field's own limit, so the browser's check is left out to reach the server's.
  await page.locator("form.settings-form").evaluate((form) => form.setAttribute("novalidate", ""));
  await page.getByLabel("Credits a month (empty for no budget)").fill("99999999999");
  await page.getByRole("button", { name: "Save budget" }).click();
  await expect(page).toHaveURL(/\/settings\?budget_error=bad_request$/);
  await expect(page.getByTestId("budget-form-error")).toContainText("Not saved: enter a whole number of credits");
  expect(await budget(page)).toEqual(before);
});

test("the settings page is accessible in light and dark, and fits a phone", async ({ page, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, "axe-core runs as a script in the page");
  await signIn(page, ACME);
  await page.setViewportSize({ width: 375, height: 800 });
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    await page.goto("/settings");
    await expect(page.getByRole("heading", { name: "Monthly budget" })).toBeVisible();
    await expectNoSeriousA11yViolations(page);
    await expectNoHorizontalPageScroll(page);
  }
});
