// Sign-in, sessions, CSRF, tenant isolation and security headers, through the real sign-in form
// (see /tmp/shared/auth-contract.md). Each test starts signed out unless it says otherwise.
import { expect, test, type APIRequestContext, type APIResponse, type Page } from "@playwright/test";
import { api } from "../fixtures/api";
import {
  ACME,
  csrfTokenIn,
  CSRF_COOKIE,
  MESSAGES,
  NORTHWIND,
  sessionCookie,
  SESSION_COOKIE,
  signedOutContext,
  signIn,
  SignInPage,
  signOutButton,
  type Account,
} from "../fixtures/auth";
import { grouped, OverviewPage } from "../fixtures/overview-page";
import { expectNoSeriousA11yViolations, hydrated } from "../fixtures/page-checks";
import { RunPage } from "../fixtures/run-page";
import { ACME_STATE, NORTHWIND_STATE, SIGNED_OUT } from "../fixtures/servers";

test.use({ storageState: SIGNED_OUT });

/** The path and query of the browser's URL. */
const pathAndQuery = (page: Page) => {
  const url = new URL(page.url());
  return url.pathname + url.search;
};

/** The `next` parameter of the sign-in page the browser is on. */
const nextParam = (page: Page) => new URL(page.url()).searchParams.get("next");

test("an unauthenticated visit goes to sign-in and signing in comes back to the same URL", async ({ page }) => {
  const target = "/automation/overview?site_id=124";
  const response = await page.goto(target);
  // The page's own request was answered with a redirect to the sign-in page.
  const first = response!.request().redirectedFrom();
  expect(first, "the overview should redirect").not.toBeNull();
  expect((await first!.response())!.status()).toBe(303);
  const signInPage = new SignInPage(page);
  await signInPage.expectShown();
  expect(nextParam(page)).toBe(target);

  await signInPage.signIn(ACME);
  expect(pathAndQuery(page)).toBe(target);
  const overview = new OverviewPage(page);
  await expect(overview.heading).toHaveText("Automation Overview");
  await expect(overview.siteSelect).toHaveValue("124");
  await expect(overview.runLinks().first()).toContainText("recipesdaily.com #");
  await expect(page.getByRole("banner")).toContainText(ACME.name);
  await expect(page.getByRole("banner")).toContainText(ACME.email);
});

test("a run page also redirects to sign-in with its path as next", async ({ page }) => {
  await page.goto("/automation/runs/run_does_not_exist?log_level=warn");
  await new SignInPage(page).expectShown();
  expect(nextParam(page)).toBe("/automation/runs/run_does_not_exist?log_level=warn");
});

