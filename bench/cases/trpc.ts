/**
 * Case 3: tRPC `identityMetadata.upsert` over HTTP (the stock fetch handler at /trpc), as single
 * calls (`POST /trpc/identityMetadata.upsert` with the input as the body) and as batches of 50 —
 * the wire format of httpBatchLink: `POST /trpc/p,p,…,p?batch=1` with `{"0": input, "1": input, …}`.
 * Reported in upserts/s; the batch target is ≥ 1.5× the baseline's upserts/s.
 */
import { accountsOf, ready, sideOf, json, type BenchCase } from "./common.js";
import { KEYS, metadataBody } from "./identity-metadata.js";

const PROCEDURE = "identityMetadata.upsert";
const BATCH = 50;

export const trpcSingle: BenchCase = {
  name: "3-trpc-single",
  title: "3 tRPC upsert, single calls",
  baseline: "write",
  targets: "trpc-single",
  async prepare(ctx) {
    const server = await ctx.startIdhub({ name: "case3-single" });
    const me = accountsOf(server)[0]!;
    const spec = { method: "POST", path: `/trpc/${PROCEDURE}`, headers: { Authorization: me.secret, ...json }, body: metadataBody(me.address), keys: KEYS };
    return ready(sideOf(server, "idhub", spec, ctx.settings.connections));
  },
};

export const trpcBatch: BenchCase = {
  name: "3-trpc-batch50",
  title: `3 tRPC upsert, batches of ${BATCH}`,
  baseline: "write",
  targets: "batch",
  async prepare(ctx) {
    const server = await ctx.startIdhub({ name: "case3-batch" });
    const me = accountsOf(server)[0]!;
    const spec = {
      method: "POST",
      path: `/trpc/${Array.from({ length: BATCH }, () => PROCEDURE).join(",")}?batch=1`,
      headers: { Authorization: me.secret, ...json },
      body: `"{{j}}":${metadataBody(me.address)}`,
      batch: { count: BATCH, prefix: "{", suffix: "}" },
      keys: KEYS,
    };
    return ready(sideOf(server, "idhub", spec, ctx.settings.connections, BATCH));
  },
};
