import { testDialects } from "@idhub/db/testing";
import { describe, expect, it } from "vitest";
import { freshEnv, newAccount, rejection } from "./support.js";

// identityMetadata.upsert/get/delete/list over tRPC: canonical records (version, timestamps), the
// list extension with cursors, expectedVersion, events, limits and tenant isolation.

describe.each(testDialects)("identityMetadata over tRPC (%s)", (dialect) => {
  const env = freshEnv(dialect);

  async function related() {
    const a = await newAccount(env.core, "A");
    const b = await newAccount(env.core, "B");
    const template = await a.caller.relationshipTemplates.create({
      expiresAt: new Date(env.clock.ms + 600_000).toISOString(),
      content: { "@type": "ArbitraryRelationshipTemplateContent", value: 1 },
    });
    await b.caller.relationshipTemplates.load({ reference: template.reference.truncated });
    const relationship = await b.caller.relationships.create({
      templateId: template.id,
      creationContent: { "@type": "ArbitraryRelationshipCreationContent", value: 1 },
    });
    return { a, b, relationship };
  }

  it("upserts in place with versions and timestamps; get and delete by exact key", async () => {
    const { a, b } = await related();
    const peer = b.account.address;
    const created = await a.caller.identityMetadata.upsert({ reference: peer, value: { n: 1 } });
    expect(created).toEqual({ reference: peer, value: { n: 1 }, version: 1, createdAt: env.clock.ms, updatedAt: env.clock.ms });
    env.clock.ms += 1000;
    const updated = await a.caller.identityMetadata.upsert({ reference: peer, value: null });
    expect(updated).toEqual({ reference: peer, value: null, version: 2, createdAt: created.createdAt, updatedAt: env.clock.ms });
    expect(await a.caller.identityMetadata.get({ reference: peer })).toEqual(updated);
    await a.caller.identityMetadata.upsert({ reference: peer, key: "", value: "empty" });
    expect((await a.caller.identityMetadata.get({ reference: peer, key: "" })).value).toBe("empty");
    await a.caller.identityMetadata.delete({ reference: peer });
    expect(await rejection(a.caller.identityMetadata.get({ reference: peer }))).toMatchObject({
      code: "NOT_FOUND",
      domain: "error.runtime.identityMetadata.notFound",
    });
    expect((await a.caller.identityMetadata.get({ reference: peer, key: "" })).value).toBe("empty");
  });

  it("expectedVersion: a stale version changes nothing (PRECONDITION_FAILED)", async () => {
    const { a } = await related();
    const own = a.account.address;
    await a.caller.identityMetadata.upsert({ reference: own, key: "k", value: 1 });
    expect(await rejection(a.caller.identityMetadata.upsert({ reference: own, key: "k", value: 2, expectedVersion: 2 }))).toMatchObject({
      code: "PRECONDITION_FAILED",
    });
    expect((await a.caller.identityMetadata.upsert({ reference: own, key: "k", value: 3, expectedVersion: 1 })).version).toBe(2);
    expect((await rejection(a.caller.identityMetadata.delete({ reference: own, key: "k", expectedVersion: 1 }))).code).toBe("PRECONDITION_FAILED");
    expect((await rejection(a.caller.identityMetadata.delete({ reference: own, key: "missing", expectedVersion: 1 }))).code).toBe("NOT_FOUND");
    await a.caller.identityMetadata.delete({ reference: own, key: "k", expectedVersion: 2 });
    expect((await rejection(a.caller.identityMetadata.upsert({ reference: own, key: "k", value: 1, expectedVersion: 0 }))).code).toBe("BAD_REQUEST");
    expect((await rejection(a.caller.identityMetadata.upsert({ reference: own, key: "k", value: 1, expectedVersion: 2 ** 40 }))).message).toBe(
      "expectedVersion must be <= 2147483647",
    );
  });

  it("lists the caller's records by reference and key prefix, page by page", async () => {
    const { a, b } = await related();
    const [own, peer] = [a.account.address, b.account.address];
    for (const key of [undefined, "x1", "x2", "x3", "y"]) await a.caller.identityMetadata.upsert({ reference: peer, key, value: key ?? "none" });
    await a.caller.identityMetadata.upsert({ reference: own, key: "x9", value: 0 });
    await b.caller.identityMetadata.upsert({ reference: own, key: "x1", value: "b's" });

    const all = await a.caller.identityMetadata.list();
    expect(all.items).toHaveLength(6);
    expect(all.nextCursor).toBeNull();
    const page1 = await a.caller.identityMetadata.list({ reference: peer, limit: 2 });
    expect(page1.items.map((m) => m.key)).toEqual([undefined, "x1"]);
    const page2 = await a.caller.identityMetadata.list({ reference: peer, limit: 2, cursor: page1.nextCursor! });
    const page3 = await a.caller.identityMetadata.list({ reference: peer, limit: 2, cursor: page2.nextCursor! });
    expect([...page2.items, ...page3.items].map((m) => m.key)).toEqual(["x2", "x3", "y"]);
    expect(page3.nextCursor).toBeNull();
    expect((await a.caller.identityMetadata.list({ keyPrefix: "x" })).items.map((m) => [m.reference === own, m.key]).sort()).toEqual([
      [false, "x1"],
      [false, "x2"],
      [false, "x3"],
      [true, "x9"],
    ]);
    expect((await b.caller.identityMetadata.list()).items.map((m) => m.value)).toEqual(["b's"]);
    expect((await rejection(a.caller.identityMetadata.list({ cursor: "garbage" }))).code).toBe("BAD_REQUEST");
    expect((await rejection(a.caller.identityMetadata.list({ limit: 0 }))).code).toBe("BAD_REQUEST");
  });

  it("appends upserted/deleted events, and deleted events for the decomposition cascade", async () => {
    const { a, b, relationship } = await related();
    const peer = b.account.address;
    await a.caller.identityMetadata.upsert({ reference: peer, key: "k", value: 1 });
    await a.caller.identityMetadata.upsert({ reference: peer, value: 1 });
    await a.caller.identityMetadata.delete({ reference: peer });
    await a.caller.identityMetadata.upsert({ reference: peer, value: 2 });
    await a.caller.relationships.accept({ relationshipId: relationship.id });
    await a.caller.relationships.terminate({ relationshipId: relationship.id });
    await a.caller.relationships.decompose({ relationshipId: relationship.id });
    const list = (await env.database.store.read.events.list(a.account.id, 0, 1000)).filter((e) => e.type.startsWith("identityMetadata."));
    const entries = list.map((e) => [e.type, e.data]);
    expect(entries.slice(0, 4)).toEqual([
      ["identityMetadata.upserted", { reference: peer, key: "k", version: 1 }],
      ["identityMetadata.upserted", { reference: peer, version: 1 }],
      ["identityMetadata.deleted", { reference: peer }],
      ["identityMetadata.upserted", { reference: peer, version: 1 }],
    ]);
    // the cascade: one deleted event per record, in the decomposition's transaction
    expect(entries.slice(4)).toHaveLength(2);
    expect(entries.slice(4)).toEqual(
      expect.arrayContaining([
        ["identityMetadata.deleted", { reference: peer, key: "k", cause: "relationshipDecomposed" }],
        ["identityMetadata.deleted", { reference: peer, cause: "relationshipDecomposed" }],
      ]),
    );
    expect((await a.caller.identityMetadata.list()).items).toEqual([]);
    expect((await env.database.store.read.events.list(b.account.id, 0, 1000)).some((e) => e.type.startsWith("identityMetadata."))).toBe(false);
  });

  it("values are any JSON up to 1 MB serialized", async () => {
    const { a } = await related();
    const own = a.account.address;
    const big = "x".repeat(1024 * 1024 - 2); // + 2 quotes = exactly 1 MB
    expect((await a.caller.identityMetadata.upsert({ reference: own, value: big })).version).toBe(1);
    expect(await rejection(a.caller.identityMetadata.upsert({ reference: own, value: big + "x" }))).toMatchObject({
      code: "PAYLOAD_TOO_LARGE",
      domain: "error.runtime.identityMetadata.valueTooLarge",
    });
    expect((await rejection(a.caller.identityMetadata.upsert({ reference: own } as never))).message).toBe("must have required property 'value'");
  });

  it("account B can never read, list, change or delete account A's metadata", async () => {
    const { a, b } = await related();
    const peer = b.account.address;
    await a.caller.identityMetadata.upsert({ reference: peer, key: "secret", value: "A's" });
    const c = await newAccount(env.core, "C");
    for (const caller of [b.caller, c.caller]) {
      expect((await rejection(caller.identityMetadata.get({ reference: peer, key: "secret" }))).code).toBe("NOT_FOUND");
      expect((await rejection(caller.identityMetadata.delete({ reference: peer, key: "secret" }))).code).toBe("NOT_FOUND");
      expect((await caller.identityMetadata.list({ reference: peer })).items).toEqual([]);
    }
    // b writes about itself under the same (reference, key): its own record, A's untouched
    await b.caller.identityMetadata.upsert({ reference: peer, key: "secret", value: "B's" });
    expect((await rejection(c.caller.identityMetadata.upsert({ reference: peer, key: "secret", value: "C's" }))).domain).toBe(
      "error.runtime.identityMetadata.unfamiliarReferencedIdentity",
    );
    expect((await a.caller.identityMetadata.get({ reference: peer, key: "secret" })).value).toBe("A's");
    expect((await b.caller.identityMetadata.get({ reference: peer, key: "secret" })).value).toBe("B's");
  });
});
