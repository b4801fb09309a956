import { testDialects } from "@idhub/db/testing";
import { createClient, errorCode } from "@idhub/sdk";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { pruneEventsBefore } from "../../src/retention.js";
import { collectFeed, listAll } from "../support/feed.js";
import { withServer } from "../support/server.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(testDialects)("change feed retention (%s)", (dialect) => {
  const fx = withServer(dialect);

  it("prunes events older than the window, answers events.cursorExpired for an older cursor, and touches nothing newer", async () => {
    const [a, b] = [await fx.server.createAccount("A"), await fx.server.createAccount("B")];
    const ca = createClient({ url: fx.server.url, apiKey: a.secret });
    const cb = createClient({ url: fx.server.url, apiKey: b.secret });
    for (let i = 0; i < 30; i++) await ca.twins.create.mutate({});
    const old = await listAll(ca);
    await sleep(20);
    const cutoff = Date.now();
    await sleep(20);
    for (let i = 0; i < 5; i++) await ca.twins.create.mutate({});
    await cb.twins.create.mutate({});
    const newer = (await listAll(ca)).slice(old.length);
    const feedB = await listAll(cb);

    const deleted = await pruneEventsBefore(fx.server.core, cutoff);
    expect(deleted).toBeGreaterThanOrEqual(old.length);
    // Gone: A sees only what is newer than the window; from 0 means "from the oldest retained".
    expect(await listAll(ca)).toEqual(newer);
    // B's feed lost only what was older than the cutoff (its account's creation).
    expect(await listAll(cb)).toEqual(feedB.filter((e) => e.at >= cutoff));

    // An old cursor: a clear error on every reader, never a silent gap.
    const stale = old[3]!.seq;
    expect(errorCode(await ca.events.list.query({ after: stale }).catch((e: unknown) => e))).toBe("events.cursorExpired");
    const feed = collectFeed(ca, { after: stale });
    await expect(feed.until(() => false)).rejects.toMatchObject({ data: { domain: { code: "events.cursorExpired" } } });
    feed.stop();
    const log = await fx.server.http("GET", `/log?fragment=${old[3]!.id}`, { secret: a.secret });
    expect({ status: log.status, subcode: log.body.subcode }).toEqual({ status: 400, subcode: 400592 });
    // The last pruned event is still a live cursor: nothing after it is missing.
    expect((await ca.events.list.query({ after: old.at(-1)!.seq })).items).toEqual(newer);
    // A second prune finds nothing more to delete.
    expect(await pruneEventsBefore(fx.server.core, cutoff)).toBe(0);
    expect(await listAll(ca)).toEqual(newer);
  });

  it("prunes in batches of at most 500 per transaction", async () => {
    const a = await fx.server.createAccount();
    const ca = createClient({ url: fx.server.url, apiKey: a.secret });
    // Two twins: 1,200 identities on one would pass the default identities-per-twin quota (1,000).
    const twins = [await ca.twins.create.mutate({}), await ca.twins.create.mutate({})];
    for (let i = 0; i < 12; i++) await ca.identities.create.mutate({ twin: twins[i % 2]!.id, identities: Array.from({ length: 100 }, (_, j) => ({ name: `B${i}#n${j}` })) });
    const before = Date.now() + 1;
    await sleep(2);
    expect(await fx.server.core.events.prune(before)).toBe(500);
    expect(await pruneEventsBefore(fx.server.core, before)).toBeGreaterThanOrEqual(700);
    expect(await listAll(ca)).toEqual([]);
  });
});

describe("IDHUB_EVENTS_RETENTION", () => {
  it("takes a duration and refuses anything else", () => {
    expect(loadConfig({}).eventsRetentionMs).toBeUndefined();
    expect(loadConfig({ IDHUB_EVENTS_RETENTION: "30d" }).eventsRetentionMs).toBe(30 * 86_400_000);
    expect(loadConfig({ IDHUB_EVENTS_RETENTION: "12h" }).eventsRetentionMs).toBe(12 * 3_600_000);
    for (const bad of ["30", "0d", "-1d", "1w", "1.5h"])
      expect(() => loadConfig({ IDHUB_EVENTS_RETENTION: bad }), bad).toThrow(/IDHUB_EVENTS_RETENTION/);
  });
});
