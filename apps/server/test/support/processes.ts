import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createTestSchema } from "@idhub/db/testing";

// Server *processes* for the scale-out and crash suites. They run the CLI from source through tsx
// (never a concurrent rebuild of dist/), on a database the test owns.

const SERVER_DIR = resolve(import.meta.dirname, "../..");

export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything the process wrote to stdout/stderr so far. */
  output(): string;
  /** Resolves with the exit code/signal once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A free TCP port on 127.0.0.1 (closed again, so a server can take it). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolvePort(port));
    });
  });
}

/** `idhub start` as a child process on `port`; resolves once /health/ready answers 200. */
export async function spawnServer(env: Record<string, string>, port?: number): Promise<ServerProcess> {
  const chosen = port ?? (await freePort());
  const child = spawn("node", ["--conditions=@idhub/source", "--import", "tsx", "src/cli.ts", "start"], {
    cwd: SERVER_DIR,
    env: { ...process.env, LOG_LEVEL: "warn", HOST: "127.0.0.1", ...env, PORT: String(chosen) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once("exit", (code, signal) => done({ code, signal })),
  );
  const url = `http://127.0.0.1:${chosen}`;
  const proc: ServerProcess = {
    url,
    port: chosen,
    child,
    output: () => output,
    exited,
    kill: (signal = "SIGTERM") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  await waitUntilReady(url, exited, () => output);
  return proc;
}

export async function waitUntilReady(url: string, exited: Promise<unknown>, output: () => string, timeoutMs = 60_000): Promise<void> {
  let ended = false;
  void exited.then(() => (ended = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (ended) throw new Error(`server exited before it was ready:\n${output()}`);
    try {
      const response = await fetch(`${url}/health/ready`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server not ready after ${timeoutMs} ms:\n${output()}`);
}

export interface SharedDatabase {
  /** IDHUB_DATABASE_URL for the child processes. */
  url: string;
  dialect: "sqlite" | "postgres";
  /** Removes the file / drops the schema. */
  drop(): Promise<void>;
}

/**
 * A database several server processes share: a fresh SQLite file, or a fresh PostgreSQL schema on
 * IDHUB_TEST_PG_URL, named in the URL (`options=-c search_path=…`) so every child works in it.
 */
export async function sharedDatabase(dialect: "sqlite" | "postgres"): Promise<SharedDatabase> {
  if (dialect === "sqlite") {
    const dir = await mkdtemp(join(tmpdir(), "idhub-procs-"));
    return { dialect, url: `file:${join(dir, "idhub.sqlite")}`, drop: () => rm(dir, { recursive: true, force: true }) };
  }
  const { url, drop } = await createTestSchema();
  return { dialect, url, drop };
}
