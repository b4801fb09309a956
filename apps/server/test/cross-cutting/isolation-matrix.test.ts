import { randomUUID } from "node:crypto";
import type { CreatedAccount } from "@idhub/core";
import { testDialects } from "@idhub/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userWithStatement } from "../support/accounts.js";
import type { Reply } from "../support/http.js";
import { CONNECTOR_PREFIXES, fillPath, METHODS, OPENAPI, PROCEDURES } from "../support/route-lists.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { CONNECTOR, creation, hex, type Objects, randomAlnum, type RestCleanup, type RestRequest, restEntry, signature, TRPC, TRUSTED_TWIN } from "./isolation-cases.js";

// quality.md, "Security" → "Tenant isolation matrix": account B's Super Admin secret, against every
// route that takes an id / name / reference of one of account A's private objects, is answered
// exactly as for an object that does not exist at all (same status, same error code / subcode / message),
// and B's list routes never show A's private objects.
//
// The REST route list comes from the served OpenAPI document and the tRPC procedure list from the
// appRouter itself: a route or procedure without an entry in the tables below fails the test with
// "no isolation case for <METHOD path>".

describe.each(testDialects)("tenant isolation matrix (%s)", (dialect) => {
  let server: TestServer;
  let A: CreatedAccount;
  let B: CreatedAccount;
  let C: CreatedAccount;
  let real: Objects;
  let ghost: Objects;
  let userSecretA: string;

  const rest = (secret: string, method: string, path: string, req: RestRequest): Promise<Reply> => {
    const connector = CONNECTOR_PREFIXES.some((p) => path.startsWith(p));
    const url = fillPath(path, req.params) + (req.query ? `?${req.query}` : "");
    const headers: Record<string, string> = { ...(connector ? { "X-API-KEY": secret } : { authorization: secret }), ...req.headers };
    if (req.body === "") headers["content-type"] = "application/x-www-form-urlencoded";
    return server.http(method, url, { headers, body: req.body });
  };
  const trpc = (secret: string, path: string, type: string, input: unknown): Promise<Reply> => {
    const headers = { authorization: secret };
    if (type === "query") {
      const q = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
      return server.http("GET", `/trpc/${path}${q}`, { headers });
    }
    return server.http("POST", `/trpc/${path}`, { headers, body: input === undefined ? undefined : input });
  };

  beforeAll(async () => {
    server = await startTestServer(dialect);
    [A, B, C] = [await server.createAccount("A"), await server.createAccount("B"), await server.createAccount("C")];
    const a = (method: string, path: string, body?: unknown) => rest(A.secret, method, path, { body });
    const ok = (reply: Reply, status: number) => {
      expect(reply.status, reply.text).toBe(status);
      return reply.body;
    };

    const twin = ok(await a("POST", "/twins", {}), 201).creation_certificate.uuid as string;
    const suffix = hex(12);
    const [priv, pub] = [`PRIV#${suffix}`, `PUBL#${suffix}`];
    ok(await a("POST", `/twins/${twin}/identities`, { identities: { [priv]: {}, [pub]: { visibility: `account == '${A.account.id}'` } } }), 201);

    const address = ok(await a("GET", "/api/core/v1/Account/IdentityInfo"), 200).result.address as string;
    const metaKey = `key-${hex(8)}`;
    ok(await a("PUT", "/api/core/v1/IdentityMetadata", { reference: address, value: "a" }), 200);
    ok(await a("PUT", "/api/core/v1/IdentityMetadata", { reference: address, key: metaKey, value: "a" }), 200);

    const template = ok(
      await a("POST", "/api/core/v1/RelationshipTemplates/Own", {
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        content: { "@type": "ArbitraryRelationshipTemplateContent", value: {} },
      }),
      201,
    ).result;
    const cSays = (method: string, path: string, body?: unknown) => rest(C.secret, method, path, { body });
    ok(await cSays("POST", "/api/core/v1/RelationshipTemplates/Peer", { reference: template.reference.truncated }), 201);
    const relationship = ok(await cSays("POST", "/api/core/v1/Relationships", { templateId: template.id, creationContent: creation }), 201).result.id as string;
    ok(await rest(A.secret, "PUT", `/api/core/v1/Relationships/${relationship}/Accept`, { body: "" }), 200);

    const issued = await userWithStatement(server.http, A.secret, { effect: "allow", actions: null });
    userSecretA = issued.secret;
    const userB = ok(await rest(B.secret, "GET", "/whoami", {}), 200).user as string;

    const webhook = ok(await rest(A.secret, "POST", "/trpc/webhooks.create", { body: { url: "https://hooks.example.com/a" } }), 200).result.data.webhook.id as string;

    real = { twin, priv, pub, account: A.account.id, address, metaKey, template: template.id, relationship, user: issued.user, role: issued.role, webhook, userB };
    ghost = {
      twin,
      priv: `PRIV#${hex(12)}`,
      pub: `PUBL#${hex(12)}`,
      account: randomUUID(),
      address: `did:e:localhost:dids:${hex(22)}`,
      metaKey,
      template: `RLT${randomAlnum(17)}`,
      relationship: `REL${randomAlnum(17)}`,
      user: randomUUID(),
      role: randomUUID(),
      webhook: randomUUID(),
      userB,
    };
  });
  afterAll(() => server?.stop());

  it("has an entry for every REST route and tRPC procedure", () => {
    const missing: string[] = [];
    for (const [path, item] of Object.entries(OPENAPI.paths))
      for (const method of METHODS.filter((m) => m in item)) if (!restEntry(method.toUpperCase(), path)) missing.push(`no isolation case for ${method.toUpperCase()} ${path}`);
    for (const { path } of PROCEDURES) if (!TRPC[path]) missing.push(`no isolation case for tRPC ${path}`);
    // and no stale entries (a renamed route must move its cases along)
    const routes = new Set(Object.entries(OPENAPI.paths).flatMap(([path, item]) => METHODS.filter((m) => m in item).map((m) => `${m.toUpperCase()} ${path}`)));
    for (const key of Object.keys(TRUSTED_TWIN)) if (!routes.has(key)) missing.push(`stale isolation entry ${key}`);
    for (const key of Object.keys(CONNECTOR))
      if (!CONNECTOR_PREFIXES.some((prefix) => routes.has(key.replace(" ", ` ${prefix}`)))) missing.push(`stale isolation entry ${key}`);
    for (const key of Object.keys(TRPC)) if (!PROCEDURES.some((p) => p.path === key)) missing.push(`stale isolation entry tRPC ${key}`);
    expect(missing).toEqual([]);
  });

  it("answers B on A's objects exactly as on objects that do not exist, and lists none of them", async () => {
    const leaks: unknown[] = [];
    let checks = 0;
    const forbiddenTokens = () => [real.priv, real.pub, real.account, real.address, real.template, real.relationship, real.user, real.role, real.webhook, userSecretA];
    const expectNothingOfA = (what: string, reply: Reply) => {
      checks++;
      if (reply.status !== 200) leaks.push({ what, problem: "list did not answer 200", status: reply.status, text: reply.text });
      const seen = forbiddenTokens().filter((t) => reply.text.includes(t));
      if (seen.length) leaks.push({ what, problem: "list shows A's objects", seen, text: reply.text });
    };
    const compare = async (what: string, call: (o: Objects) => Promise<Reply>, cleanup?: RestCleanup) => {
      checks++;
      const mine = await call(real);
      const none = await call(ghost);
      for (const o of cleanup ? [real, ghost] : []) for (const [method, path, req] of cleanup!(o)) await rest(B.secret, method, path, req);
      const [s1, s2] = [signature(mine, real), signature(none, ghost)];
      if (process.env.ISOLATION_DEBUG) console.log(what, JSON.stringify(s1).slice(0, 260));
      if (JSON.stringify(s1) !== JSON.stringify(s2)) leaks.push({ what, "A's object": s1, "non-existent": s2 });
      else if (mine.status === 200 && none.status !== 200) leaks.push({ what, problem: "200 on A's object" });
    };

    const restRoutes = Object.entries(OPENAPI.paths).flatMap(([path, item]) =>
      METHODS.filter((m) => m in item).map((m) => ({ method: m.toUpperCase(), path, entry: restEntry(m.toUpperCase(), path)! })),
    );
    const trpcRoutes = PROCEDURES.map(({ path, type }) => ({ path, type, entry: TRPC[path]! }));

    // lists first: the comparisons marked `last` create B's own data under A's names
    for (const { method, path, entry } of restRoutes)
      if ("list" in entry) for (const k of entry.list) expectNothingOfA(`${method} ${path} (${k.label})`, await rest(B.secret, method, path, k.req(real)));
    for (const { path, type, entry } of trpcRoutes)
      if ("list" in entry) for (const [i, input] of entry.list.entries()) expectNothingOfA(`tRPC ${path} #${i}`, await trpc(B.secret, path, type, input(real)));

    for (const { method, path, entry } of restRoutes) {
      if ("shared" in entry) {
        checks++;
        const reply = await rest(B.secret, method, path, { params: { twin: real.twin }, body: method === "PATCH" ? { description: null } : undefined });
        expect({ route: `${method} ${path}`, status: reply.status, subcode: reply.body?.subcode }).toEqual({
          route: `${method} ${path}`,
          status: entry.status,
          subcode: entry.subcode,
        });
      }
    }
    for (const { path, type, entry } of trpcRoutes) {
      if ("shared" in entry) {
        checks++;
        const reply = await trpc(B.secret, path, type, path === "twins.update" ? { id: real.twin, description: null } : { id: real.twin });
        expect({ path, code: reply.status === 200 ? null : reply.body?.error?.data?.code }).toEqual({ path, code: entry.code });
      }
    }

    for (const pass of [false, true]) {
      for (const { method, path, entry } of restRoutes)
        if ("cases" in entry && !!entry.last === pass)
          for (const k of entry.cases) await compare(`${method} ${path} (${k.label})`, (o) => rest(B.secret, method, path, k.req(o)), entry.cleanup);
      for (const { path, type, entry } of trpcRoutes)
        if ("cases" in entry && !!entry.last === pass)
          for (const [i, input] of entry.cases.entries()) await compare(`tRPC ${path} #${i}`, (o) => trpc(B.secret, path, type, input(o)), entry.cleanup);
    }

    // A's objects are all still there and unchanged for A
    expect((await rest(A.secret, "GET", "/twins/{twin}/identities/{identity}", { params: { twin: real.twin, identity: real.priv } })).status).toBe(200);
    expect((await rest(A.secret, "GET", "/users/{user}", { params: { user: real.user } })).status).toBe(200);
    expect((await rest(A.secret, "GET", "/roles/{role}", { params: { role: real.role } })).status).toBe(200);
    expect((await rest(A.secret, "GET", "/whoami", {})).status).toBe(200);
    expect((await rest(userSecretA, "GET", "/whoami", {})).status).toBe(200);
    const rel = await rest(A.secret, "GET", "/api/core/v1/Relationships/{id}", { params: { id: real.relationship } });
    expect({ status: rel.status, relationship: rel.body?.result?.status }).toEqual({ status: 200, relationship: "Active" });
    const meta = await rest(A.secret, "GET", "/api/core/v1/IdentityMetadata", { query: `reference=${real.address}&key=${real.metaKey}` });
    expect({ status: meta.status, value: meta.body?.result?.value }).toEqual({ status: 200, value: "a" });

    console.info(`isolation matrix (${dialect}): ${checks} route×case checks`);
    expect(leaks).toEqual([]);

    // and a public identity whose rule is true for B is visible to B (the lists above are not blind)
    const open = `OPEN#${hex(12)}`;
    expect((await rest(A.secret, "POST", "/twins/{twin}/identities", { params: { twin: real.twin }, body: { identities: { [open]: { visibility: "true" } } } })).status).toBe(201);
    const foreign = await rest(B.secret, "GET", "/twins/{twin}/identities", { params: { twin: real.twin }, query: "show_foreign=true" });
    expect(Object.keys(foreign.body.foreign?.[real.account] ?? {})).toEqual([open]);
    for (const query of ["context=system", `context=${real.account}`])
      expect((await rest(B.secret, "GET", "/resolve/{identity}", { params: { identity: open }, query })).body).toEqual({ twins: [real.twin] });
  }, 120_000);

  it("tells existence apart: A on its own objects is answered differently than on the ghosts (the matrix is not blind)", async () => {
    const same: string[] = [];
    for (const [path, item] of Object.entries(OPENAPI.paths)) {
      if (!("get" in item)) continue;
      const entry = restEntry("GET", path)!;
      if (!("cases" in entry)) continue;
      for (const k of entry.cases) {
        const [mine, none] = [await rest(A.secret, "GET", path, k.req(real)), await rest(A.secret, "GET", path, k.req(ghost))];
        if (mine.status !== 200 || JSON.stringify(signature(mine, real)) === JSON.stringify(signature(none, ghost))) same.push(`GET ${path} (${k.label})`);
      }
    }
    for (const { path, type } of PROCEDURES) {
      const entry = TRPC[path]!;
      if (type !== "query" || !("cases" in entry)) continue;
      for (const [i, input] of entry.cases.entries()) {
        const [mine, none] = [await trpc(A.secret, path, "query", input(real)), await trpc(A.secret, path, "query", input(ghost))];
        if (JSON.stringify(signature(mine, real)) === JSON.stringify(signature(none, ghost))) same.push(`tRPC ${path} #${i}`);
      }
    }
    expect(same).toEqual([]);
  });
});
