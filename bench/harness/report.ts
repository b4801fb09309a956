/**
 * Turns runs into the figures quality.md asks for — medians, ratios to the baseline of the same run,
 * the targets next to each ratio with PASS/BELOW — and prints them as a table. Targets are reported,
 * never asserted: a benchmark on a shared 2-core machine is evidence, not a test.
 */
import type { BaselineKind, TargetSet } from "../cases/common.js";
import { median, type Run } from "./measure.js";
import type { ProfileSummary } from "./profile.js";

export interface Stats {
  /** Requests/s, or upserts/s for a batch case (requests × items). */
  throughput: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU µs per request, or per upsert for a batch case. */
  cpuUs: number;
}

export interface Verdict {
  ratio: number;
  target: string;
  pass: boolean;
}

export interface CaseReport {
  name: string;
  title: string;
  status: "ran" | "skipped" | "failed" | "not implemented" | "over budget";
  reason?: string;
  baseline?: BaselineKind;
  targets?: TargetSet;
  items?: number;
  runs?: Run[];
  baselineStats?: Stats;
  caseStats?: Stats;
  /** Median over the interleaved pairs of (case / baseline). */
  ratios?: { throughput: number; cpu: number; p99: number };
  verdicts?: { throughput?: Verdict; cpu?: Verdict; p99?: Verdict };
  /** Throughput ratio to the stock tRPC peer (see addPeerRatios); write cases target ≥ 4. */
  peerRatio?: Verdict;
  coldStartMs?: number[];
  rssMbAfterLoad?: number[];
  /** Runs whose quiet-machine wait hit the cap. */
  busyRuns?: number;
  errors?: number;
  timeouts?: number;
  notes?: string[];
  profile?: ProfileSummary;
}

function stats(runs: Run[], items: number): Stats {
  return {
    throughput: median(runs.map((r) => r.load.rps * items)),
    p50Ms: median(runs.map((r) => r.load.p50Ms)),
    p99Ms: median(runs.map((r) => r.load.p99Ms)),
    cpuUs: median(runs.map((r) => r.cpuUsPerRequest / items)),
  };
}

const verdict = (ratio: number, op: "≥" | "≤", bound: number): Verdict => ({
  ratio,
  target: `${op} ${bound}`,
  pass: op === "≥" ? ratio >= bound : ratio <= bound,
});

/** Fills in medians, paired ratios and verdicts of a case that ran. */
export function summarize(report: CaseReport): CaseReport {
  const runs = report.runs ?? [];
  const items = report.items ?? 1;
  const base = runs.filter((r) => r.role === "baseline");
  const subject = runs.filter((r) => r.role === "case");
  const pairs = base.map((b, i) => [b, subject[i]!] as const).filter(([, s]) => s !== undefined);
  const ratios = {
    throughput: median(pairs.map(([b, s]) => (s.load.rps * items) / b.load.rps)),
    cpu: median(pairs.map(([b, s]) => s.cpuUsPerRequest / items / b.cpuUsPerRequest)),
    p99: median(pairs.map(([b, s]) => s.load.p99Ms / b.load.p99Ms)),
  };
  let verdicts: CaseReport["verdicts"] = {};
  if (report.targets === "write" || report.targets === "indicative") {
    // quality.md, cases 1–2: ≥ 0.6 of the baseline's req/s, ≤ 1.7× its CPU µs/req, p99 ≤ 3× its p99.
    verdicts = { throughput: verdict(ratios.throughput, "≥", 0.6), cpu: verdict(ratios.cpu, "≤", 1.7), p99: verdict(ratios.p99, "≤", 3) };
  } else if (report.targets === "resolve") {
    // quality.md, case 4: ≥ 0.5 of the point read's throughput; p99 ≤ 5 ms (absolute, shown in the p99 column).
    const p99 = stats(subject, items).p99Ms;
    verdicts = { throughput: verdict(ratios.throughput, "≥", 0.5), p99: { ...verdict(p99, "≤", 5), target: "≤ 5 ms abs" } };
  } else if (report.targets === "trpc-single") {
    // quality.md, case 3 single calls: ≥ 0.45 of the baseline's req/s.
    verdicts = { throughput: verdict(ratios.throughput, "≥", 0.45) };
  } else if (report.targets === "pg") {
    // quality.md, case 5: one process ≥ 0.5 of the bare pg upsert server (pool 10) in the same run.
    verdicts = { throughput: verdict(ratios.throughput, "≥", 0.5) };
  } else if (report.targets === "workers") {
    // Issue #11: IDHUB_WORKERS=2 ≥ 1.7× one worker on the read case (the baseline is the one-worker server).
    verdicts = { throughput: verdict(ratios.throughput, "≥", 1.7) };
  } else if (report.targets === "batch") {
    // quality.md, case 3 batched: ≥ 1.5× the baseline in upserts/s.
    verdicts = { throughput: verdict(ratios.throughput, "≥", 1.5) };
  }
  return {
    ...report,
    baselineStats: stats(base, 1),
    caseStats: stats(subject, items),
    ratios,
    verdicts,
    busyRuns: runs.filter((r) => !r.quiet.quiet).length,
    errors: runs.reduce((sum, r) => sum + r.load.non2xx + r.load.socketErrors, 0),
    timeouts: runs.reduce((sum, r) => sum + (r.load.timeouts ?? 0), 0),
  };
}

