/**
 * `pnpm bench` — the benchmark suite of quality.md (Performance). One command, bounded duration,
 * 127.0.0.1 only: starts each server in its own child process, loads it from a separate load
 * generator, interleaves baseline and case runs, and prints a table plus bench/results/<time>.json.
 *
 *   pnpm bench                       everything (≈ 10 min at most; cases that do not fit are skipped)
 *   pnpm bench --quick               smoke run (≈ 1 min: 1 repetition of 2 s; figures are indicative)
 *   pnpm bench --case 2              one case (exact name or prefix; repeatable)
 *   pnpm bench --profile --case 1    the same with the idhub server under node --cpu-prof, top frames printed
 *   pnpm bench --list                the case names
 * Also: --reps N, --seconds N, --tool wrk|autocannon, --log-level <pino level> (default info, as in production).
 */
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { CASES } from "./cases/index.js";
import type { CaseContext, IdhubOptions } from "./cases/common.js";
import { KEYS, metadataBody } from "./cases/identity-metadata.js";
import { runRules, type RulesResult } from "./cases/rules.js";
import { loadTool, wrkVersion } from "./harness/load.js";
import { busyPercent } from "./harness/machine.js";
import { compare, median, type Settings, type Side } from "./harness/measure.js";
import { formatProfile, summarizeProfile } from "./harness/profile.js";
import { addPeerRatios, formatTable, summarize, type CaseReport } from "./harness/report.js";
import { PEER_CASE } from "./cases/peer.js";
import { measureColdStarts, type ColdStartResult } from "./harness/cold-start.js";
import { BENCH_DIR, killAllChildren, spawnServer, type ServerHandle } from "./harness/server-process.js";

const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean" },
    case: { type: "string", multiple: true },
    profile: { type: "boolean" },
    reps: { type: "string" },
    seconds: { type: "string" },
    tool: { type: "string" },
    "log-level": { type: "string" },
    "quiet-cap": { type: "string" },
    list: { type: "boolean" },
    help: { type: "boolean" },
  },
  strict: true,
});

const USAGE = `usage: pnpm bench [--quick] [--case <name|prefix>]… [--profile] [--reps N] [--seconds N]
                  [--tool wrk|autocannon] [--log-level <level>] [--quiet-cap S] [--list]
  --quick     smoke run (~1 min): 1 repetition of 2 s per case, short quiet-machine waits
  --quiet-cap longest wait (s) for a quiet machine before each run (default 10; on a machine that
              stays busy a shorter cap keeps every case within the budget; such runs are flagged)
  --case      run only matching cases (exact name or prefix, e.g. --case 2, --case 5, --case rules)
  --profile   run the idhub server under node --cpu-prof for one case (the first of the selection
              that runs) and print the top 15 functions by self time (profiles in bench/results/profiles)
`;

if (args.help || args.list) {
  if (args.help) console.log(USAGE);
  console.log(
    [
      "cases:",
      ...CASES.map((c) => `  ${c.name.padEnd(22)} ${c.title}`),
      "  cold-start             built `idhub start`: spawn → first /health/live 200, fresh and existing database",
      "  rules                  rules micro-benchmark (rules/eval.ts)",
    ].join("\n"),
  );
  process.exit(0);
}

const quick = args.quick === true;
const started = Date.now();
const log = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);

// Bounded duration: a case that would not fit in the budget is reported as skipped, never run late.
const BUDGET_MS = (quick ? 90 : 600) * 1000;
const settings: Settings = {
  reps: Number(args.reps ?? (quick ? 1 : 3)),
  seconds: Number(args.seconds ?? (quick ? 2 : 6)),
  warmupSeconds: quick ? 1 : 3,
  connections: 50,
  // < 20 % busy over ~1 s before each measured run; never wait longer than the cap.
  quiet: { thresholdPercent: 20, windowMs: quick ? 500 : 1000, capMs: args["quiet-cap"] !== undefined ? Number(args["quiet-cap"]) * 1000 : quick ? 3000 : 10_000 },
  tool: loadTool(log, args.tool === "wrk" || args.tool === "autocannon" ? args.tool : undefined),
  log,
};
const logLevel = args["log-level"] ?? "info";
// A quiet machine's figure (waits for quiet that hit their cap make a case longer: then the last cases drop out).
const estimateCaseMs = () =>
  1000 * (settings.warmupSeconds + settings.reps * 2 * (settings.seconds + settings.quiet.windowMs / 1000 + 0.3) + 6);

