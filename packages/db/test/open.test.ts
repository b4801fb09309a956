import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../src/index.js";
import { openTestDatabase, testDialects } from "../src/testing.js";
import { anAccount, sleep } from "./fixtures.js";

const run = promisify(execFile);

/** Another process (like the CLI while the server runs) inserting one account into the file. */
async function insertFromAnotherProcess(path: string): Promise<void> {
  const script = `
    const db = new (require("better-sqlite3"))(process.argv[1]);
    db.pragma("busy_timeout = 5000");
    db.prepare("insert into accounts (id, name, address, public_key, private_key, created_at, updated_at) values (?, 'cli', ?, 'pk', 'sk', 1, 1)").run("cli-" + process.pid, "addr-" + process.pid);
    db.close();`;
  await run(process.execPath, ["-e", script, path], { cwd: fileURLToPath(new URL("..", import.meta.url)) });
}

const pragma = async (database: Database, name: string) => {
  const { rows } = await sql.raw<Record<string, unknown>>(`pragma ${name}`).execute(database.db);
  return Object.values(rows[0] ?? {})[0];
};

describe("openDatabase", () => {
  const cleanup: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "idhub-db-open-"));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  };
  const open = async (...args: Parameters<typeof openDatabase>) => {
    const database = await openDatabase(...args);
    cleanup.push(() => database.close());
    return database;
  };

  it("refuses unknown URL schemes without echoing the URL", async () => {
    const attempt = openDatabase("mysql://root:hunter2@localhost/idhub");
    await expect(attempt).rejects.toThrow(/Unsupported database URL scheme 'mysql:'/);
    await expect(attempt).rejects.not.toThrow(/hunter2/);
    await expect(openDatabase("./data/idhub.sqlite")).rejects.toThrow(/Unsupported database URL/);
    await expect(openDatabase("file:")).rejects.toThrow(/Invalid SQLite database URL/);
  });

  it("opens an in-memory SQLite database", async () => {
    const database = await open("file::memory:");
    expect(database.dialect).toBe("sqlite");
    await database.migrate();
    expect(await database.store.ping()).toBe(true);
    expect(await pragma(database, "journal_mode")).toBe("memory");
    expect(await pragma(database, "foreign_keys")).toBe(1);
  });

  it("creates the SQLite file's directory and sets WAL, NORMAL sync, foreign keys and busy timeout", async () => {
    const path = join(tempDir(), "nested", "dir", "idhub.sqlite");
    const database = await open(`file:${path}`);
    await database.migrate();
    expect(existsSync(path)).toBe(true);
    expect(await pragma(database, "journal_mode")).toBe("wal");
    expect(await pragma(database, "synchronous")).toBe(1);
    expect(await pragma(database, "foreign_keys")).toBe(1);
    expect(await pragma(database, "busy_timeout")).toBe(5000);
  });

  it("accepts file:// URLs and synchronous FULL", async () => {
    const path = join(tempDir(), "idhub.sqlite");
    const database = await open(`file://${path}`, { sqliteSync: "full" });
    expect(await pragma(database, "synchronous")).toBe(2);
    expect(await database.store.ping()).toBe(true);
    expect(existsSync(path)).toBe(true);
  });

  it("can be closed twice", async () => {
    const database = await openDatabase("file::memory:");
    await database.close();
    await database.close();
  });

  it("lets another process write the same SQLite file while a transaction reads then writes", async () => {
    const path = join(tempDir(), "shared.sqlite");
    const server = await open(`file:${path}`);
    await server.migrate();
    let cli: Promise<unknown> | undefined;
    // With a deferred BEGIN the other process's commit between this read and this write would
    // fail the write at once with SQLITE_BUSY; with BEGIN IMMEDIATE the other process waits.
    await server.store.transaction(async (tx) => {
      const before = await tx.accounts.count();
      cli = insertFromAnotherProcess(path);
      await sleep(300);
      await tx.accounts.insert(anAccount());
      return before;
    });
    await cli;
    expect(await server.store.read.accounts.count()).toBe(2);
  });
});

describe.skipIf(!testDialects.includes("postgres"))("openDatabase on PostgreSQL", () => {
  let database: Database | undefined;
  afterEach(async () => {
    await database?.close();
    database = undefined;
  });
  const url = process.env.IDHUB_TEST_PG_URL ?? "";

  it("returns bigint and count(*) as JS numbers", async () => {
    database = await openTestDatabase("postgres");
    expect(database.dialect).toBe("postgres");
    const { rows } = await sql<{ big: unknown; n: unknown }>`select 9007199254740991::bigint as big, count(*) as n from accounts`.execute(database.db);
    expect(rows[0]).toEqual({ big: 9007199254740991, n: 0 });
  });

  it("works in the given schema", async () => {
    database = await openTestDatabase("postgres");
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(database.db);
    expect(rows[0]?.schema).toMatch(/^t_[0-9a-f]{16}$/);
  });

  it("refuses bad schema names and a schema combined with an options= URL parameter", async () => {
    await expect(openDatabase(url, { pgSchema: "x; drop table y" })).rejects.toThrow(/Invalid PostgreSQL schema name/);
    const withOptions = `${url}${url.includes("?") ? "&" : "?"}options=-c%20statement_timeout%3D1000`;
    await expect(openDatabase(withOptions, { pgSchema: "t_x" })).rejects.toThrow(/options= URL parameter/);
  });

  it("drops the test schema on close", async () => {
    const opened = await openTestDatabase("postgres");
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(opened.db);
    const schema = rows[0]!.schema;
    await opened.close();
    database = await openTestDatabase("postgres");
    const left = await sql<{ n: number }>`select count(*) as n from pg_namespace where nspname = ${schema}`.execute(database.db);
    expect(left.rows[0]?.n).toBe(0);
  });
});
