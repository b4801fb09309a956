import type { AccountRecord, RelationshipRecord, RelationshipTemplateRecord } from "@idhub/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../src/index.js";
import { openTestDatabase, testDialects } from "../src/testing.js";
import { anAccount, tick } from "./fixtures.js";

let n = 0;
const id = (prefix: string) => `${prefix}${String(++n).padStart(17, "0")}`;
const ALL = { limit: 1000 };

function aTemplate(owner: AccountRecord, overrides: Partial<RelationshipTemplateRecord> = {}): RelationshipTemplateRecord {
  return {
    id: id("RLT"),
    owner: owner.id,
    createdBy: owner.address,
    createdAt: tick(),
    expiresAt: Date.now() + 600_000,
    content: { "@type": "ArbitraryRelationshipTemplateContent", value: { a: "b" } },
    maxNumberOfAllocations: null,
    forIdentity: null,
    password: null,
    passwordIsPin: false,
    secretKey: "k".repeat(43),
    deletedAt: null,
    ...overrides,
  };
}

function aRelationship(from: AccountRecord, to: AccountRecord, template: string, overrides: Partial<RelationshipRecord> = {}): RelationshipRecord {
  const now = tick();
  return {
    id: id("REL"),
    templateId: template,
    from: from.id,
    to: to.id,
    status: "Pending",
    creationContent: { "@type": "ArbitraryRelationshipCreationContent", value: {} },
    auditLog: [{ createdAt: now, createdBy: from.address, createdByDevice: "DVC", reason: "Creation", newStatus: "Pending" }],
    fromDecomposed: false,
    toDecomposed: false,
    createdAt: now,
    updatedAt: now,
    version: 1,
    ...overrides,
  };
}

