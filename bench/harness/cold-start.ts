/**
 * Cold start as a user sees it (quality.md: "cold start to first served request ≤ 1 s"): the built
 * `idhub start` (apps/server/bin/idhub.js → dist/idhub.js, as fresh as the last `pnpm build`), spawned
 * with `node`, no tsx and no bench wrapper, timed from spawn until `GET /health/live` first answers
 * 200. Twice over: on a fresh SQLite file (migrations + first-account bootstrap included) and on an
 * existing, already migrated one (a restart). Also the CPU time the process had used by then
 * (utime+stime from /proc), which holds up on a busy machine better than wall time.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { treeCpuUs } from "./machine.js";
import { BENCH_DIR, freePort } from "./server-process.js";

export const IDHUB_BIN = join(BENCH_DIR, "../apps/server/bin/idhub.js");
export const IDHUB_BUILT = join(BENCH_DIR, "../apps/server/dist/idhub.js");

export interface ColdStartSample {
  ms: number;
  cpuMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One `idhub start` on `dir/idhub.sqlite`: spawn → first /health/live 200, then SIGTERM. */
export async function coldStartOnce(dir: string, env: Record<string, string> = {}): Promise<ColdStartSample> {
  const port = await freePort();
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [IDHUB_BIN, "start"], {
    cwd: dir, // the first start writes its bootstrap secret beside the database; nothing in the repo
    env: { ...process.env, NODE_ENV: "production", LOG_LEVEL: "warn", ...env, PORT: String(port), HOST: "127.0.0.1", IDHUB_DATABASE_URL: `file:${join(dir, "idhub.sqlite")}` },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString("utf8")).slice(-2000)));
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once("exit", () => ((exited = true), resolve())));
  try {
    const deadline = spawnedAt + 30_000;
    while (!exited && performance.now() < deadline) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/health/live`);
        await res.arrayBuffer();
        if (res.status === 200) return { ms: performance.now() - spawnedAt, cpuMs: treeCpuUs(child.pid!) / 1000 };
      } catch {
        // not listening yet
      }
      await sleep(2);
    }
    throw new Error(`idhub start ${exited ? "exited" : "did not answer within 30 s"}: ${stderr.trim()}`);
  } finally {
    if (!exited) child.kill("SIGTERM");
    await exit;
  }
}

export interface ColdStartResult {
  mode: string;
  ms: number[];
  cpuMs: number[];
  medianMs?: number;
  medianCpuMs?: number;
  error?: string;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? undefined : sorted[Math.floor(sorted.length / 2)];
};

/** `n` starts on fresh databases, then `n` restarts on one existing database. */
export async function measureColdStarts(root: string, n: number): Promise<ColdStartResult[]> {
  if (!existsSync(IDHUB_BUILT)) {
    const error = "apps/server is not built (run pnpm build)";
    return [{ mode: "fresh database", ms: [], cpuMs: [], error }, { mode: "existing database", ms: [], cpuMs: [], error }];
  }
  const results: ColdStartResult[] = [];
  const existing = mkdtempSync(join(root, "cold-existing-"));
  try {
    for (const mode of ["fresh database", "existing database"] as const) {
      const result: ColdStartResult = { mode, ms: [], cpuMs: [] };
      try {
        if (mode === "existing database") await coldStartOnce(existing); // creates and migrates it, not counted
        for (let i = 0; i < n; i++) {
          const dir = mode === "fresh database" ? mkdtempSync(join(root, "cold-fresh-")) : existing;
          try {
            const sample = await coldStartOnce(dir);
            result.ms.push(sample.ms);
            result.cpuMs.push(sample.cpuMs);
          } finally {
            if (dir !== existing) rmSync(dir, { recursive: true, force: true });
          }
        }
      } catch (error) {
        result.error = (error as Error).message.split("\n")[0];
      }
      result.medianMs = median(result.ms);
      result.medianCpuMs = median(result.cpuMs);
      results.push(result);
    }
  } finally {
    rmSync(existing, { recursive: true, force: true });
  }
  return results;
}
