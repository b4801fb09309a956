/**
 * The load generator, always a separate process so it never shares an event loop with a server:
 * wrk (Debian package; C, one thread drives 50 connections with little CPU) or, when wrk cannot be
 * had, autocannon in a child node process. Both generate every request from the same small template
 * language so that the written value changes on every request: SQLite skips identical writes
 * (architecture.md), a benchmark that repeats one body measures nothing.
 *
 * Template variables, per request (or per batch item):
 *   {{i}}   unique item number of this run (request number × batch size + item index)
 *   {{n}}   seed + i: the varying value (the seed differs between runs, so runs never repeat values)
 *   {{k}}   i mod keys: the cycling key number (10k distinct keys)
 *   {{j}}   index of the item inside a batch (0 for single requests)
 *   {{t}}   table[floor(k / group) mod table length]: e.g. the twin that owns identity k
 *   {{fut}} a future epoch-seconds timestamp that varies with n
 *   {{a}}   the address of the request's account, with `accounts` (all items of a batch share it)
 *
 * With `accounts`, request r is sent as account r mod N: its secret in `accounts.header`, its
 * address as {{a}} (writes spread over N accounts, as quality.md's case 5 asks for).
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface RequestSpec {
  method: string;
  /** Path template (may use the variables; identical for all items of a batch). */
  path: string;
  headers: Record<string, string>;
  /** Body template of one item; absent for bodyless requests. */
  body?: string;
  /** Number of distinct keys {{k}} cycles through. */
  keys: number;
  /** Items per request: > 1 joins `count` rendered bodies with ",", wrapped in prefix/suffix. */
  batch?: { count: number; prefix: string; suffix: string };
  table?: { values: string[]; group: number };
  /** Rotate the caller over these accounts, one per request (secrets[i] goes with addresses[i]). */
  accounts?: { header: string; secrets: string[]; addresses: string[] };
}

export interface LoadTarget {
  url: string; // http://127.0.0.1:port
  connections: number;
}

export interface LoadResult {
  tool: "wrk" | "autocannon";
  requests: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  /** With several targets, the worst target's p99 (percentiles cannot be merged exactly). */
  p99Ms: number;
  /** Answers outside 2xx/3xx, and socket errors/timeouts: a clean run has none. */
  non2xx: number;
  socketErrors: number;
  /** Requests not answered within the generator's 5 s timeout (included in socketErrors). */
  timeouts: number;
}

/** A far-future base for {{fut}}: 2100-01-01 in epoch seconds. */
const FUTURE_BASE = 4_102_444_800;

const here = dirname(fileURLToPath(import.meta.url));

let chosen: "wrk" | "autocannon" | undefined;

/**
 * wrk if present; else, when running as root with apt, install it (Debian package `wrk`); else
 * autocannon (a bench dependency). `prefer` forces one (for comparing the two).
 */
export function loadTool(log: (line: string) => void, prefer?: "wrk" | "autocannon"): "wrk" | "autocannon" {
  if (prefer) return (chosen = prefer);
  if (chosen) return chosen;
  const hasWrk = () => spawnSync("wrk", ["--version"], { stdio: "ignore" }).error === undefined;
  if (hasWrk()) return (chosen = "wrk");
  if (process.getuid?.() === 0 && existsSync("/usr/bin/apt-get")) {
    log("wrk not found: installing the Debian package (apt-get install -y wrk)…");
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    let result = spawnSync("apt-get", ["install", "-y", "-q", "wrk"], { stdio: "ignore", env, timeout: 180_000 });
    if (result.status !== 0) {
      // A fresh machine may have no package lists yet.
      spawnSync("apt-get", ["update", "-q"], { stdio: "ignore", env, timeout: 180_000 });
      result = spawnSync("apt-get", ["install", "-y", "-q", "wrk"], { stdio: "ignore", env, timeout: 180_000 });
    }
    if (hasWrk()) return (chosen = "wrk");
    log("could not install wrk: falling back to autocannon");
  } else {
    log("wrk not found (and not root to install it): falling back to autocannon");
  }
  return (chosen = "autocannon");
}

export function wrkVersion(): string | undefined {
  try {
    // wrk --version prints its banner and exits 1.
    // "wrk debian/4.1.0-3+b2 [epoll] Copyright (C) 2012 Will Glozer": keep name and version.
    return spawnSync("wrk", ["--version"], { encoding: "utf8" }).stdout.split("\n")[0]?.split(" [")[0]?.trim();
  } catch {
    return undefined;
  }
}

export interface LoadOptions {
  targets: LoadTarget[];
  spec: RequestSpec;
  seconds: number;
  /** Added to every {{n}}: give each run its own so values never repeat between runs. */
  seed: number;
  tool: "wrk" | "autocannon";
}

