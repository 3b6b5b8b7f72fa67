import { defineConfig } from "@playwright/test";
import { ACME_STATE, databaseOf, mainURL, port, requestsPort, strictIdleSeconds, strictPort, teamPort } from "./fixtures/servers";

// Four release servers on fresh SQLite files with the demo data, started by Playwright: the main
// one, a "strict" one whose sessions idle out after a few seconds (auth-limits.spec.ts), so that
// expiry and sign-in lock-outs do not disturb the other specs, one whose runs the run-request
// spec adds to, and one whose users and run requests the team spec changes. Each has its own directory: they start at once, so none may delete
// another's database. None runs the demo's engine simulator: the specs need the demo data to
// stay as loaded, and the run-request spec starts its own engine.
const targetDir = process.env.CARGO_TARGET_DIR ?? "target";

const chromium = {
  browserName: "chromium" as const,
  launchOptions: {
    executablePath: "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  },
};

const server = (name: string, serverPort: number, env: Record<string, string> = {}) => ({
  command: `rm -rf target/e2e/${name} && mkdir -p target/e2e/${name} && exec ${targetDir}/release/automation-runs serve --demo`,
  cwd: "..",
  url: `http://127.0.0.1:${serverPort}/healthz`,
  reuseExistingServer: false,
  timeout: 60_000,
  env: {
    DATABASE_URL: `sqlite://${databaseOf(name)}`,
    LEPTOS_SITE_ADDR: `127.0.0.1:${serverPort}`,
    LEPTOS_SITE_ROOT: "target/site",
    RUST_LOG: "warn",
    // The specs assert the demo's figures: no engine simulator moving them meanwhile.
    AUTOMATION_RUNS_NO_SIMULATOR: "1",
    ...env,
  },
});

export default defineConfig({
  testDir: "./tests",
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: [["list"]],
  timeout: 30_000,
  use: {
    baseURL: mainURL,
    trace: "retain-on-failure",
  },
  // Every spec runs twice: hydrated, and with JavaScript off (server-rendered HTML alone), in a
  // browser signed in as the Acme demo user (the "setup" project signs in through the form).
  projects: [
    { name: "setup", testMatch: /.*\.setup\.ts/, use: { ...chromium, javaScriptEnabled: true } },
    {
      name: "hydrated",
      dependencies: ["setup"],
      use: { ...chromium, javaScriptEnabled: true, storageState: ACME_STATE },
    },
    {
      name: "no-js",
      dependencies: ["setup"],
      use: { ...chromium, javaScriptEnabled: false, storageState: ACME_STATE },
    },
  ],
  webServer: [
    server("main", port),
    server("strict", strictPort, { AUTOMATION_RUNS_SESSION_IDLE_SECS: String(strictIdleSeconds) }),
    server("requests", requestsPort),
    server("team", teamPort),
  ],
});
