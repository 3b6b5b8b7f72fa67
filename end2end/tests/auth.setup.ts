// Signs in each demo account through the real sign-in form once, and saves the browser's
// cookies for the specs (the "hydrated" and "no-js" projects start as the Acme user).
import { expect, test } from "@playwright/test";
import { ACME, NORTHWIND, signIn } from "../fixtures/auth";
import { ACME_STATE, NORTHWIND_STATE, SIGNED_OUT } from "../fixtures/servers";

test.use({ storageState: SIGNED_OUT });

for (const [account, file] of [
  [ACME, ACME_STATE],
  [NORTHWIND, NORTHWIND_STATE],
] as const) {
  test(`sign in as ${account.email}`, async ({ page }) => {
    await signIn(page, account);
    await expect(page).toHaveURL(/\/automation\/overview/);
    await page.context().storageState({ path: file });
  });
}
