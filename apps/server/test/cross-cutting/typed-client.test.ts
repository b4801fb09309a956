import { execFile } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { promisify } from "node:util";
import openapiTS, { astToString } from "openapi-typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server.js";

const dir = resolve(import.meta.dirname, "../typed-client");
const serverDir = resolve(import.meta.dirname, "../..");

describe("a typed REST client generated from the committed document (openapi-typescript + openapi-fetch)", () => {
  let server: TestServer;
  beforeAll(async () => {
    const document = JSON.parse(await readFile(resolve(serverDir, "openapi.json"), "utf8"));
    await mkdir(resolve(dir, "generated"), { recursive: true });
    await writeFile(resolve(dir, "generated/openapi.d.ts"), astToString(await openapiTS(document)));
    server = await startTestServer();
  }, 120_000);
  afterAll(() => server?.stop());

  it("type-checks with skipLibCheck: false, valid bodies accepted and invalid ones refused", { timeout: 120_000 }, async () => {
    const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
    const run = await promisify(execFile)(process.execPath, [tsc, "-p", resolve(dir, "tsconfig.json")]).catch((failure) => failure);
    expect(`${run.stdout ?? ""}${run.stderr ?? ""}`).toBe("");
    expect(run.code ?? 0).toBe(0);
  });

  it("calls the Trusted Twin and Connector surfaces and reads typed answers", async () => {
    const admin = await server.createAccount("typed");
    // Typed here, not with `typeof import(...)`: that would pull client.ts (and the types generated
    // only in beforeAll) into the package's own typecheck, which runs before any test on a clean clone.
    const { exercise } = (await import(resolve(dir, "client.ts"))) as {
      exercise(baseUrl: string, secret: string, address: string): Promise<unknown>;
    };
    const result = await exercise(server.url, admin.secret, admin.account.address);
    expect(result).toEqual({
      whoami: admin.account.id,
      twinStatus: "alive",
      etag: '"1"',
      patchedColour: "blue",
      newEtag: '"2"',
      staleSubcode: 412000,
      missingSubcode: 404653,
      address: admin.account.address,
      upserted: { reference: admin.account.address, key: "k", value: { n: 1 } },
      nullValue: { reference: admin.account.address, value: null },
      read: { reference: admin.account.address, key: "k", value: { n: 1 } },
      notFoundCode: "error.runtime.identityMetadata.notFound",
    });
  });
});
