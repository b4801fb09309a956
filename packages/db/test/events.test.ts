import type { NewEvent } from "@idhub/core";
import { describe, expect, it } from "vitest";
import { testDialects } from "../src/testing.js";
import { anEvent, gate, sleep } from "./fixtures.js";
import { freshDatabase } from "./database-fixture.js";

describe.each(testDialects)("events (%s)", (dialect) => {
  const fx = freshDatabase(dialect);

  const repos = () => fx.database.store.read;
  const newAccount = fx.newAccount;
  const withoutSeq = ({ seq: _seq, ...event }: NewEvent & { seq: number }) => event;

  it("appends events and lists them oldest first with increasing seq", async () => {
    const account = await newAccount();
    const events = [anEvent(account), anEvent(account, { actor: null, data: null }), anEvent(account, { data: "text" })];
    await repos().events.append(events.slice(0, 2));
    await repos().events.append(events.slice(2));
    const listed = await repos().events.list(account, 0, 100);
    expect(listed.map(withoutSeq)).toEqual(events);
    const seqs = listed.map((e) => e.seq);
    expect(seqs.every((s) => typeof s === "number")).toBe(true);
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
    expect(new Set(seqs).size).toBe(3);
  });

  it("pages with after and limit", async () => {
    const account = await newAccount();
    const events = Array.from({ length: 5 }, () => anEvent(account));
    for (const e of events) await repos().events.append([e]);
    const all = await repos().events.list(account, 0, 100);
    const first = await repos().events.list(account, 0, 2);
    expect(first.map((e) => e.id)).toEqual(events.slice(0, 2).map((e) => e.id));
    const next = await repos().events.list(account, first[1]!.seq, 2);
    expect(next.map((e) => e.id)).toEqual(events.slice(2, 4).map((e) => e.id));
    expect(await repos().events.list(account, all[4]!.seq, 10)).toEqual([]);
  });

  it("keeps seq monotonic per account while accounts interleave, and lists one account only", async () => {
    const a = await newAccount();
    const b = await newAccount();
    for (let i = 0; i < 4; i++) await repos().events.append([anEvent(a), anEvent(b)]);
    const listA = await repos().events.list(a, 0, 100);
    const listB = await repos().events.list(b, 0, 100);
    expect(listA.every((e) => e.account === a)).toBe(true);
    expect(listB.every((e) => e.account === b)).toBe(true);
    expect(listA).toHaveLength(4);
    for (const list of [listA, listB]) {
      for (let i = 1; i < list.length; i++) expect(list[i]!.seq).toBeGreaterThan(list[i - 1]!.seq);
    }
  });

  it("appends nothing for an empty list", async () => {
    const account = await newAccount();
    await repos().events.append([]);
    expect(await repos().events.list(account, 0, 10)).toEqual([]);
  });

  it("refuses a duplicate event id", async () => {
    const account = await newAccount();
    const event = anEvent(account);
    await repos().events.append([event]);
    await expect(repos().events.append([{ ...event, subject: "other" }])).rejects.toThrow();
    expect(await repos().events.list(account, 0, 10)).toHaveLength(1);
  });

  it("commits an account's events in seq order: a later appender waits for the open transaction", async () => {
    const account = await newAccount();
    const first = anEvent(account);
    const second = anEvent(account);
    const hold = gate();
    const t1 = fx.database.store.transaction(async (tx) => {
      await tx.events.append([first]);
      await hold.opened;
    });
    await sleep(50);
    let secondCommitted = false;
    const t2 = fx.database.store.transaction(async (tx) => {
      await tx.events.append([second]);
    }).then(() => (secondCommitted = true));
    await sleep(150);
    const committedWhileFirstOpen = secondCommitted;
    hold.open();
    await Promise.all([t1, t2]);
    // Had t2 committed while t1 was open, a reader could have seen `second` without `first` and,
    // resuming after its seq, never seen `first`.
    expect(committedWhileFirstOpen).toBe(false);
    const listed = await repos().events.list(account, 0, 10);
    expect(listed.map((e) => e.id)).toEqual([first.id, second.id]);
  });
});