/** Runs one load (one generator process per target, in parallel) and sums the results. */
export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const results = await Promise.all(
    opts.targets.map((target, index) =>
      opts.tool === "wrk"
        ? runWrk(target, opts.spec, opts.seconds, opts.seed + index * 1_000_000_000)
        : runAutocannon(target, opts.spec, opts.seconds, opts.seed + index * 1_000_000_000),
    ),
  );
  const requests = results.reduce((sum, r) => sum + r.requests, 0);
  const seconds = Math.max(...results.map((r) => r.seconds));
  return {
    tool: opts.tool,
    requests,
    seconds,
    rps: results.reduce((sum, r) => sum + r.rps, 0),
    p50Ms: results.reduce((sum, r) => sum + r.p50Ms * r.requests, 0) / Math.max(requests, 1),
    p99Ms: Math.max(...results.map((r) => r.p99Ms)),
    non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
    socketErrors: results.reduce((sum, r) => sum + r.socketErrors, 0),
    timeouts: results.reduce((sum, r) => sum + r.timeouts, 0),
  };
}

// --- wrk -------------------------------------------------------------------------------------

const luaString = (s: string) => JSON.stringify(s); // JSON string escapes are valid Lua escapes for our ASCII templates

/** The Lua script: compiles the templates once per thread, renders one request per call. */
function wrkScript(spec: RequestSpec, seed: number, threads: number): string {
  const headers = Object.entries(spec.headers)
    .map(([name, value]) => `[${luaString(name)}] = ${luaString(value)}`)
    .join(", ");
  const table = (spec.table?.values ?? []).map(luaString).join(",\n");
  return `
-- generated by bench/harness/load.ts
local SEED, KEYS, THREADS, FUTURE = ${seed}, ${spec.keys}, ${threads}, ${FUTURE_BASE}
local COUNT, GROUP = ${spec.batch?.count ?? 1}, ${spec.table?.group ?? 1}
local PREFIX, SUFFIX = ${luaString(spec.batch?.prefix ?? "")}, ${luaString(spec.batch?.suffix ?? "")}
local METHOD, HEADERS = ${luaString(spec.method)}, { ${headers} }
local TABLE = {
${table}
}
local ACCOUNT_HEADER = ${luaString(spec.accounts?.header ?? "")}
local SECRETS = { ${(spec.accounts?.secrets ?? []).map(luaString).join(", ")} }
local ADDRESSES = { ${(spec.accounts?.addresses ?? []).map(luaString).join(", ")} }

local function compile(s)
  local parts, pos = {}, 1
  while true do
    local a, b, name = string.find(s, "{{(%w+)}}", pos)
    if not a then
      if pos <= #s then parts[#parts + 1] = { lit = string.sub(s, pos) } end
      return parts
    end
    if a > pos then parts[#parts + 1] = { lit = string.sub(s, pos, a - 1) } end
    parts[#parts + 1] = { var = name }
    pos = b + 1
  end
end

local PATH = compile(${luaString(spec.path)})
local BODY = ${spec.body === undefined ? "nil" : `compile(${luaString(spec.body)})`}

local function render(parts, v, out)
  for _, p in ipairs(parts) do
    if p.lit then out[#out + 1] = p.lit else out[#out + 1] = v[p.var] end
  end
end

local function vars(i, j, a)
  local k = i % KEYS
  local n = SEED + i
  local t = ""
  if #TABLE > 0 then t = TABLE[(math.floor(k / GROUP) % #TABLE) + 1] end
  return { i = string.format("%d", i), n = string.format("%d", n), k = string.format("%d", k),
           j = string.format("%d", j), t = t, fut = string.format("%d", FUTURE + n), a = ADDRESSES[a + 1] or "" }
end

local threadcount = 0
function setup(thread)
  thread:set("tid", threadcount)
  threadcount = threadcount + 1
end

local counter = 0
function request()
  local r = counter * THREADS + (tid or 0)
  counter = counter + 1
  local a, headers = 0, HEADERS
  if #SECRETS > 0 then
    a = r % #SECRETS
    headers = {}
    for name, value in pairs(HEADERS) do headers[name] = value end
    headers[ACCOUNT_HEADER] = SECRETS[a + 1]
  end
  local path = {}
  render(PATH, vars(r * COUNT, 0, a), path)
  local body = nil
  if BODY then
    local out = {}
    if COUNT > 1 then out[1] = PREFIX end
    for j = 0, COUNT - 1 do
      if j > 0 then out[#out + 1] = "," end
      render(BODY, vars(r * COUNT + j, j, a), out)
    end
    if COUNT > 1 then out[#out + 1] = SUFFIX end
    body = table.concat(out)
  end
  return wrk.format(METHOD, table.concat(path), headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCHJSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"status":%d,"socket":%d,"timeout":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout, e.timeout))
end
`;
}