test("next never leads off the site", async ({ page, request }) => {
  // Should the server follow such a next, the browser lands on this stand-in, not the internet.
  await page.route((url) => url.hostname === "evil.example", (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<h1>Elsewhere</h1>" }));
  const signInPage = new SignInPage(page);
  await signInPage.goto(`?next=${encodeURIComponent("https://evil.example/")}`);
  await signInPage.signIn(ACME);
  expect(new URL(page.url()).host).toMatch(/^127\.0\.0\.1:\d+$/);
  expect(new URL(page.url()).pathname).toBe("/automation/overview");

  // The same form, sent directly: the redirect's target (other spellings of another site).
  for (const next of ["//evil.example/", "/\\evil.example/", "https://evil.example/"]) {
    const form = await request.get("/sign-in");
    const response = await request.post("/sign-in", {
      form: { email: ACME.email, password: ACME.password, next, csrf_token: csrfTokenIn(await form.text()) },
      maxRedirects: 0,
    });
    expect(response.status(), `next=${next}`).toBe(303);
    expect(response.headers()["location"], `next=${next}`).toMatch(/^(http:\/\/127\.0\.0\.1:\d+)?\/automation\/overview$/);
  }
});

test("a wrong password and an unknown email get the same message", async ({ page }) => {
  const signInPage = new SignInPage(page);
  await signInPage.goto();
  // One failure per project for Northwind's email, far from its lock (5 in 15 minutes).
  await signInPage.submitWith(NORTHWIND.email, "not-the-password");
  await signInPage.expectShown();
  expect(new URL(page.url()).searchParams.get("error")).toBe("invalid");
  await expect(signInPage.error).toHaveText(MESSAGES.invalid);
  const wrongPassword = await page.locator("body").innerText();

  await signInPage.submitWith("nobody@unknown.example", "not-the-password");
  await signInPage.expectShown();
  expect(new URL(page.url()).searchParams.get("error")).toBe("invalid");
  await expect(signInPage.error).toHaveText(MESSAGES.invalid);
  // Nothing on the page tells the two apart.
  expect(await page.locator("body").innerText()).toBe(wrongPassword);
});

test("the demo accounts' credentials are on the sign-in page", async ({ page }) => {
  const signInPage = new SignInPage(page);
  await signInPage.goto();
  for (const account of [ACME, NORTHWIND]) {
    await expect(signInPage.demoAccounts).toContainText(account.name);
    await expect(signInPage.demoAccounts.locator("code", { hasText: account.email })).toBeVisible();
    await expect(signInPage.demoAccounts.locator("code", { hasText: account.password })).toBeVisible();
  }
});

test("the sign-in page has no serious accessibility violations", async ({ page }, testInfo) => {
  test.skip(testInfo.project.name === "no-js", "axe-core runs as a script in the page");
  await new SignInPage(page).goto();
  await page.waitForLoadState("networkidle");
  await expectNoSeriousA11yViolations(page);
});

test("the session cookie is HttpOnly and SameSite=Lax", async ({ page, context }) => {
  await signIn(page, ACME);
  const session = await sessionCookie(context);
  expect(session).toBeDefined();
  expect(session!.httpOnly).toBe(true);
  expect(session!.sameSite).toBe("Lax");
  expect(session!.path).toBe("/");
  const csrf = (await context.cookies()).find((c) => c.name === CSRF_COOKIE);
  expect(csrf).toBeDefined();
  expect(csrf!.httpOnly).toBe(true);
  expect(csrf!.sameSite).toBe("Strict");
});

test("each sign-in gets a new session id, and a signed-out one no longer works", async ({ page, context, browser, baseURL, javaScriptEnabled }) => {
  const signInPage = new SignInPage(page);
  await signInPage.goto();
  const before = (await context.cookies()).filter((c) => c.name === SESSION_COOKIE).map((c) => c.value);
  await signInPage.signIn(ACME);
  const first = (await sessionCookie(context))?.value;
  expect(first).toBeTruthy();
  expect(before).not.toContain(first);

  await signOutButton(page).click();
  await signInPage.expectShown();
  expect((await sessionCookie(context))?.value ?? "").not.toBe(first);
  await signInPage.signIn(ACME);
  const second = (await sessionCookie(context))?.value;
  expect(second).toBeTruthy();
  expect(second).not.toBe(first);

  const fresh = await signedOutContext(browser, { baseURL, javaScriptEnabled });
  try {
    const tab = await fresh.newPage();
    await fresh.addCookies([{ name: SESSION_COOKIE, value: first!, url: baseURL! }]);
    await tab.goto("/automation/overview");
    await new SignInPage(tab).expectShown();
    // The same way in with the current id does work: the test's cookie is a valid stand-in.
    await fresh.clearCookies();
    await fresh.addCookies([{ name: SESSION_COOKIE, value: second!, url: baseURL! }]);
    await new OverviewPage(tab).goto();
  } finally {
    await fresh.close();
  }
});

test("signing in while signed in also replaces the session id", async ({ page, context }) => {
  await signIn(page, ACME);
  const first = (await sessionCookie(context))?.value;
  const signInPage = new SignInPage(page);
  await page.goto("/sign-in");
  if (new URL(page.url()).pathname !== "/sign-in") test.skip(true, "the sign-in page sends signed-in users on");
  await signInPage.signIn(ACME);
  const second = (await sessionCookie(context))?.value;
  expect(second).toBeTruthy();
  expect(second).not.toBe(first);
});

test("the header's Sign out button ends the session", async ({ page }) => {
  await signIn(page, ACME);
  await page.goto("/automation/overview");
  await expect(page.getByRole("banner")).toContainText(ACME.name);
  await signOutButton(page).click();
  const signInPage = new SignInPage(page);
  await signInPage.expectShown();
  expect(new URL(page.url()).searchParams.get("notice")).toBe("signed-out");
  await expect(page.getByRole("status").filter({ hasText: MESSAGES.signedOut })).toHaveText(MESSAGES.signedOut);
  await page.goto("/automation/overview");
  await signInPage.expectShown();
  expect(nextParam(page)).toBe("/automation/overview");
});

test.describe("CSRF", () => {
  /** A POST of the sign-in form, without following the redirect. */
  const postSignIn = (request: APIRequestContext, form: Record<string, string>, headers: Record<string, string> = {}) =>
    request.post("/sign-in", { form, headers, maxRedirects: 0 });

  async function expect403(response: APIResponse) {
    expect(response.status()).toBe(403);
    expect(await response.text()).toContain(MESSAGES.csrf);
  }

  test("a sign-in POST without the token, with a wrong one, or from another origin is refused", async ({ request }, testInfo) => {
    // An unknown email, distinct per project: a refused form must not count towards any lock,
    // and the accepted one below counts only against this address.
    const email = `csrf-${testInfo.project.name}@unknown.example`;
    const credentials = { email, password: "whatever", next: "/automation/overview" };
    const signInPage = await request.get("/sign-in");
    expect(signInPage.status()).toBe(200);
    const token = csrfTokenIn(await signInPage.text());

    await expect403(await postSignIn(request, credentials));
    await expect403(await postSignIn(request, { ...credentials, csrf_token: "" }));
    await expect403(await postSignIn(request, { ...credentials, csrf_token: `${token}x` }));
    await expect403(await postSignIn(request, { ...credentials, csrf_token: token }, { Origin: "https://evil.example" }));

    // The same form with the page's token is taken (and fails on the credentials instead).
    const accepted = await postSignIn(request, { ...credentials, csrf_token: token }, { Origin: new URL(signInPage.url()).origin });
    expect(accepted.status()).toBe(303);
    expect(accepted.headers()["location"]).toMatch(/^(http:\/\/[^/]+)?\/sign-in\?(.*&)?error=invalid/);
  });

  test("a sign-out POST without the token is refused and the session goes on", async ({ page }) => {
    await signIn(page, ACME);
    await expect403(await page.request.post("/sign-out", { form: {}, maxRedirects: 0 }));
    await expect403(await page.request.post("/sign-out", { form: { csrf_token: "wrong" }, maxRedirects: 0 }));
    const overview = new OverviewPage(page);
    await overview.goto();
    await expect(signOutButton(page)).toBeVisible();
    expect(await sessionCookie(page.context())).toBeDefined();
  });
});

test.describe("signed in", () => {
  test.use({ storageState: ACME_STATE });

  test("security headers are on every response, and the page hydrates under the CSP", async ({ page, request }, testInfo) => {
    const violations: string[] = [];
    page.on("console", (m) => /Content[- ]Security[- ]Policy/i.test(m.text()) && violations.push(m.text()));
    page.on("pageerror", (e) => violations.push(`page error: ${e.message}`));
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) => {
        const w = window as any;
        (w.__cspViolations ??= []).push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
      });
    });
    const overview = new OverviewPage(page);
    const response = await overview.goto("?site_id=123");
    const headers = response!.headers();
    const csp = headers["content-security-policy"];
    expect(csp).toBeTruthy();
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/script-src [^;]*'nonce-[^']+'/);
    expect(csp).not.toMatch(/script-src [^;]*'unsafe-inline'/);
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(headers["x-frame-options"]?.toUpperCase()).toBe("DENY");
    expect(headers["x-request-id"]).toBeTruthy();
    // A nonce is for one response only.
    const again = (await request.get("/automation/overview?site_id=123")).headers()["content-security-policy"];
    expect(again.match(/'nonce-[^']+'/)?.[0]).not.toBe(csp.match(/'nonce-[^']+'/)?.[0]);
    for (const path of ["/sign-in", "/api/v1/automation/sites/", "/healthz"]) {
      const other = (await request.get(path, { maxRedirects: 0 })).headers();
      expect(other["x-content-type-options"], path).toBe("nosniff");
      expect(other["x-request-id"], path).toBeTruthy();
      expect(other["content-security-policy"], path).toMatch(/frame-ancestors 'none'/);
    }

    if (testInfo.project.name !== "no-js") {
      // Hydration ran: the theme toggle is drawn and works.
      await hydrated(page);
      await page.getByRole("button", { name: "Dark mode" }).click();
      await expect(page.getByRole("button", { name: "Light mode" })).toBeVisible();
      await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
      // The run page (charts, accordion) too.
      const run = (await api(request, "history/?site_id=123")).runs[0];
      const runPage = new RunPage(page);
      await runPage.goto(run.run_id);
      await expect(runPage.heading).toHaveText(run.run_title);
      await hydrated(page);
      await page.waitForLoadState("networkidle");
      violations.push(...(await page.evaluate(() => (window as any).__cspViolations ?? [])));
    }
    expect(violations).toEqual([]);
  });

  test("the API without a session or token is 401 JSON", async ({ playwright, baseURL }) => {
    const anonymous = await playwright.request.newContext({ baseURL, storageState: SIGNED_OUT });
    try {
      const response = await anonymous.get("/api/v1/automation/sites/");
      expect(response.status()).toBe(401);
      expect(response.headers()["www-authenticate"]).toMatch(/^Bearer/);
      expect(response.headers()["x-request-id"]).toBeTruthy();
      const body = await response.json();
      expect(body.error.code).toBe("unauthorized");
      expect(body.error.request_id).toBeTruthy();
      const bad = await anonymous.get("/api/v1/automation/sites/", { headers: { Authorization: "Bearer ar_not-a-real-token" } });
      expect(bad.status()).toBe(401);
      expect((await anonymous.get("/sfn/get_sites")).status()).toBe(401);
      expect((await anonymous.get("/healthz")).status()).toBe(200);
      expect((await anonymous.get("/api/v1/openapi.json")).status()).toBe(200);
    } finally {
      await anonymous.dispose();
    }
  });
});

