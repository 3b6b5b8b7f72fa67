// The front end's files as a browser gets them (server/assets.rs, scripts/build.sh): named
// after their content, cached for a year, sent in the precompressed encoding asked for, and
// never setting a cookie; pages revalidated on every visit. HTTP only: once is enough.
import { expect, request as playwrightRequest, test } from "@playwright/test";
import { mainURL } from "../fixtures/servers";

const HASHED = /\/pkg\/automation-runs\.[0-9a-f]{16}\.(js|wasm|css)/g;

test("hashed, precompressed, immutable front-end files without cookies; pages revalidated", async ({
  page,
}, testInfo) => {
  test.skip(testInfo.project.name === "no-js", "HTTP headers: the same with or without JavaScript");
  const response = await page.goto("/automation/overview");
  expect(response?.headers()["cache-control"]).toBe("no-cache");
  const html = await response!.text();
  const files = [...new Set(html.match(HASHED))];
  // The script and the WebAssembly (preloaded and imported) and the stylesheet, of one build.
  expect(files.map((f) => f.split(".").pop()).sort()).toEqual(["css", "js", "wasm"]);
  expect(new Set(files.map((f) => f.split(".")[1])).size).toBe(1);

  // A client with no cookies at all: whatever it is sent, it is never given one.
  const anonymous = await playwrightRequest.newContext({ baseURL: mainURL, storageState: undefined });
  for (const file of files) {
    for (const [accepted, encoding] of [
      ["br, gzip", "br"],
      ["gzip", "gzip"],
      ["identity", undefined],
    ] as const) {
      const answer = await anonymous.get(file, { headers: { "accept-encoding": accepted } });
      expect(answer.status(), `${file} (${accepted})`).toBe(200);
      const headers = answer.headers();
      expect(headers["content-encoding"], `${file} (${accepted})`).toBe(encoding);
      expect(headers["cache-control"], file).toBe("public, max-age=31536000, immutable");
      expect(headers["vary"], file).toBe("accept-encoding");
      expect(headers["set-cookie"], file).toBeUndefined();
    }
  }
  for (const unhashed of ["/theme.js", "/favicon.svg", "/robots.txt"]) {
    const answer = await anonymous.get(unhashed);
    expect(answer.status()).toBe(200);
    expect(answer.headers()["cache-control"], unhashed).toBe("no-cache");
    expect(answer.headers()["set-cookie"], unhashed).toBeUndefined();
  }
  // A name no build made is not found, and not cached.
  const missing = await anonymous.get("/pkg/automation-runs.0000000000000000.wasm");
  expect(missing.status()).toBe(404);
  expect(missing.headers()["cache-control"]).toBeUndefined();
  await anonymous.dispose();
});
