/**
 * Case 1: `PUT /api/core/v1/IdentityMetadata` on the Connector surface, about the caller's own
 * address (always a familiar reference), 10k distinct keys cycling, a new value on every request.
 */
import type { RequestSpec } from "../harness/load.js";
import { accountsOf, ready, sideOf, json, type Account, type BenchCase } from "./common.js";

export const KEYS = 10_000;

/** The body shared by case 1 and case 5 (and, with another URL, by the write baseline). */
export const metadataBody = (reference: string) => `{"reference":"${reference}","key":"k{{k}}","value":{"n":{{n}}}}`;

export const metadataSpec = (me: Account): RequestSpec => ({
  method: "PUT",
  path: "/api/core/v1/IdentityMetadata",
  headers: { "X-API-KEY": me.secret, ...json },
  body: metadataBody(me.address),
  keys: KEYS,
});

/** Case 1's request, sent as each of `accounts` in turn (each about its own address). */
export const metadataSpecOver = (accounts: Account[]): RequestSpec => ({
  ...metadataSpec(accounts[0]!),
  body: metadataBody("{{a}}"),
  accounts: { header: "X-API-KEY", secrets: accounts.map((a) => a.secret), addresses: accounts.map((a) => a.address) },
});

export const identityMetadata: BenchCase = {
  name: "1-identity-metadata",
  title: "1 PUT /api/core/v1/IdentityMetadata",
  baseline: "write",
  targets: "write",
  async prepare(ctx) {
    const server = await ctx.startIdhub({ name: "case1" });
    return ready(sideOf(server, "idhub", metadataSpec(accountsOf(server)[0]!), ctx.settings.connections));
  },
};

/**
 * Case 1 with `IDHUB_SQLITE_SYNC=full` (an fsync per commit: power-loss durability). Group commit
 * shares one commit among the writes of an event-loop turn; the target is ≥ 0.8 of case 1's figure
 * (compare the two ratios to the baseline, which stays at synchronous=NORMAL).
 */
export const identityMetadataSyncFull: BenchCase = {
  name: "1-identity-metadata-sync-full",
  title: "1 PUT IdentityMetadata, IDHUB_SQLITE_SYNC=full",
  baseline: "write",
  targets: "none",
  async prepare(ctx) {
    const server = await ctx.startIdhub({ name: "case1-full", env: { IDHUB_SQLITE_SYNC: "full" } });
    return ready(sideOf(server, "idhub", metadataSpec(accountsOf(server)[0]!), ctx.settings.connections));
  },
};
