import { openDatabase, type Database } from "@idhub/db";
import { testDialects } from "@idhub/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sharedDatabase, spawnServer, type ServerProcess, type SharedDatabase } from "../support/processes.js";
import { createTenants, type Tenant } from "../support/workload.js";
import { contractFetch } from "../support/http.js";

// quality.md "Concurrency", across processes over real HTTP: three server processes on one
// database. 200 concurrent If-Match PATCHes of one identity through two of them: exactly one 200,
// the rest 412. 200 concurrent first upserts of one metadata key through all three: one row, all
// 200. No SQLITE_BUSY, deadlock or serialization error reaches a client (every answer is 200 or
// 412). Duration: about 10–20 s per dialect (three process starts).

const N = 200;

describe.each(testDialects)("three processes on one %s database", (dialect) => {
  let shared: SharedDatabase;
  let servers: ServerProcess[] = [];
  let database: Database;
  let tenant: Tenant;

  beforeAll(async () => {
    shared = await sharedDatabase(dialect);
    const env = { IDHUB_DATABASE_URL: shared.url };
    servers = [await spawnServer(env)];
    servers.push(...(await Promise.all([spawnServer(env), spawnServer(env)])));
    database = await openDatabase(shared.url);
    tenant = (await createTenants(database, 1))[0]!;
  }, 120_000);
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.kill("SIGTERM")));
    await database?.close();
    await shared?.drop();
  });

  const send = (server: ServerProcess, method: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(server.url + path, {
      method,
      headers: { authorization: tenant.secret, "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

  it(`${N} concurrent If-Match PATCHes of one identity via two processes: exactly one 200, ${N - 1}× 412`, async () => {
    const twin = (await send(servers[0]!, "POST", "/twins", {})).body.creation_certificate.uuid;
    const path = `/twins/${twin}/identities/${encodeURIComponent("RFID#race")}`;
    expect((await send(servers[0]!, "POST", `/twins/${twin}/identities`, { identities: { "RFID#race": {} } })).status).toBe(201);
    const etag = (await contractFetch(servers[1]!.url + path, { headers: { authorization: tenant.secret } })).headers.get("etag")!;

    const replies = await Promise.all(
      Array.from({ length: N }, (_, i) => send(servers[i % 2]!, "PATCH", path, { validity_ts: 4_000_000_000 + i }, { "If-Match": etag })),
    );
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(N - 1);
    const winner = replies.find((r) => r.status === 200)!;
    const row = await database.db.selectFrom("identities").selectAll().where("twin", "=", twin).executeTakeFirstOrThrow();
    expect(Number(row.version)).toBe(Number(etag.slice(1, -1)) + 1);
    expect(Number(row.validity_at)).toBe(winner.body.validity_ts * 1000);
  });

  it(`${N} concurrent first upserts of one metadata key via three processes: all 200, one row`, async () => {
    const replies = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        send(servers[i % 3]!, "PUT", "/api/core/v1/IdentityMetadata", { reference: tenant.address, key: "race", value: { i } }),
      ),
    );
    expect(replies.filter((r) => r.status !== 200)).toEqual([]);
    const rows = await database.db
      .selectFrom("identity_metadata")
      .select(["version"])
      .where("owner", "=", tenant.account)
      .where("key", "=", "race")
      .execute();
    expect(rows).toHaveLength(1);
    expect(Number(rows[0]!.version)).toBe(N);
  });
});
