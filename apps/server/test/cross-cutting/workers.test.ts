import { openDatabase } from "@idhub/db";
import { afterAll, describe, expect, it } from "vitest";
import { sharedDatabase, spawnServer, type ServerProcess, type SharedDatabase } from "../support/processes.js";
import { createTenants, Ledger, runLoad } from "../support/workload.js";

// IDHUB_WORKERS=2 on SQLite (node:cluster): the primary migrates and bootstraps once, two workers
// serve the one port, a killed worker is replaced, writes through both are correct (200 concurrent
// first upserts of one key: one row), and SIGTERM drains every worker: no request in flight is
// reset or answered 5xx, and readiness was 503 before the exit. Duration: about 20–30 s.

const DRAIN_DELAY_MS = 1_000;

const workerPids = (output: string) =>
  [...output.matchAll(/"pid":(\d+),"msg":"worker online"/g)].map((m) => Number(m[1]));

describe("IDHUB_WORKERS=2 on SQLite", () => {
  let shared: SharedDatabase;
  let cluster: ServerProcess;
  afterAll(async () => {
    await cluster?.kill("SIGKILL");
    await shared?.drop();
  });

  it("bootstraps once, replaces a dead worker, keeps one row under 200 concurrent upserts, drains on SIGTERM", async () => {
    shared = await sharedDatabase("sqlite");
    cluster = await spawnServer({ IDHUB_DATABASE_URL: shared.url, IDHUB_WORKERS: "2", LOG_LEVEL: "info", IDHUB_DRAIN_DELAY: String(DRAIN_DELAY_MS / 1000) });
    const deadline = Date.now() + 30_000;
    while (workerPids(cluster.output()).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const [first, second] = workerPids(cluster.output());
    expect(second).toBeDefined();
    expect(cluster.output().match(/First start: created account/g)).toHaveLength(1);
    expect(cluster.output().match(/"role":"primary".*"msg":"first start/g)).toHaveLength(1);

    const database = await openDatabase(shared.url);
    const [tenant] = await createTenants(database, 1);
    try {
      expect(await database.db.selectFrom("accounts").select("id").execute()).toHaveLength(2); // bootstrap + tenant

      // A worker that dies is replaced; the port keeps serving meanwhile.
      process.kill(first!, "SIGKILL");
      while (workerPids(cluster.output()).length < 3 && Date.now() < deadline + 30_000) await new Promise((r) => setTimeout(r, 100));
      expect(workerPids(cluster.output())).toHaveLength(3);
      expect(cluster.output()).toMatch(/worker died: replacing it/);

      const replies = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          fetch(`${cluster.url}/api/core/v1/IdentityMetadata`, {
            method: "PUT",
            headers: { authorization: tenant!.secret, "content-type": "application/json" },
            body: JSON.stringify({ reference: tenant!.address, key: "race", value: { i } }),
          }).then((r) => r.status),
        ),
      );
      expect(replies.filter((s) => s !== 200)).toEqual([]);
      const rows = await database.db.selectFrom("identity_metadata").select("version").where("owner", "=", tenant!.account).execute();
      expect(rows).toHaveLength(1);
      expect(Number(rows[0]!.version)).toBe(200);

      // SIGTERM under load: readiness turns 503 first; every request in flight completes.
      const ledger = new Ledger();
      const stopped = () => cluster.child.exitCode !== null || cluster.child.signalCode !== null;
      const load = runLoad({ baseUrl: cluster.url, tenants: [tenant!], connections: 10, durationMs: 8_000, ops: ["twin", "metadata", "read"], ledger, stopWhen: stopped });
      await new Promise((r) => setTimeout(r, 1_500));
      const readiness: number[] = [];
      const poll = (async () => {
        while (cluster.child.exitCode === null) {
          readiness.push(await fetch(`${cluster.url}/health/ready`).then((r) => r.status, () => 0));
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
      const signalledAt = Date.now();
      cluster.child.kill("SIGTERM");
      const exit = await cluster.exited;
      const stoppedIn = Date.now() - signalledAt;
      await Promise.all([load, poll]);
      expect(exit.code).toBe(0);
      expect(stoppedIn).toBeLessThan(10_000 + 2_000);
      // Readiness said 503 before the port closed (0 = connection refused).
      const firstUnready = readiness.indexOf(503);
      const firstRefused = readiness.indexOf(0);
      expect(firstUnready).toBeGreaterThanOrEqual(0);
      if (firstRefused >= 0) expect(firstUnready).toBeLessThan(firstRefused);
      // No request in flight at SIGTERM, nor sent during the drain delay, failed; nothing got a 5xx.
      // Only requests sent once the port was closing failed to connect (refused, or reset/closed when the
      // kernel drops a connection the closing listener never accepted).
      expect(ledger.failures.filter((f) => typeof f.outcome === "number")).toEqual([]);
      expect(ledger.failures.filter((f) => f.startedAt < signalledAt + DRAIN_DELAY_MS)).toEqual([]);
      for (const f of ledger.failures) expect(f.outcome).toMatch(/^(ECONNREFUSED|ECONNRESET|UND_ERR_SOCKET)$/);
      expect(ledger.acknowledged).toBeGreaterThan(0);
      console.log(`workers: SIGTERM under load: ${ledger.acknowledged} answered, ${ledger.failures.length} refused once the port closed, stopped in ${stoppedIn} ms`);
    } finally {
      await database.close();
    }
  }, 120_000);
});
