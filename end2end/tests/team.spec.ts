// The account's team (issue 14), as its people meet it: an owner invites a member, who joins on
// the link, changes their password and asks for a run; a viewer finds runs refused; an owner
// makes an API token, sees it once and revokes it.
//
// On the fourth server (playwright.config.ts), whose users and run requests no other spec reads,
// in Northwind, whose sites have no run going, so "Run now" can be asked for: the hydrated
// project on gardenguide.io, the one without JavaScript on travelnotes.net.
import { expect, request as playwright, test, type Page } from "@playwright/test";
import { ACME, NORTHWIND, signIn, signOutButton, type Account } from "../fixtures/auth";
import { expectNoHorizontalPageScroll, expectNoSeriousA11yViolations } from "../fixtures/page-checks";
import { SIGNED_OUT, teamURL } from "../fixtures/servers";

test.use({ baseURL: teamURL, storageState: SIGNED_OUT });
// A project's tests share its account, one after the other.
test.describe.configure({ mode: "serial" });

const VIEWER: Account = { ...NORTHWIND, email: "viewer@northwind.example", password: "northwind-viewer-password" };

/** Both projects work in Northwind, whose sites have no run going, each on a site of its own. */
function accountOf(javaScriptEnabled: boolean) {
  return { owner: NORTHWIND, viewer: VIEWER, site: javaScriptEnabled ? 201 : 202, tag: javaScriptEnabled ? "js" : "nojs" };
}

/** "Run now" on the site's overview, ticking the balance confirmation when the form asks for it. */
async function runNow(page: Page, site: number) {
  await page.goto(`/automation/overview?site_id=${site}`);
  const panel = page.getByTestId("request-panel");
  const confirm = panel.getByLabel(/Request it anyway/);
  if (await confirm.count()) await confirm.check();
  await panel.getByRole("button", { name: "Run now" }).click();
}

test("an owner invites a member, who joins, changes their password and runs automation", async ({ page, browser, javaScriptEnabled }) => {
  const { owner, site, tag } = accountOf(javaScriptEnabled);
  const email = `member-${tag}@example.com`;
  await signIn(page, owner);
  await page.goto("/settings");
  await page.locator("#invite-email").fill(email);
  await page.locator("#invite-role").selectOption("member");
  await page.getByRole("button", { name: "Create invitation link" }).click();
  await expect(page).toHaveURL(/\/settings\?saved=invite$/);
  const link = (await page.getByTestId("invitation-link").textContent())!.trim();
  expect(link).toMatch(new RegExp(`^${teamURL}/join/[A-Za-z0-9_-]{43}$`));
  await page.reload();
  await expect(page.getByTestId("invitation-link"), "the link is shown once").toHaveCount(0);
  await expect(page.getByTestId("pending-invitations")).toContainText(email);

  const context = await browser.newContext({ baseURL: teamURL, javaScriptEnabled, storageState: SIGNED_OUT });
  try {
    const member = await context.newPage();
    await member.goto(link);
    await expect(member.getByTestId("invitation-whom")).toContainText(`as member`);
    await member.getByLabel(/^Password \(at least/).fill("member-password-1");
    await member.getByLabel("Password again").fill("member-password-1");
    await member.getByRole("button", { name: "Set password and join" }).click();
    await expect(member).toHaveURL(/\/sign-in\?notice=joined$/);
    await expect(member.getByRole("status").filter({ hasText: "joined the account" })).toBeVisible();
    await member.goto(link);
    await expect(member.getByTestId("invitation-state")).toContainText("already been used");

    await signIn(member, { ...owner, email, password: "member-password-1" });
    await expect(member.getByTestId("account-role")).toHaveText("Member");
    await member.goto("/settings");
    await member.getByLabel("Current password").fill("member-password-1");
    await member.getByLabel(/^New password \(at least/).fill("member-password-2");
    await member.getByLabel("New password again").fill("member-password-2");
    await member.getByRole("button", { name: "Change password" }).click();
    await expect(member.getByTestId("password-form-saved")).toContainText("Password changed");
    await signOutButton(member).click();
    await signIn(member, { ...owner, email, password: "member-password-2" });

    await runNow(member, site);
    await expect(member).toHaveURL(/request=filed$/);
    await expect(member.getByTestId("request-outcome")).toContainText("Requested");
    await expect(member.getByTestId("request-status")).toHaveAttribute("data-state", "pending");
  } finally {
    await context.close();
  }

  await page.goto("/settings");
  await expect(page.getByTestId("team-member").filter({ hasText: email })).toHaveAttribute("data-role", "member");
  const audit = page.getByTestId("audit-entry");
  await expect(audit.filter({ hasText: email }).filter({ hasText: "Requested a run" })).toHaveCount(1);
  await expect(audit.filter({ hasText: email }).filter({ hasText: "Changed their password" })).toHaveCount(1);
  await expect(audit.filter({ hasText: owner.email }).filter({ hasText: "Invited a user" }).first()).toBeVisible();
});

test("a viewer reads the overview, and the server refuses their run", async ({ page, javaScriptEnabled }) => {
  const { viewer, site } = accountOf(javaScriptEnabled);
  await signIn(page, viewer);
  await expect(page.getByTestId("account-role")).toHaveText("Viewer");
  await page.goto(`/automation/overview?site_id=${site}`);
  const panel = page.getByTestId("request-panel");
  await expect(panel).toContainText("Your role (viewer) may not start, re-run or retry runs");
  const button = panel.getByRole("button", { name: "Run now" });
  await expect(button).toBeDisabled();
  // Hiding or disabling a button is not enough: the form sent anyway is refused by the server.
  await panel.locator("form").evaluate((form) => form.querySelectorAll("[disabled]").forEach((e) => e.removeAttribute("disabled")));
  const confirm = panel.getByLabel(/Request it anyway/);
  if (await confirm.count()) await confirm.check();
  await button.click();
  await expect(page).toHaveURL(/request_error=forbidden$/);
  await expect(page.getByTestId("request-outcome")).toContainText("your role (viewer) may not start");

  await page.goto("/settings");
  await expect(page.getByTestId("budget-owners-only")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Team" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Change password" })).toBeVisible();
});