const selected = CASES.filter((c) => !args.case || args.case.some((name) => c.name === name || c.name.startsWith(name)));
const runRulesToo = !args.profile && (!args.case || args.case.some((name) => "rules".startsWith(name)));
const isColdStart = (name: string) => name.length >= 2 && "cold-start".startsWith(name);
const coldStartSelected = !args.profile && (!args.case || args.case.some(isColdStart));
if (selected.length === 0 && !runRulesToo && !coldStartSelected) {
  console.error(`no case matches ${args.case?.join(", ")}; see pnpm bench --list`);
  process.exit(2);
}

const root = mkdtempSync(join(tmpdir(), "idhub-bench-"));
const resultsDir = join(BENCH_DIR, "results");
const profilesDir = join(resultsDir, "profiles");
mkdirSync(profilesDir, { recursive: true });
const stamp = new Date(started).toISOString().replace(/[:.]/g, "-");
/** Formatted summaries of the profiles taken with --profile. */
const profiles: string[] = [];

const cleanups: Array<() => Promise<void>> = [];
let interrupted = false;
process.on("SIGINT", () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  log("interrupted: stopping servers and dropping bench databases…");
  killAllChildren();
  void Promise.allSettled(cleanups.map((c) => c())).finally(() => process.exit(130));
});

