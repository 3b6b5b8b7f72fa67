// Makes the ingest token the live spec reports runs with, through the command line as an
// operator would (`token create --scope ingest`), on the main server's database.
import { writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { createIngestToken } from "../fixtures/ingest";
import { ACME_INGEST_TOKEN } from "../fixtures/servers";

test("an ingest token for Acme", async () => {
  const token = createIngestToken(1);
  expect(token).toMatch(/^\S{20,}$/);
  mkdirSync(path.dirname(ACME_INGEST_TOKEN), { recursive: true });
  writeFileSync(ACME_INGEST_TOKEN, token);
});
