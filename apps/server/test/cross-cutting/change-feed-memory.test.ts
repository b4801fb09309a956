import { request } from "node:http";
import { connect, type Socket } from "node:net";
import { SUBSCRIBER_BUFFER } from "@idhub/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccounts } from "../support/harness-core.js";
import { readFileSync } from "node:fs";
import { sharedDatabase, spawnServer, type ServerProcess, type SharedDatabase } from "../support/processes.js";
import { withServer } from "../support/server.js";
import { contractFetch } from "../support/http.js";

// What open subscriptions cost the server. The buffer logic lives in core and does not depend on
// the dialect, so these run on SQLite only.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Resident memory of a process in kB (Linux /proc). */
const rssKb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]);
const subscribePath = (input: object) => `/trpc/events.subscribe?input=${encodeURIComponent(JSON.stringify(input))}`;

/** An SSE subscription over a plain HTTP request; `text` grows as the stream arrives. */
function openStream(url: string, secret: string, input: object) {
  const state = { text: "", connected: false, closed: false };
  const req = request(url + subscribePath(input), { agent: false, headers: { authorization: secret } }, (res) => {
    res.setEncoding("utf8");
    res.on("data", (chunk: string) => {
      state.text += chunk;
      if (state.text.includes("event: connected")) state.connected = true;
    });
    res.on("close", () => (state.closed = true));
  });
  req.on("error", () => (state.closed = true));
  req.end();
  return { state, close: () => req.destroy() };
}

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

describe("1,000 idle subscriptions on one server process", () => {
  let database: SharedDatabase;
  let server: ServerProcess;
  beforeAll(async () => {
    database = await sharedDatabase("sqlite");
    server = await spawnServer({ IDHUB_DATABASE_URL: database.url });
  });
  afterAll(async () => {
    await server?.kill("SIGKILL");
    await database?.drop();
  });

  it("cost a bounded amount of memory, and each still gets the next event", async () => {
    const accounts = await createAccounts(database.url, Array.from({ length: 10 }, (_, i) => `idle ${i}`));
    // Warm up the code paths once, so the baseline is not the cost of loading them.
    const warm = openStream(server.url, accounts[0]!.secret, { after: 0 });
    await waitFor(() => warm.state.connected, 10_000, "warm-up stream");
    warm.close();
    await sleep(500);
    const before = rssKb(server.child.pid!);

    const streams = Array.from({ length: 1_000 }, (_, i) => openStream(server.url, accounts[i % 10]!.secret, { after: 0, types: ["twin.created"] }));
    await waitFor(() => streams.every((s) => s.state.connected), 60_000, "1,000 streams to connect");
    await sleep(1_000);
    const after = rssKb(server.child.pid!);
    const perSubscriptionKb = (after - before) / 1_000;
    console.info(
      `1,000 idle subscriptions: server RSS ${(before / 1024).toFixed(1)} MB → ${(after / 1024).toFixed(1)} MB, ${perSubscriptionKb.toFixed(1)} kB per subscription`,
    );
    expect(perSubscriptionKb).toBeLessThan(100);
    expect(streams.some((s) => s.state.closed)).toBe(false);

    // They are idle, not dead: one event per account reaches all 1,000.
    const live = streams;
    const started = performance.now();
    for (const account of accounts) {
      const created = await contractFetch(`${server.url}/twins`, { method: "POST", headers: { authorization: account.secret }, body: "{}" });
      expect(created.status).toBe(201);
    }
    await waitFor(() => live.every((s) => s.state.text.includes('"type":"twin.created"')), 20_000, "the event on all 1,000 streams");
    console.info(`one event per account reached 1,000 subscribers in ${(performance.now() - started).toFixed(0)} ms`);
    for (const s of live) s.close();
  }, 180_000);
});

describe("a consumer that never reads", () => {
  const fx = withServer();

  it("is held to its buffer and then dropped with a retryable error, instead of growing the server's memory", async () => {
    const a = await fx.server.createAccount();
    const principal = await fx.server.core.access.authenticate({ secret: a.secret, client: "test" });
    const twin = await fx.server.core.twins.create(principal, {});
    const head = (await fx.server.core.events.list(principal, { after: 0, limit: 500 })).next;

    // A raw socket that sends the request and then never reads a byte.
    const { port } = new URL(fx.server.url);
    const socket: Socket = connect(Number(port), "127.0.0.1");
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.pause();
    socket.write(`GET ${subscribePath({ after: head })} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${a.secret}\r\n\r\n`);
    await waitFor(() => fx.server.core.events.subscriptionStats().subscriptions === 1, 5_000, "the subscription to open");

    const rssBefore = process.memoryUsage().rss;
    let maxBuffered = 0;
    let written = 0;
    const longName = (i: number, j: number) => `LONG${i % 10}#${String(j).padStart(4, "0")}${"x".repeat(120)}${i}`;
    // A fresh twin every 9 batches keeps each twin under the default identities-per-twin quota (1,000).
    let target = twin;
    for (let i = 0; i < 600 && fx.server.core.events.subscriptionStats().subscriptions > 0; i++) {
      if (i > 0 && i % 9 === 0) target = await fx.server.core.twins.create(principal, {});
      await fx.server.core.identities.create(principal, { twin: target.id, identities: Array.from({ length: 100 }, (_, j) => ({ name: longName(i, j) })) });
      written += 100;
      maxBuffered = Math.max(maxBuffered, fx.server.core.events.subscriptionStats().buffered);
      await sleep(1);
    }
    const rssGrowthMb = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
    const stats = fx.server.core.events.subscriptionStats();
    console.info(
      `never-reading consumer: dropped after ${written} events; at most ${maxBuffered} events buffered (limit ${SUBSCRIBER_BUFFER}); test process RSS +${rssGrowthMb.toFixed(1)} MB over the burst`,
    );
    expect(stats.subscriptions).toBe(0); // dropped while its socket is still open and unread
    expect(maxBuffered).toBeLessThanOrEqual(SUBSCRIBER_BUFFER);

    // Reading now, the consumer finds what the kernel held, then the retryable end of the stream.
    socket.resume();
    let text = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (text += chunk));
    await waitFor(() => text.includes("event: serialized-error"), 20_000, "the end of the stream");
    socket.destroy();
    expect(text).toContain('"code":"SERVICE_UNAVAILABLE"');
    expect(text).toContain("fell too far behind");
    const received = (text.match(/\nid: \d+\n/g) ?? []).length;
    console.info(`…it had received ${received} of ${written} events before the end`);
    expect(received).toBeLessThan(written);
  }, 120_000);
});
