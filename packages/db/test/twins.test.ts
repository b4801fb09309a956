import { randomUUID } from "node:crypto";
import type { Twin } from "@idhub/core";
import { describe, expect, it } from "vitest";
import { testDialects } from "../src/testing.js";
import { aTwin } from "./fixtures.js";
import { freshDatabase } from "./database-fixture.js";

describe.each(testDialects)("twins (%s)", (dialect) => {
  const fx = freshDatabase(dialect);

  const repos = () => fx.database.store.read;
  const account = fx.newAccount;

  it("inserts and gets a twin with its JSON description; unknown ids are undefined", async () => {
    const owner = await account();
    const twin = aTwin(owner);
    await repos().twins.insert(twin);
    expect(await repos().twins.get(twin.id)).toEqual(twin);
    expect(await repos().twins.get(randomUUID())).toBeUndefined();
  });

  it("keeps a null description apart from an empty one", async () => {
    const owner = await account();
    const none = aTwin(owner, { description: null });
    const empty = aTwin(owner, { description: {} });
    await repos().twins.insert(none);
    await repos().twins.insert(empty);
    expect((await repos().twins.get(none.id))!.description).toBeNull();
    expect((await repos().twins.get(empty.id))!.description).toEqual({});
  });

  it("updates status, description, termination and version but never owner, creator or createdAt", async () => {
    const owner = await account();
    const twin = aTwin(owner);
    await repos().twins.insert(twin);
    const changed: Twin = {
      ...twin,
      owner: "someone else",
      creator: "someone else",
      createdAt: 1,
      status: "terminated",
      description: null,
      terminatedAt: twin.createdAt + 10,
      terminatedBy: owner,
      updatedAt: twin.createdAt + 10,
      version: 2,
    };
    expect(await repos().twins.update(changed)).toBe(true);
    expect(await repos().twins.get(twin.id)).toEqual({ ...changed, owner, creator: owner, createdAt: twin.createdAt });
    expect(await repos().twins.update({ ...changed, id: randomUUID() })).toBe(false);
  });

  it("getForUpdate reads the twin inside a transaction", async () => {
    const owner = await account();
    const twin = aTwin(owner);
    await repos().twins.insert(twin);
    const read = await fx.database.store.transaction((tx) => tx.twins.getForUpdate(twin.id));
    expect(read).toEqual(twin);
  });

  it("refuses a twin whose owner account does not exist", async () => {
    await expect(repos().twins.insert(aTwin(randomUUID()))).rejects.toThrow();
  });

  it("lists an owner's twins in creation order, by keyset pages, filtered by status", async () => {
    const owner = await account();
    const other = await account();
    const twins = [aTwin(owner), aTwin(owner, { status: "terminated" }), aTwin(owner), aTwin(owner)];
    // Two twins with the same createdAt: the id breaks the tie.
    const same = twins[3]!.createdAt;
    const tie = aTwin(owner, { createdAt: same, updatedAt: same });
    for (const t of [...twins, tie, aTwin(other)]) await repos().twins.insert(t);
    const expected = [...twins.slice(0, 3), ...[twins[3]!, tie].sort((a, b) => (a.id < b.id ? -1 : 1))];

    const all = await repos().twins.listOwned({ owner, limit: 100 });
    expect(all.map((t) => t.id)).toEqual(expected.map((t) => t.id));

    const pages: string[] = [];
    let after: { createdAt: number; id: string } | undefined;
    for (;;) {
      const page = await repos().twins.listOwned({ owner, after, limit: 2 });
      pages.push(...page.map((t) => t.id));
      if (page.length < 2) break;
      const last = page.at(-1)!;
      after = { createdAt: last.createdAt, id: last.id };
    }
    expect(pages).toEqual(expected.map((t) => t.id));

    expect((await repos().twins.listOwned({ owner, status: "terminated", limit: 10 })).map((t) => t.id)).toEqual([twins[1]!.id]);
    expect(await repos().twins.listOwned({ owner, status: "alive", limit: 10 })).toHaveLength(4);
  });
});
