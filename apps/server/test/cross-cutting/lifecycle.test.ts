import { request, type IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { runUntilSignal } from "../../src/run.js";
import { startServer } from "../../src/server.js";
import { loadConfig } from "../../src/config.js";
import { startTestServer } from "../support/server.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A GET on a fresh connection (no pooled keep-alive socket to hide a closed listener). */
const freshGet = (url: string) =>
  new Promise<number>((resolve, reject) => {
    request(url, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    })
      .on("error", reject)
      .end();
  });

describe("graceful shutdown", () => {
  it("finishes a request in flight after close(), refuses new connections, then closes the database", async () => {
    const server = await startTestServer();
    const { secret, role } = await server.createAccount();
    expect(await freshGet(`${server.url}/health`)).toBe(200);

    const req = request(`${server.url}/users`, {
      method: "POST",
      agent: false,
      headers: { authorization: secret, "content-type": "application/json", "transfer-encoding": "chunked" },
    });
    const answered = new Promise<{ status: number; body: any }>((resolve, reject) => {
      req.on("response", (res: IncomingMessage) => {
        let text = "";
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
      });
      req.on("error", reject);
    });
    req.write('{"role": "');
    await sleep(100); // the server is now inside the handler, reading the body

    const closed = server.stop();
    await expect(freshGet(`${server.url}/health`)).rejects.toMatchObject({ code: "ECONNREFUSED" });
    req.end(`${role.id}", "name": "Late arrival"}`);

    const reply = await answered;
    expect(reply.status).toBe(201);
    expect(reply.body.name).toBe("Late arrival");
    await closed;
    expect(await server.database.store.ping().catch(() => false)).toBe(false);
  });

  it("does not wait for idle keep-alive connections", async () => {
    const server = await startTestServer();
    expect((await server.http("GET", "/health")).status).toBe(200); // fetch keeps the connection alive
    const started = performance.now();
    await server.stop();
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("runUntilSignal closes the server on the signal and resolves with it", async () => {
    const server = await startTestServer();
    const running = runUntilSignal(server, ["SIGUSR2"]);
    process.emit("SIGUSR2", "SIGUSR2");
    expect(await running).toBe("SIGUSR2");
    await expect(freshGet(`${server.url}/health`)).rejects.toMatchObject({ code: "ECONNREFUSED" });
    expect(process.listenerCount("SIGUSR2")).toBe(0);
    await server.stop();
  });
});

describe("first start", () => {
  it("bootstraps only an empty database", async () => {
    const first = await startTestServer();
    expect(first.printed.join("")).toContain(first.bootstrapSecret);
    const printed: string[] = [];
    const second = await startServer({
      config: loadConfig({ PORT: "0" }),
      logger: first.logger,
      database: first.database,
      stdout: { write: (text: string) => printed.push(text) },
      bootstrapSecretFile: "/nonexistent/never-written.txt",
    });
    expect(printed).toEqual([]);
    await second.close();
    await first.stop();
  });
});
