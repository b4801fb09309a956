import { describe, expect, it } from "vitest";
import { expectTrustedTwinError } from "../support/assertions.js";
import { withServer } from "../support/server.js";

describe("Trusted Twin users and roles", () => {
  const fx = withServer("sqlite", { admin: "account 1" });
  const call = (method: string, path: string, body?: unknown) => fx.server.http(method, path, { secret: fx.admin.secret, body });

  it("creates, reads, patches and deletes a user in Trusted Twin's shape", async () => {
    const created = await call("POST", "/users", { role: fx.admin.role.id, name: "Operator 1", description: { team: "ops" } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      uuid: expect.any(String),
      account: fx.admin.account.id,
      role: fx.admin.role.id,
      name: "Operator 1",
      description: { team: "ops" },
      created_ts: expect.any(Number),
      updated_ts: expect.any(Number),
    });
    expect(String(created.body.created_ts)).toMatch(/^\d{10}(\.\d{1,3})?$/);
    const path = `/users/${created.body.uuid}`;
    expect((await call("GET", path)).body).toEqual(created.body);

    const patched = await call("PATCH", path, { description: null });
    expect(patched.status).toBe(200);
    expect(patched.body).not.toHaveProperty("description"); // left out when null, like Trusted Twin
    expect(patched.body.name).toBe("Operator 1");

    expectTrustedTwinError(await call("PATCH", path, { nickname: "x" }), 400592);
    expectTrustedTwinError(await call("POST", "/users", { name: "No role" }), 400592);
    expectTrustedTwinError(await call("POST", "/users", { role: fx.admin.role.id, name: "!" }), 400592);

    expect((await call("DELETE", path)).body.uuid).toBe(created.body.uuid);
    expectTrustedTwinError(await call("GET", path), 404653);
  });

  it("creates roles with either spelling of the rule keys and renders the _rule spelling", async () => {
    const long = await call("POST", "/roles", {
      name: "Pallets",
      statement: { effect: "allow", actions: ["get_twin"] },
      rules: { twin_rule: "TWIN.kind == 'pallet'", identity_rule: null },
    });
    expect(long.status).toBe(201);
    expect(long.body).toEqual({
      uuid: expect.any(String),
      account: fx.admin.account.id,
      name: "Pallets",
      statement: { effect: "allow", actions: ["get_twin"] },
      rules: { twin_rule: "TWIN.kind == 'pallet'", entry_rule: null, identity_rule: null },
      created_ts: expect.any(Number),
      updated_ts: expect.any(Number),
    });
    const short = await call("POST", "/roles", { rules: { twin: "TWIN.kind == 'box'", entry: "true" } });
    expect(short.status).toBe(201);
    expect(short.body.rules).toEqual({ twin_rule: "TWIN.kind == 'box'", entry_rule: "true", identity_rule: null });
    expect(short.body.statement).toEqual({ effect: "deny", actions: null });

    expectTrustedTwinError(await call("POST", "/roles", { rules: { twin: "true", twin_rule: "true" } }), 400592);
    expectTrustedTwinError(await call("POST", "/roles", { statement: { effect: "allow", actions: ["fly"] } }), 400592);
    const syntax = await call("POST", "/roles", { rules: { twin_rule: "TWIN.kind ==" } });
    expectTrustedTwinError(syntax, 400589);

    const patched = await call("PATCH", `/roles/${long.body.uuid}`, { rules: { identity: "true" } });
    expect(patched.body.rules).toEqual({ twin_rule: "TWIN.kind == 'pallet'", entry_rule: null, identity_rule: "true" });

    const list = await call("GET", "/roles");
    expect(list.body.roles[long.body.uuid]).toEqual({ name: "Pallets", created_ts: expect.any(Number), updated_ts: expect.any(Number) });
  });

  it("refuses to delete a role still held by a user (400897)", async () => {
    const role = await call("POST", "/roles", { name: "Held" });
    const user = await call("POST", "/users", { role: role.body.uuid });
    expectTrustedTwinError(await call("DELETE", `/roles/${role.body.uuid}`), 400897);
    await call("DELETE", `/users/${user.body.uuid}`);
    expect((await call("DELETE", `/roles/${role.body.uuid}`)).status).toBe(200);
  });
});
