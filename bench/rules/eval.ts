/**
 * Micro-benchmark of compiled rule evaluation (issue 3): compiled evaluations per second of a
 * typical visibility rule. Not a timed test: it reports a figure for the bench suite.
 *
 *   pnpm bench   (from the repository root)
 */
import { compileRule, type RuleContext } from "@idhub/core";

const RULE = "USER.profession == 'accounting' or USER.profession == 'sales'";
const TARGET = 1_000_000;

/** Callers alternate, as in a resolve over many identities: a grant on each branch and a denial. */
const contexts: RuleContext[] = ["accounting", "sales", "engineering"].map((profession) => ({
  account: "6f1c2a9e-0000-4000-8000-000000000001",
  user: "6f1c2a9e-0000-4000-8000-000000000002",
  role: null,
  USER: { profession, company: "acme" },
  DICT: {},
  twin: "6f1c2a9e-0000-4000-8000-000000000003",
  TWIN: { company: "acme" },
  twin_status: "alive",
  identity: "SN#1",
  now: Date.now() / 1000,
}));

function run(iterations: number): number {
  const rule = compileRule(RULE);
  let granted = 0;
  for (let i = 0; i < iterations; i++) {
    if (rule.evaluate(contexts[i % 3]!)) granted++;
  }
  return granted;
}

function measure(durationMs: number): number {
  const batch = 100_000;
  let evaluations = 0;
  let granted = 0;
  const start = performance.now();
  while (performance.now() - start < durationMs) {
    granted += run(batch);
    evaluations += batch;
  }
  const seconds = (performance.now() - start) / 1000;
  const expected = (evaluations / batch) * (batch - Math.floor((batch + 1) / 3)); // i % 3 === 2 is denied
  if (granted !== expected) throw new Error(`wrong results: ${granted} granted, ${expected} expected`);
  return evaluations / seconds;
}

measure(300); // warm-up: let the JIT settle
const perSecond = Math.round(measure(1500));
const verdict = perSecond >= TARGET ? "ok" : "BELOW TARGET";
console.log(`rules: ${perSecond.toLocaleString("en-US")} evaluations/s (target ≥ 1,000,000) ${verdict}`);
