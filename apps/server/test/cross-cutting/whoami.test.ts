import { stat } from "node:fs/promises";
import type { AppRouter } from "@idhub/api";
import { createTRPCClient, httpBatchLink, httpLink } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { expectConnectorHeaders } from "../support/assertions.js";
import { withServer } from "../support/server.js";

const ADDRESS = /^did:e:localhost:dids:[0-9a-f]{22}$/;

describe("whoami with the bootstrap secret, on every surface", () => {
  const fx = withServer();

  it("writes the bootstrap secret to a 0600 file and prints it once, never logging it", async () => {
    expect(fx.server.bootstrapSecret).toMatch(/^[A-Za-z0-9+/]{64}$/);
    expect((await stat(fx.server.bootstrapSecretFile)).mode & 0o777).toBe(0o600);
    expect(fx.server.printed.join("").split(fx.server.bootstrapSecret)).toHaveLength(2);
    expect(fx.server.logs.join("")).not.toContain(fx.server.bootstrapSecret);
  });

  it("answers over tRPC, single and batched", async () => {
    const headers = { authorization: fx.server.bootstrapSecret };
    const single = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${fx.server.url}/trpc`, headers })] });
    const batched = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${fx.server.url}/trpc`, headers })] });

    const me = await single.access.whoami.query();
    expect(me).toEqual({ account: expect.any(String), user: expect.any(String), role: expect.any(String) });
    const [again, info] = await Promise.all([batched.access.whoami.query(), batched.access.account.identityInfo.query()]);
    expect(again).toEqual(me);
    expect(info.address).toMatch(ADDRESS);
  });

  it("answers over Trusted Twin REST with Authorization (bare and Bearer)", async () => {
    const bare = await fx.server.http("GET", "/whoami", { secret: fx.server.bootstrapSecret });
    const bearer = await fx.server.http("GET", "/whoami", { headers: { Authorization: `Bearer ${fx.server.bootstrapSecret}` } });
    expect(bare.status).toBe(200);
    expect(bare.body).toEqual({ account: expect.any(String), user: expect.any(String), role: expect.any(String) });
    expect(bearer.body).toEqual(bare.body);

    const account = await fx.server.http("GET", "/account", { secret: fx.server.bootstrapSecret });
    expect(account.status).toBe(200);
    expect(account.body).toEqual({
      uuid: bare.body.account,
      address: expect.stringMatching(ADDRESS),
      created_ts: expect.any(Number),
      updated_ts: expect.any(Number),
    });
    expect(account.body.created_ts).toBeCloseTo(Date.now() / 1000, -2);
  });

  it("answers the Connector's IdentityInfo with X-API-KEY (any letter case), under both prefixes", async () => {
    for (const [prefix, header] of [["/api/core/v1", "X-API-KEY"], ["/api/v2", "x-api-key"]] as const) {
      const reply = await fx.server.http("GET", `${prefix}/Account/IdentityInfo`, { headers: { [header]: fx.server.bootstrapSecret } });
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({ result: { address: expect.stringMatching(ADDRESS), publicKey: expect.any(String) } });
      expectConnectorHeaders(reply);
      const key = JSON.parse(Buffer.from(reply.body.result.publicKey, "base64url").toString("utf8"));
      expect(Object.keys(key)).toEqual(["pub", "alg"]);
      expect(key.alg).toBe(3);
      expect(Buffer.from(key.pub, "base64url")).toHaveLength(32);
    }
  });

  it("returns the same address on all surfaces", async () => {
    const tt = await fx.server.http("GET", "/account", { secret: fx.server.bootstrapSecret });
    const connector = await fx.server.http("GET", "/api/core/v1/Account/IdentityInfo", { headers: { "X-API-KEY": fx.server.bootstrapSecret } });
    expect(connector.body.result.address).toBe(tt.body.address);
  });
});
