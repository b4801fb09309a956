import { execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { openDatabase } from "@idhub/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, waitUntilReady } from "../support/processes.js";

// `idhub start` (bin/idhub.js) runs what is built and never rebuilds: N processes started at once
// on one fresh database all come up (no "Cannot find module …/dist/cli.js"), migrate it once
// between them and bootstrap exactly one first account. Duration: a few seconds.

const ROOT = resolve(import.meta.dirname, "../../../..");
const BIN = join(ROOT, "apps/server/bin/idhub.js");
const N = 4;

describe("idhub start, N processes at once", () => {
  let dir: string;
  beforeAll(async () => {
    // What CI and `pnpm start` do before starting: build once (a no-op when nothing changed).
    await promisify(execFile)("pnpm", ["exec", "turbo", "run", "build", "--filter=@idhub/server...", "--output-logs=errors-only"], { cwd: ROOT });
    dir = await mkdtemp(join(tmpdir(), "idhub-start-together-"));
  }, 300_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it(`${N} processes started together all serve; one migrated and bootstrapped database`, async () => {
    const url = `file:${join(dir, "idhub.sqlite")}`;
    const ports = await Promise.all(Array.from({ length: N }, () => freePort()));
    const processes = ports.map((port) => {
      const child = spawn("node", [BIN, "start"], {
        cwd: dir,
        env: { ...process.env, PORT: String(port), IDHUB_DATABASE_URL: url, LOG_LEVEL: "warn" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout.on("data", (c) => (output += c));
      child.stderr.on("data", (c) => (output += c));
      const exited = new Promise((done) => child.once("exit", done));
      return { child, port, output: () => output, exited };
    });
    try {
      await Promise.all(processes.map((p) => waitUntilReady(`http://127.0.0.1:${p.port}`, p.exited, p.output, 30_000)));
      const outputs = processes.map((p) => p.output());
      expect(outputs.join("\n")).not.toMatch(/Cannot find module|ERR_MODULE_NOT_FOUND/);
      expect(outputs.filter((o) => o.includes("First start: created account")).length).toBe(1);
      const database = await openDatabase(url);
      try {
        expect(await database.db.selectFrom("accounts").select("id").execute()).toHaveLength(1);
        expect(await database.pendingMigrations()).toEqual([]);
      } finally {
        await database.close();
      }
    } finally {
      for (const p of processes) p.child.kill("SIGTERM");
      await Promise.all(processes.map((p) => p.exited));
    }
  });
});
