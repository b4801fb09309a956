/**
 * Reads a V8 .cpuprofile (what `node --cpu-prof` writes) and ranks functions by self time, so a case
 * under target is reported with what dominates (quality.md). The format: a node tree (`nodes`, each
 * with a callFrame) and a sample stream (`samples[i]` = node id on top of the stack at sample i,
 * `timeDeltas[i]` = µs since the previous sample). As in Chrome DevTools, sample i lasts until
 * sample i+1, so it is charged timeDeltas[i+1].
 *
 * `--cpu-prof` profiles the whole life of the process (module loading, migrations, seeding,
 * warm-up). Sample times are µs of the monotonic clock, the same clock the harness reads with
 * process.hrtime, so the summary can be restricted to the windows of the measured runs.
 */
import { readFileSync } from "node:fs";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface Frame {
  name: string;
  where: string;
  selfMs: number;
  /** Share of the profile's non-idle time. */
  percent: number;
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  idleMs: number;
  top: Frame[];
  /** Self time grouped by package / area: what dominates at a glance. */
  byArea: Frame[];
  /**
   * Inclusive (total) time of idhub's own functions (apps/, packages/): where in our code the time
   * goes, callees included. A function that appears twice on one stack counts once.
   */
  ownInclusive: Frame[];
  /** "measured runs only" or why the whole profile was used. */
  scope: string;
}

/** A short location: repository-relative for our code, `pkg/file` for dependencies, `node:…` for Node's own. */
export function shortUrl(url: string): string {
  if (url === "") return "";
  const pnpm = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(url);
  if (pnpm) return `${pnpm[1]}/${pnpm[2]}`;
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(url);
  if (nm) return `${nm[1]}/${nm[2]}`;
  const repo = /\/(apps|packages|bench)\/(.*)$/.exec(url);
  if (repo) return `${repo[1]}/${repo[2]}`;
  return url.replace(/^file:\/\//, "");
}

/** The area a frame belongs to: a package name, @idhub/<pkg>, Node internals, or V8's pseudo-frames. */
function areaOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (url === "") return functionName.startsWith("(") ? functionName : "(native / builtins)";
  if (url.startsWith("node:")) return "node internals";
  const pnpm = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url) ?? /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pnpm) return pnpm[1]!;
  const ours = /\/(apps|packages)\/([^/]+)\//.exec(url);
  if (ours) return `@idhub/${ours[2]}`;
  return shortUrl(url);
}

export function summarizeProfile(file: string, windows: Array<[number, number]> = [], topN = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const tally = (inWindow: (t: number) => boolean) => {
    const self = new Map<number, number>();
    let t = profile.startTime;
    for (let i = 0; i < profile.samples.length; i++) {
      t += profile.timeDeltas[i] ?? 0;
      if (!inWindow(t)) continue;
      const duration = profile.timeDeltas[i + 1] ?? 0;
      self.set(profile.samples[i]!, (self.get(profile.samples[i]!) ?? 0) + duration);
    }
    return self;
  };
  let selfUs = windows.length > 0 ? tally((t) => windows.some(([a, b]) => t >= a && t <= b)) : new Map<number, number>();
  let scope = "measured runs of the case only";
  if (selfUs.size === 0) {
    selfUs = tally(() => true);
    scope = windows.length > 0 ? "whole process (no sample fell in the measured windows: clocks differ?)" : "whole process";
  }
  const frames = new Map<string, { name: string; where: string; us: number }>();
  const areas = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const { callFrame } = byId.get(id)!;
    totalUs += us;
    if (callFrame.functionName === "(idle)") {
      idleUs += us;
      continue;
    }
    const name = callFrame.functionName || "(anonymous)";
    const where = callFrame.url ? `${shortUrl(callFrame.url)}:${callFrame.lineNumber + 1}` : "";
    const key = `${name}\0${where}`;
    const entry = frames.get(key) ?? { name, where, us: 0 };
    entry.us += us;
    frames.set(key, entry);
    const area = areaOf(callFrame);
    areas.set(area, (areas.get(area) ?? 0) + us);
  }
  const busyUs = Math.max(totalUs - idleUs, 1);
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const inclusive = new Map<string, { name: string; where: string; us: number }>();
  for (const [id, us] of selfUs) {
    const seen = new Set<string>();
    for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) {
      const { callFrame } = byId.get(node)!;
      if (!/\/(apps|packages)\/[^/]+\/src\//.test(callFrame.url)) continue;
      const name = callFrame.functionName || "(anonymous)";
      const where = `${shortUrl(callFrame.url)}:${callFrame.lineNumber + 1}`;
      const key = `${name}\0${where}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const entry = inclusive.get(key) ?? { name, where, us: 0 };
      entry.us += us;
      inclusive.set(key, entry);
    }
  }
  const rank = (list: Array<{ name: string; where: string; us: number }>) =>
    list
      .sort((a, b) => b.us - a.us)
      .slice(0, topN)
      .map((f) => ({ name: f.name, where: f.where, selfMs: f.us / 1000, percent: (100 * f.us) / busyUs }));
  return {
    file,
    totalMs: totalUs / 1000,
    idleMs: idleUs / 1000,
    top: rank([...frames.values()]),
    byArea: rank([...areas].map(([name, us]) => ({ name, where: "", us }))).slice(0, 10),
    ownInclusive: rank([...inclusive.values()]).slice(0, 12),
    scope,
  };
}

export function formatProfile(summary: ProfileSummary): string {
  const lines = [
    `profile ${summary.file}`,
    `  ${summary.scope}: ${(summary.totalMs / 1000).toFixed(1)} s sampled, ${(summary.idleMs / 1000).toFixed(1)} s idle; self time as % of non-idle time`,
    `  top ${summary.top.length} functions by self time:`,
    ...summary.top.map((f, i) => `  ${String(i + 1).padStart(2)}. ${f.percent.toFixed(1).padStart(5)}%  ${f.selfMs.toFixed(0).padStart(6)} ms  ${f.name}  ${f.where}`),
    "  self time by area:",
    ...summary.byArea.map((a) => `      ${a.percent.toFixed(1).padStart(5)}%  ${a.name}`),
    "  idhub's own functions by total time (callees included):",
    ...summary.ownInclusive.map((f) => `      ${f.percent.toFixed(1).padStart(5)}%  ${f.name}  ${f.where}`),
  ];
  return lines.join("\n");
}
