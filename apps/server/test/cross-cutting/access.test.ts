import { testDialects } from "@idhub/db/testing";
import { describe, expect, it } from "vitest";
import { userWithStatement } from "../support/accounts.js";
import { expectConnectorError, expectTrustedTwinError } from "../support/assertions.js";
import { withServer } from "../support/server.js";

describe.each(testDialects)("access over HTTP (%s)", (dialect) => {
  const fx = withServer(dialect, { a: "A", b: "B" });

  it("a role allowing only get_users lists users but gets 403535 on POST /users", async () => {
    const limited = await userWithStatement(fx.server.http, fx.a.secret, { effect: "allow", actions: ["get_users"] });
    const list = await fx.server.http("GET", "/users", { secret: limited.secret });
    expect(list.status).toBe(200);
    expect(Object.keys(list.body.users)).toEqual(expect.arrayContaining([fx.a.user.id, limited.user]));
    expect(list.body.users[limited.user]).toEqual({
      name: "Limited user",
      role: limited.role,
      created_ts: expect.any(Number),
      updated_ts: expect.any(Number),
    });

    const denied = await fx.server.http("POST", "/users", { secret: limited.secret, body: { role: limited.role } });
    expectTrustedTwinError(denied, 403535);
    expect(denied.body.description).toContain("create_user");
    // The action is checked before the input: a bad body still gets 403.
    expectTrustedTwinError(await fx.server.http("POST", "/users", { secret: limited.secret, body: "{" }), 403535);
    expectTrustedTwinError(await fx.server.http("GET", "/roles", { secret: limited.secret }), 403535);
    expectTrustedTwinError(await fx.server.http("GET", "/account", { secret: limited.secret }), 403535);
    expectConnectorError(
      await fx.server.http("GET", "/api/core/v1/Account/IdentityInfo", { headers: { "X-API-KEY": limited.secret } }),
      403,
      "error.connector.forbidden",
    );
    // whoami needs no action.
    expect((await fx.server.http("GET", "/whoami", { secret: limited.secret })).body.user).toBe(limited.user);
  });

  it("a user cannot create a role that allows more than their own", async () => {
    const roleMaker = await userWithStatement(fx.server.http, fx.a.secret, {
      effect: "allow",
      actions: ["create_user_role", "get_user_roles"],
    });
    const within = await fx.server.http("POST", "/roles", {
      secret: roleMaker.secret,
      body: { name: "Reader", statement: { effect: "allow", actions: ["get_user_roles"] } },
    });
    expect(within.status).toBe(201);

    for (const statement of [
      { effect: "allow", actions: ["get_user_roles", "create_user"] },
      { effect: "deny", actions: ["create_user"] },
      undefined, // no statement = every action
    ]) {
      const reply = await fx.server.http("POST", "/roles", { secret: roleMaker.secret, body: { name: "Escalated", statement } });
      expectTrustedTwinError(reply, 403535);
    }
  });

  it("account B's secret reading account A's user or role gets 404653, like a missing one", async () => {
    const targets = [
      [`/users/${fx.a.user.id}`, { name: "Mine now" }],
      [`/roles/${fx.a.role.id}`, { name: "Mine now" }],
      [`/users/${fx.a.user.id}/secrets`, { validity_ts: null }],
    ] as const;
    for (const [path, patch] of targets) {
      expectTrustedTwinError(await fx.server.http("GET", path, { secret: fx.b.secret }), 404653);
      expectTrustedTwinError(await fx.server.http("PATCH", path, { secret: fx.b.secret, body: patch }), 404653);
      expectTrustedTwinError(await fx.server.http("DELETE", path, { secret: fx.b.secret }), 404653);
      expect((await fx.server.http("GET", path, { secret: fx.a.secret })).status).toBe(200);
    }
    const missing = "00000000-0000-4000-8000-000000000000";
    expectTrustedTwinError(await fx.server.http("GET", `/users/${missing}`, { secret: fx.b.secret }), 404653);
    const list = await fx.server.http("GET", "/users", { secret: fx.b.secret });
    expect(Object.keys(list.body.users)).toEqual([fx.b.user.id]);
  });
});
