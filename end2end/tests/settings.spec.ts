// The monthly budget (issue 12), as a user meets it: set in the settings with a plain form,
// then shown on the overview with its status, a banner while the month is past or heading past
// it, and whether a run now fits.
//
// On the third server (playwright.config.ts), whose data the other specs do not read figures
// from; the hydrated project signs in as Acme, the one without JavaScript as Northwind, so the
// two never change the same account's budget at once.
import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
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

/** A webhook receiver on a free port of this machine: it keeps what it is sent, answers 200. */
async function receiver() {
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      received.push({ headers: request.headers, body });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/automation`;
  return { url, received, close: () => new Promise((resolve) => server.close(resolve)) };
}

// First in the file: the month's "over" alert is raised once, by the first budget below the spend.
test("a webhook set in the settings shows its secret once, and an alert reaches it signed", async ({ page, javaScriptEnabled }) => {
  const hook = await receiver();
  try {
    await signIn(page, javaScriptEnabled ? ACME : NORTHWIND);
    await page.goto("/settings");
    await page.getByLabel("Webhook URL").fill(hook.url);
    await page.getByRole("button", { name: /^Save/ }).filter({ hasText: /webhook|secret/ }).click();
    await expect(page).toHaveURL(/\/settings\?saved=alerts$/);
    await expect(page.getByTestId("webhook-current")).toContainText(hook.url);
    const secret = (await page.getByTestId("webhook-secret").textContent())!.trim();
    expect(secret.length).toBeGreaterThanOrEqual(32);
    await page.reload();
    await expect(page.getByTestId("webhook-secret")).toHaveCount(0);

    // A budget below what the month already used: the budget is over, which alerts.
    const spent = (await budget(page)).month_to_date;
    await saveBudget(page, String(Math.floor(spent / 2)));
    // Other alerts of the account may come too (the run-request spec's engine reports runs).
    const overAlert = () => hook.received.find((r) => JSON.parse(r.body).kind === "budget_over");
    await expect.poll(() => overAlert() !== undefined, { timeout: 15_000 }).toBe(true);
    const { headers, body } = overAlert()!;
    expect(headers["x-automation-signature"]).toBe(`sha256=${createHmac("sha256", secret).update(body).digest("hex")}`);
    const alert = JSON.parse(body);
    expect(alert.kind).toBe("budget_over");

    await page.goto("/settings");
    const delivered = page.locator('.delivery-log tr[data-state="delivered"]');
    await expect(delivered.first()).toBeVisible();
    await expect(delivered.first().getByTestId("delivery-status")).toHaveText("200");
    await expect(page.getByTestId("alert-notices")).toContainText(alert.message);
    await page.goto("/automation/overview");
    await expect(page.getByTestId("alert-notices")).toContainText(alert.message);

    // Removed: no webhook, and the notices stay.
    await page.goto("/settings");
    await page.getByRole("button", { name: "Remove webhook" }).click();
    await expect(page.getByTestId("webhook-current")).toContainText("No webhook is set");
  } finally {
    await hook.close();
  }
});

test("a webhook that is not http(s) is refused, and the form says why", async ({ page, javaScriptEnabled }) => {
  await signIn(page, javaScriptEnabled ? ACME : NORTHWIND);
  await page.goto("/settings");
  await page.locator('form[action="/settings/alerts"]').first().evaluate((form) => form.setAttribute("novalidate", ""));
  await page.getByLabel("Webhook URL").fill("ftp://example.com/hook");
  await page.getByRole("button", { name: /^Save/ }).filter({ hasText: /webhook|secret/ }).click();
  await expect(page).toHaveURL(/\/settings\?alerts_error=bad_request$/);
  await expect(page.getByTestId("webhook-form-error")).toContainText("must be an http:// or https:// URL");
});

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
  await page.locator('form[action="/settings/budget"]').evaluate((form) => form.setAttribute("novalidate", ""));
  await page.getByLabel("Credits a month (empty for no budget)").fill("99999999999");
  await page.getByRole("button", { name: "Save budget" }).click();
  await expect(page).toHaveURL(/\/settings\?budget_error=bad_request$/);
  await expect(page.getByTestId("budget-form-error")).toContainText("Not saved: enter a whole number of credits");
  // The projection moves with the clock (a credit every few seconds of a busy month), so what
  // must not change is what was set and spent.
  const kept = ({ monthly_budget, month_to_date, status }: Budget) => ({ monthly_budget, month_to_date, status });
  expect(kept(await budget(page))).toEqual(kept(before));
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
