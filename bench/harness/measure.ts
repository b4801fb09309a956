/**
 * One case's measurement: warm both servers up, then interleave baseline and case runs (baseline,
 * case, baseline, case, …) so that slow drifts of the shared machine hit both alike, wait for a
 * quiet machine before each run, and record per run: req/s, p50, p99 and server CPU µs per request
 * (the server process tree's utime+stime from /proc, plus PostgreSQL's backends when used).
 */
import { waitForQuiet, postgresCpu, postgresCpuDelta, type QuietResult } from "./machine.js";
import { runLoad, type LoadResult, type LoadTarget, type RequestSpec } from "./load.js";
import type { ServerHandle } from "./server-process.js";

export interface Settings {
  reps: number;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  quiet: { thresholdPercent: number; windowMs: number; capMs: number };
  tool: "wrk" | "autocannon";
  log: (line: string) => void;
}

/** One side of a comparison: where the load goes, what it sends, whose CPU counts. */
export interface Side {
  label: string;
  spec: RequestSpec;
  targets: LoadTarget[];
  servers: ServerHandle[];
  /** Items (upserts) per request: 50 for a tRPC batch of 50. */
  items: number;
  /** PostgreSQL database whose backends' CPU counts too. */
  pgDatabase?: string;
}

export interface Run {
  rep: number;
  role: "baseline" | "case";
  load: LoadResult;
  serverCpuUs: number;
  pgBackendsCpuUs?: number;
  pgSharedCpuUs?: number;
  /** (server + PostgreSQL) CPU µs per request. */
  cpuUsPerRequest: number;
  quiet: QuietResult;
  /** When the load ran, in µs of the monotonic clock (the clock V8's CPU profiles use too). */
  window: [number, number];
}

/** Now, in µs of CLOCK_MONOTONIC: comparable with a .cpuprofile's sample times from another process. */
export const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

let seedCounter = 0;
/** Every run gets fresh values: runs must never repeat a value already stored. */
const nextSeed = () => ++seedCounter * 100_000_000;

async function measureOnce(side: Side, role: Run["role"], rep: number, settings: Settings): Promise<Run> {
  const quiet = await waitForQuiet({ ...settings.quiet, log: settings.log });
  const cpuBefore = side.servers.reduce((sum, s) => sum + s.cpuUs(), 0);
  const pgBefore = side.pgDatabase ? postgresCpu(side.pgDatabase) : undefined;
  const startUs = monotonicUs();
  const load = await runLoad({ targets: side.targets, spec: side.spec, seconds: settings.seconds, seed: nextSeed(), tool: settings.tool });
  const window: [number, number] = [startUs, monotonicUs()];
  const serverCpuUs = side.servers.reduce((sum, s) => sum + s.cpuUs(), 0) - cpuBefore;
  const pg = pgBefore && side.pgDatabase ? postgresCpuDelta(pgBefore, postgresCpu(side.pgDatabase)) : undefined;
  const totalCpu = serverCpuUs + (pg ? pg.backendsUs + pg.sharedUs : 0);
  const run: Run = {
    rep,
    role,
    load,
    serverCpuUs,
    ...(pg ? { pgBackendsCpuUs: pg.backendsUs, pgSharedCpuUs: pg.sharedUs } : {}),
    cpuUsPerRequest: totalCpu / Math.max(load.requests, 1),
    quiet,
    window,
  };
  const bad =
    load.non2xx + load.socketErrors > 0 ? `  !! ${load.non2xx} non-2xx, ${load.socketErrors} socket errors (${load.timeouts} timeouts > 5 s)` : "";
  settings.log(
    `  ${role.padEnd(8)} rep ${rep}: ${fmt(load.rps * side.items)} ${side.items > 1 ? "upserts" : "req"}/s, p50 ${load.p50Ms.toFixed(2)} ms, ` +
      `p99 ${load.p99Ms.toFixed(2)} ms, ${run.cpuUsPerRequest.toFixed(0)} CPU µs/req${quiet.quiet ? "" : `  [machine busy ${quiet.busyPercent.toFixed(0)}%]`}${bad}`,
  );
  return run;
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

const warmedUp = new Set<string>();

/**
 * Warm-up (unmeasured), then `reps` interleaved pairs. The baseline server lives through the whole
 * suite, so each of its loads is warmed up once; every case's server is new and always warmed up.
 */
export async function compare(baseline: Side, subject: Side, settings: Settings): Promise<Run[]> {
  const baselineKey = `${baseline.targets[0]!.url} ${baseline.spec.method} ${baseline.spec.path}`;
  for (const side of warmedUp.has(baselineKey) ? [subject] : [baseline, subject]) {
    // JIT, SQLite page cache, pool connections, keep-alive sockets: none of that belongs in a measurement.
    await runLoad({ targets: side.targets, spec: side.spec, seconds: settings.warmupSeconds, seed: nextSeed(), tool: settings.tool });
  }
  warmedUp.add(baselineKey);
  const runs: Run[] = [];
  for (let rep = 1; rep <= settings.reps; rep++) {
    runs.push(await measureOnce(baseline, "baseline", rep, settings));
    runs.push(await measureOnce(subject, "case", rep, settings));
  }
  return runs;
}

export const median = (values: number[]): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
