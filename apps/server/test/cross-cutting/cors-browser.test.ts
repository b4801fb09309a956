import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderedDom } from "../support/chromium.js";
import { startTestServer, type TestServer } from "../support/server.js";

// A page served from another origin (a second local port) calls the Trusted Twin surface with
// fetch — a cross-origin request with Authorization, so the browser sends a preflight first — and
// reads the answer's ETag. Real headless Chromium decides whether the page may see it.

/** A one-page server on its own port: the page fetches a twin from `api` and prints what it saw. */
async function pageServer(): Promise<{ origin: string; serve(api: string, twin: string, secret: string): void; close(): Promise<void> }> {
  let page = "";
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    serve(api, twin, secret) {
      page = `<!doctype html><html><body><pre id="result">pending</pre><script>
        fetch(${JSON.stringify(`${api}/twins/${twin}`)}, { headers: { Authorization: ${JSON.stringify(secret)} } })
          .then(async (r) => { document.getElementById("result").textContent =
            JSON.stringify({ status: r.status, etag: r.headers.get("ETag"), twin: (await r.json()).status }); })
          .catch((e) => { document.getElementById("result").textContent = "blocked: " + e.name; });
      </script></body></html>`;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const resultOf = (dom: string) => /<pre id="result">([^<]*)<\/pre>/.exec(dom)?.[1]?.replace(/&quot;/g, '"');

describe("CORS in a real browser (headless Chromium, page on another origin)", () => {
  let page: Awaited<ReturnType<typeof pageServer>>;
  let allowed: TestServer;
  let closed: TestServer;
  beforeAll(async () => {
    page = await pageServer();
    allowed = await startTestServer("sqlite", { IDHUB_CORS_ORIGINS: `https://elsewhere.example, ${page.origin}` });
    closed = await startTestServer();
  });
  afterAll(async () => {
    await Promise.all([allowed?.stop(), closed?.stop(), page?.close()]);
  });

  const twinOn = async (server: TestServer) => {
    const admin = await server.createAccount();
    const twin = await server.http("POST", "/twins", { secret: admin.secret, body: {} });
    return { secret: admin.secret, twin: twin.body.creation_certificate.uuid as string };
  };

  it("lets the page read the twin and its ETag when its origin is configured", { timeout: 90_000 }, async () => {
    const { secret, twin } = await twinOn(allowed);
    page.serve(allowed.url, twin, secret);
    expect(JSON.parse(resultOf(await renderedDom(page.origin)) ?? "null")).toEqual({ status: 200, etag: '"1"', twin: "alive" });
  });

  it("blocks the page when its origin is not configured", { timeout: 90_000 }, async () => {
    const { secret, twin } = await twinOn(closed);
    page.serve(closed.url, twin, secret);
    expect(resultOf(await renderedDom(page.origin))).toBe("blocked: TypeError");
  });
});
