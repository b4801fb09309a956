/**
 * Case 4: `GET /resolve/{identity}?context=system` on 1,000,000 identities across 10,000 accounts
 * and 500,000 twins (~30 % public with visibility rules; seed/resolve-data.ts builds it with bulk
 * inserts), against the bare indexed point read of identities by name on the same file (the
 * baseline server's `GET /identity/<name>`). Targets: p99 ≤ 5 ms at 50 connections, ≥ 0.5 of the
 * point read's throughput; RSS ≤ 250 MB after load.
 *
 * The seeded file is kept in the OS temp directory between runs (named after the seed's version)
 * and reused: building it costs ~20 s of CPU, which a shared machine can stretch to minutes.
 * Resolve only reads; the server adds its one bench account, the baseline its own table.
 */
import { existsSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ACCOUNTS, IDENTITIES, seedResolveData, TWINS } from "../seed/resolve-data.js";
import { accountsOf, ready, sideOf, type BenchCase } from "./common.js";

const NAMES = 10_000;
// Bump when seed/resolve-data.ts changes what it builds.
const SEED_FILE = join(tmpdir(), "idhub-bench-case4-v1.sqlite");

/**
 * `{{k}}` cycles 0 … NAMES-1: the names SN#0 … SN#9999 (`#` percent-encoded), 10k of the 1M, about
 * 30 % of them public; in the (name, owner) index they lie scattered among the other SN# names.
 */
const NAME = "SN%23{{k}}";

export const resolve: BenchCase = {
  name: "4-resolve",
  title: "4 GET /resolve/{identity}?context=system",
  baseline: "read",
  targets: "resolve",
  async prepare(ctx) {
    const notes: string[] = [];
    if (!existsSync(SEED_FILE)) {
      const building = `${SEED_FILE}.building`;
      rmSync(building, { force: true });
      for (const suffix of ["-wal", "-shm"]) rmSync(`${building}${suffix}`, { force: true });
      ctx.log(`case 4: seeding ${IDENTITIES.toLocaleString("en-US")} identities (${ACCOUNTS} accounts, ${TWINS.toLocaleString("en-US")} twins)…`);
      const seeded = await seedResolveData(building);
      renameSync(building, SEED_FILE);
      notes.push(`seeded in ${(seeded.ms / 1000).toFixed(1)} s (${seeded.publicIdentities.toLocaleString("en-US")} public)`);
      ctx.log(`case 4: ${notes[0]}`);
    } else {
      notes.push(`seed reused from ${SEED_FILE}`);
    }
    const server = await ctx.startIdhub({ name: "case4", databaseUrl: `file:${SEED_FILE}` });
    const baselineServer = await ctx.startBare("case-baseline", "servers/baseline.ts", { BENCH_SQLITE_FILE: SEED_FILE });
    const me = accountsOf(server)[0]!;
    const spec = {
      method: "GET",
      path: `/resolve/${NAME}?context=system`,
      headers: { Authorization: me.secret },
      keys: NAMES,
    };
    const baseline = {
      label: "baseline point read",
      spec: { method: "GET", path: `/identity/${NAME}`, headers: {}, keys: NAMES },
      targets: [{ url: baselineServer.url, connections: ctx.settings.connections }],
      servers: [baselineServer],
      items: 1,
    };
    return ready(sideOf(server, "idhub", spec, ctx.settings.connections), { notes, baseline });
  },
};
