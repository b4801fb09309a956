import type { CreatedAccount } from "@idhub/core";
import { testDialects } from "@idhub/db/testing";
import { describe, expect, it } from "vitest";
import { issueSecret } from "../support/accounts.js";
import { expectTrustedTwinError } from "../support/assertions.js";
import type { RequestOptions } from "../support/http.js";
import { withServer } from "../support/server.js";

const ACCOUNTING = "USER.profession == 'accounting'";

describe.each(testDialects)("Trusted Twin resolve and cross-account visibility (%s)", (dialect) => {
  const fx = withServer(dialect, { a: "A", b: "B", c: "C" });
  type Who = { secret: string };
  const as = (who: Who) => (method: string, path: string, body?: unknown, options: RequestOptions = {}) =>
    fx.server.http(method, path, { secret: who.secret, body, ...options });
  const newTwin = async (who: Who, description: object = { kind: "pallet" }) =>
    (await as(who)("POST", "/twins", { description })).body.creation_certificate.uuid as string;
  const attach = async (who: Who, twin: string, identities: Record<string, object>) => {
    const reply = await as(who)("POST", `/twins/${twin}/identities`, { identities });
    expect(reply.status, reply.text).toBe(201);
  };
  /** A user of `admin`'s account with a description and a role with the given rules, over REST. */
  async function userOf(admin: CreatedAccount, description: object | null, rules: object = {}): Promise<Who> {
    const role = await as(admin)("POST", "/roles", { name: "Staff", rules });
    expect(role.status, role.text).toBe(201);
    const user = await as(admin)("POST", "/users", { role: role.body.uuid, name: "Staff member", description });
    expect(user.status, user.text).toBe(201);
    return { secret: await issueSecret(fx.server.http, admin.secret, admin.account.id, user.body.uuid) };
  }
  const resolve = async (who: Who, name: string, query = "", options?: RequestOptions) => {
    const reply = await as(who)("GET", `/resolve/${encodeURIComponent(name)}${query}`, undefined, options);
    expect(reply.status, reply.text).toBe(200);
    return reply.body;
  };

  it("the cross-account scenario: RFID#1 public to accountants, then expired; A's private identities never show for B", async () => {
    const twin = await newTwin(fx.a);
    await attach(fx.a, twin, { "RFID#1": { visibility: ACCOUNTING }, "RFID#private": {}, "NFC#private": { validity_ts: null, visibility: null } });
    const accountant = await userOf(fx.b, { profession: "accounting" });
    const seller = await userOf(fx.b, { profession: "sales" });

    expect(await resolve(accountant, "RFID#1", "?context=system")).toEqual({ twins: [twin] });
    expect(await resolve(accountant, "RFID#1", `?context=${fx.a.account.id}`)).toEqual({ twins: [twin] });
    expect(await resolve(accountant, "RFID#1")).toEqual({ twins: [] });
    const listed = (await as(accountant)("GET", `/twins/${twin}/identities?show_foreign=true`)).body;
    expect(listed).toEqual({
      identities: {},
      foreign: { [fx.a.account.id]: { "RFID#1": { validity_ts: null, created_ts: expect.any(Number), updated_ts: expect.any(Number) } } },
    });
    expect(await resolve(seller, "RFID#1", "?context=system")).toEqual({ twins: [] });
    expect((await as(seller)("GET", `/twins/${twin}/identities?show_foreign=True`)).body).toEqual({ identities: {}, foreign: {} });

    const past = Math.floor(Date.now() / 1000) - 1;
    expect((await as(fx.a)("PATCH", `/twins/${twin}/identities/RFID%231`, { validity_ts: past })).status).toBe(200);
    for (const who of [accountant, seller, fx.b]) {
      expect(await resolve(who, "RFID#1", "?context=system")).toEqual({ twins: [] });
      expect(await resolve(who, "RFID#1", `?context=${fx.a.account.id}&details=true`)).toEqual({ twins: {} });
      expect((await as(who)("GET", `/twins/${twin}/identities?show_foreign=true&show_expired=true`)).body.foreign).toEqual({});
    }
    expect(Object.keys((await as(fx.a)("GET", `/twins/${twin}/identities?show_expired=true`)).body.identities)).toContain("RFID#1");
    expect(await resolve(fx.a, "RFID#1")).toEqual({ twins: [] }); // expired: not even its owner resolves it
    expect((await as(fx.a)("GET", `/twins/${twin}/identities/RFID%231`)).body.validity_ts).toBe(past);

    // Tenant isolation: A's private identities, on every route, for every user of B.
    for (const name of ["RFID#private", "NFC#private"]) {
      const path = `/twins/${twin}/identities/${encodeURIComponent(name)}`;
      expect(await resolve(fx.a, name)).toEqual({ twins: [twin] });
      for (const who of [accountant, seller, fx.b]) {
        for (const query of ["", "?context=system", `?context=${fx.a.account.id}`, `?context=${fx.b.account.id},${fx.a.account.id}`, "?context=system&details=True"]) {
          const found = await resolve(who, name, query);
          expect(Object.keys(found.twins)).toHaveLength(0);
        }
        const missing = await as(who)("GET", `/twins/${twin}/identities/RFID%23never-existed`);
        for (const [method, body] of [["GET", undefined], ["PATCH", {}], ["PATCH", { visibility: "true" }], ["DELETE", undefined]] as const) {
          const reply = await as(who)(method, path, body);
          expectTrustedTwinError(reply, 404653);
          expect(reply.body.description).toBe(missing.body.description);
        }
        const list = await as(who)("GET", `/twins/${twin}/identities?show_foreign=true&show_expired=true&show_private=true`);
        expect(list.text).not.toContain(name);
        expect((await as(who)("GET", `/twins/${twin}/identities?show_foreign=${fx.a.account.id}`)).text).not.toContain(name);
      }
    }
    expect((await as(fx.a)("GET", `/twins/${twin}/identities/RFID%23private`)).status).toBe(200);
  });

  it("contexts: personal by default, system, one account, a repeated or comma-separated list", async () => {
    const t = [await newTwin(fx.a), await newTwin(fx.a), await newTwin(fx.b)];
    const name = "SN#ctx-42";
    await attach(fx.a, t[0]!, { [name]: {} });
    await attach(fx.a, t[1]!, { [name]: { visibility: "true" } });
    await attach(fx.b, t[1]!, { [name]: { visibility: "true" } });
    await attach(fx.b, t[2]!, { [name]: { visibility: "TWIN.kind == 'pallet'" } });
    await attach(fx.c, t[2]!, { [name]: { visibility: "false" } });
    const sorted = (ids: string[]) => [...ids].sort();

    expect(await resolve(fx.a, name)).toEqual({ twins: sorted([t[0]!, t[1]!]) });
    expect(await resolve(fx.a, name, "?context=personal")).toEqual({ twins: sorted([t[0]!, t[1]!]) });
    expect(await resolve(fx.a, name, "?context=system")).toEqual({ twins: sorted(t) });
    expect(await resolve(fx.a, name, `?context=${fx.b.account.id}`)).toEqual({ twins: sorted([t[1]!, t[2]!]) });
    expect(await resolve(fx.a, name, `?context=${fx.c.account.id}`)).toEqual({ twins: [] });
    // C's own identity counts whatever its rule says; A's only where public.
    expect(await resolve(fx.c, name, `?context=${fx.a.account.id},${fx.c.account.id}`)).toEqual({ twins: sorted([t[1]!, t[2]!]) });
    expect(await resolve(fx.c, name, `?context=${fx.a.account.id}`)).toEqual({ twins: [t[1]!] });
    expect(await resolve(fx.c, name, `?context=${fx.a.account.id}&context=${fx.c.account.id}`)).toEqual({ twins: sorted([t[1]!, t[2]!]) });
    expect(await resolve(fx.c, name, `?context=${fx.a.account.id}&context=${fx.b.account.id},${fx.c.account.id}`)).toEqual({ twins: sorted(t.slice(1)) });
    expect(await resolve(fx.a, "SN#nobody-has-this", "?context=system")).toEqual({ twins: [] });
    expect(await resolve(fx.a, name, "?context=system&details=false")).toEqual({ twins: sorted(t) });
    expect((await as(fx.a)("GET", `/resolve/${encodeURIComponent(name)}/?context=system`)).body).toEqual({ twins: sorted(t) });

    for (const query of ["?context=everyone", "?context=personal,system", `?context=system,${fx.a.account.id}`, "?context=", "?details=yes", "?details=True&details=False"]) {
      expectTrustedTwinError(await as(fx.a)("GET", `/resolve/${encodeURIComponent(name)}${query}`), 400592);
    }
    expectTrustedTwinError(await as(fx.a)("GET", "/resolve/not-an-identity"), 400592);
    expectTrustedTwinError(await fx.server.http("GET", `/resolve/${encodeURIComponent(name)}`), 401000);
  });

  it("details=true answers the twins the caller may access, keyed by UUID, in get_twin's shape", async () => {
    const pallet = await newTwin(fx.a, { kind: "pallet" });
    const box = await newTwin(fx.a, { kind: "box" });
    await attach(fx.a, pallet, { "SN#det": { visibility: "true" } });
    await attach(fx.a, box, { "SN#det": { visibility: "true" } });
    await as(fx.a)("DELETE", `/twins/${box}`);
    const everything = await resolve(fx.b, "SN#det", "?context=system&details=True");
    expect(Object.keys(everything.twins).sort()).toEqual([pallet, box].sort());
    expect(everything.twins[pallet]).toEqual((await as(fx.b)("GET", `/twins/${pallet}`)).body);
    expect(everything.twins[box].termination_certificate).toEqual({ issuer: fx.a.account.id, terminated_ts: expect.any(Number) });

    const palletsOnly = await userOf(fx.b, null, { twin_rule: "TWIN.kind == 'pallet'" });
    const detailed = await resolve(palletsOnly, "SN#det", "?context=system&details=1");
    expect(Object.keys(detailed.twins)).toEqual([pallet]);
    // Without details every twin UUID carrying a visible identity is listed, as Trusted Twin does.
    expect((await resolve(palletsOnly, "SN#det", "?context=system")).twins).toEqual([pallet, box].sort());
  });

  it("rules see DICT from X-TrustedTwin, the caller's ids, the twin and now; an identity_rule applies on top", async () => {
    const twin = await newTwin(fx.a, { serial: "S-77" });
    await attach(fx.a, twin, {
      "DICT#1": { visibility: "DICT.serial == TWIN.serial" },
      "ACC#1": { visibility: `account == '${fx.b.account.id}' and now > 1600000000 and twin == '${twin}' and identity == 'ACC#1'` },
    });
    const header = (dict: object) => ({ headers: { "X-TrustedTwin": Buffer.from(JSON.stringify(dict)).toString("base64") } });
    expect(await resolve(fx.b, "DICT#1", "?context=system", header({ serial: "S-77" }))).toEqual({ twins: [twin] });
    expect(await resolve(fx.b, "DICT#1", "?context=system", header({ serial: "S-1" }))).toEqual({ twins: [] });
    expect(await resolve(fx.b, "DICT#1", "?context=system")).toEqual({ twins: [] });
    expect(await resolve(fx.b, "ACC#1", "?context=system")).toEqual({ twins: [twin] });
    expect(await resolve(fx.c, "ACC#1", "?context=system")).toEqual({ twins: [] });

    const accOnly = await userOf(fx.b, null, { identity_rule: "identity =~ 'ACC#'" });
    expect(await resolve(accOnly, "ACC#1", "?context=system")).toEqual({ twins: [twin] });
    expect(await resolve(accOnly, "DICT#1", "?context=system", header({ serial: "S-77" }))).toEqual({ twins: [] });
  });
});