log(
  `idhub bench${quick ? " --quick" : ""}: ${settings.reps} rep(s) × ${settings.seconds} s, ${settings.connections} connections, ` +
    `load generator ${settings.tool === "wrk" ? (wrkVersion() ?? "wrk") : "autocannon"}, log level ${logLevel}, temp ${root}`,
);
log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}, ${(await busyPercent(500)).toFixed(0)}% busy now`);

// --- servers -----------------------------------------------------------------------------------

let serverCount = 0;
function idhubStarter(dir: string, servers: ServerHandle[], profile: boolean) {
  return async (opts: IdhubOptions): Promise<ServerHandle> => {
    const n = ++serverCount;
    const server = await spawnServer({
      name: opts.name,
      entry: "servers/idhub.ts",
      logFile: join(dir, `${opts.name}.log`),
      env: {
        IDHUB_DATABASE_URL: opts.databaseUrl ?? `file:${join(dir, `${opts.name}-${n}.sqlite`)}`,
        LOG_LEVEL: logLevel,
        NODE_ENV: "production",
        BENCH_ACCOUNTS: String(opts.accounts ?? 1),
        BENCH_TMP_DIR: dir,
        ...opts.env,
      },
      // Default file names (CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile): every thread writes its
      // own profile (tsx's module hooks run in a loader thread), so a fixed name would be overwritten.
      nodeArgs: profile ? ["--cpu-prof", `--cpu-prof-dir=${profilesDir}`] : [],
    });
    servers.push(server);
    return server;
  };
}

/**
 * --cpu-prof writes on exit (the servers were just stopped): keeps the main thread's profile of each
 * server (the one with the most busy time), renamed after the case, and summarizes it.
 */
function collectProfiles(servers: ServerHandle[], report: CaseReport): void {
  for (const server of servers) {
    const files = readdirSync(profilesDir).filter((f) => f.startsWith("CPU.") && f.includes(`.${server.pid}.`));
    const summaries = files.flatMap((f) => {
      try {
        const windows = (report.runs ?? []).filter((r) => r.role === "case").map((r) => r.window);
        return [{ f, s: summarizeProfile(join(profilesDir, f), windows) }];
      } catch (error) {
        log(`could not read ${f}: ${(error as Error).message}`);
        return [];
      }
    });
    summaries.sort((a, b) => b.s.totalMs - b.s.idleMs - (a.s.totalMs - a.s.idleMs));
    const main = summaries[0];
    for (const { f } of summaries.slice(1)) rmSync(join(profilesDir, f), { force: true });
    if (!main) continue;
    if (report.status !== "ran") {
      rmSync(join(profilesDir, main.f), { force: true }); // a skipped case's profile shows nothing but start-up
      continue;
    }
    const file = join(profilesDir, `${stamp}-${server.name}.cpuprofile`);
    renameSync(join(profilesDir, main.f), file);
    report.profile = { ...main.s, file };
    profiles.push(formatProfile(report.profile));
  }
}

// --- cold start --------------------------------------------------------------------------------

// What a user sees: the built `idhub start` (bin → dist/idhub.js), spawn → first /health/live 200,
// on fresh and on existing databases (harness/cold-start.ts). Runs in a full run, or alone with
// --case cold-start.
let coldStarts: ColdStartResult[] = [];
if (coldStartSelected) {
  coldStarts = await measureColdStarts(root, quick ? 1 : 5);
  for (const c of coldStarts) {
    log(`cold start, ${c.mode}: ${c.ms.map((ms) => `${ms.toFixed(0)} ms`).join(", ") || c.error} (target ≤ 1000 ms)`);
  }
}

// --- baseline ----------------------------------------------------------------------------------

const reports: CaseReport[] = [];
let baselineServer: ServerHandle | undefined;
let rules: RulesResult | { error: string } | undefined;
let failed = false;

try {
  if (selected.some((c) => !c.notImplemented)) {
    baselineServer = await spawnServer({
      name: "baseline",
      entry: "servers/baseline.ts",
      logFile: join(root, "baseline.log"),
      env: { BENCH_SQLITE_FILE: join(root, "baseline.sqlite") },
    });
    log(`baseline server (node:http + better-sqlite3) at ${baselineServer.url}`);
  }
  const baselineSides = (server: ServerHandle): Record<"write" | "read", Side> => ({
    write: {
      label: "baseline write",
      spec: {
        method: "PUT",
        path: "/kv",
        headers: { "Content-Type": "application/json" },
        body: metadataBody("did:e:localhost:dids:baseline0000000000000"),
        keys: KEYS,
      },
      targets: [{ url: server.url, connections: settings.connections }],
      servers: [server],
      items: 1,
    },
    read: {
      label: "baseline read",
      spec: { method: "GET", path: "/kv/k{{k}}", headers: {}, keys: KEYS },
      targets: [{ url: server.url, connections: settings.connections }],
      servers: [server],
      items: 1,
    },
  });

  // --- cases -----------------------------------------------------------------------------------

  let profileDone = false;
  for (const def of selected) {
    if (interrupted || (args.profile && profileDone)) break;
    const base: CaseReport = { name: def.name, title: def.title, status: "ran", baseline: def.baseline, targets: def.targets };
    if (def.notImplemented || !def.prepare) {
      reports.push({ ...base, status: "not implemented", reason: def.notImplemented ?? "" });
      log(`${def.title}: ${def.notImplemented}`);
      continue;
    }
    const elapsed = Date.now() - started;
    if (elapsed + estimateCaseMs() > BUDGET_MS) {
      reports.push({ ...base, status: "over budget", reason: `would end after the ${BUDGET_MS / 60_000}-minute budget` });
      log(`${def.title}: skipped, does not fit in the time budget`);
      continue;
    }
    log(`${def.title}: starting`);
    const dir = mkdtempSync(join(root, `${def.name}-`));
    const servers: ServerHandle[] = [];
    const ctx: CaseContext = {
      settings,
      dir,
      log,
      startIdhub: idhubStarter(dir, servers, args.profile === true),
      async startBare(name: string, entry: string, env: Record<string, string>) {
        const server = await spawnServer({ name, entry, logFile: join(dir, `${name}.log`), env });
        servers.push(server);
        return server;
      },
    };
    let cleanup: (() => Promise<void>) | undefined;
    try {
      const prepared = await def.prepare(ctx);
      cleanup = prepared.cleanup;
      if (cleanup) cleanups.push(cleanup);
      if (prepared.kind === "skip") {
        reports.push({ ...base, status: "skipped", reason: prepared.reason });
        log(`${def.title}: SKIPPED — ${prepared.reason}`);
      } else {
        const baseline = prepared.baseline ?? baselineSides(baselineServer!)[def.baseline];
        const runs = await compare(baseline, prepared.side, settings);
        const report = summarize({
          ...base,
          items: prepared.side.items,
          runs,
          // The servers under test (not a case's own baseline).
          coldStartMs: servers.filter((s) => s.name !== "case-baseline").map((s) => s.coldStartMs),
          rssMbAfterLoad: servers.filter((s) => s.name !== "case-baseline").map((s) => s.rssMb() ?? Number.NaN),
          ...(prepared.notes ? { notes: prepared.notes } : {}),
        });
        reports.push(report);
        profileDone = args.profile === true;
      }
    } catch (error) {
      failed = true;
      const message = (error as Error).message;
      reports.push({ ...base, status: "failed", reason: message.split("\n").slice(0, 3).join(" | ") });
      log(`${def.title}: FAILED — ${message}`);
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
      if (cleanup) await cleanup();
    }
    if (args.profile) collectProfiles(servers, reports[reports.length - 1]!);
  }

  if (runRulesToo && !interrupted) {
    log("rules micro-benchmark");
    try {
      rules = await runRules();
      log(rules.line);
    } catch (error) {
      rules = { error: (error as Error).message };
    }
  }
} finally {
  await baselineServer?.stop();
  killAllChildren();
  rmSync(root, { recursive: true, force: true });
}

// --- report --------------------------------------------------------------------------------------

/**
 * quality.md case 5: two processes ≥ 1.6× one with writes spread over 100 accounts (both as ratios
 * to their bare pg baseline of the same run); the one-account figure is printed beside it (one
 * account's writes share its feed lock, so it has no target).
 */
function scaleOutLine(all: CaseReport[]): string[] {
  const ratioOf = (name: string) => all.find((r) => r.name === name && r.status === "ran")?.ratios?.throughput;
  const lines: string[] = [];
  for (const [label, one, two, target] of [
    ["one account", "5-pg-1proc", "5-pg-2proc", undefined],
    ["100 accounts", "5-pg-100acct-1proc", "5-pg-100acct-2proc", 1.6],
  ] as const) {
    const [a, b] = [ratioOf(one), ratioOf(two)];
    if (a === undefined || b === undefined) continue;
    const ratio = b / a;
    const verdict = target === undefined ? "(no target)" : `— target ≥ ${target} ${ratio >= target ? "PASS" : "BELOW"}`;
    lines.push(`PostgreSQL 2 processes / 1 process (${label}, ratios to the bare pg baseline): ${ratio.toFixed(2)} ${verdict}`);
  }
  return lines;
}

/** quality.md: with group commit, IDHUB_SQLITE_SYNC=full reaches ≥ 0.8 of the `normal` throughput (ratios to the same baseline). */
function syncFullLine(all: CaseReport[]): string[] {
  const normal = all.find((r) => r.name === "1-identity-metadata" && r.status === "ran")?.ratios?.throughput;
  const full = all.find((r) => r.name === "1-identity-metadata-sync-full" && r.status === "ran")?.ratios?.throughput;
  if (normal === undefined || full === undefined) return [];
  const ratio = full / normal;
  return [`IDHUB_SQLITE_SYNC=full / normal (case 1, ratios to baseline): ${ratio.toFixed(2)} — target ≥ 0.8 ${ratio >= 0.8 ? "PASS" : "BELOW"}`];
}

addPeerRatios(reports, PEER_CASE);

const output = [
  "",
  `idhub bench — ${new Date(started).toISOString()}${quick ? " — QUICK (smoke run: 1 short repetition, figures indicative only)" : ""}`,
  `medians of ${settings.reps} interleaved repetition(s) of ${settings.seconds} s, ${settings.connections} connections, ${settings.tool}; ` +
    `ratios = median over pairs of case/baseline of the same repetition; CPU = server process tree (+ PostgreSQL) per request`,
  "",
  formatTable(reports),
  "",
  ...coldStarts.map(
    (c) =>
      `cold start, idhub start (built), ${c.mode}: median ${c.medianMs !== undefined ? `${c.medianMs.toFixed(0)} ms (CPU ${c.medianCpuMs!.toFixed(0)} ms) of ${c.ms.length}` : "—"}` +
      `${c.error ? ` (${c.error})` : ""} — target ≤ 1000 ms ${c.medianMs !== undefined && !c.error && c.medianMs <= 1000 ? "PASS" : "BELOW"}`,
  ),
  ...reports
    .filter((r) => r.rssMbAfterLoad?.length)
    .map((r) => `RSS after load, ${r.name}: ${r.rssMbAfterLoad!.map((mb) => `${mb.toFixed(0)} MB`).join(", ")} — target ≤ 250 MB ${Math.max(...r.rssMbAfterLoad!) <= 250 ? "PASS" : "BELOW"}`),
  ...syncFullLine(reports),
  ...scaleOutLine(reports),
  rules ? ("line" in rules ? rules.line : `rules: FAILED ${rules.error}`) : "",
  ...profiles.map((p) => `\n${p}`),
];
const busy = reports.reduce((sum, r) => sum + (r.busyRuns ?? 0), 0);
if (busy > 0) output.push("", `NOTE: the machine was busy (≥ 20 % CPU) before ${busy} measured run(s): their req/s and latencies are depressed; CPU µs/req holds up better.`);

const resultFile = join(resultsDir, `${stamp}.json`);
writeFileSync(
  resultFile,
  JSON.stringify(
    {
      startedAt: new Date(started).toISOString(),
      durationS: (Date.now() - started) / 1000,
      quick,
      machine: { cores: cpus().length, model: cpus()[0]?.model, node: process.version, loadAverageAtEnd: loadavg() },
      settings: { ...settings, log: undefined, logLevel, budgetS: BUDGET_MS / 1000 },
      coldStart: coldStarts,
      cases: reports,
      rules,
    },
    null,
    2,
  ),
);
output.push("", `results: ${resultFile} (${((Date.now() - started) / 1000).toFixed(0)} s in all)`);
console.log(output.join("\n"));
// Old profiles pile up otherwise; keep the last 20.
const old = readdirSync(profilesDir).filter((f) => f.endsWith(".cpuprofile")).sort().slice(0, -20);
for (const f of old) rmSync(join(profilesDir, f), { force: true });
process.exit(failed ? 1 : 0);
