/**
 * The stock tRPC peer (servers/trpc-peer.ts: `@trpc/server/adapters/standalone` + zod, the same
 * upsert as the baseline, nothing else), measured against the write baseline like every case. The
 * report divides each case's ratio to the baseline by this one's, so "× peer" compares two ratios
 * of the same run (the same shared-machine conditions) rather than two absolute figures.
 */
import { join } from "node:path";
import { ready, json, type BenchCase } from "./common.js";
import { KEYS, metadataBody } from "./identity-metadata.js";

export const PEER_CASE = "0-trpc-peer";

export const trpcPeer: BenchCase = {
  name: PEER_CASE,
  title: "0 peer: stock tRPC standalone + zod",
  baseline: "write",
  targets: "none",
  async prepare(ctx) {
    const server = await ctx.startBare("peer", "servers/trpc-peer.ts", { BENCH_SQLITE_FILE: join(ctx.dir, "peer.sqlite") });
    const spec = {
      method: "POST",
      path: "/identityMetadata.upsert",
      headers: { ...json },
      body: metadataBody("did:e:localhost:dids:peer0000000000000000"),
      keys: KEYS,
    };
    return ready({ label: "peer", spec, targets: [{ url: server.url, connections: ctx.settings.connections }], servers: [server], items: 1 });
  },
};
