// Session expiry and the sign-in rate limit, on the second ("strict") server whose sessions idle
// out after a few seconds (playwright.config.ts), so that neither disturbs the other specs.
//
// These tests measure idle time and count failures on a server they share, so they run one
// after another, in one project: a sign-in by a test running alongside would change what the
// others see (the server tidies idle sessions away when anyone signs in), and the per-email
// lock lasts 15 minutes. The redirects are the server's, the same with and without JavaScript.
// All tests share the client address 127.0.0.1, which the server locks after 20 failed
// sign-ins in 15 minutes: this file stays far below that (5 failures in all).
import { expect, test, type Page } from "@playwright/test";
import { ACME, MESSAGES, NORTHWIND, signedOutContext, SignInPage } from "../fixtures/auth";
import { OverviewPage } from "../fixtures/overview-page";
import { SIGNED_OUT, strictIdleSeconds, strictURL } from "../fixtures/servers";

test.use({ baseURL: strictURL, storageState: SIGNED_OUT });
// In order, in one worker; a failure does not skip the tests after it.
test.describe.configure({ mode: "default" });
test.beforeEach(({}, testInfo) => {
  test.skip(testInfo.project.name !== "hydrated", "runs once: the tests share the strict server's clock and locks");
});

/** Longer than the idle time, with a margin for the server's whole-second clock. */
const pastIdle = strictIdleSeconds * 1000 + 1500;
const target = "/automation/overview?site_id=124";
const pathAndQuery = (page: Page) => new URL(page.url()).pathname + new URL(page.url()).search;

/** Opens `target`, is sent to sign in, signs in, and is back on `target`. */
async function signInAt(page: Page) {
  await page.goto(target);
  const signInPage = new SignInPage(page);
  await signInPage.expectShown();
  await signInPage.signIn(ACME);
  expect(pathAndQuery(page)).toBe(target);
  await expect(new OverviewPage(page).heading).toHaveText("Automation Overview");
  return signInPage;
}

/** The browser is on the sign-in page that says the session expired, with `target` as next. */
async function expectExpired(page: Page) {
  const signInPage = new SignInPage(page);
  await signInPage.expectShown();
  const url = new URL(page.url());
  expect(url.searchParams.get("next")).toBe(target);
  expect(url.searchParams.get("error"), "the sign-in page should say the session expired").toBe("expired");
  await expect(signInPage.error).toHaveText(MESSAGES.expired);
}

test("a session idles out; signing in again returns to the page", async ({ page }) => {
  const signInPage = await signInAt(page);
  // No request for longer than the idle time.
  await page.waitForTimeout(pastIdle);
  await page.reload();
  await expectExpired(page);

  await signInPage.signIn(ACME);
  expect(pathAndQuery(page)).toBe(target);
  const overview = new OverviewPage(page);
  await expect(overview.heading).toHaveText("Automation Overview");
  await expect(overview.siteSelect).toHaveValue("124");
});

test("an idle session still says it expired after someone else signed in", async ({ page, browser, baseURL, javaScriptEnabled }) => {
  await signInAt(page);
  await page.waitForTimeout(pastIdle);
  // Another browser signs in meanwhile (the server may tidy up idle sessions then).
  const other = await signedOutContext(browser, { baseURL, javaScriptEnabled });
  try {
    const otherPage = await other.newPage();
    await otherPage.goto("/sign-in");
    await new SignInPage(otherPage).signIn(NORTHWIND);
  } finally {
    await other.close();
  }
  await page.reload();
  await expectExpired(page);
});

test("each request extends the session", async ({ page }) => {
  // Lands on a small JSON answer rather than a page: on a busy machine a page's rendering time
  // would count as idle time between the requests.
  const api = "/api/v1/automation/sites/";
  const signInPage = new SignInPage(page);
  await signInPage.goto(`?next=${encodeURIComponent(api)}`);
  await signInPage.email.fill(ACME.email);
  await signInPage.password.fill(ACME.password);
  await Promise.all([page.waitForURL((url) => url.pathname === api, { waitUntil: "commit" }), signInPage.submit.click()]);
  const started = Date.now();
  // Requests well within the idle time of each other, for longer than it in all.
  for (let i = 1; Date.now() - started < pastIdle; i++) {
    await page.waitForTimeout(700);
    const response = await page.request.get(api);
    const after = ((Date.now() - started) / 1000).toFixed(1);
    expect(response.status(), `request ${i}, ${after} s after signing in`).toBe(200);
  }
  const response = await page.goto(target);
  expect(pathAndQuery(page)).toBe(target);
  expect(response!.status()).toBe(200);
  await expect(new OverviewPage(page).heading).toHaveText("Automation Overview");
});

test("five wrong passwords lock the email, not the other accounts", async ({ page }) => {
  const signInPage = new SignInPage(page);
  await signInPage.goto();
  for (let attempt = 1; attempt <= 5; attempt++) {
    await signInPage.submitWith(NORTHWIND.email, `wrong-password-${attempt}`);
    await signInPage.expectShown();
    await expect(signInPage.error, `attempt ${attempt}`).toHaveText(MESSAGES.invalid);
  }
  // The 6th attempt fails even with the right password.
  await signInPage.submitWith(NORTHWIND.email, NORTHWIND.password);
  await signInPage.expectShown();
  expect(new URL(page.url()).searchParams.get("error")).toBe("locked");
  await expect(signInPage.error).toHaveText(MESSAGES.locked);
  await page.goto("/automation/overview");
  await signInPage.expectShown();

  // Another account from the same address still signs in.
  await signInPage.signIn(ACME);
  await expect(new OverviewPage(page).heading).toHaveText("Automation Overview");
  await expect(page.getByRole("banner")).toContainText(ACME.email);
});
