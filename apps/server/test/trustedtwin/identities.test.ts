import { testDialects } from "@idhub/db/testing";
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { userWithStatement } from "../support/accounts.js";
import { expectTrustedTwinError } from "../support/assertions.js";
import type { RequestOptions } from "../support/http.js";
import { withServer } from "../support/server.js";

const ACCOUNTING = "USER.profession == 'accounting'";
const nowSeconds = () => Date.now() / 1000;
const enc = encodeURIComponent;

describe.each(testDialects)("Trusted Twin identities (%s)", (dialect) => {
  const fx = withServer(dialect, { a: "A", b: "B" });
  const as = (who: { secret: string }) => (method: string, path: string, body?: unknown, options: RequestOptions = {}) =>
    fx.server.http(method, path, { secret: who.secret, body, ...options });
  const newTwin = async (who = fx.a) => (await as(who)("POST", "/twins", { description: { kind: "pallet" } })).body.creation_certificate.uuid as string;
  const identityPath = (twin: string, name: string) => `/twins/${twin}/identities/${enc(name)}`;

  it("POST creates identities (201): a map by name, with per-item 'already exists'; all existing → 400358", async () => {
    const twin = await newTwin();
    const validity = Math.floor(nowSeconds()) + 3600.1234;
    const created = await as(fx.a)("POST", `/twins/${twin}/identities`, {
      identities: {
        "RFID#ae144bdc-0f6d-4a00-4091-1a6d793aaaa": { validity_ts: validity, visibility: ACCOUNTING },
        "NFC#6c02a13e+x=": {},
      },
    });
    expect(created.status).toBe(201);
    const first = created.body.identities["RFID#ae144bdc-0f6d-4a00-4091-1a6d793aaaa"];
    expect(first).toEqual({
      validity_ts: Math.round(validity * 1000) / 1000,
      visibility: ACCOUNTING,
      updated_ts: expect.any(Number),
      creation_certificate: { identity: "RFID#ae144bdc-0f6d-4a00-4091-1a6d793aaaa", creator: fx.a.account.id, created_ts: first.updated_ts },
    });
    expect(created.body.identities["NFC#6c02a13e+x="]).toMatchObject({ validity_ts: null, visibility: null });

    const partial = await as(fx.a)("POST", `/twins/${twin}/identities/`, { identities: { "NFC#6c02a13e+x=": { visibility: "true" }, "SN#1": {} } });
    expect(partial.status).toBe(201);
    expect(partial.body.identities).toEqual({
      "NFC#6c02a13e+x=": { error: "Identity already exists." },
      "SN#1": expect.objectContaining({ visibility: null }),
    });
    expect(Object.keys(partial.body.identities)).toEqual(["NFC#6c02a13e+x=", "SN#1"]);
    expect((await as(fx.a)("GET", identityPath(twin, "NFC#6c02a13e+x="))).body.visibility).toBeNull();

    const all = await as(fx.a)("POST", `/twins/${twin}/identities`, { identities: { "SN#1": {} } });
    expectTrustedTwinError(all, 400358);
  });

  it("POST validates the whole body first: 400592, 400589 with the position, 400415, 400141; unknown twin 404653", async () => {
    const twin = await newTwin();
    const post = (body: unknown) => as(fx.a)("POST", `/twins/${twin}/identities`, body);
    for (const bad of [
      { identities: { "RFID#ok": {}, "no-hash": {} } },
      { identities: { "RFID#ok": {}, "TOOLONGPFX#1": {} } },
      { identities: { "RFID#ok": { validity_ts: "tomorrow" } } },
      { identities: { "RFID#ok": { validity_ts: true } } },
      { identities: { "RFID#ok": { validity_ts: -1 } } },
      { identities: { "RFID#ok": { visibility: 7 } } },
      { identities: { "RFID#ok": { colour: "red" } } },
      { identities: {} },
      { identities: [] },
      { identity: { "RFID#ok": {} } },
      {},
      { identities: Object.fromEntries(Array.from({ length: 101 }, (_, n) => [`RFID#${n}`, {}])) },
    ]) {
      expectTrustedTwinError(await post(bad), 400592);
    }
    const syntax = await post({ identities: { "RFID#ok": {}, "RFID#bad": { visibility: "USER.profession == " } } });
    expectTrustedTwinError(syntax, 400589);
    const again = await post({ identities: { "RFID#ok": {}, "RFID#bad": { visibility: "USER.profession == " } } });
    expect(again.body.trace).not.toBe(syntax.body.trace); // a trace per error instance
    expect(typeof again.body.subcode).toBe("number");
    expect(syntax.body.description).toMatch(/line 1, column \d+/);
    expectTrustedTwinError(await post({ identities: { "RFID#bad": { visibility: "" } } }), 400589);
    expectTrustedTwinError(await post({ identities: { "RFID#bad": { visibility: "x".repeat(4097) } } }), 400589);
    expectTrustedTwinError(await post('{"identities": {'), 400415);
    expectTrustedTwinError(await post({ identities: { "RFID#big": { visibility: `'${"x".repeat(70_000)}' == 'x'` } } }), 400141);
    expect((await as(fx.a)("GET", `/twins/${twin}/identities?show_expired=true`)).body).toEqual({ identities: {} });
    expectTrustedTwinError(await as(fx.a)("POST", `/twins/${randomUUID()}/identities`, { identities: { "RFID#1": {} } }), 404653);
    expectTrustedTwinError(await as(fx.a)("POST", "/twins/nope/identities", { identities: { "RFID#1": {} } }), 400592);
  });

  describe("the seed page: PATCH /twins/{twin}/identities/{identity}", () => {
    let twin: string;
    const name = "RFID#ae144bdc-0f6d-4a00-4091-1a6d793aaaa";
    let path: string;
    const patch = (body: unknown, options?: RequestOptions) => as(fx.a)("PATCH", path, body, options);
    beforeAll(async () => {
      twin = await newTwin();
      path = identityPath(twin, name);
      const created = await as(fx.a)("POST", `/twins/${twin}/identities`, {
        identities: { [name]: { validity_ts: 4102444800.5, visibility: "true" } },
      });
      expect(created.status).toBe(201);
    });

    it("{} changes nothing but updated_ts (and the version)", async () => {
      const before = (await as(fx.a)("GET", path)).body;
      await new Promise((r) => setTimeout(r, 5));
      const reply = await patch({});
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({ ...before, updated_ts: expect.any(Number) });
      expect(reply.body.updated_ts).toBeGreaterThan(before.updated_ts);
      expect(Object.keys(reply.body).sort()).toEqual(["creation_certificate", "updated_ts", "validity_ts", "visibility"]);
      expect(reply.body.creation_certificate).toEqual({ identity: name, creator: fx.a.account.id, created_ts: expect.any(Number) });
    });

    it('{"validity_ts": null} clears the expiry and keeps the visibility', async () => {
      const reply = await patch({ validity_ts: null });
      expect(reply.body).toMatchObject({ validity_ts: null, visibility: "true" });
    });

    it('{"visibility": null} makes it private and keeps the expiry', async () => {
      await patch({ validity_ts: 4102444800.123 });
      const reply = await patch({ visibility: null });
      expect(reply.body).toMatchObject({ validity_ts: 4102444800.123, visibility: null });
    });

    it("both fields at once, then a rule; validity_ts is kept to the millisecond", async () => {
      expect((await patch({ validity_ts: null, visibility: null })).body).toMatchObject({ validity_ts: null, visibility: null });
      const rule = await patch({ visibility: ACCOUNTING, validity_ts: 4102444800.98765 });
      expect(rule.status).toBe(200);
      expect(rule.body).toMatchObject({ visibility: ACCOUNTING, validity_ts: 4102444800.988 });
      expect((await as(fx.a)("GET", path)).body).toEqual(rule.body);
    });

    it("an unknown field or a wrong type is 400592, a rule that does not parse 400589; nothing changes", async () => {
      const before = (await as(fx.a)("GET", path)).body;
      expectTrustedTwinError(await patch({ visibility: "true", colour: "red" }), 400592);
      expectTrustedTwinError(await patch({ validity_ts: "soon" }), 400592);
      expectTrustedTwinError(await patch({ validity_ts: false }), 400592);
      expectTrustedTwinError(await patch({ visibility: 1 }), 400592);
      expectTrustedTwinError(await patch({ visibility: ["true"] }), 400592);
      expectTrustedTwinError(await patch({ validity_ts: 1e20 }), 400592);
      expectTrustedTwinError(await patch({ validity_ts: -0.5 }), 400592);
      expectTrustedTwinError(await patch(new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])), 400314);
      expectTrustedTwinError(await patch([]), 400592);
      expectTrustedTwinError(await patch("{nope"), 400415);
      const syntax = await patch({ visibility: "USER.profession = 'accounting'" });
      expectTrustedTwinError(syntax, 400589);
      expect(syntax.body.description).toMatch(/^visibility: line 1, column \d+: /);
      expectTrustedTwinError(await patch({ visibility: "[x for x in y]" }), 400589);
      expect((await as(fx.a)("GET", path)).body).toEqual(before);
    });

    it("another account (or an unknown name, or an unknown twin) gets 404653", async () => {
      const foreign = await as(fx.b)("PATCH", path, { visibility: null });
      expectTrustedTwinError(foreign, 404653);
      const nowhere = await as(fx.b)("PATCH", identityPath(twin, "RFID#nowhere"), { visibility: null });
      expectTrustedTwinError(nowhere, 404653);
      expect(foreign.body.description).toBe(nowhere.body.description);
      expectTrustedTwinError(await as(fx.a)("PATCH", identityPath(randomUUID(), name), {}), 404653);
      expect((await as(fx.a)("GET", path)).body.visibility).toBe(ACCOUNTING);
    });

    it("an expired identity is still patchable (and readable) by its owner", async () => {
      const past = Math.floor(nowSeconds()) - 60;
      expect((await patch({ validity_ts: past })).body.validity_ts).toBe(past);
      const got = await as(fx.a)("GET", path);
      expect(got.status).toBe(200);
      expect(got.body.validity_ts).toBe(past);
      const revived = await patch({ validity_ts: null, visibility: "true" });
      expect(revived.body).toMatchObject({ validity_ts: null, visibility: "true" });
    });

    it("If-Match: a stale version is 412000 and changes nothing; the current one works; the answer carries the new ETag", async () => {
      const etag = (await as(fx.a)("GET", path)).headers.get("etag")!;
      expect(etag).toMatch(/^"\d+"$/);
      const stale = `"${Number(etag.slice(1, -1)) - 1}"`;
      const rejected = await patch({ visibility: null }, { headers: { "If-Match": stale } });
      expectTrustedTwinError(rejected, 412000);
      expect((await as(fx.a)("GET", path)).body.visibility).toBe("true");
      const ok = await patch({ visibility: "false" }, { headers: { "If-Match": etag } });
      expect(ok.status).toBe(200);
      expect(ok.headers.get("etag")).toBe(`"${Number(etag.slice(1, -1)) + 1}"`);
      expectTrustedTwinError(await patch({}, { headers: { "If-Match": '"99999999999"' } }), 412000);
      expectTrustedTwinError(await patch({}, { headers: { "If-Match": "garbage" } }), 412000);
      expectTrustedTwinError(await as(fx.b)("PATCH", path, {}, { headers: { "If-Match": stale } }), 404653);
    });
  });

  it("GET one: %23-encoded names, trailing slash, ETag, owner only (404653), invalid names 400592", async () => {
    const twin = await newTwin();
    const name = "HID#a+b=c-d_e";
    await as(fx.a)("POST", `/twins/${twin}/identities`, { identities: { [name]: { visibility: "true" } } });
    const got = await as(fx.a)("GET", `/twins/${twin}/identities/HID%23a%2Bb%3Dc-d_e`);
    expect(got.status).toBe(200);
    expect(got.body.creation_certificate.identity).toBe(name);
    expect(got.headers.get("etag")).toBe('"1"');
    expect((await as(fx.a)("GET", `/twins/${twin}/identities/HID%23a%2Bb%3Dc-d_e/`)).body).toEqual(got.body);
    // Decoded exactly once: %2523 is the literal text "%23", not a name.
    expectTrustedTwinError(await as(fx.a)("GET", `/twins/${twin}/identities/HID%2523abc`), 400592);
    expectTrustedTwinError(await as(fx.a)("GET", `/twins/${twin}/identities/no-hash-here`), 400592);
    expectTrustedTwinError(await as(fx.b)("GET", `/twins/${twin}/identities/HID%23a%2Bb%3Dc-d_e`), 404653);
    expectTrustedTwinError(await as(fx.a)("GET", `/twins/${twin}/identities/HID%23other`), 404653);
    expectTrustedTwinError(await as(fx.a)("GET", `/twins/${randomUUID()}/identities/HID%23other`), 404653);
  });

  it("DELETE: answers the deleted identity (200), then 404653; If-Match 412000; owner only", async () => {
    const twin = await newTwin();
    await as(fx.a)("POST", `/twins/${twin}/identities`, { identities: { "RFID#del": { visibility: "true" } } });
    const path = identityPath(twin, "RFID#del");
    expectTrustedTwinError(await as(fx.b)("DELETE", path), 404653);
    expectTrustedTwinError(await as(fx.a)("DELETE", path, undefined, { headers: { "If-Match": '"2"' } }), 412000);
    const deleted = await as(fx.a)("DELETE", path, undefined, { headers: { "If-Match": '"1"' } });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ visibility: "true", validity_ts: null, creation_certificate: { identity: "RFID#del" } });
    expectTrustedTwinError(await as(fx.a)("DELETE", path), 404653);
    expectTrustedTwinError(await as(fx.a)("GET", path), 404653);
  });

  it("identities can be created, updated and deleted on a terminated twin", async () => {
    const twin = await newTwin();
    await as(fx.a)("DELETE", `/twins/${twin}`);
    for (const who of [fx.a, fx.b]) {
      expect((await as(who)("POST", `/twins/${twin}/identities`, { identities: { "RFID#late": {} } })).status).toBe(201);
      expect((await as(who)("PATCH", identityPath(twin, "RFID#late"), { visibility: "true" })).status).toBe(200);
      expect((await as(who)("DELETE", identityPath(twin, "RFID#late"))).status).toBe(200);
    }
  });

  it("GET list: the six show_* filters with True/true/1 spellings; foreign grouped by owner without rule text", async () => {
    const twin = await newTwin();
    const past = Math.floor(nowSeconds()) - 10;
    await as(fx.a)("POST", `/twins/${twin}/identities`, {
      identities: {
        "V#pub": { visibility: "true" },
        "V#priv": {},
        "E#pub": { visibility: "true", validity_ts: past },
        "E#priv": { validity_ts: past },
      },
    });
    await as(fx.b)("POST", `/twins/${twin}/identities`, {
      identities: { "B#pub": { visibility: "account != null" }, "B#priv": {}, "B#exp": { visibility: "true", validity_ts: past } },
    });
    const list = async (query: string, who = fx.a) => {
      const reply = await as(who)("GET", `/twins/${twin}/identities${query}`);
      expect(reply.status, reply.text).toBe(200);
      return reply.body;
    };
    const names = async (query: string) => Object.keys((await list(query)).identities).sort();
    expect(await names("")).toEqual(["V#priv", "V#pub"]);
    expect(await names("?show_expired=True")).toEqual(["E#priv", "E#pub", "V#priv", "V#pub"]);
    expect(await names("?show_expired=true&show_valid=False")).toEqual(["E#priv", "E#pub"]);
    expect(await names("?show_public=0")).toEqual(["V#priv"]);
    expect(await names("?show_private=false&show_expired=1")).toEqual(["E#pub", "V#pub"]);
    expect(await names("?show_personal=False")).toEqual([]);
    expect((await list("")).identities["V#pub"]).toEqual({
      validity_ts: null,
      visibility: "true",
      created_ts: expect.any(Number),
      updated_ts: expect.any(Number),
    });
    expect(await list("")).not.toHaveProperty("foreign");
    expect(await list("?show_foreign=false")).not.toHaveProperty("foreign");

    const withForeign = await list("?show_foreign=True");
    expect(withForeign.foreign).toEqual({
      [fx.b.account.id]: { "B#pub": { validity_ts: null, created_ts: expect.any(Number), updated_ts: expect.any(Number) } },
    });
    expect(JSON.stringify(withForeign.foreign)).not.toContain("account != null");
    expect((await list(`?show_foreign=${fx.b.account.id}`)).foreign).toEqual(withForeign.foreign);
    expect((await list(`?show_foreign=${fx.a.account.id}`)).foreign).toEqual({});
    const fromB = await list("?show_foreign=true&show_expired=true", fx.b);
    expect(Object.keys(fromB.identities).sort()).toEqual(["B#exp", "B#priv", "B#pub"]);
    expect(Object.keys(fromB.foreign[fx.a.account.id]).sort()).toEqual(["V#pub"]);

    for (const query of ["?show_expired=yes", "?show_foreign=someone", "?show_valid=true&show_valid=false", "?show_public=TRUE"]) {
      expectTrustedTwinError(await as(fx.a)("GET", `/twins/${twin}/identities${query}`), 400592);
    }
    expectTrustedTwinError(await as(fx.a)("GET", `/twins/${randomUUID()}/identities`), 404653);
  });

  it("each identity route checks its action before anything else (403535 naming it); no secret is 401000", async () => {
    const twin = await newTwin();
    const limited = await userWithStatement(fx.server.http, fx.a.secret, { effect: "allow", actions: ["get_twin"] });
    for (const [method, path, action] of [
      ["POST", `/twins/${twin}/identities`, "create_twin_identity"],
      ["GET", `/twins/${twin}/identities`, "get_twin_identities"],
      ["GET", identityPath(twin, "RFID#1"), "get_twin_identity"],
      ["PATCH", identityPath(twin, "RFID#1"), "update_twin_identity"],
      ["DELETE", identityPath(twin, "RFID#1"), "delete_twin_identity"],
      ["GET", "/resolve/RFID%231", "resolve_twin_identity"],
    ] as const) {
      const denied = await as(limited)(method, path, method === "GET" || method === "DELETE" ? undefined : "{bad");
      expectTrustedTwinError(denied, 403535);
      expect(denied.body.description).toContain(action);
      expectTrustedTwinError(await fx.server.http(method, path), 401000);
    }
  });

  it("the OpenAPI document describes every twin, identity and resolve route", async () => {
    const doc = (await fx.server.http("GET", "/openapi.json")).body;
    const expected: Record<string, string[]> = {
      "/twins": ["post"],
      "/twins/{twin}": ["get", "patch", "delete"],
      "/twins/{twin}/identities": ["post", "get"],
      "/twins/{twin}/identities/{identity}": ["get", "patch", "delete"],
      "/resolve/{identity}": ["get"],
    };
    for (const [path, methods] of Object.entries(expected)) {
      for (const method of methods) {
        const op = doc.paths[path]?.[method];
        expect(op, `${method} ${path}`).toBeDefined();
        expect(op.tags).toEqual(["trustedtwin"]);
        expect(op.description, `${method} ${path}`).toEqual(expect.any(String));
        expect(op.responses["404"].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/TrustedTwinError" });
      }
    }
    expect(doc.paths["/twins/{twin}/identities/{identity}"].patch.operationId).toBe("update_twin_identity");
    expect(doc.components.schemas.TrustedTwinIdentity.required).toEqual(
      expect.arrayContaining(["validity_ts", "visibility", "updated_ts", "creation_certificate"]),
    );
  });
});