const num = (n: number | undefined, digits = 0) =>
  n === undefined || !Number.isFinite(n) ? "—" : n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

function ratioCell(ratio: number | undefined, v: Verdict | undefined, indicative: boolean): string {
  if (ratio === undefined || !Number.isFinite(ratio)) return "—";
  if (!v) return `${ratio.toFixed(2)}`;
  const mark = v.pass ? "PASS" : "BELOW";
  return `${ratio.toFixed(2)} (${v.target}) ${indicative ? mark.toLowerCase() : mark}`;
}

const pad = (s: string, n: number) => (s.length >= n ? s.slice(0, n) : s + " ".repeat(n - s.length));
const padL = (s: string, n: number) => (s.length >= n ? s : " ".repeat(n - s.length) + s);

/**
 * "× peer": a case's throughput ratio to the baseline divided by the stock tRPC peer's ratio to the
 * same baseline (cases/peer.ts) — two ratios of one run. Write cases (1–2) target ≥ 4× the peer.
 */
export function addPeerRatios(reports: CaseReport[], peerName: string): void {
  const peer = reports.find((r) => r.name === peerName && r.status === "ran");
  const peerRatio = peer?.ratios?.throughput;
  if (peerRatio === undefined || !Number.isFinite(peerRatio) || peerRatio <= 0) return;
  for (const r of reports) {
    if (r === peer || r.status !== "ran" || r.baseline !== "write" || !r.ratios) continue;
    const ratio = r.ratios.throughput / peerRatio;
    r.peerRatio = r.targets === "write" ? verdict(ratio, "≥", 4) : { ratio, target: "", pass: true };
  }
}

export function formatTable(reports: CaseReport[]): string {
  const W = 44;
  const header =
    `${pad("case", W)} ${padL("thrpt/s", 9)} ${padL("p50 ms", 7)} ${padL("p99 ms", 7)} ${padL("CPU µs", 7)} ${padL("RSS MB", 6)}  ` +
    `${pad("×base thrpt", 23)} ${pad("×base CPU/req", 23)} ${pad("×base p99", 21)} ${pad("×peer thrpt", 19)}`;
  const lines = [header, "-".repeat(header.length)];
  for (const r of reports) {
    if (r.status !== "ran") {
      lines.push(`${pad(r.title, W)} ${r.status === "skipped" ? "SKIPPED" : r.status.toUpperCase()}: ${r.reason ?? ""}`);
      continue;
    }
    const c = r.caseStats!;
    const b = r.baselineStats!;
    const indicative = r.targets === "indicative";
    const rss = r.rssMbAfterLoad?.length ? Math.max(...r.rssMbAfterLoad) : undefined;
    const flags = [
      r.busyRuns ? `machine busy in ${r.busyRuns}/${r.runs!.length} runs` : "",
      r.errors ? `${r.errors} non-2xx/socket errors (${r.timeouts ?? 0} of them timeouts > 5 s)` : "",
      r.items && r.items > 1 ? `upserts/s and CPU per upsert (${r.items} per request); p50/p99 per batch` : "",
      indicative ? "targets indicative (cases 1–2's)" : "",
      r.profile ? "PROFILED (cpu-prof overhead)" : "",
    ].filter(Boolean);
    lines.push(
      `${pad(r.title, W)} ${padL(num(c.throughput), 9)} ${padL(num(c.p50Ms, 2), 7)} ${padL(num(c.p99Ms, 2), 7)} ${padL(num(c.cpuUs), 7)} ${padL(num(rss), 6)}  ` +
        `${pad(ratioCell(r.ratios?.throughput, r.verdicts?.throughput, indicative), 23)} ${pad(ratioCell(r.ratios?.cpu, r.verdicts?.cpu, indicative), 23)} ` +
        `${pad(ratioCell(r.targets === "resolve" ? r.verdicts?.p99?.ratio : r.ratios?.p99, r.verdicts?.p99, indicative), 21)} ` +
        `${pad(r.peerRatio ? ratioCell(r.peerRatio.ratio, r.peerRatio.target ? r.peerRatio : undefined, indicative) : "—", 19)}`,
    );
    lines.push(
      `${pad(`  └ baseline ${r.baseline} (same run)`, W)} ${padL(num(b.throughput), 9)} ${padL(num(b.p50Ms, 2), 7)} ${padL(num(b.p99Ms, 2), 7)} ${padL(num(b.cpuUs), 7)}` +
        (flags.length ? `          ${flags.join("; ")}` : ""),
    );
  }
  return lines.join("\n");
}
