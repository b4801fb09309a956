/**
 * What the machine is doing, read from /proc: how busy it is (to wait for quiet before a measured
 * run), and how much CPU a process tree or PostgreSQL spent (server CPU µs per request is the figure
 * that holds up best on a shared 2-core machine: wall-clock throughput moves with the neighbours'
 * load, CPU per request much less).
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/** USER_HZ: /proc reports CPU times in these ticks (100 on Linux almost everywhere). */
export const CLOCK_TICK_HZ: number = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

const TICK_US = 1_000_000 / CLOCK_TICK_HZ;

interface CpuSample {
  busy: number;
  total: number;
}

/** The aggregate `cpu` line of /proc/stat; idle + iowait count as not busy. */
function cpuSample(): CpuSample {
  const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0]!;
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already inside user/nice)
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  const notBusy = idle + iowait;
  const total = user + nice + system + idle + iowait + irq + softirq + steal;
  return { busy: total - notBusy, total };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Percentage of all cores busy over `windowMs`. */
export async function busyPercent(windowMs = 1000): Promise<number> {
  const a = cpuSample();
  await sleep(windowMs);
  const b = cpuSample();
  const total = b.total - a.total;
  return total > 0 ? (100 * (b.busy - a.busy)) / total : 0;
}

export interface QuietResult {
  /** True when a window under the threshold was seen before the cap. */
  quiet: boolean;
  /** Busy % of the last window measured. */
  busyPercent: number;
  waitedMs: number;
}

export interface QuietOptions {
  thresholdPercent: number;
  windowMs: number;
  /** Give up after this long and report "machine busy" rather than wait forever. */
  capMs: number;
  /** Progress lines, so a long wait is visible (other people's test suites run on this machine). */
  log: (line: string) => void;
}

/** Waits until the machine is quiet, or the cap passes. Never throws, never waits past the cap. */
export async function waitForQuiet(opts: QuietOptions): Promise<QuietResult> {
  const started = Date.now();
  let last = 0;
  for (let attempt = 0; ; attempt++) {
    last = await busyPercent(opts.windowMs);
    const waited = Date.now() - started;
    if (last < opts.thresholdPercent) return { quiet: true, busyPercent: last, waitedMs: waited };
    if (waited + opts.windowMs > opts.capMs) {
      opts.log(`machine busy: ${last.toFixed(0)}% after waiting ${(waited / 1000).toFixed(1)} s (cap ${opts.capMs / 1000} s) — measuring anyway, flagged`);
      return { quiet: false, busyPercent: last, waitedMs: waited };
    }
    if (attempt === 0 || attempt % 3 === 0) {
      opts.log(`waiting for a quiet machine: ${last.toFixed(0)}% busy (≥ ${opts.thresholdPercent}%), ${(waited / 1000).toFixed(1)} s of ${opts.capMs / 1000} s`);
    }
  }
}

/** Fields of /proc/<pid>/stat after the `(comm)` part, which may itself contain spaces. */
function statFields(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    return text.slice(text.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined; // the process is gone
  }
}

// Indexes into statFields (field numbers from proc(5) minus 3): ppid 4, utime 14, stime 15, cutime 16, cstime 17.
const PPID = 1;
const UTIME = 11;
const STIME = 12;
const CUTIME = 13;
const CSTIME = 14;

/** utime+stime of one process (all its threads: V8's GC and libuv's pool included), in µs. */
export function processCpuUs(pid: number, withReapedChildren = false): number {
  const f = statFields(pid);
  if (!f) return 0;
  let ticks = Number(f[UTIME]) + Number(f[STIME]);
  if (withReapedChildren) ticks += Number(f[CUTIME]) + Number(f[CSTIME]);
  return ticks * TICK_US;
}

function allPids(): number[] {
  return readdirSync("/proc").filter((name) => /^\d+$/.test(name)).map(Number);
}

/** The process and all its descendants (found through ppid, so grandchildren count too). */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const pid of allPids()) {
    const ppid = Number(statFields(pid)?.[PPID]);
    if (!Number.isFinite(ppid)) continue;
    const list = children.get(ppid) ?? [];
    list.push(pid);
    children.set(ppid, list);
  }
  const tree: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.pop()!;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/**
 * CPU of a process tree in µs, including children already reaped (cutime/cstime), so a helper that
 * exits during the run still counts.
 */
export function treeCpuUs(root: number): number {
  return processTree(root).reduce((sum, pid) => sum + processCpuUs(pid, true), 0);
}

/** Resident set size in MB (VmRSS), or undefined when the process is gone. */
export function rssMb(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
  } catch {
    return "";
  }
}

export interface PgCpuSample {
  /** Per-process CPU µs of the backends serving our database (their title names it). */
  backends: Map<number, number>;
  /** CPU µs of the cluster's shared helpers (WAL writer, checkpointer, …): they work for everyone. */
  shared: number;
}

/**
 * PostgreSQL's CPU, read like `pgrep -f postgres` would find it. A backend's title is
 * `postgres: 15/main: <user> <database> <client> <state>`, so our database's backends are told
 * apart from other people's (other engineers' test suites use the same cluster right now). A backend
 * that exits during a run takes its CPU with it (the postmaster's cutime mixes all databases), so
 * this is a lower bound; under steady load the pool keeps its connections and none exits.
 */
export function postgresCpu(database: string): PgCpuSample {
  const backends = new Map<number, number>();
  let shared = 0;
  for (const pid of allPids()) {
    const cmd = cmdline(pid);
    if (!cmd.includes("postgres")) continue;
    if (!cmd.startsWith("postgres:")) continue;
    const words = cmd.split(/\s+/);
    // postgres: 15/main: <user> <database> …  vs  postgres: 15/main: walwriter
    if (words.includes(database)) backends.set(pid, processCpuUs(pid));
    else if (/(walwriter|checkpointer|background writer|autovacuum launcher|logical replication)/.test(cmd)) shared += processCpuUs(pid);
  }
  return { backends, shared };
}

/** CPU µs PostgreSQL spent for us between two samples: our backends plus the shared helpers. */
export function postgresCpuDelta(before: PgCpuSample, after: PgCpuSample): { backendsUs: number; sharedUs: number } {
  let backendsUs = 0;
  for (const [pid, us] of after.backends) backendsUs += us - (before.backends.get(pid) ?? 0);
  return { backendsUs, sharedUs: after.shared - before.shared };
}