test("an owner makes an API token, sees it once, and revokes it", async ({ page, javaScriptEnabled }) => {
  const { owner, tag } = accountOf(javaScriptEnabled);
  const name = `e2e reports ${tag}`;
  await signIn(page, owner);
  await page.goto("/settings");
  await page.locator("#token-name").fill(name);
  await page.locator("#token-scope").selectOption("read");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page).toHaveURL(/\/settings\?saved=token$/);
  const secret = (await page.getByTestId("token-secret").textContent())!.trim();
  expect(secret).toMatch(/^ar_/);

  const api = await playwright.newContext({ baseURL: teamURL, storageState: SIGNED_OUT });
  try {
    const sites = () => api.get("/api/v1/automation/sites/", { headers: { Authorization: `Bearer ${secret}` } });
    expect((await sites()).status()).toBe(200);
    await page.reload();
    await expect(page.getByTestId("token-secret"), "the secret is shown once").toHaveCount(0);
    const row = page.locator(`[data-testid="api-token"][data-name="${name}"]`);
    await expect(row).not.toContainText("never");
    await row.getByRole("button", { name: `Revoke ${name}` }).click();
    await expect(page).toHaveURL(/\/settings\?saved=token-revoked$/);
    await expect(row).toHaveAttribute("data-revoked", "true");
    expect((await sites()).status()).toBe(401);
  } finally {
    await api.dispose();
  }
  await expect(page.getByTestId("audit-entry").filter({ hasText: name })).toHaveCount(2);
});

test("the team settings and the invitation page are accessible and fit a phone", async ({ page, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, "axe-core runs as a script in the page");
  await signIn(page, ACME);
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto("/settings");
  await page.locator("#invite-email").fill("a11y@example.com");
  await page.getByRole("button", { name: "Create invitation link" }).click();
  const link = (await page.getByTestId("invitation-link").textContent())!.trim();
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    await page.goto("/settings");
    await expect(page.getByRole("heading", { name: "Team" })).toBeVisible();
    await expectNoSeriousA11yViolations(page);
    await expectNoHorizontalPageScroll(page);
  }
  await signOutButton(page).click();
  await page.goto(link);
  await expect(page.getByRole("button", { name: "Set password and join" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await expectNoHorizontalPageScroll(page);
});
