import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server.js";

const exec = promisify(execFile);

/** Debian's chromium, headless, rendering a page and printing the DOM after its scripts ran. */
async function renderedDom(url: string): Promise<string> {
  const profile = await mkdtemp(join(tmpdir(), "idhub-chromium-"));
  try {
    const { stdout } = await exec(
      "chromium",
      [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        // The machine has no network: keep Chromium from calling home at all.
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        `--user-data-dir=${profile}`, "--virtual-time-budget=10000", "--dump-dom", url,
      ],
      { timeout: 60_000, maxBuffer: 32 * 1024 * 1024 },
    );
    return stdout;
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

describe("/docs in a real browser", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  it("Swagger UI renders every operation of the OpenAPI document, from local assets only", async () => {
    const dom = await renderedDom(`${server.url}/docs`);
    const rendered = [...dom.matchAll(/class="opblock-summary-path" data-path="([^"]+)"/g)].map((m) => m[1]);
    const doc = (await server.http("GET", "/openapi.json")).body as { paths: Record<string, object> };
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map(() => path));
    expect(rendered.sort()).toEqual(operations.sort());
    expect(dom).toContain("trustedtwin");
    expect(dom).toContain("connector");
    const external = [...dom.matchAll(/(?:src|href)="(https?:[^"]+)"/g)].map((m) => m[1]).filter((u) => !u!.startsWith(server.url));
    expect(external.filter((u) => !u!.includes("swagger.io") && !u!.includes("smartbear"))).toEqual([]);
  }, 90_000);
});
