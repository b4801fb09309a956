import type { IdentityMetadataUpsert } from "@idhub/core";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { testDialects } from "../src/testing.js";
import { anAccount, tick } from "./fixtures.js";
import { freshDatabase } from "./database-fixture.js";

const PEER = "did:e:localhost:dids:0123456789abcdef012345";
const OTHER = "did:e:localhost:dids:fedcba9876543210fedcba";

describe.each(testDialects)("identity metadata repository (%s)", (dialect) => {
  const fx = freshDatabase(dialect, { owner: true });
  let n = 0;

  const repo = () => fx.database.store.read.identityMetadata;
  const row = (key: string | undefined, value: unknown, reference = PEER): IdentityMetadataUpsert => ({
    id: `IDM${String(++n).padStart(17, "0")}`,
    owner: fx.owner,
    reference,
    key,
    valueJson: JSON.stringify(value),
    at: tick(),
  });
  const count = async () => {
    const { n } = await fx.database.db
      .selectFrom("identity_metadata")
      .select((eb) => eb.fn.countAll().as("n"))
      .executeTakeFirstOrThrow();
    return Number(n);
  };

  it("creates, then updates in place: same id, version bumped, createdAt kept", async () => {
    const first = await repo().upsert(row(undefined, { a: "json" }));
    expect(first).toMatchObject({ version: 1 });
    const second = await repo().upsert(row(undefined, { another: "json" }));
    expect(second).toEqual({ id: first!.id, version: 2, createdAt: first!.createdAt });
    const stored = await repo().get(fx.owner, PEER, undefined);
    expect(stored).toMatchObject({ id: first!.id, reference: PEER, value: { another: "json" }, version: 2 });
    expect(stored).not.toHaveProperty("key");
    expect(await count()).toBe(1);
  });

  it("keeps no key, the key '' and other keys apart", async () => {
    await repo().upsert(row(undefined, "none"));
    await repo().upsert(row("", "empty"));
    await repo().upsert(row("k", "k"));
    expect((await repo().get(fx.owner, PEER, undefined))?.value).toBe("none");
    expect(await repo().get(fx.owner, PEER, "")).toMatchObject({ key: "", value: "empty" });
    expect(await repo().get(fx.owner, PEER, "k")).toMatchObject({ key: "k", value: "k" });
    expect(await repo().get(fx.owner, PEER, "other")).toBeUndefined();
    expect(await count()).toBe(3);
  });

  it("round-trips every kind of JSON value, null included", async () => {
    for (const [i, value] of [null, 0, false, "", [], {}, [1, null, "x"], { nested: { "@type": "X", list: [{ a: 1 }] } }].entries()) {
      await repo().upsert(row(`k${i}`, value));
      expect((await repo().get(fx.owner, PEER, `k${i}`))?.value).toEqual(value);
    }
  });

  it("the unique index covers 'no key' (a second plain INSERT fails on both dialects)", async () => {
    await repo().upsert(row(undefined, 1));
    const insert = () =>
      fx.database.db
        .insertInto("identity_metadata")
        .values({ id: "IDMduplicate000000000", owner: fx.owner, reference: PEER, has_key: 0, key: "", value: "2", version: 1, created_at: 1, updated_at: 1 })
        .execute();
    await expect(insert()).rejects.toThrow();
    // and "no key" cannot carry a key text
    await expect(
      fx.database.db
        .insertInto("identity_metadata")
        .values({ id: "IDMbadnokey0000000000", owner: fx.owner, reference: OTHER, has_key: 0, key: "x", value: "2", version: 1, created_at: 1, updated_at: 1 })
        .execute(),
    ).rejects.toThrow();
    expect(await count()).toBe(1);
  });

  it("concurrent first upserts of the same (reference, no key) in separate transactions leave one row", async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        fx.database.store.transaction((tx) => tx.identityMetadata.upsert(row(undefined, { i }))),
      ),
    );
    expect(await count()).toBe(1);
    expect(new Set(results.map((r) => r!.id)).size).toBe(1);
    expect(results.map((r) => r!.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it("updates only at the expected version", async () => {
    await repo().upsert(row("k", 1));
    expect(await repo().upsert(row("k", 2), 2)).toBeUndefined();
    expect(await repo().upsert(row("k", 3), 1)).toMatchObject({ version: 2 });
    expect(await repo().upsert(row("missing", 3), 1)).toBeUndefined();
    expect((await repo().get(fx.owner, PEER, "k"))?.value).toBe(3);
  });

  it("deletes exactly one record, at a version when asked", async () => {
    await repo().upsert(row(undefined, 1));
    await repo().upsert(row("k", 2));
    expect(await repo().delete(fx.owner, PEER, "k", 5)).toBeUndefined();
    expect(await repo().delete(fx.owner, PEER, "k")).toMatchObject({ key: "k", value: 2 });
    expect(await repo().delete(fx.owner, PEER, "k")).toBeUndefined();
    expect(await repo().get(fx.owner, PEER, undefined)).toBeDefined();
  });

  it("deletes every record about a reference, with or without key, and nothing else", async () => {
    await repo().upsert(row(undefined, 1));
    await repo().upsert(row("key", 2));
    await repo().upsert(row("key", 3, OTHER));
    const removed = await repo().deleteByReference(fx.owner, PEER);
    expect(removed.map((r) => r.key).sort()).toEqual(["key", undefined]);
    expect(await count()).toBe(1);
    expect(await repo().get(fx.owner, OTHER, "key")).toBeDefined();
  });

  it("lists one owner's records in order, filtered by reference and key prefix, page by page", async () => {
    const other = anAccount();
    await fx.database.store.read.accounts.insert(other);
    await repo().upsert({ ...row("ab", 0), owner: other.id });
    for (const key of ["b", undefined, "ab", "a", "", "ä"]) await repo().upsert(row(key, key ?? null));
    await repo().upsert(row("aa", 9, OTHER));
    // (ASCII keys only in the order check: PostgreSQL orders by the database's collation.)
    const all = (await repo().list(fx.owner, { limit: 100 })).filter((r) => r.key !== "ä");
    expect(all.map((r) => [r.reference === PEER ? "P" : "O", r.key])).toEqual([
      ["P", undefined],
      ["P", ""],
      ["P", "a"],
      ["P", "ab"],
      ["P", "b"],
      ["O", "aa"],
    ].sort((x, y) => (x[0] === y[0] ? 0 : x[0] === "P" ? (PEER < OTHER ? -1 : 1) : PEER < OTHER ? 1 : -1)));
    expect((await repo().list(fx.owner, { reference: PEER, keyPrefix: "a", limit: 100 })).map((r) => r.key)).toEqual(["a", "ab"]);
    expect((await repo().list(fx.owner, { keyPrefix: "ä", limit: 100 })).map((r) => r.key)).toEqual(["ä"]);
    expect((await repo().list(fx.owner, { reference: PEER, keyPrefix: "", limit: 100 })).length).toBe(5);
    // paging with a cursor position
    const first = await repo().list(fx.owner, { reference: PEER, limit: 2 });
    const last = first[1]!;
    const next = await repo().list(fx.owner, {
      reference: PEER,
      limit: 10,
      after: { reference: last.reference, hasKey: last.key !== undefined, key: last.key ?? "" },
    });
    expect([...first, ...next].map((r) => r.key).sort()).toEqual(["", "a", "ab", "b", "ä", undefined]);
    expect([...first, ...next].map((r) => r.key).slice(0, 2)).toEqual([undefined, ""]);
  });

  it("stores the value as JSON text", async () => {
    await repo().upsert(row("k", { a: [1, 2] }));
    const { rows } = await sql<{ value: string }>`select value from identity_metadata`.execute(fx.database.db);
    expect(rows[0]!.value).toBe('{"a":[1,2]}');
  });
});
