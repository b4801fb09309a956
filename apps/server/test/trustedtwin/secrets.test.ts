import { beforeAll, describe, expect, it } from "vitest";
import { issueSecret } from "../support/accounts.js";
import { expectConnectorError, expectTrustedTwinError } from "../support/assertions.js";
import { withServer } from "../support/server.js";

describe("secrets through the PIN flow", () => {
  const fx = withServer("sqlite", { admin: "account 1" });
  let user: string;
  beforeAll(async () => {
    const created = await fx.server.http("POST", "/users", { secret: fx.admin.secret, body: { role: fx.admin.role.id, name: "Worker" } });
    user = created.body.uuid;
  });

  it("pin → secret → the new secret works, the old one no longer does; a used pin is 404653", async () => {
    const pin = await fx.server.http("POST", `/users/${user}/secrets`, { secret: fx.admin.secret });
    expect(pin.status).toBe(201);
    expect(pin.body).toEqual({ pin: expect.stringMatching(/^[A-Z0-9]{6}$/) });

    const issued = await fx.server.http("POST", `/secrets/${fx.admin.account.id}/${pin.body.pin}`);
    expect(issued.status).toBe(201);
    expect(issued.body).toEqual({
      secret: expect.stringMatching(/^[A-Za-z0-9+/]{64}$/),
      account: fx.admin.account.id,
      user,
      validity_ts: null,
      created_ts: expect.any(Number),
      updated_ts: expect.any(Number),
    });
    const first = issued.body.secret as string;
    expect((await fx.server.http("GET", "/whoami", { secret: first })).body.user).toBe(user);

    expectTrustedTwinError(await fx.server.http("POST", `/secrets/${fx.admin.account.id}/${pin.body.pin}`), 404653);

    const second = await issueSecret(fx.server.http, fx.admin.secret, fx.admin.account.id, user);
    expect((await fx.server.http("GET", "/whoami", { secret: second })).status).toBe(200);
    expectTrustedTwinError(await fx.server.http("GET", "/whoami", { secret: first }), 401000);

    const info = await fx.server.http("GET", `/users/${user}/secrets`, { secret: fx.admin.secret });
    expect(info.body).toEqual({
      account: fx.admin.account.id,
      user,
      validity_ts: null,
      created_ts: expect.any(Number),
      updated_ts: expect.any(Number),
      fingerprint: second.slice(-4),
    });
    expect(info.text).not.toContain(second);
  });

  it("an expired secret is 401 on every surface", async () => {
    const pastSeconds = Math.floor(Date.now() / 1000) - 60;
    const expired = await issueSecret(fx.server.http, fx.admin.secret, fx.admin.account.id, user, pastSeconds + 0.125);
    const info = await fx.server.http("GET", `/users/${user}/secrets`, { secret: fx.admin.secret });
    expect(info.body.validity_ts).toBe(pastSeconds + 0.125);

    expectTrustedTwinError(await fx.server.http("GET", "/whoami", { secret: expired }), 401000);
    expectConnectorError(
      await fx.server.http("GET", "/api/v2/Account/IdentityInfo", { headers: { "x-api-key": expired } }),
      401,
      "error.connector.unauthorized",
    );
    const trpc = await fx.server.http("GET", "/trpc/access.whoami", { secret: expired });
    expect(trpc.status).toBe(401);
    expect(trpc.body.error.data.code).toBe("UNAUTHORIZED");
  });

  it("PATCH sets the validity in seconds; DELETE removes the secret", async () => {
    const secret = await issueSecret(fx.server.http, fx.admin.secret, fx.admin.account.id, user);
    const future = Math.floor(Date.now() / 1000) + 3600;
    const patched = await fx.server.http("PATCH", `/users/${user}/secrets`, { secret: fx.admin.secret, body: { validity_ts: future } });
    expect(patched.body.validity_ts).toBe(future);
    expect((await fx.server.http("GET", "/whoami", { secret })).status).toBe(200);

    await fx.server.http("PATCH", `/users/${user}/secrets`, { secret: fx.admin.secret, body: { validity_ts: future - 7200 } });
    expectTrustedTwinError(await fx.server.http("GET", "/whoami", { secret }), 401000);

    expect((await fx.server.http("DELETE", `/users/${user}/secrets`, { secret: fx.admin.secret })).status).toBe(200);
    expectTrustedTwinError(await fx.server.http("GET", `/users/${user}/secrets`, { secret: fx.admin.secret }), 404653);
    expectTrustedTwinError(await fx.server.http("PATCH", `/users/${user}/secrets`, { secret: fx.admin.secret, body: { validity_ts: "soon" } }), 400592);
  });

  it("never logs a secret, a PIN or the credential headers", async () => {
    const pin = await fx.server.http("POST", `/users/${user}/secrets`, { secret: fx.admin.secret });
    const issued = await fx.server.http("POST", `/secrets/${fx.admin.account.id}/${pin.body.pin}`);
    const logs = fx.server.logs.join("\n");
    for (const credential of [fx.admin.secret, fx.server.bootstrapSecret, issued.body.secret, pin.body.pin]) {
      expect(logs).not.toContain(credential);
    }
    expect(logs).not.toMatch(/authorization|x-api-key/i);
    const line = fx.server.logs.map((l) => JSON.parse(l)).find((l) => l.path === "/secrets/:account/:pin");
    expect(line).toMatchObject({ method: "POST", status: 201, reqId: expect.any(String), ms: expect.any(Number) });
  });
});

describe("throttling of failed logins", () => {
  const fx = withServer();

  it("after 20 failures from one address even a valid secret is rejected for the window", async () => {
    const { secret } = await fx.server.createAccount();
    expect((await fx.server.http("GET", "/whoami", { secret })).status).toBe(200);
    for (let i = 0; i < 20; i++) {
      expectTrustedTwinError(await fx.server.http("GET", "/whoami", { secret: `wrong-${i}` }), 401000);
    }
    const throttled = await fx.server.http("GET", "/whoami", { secret });
    expectTrustedTwinError(throttled, 401000);
    expect(throttled.body.description).toMatch(/too many/i);
    expectConnectorError(
      await fx.server.http("GET", "/api/core/v1/Account/IdentityInfo", { headers: { "X-API-KEY": secret } }),
      401,
      "error.connector.unauthorized",
    );
    // PIN redemption is throttled by the same counter.
    expectTrustedTwinError(await fx.server.http("POST", `/secrets/${crypto.randomUUID()}/AAAAAA`), 401000);
  });
});
