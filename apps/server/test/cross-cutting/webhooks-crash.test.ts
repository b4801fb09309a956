import { randomBytes } from "node:crypto";
import type { Core, Principal, Webhook } from "@idhub/core";
import { openDatabase, type Database } from "@idhub/db";
import { testDialects, type TestDialect } from "@idhub/db/testing";
import { afterEach, describe, expect, it } from "vitest";
import { coreFor } from "../../src/production-core.js";
import type { DeliveryAttempt } from "../../src/webhooks/index.js";
import { freePort, sharedDatabase, spawnServer, type ServerProcess } from "../support/processes.js";
import { accepted, startReceiver, type Receiver } from "../support/receiver.js";
import { expectSigned, FAST_WEBHOOKS } from "../support/webhooks.js";

// Webhook delivery across process deaths: `idhub start` child processes on one shared database (a
// SQLite file, or a PostgreSQL schema), SIGKILLed — no shutdown, leases left behind. Which process
// delivered what is read from each one's debug log ("webhook attempt" lines). About 10 s per case.

const KEY = randomBytes(32).toString("base64");

interface Shared {
  env: Record<string, string>;
  database: Database;
  core: Core;
  drop(): Promise<void>;
}

/** A database the test and its child servers share, with the same webhook key on every side. */
async function shared(dialect: TestDialect): Promise<Shared> {
  const db = await sharedDatabase(dialect);
  const env = { ...FAST_WEBHOOKS, IDHUB_DATABASE_URL: db.url, IDHUB_WEBHOOKS_KEY: KEY, LOG_LEVEL: "debug" };
  const database = await openDatabase(db.url);
  await database.migrate();
  const core = coreFor(database, { addressHost: "localhost", loginMaxFailures: 1_000, loginWindowMs: 60_000 }, { allowPrivate: true, secretKey: Buffer.from(KEY, "base64") });
  return { env, database, core, drop: async () => { await database.close(); await db.drop(); } };
}

/** The webhook attempts a server process logged so far. */
const attemptsOf = (server: ServerProcess): DeliveryAttempt[] =>
  server
    .output()
    .split("\n")
    .filter((line) => line.includes('"webhook attempt"'))
    .map((line) => JSON.parse(line) as DeliveryAttempt);

async function tenant(core: Core, name: string): Promise<Principal> {
  const { secret } = await core.admin.createAccount({ name });
  return core.access.authenticate({ secret, client: "test" });
}

const expectedIds = async (s: Shared, account: string, after: number) =>
  (await s.database.store.read.events.list(account, after, 10_000)).map((e) => e.id);

/** What a test started (servers, receivers, schemas), undone after it, last first; a failing step does not stop the rest. */
function cleanUpAfterEach(): Array<() => Promise<unknown>> {
  const steps: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const step of steps.splice(0).reverse()) await step().catch(() => undefined);
  });
  return steps;
}

