import { testDialects } from "@idhub/db/testing";
import { describe, expect, it } from "vitest";
import { withServer } from "../support/server.js";

// Per-account quotas (IDHUB_MAX_TWINS, IDHUB_MAX_IDENTITIES_PER_TWIN, IDHUB_MAX_METADATA_RECORDS):
// past the limit every surface answers its documented error — Trusted Twin 400 / 400141
// (quota_violation), Connector 400 `error.runtime.quota.<what>`, tRPC PAYLOAD_TOO_LARGE with the
// domain code — and nothing is written.

const LIMITS = {
  IDHUB_MAX_TWINS: "2",
  IDHUB_MAX_IDENTITIES_PER_TWIN: "3",
  IDHUB_MAX_METADATA_RECORDS: "2",
  IDHUB_MAX_WEBHOOKS: "2",
  IDHUB_WEBHOOKS_ALLOW_PRIVATE: "true",
};

describe.each(testDialects)("quotas (%s)", (dialect) => {
  const fx = withServer(dialect, {}, LIMITS);

  const count = async (table: "twins" | "identities" | "identity_metadata" | "events" | "webhooks", column: "owner" | "account", account: string) =>
    (await fx.server.database.db.selectFrom(table).select(column).where(column, "=", account).execute()).length;

  it("twins: the third twin is refused on both surfaces that create twins; nothing is written", async () => {
    const { account, secret } = await fx.server.createAccount();
    for (let i = 0; i < 2; i++) expect((await fx.server.http("POST", "/twins", { secret })).status).toBe(201);
    const events = await count("events", "account", account.id);

    const refused = await fx.server.http("POST", "/twins", { secret });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ subcode: 400141, description: expect.stringMatching(/at most 2 twins/) });
    const trpc = await fx.server.http("POST", "/trpc/twins.create", { secret, body: {} });
    expect(trpc.status).toBe(413);
    expect(trpc.body.error.data).toMatchObject({ code: "PAYLOAD_TOO_LARGE", domain: { kind: "TOO_LARGE", code: "quota.twins" } });

    expect(await count("twins", "owner", account.id)).toBe(2);
    expect(await count("events", "account", account.id)).toBe(events);
  });

  it("identities per twin: a create that would pass the limit is refused whole", async () => {
    const { account, secret } = await fx.server.createAccount();
    const twin = (await fx.server.http("POST", "/twins", { secret })).body.creation_certificate.uuid;
    const names = (...ids: number[]) => ({ identities: Object.fromEntries(ids.map((i) => [`RFID#q${i}`, {}])) });
    expect((await fx.server.http("POST", `/twins/${twin}/identities`, { secret, body: names(1, 2) })).status).toBe(201);

    const tooMany = await fx.server.http("POST", `/twins/${twin}/identities`, { secret, body: names(3, 4) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.subcode).toBe(400141);
    expect(await count("identities", "owner", account.id)).toBe(2);

    expect((await fx.server.http("POST", `/twins/${twin}/identities`, { secret, body: names(3) })).status).toBe(201);
    const trpc = await fx.server.http("POST", "/trpc/identities.create", { secret, body: { twin, identities: [{ name: "RFID#q5" }] } });
    expect(trpc.status).toBe(413);
    expect(trpc.body.error.data.domain.code).toBe("quota.identitiesPerTwin");
    expect(await count("identities", "owner", account.id)).toBe(3);
  });

  it("metadata records: a new key past the limit is refused; updating an existing one is not", async () => {
    const { account, secret } = await fx.server.createAccount();
    const put = (key: string, value: unknown) =>
      fx.server.http("PUT", "/api/core/v1/IdentityMetadata", { secret, body: { reference: account.address, key, value } });
    expect((await put("a", 1)).status).toBe(200);
    expect((await put("b", 1)).status).toBe(200);

    const refused = await put("c", 1);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: "error.runtime.quota.metadataRecords", message: expect.stringMatching(/at most 2/) });
    const trpc = await fx.server.http("POST", "/trpc/identityMetadata.upsert", { secret, body: { reference: account.address, key: "d", value: 1 } });
    expect(trpc.status).toBe(413);
    expect(trpc.body.error.data.domain.code).toBe("quota.metadataRecords");
    expect(await count("identity_metadata", "owner", account.id)).toBe(2);

    expect((await put("a", 2)).status).toBe(200); // an update does not add a record
    const missing = await fx.server.http("GET", `/api/v2/IdentityMetadata?reference=${account.address}&key=c`, { secret });
    expect(missing.status).toBe(404);
  });

  it("webhooks: the third webhook is refused on tRPC (the only surface that creates them); nothing is written", async () => {
    const { account, secret } = await fx.server.createAccount();
    const create = (n: number) => fx.server.http("POST", "/trpc/webhooks.create", { secret, body: { url: `http://127.0.0.1:9/hook${n}` } });
    for (let i = 0; i < 2; i++) expect((await create(i)).status).toBe(200);
    const events = await count("events", "account", account.id);

    const refused = await create(3);
    expect(refused.status).toBe(413);
    expect(refused.body.error.data).toMatchObject({ code: "PAYLOAD_TOO_LARGE", domain: { kind: "TOO_LARGE", code: "quota.webhooks" } });
    expect(refused.body.error.message).toMatch(/at most 2 webhooks per account \(IDHUB_MAX_WEBHOOKS\)/);
    expect(await count("webhooks", "account", account.id)).toBe(2);
    expect(await count("events", "account", account.id)).toBe(events); // no webhook.created either

    // Another account has its own quota.
    const other = await fx.server.createAccount();
    expect((await fx.server.http("POST", "/trpc/webhooks.create", { secret: other.secret, body: { url: "http://127.0.0.1:9/other" } })).status).toBe(200);
  });
});
