import { randomUUID } from "node:crypto";
import { createClient } from "@idhub/sdk";
import { testDialects } from "@idhub/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REST_LIST_CAP } from "../../src/http/list-cap.js";
import { startTestServer, type TestServer } from "../support/server.js";

// Bounded lists (issue #11): past a list's maximum no surface answers everything. tRPC pages with
// a cursor (at most 100 a page) and following the cursors yields every item exactly once; the REST
// lists whose upstream has no pagination keep the upstream shape up to REST_LIST_CAP items and
// past it answer the surface's documented 400 (Trusted Twin 400141, Connector
// `error.runtime.list.tooLarge`). The lists are filled past the cap with rows written directly
// (creating 1,000 relationships over HTTP would take minutes); some rows share a creation time, so
// the keyset's id tie-break is exercised, and ids mix letter cases.

const OVER = REST_LIST_CAP + 1;
const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const enmeshedId = (prefix: string) => prefix + Array.from({ length: 17 }, () => ALPHANUMERIC[Math.floor(Math.random() * 62)]).join("");
const ARBITRARY = { "@type": "ArbitraryRelationshipTemplateContent", value: { n: 1 } };
const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

interface Paged<T> {
  items: T[];
  nextCursor: string | null;
}

/** Follows a tRPC list's cursors to the end; every page holds at most `limit` items. */
async function everyPage<T>(limit: number, read: (cursor: string | undefined) => Promise<Paged<T>>): Promise<T[][]> {
  const pages: T[][] = [];
  for (let cursor: string | undefined; ; ) {
    const page = await read(cursor);
    expect(page.items.length).toBeLessThanOrEqual(limit);
    pages.push(page.items);
    if (page.nextCursor === null) return pages;
    cursor = page.nextCursor;
    expect(pages.length).toBeLessThan(OVER); // never loops
  }
}

const expectEachOnce = (seen: string[], expected: Iterable<string>) => {
  expect(new Set(seen).size).toBe(seen.length);
  expect([...seen].sort()).toEqual([...expected].sort());
};

