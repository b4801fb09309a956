/**
 * The existing rules micro-benchmark (rules/eval.ts), run as its own process and kept as one more
 * line of the output.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { BENCH_DIR } from "../harness/server-process.js";

export interface RulesResult {
  line: string;
  evaluationsPerSecond?: number;
}

export function runRules(): Promise<RulesResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "--conditions=@idhub/source", join(BENCH_DIR, "rules/eval.ts")], {
      cwd: BENCH_DIR,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const line = out.trim().split("\n").pop() ?? "";
      if (code !== 0) return reject(new Error(`rules/eval.ts exited ${code}: ${out}`));
      const match = /rules: ([\d,]+) evaluations/.exec(line);
      resolve({ line, ...(match ? { evaluationsPerSecond: Number(match[1]!.replaceAll(",", "")) } : {}) });
    });
  });
}
