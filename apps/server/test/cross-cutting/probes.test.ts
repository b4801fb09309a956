import { request } from "node:http";
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server.js";

// Health for orchestrators: /health/live, /health/ready (database, migrations, draining), served
// to balancers' HTTP/1.0 checks that send no Host header; draining turns readiness 503 first.

/** One raw HTTP exchange on a fresh socket; resolves with the whole answer as text. */
function raw(url: string, text: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(text));
    let answer = "";
    socket.on("data", (chunk) => (answer += chunk));
    socket.on("end", () => resolve(answer));
    socket.on("error", reject);
  });
}

const get = (url: string) =>
  new Promise<{ status: number; connection: string | undefined; body: any }>((resolve, reject) => {
    request(url, { agent: false }, (res) => {
      let text = "";
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, connection: res.headers.connection, body: JSON.parse(text) }));
    })
      .on("error", reject)
      .end();
  });

describe("health probes", () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it("/health/live and /health/ready answer 200 without authentication; /health keeps the Connector shape", async () => {
    server = await startTestServer();
    expect(await get(`${server.url}/health/live`)).toMatchObject({ status: 200, body: { status: "live" } });
    expect(await get(`${server.url}/health/ready`)).toMatchObject({
      status: 200,
      body: { status: "ready", checks: { database: true, migrations: true, draining: false } },
    });
    expect((await get(`${server.url}/health`)).body).toEqual({ isHealthy: true, services: { database: "healthy" } });
  });

  it("serves an HTTP/1.0 request without a Host header (a balancer's health check)", async () => {
    server = await startTestServer();
    for (const path of ["/health/ready", "/health", "/health/live"]) {
      const answer = await raw(server.url, `GET ${path} HTTP/1.0\r\n\r\n`);
      expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    }
    expect(await raw(server.url, "GET /health/ready HTTP/1.0\r\n\r\n")).toContain('"status":"ready"');
  });

  it("readiness is 503 when the database does not answer", async () => {
    server = await startTestServer();
    await server.database.close();
    expect(await get(`${server.url}/health/ready`)).toMatchObject({ status: 503, body: { status: "unready", checks: { database: false } } });
    expect((await get(`${server.url}/health/live`)).status).toBe(200);
  });

  it("draining: readiness 503 with Connection: close first, the request in flight finishes, then the port closes", async () => {
    server = await startTestServer("sqlite", { IDHUB_DRAIN_DELAY: "0.6" });
    const { secret, role } = await server.createAccount();
    const req = request(`${server.url}/users`, {
      method: "POST",
      agent: false,
      headers: { authorization: secret, "content-type": "application/json", "transfer-encoding": "chunked" },
    });
    const answered = new Promise<number>((resolve, reject) => {
      req.on("response", (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on("error", reject);
    });
    req.write('{"role": "');
    await new Promise((r) => setTimeout(r, 100)); // the handler is reading the body now

    const started = Date.now();
    const closed = server.close();
    const draining = await get(`${server.url}/health/ready`);
    expect(draining).toMatchObject({ status: 503, connection: "close", body: { checks: { draining: true } } });
    expect((await get(`${server.url}/health/live`)).status).toBe(200);
    req.end(`${role.id}", "name": "in flight"}`);
    expect(await answered).toBe(201);
    await closed;
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
    await expect(get(`${server.url}/health/live`)).rejects.toMatchObject({ code: "ECONNREFUSED" });
  });

  it("a request that never finishes is cut at the shutdown timeout", async () => {
    server = await startTestServer("sqlite", { IDHUB_SHUTDOWN_TIMEOUT: "0.5" });
    const { secret } = await server.createAccount();
    const req = request(`${server.url}/users`, {
      method: "POST",
      agent: false,
      headers: { authorization: secret, "content-type": "application/json", "transfer-encoding": "chunked" },
    });
    const failed = new Promise((resolve) => req.on("error", resolve));
    req.write("{");
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(await failed).toMatchObject({ code: expect.stringMatching(/ECONNRESET|socket hang up/) });
  });
});
