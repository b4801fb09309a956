import { randomUUID } from "node:crypto";
import type { ResolveQuery, Twin, TwinIdentity } from "@idhub/core";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { explainResolve, insertIdentityRows } from "../src/repositories/identities.js";
import { testDialects } from "../src/testing.js";
import { anAccount, aTwin, tick } from "./fixtures.js";
import { freshDatabase } from "./database-fixture.js";

function anIdentity(twin: string, owner: string, name: string, overrides: Partial<TwinIdentity> = {}): TwinIdentity {
  const now = tick();
  return {
    twin,
    owner,
    name,
    validityAt: null,
    visibility: null,
    creator: owner,
    createdAt: now,
    updatedAt: now,
    version: 1,
    ...overrides,
  };
}

describe.each(testDialects)("identities (%s)", (dialect) => {
  const fx = freshDatabase(dialect);

  const repos = () => fx.database.store.read;
  const account = fx.newAccount;
  const twinOf = async (owner: string, overrides: Partial<Twin> = {}) => {
    const t = aTwin(owner, overrides);
    await repos().twins.insert(t);
    return t;
  };
  const key = (i: TwinIdentity) => ({ twin: i.twin, owner: i.owner, name: i.name });

  it("inserts missing identities only and reports which were inserted; existing ones stay unchanged", async () => {
    const a = await account();
    const t = await twinOf(a);
    const first = anIdentity(t.id, a, "RFID#1", { visibility: "true", validityAt: 1_900_000_000_123 });
    expect(await repos().identities.insertMissing([first])).toEqual(["RFID#1"]);
    const again = anIdentity(t.id, a, "RFID#1", { visibility: null });
    const second = anIdentity(t.id, a, "NFC#2");
    expect((await repos().identities.insertMissing([again, second])).sort()).toEqual(["NFC#2"]);
    expect(await repos().identities.get(key(first))).toEqual(first);
    expect(await repos().identities.get(key(second))).toEqual(second);
    expect(await repos().identities.insertMissing([])).toEqual([]);
  });

  it("lets several accounts hold one name on one twin, and one name sit on many twins", async () => {
    const a = await account();
    const b = await account();
    const t1 = await twinOf(a);
    const t2 = await twinOf(b);
    const rows = [anIdentity(t1.id, a, "SN#x"), anIdentity(t1.id, b, "SN#x"), anIdentity(t2.id, a, "SN#x")];
    for (const row of rows) expect(await repos().identities.insertMissing([row])).toEqual(["SN#x"]);
    for (const row of rows) expect(await repos().identities.get(key(row))).toEqual(row);
  });

  it("is race-safe: concurrent creates of the same key leave one row and one winner", async () => {
    const a = await account();
    const t = await twinOf(a);
    const attempts = await Promise.all(
      Array.from({ length: 6 }, (_, n) =>
        fx.database.store.transaction((tx) => tx.identities.insertMissing([anIdentity(t.id, a, "RFID#race", { validityAt: n })])),
      ),
    );
    expect(attempts.flat()).toEqual(["RFID#race"]);
    expect(await repos().identities.listOwned(t.id, a)).toHaveLength(1);
  });

  it("refuses an identity on an unknown twin", async () => {
    const a = await account();
    await expect(repos().identities.insertMissing([anIdentity(randomUUID(), a, "RFID#1")])).rejects.toThrow();
  });

  it("updates as a merge patch, bumps the version in SQL, and honours the expected version", async () => {
    const a = await account();
    const t = await twinOf(a);
    const identity = anIdentity(t.id, a, "RFID#1", { visibility: "true", validityAt: 5 });
    await repos().identities.insertMissing([identity]);

    const touched = await repos().identities.update(key(identity), { updatedAt: identity.updatedAt + 1 });
    expect(touched).toEqual({ ...identity, updatedAt: identity.updatedAt + 1, version: 2 });

    const cleared = await repos().identities.update(key(identity), { validityAt: null, updatedAt: identity.updatedAt + 2 }, 2);
    expect(cleared).toEqual({ ...identity, validityAt: null, updatedAt: identity.updatedAt + 2, version: 3 });

    expect(await repos().identities.update(key(identity), { visibility: null, updatedAt: 9 }, 2)).toBeUndefined();
    expect(await repos().identities.get(key(identity))).toEqual(cleared);

    const both = await repos().identities.update(key(identity), { visibility: null, validityAt: 7, updatedAt: identity.updatedAt + 3 }, 3);
    expect(both).toMatchObject({ visibility: null, validityAt: 7, version: 4 });
    expect(await repos().identities.update({ ...key(identity), owner: randomUUID() }, { updatedAt: 1 })).toBeUndefined();
  });

  it("deletes and returns the identity, only when the expected version matches", async () => {
    const a = await account();
    const t = await twinOf(a);
    const identity = anIdentity(t.id, a, "RFID#1");
    await repos().identities.insertMissing([identity]);
    expect(await repos().identities.delete(key(identity), 7)).toBeUndefined();
    expect(await repos().identities.delete(key(identity), 1)).toEqual(identity);
    expect(await repos().identities.get(key(identity))).toBeUndefined();
    expect(await repos().identities.delete(key(identity))).toBeUndefined();
  });

  it("lists one owner's identities on a twin, and other accounts' valid public ones", async () => {
    const a = await account();
    const b = await account();
    const c = await account();
    const t = await twinOf(a);
    const other = await twinOf(a);
    const now = 2_000_000_000_000;
    const rows = [
      anIdentity(t.id, a, "A#private"),
      anIdentity(t.id, a, "A#public", { visibility: "true" }),
      anIdentity(t.id, b, "B#public", { visibility: "true", validityAt: now + 1 }),
      anIdentity(t.id, b, "B#expired", { visibility: "true", validityAt: now }),
      anIdentity(t.id, b, "B#private"),
      anIdentity(t.id, c, "C#public", { visibility: "false" }),
      anIdentity(other.id, b, "B#elsewhere", { visibility: "true" }),
    ];
    await repos().identities.insertMissing(rows.slice(0, 2));
    for (const row of rows.slice(2)) await repos().identities.insertMissing([row]);
    expect((await repos().identities.listOwned(t.id, a)).map((i) => i.name)).toEqual(["A#private", "A#public"]);
    const foreign = await repos().identities.listForeign({ twin: t.id, caller: a, now });
    expect(foreign.map((i) => `${i.owner === b ? "b" : "c"}:${i.name}`).sort()).toEqual(["b:B#public", "c:C#public"]);
    expect((await repos().identities.listForeign({ twin: t.id, caller: a, owner: c, now })).map((i) => i.name)).toEqual(["C#public"]);
    expect(await repos().identities.listForeign({ twin: t.id, caller: a, owner: a, now })).toEqual([]);
  });

  it("resolve candidates: owners, expiry and public filters in SQL, with the twins", async () => {
    const a = await account();
    const b = await account();
    const c = await account();
    const t1 = await twinOf(a, { description: { serial: 1 } });
    const t2 = await twinOf(b, { status: "terminated", terminatedAt: 5, terminatedBy: b });
    const t3 = await twinOf(c);
    const now = 2_000_000_000_000;
    await repos().identities.insertMissing([anIdentity(t1.id, a, "TAG#1")]);
    await repos().identities.insertMissing([anIdentity(t2.id, a, "TAG#1", { validityAt: now })]); // expired
    await repos().identities.insertMissing([anIdentity(t2.id, b, "TAG#1", { visibility: "USER.x == 1" })]);
    await repos().identities.insertMissing([anIdentity(t3.id, c, "TAG#1")]); // private
    await repos().identities.insertMissing([anIdentity(t3.id, b, "TAG#2", { visibility: "true" })]);

    const resolve = async (q: Partial<ResolveQuery>) =>
      (await repos().identities.resolveCandidates({ name: "TAG#1", caller: a, owners: "any", now, limit: 100, ...q }))
        .map(({ identity, twin }) => `${identity.owner === a ? "a" : identity.owner === b ? "b" : "c"}@${twin.id === t1.id ? 1 : twin.id === t2.id ? 2 : 3}`)
        .sort();
    expect(await resolve({})).toEqual(["a@1", "b@2"]);
    expect(await resolve({ owners: [a] })).toEqual(["a@1"]);
    expect(await resolve({ owners: [b, c] })).toEqual(["b@2"]);
    expect(await resolve({ now: now - 1 })).toEqual(["a@1", "a@2", "b@2"]);
    expect(await resolve({ name: "TAG#3" })).toEqual([]);

    const [candidate] = await repos().identities.resolveCandidates({ name: "TAG#1", caller: a, owners: [b], now, limit: 100 });
    expect(candidate!.twin).toEqual(t2);
    expect(candidate!.identity.visibility).toBe("USER.x == 1");
  });

  it("resolves among 100,000 identities from the name index, not a scan", { timeout: 120_000 }, async () => {
    const accounts = Array.from({ length: 100 }, () => anAccount());
    const twins = Array.from({ length: 10_000 }, (_, n) => aTwin(accounts[n % 100]!.id));
    const identityAt = (i: number) =>
      anIdentity(twins[Math.floor(i / 10)]!.id, accounts[i % 100]!.id, `TAG#${i % 50_000}`, {
        visibility: i % 3 === 0 ? "true" : null,
      });
    await fx.database.db.transaction().execute(async (trx) => {
      for (const a of accounts) await trx.insertInto("accounts").values({
        id: a.id, name: a.name, address: a.address, public_key: a.publicKey, private_key: a.privateKey,
        created_at: a.createdAt, updated_at: a.updatedAt,
      }).execute();
      for (let n = 0; n < twins.length; n += 1000) {
        await trx.insertInto("twins").values(twins.slice(n, n + 1000).map((t) => ({
          id: t.id, owner: t.owner, status: t.status, description: JSON.stringify(t.description), creator: t.creator,
          created_at: t.createdAt, updated_at: t.updatedAt, terminated_at: null, terminated_by: null, version: 1,
        }))).execute();
      }
      for (let n = 0; n < 100_000; n += 1000) {
        await insertIdentityRows(trx, Array.from({ length: 1000 }, (_, k) => identityAt(n + k)));
      }
    });
    if (dialect === "postgres") await sql`analyze`.execute(fx.database.db);
    const count = await fx.database.db.selectFrom("identities").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(100_000);

    // TAG#123 is i = 123 (public, twin 12) and i = 50,123 (private, twin 5,012), both of account 23.
    const owner = accounts[23]!.id;
    const stranger = accounts[0]!.id;
    const now = Date.now();
    const resolved = async (q: Omit<ResolveQuery, "limit">) =>
      (await fx.database.store.read.identities.resolveCandidates({ ...q, limit: 100 })).map((c) => c.twin.id).sort();
    expect(await resolved({ name: "TAG#123", caller: owner, owners: "any", now })).toEqual([twins[12]!.id, twins[5012]!.id].sort());
    expect(await resolved({ name: "TAG#123", caller: stranger, owners: "any", now })).toEqual([twins[12]!.id]);
    expect(await resolved({ name: "TAG#123", caller: owner, owners: [owner], now })).toHaveLength(2);

    for (const q of [
      { name: "TAG#123", caller: stranger, owners: "any" as const, now, limit: 200 },
      { name: "TAG#123", caller: owner, owners: [owner], now, limit: 200 },
      { name: "TAG#123", caller: stranger, owners: [owner, accounts[1]!.id], now, limit: 200 },
    ]) {
      const plan = await explainResolve(fx.database.db, dialect, q);
      if (dialect === "sqlite") {
        // e.g. "SEARCH i USING INDEX identities_name_owner_idx (name=?)" then the twin by primary key;
        // since resolve pages in twin order (migration 0009) the planner may read the name in twin
        // order from identities_name_twin_idx (name, twin, owner) instead — a search by name either way.
        expect(plan).toMatch(/SEARCH i USING (COVERING )?INDEX identities_name_(owner|twin)_idx \(name=\?/);
        expect(plan).toMatch(/SEARCH t USING INDEX sqlite_autoindex_twins_1 \(id=\?\)/);
        expect(plan).not.toMatch(/SCAN (i|t)\b/);
      } else {
        expect(plan).toMatch(/Index (Only )?Scan using identities_name_(owner|twin)_idx on identities i|Bitmap Index Scan on identities_name_(owner|twin)_idx/);
        expect(plan).not.toMatch(/Seq Scan/);
        // Run it: the rows the identities scan produced are the two with that name, not 100,000.
        const analyzed = await explainResolve(fx.database.db, dialect, q, true);
        const rows = [...analyzed.matchAll(/identities_name_(?:owner|twin)_idx[^\n]*actual time=[\d.]+\.\.[\d.]+ rows=(\d+)/g)].map((m) => Number(m[1]));
        expect(rows.length).toBeGreaterThan(0);
        expect(Math.max(...rows)).toBeLessThanOrEqual(2);
      }
    }
  });
});