test("tenants see only their own sites, runs and exports", async ({ browser, baseURL, javaScriptEnabled }) => {
  test.slow();
  const contexts = await Promise.all([ACME, NORTHWIND].map(() => signedOutContext(browser, { baseURL, javaScriptEnabled })));
  try {
    const [acme, northwind] = await Promise.all(
      ([ACME, NORTHWIND] as const).map(async (account, i) => {
        const page = await contexts[i].newPage();
        await signIn(page, account);
        return { account, page, request: contexts[i].request };
      }),
    );

    const firstSite = (a: Account) => Number(Object.keys(a.sites)[0]);
    const runOf = async (side: typeof acme) => (await api(side.request, `history/?site_id=${firstSite(side.account)}`)).runs[0];
    const acmeRun = await runOf(acme);
    const northwindRun = await runOf(northwind);
    expect(acmeRun.run_id).not.toBe(northwindRun.run_id);

    for (const [me, other, otherRun, myRun] of [
      [acme, northwind, northwindRun, acmeRun],
      [northwind, acme, acmeRun, northwindRun],
    ] as const) {
      await test.step(`${me.account.name}: own sites and balance`, async () => {
        const overview = new OverviewPage(me.page);
        await overview.goto(`?site_id=${firstSite(me.account)}`);
        const options = await overview.siteSelect.locator("option").allTextContents();
        const domains = options.map((o) => o.trim().split(/\s+/)[0]).sort();
        expect(domains).toEqual(Object.values(me.account.sites).sort());
        expect((await overview.siteSelect.locator("option").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).sort()).toEqual(
          Object.keys(me.account.sites).sort(),
        );
        await expect(overview.prediction.getByTestId("current-balance")).toHaveText(`${grouped(me.account.balance)} credits`);
        await expect(me.page.getByRole("banner")).toContainText(me.account.name);
        await expect(me.page.getByRole("banner")).not.toContainText(other.account.name);
        const apiSites = (await api(me.request, "sites/")).sites.map((s: any) => s.domain).sort();
        expect(apiSites).toEqual(Object.values(me.account.sites).sort());
      });

      await test.step(`${me.account.name}: the other account's pages are not found`, async () => {
        for (const siteId of Object.keys(other.account.sites)) {
          const response = await me.page.goto(`/automation/overview?site_id=${siteId}`);
          expect(response!.status(), `site ${siteId}`).toBe(404);
          await expect(me.page.getByRole("alert")).toContainText("not found");
          await expect(me.page.locator("body")).not.toContainText(other.account.sites[Number(siteId)]);
        }
        const response = await me.page.goto(`/automation/runs/${otherRun.run_id}`);
        expect(response!.status()).toBe(404);
        await expect(me.page.getByRole("heading", { level: 1 })).toHaveText("Run not found");
        await expect(me.page.locator("body")).not.toContainText(otherRun.run_title);
      });

      await test.step(`${me.account.name}: the other account's data is 404 in the API`, async () => {
        const missing = await me.request.get("/api/v1/automation/run_detail/?run_id=run_does_not_exist");
        expect(missing.status()).toBe(404);
        const missingCode = (await missing.json()).error.code;
        for (const path of [
          `run_detail/?run_id=${otherRun.run_id}`,
          `overview_stats/?site_id=${firstSite(other.account)}`,
          `history/?site_id=${firstSite(other.account)}`,
        ]) {
          const response = await me.request.get(`/api/v1/automation/${path}`);
          expect(response.status(), path).toBe(404);
          expect(response.headers()["content-type"], path).toContain("application/json");
          const body = await response.json();
          expect(body.error.code, path).toBe(missingCode);
          expect(JSON.stringify(body), path).not.toContain(otherRun.run_title);
        }
        // The server functions the hydrated pages call answer as for an unknown run.
        const sfnMissing = await me.request.get("/sfn/get_run_detail?run_id=run_does_not_exist");
        const sfnOther = await me.request.get(`/sfn/get_run_detail?run_id=${encodeURIComponent(otherRun.run_id)}`);
        expect(sfnOther.status()).toBe(sfnMissing.status());
        expect(sfnOther.ok()).toBe(false);
        expect(await sfnOther.text()).not.toContain(otherRun.run_title);
      });

      await test.step(`${me.account.name}: exports are 404 across accounts and 200 for the owner`, async () => {
        for (const file of ["report.csv", "report.json", "logs.ndjson"]) {
          const foreign = await me.request.get(`/api/v1/automation/runs/${otherRun.run_id}/${file}`);
          expect(foreign.status(), `${otherRun.run_id}/${file}`).toBe(404);
          const own = await me.request.get(`/api/v1/automation/runs/${myRun.run_id}/${file}`);
          expect(own.status(), `${myRun.run_id}/${file}`).toBe(200);
        }
      });
    }
  } finally {
    await Promise.all(contexts.map((c) => c.close()));
  }
});

test("server functions answer 404 for a run or site of another account, as for an unknown one", async ({ playwright, baseURL }) => {
  const [acme, northwind] = await Promise.all(
    [ACME_STATE, NORTHWIND_STATE].map((storageState) => playwright.request.newContext({ baseURL, storageState })),
  );
  try {
    const northwindRun = (await api(northwind, "history/?site_id=201")).runs[0].run_id;
    for (const path of [
      "/sfn/get_run_detail?run_id=run_does_not_exist",
      `/sfn/get_run_detail?run_id=${encodeURIComponent(northwindRun)}`,
      `/sfn/get_run_logs?run_id=${encodeURIComponent(northwindRun)}`,
      "/sfn/get_overview?site_id=987654",
      "/sfn/get_overview?site_id=201",
      "/sfn/get_history?site_id=201&page=1",
    ]) {
      expect((await acme.get(path)).status(), path).toBe(404);
    }
    // The owner gets them.
    expect((await northwind.get(`/sfn/get_run_detail?run_id=${encodeURIComponent(northwindRun)}`)).status()).toBe(200);
    expect((await northwind.get("/sfn/get_overview?site_id=201")).status()).toBe(200);
  } finally {
    await Promise.all([acme.dispose(), northwind.dispose()]);
  }
});
