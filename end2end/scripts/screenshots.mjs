// Takes the README's screenshots of a running server (default http://127.0.0.1:3000):
//   node scripts/screenshots.mjs [BASE_URL] [overview|run|settings|trends|compare]   (the second argument: that page only)
// Desktop light and dark, and a phone (as first seen, and with every section open, dark), of the overview and of the demo's example run, signed in
// as the Acme demo user (the server must run with --demo).
import { chromium } from "@playwright/test";

const base = process.argv[2] ?? "http://127.0.0.1:3000";
const only = process.argv[3];
const out = new URL("../../docs/screenshots/", import.meta.url).pathname;

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});

// Sign in through the form once; every screenshot's context reuses the session cookie.
const signIn = await browser.newContext();
const form = await signIn.newPage();
await form.goto(`${base}/sign-in`);
await form.getByLabel("Email").fill("owner@acme-media.example");
await form.getByLabel("Password").fill("acme-demo-password");
await Promise.all([form.waitForURL((url) => url.pathname !== "/sign-in"), form.getByRole("button", { name: "Sign in" }).click()]);
const storageState = await signIn.storageState();
const getJson = async (path) => {
  const response = await signIn.request.get(`${base}${path}`);
  if (!response.ok()) throw new Error(`${path}: ${response.status()}`);
  return response.json();
};
const sites = await getJson("/api/v1/automation/sites/");
const techblog = sites.sites.find((s) => s.domain === "techblog.com");
const history = await getJson(`/api/v1/automation/history/?site_id=${techblog.id}`);
// The demo's site with anomalies, for the trends page.
const recipes = sites.sites.find((s) => s.domain === "recipesdaily.com");
await signIn.close();
const example = history.runs.find((r) => /_140523_manual$/.test(r.run_id));
const [newer, older] = history.runs.filter((r) => r.status === "completed");

const pages = {
  overview: `/automation/overview?site_id=${techblog.id}`,
  run: `/automation/runs/${example.run_id}`,
  settings: "/settings",
  trends: `/automation/trends?site_id=${recipes.id}&days=90`,
  compare: `/automation/compare?a=${older.run_id}&b=${newer.run_id}`,
};
const views = [
  { name: "desktop-light", viewport: { width: 1280, height: 900 }, colorScheme: "light" },
  { name: "desktop-dark", viewport: { width: 1280, height: 900 }, colorScheme: "dark" },
  { name: "mobile", viewport: { width: 375, height: 800 }, colorScheme: "light" },
  // The same phone with every section opened, as a reader who taps "Show" sees them.
  { name: "mobile-open-dark", viewport: { width: 375, height: 800 }, colorScheme: "dark", open: true },
];
for (const [page, path] of Object.entries(pages).filter(([name]) => !only || name === only)) {
  for (const view of views) {
    const context = await browser.newContext({ viewport: view.viewport, colorScheme: view.colorScheme, timezoneId: "UTC", storageState });
    const tab = await context.newPage();
    await tab.goto(`${base}${path}`);
    await tab.locator(".theme-toggle").waitFor();
    if (view.open) {
      // Each press renames its button to "Hide …", so take the first "Show" until none is left.
      const show = tab.getByRole("button", { name: /^Show / });
      while (await show.count()) await show.first().click();
      // And the explanations ("How it is estimated").
      for (const details of await tab.locator("details:not([open]) > summary").all()) await details.click();
    }
    await tab.screenshot({ path: `${out}${page}-${view.name}.png`, fullPage: true });
    await context.close();
  }
}
await browser.close();
console.log(`screenshots written to ${out}`);
