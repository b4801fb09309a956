import { testDialects } from "@idhub/db/testing";
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { issueSecret, userWithStatement } from "../support/accounts.js";
import { expectTrustedTwinError } from "../support/assertions.js";
import type { RequestOptions } from "../support/http.js";
import { withServer } from "../support/server.js";

const TS = /^\d{10}(\.\d{1,3})?$/;

describe.each(testDialects)("Trusted Twin twins (%s)", (dialect) => {
  const fx = withServer(dialect, { a: "A", b: "B" });
  const as = (who: { secret: string }) => (method: string, path: string, body?: unknown, options: RequestOptions = {}) =>
    fx.server.http(method, path, { secret: who.secret, body, ...options });

  it("POST /twins creates a twin in Trusted Twin's shape (201)", async () => {
    const created = await as(fx.a)("POST", "/twins", { description: { kind: "pallet", serial: "S1" } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      owner: fx.a.account.id,
      status: "alive",
      updated_ts: expect.any(Number),
      creation_certificate: { uuid: expect.any(String), creator: fx.a.account.id, created_ts: created.body.updated_ts },
      description: { kind: "pallet", serial: "S1" },
    });
    expect(String(created.body.updated_ts)).toMatch(TS);

    const bare = await as(fx.a)("POST", "/twins");
    expect(bare.status).toBe(201);
    expect(bare.body).not.toHaveProperty("description");
    expect(bare.body).not.toHaveProperty("termination_certificate");
    expect((await as(fx.a)("POST", "/twins", { description: null })).body).not.toHaveProperty("description");
    expect((await as(fx.a)("POST", "/twins", { description: {} })).body.description).toEqual({});
    expect((await as(fx.a)("POST", "/twins/", {})).status).toBe(201);
  });

  it("POST /twins rejects bad bodies: 400415, 400141, 400592; no secret 401000", async () => {
    expectTrustedTwinError(await as(fx.a)("POST", "/twins", '{"description": '), 400415);
    expectTrustedTwinError(await as(fx.a)("POST", "/twins", { description: { big: "x".repeat(65 * 1024) } }), 400141);
    expectTrustedTwinError(await as(fx.a)("POST", "/twins", { description: { "Bad-Key": 1 } }), 400592);
    expectTrustedTwinError(await as(fx.a)("POST", "/twins", { description: "text" }), 400592);
    expectTrustedTwinError(await as(fx.a)("POST", "/twins", { owner: fx.b.account.id }), 400592);
    expectTrustedTwinError(await fx.server.http("POST", "/twins", { body: {} }), 401000);
  });

  it("GET /twins/{twin}: any account by id, ETag, show_terminated, trailing slash, 404653 and 400592", async () => {
    const twin = (await as(fx.a)("POST", "/twins", { description: { kind: "box" } })).body;
    const id = twin.creation_certificate.uuid;
    const got = await as(fx.b)("GET", `/twins/${id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(twin);
    expect(got.headers.get("etag")).toBe('"1"');
    expect((await as(fx.b)("GET", `/twins/${id}/`)).body).toEqual(twin);
    for (const value of ["true", "True", "1", "false", "False", "0"]) {
      expect((await as(fx.b)("GET", `/twins/${id}?show_terminated=${value}`)).status).toBe(200);
    }
    expectTrustedTwinError(await as(fx.b)("GET", `/twins/${id}?show_terminated=yes`), 400592);
    expectTrustedTwinError(await as(fx.b)("GET", `/twins/${randomUUID()}`), 404653);
    expectTrustedTwinError(await as(fx.b)("GET", "/twins/not-a-uuid"), 400592);
    expectTrustedTwinError(await fx.server.http("GET", `/twins/${id}`), 401000);
  });

  it("PATCH /twins/{twin}: replaces the description, owner only (403535), If-Match (412000)", async () => {
    const id = (await as(fx.a)("POST", "/twins", { description: { kind: "box", n: 1 } })).body.creation_certificate.uuid;
    const patched = await as(fx.a)("PATCH", `/twins/${id}`, { description: { kind: "crate" } });
    expect(patched.status).toBe(200);
    expect(patched.body.description).toEqual({ kind: "crate" });
    expect(patched.headers.get("etag")).toBe('"2"');
    expect((await as(fx.a)("PATCH", `/twins/${id}`, {})).body.description).toEqual({ kind: "crate" });
    expect((await as(fx.a)("PATCH", `/twins/${id}`, { description: {} })).body.description).toEqual({});
    expect((await as(fx.a)("PATCH", `/twins/${id}`, { description: null })).body).not.toHaveProperty("description");

    const foreign = await as(fx.b)("PATCH", `/twins/${id}`, { description: { mine: true } });
    expectTrustedTwinError(foreign, 403535);
    expectTrustedTwinError(await as(fx.a)("PATCH", `/twins/${id}`, { description: { x: 1 }, extra: 2 }), 400592);
    expectTrustedTwinError(await as(fx.a)("PATCH", `/twins/${randomUUID()}`, { description: {} }), 404653);

    const version = (await as(fx.a)("GET", `/twins/${id}`)).headers.get("etag")!;
    expect(version).toBe('"5"');
    expectTrustedTwinError(await as(fx.a)("PATCH", `/twins/${id}`, { description: { stale: true } }, { headers: { "If-Match": '"4"' } }), 412000);
    expectTrustedTwinError(await as(fx.a)("PATCH", `/twins/${id}`, { description: { stale: true } }, { headers: { "If-Match": 'W/"5"' } }), 412000);
    expectTrustedTwinError(await as(fx.a)("PATCH", `/twins/${id}`, { description: {} }, { headers: { "If-Match": '"4", "5"' } }), 400592);
    expect((await as(fx.a)("GET", `/twins/${id}`)).body).not.toHaveProperty("description");
    const ok = await as(fx.a)("PATCH", `/twins/${id}`, { description: { fresh: true } }, { headers: { "If-Match": version } });
    expect(ok.status).toBe(200);
    expect((await as(fx.a)("PATCH", `/twins/${id}`, { description: { any: 1 } }, { headers: { "If-Match": "*" } })).status).toBe(200);
  });

  it("DELETE /twins/{twin}: terminates once (400358 again), owner only, then 400897 on PATCH; show_terminated=false → 404653", async () => {
    const id = (await as(fx.a)("POST", "/twins", { description: { kind: "box" } })).body.creation_certificate.uuid;
    expectTrustedTwinError(await as(fx.b)("DELETE", `/twins/${id}`), 403535);
    expectTrustedTwinError(await as(fx.a)("DELETE", `/twins/${id}`, undefined, { headers: { "If-Match": '"7"' } }), 412000);
    const terminated = await as(fx.a)("DELETE", `/twins/${id}`, undefined, { headers: { "If-Match": '"1"' } });
    expect(terminated.status).toBe(200);
    expect(terminated.body).toMatchObject({
      status: "terminated",
      termination_certificate: { issuer: fx.a.account.id, terminated_ts: terminated.body.updated_ts },
      description: { kind: "box" },
    });
    const again = await as(fx.a)("DELETE", `/twins/${id}`);
    expectTrustedTwinError(again, 400358);
    expect(again.body.description).toBe("Twin already terminated.");
    expectTrustedTwinError(await as(fx.a)("PATCH", `/twins/${id}`, { description: {} }), 400897);
    expect((await as(fx.b)("GET", `/twins/${id}`)).body.status).toBe("terminated");
    expect((await as(fx.b)("GET", `/twins/${id}?show_terminated=True`)).status).toBe(200);
    expectTrustedTwinError(await as(fx.b)("GET", `/twins/${id}?show_terminated=False`), 404653);
    expectTrustedTwinError(await as(fx.a)("DELETE", `/twins/${randomUUID()}`), 404653);
  });

  it("each route checks its action first (403535 naming it), and a role's twin_rule can deny a twin (403535)", async () => {
    const id = (await as(fx.a)("POST", "/twins", { description: { kind: "pallet", serial: "S9" } })).body.creation_certificate.uuid;
    const reader = await userWithStatement(fx.server.http, fx.b.secret, { effect: "allow", actions: ["get_twin"] });
    expect((await as(reader)("GET", `/twins/${id}`)).status).toBe(200);
    for (const [method, path, action] of [
      ["POST", "/twins", "create_twin"],
      ["PATCH", `/twins/${id}`, "update_twin"],
      ["DELETE", `/twins/${id}`, "terminate_twin"],
    ] as const) {
      const denied = await as(reader)(method, path, "{bad json");
      expectTrustedTwinError(denied, 403535);
      expect(denied.body.description).toContain(action);
    }

    const role = await as(fx.b)("POST", "/roles", { name: "Serials", rules: { twin_rule: "DICT.serial == TWIN.serial" } });
    const user = await as(fx.b)("POST", "/users", { role: role.body.uuid, name: "Scanner" });
    const scanner = { secret: await issueSecret(fx.server.http, fx.b.secret, fx.b.account.id, user.body.uuid) };
    const dict = (value: object) => ({ headers: { "X-TrustedTwin": Buffer.from(JSON.stringify(value)).toString("base64") } });
    expect((await as(scanner)("GET", `/twins/${id}`, undefined, dict({ serial: "S9" }))).status).toBe(200);
    const denied = await as(scanner)("GET", `/twins/${id}`, undefined, dict({ serial: "S1" }));
    expectTrustedTwinError(denied, 403535);
    expect(denied.body.description).toBe("Twin not accessible.");
    expectTrustedTwinError(await as(scanner)("GET", `/twins/${id}`), 403535);
  });
});
