import { openDatabase } from "@idhub/db";
import { testDialects } from "@idhub/db/testing";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { sharedDatabase, spawnServer, type ServerProcess, type SharedDatabase } from "../support/processes.js";
import { createTenants, Ledger, runLoad, verify } from "../support/workload.js";

// quality.md "Crash safety": SIGKILL the server in the middle of a write load, restart it; every
// write acknowledged with 2xx is present, the database opens cleanly, the invariants hold. On
// SQLite with synchronous=normal and full, and on PostgreSQL. Fixed sizes: 20 connections, the
// kill after 300 acknowledged writes. Duration: about 10–20 s per case (two process starts).
// (One of three processes behind the balancer is killed in haproxy.test.ts.)

const CONNECTIONS = 20;
const KILL_AFTER_WRITES = 300;

const cases: { name: string; dialect: "sqlite" | "postgres"; env: Record<string, string> }[] = [
  { name: "SQLite, synchronous=normal", dialect: "sqlite" as const, env: { IDHUB_SQLITE_SYNC: "normal" } },
  { name: "SQLite, synchronous=full", dialect: "sqlite" as const, env: { IDHUB_SQLITE_SYNC: "full" } },
  ...(testDialects.includes("postgres") ? [{ name: "PostgreSQL", dialect: "postgres" as const, env: {} }] : []),
];

describe.each(cases)("SIGKILL during a write load ($name)", ({ dialect, env }) => {
  let shared: SharedDatabase;
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.kill("SIGKILL");
    await shared?.drop();
  });

  it(`keeps every write acknowledged before a SIGKILL at ${KILL_AFTER_WRITES} acknowledged writes`, async () => {
    shared = await sharedDatabase(dialect);
    const processEnv: Record<string, string> = { IDHUB_DATABASE_URL: shared.url, ...env };
    server = await spawnServer(processEnv);
    const setup = await openDatabase(shared.url);
    const tenants = await createTenants(setup, 4);
    await setup.close();

    const ledger = new Ledger();
    let killed = false;
    const load = runLoad({
      baseUrl: server.url,
      tenants,
      connections: CONNECTIONS,
      maxRequests: 20_000,
      ops: ["twin", "identity", "metadata", "metadata"],
      ledger,
      stopWhen: () => killed,
    });
    while (ledger.acknowledgedWrites < KILL_AFTER_WRITES) await new Promise((r) => setTimeout(r, 5));
    killed = true; // the loops send nothing more: every failure below was in flight at the kill
    const exit = await server.kill("SIGKILL");
    await load;
    expect(exit.signal).toBe("SIGKILL");
    // Requests cut by the kill failed; nothing failed before it.
    expect(ledger.failures.every((f) => typeof f.outcome === "string")).toBe(true);
    expect(ledger.failures.length).toBeLessThanOrEqual(CONNECTIONS);

    // Restart on the same database: it opens (and migrates) cleanly and serves.
    server = await spawnServer(processEnv);
    const after = await openDatabase(shared.url);
    try {
      if (dialect === "sqlite") {
        const { rows } = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(after.db);
        expect(rows).toEqual([{ integrity_check: "ok" }]);
      }
      const { missing, violations } = await verify(after, ledger);
      expect(missing).toEqual([]);
      expect(violations).toEqual([]);
      console.log(`crash safety (${dialect} ${JSON.stringify(env)}): ${ledger.acknowledgedWrites} acknowledged writes kept, ${ledger.failures.length} cut by the kill`);
    } finally {
      await after.close();
    }
    // And it takes writes again.
    const more = await runLoad({ baseUrl: server.url, tenants, connections: 4, maxRequests: 40, ops: ["twin", "metadata"] });
    expect(more.failures).toEqual([]);
  });
});