let scriptDir: string | undefined;

function runWrk(target: LoadTarget, spec: RequestSpec, seconds: number, seed: number): Promise<LoadResult> {
  // One wrk thread drives 50 connections at well over the servers' rates here, and leaves the
  // second core to the server (a 2-core machine: every generator thread is taken from the server).
  const threads = 1;
  if (scriptDir === undefined) {
    const dir = (scriptDir = mkdtempSync(join(tmpdir(), "idhub-bench-lua-")));
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  }
  const script = join(scriptDir, `load-${seed}-${Math.random().toString(36).slice(2)}.lua`);
  writeFileSync(script, wrkScript(spec, seed, threads));
  const args = [`-t${threads}`, `-c${target.connections}`, `-d${seconds}s`, "--timeout", "5s", "-s", script, target.url];
  return new Promise((resolve, reject) => {
    const child = spawn("wrk", args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (out += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("BENCHJSON "));
      if (!line) return reject(new Error(`wrk exited ${code} without a result:\n${out}`));
      const r = JSON.parse(line.slice("BENCHJSON ".length)) as Record<string, number>;
      const secs = r.duration_us! / 1e6;
      resolve({
        tool: "wrk",
        requests: r.requests!,
        seconds: secs,
        rps: r.requests! / secs,
        p50Ms: r.p50_us! / 1000,
        p99Ms: r.p99_us! / 1000,
        non2xx: r.status!,
        socketErrors: r.socket!,
        timeouts: r.timeout!,
      });
    });
  });
}

// --- autocannon ------------------------------------------------------------------------------

function runAutocannon(target: LoadTarget, spec: RequestSpec, seconds: number, seed: number): Promise<LoadResult> {
  const worker = join(here, "autocannon-worker.ts");
  const input = JSON.stringify({ url: target.url, connections: target.connections, seconds, spec, seed, futureBase: FUTURE_BASE });
  return new Promise((resolve, reject) => {
    // A separate node process (through tsx, like the harness) so the generator never shares a core's event loop with the harness.
    const child = spawn(process.execPath, ["--import", "tsx", worker], { stdio: ["pipe", "pipe", "inherit"], cwd: dirname(here) });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("BENCHJSON "));
      if (!line) return reject(new Error(`autocannon worker exited ${code} without a result:\n${out}`));
      resolve(JSON.parse(line.slice("BENCHJSON ".length)) as LoadResult);
    });
    child.stdin.end(input);
  });
}

/** JS rendering of the same template language (used by the autocannon worker and the probes). */
export function renderRequest(
  spec: RequestSpec,
  r: number,
  seed: number,
): { path: string; body: string | undefined; headers: Record<string, string> } {
  const count = spec.batch?.count ?? 1;
  const rotation = spec.accounts && spec.accounts.secrets.length > 0 ? spec.accounts : undefined;
  const account = rotation ? r % rotation.secrets.length : 0;
  const headers = rotation ? { ...spec.headers, [rotation.header]: rotation.secrets[account]! } : spec.headers;
  const vars = (i: number, j: number): Record<string, string> => {
    const k = i % spec.keys;
    const n = seed + i;
    const table = spec.table;
    const t = table && table.values.length > 0 ? table.values[Math.floor(k / table.group) % table.values.length]! : "";
    const a = rotation?.addresses[account] ?? "";
    return { i: String(i), n: String(n), k: String(k), j: String(j), t, fut: String(FUTURE_BASE + n), a };
  };
  const fill = (template: string, v: Record<string, string>) => template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => v[name] ?? "");
  const path = fill(spec.path, vars(r * count, 0));
  if (spec.body === undefined) return { path, body: undefined, headers };
  const items = Array.from({ length: count }, (_, j) => fill(spec.body!, vars(r * count + j, j)));
  const body = count > 1 ? `${spec.batch!.prefix}${items.join(",")}${spec.batch!.suffix}` : items[0]!;
  return { path, body, headers };
}

/** Sends one request of the spec (outside the load) and returns status and body: the route probe. */
export async function probe(url: string, spec: RequestSpec, seed: number): Promise<{ status: number; body: string }> {
  const { path, body, headers } = renderRequest(spec, 0, seed);
  const res = await fetch(url + path, { method: spec.method, headers, body });
  return { status: res.status, body: (await res.text()).slice(0, 300) };
}