describe.each(testDialects)("relationship repositories (%s)", (dialect) => {
  let database: Database;
  let a: AccountRecord;
  let b: AccountRecord;
  let c: AccountRecord;
  beforeEach(async () => {
    database = await openTestDatabase(dialect);
    [a, b, c] = [anAccount(), anAccount(), anAccount()];
    for (const account of [a, b, c]) await database.store.read.accounts.insert(account);
  });
  afterEach(() => database.close());

  const templates = () => database.store.read.relationshipTemplates;
  const relationships = () => database.store.read.relationships;

  it("stores templates, lists own ones without deleted, and loads per account", async () => {
    const t1 = aTemplate(a, { maxNumberOfAllocations: 2, forIdentity: b.address, password: "1234", passwordIsPin: true });
    const t2 = aTemplate(a);
    await templates().insert(t1);
    await templates().insert(t2);
    expect(await templates().get(t1.id)).toEqual(t1);
    expect((await templates().listOwn(a.id, ALL)).map((t) => t.id)).toEqual([t1.id, t2.id]);
    expect(await templates().markDeleted(a.id, t2.id, tick())).toBe(true);
    expect(await templates().markDeleted(a.id, t2.id, tick())).toBe(false);
    expect(await templates().markDeleted(b.id, t1.id, tick())).toBe(false);
    expect((await templates().listOwn(a.id, ALL)).map((t) => t.id)).toEqual([t1.id]);
    expect((await templates().getMany([t1.id, t2.id])).length).toBe(2);

    const load = { template: t1.id, account: b.id, password: "1234", createdAt: tick() };
    expect(await templates().insertLoad(load)).toBe(true);
    expect(await templates().insertLoad({ ...load, password: "other" })).toBe(false);
    expect(await templates().getLoad(b.id, t1.id)).toEqual(load);
    expect(await templates().getLoads(b.id, [t1.id, t2.id])).toEqual([load]);
    expect(await templates().listLoaded(b.id, ALL)).toEqual([{ template: t1, load }]);
    expect(await templates().listLoaded(c.id, ALL)).toEqual([]);
    expect(await templates().deleteLoad(b.id, t1.id)).toBe(true);
    expect(await templates().getLoad(b.id, t1.id)).toBeUndefined();
  });

  it("allocates atomically up to maxNumberOfAllocations; unlimited otherwise", async () => {
    const limited = aTemplate(a, { maxNumberOfAllocations: 3 });
    const unlimited = aTemplate(a);
    await templates().insert(limited);
    await templates().insert(unlimited);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => database.store.transaction((tx) => tx.relationshipTemplates.allocate(limited.id))),
    );
    expect(results.filter(Boolean).length).toBe(3);
    for (let i = 0; i < 5; i++) expect(await templates().allocate(unlimited.id)).toBe(true);
  });

  it("stores tokens", async () => {
    const t = aTemplate(a);
    await templates().insert(t);
    const token = {
      id: id("TOK"),
      owner: a.id,
      createdBy: a.address,
      template: t.id,
      createdAt: tick(),
      expiresAt: tick() + 1000,
      isEphemeral: true,
      forIdentity: null,
      password: "pw",
      passwordIsPin: false,
      secretKey: "s".repeat(43),
    };
    await templates().insertToken(token);
    expect(await templates().getToken(token.id)).toEqual(token);
    expect(await templates().getToken(id("TOK"))).toBeUndefined();
  });

  it("stores relationships with both parties and lists them per side until that side decomposes", async () => {
    const t = aTemplate(a);
    await templates().insert(t);
    const r = aRelationship(b, a, t.id);
    expect(await relationships().insert(r)).toBe(true);
    const stored = await relationships().get(r.id);
    expect(stored).toEqual({
      ...r,
      fromParty: { account: b.id, address: b.address, publicKey: b.publicKey },
      toParty: { account: a.id, address: a.address, publicKey: a.publicKey },
    });
    expect((await relationships().listFor(a.id, ALL)).map((x) => x.id)).toEqual([r.id]);
    expect((await relationships().listFor(b.id, ALL)).map((x) => x.id)).toEqual([r.id]);
    expect(await relationships().listFor(c.id, ALL)).toEqual([]);

    const next = { ...r, status: "DeletionProposed" as const, fromDecomposed: true, version: 2, updatedAt: tick() };
    expect(await relationships().update(next, 2)).toBe(false);
    expect(await relationships().update(next, 1)).toBe(true);
    expect((await relationships().get(r.id))?.status).toBe("DeletionProposed");
    expect(await relationships().listFor(b.id, ALL)).toEqual([]);
    expect((await relationships().listFor(a.id, ALL)).length).toBe(1);
    expect(await relationships().delete(r.id)).toBe(true);
    expect(await relationships().get(r.id)).toBeUndefined();
  });

  it("allows one open relationship per pair (either direction); rejected and revoked ones do not count", async () => {
    const t = aTemplate(a);
    await templates().insert(t);
    expect(await relationships().insert(aRelationship(b, a, t.id, { status: "Rejected" }))).toBe(true);
    expect(await relationships().insert(aRelationship(b, a, t.id, { status: "Revoked" }))).toBe(true);
    const open = aRelationship(b, a, t.id);
    expect(await relationships().insert(open)).toBe(true);
    expect(await relationships().insert(aRelationship(a, b, t.id))).toBe(false);
    expect(await relationships().insert(aRelationship(b, a, t.id, { status: "Terminated" }))).toBe(false);
    expect((await relationships().findOpen(a.id, b.id))?.id).toBe(open.id);
    expect(await relationships().findOpen(a.id, c.id)).toBeUndefined();
    expect(await relationships().insert(aRelationship(c, a, t.id))).toBe(true);
  });

  it("concurrent creates between one pair leave exactly one open relationship", async () => {
    const t = aTemplate(a);
    await templates().insert(t);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => database.store.transaction((tx) => tx.relationships.insert(aRelationship(b, a, t.id)))),
    );
    expect(results.filter(Boolean).length).toBe(1);
  });

  it("knows a peer of any status until the own side decomposes", async () => {
    const t = aTemplate(a);
    await templates().insert(t);
    expect(await relationships().hasPeer(a.id, b.address)).toBe(false);
    const r = aRelationship(b, a, t.id, { status: "Rejected" });
    await relationships().insert(r);
    expect(await relationships().hasPeer(a.id, b.address)).toBe(true);
    expect(await relationships().hasPeer(b.id, a.address)).toBe(true);
    expect(await relationships().hasPeer(c.id, a.address)).toBe(false);
    expect(await relationships().hasPeer(a.id, c.address)).toBe(false);
    await relationships().update({ ...r, toDecomposed: true, version: 2 }, 1);
    expect(await relationships().hasPeer(a.id, b.address)).toBe(false);
    expect(await relationships().hasPeer(b.id, a.address)).toBe(true);
  });
});
