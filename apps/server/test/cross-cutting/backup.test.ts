import { existsSync } from "node:fs";
import { join } from "node:path";
import { openDatabase } from "@idhub/db";
import { testDialects } from "@idhub/db/testing";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { sharedDatabase, spawnServer, type ServerProcess, type SharedDatabase } from "../support/processes.js";
import { createTenants, Ledger, runLoad, verify } from "../support/workload.js";

// `idhub backup <file>` while a server takes writes, `idhub restore <file>` into an empty
// database: every write acknowledged before the backup began is in the restored copy, and the
// copy passes the invariant checks. Fixed size: 10 connections for 6 s. Duration: about 15 s.

async function cli(args: string[], env: Record<string, string>) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } }, {
    LOG_LEVEL: "silent",
    ...env,
  });
  return { code, stdout, stderr };
}

describe("backup and restore (SQLite)", () => {
  let source: SharedDatabase;
  let target: SharedDatabase;
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.kill("SIGKILL");
    await source?.drop();
    await target?.drop();
  });

  it("backs up under write load; the restore holds every write acknowledged before the backup began", async () => {
    source = await sharedDatabase("sqlite");
    target = await sharedDatabase("sqlite");
    server = await spawnServer({ IDHUB_DATABASE_URL: source.url });
    const setup = await openDatabase(source.url);
    const tenants = await createTenants(setup, 6);
    await setup.close();

    const ledger = new Ledger();
    const load = runLoad({ baseUrl: server.url, tenants, connections: 10, durationMs: 6_000, ledger });
    while (ledger.acknowledgedWrites < 200) await new Promise((r) => setTimeout(r, 10));
    const before = ledger.snapshot();
    const file = join(source.url.slice("file:".length), "../backup.sqlite");
    const backup = await cli(["backup", file, "--json"], { IDHUB_DATABASE_URL: source.url });
    expect(backup, backup.stderr).toMatchObject({ code: 0 });
    expect(JSON.parse(backup.stdout)).toEqual({ dialect: "sqlite", file });
    const afterBackup = ledger.acknowledgedWrites;
    await load;
    expect(ledger.failures).toEqual([]);
    expect(ledger.acknowledgedWrites).toBeGreaterThan(afterBackup); // the server kept writing meanwhile

    // A backup never overwrites.
    expect((await cli(["backup", file], { IDHUB_DATABASE_URL: source.url })).code).toBe(1);

    const restored = await cli(["restore", file], { IDHUB_DATABASE_URL: target.url });
    expect(restored, restored.stderr).toMatchObject({ code: 0 });
    const copy = await openDatabase(target.url);
    try {
      const { rows } = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(copy.db);
      expect(rows).toEqual([{ integrity_check: "ok" }]);
      expect(await copy.pendingMigrations()).toEqual([]);
      const { missing, violations } = await verify(copy, before);
      expect(missing).toEqual([]);
      expect(violations).toEqual([]);
      const accounts = (await copy.db.selectFrom("accounts").select("id").execute()).length;
      console.log(`backup under load: ${before.acknowledgedWrites} writes acknowledged before it began, all restored; ${ledger.acknowledgedWrites} in total`);

      // Restoring into a database that is not empty is refused and changes nothing.
      const again = await cli(["restore", file], { IDHUB_DATABASE_URL: target.url });
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/not empty/);
      expect((await copy.db.selectFrom("accounts").select("id").execute()).length).toBe(accounts);
    } finally {
      await copy.close();
    }
    // The restored database serves.
    const restoredServer = await spawnServer({ IDHUB_DATABASE_URL: target.url });
    try {
      const whoami = await fetch(`${restoredServer.url}/whoami`, { headers: { authorization: tenants[0]!.secret } });
      expect(whoami.status).toBe(200);
    } finally {
      await restoredServer.kill();
    }
  }, 120_000);

  it("restore refuses a file that is not an idhub backup, and a missing one", async () => {
    const empty = await sharedDatabase("sqlite");
    try {
      const notIdhub = join(empty.url.slice("file:".length), "../other.sqlite");
      const other = await openDatabase(`file:${notIdhub}`);
      await sql`create table x (y int)`.execute(other.db);
      await other.close();
      expect(await cli(["restore", notIdhub], { IDHUB_DATABASE_URL: empty.url })).toMatchObject({ code: 1, stderr: expect.stringMatching(/not an idhub database/) });
      expect(await cli(["restore", `${notIdhub}.missing`], { IDHUB_DATABASE_URL: empty.url })).toMatchObject({ code: 1 });
      expect(existsSync(empty.url.slice("file:".length))).toBe(false);
      expect(await cli(["restore"], { IDHUB_DATABASE_URL: empty.url })).toMatchObject({ code: 2 });
    } finally {
      await empty.drop();
    }
  });
});

describe.runIf(testDialects.includes("postgres"))("backup and restore (PostgreSQL)", () => {
  it("prints the pg_dump and pg_restore commands for the configured database and schema", async () => {
    const shared = await sharedDatabase("postgres");
    try {
      const schema = /search_path%3D(\w+)/.exec(shared.url)?.[1] ?? /search_path=(\w+)/.exec(decodeURIComponent(shared.url))?.[1];
      const backup = await cli(["backup", "/tmp/idhub.dump", "--json"], { IDHUB_DATABASE_URL: shared.url });
      expect(backup.code).toBe(0);
      const { command } = JSON.parse(backup.stdout);
      expect(command).toMatch(new RegExp(`^pg_dump --format=custom --schema=${schema} --file='/tmp/idhub.dump' 'postgres://`));
      const restore = await cli(["restore", "/tmp/idhub.dump"], { IDHUB_DATABASE_URL: shared.url });
      expect(restore.code).toBe(0);
      expect(restore.stdout).toMatch(/pg_restore --exit-on-error --no-owner --schema=\w+ --dbname='postgres:\/\/.*' '\/tmp\/idhub.dump'/);
    } finally {
      await shared.drop();
    }
  });
});