describe.each(testDialects)("bounded lists (%s)", (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect);
  });
  afterAll(() => server.stop());

  const trpc = (apiKey: string) => createClient({ url: server.url, apiKey, batch: false });
  const db = () => server.database.db;

  it("relationships: the Connector list answers up to the cap, then 400; tRPC pages through all of them once", async () => {
    const a = await server.createAccount();
    const b = await server.createAccount();
    const template = (await server.http("POST", "/api/core/v1/RelationshipTemplates/Own", { secret: b.secret, body: { expiresAt: inAnHour(), content: ARBITRARY } })).body.result;
    expect((await server.http("POST", "/api/core/v1/RelationshipTemplates/Peer", { secret: a.secret, body: { reference: template.reference.truncated } })).status).toBe(201);
    const created = await server.http("POST", "/api/core/v1/Relationships", {
      secret: a.secret,
      body: { templateId: template.id, creationContent: { "@type": "ArbitraryRelationshipCreationContent", value: {} } },
    });
    expect(created.status).toBe(201);
    // Rejected relationships do not block another one to the same peer: clone the first as many.
    const row = await db().selectFrom("relationships").selectAll().where("id", "=", created.body.result.id).executeTakeFirstOrThrow();
    const ids = [row.id];
    const clones = Array.from({ length: OVER - 1 }, (_, i) => {
      const id = enmeshedId("REL");
      ids.push(id);
      return { ...row, id, status: "Rejected", created_at: row.created_at + 1 + Math.floor(i / 4) };
    });
    for (let i = 0; i < clones.length; i += 200) await db().insertInto("relationships").values(clones.slice(i, i + 200)).execute();

    for (const prefix of ["/api/core/v1", "/api/v2"]) {
      for (const secret of [a.secret, b.secret]) {
        const refused = await server.http("GET", `${prefix}/Relationships`, { secret });
        expect(refused.status).toBe(400);
        expect(refused.body.error).toMatchObject({ code: "error.runtime.list.tooLarge", message: expect.stringMatching(`More than ${REST_LIST_CAP} relationships`) });
      }
      // A filter that narrows the list under the cap answers as before.
      const pending = await server.http("GET", `${prefix}/Relationships?status=Pending`, { secret: a.secret });
      expect(pending.status).toBe(200);
      expect(pending.body.result.map((r: { id: string }) => r.id)).toEqual([row.id]);
    }

    for (const [who, limit] of [[a, 100], [b, 37]] as const) {
      const client = trpc(who.secret);
      const pages = await everyPage(limit, (cursor) => client.relationships.list.query({ limit, ...(cursor ? { cursor } : {}) }));
      expect(pages.length).toBe(Math.ceil(OVER / limit));
      const seen = pages.flat().map((r) => r.id);
      expectEachOnce(seen, ids);
      expect(seen[0]).toBe(row.id); // oldest first
    }
    const firstPage = await trpc(a.secret).relationships.list.query();
    expect(firstPage.items).toHaveLength(50);
    expect(firstPage.nextCursor).not.toBeNull();
    // The filter runs per page: only the Pending one, with no continuation after the end.
    const filtered = await everyPage(100, (cursor) => trpc(a.secret).relationships.list.query({ query: { status: "Pending" }, limit: 100, ...(cursor ? { cursor } : {}) }));
    expect(filtered.flat().map((r) => r.id)).toEqual([row.id]);

    // At exactly the cap the REST list answers every one.
    await db().deleteFrom("relationships").where("id", "=", ids.at(-1)!).execute();
    const all = await server.http("GET", "/api/core/v1/Relationships", { secret: a.secret });
    expect(all.status).toBe(200);
    expectEachOnce(all.body.result.map((r: { id: string }) => r.id), ids.slice(0, -1));

    const bad = await server.http("GET", `/trpc/relationships.list?input=${encodeURIComponent(JSON.stringify({ cursor: "not-a-cursor" }))}`, { secret: a.secret });
    expect(bad.status).toBe(400);
    const tooMany = await server.http("GET", `/trpc/relationships.list?input=${encodeURIComponent(JSON.stringify({ limit: 101 }))}`, { secret: a.secret });
    expect(tooMany.status).toBe(400);
  });

  it("templates: own then loaded, one cursor across both; the Connector lists refuse past the cap", async () => {
    const a = await server.createAccount();
    const b = await server.createAccount();
    const create = async (secret: string) =>
      (await server.http("POST", "/api/core/v1/RelationshipTemplates/Own", { secret, body: { expiresAt: inAnHour(), content: ARBITRARY } })).body.result;
    const own = await create(a.secret);
    const peer = await create(b.secret);
    expect((await server.http("POST", "/api/core/v1/RelationshipTemplates/Peer", { secret: a.secret, body: { reference: peer.reference.truncated } })).status).toBe(201);
    const row = await db().selectFrom("relationship_templates").selectAll().where("id", "=", own.id).executeTakeFirstOrThrow();
    const ownIds = [own.id];
    const clones = Array.from({ length: OVER - 1 }, (_, i) => {
      const id = enmeshedId("RLT");
      ownIds.push(id);
      return { ...row, id, created_at: row.created_at + 1 + Math.floor(i / 5) };
    });
    for (let i = 0; i < clones.length; i += 200) await db().insertInto("relationship_templates").values(clones.slice(i, i + 200)).execute();

    for (const path of ["/RelationshipTemplates", "/RelationshipTemplates/Own"]) {
      const refused = await server.http("GET", `/api/v2${path}`, { secret: a.secret });
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe("error.runtime.list.tooLarge");
    }
    const loaded = await server.http("GET", "/api/core/v1/RelationshipTemplates/Peer", { secret: a.secret });
    expect(loaded.status).toBe(200);
    expect(loaded.body.result.map((t: { id: string }) => t.id)).toEqual([peer.id]);

    const client = trpc(a.secret);
    const pages = await everyPage(100, (cursor) => client.relationshipTemplates.list.query({ limit: 100, ...(cursor ? { cursor } : {}) }));
    const seen = pages.flat().map((t) => t.id);
    expectEachOnce(seen, [...ownIds, peer.id]);
    expect(seen.at(-1)).toBe(peer.id); // loaded templates after the own ones
    const ownOnly = await everyPage(100, (cursor) => client.relationshipTemplates.list.query({ ownerRestriction: "o", limit: 100, ...(cursor ? { cursor } : {}) }));
    expectEachOnce(ownOnly.flat().map((t) => t.id), ownIds);

    await db().updateTable("relationship_templates").set({ deleted_at: Date.now() }).where("id", "=", ownIds.at(-1)!).execute();
    const capped = await server.http("GET", "/api/core/v1/RelationshipTemplates/Own", { secret: a.secret });
    expect(capped.status).toBe(200);
    expect(capped.body.result).toHaveLength(REST_LIST_CAP);
  });

  it("resolve of a popular name: Trusted Twin refuses past the cap with 400141; tRPC pages in twin order, each twin once", async () => {
    const a = await server.createAccount();
    const b = await server.createAccount();
    const c = await server.createAccount();
    const name = "RFID#popular";
    const now = Date.now();
    const twinIds = Array.from({ length: OVER }, () => randomUUID()).sort();
    const twin = (id: string) => ({
      id, owner: a.account.id, status: "alive" as const, description: null, creator: a.account.id,
      created_at: now, updated_at: now, terminated_at: null, terminated_by: null, version: 1,
    });
    const identity = (twinId: string, owner: string, visibility: string | null) => ({
      twin: twinId, owner, name, validity_at: null, visibility, creator: owner, created_at: now, updated_at: now, version: 1,
    });
    // Every twin carries A's public identity; B adds its own public one to every third twin (the
    // same twin must not come twice) and a private one to 40 more twins of its own, which C never sees.
    const hidden = Array.from({ length: 40 }, () => randomUUID());
    const rows = [
      ...twinIds.map((id) => identity(id, a.account.id, "true")),
      ...twinIds.filter((_, i) => i % 3 === 0).map((id) => identity(id, b.account.id, "true")),
      ...hidden.map((id) => identity(id, b.account.id, null)),
    ];
    const twins = [...twinIds, ...hidden].map(twin);
    for (let i = 0; i < twins.length; i += 200) await db().insertInto("twins").values(twins.slice(i, i + 200)).execute();
    for (let i = 0; i < rows.length; i += 200) await db().insertInto("identities").values(rows.slice(i, i + 200)).execute();

    const path = `/resolve/${encodeURIComponent(name)}?context=system`;
    const refused = await server.http("GET", path, { secret: c.secret });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ subcode: 400141, description: expect.stringMatching(`More than ${REST_LIST_CAP} twins`) });
    expect((await server.http("GET", `${path}&details=true`, { secret: c.secret })).body.subcode).toBe(400141);

    const client = trpc(c.secret);
    const pages: string[][] = [];
    for (let cursor: string | null = null; ; ) {
      const page = await client.identities.resolve.query({ name, context: "system", limit: 100, ...(cursor ? { cursor } : {}) });
      expect(page.twins.length).toBeLessThanOrEqual(100);
      pages.push(page.twins);
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    expect(pages.flat()).toEqual(twinIds); // sorted, each exactly once, the hidden ones never
    const first = await client.identities.resolve.query({ name, context: "system", details: true });
    expect(first.twins).toEqual(twinIds.slice(0, 50));
    expect(first.details!.map((t) => t.id)).toEqual(twinIds.slice(0, 50));
    expect(first.nextCursor).not.toBeNull();
    const personal = await everyPage(100, async (cursor) => {
      const page = await trpc(b.secret).identities.resolve.query({ name, limit: 100, ...(cursor ? { cursor } : {}) });
      return { items: page.twins, nextCursor: page.nextCursor };
    });
    expectEachOnce(personal.flat(), [...twinIds.filter((_, i) => i % 3 === 0), ...hidden]);

    // At exactly the cap the Trusted Twin answer is complete (a twin only A's identity is on).
    await db().deleteFrom("identities").where("twin", "=", twinIds[1]!).execute();
    const all = await server.http("GET", path, { secret: c.secret });
    expect(all.status).toBe(200);
    expect(all.body.twins).toEqual(twinIds.filter((_, i) => i !== 1));
    const detailed = await server.http("GET", `${path}&details=true`, { secret: c.secret });
    expect(Object.keys(detailed.body.twins).sort()).toEqual(twinIds.filter((_, i) => i !== 1));
  });

  it("users and roles: Trusted Twin refuses past the cap with 400141; tRPC pages through each once", async () => {
    const a = await server.createAccount();
    const role = await db().selectFrom("roles").selectAll().where("id", "=", a.role.id).executeTakeFirstOrThrow();
    const user = await db().selectFrom("users").selectAll().where("id", "=", a.user.id).executeTakeFirstOrThrow();
    const roleIds = [role.id];
    const userIds = [user.id];
    const roles = Array.from({ length: OVER - 1 }, (_, i) => {
      const id = randomUUID();
      roleIds.push(id);
      return { ...role, id, name: `role ${i}`, created_at: role.created_at + 1 + Math.floor(i / 3) };
    });
    const users = Array.from({ length: OVER - 1 }, (_, i) => {
      const id = randomUUID();
      userIds.push(id);
      return { ...user, id, name: `user ${i}`, role: roleIds[1 + (i % 7)]!, created_at: user.created_at + 1 + Math.floor(i / 3) };
    });
    for (let i = 0; i < roles.length; i += 200) await db().insertInto("roles").values(roles.slice(i, i + 200)).execute();
    for (let i = 0; i < users.length; i += 200) await db().insertInto("users").values(users.slice(i, i + 200)).execute();

    const client = trpc(a.secret);
    const lists = {
      users: (input?: { cursor?: string; limit?: number }): Promise<Paged<{ id: string }>> => client.access.users.list.query(input),
      roles: (input?: { cursor?: string; limit?: number }): Promise<Paged<{ id: string }>> => client.access.roles.list.query(input),
    };
    for (const [kind, ids] of [["users", userIds], ["roles", roleIds]] as const) {
      const refused = await server.http("GET", `/${kind}`, { secret: a.secret });
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ subcode: 400141, description: expect.stringMatching(`More than ${REST_LIST_CAP} ${kind}`) });
      const list = lists[kind];
      const pages = await everyPage(100, (cursor) => list({ limit: 100, ...(cursor ? { cursor } : {}) }));
      expectEachOnce(pages.flat().map((r) => r.id), ids);
      const first = await list();
      expect(first.items).toHaveLength(50);
      expect(first.items[0]!.id).toBe(ids[0]); // oldest first
    }
    expect((await server.http("GET", `/trpc/access.users.list?input=${encodeURIComponent(JSON.stringify({ cursor: "bad" }))}`, { secret: a.secret })).status).toBe(400);

    await db().deleteFrom("users").where("id", "=", userIds.at(-1)!).execute();
    const all = await server.http("GET", "/users", { secret: a.secret });
    expect(all.status).toBe(200);
    expect(Object.keys(all.body.users).sort()).toEqual(userIds.slice(0, -1).sort());
    // Deleting through the API leaves the role list at the cap, where it answers whole.
    expect((await server.http("DELETE", `/roles/${roleIds.at(-1)}`, { secret: a.secret })).status).toBe(200);
    const allRoles = await server.http("GET", "/roles", { secret: a.secret });
    expect(allRoles.status).toBe(200);
    expect(Object.keys(allRoles.body.roles)).toHaveLength(REST_LIST_CAP);
  });
});