describe.each(testDialects)("webhooks across SIGKILL (%s)", (dialect) => {
  const cleanup = cleanUpAfterEach();

  it("a receiver that is down while the server is SIGKILLed and restarted still gets everything", async () => {
    const s = await shared(dialect);
    cleanup.push(s.drop);
    const first = await spawnServer(s.env);
    cleanup.push(() => first.kill("SIGKILL"));
    const alice = await tenant(s.core, "alice");
    const port = await freePort(); // the receiver is down: connections are refused
    const { webhook, secret } = await s.core.webhooks.create(alice, { url: `http://127.0.0.1:${port}/hook` });
    for (let i = 0; i < 30; i++) await s.core.twins.create(alice, {});
    const deadline = Date.now() + 10_000;
    while (attemptsOf(first).length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(attemptsOf(first).length).toBeGreaterThanOrEqual(3); // it kept retrying, and failing
    expect(attemptsOf(first).every((a) => a.outcome === "failed")).toBe(true);

    await first.kill("SIGKILL");
    for (let i = 0; i < 10; i++) await s.core.twins.create(alice, {}); // written while no server runs
    const receiver: Receiver = await startReceiver(() => ({ status: 200 }), port);
    cleanup.push(() => receiver.close());
    const second = await spawnServer(s.env);
    cleanup.push(() => second.kill("SIGKILL"));

    const expected = await expectedIds(s, alice.account, webhook.delivery.position);
    expect(expected).toHaveLength(40);
    await receiver.until((r) => accepted(r).length >= 40, 20_000);
    expect(receiver.uniqueIds()).toEqual(expected);
    expect(accepted(receiver.received).map((r) => r.id)).toEqual(expected);
    expectSigned(receiver.received, secret);
  });

});

// PostgreSQL only: N processes on one database is what it is for (SQLite serves one process).
describe.each(testDialects.filter((d) => d === "postgres"))("webhooks with two server processes (%s)", (dialect) => {
  const cleanup = cleanUpAfterEach();

  it("two servers on one PostgreSQL: each event delivered by one of them, none lost when one is killed mid-run", async () => {
      const s = await shared(dialect);
      cleanup.push(s.drop);
      const env = { ...s.env, IDHUB_WEBHOOKS_CONCURRENCY: "2" }; // 4 webhooks: both processes get some
      const [p1, p2] = await Promise.all([spawnServer(env), spawnServer(env)]);
      cleanup.push(() => p1!.kill("SIGKILL"), () => p2!.kill("SIGKILL"));
      const receiver = await startReceiver(() => ({ status: 200, delayMs: 10 }));
      cleanup.push(() => receiver.close());

      const tenants = await Promise.all(["a", "b", "c", "d"].map((name) => tenant(s.core, name)));
      const hooks: Webhook[] = [];
      for (const [i, t] of tenants.entries()) {
        hooks.push((await s.core.webhooks.create(t, { url: `${receiver.url}/${i}` })).webhook);
      }
      // A 4-writer workload, one writer per account, while both servers deliver.
      const writing = Promise.all(tenants.map(async (t) => {
        for (let i = 0; i < 40; i++) await s.core.twins.create(t, {});
      }));
      await receiver.until((r) => r.length >= 40, 20_000);
      await p1!.kill("SIGKILL"); // mid-run: its leases stay behind until they expire
      const p1Attempts = attemptsOf(p1!);
      await writing;

      const expected = await Promise.all(tenants.map((t, i) => expectedIds(s, t.account, hooks[i]!.delivery.position)));
      const all = expected.flat();
      await receiver.until((r) => new Set(accepted(r).map((m) => m.id)).size >= all.length, 30_000);

      const byPath = (i: number) => receiver.received.filter((r) => r.json.data.account === tenants[i]!.account);
      for (const i of tenants.keys()) {
        // In order per webhook, none lost; a repeat only for a message in flight when p1 died.
        const ids = byPath(i).map((r) => r.id);
        expect([...new Set(ids)]).toEqual(expected[i]);
        expect(ids.length - new Set(ids).size).toBeLessThanOrEqual(1);
      }
      const deliveredBy = new Map<string, number>();
      for (const a of [...p1Attempts, ...attemptsOf(p2!)]) {
        if (a.outcome === "delivered") deliveredBy.set(a.messageId, (deliveredBy.get(a.messageId) ?? 0) + 1);
      }
      expect([...deliveredBy.values()].every((n) => n === 1)).toBe(true); // recorded by exactly one process
      console.info(`webhooks, two processes: ${all.length} events, ${receiver.received.length - all.length} resent after the kill, p1 delivered ${p1Attempts.filter((a) => a.outcome === "delivered").length}, p2 ${attemptsOf(p2!).filter((a) => a.outcome === "delivered").length}`);
      expect(p1Attempts.some((a) => a.outcome === "delivered")).toBe(true);
      expect(attemptsOf(p2!).some((a) => a.outcome === "delivered")).toBe(true);
      // p2 took over a webhook p1 had been delivering (its lease expired).
      const p1Hooks = new Set(p1Attempts.map((a) => a.webhook));
      expect(attemptsOf(p2!).some((a) => p1Hooks.has(a.webhook))).toBe(true);
  });
});
