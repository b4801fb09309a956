import { parseInput } from "@idhub/core";
import { z } from "zod";
import { upsertMetadataSchema } from "../../packages/core/src/identity-metadata/inputs.js";

// The hot path's validation cost (packages/core/README.md, "Validation"): the identity-metadata
// upsert input checked by core's runtime schema (ajv), against the same schema in zod — the other
// candidate. CPU ns per call, best of 5 runs of 1,000,000 (process.cpuUsage, so a busy machine
// stretches wall time, not the figure much). Run: pnpm --filter @idhub/bench exec tsx micro/validation.ts

const zodUpsert = z.strictObject({
  reference: z.string().regex(/^(?:did:e:((([A-Za-z0-9]+(-[A-Za-z0-9]+)*)\.)+[a-z]{2,}|localhost):dids:[0-9a-f]{22})$/),
  key: z.string().optional(),
  value: z.unknown(),
  expectedVersion: z.number().int().min(1).max(2_147_483_647).optional(),
});
const input = { reference: "did:e:localhost:dids:0123456789abcdef012345", key: "k", value: { a: [1, 2], b: "x" } };
const RUNS = 1_000_000;

function measure(name: string, call: () => unknown): void {
  for (let i = 0; i < 100_000; i++) call();
  const runs: number[] = [];
  for (let r = 0; r < 5; r++) {
    const start = process.cpuUsage();
    for (let i = 0; i < RUNS; i++) call();
    const used = process.cpuUsage(start);
    runs.push(((used.user + used.system) * 1000) / RUNS);
  }
  console.log(`${name.padEnd(40)} ${Math.min(...runs).toFixed(0)} ns CPU per call`);
}

measure("runtime schema (ajv), parseInput", () => parseInput(upsertMetadataSchema, input));
measure("zod strictObject, safeParse", () => zodUpsert.safeParse(input));
