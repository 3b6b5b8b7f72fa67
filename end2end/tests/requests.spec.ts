// Run requests (live-api.md, "Run requests"), as a user meets them: on a finished run's page the
// user asks for a re-run, sees it waiting, a test engine (the simulator, sped up) claims it, the
// page says it started and links the new run, and that run completes on screen. Hydrated, the
// page follows by itself; with JavaScript off, reloads show each state.
//
// On the third server (playwright.config.ts), signed in as Northwind: the hydrated project uses
// gardenguide.io, whose balance is short of the buffer (so the confirmation step is taken), and
// the project without JavaScript travelnotes.net. Each test's engine serves its own site only.
import { spawn, type ChildProcess } from "node:child_process";
import { expect, test, type Page } from "@playwright/test";
import { NORTHWIND, signIn } from "../fixtures/auth";
import { binary, createIngestToken } from "../fixtures/ingest";
import { requestsURL, SIGNED_OUT } from "../fixtures/servers";

test.use({ baseURL: requestsURL, storageState: SIGNED_OUT });

/** The simulator as a test engine: for one site, 400 times the engine's pace, and every run
 * completes (travelnotes.net's history fails often enough that a simulated run would, too). */
function startEngine(siteId: number): ChildProcess {
  const token = createIngestToken(2, "requests");
  const args = ["simulate", "--url", requestsURL, "--speed", "400", "--site", String(siteId), "--no-failures"];
  const engine = spawn(binary, args, {
    env: { ...process.env, AUTOMATION_RUNS_ENGINE_TOKEN: token, RUST_LOG: "warn" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  return engine;
}

/** The newest completed run of the site, from the API (with the page's session). */
async function newestCompletedRun(page: Page, siteId: number): Promise<string> {
  const response = await page.request.get(`/api/v1/automation/history/?site_id=${siteId}&status=completed&page_size=1`);
  expect(response.ok()).toBe(true);
  return (await response.json()).runs[0].run_id;
}

const status = (page: Page) => page.getByTestId("request-status");

test("a re-run is requested, claimed by the engine, started, and completes on screen", async ({ page, javaScriptEnabled }) => {
  test.setTimeout(90_000);
  const siteId = javaScriptEnabled ? 201 : 202;
  await signIn(page, NORTHWIND);
  const source = await newestCompletedRun(page, siteId);
  await page.goto(`/automation/runs/${source}`);
  const panel = page.getByTestId("request-panel");
  await expect(panel.getByRole("heading", { name: "Run it again" })).toBeVisible();

  const confirm = panel.getByLabel(/Request it anyway/);
  if (javaScriptEnabled) {
    // 180 credits against a buffer of several hundred: the form asks first.
    await expect(confirm.first()).toBeVisible();
    await confirm.last().check();
  } else {
    await expect(confirm).toHaveCount(0);
  }
  await panel.getByRole("button", { name: "Re-run with the same settings" }).click();
  await expect(page).toHaveURL(new RegExp(`/automation/runs/${source}\\?request=filed$`));
  await expect(page.getByTestId("request-outcome")).toContainText("Requested");
  await expect(status(page)).toHaveAttribute("data-state", "pending");
  await expect(status(page)).toContainText(`Re-run of ${source}`);
  await expect(panel.getByRole("button", { name: "Re-run with the same settings" })).toBeDisabled();

  const engine = startEngine(siteId);
  try {
    const link = page.getByTestId("request-run-link");
    if (javaScriptEnabled) {
      await expect(status(page)).toHaveAttribute("data-state", "started", { timeout: 20_000 });
    } else {
      await expect(async () => {
        await page.reload();
        await expect(status(page)).toHaveAttribute("data-state", "started", { timeout: 1_000 });
      }).toPass({ timeout: 20_000 });
    }
    await link.click();
    await expect(page.getByTestId("started-from-request")).toContainText(source);
    await expect(page.getByTestId("source-run-link")).toHaveAttribute("href", `/automation/runs/${source}`);
    const badge = page.locator(".run-header .badge");
    if (javaScriptEnabled) {
      await expect(badge).toHaveText(/Completed/, { timeout: 45_000 });
    } else {
      await expect(async () => {
        await page.reload();
        await expect(badge).toHaveText(/Completed/, { timeout: 1_000 });
      }).toPass({ timeout: 45_000 });
    }
  } finally {
    engine.kill("SIGINT");
  }
});
