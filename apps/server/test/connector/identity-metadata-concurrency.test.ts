import { testDialects } from "@idhub/db/testing";
import { describe, expect, it } from "vitest";
import { withServer } from "../support/server.js";
import { contractFetch } from "../support/http.js";

// quality.md "Concurrency": many concurrent first-time upserts of the same (reference, no key) over
// real HTTP leave exactly one row, and every request is answered 200 (no SQLITE_BUSY, no unique
// violation reaching a client). The database's unique index decides, not find-then-insert.

const N = 200;

describe.each(testDialects)("concurrent IdentityMetadata upserts (%s)", (dialect) => {
  const fx = withServer(dialect);

  async function rowsOf(account: string) {
    return fx.server.database.db
      .selectFrom("identity_metadata")
      .select(["has_key", "key", "value", "version"])
      .where("owner", "=", account)
      .execute();
  }

  it(`${N} concurrent first upserts of (own address, no key) → ${N}× 200 and exactly one row`, async () => {
    const account = await fx.server.createAccount("racer");
    const reference = account.account.address;
    const replies = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        fetch(`${fx.server.url}/api/core/v1/IdentityMetadata`, {
          method: "PUT",
          headers: { "X-API-KEY": account.secret, "content-type": "application/json" },
          body: JSON.stringify({ reference, value: { i } }),
        }).then(async (r) => ({ status: r.status, body: (await r.json()) as { result?: { reference: string; value: { i: number } } } })),
      ),
    );
    expect(replies.filter((r) => r.status !== 200)).toEqual([]);
    for (const [i, reply] of replies.entries()) expect(reply.body).toStrictEqual({ result: { reference, value: { i } } });

    const rows = await rowsOf(account.account.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ has_key: 0, key: "", version: N });
    // the stored value is one of the written ones, and GET returns it
    const get = await contractFetch(`${fx.server.url}/api/v2/IdentityMetadata?reference=${reference}`, { headers: { "X-API-KEY": account.secret } });
    const stored = ((await get.json()) as { result: { value: { i: number } } }).result.value;
    expect(JSON.parse(rows[0]!.value)).toEqual(stored);
    // one event per acknowledged upsert
    const events = await fx.server.database.db
      .selectFrom("events")
      .select((eb) => eb.fn.countAll().as("n"))
      .where("account", "=", account.account.id)
      .where("type", "=", "identityMetadata.upserted")
      .executeTakeFirstOrThrow();
    expect(Number(events.n)).toBe(N);
  });

  it(`${N} concurrent first upserts of (peer, key "k") by two accounts each keep one row per account`, async () => {
    const a = await fx.server.createAccount("a");
    const b = await fx.server.createAccount("b");
    // relationship via the core use cases (the HTTP flow is covered elsewhere)
    const pa = await fx.server.core.access.authenticate({ secret: a.secret, client: "test" });
    const pb = await fx.server.core.access.authenticate({ secret: b.secret, client: "test" });
    const template = await fx.server.core.relationshipTemplates.create(pa, {
      expiresAt: new Date(Date.now() + 600_000).toISOString(),
      content: { "@type": "ArbitraryRelationshipTemplateContent", value: 1 },
    });
    await fx.server.core.relationshipTemplates.load(pb, { reference: template.reference.truncated });
    await fx.server.core.relationships.create(pb, {
      templateId: template.id,
      creationContent: { "@type": "ArbitraryRelationshipCreationContent", value: 1 },
    });
    const put = (secret: string, reference: string, i: number) =>
      fetch(`${fx.server.url}/api/v2/IdentityMetadata`, {
        method: "PUT",
        headers: { "x-api-key": secret, "content-type": "application/json" },
        body: JSON.stringify({ reference, key: "k", value: i }),
      }).then((r) => r.status);
    const statuses = await Promise.all(
      Array.from({ length: N }, (_, i) => (i % 2 === 0 ? put(a.secret, b.account.address, i) : put(b.secret, a.account.address, i))),
    );
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(await rowsOf(a.account.id)).toHaveLength(1);
    expect(await rowsOf(b.account.id)).toHaveLength(1);
  });
});
