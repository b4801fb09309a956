/**
 * Every server under test runs in its own child process (never in the harness's event loop), started
 * from its TypeScript source through tsx. The child reports readiness over the IPC channel with a
 * JSON message ({type: "ready", url, …}); the harness measures cold start independently by polling
 * /health from the moment of spawn.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { rssMb, treeCpuUs } from "./machine.js";

export const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)));

export interface SpawnOptions {
  name: string;
  /** Script path relative to bench/. */
  entry: string;
  env?: Record<string, string>;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeArgs?: string[];
  /** Resolve @idhub/* to their TypeScript sources (the working tree) instead of dist/. */
  sources?: boolean;
  /** Where the child's stdout (idhub's pino log) goes. */
  logFile: string;
  /** How long to wait for the ready message (the first tsx start transpiles the whole server). */
  readyTimeoutMs?: number;
}

export interface ServerHandle {
  name: string;
  pid: number;
  url: string;
  port: number;
  /** What the child sent with its ready message (accounts, secrets, …). */
  info: Record<string, unknown>;
  /** Spawn → first `GET /health` answered 200. */
  coldStartMs: number;
  /** CPU µs of the child's process tree so far. */
  cpuUs(): number;
  rssMb(): number | undefined;
  /** SIGTERM (graceful: the idhub child closes its server, and --cpu-prof writes its profile), SIGKILL after a grace. */
  stop(): Promise<void>;
}

/** A free loopback port (the child must know its port before it starts, for the cold-start poll). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const live = new Set<ChildProcess>();

/** Kills whatever is still running (Ctrl-C, a crash of the harness): only our own children, by pid. */
export function killAllChildren(): void {
  for (const child of live) {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function spawnServer(opts: SpawnOptions): Promise<ServerHandle> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const out = openSync(opts.logFile, "a");
  const args = [
    ...(opts.nodeArgs ?? []),
    "--import",
    "tsx",
    ...(opts.sources === false ? [] : ["--conditions=@idhub/source"]),
    join(BENCH_DIR, opts.entry),
  ];
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: BENCH_DIR, // `--import tsx` resolves from here
    env: { ...process.env, ...opts.env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", out, "pipe", "ipc"],
  });
  closeSync(out);
  live.add(child);
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString("utf8")).slice(-4000);
  });
  let exited: string | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      exited = `exited with ${signal ?? code}`;
      live.delete(child);
      resolve();
    }),
  );

  const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${opts.name}: no ready message after ${opts.readyTimeoutMs ?? 60_000} ms`)), opts.readyTimeoutMs ?? 60_000);
    child.on("message", (message: { type?: string; error?: string }) => {
      if (message.type === "ready") {
        clearTimeout(timer);
        resolve(message as Record<string, unknown>);
      } else if (message.type === "error") {
        clearTimeout(timer);
        reject(new Error(`${opts.name}: ${message.error}`));
      }
    });
    void exit.then(() => {
      clearTimeout(timer);
      reject(new Error(`${opts.name} ${exited} before it was ready:\n${stderr.trim()}`));
    });
  });
  ready.catch(() => undefined); // observed below

  // Cold start: poll /health from the moment of spawn until the first 200.
  let coldStartMs = Number.NaN;
  const poll = (async () => {
    while (exited === undefined) {
      try {
        const res = await fetch(`${url}/health`);
        await res.arrayBuffer();
        if (res.status === 200) {
          coldStartMs = performance.now() - spawnedAt;
          return;
        }
      } catch {
        // not listening yet
      }
      await sleep(5);
    }
  })();

  const stop = async () => {
    if (exited !== undefined) return;
    child.kill("SIGTERM");
    const timeout = sleep(20_000).then(() => "timeout");
    if ((await Promise.race([exit.then(() => "exit"), timeout])) === "timeout") {
      child.kill("SIGKILL");
      await exit;
    }
  };

  try {
    const info = await ready;
    await Promise.race([poll, sleep(10_000)]);
    return {
      name: opts.name,
      pid: child.pid!,
      url,
      port,
      info,
      coldStartMs,
      cpuUs: () => treeCpuUs(child.pid!),
      rssMb: () => rssMb(child.pid!),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
