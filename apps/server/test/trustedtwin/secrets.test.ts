import type { CreatedAccount } from "@idhub/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueSecret } from "../support/accounts.js";
import { expectConnectorError, expectTrustedTwinError } from "../support/assertions.js";
import { startTestServer, type TestServer } from "../support/server.js";

describe("secrets through the PIN flow", () => {
  let server: TestServer;
  let admin: CreatedAccount;
  let user: string;
  beforeAll(async () => {
    server = await startTestServer();
    admin = await server.createAccount();
    const created = await server.http("POST", "/users", { secret: admin.secret, body: { role: admin.role.id, name: "Worker" } });
    user = created.body.uuid;
  });
  afterAll(() => server.stop());

  it("pin → secret → the new secret works, the old one no longer does; a used pin is 404653", async () => {
    const pin = await server.http("POST", `/users/${user}/secrets`, { secret: admin.secret });
    expect(pin.status).toBe(201);
    expect(pin.body).toEqual({ pin: expect.stringMatching(/^[A-Z0-9]{6}$/) });

    const issued = await server.http("POST", `/secrets/${admin.account.id}/${pin.body.pin}`);
    expect(issued.status).toBe(201);
    expect(issued.body).toEqual({
      secret: expect.stringMatching(/^[A-Za-z0-9+/]{64}$/),
      account: admin.account.id,
      user,
      validity_ts: null,
      created_ts: expect.any(Number),
      updated_ts: expect.any(Number),
    });
    const first = issued.body.secret as string;
    expect((await server.http("GET", "/whoami", { secret: first })).body.user).toBe(user);

    expectTrustedTwinError(await server.http("POST", `/secrets/${admin.account.id}/${pin.body.pin}`), 404653);

    const second = await issueSecret(server.http, admin.secret, admin.account.id, user);
    expect((await server.http("GET", "/whoami", { secret: second })).status).toBe(200);
    expectTrustedTwinError(await server.http("GET", "/whoami", { secret: first }), 401000);

    const info = await server.http("GET", `/users/${user}/secrets`, { secret: admin.secret });
    expect(info.body).toEqual({
      account: admin.account.id,
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
    const expired = await issueSecret(server.http, admin.secret, admin.account.id, user, pastSeconds + 0.125);
    const info = await server.http("GET", `/users/${user}/secrets`, { secret: admin.secret });
    expect(info.body.validity_ts).toBe(pastSeconds + 0.125);

    expectTrustedTwinError(await server.http("GET", "/whoami", { secret: expired }), 401000);
    expectConnectorError(
      await server.http("GET", "/api/v2/Account/IdentityInfo", { headers: { "x-api-key": expired } }),
      401,
      "error.connector.unauthorized",
    );
    const trpc = await server.http("GET", "/trpc/access.whoami", { secret: expired });
    expect(trpc.status).toBe(401);
    expect(trpc.body.error.data.code).toBe("UNAUTHORIZED");
  });

  it("PATCH sets the validity in seconds; DELETE removes the secret", async () => {
    const secret = await issueSecret(server.http, admin.secret, admin.account.id, user);
    const future = Math.floor(Date.now() / 1000) + 3600;
    const patched = await server.http("PATCH", `/users/${user}/secrets`, { secret: admin.secret, body: { validity_ts: future } });
    expect(patched.body.validity_ts).toBe(future);
    expect((await server.http("GET", "/whoami", { secret })).status).toBe(200);

    await server.http("PATCH", `/users/${user}/secrets`, { secret: admin.secret, body: { validity_ts: future - 7200 } });
    expectTrustedTwinError(await server.http("GET", "/whoami", { secret }), 401000);

    expect((await server.http("DELETE", `/users/${user}/secrets`, { secret: admin.secret })).status).toBe(200);
    expectTrustedTwinError(await server.http("GET", `/users/${user}/secrets`, { secret: admin.secret }), 404653);
    expectTrustedTwinError(await server.http("PATCH", `/users/${user}/secrets`, { secret: admin.secret, body: { validity_ts: "soon" } }), 400592);
  });

  it("never logs a secret, a PIN or the credential headers", async () => {
    const pin = await server.http("POST", `/users/${user}/secrets`, { secret: admin.secret });
    const issued = await server.http("POST", `/secrets/${admin.account.id}/${pin.body.pin}`);
    const logs = server.logs.join("\n");
    for (const credential of [admin.secret, server.bootstrapSecret, issued.body.secret, pin.body.pin]) {
      expect(logs).not.toContain(credential);
    }
    expect(logs).not.toMatch(/authorization|x-api-key/i);
    const line = server.logs.map((l) => JSON.parse(l)).find((l) => l.path === "/secrets/:account/:pin");
    expect(line).toMatchObject({ method: "POST", status: 201, reqId: expect.any(String), ms: expect.any(Number) });
  });
});

describe("throttling of failed logins", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  it("after 20 failures from one address even a valid secret is rejected for the window", async () => {
    const { secret } = await server.createAccount();
    expect((await server.http("GET", "/whoami", { secret })).status).toBe(200);
    for (let i = 0; i < 20; i++) {
      expectTrustedTwinError(await server.http("GET", "/whoami", { secret: `wrong-${i}` }), 401000);
    }
    const throttled = await server.http("GET", "/whoami", { secret });
    expectTrustedTwinError(throttled, 401000);
    expect(throttled.body.description).toMatch(/too many/i);
    expectConnectorError(
      await server.http("GET", "/api/core/v1/Account/IdentityInfo", { headers: { "X-API-KEY": secret } }),
      401,
      "error.connector.unauthorized",
    );
    // PIN redemption is throttled by the same counter.
    expectTrustedTwinError(await server.http("POST", `/secrets/${crypto.randomUUID()}/AAAAAA`), 401000);
  });
});
