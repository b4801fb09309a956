import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { appRouter } from "@idhub/api";
import { ACTIONS, type Action, type CreatedAccount } from "@idhub/core";
import { testDialects } from "@idhub/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userWithStatement } from "./support/accounts.js";
import type { Reply } from "./support/http.js";
import { startTestServer, type TestServer } from "./support/server.js";
import { connectorRoutes, connectorRoutesFor } from "../src/connector/index.js";
import type { AnyRoute } from "../src/http/route-table.js";
import { trustedTwinRoutes } from "../src/trustedtwin/index.js";

// quality.md, "Security" → "Tenant isolation matrix": account B's Super Admin secret, against every
// route that takes an id / name / reference of one of account A's private objects, is answered
// exactly as for an object that does not exist at all (same status, same error code / subcode / message),
// and B's list routes never show A's private objects.
//
// The REST route list comes from the served OpenAPI document and the tRPC procedure list from the
// appRouter itself: a route or procedure without an entry in the tables below fails the test with
// "no isolation case for <METHOD path>".

const OPENAPI = JSON.parse(readFileSync(new URL("../openapi.json", import.meta.url), "utf8")) as {
  paths: Record<string, Record<string, { operationId?: string }>>;
};
const METHODS = ["get", "post", "put", "patch", "delete"];
/** The tRPC procedures at run time: a flat record by dotted path (the static type nests them). */
const PROCEDURES = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: "query" | "mutation" } }>).map(
  ([path, procedure]) => ({ path, type: procedure._def.type }),
);
const CONNECTOR_PREFIXES = ["/api/core/v1", "/api/v2"];

/** The ids of A's private objects; `ghost` is the same shape, none of which exists. */
interface Objects {
  twin: string;
  /** A's private identity on the twin (no visibility rule). */
  priv: string;
  /** A's public identity on the twin whose rule is false for B. */
  pub: string;
  account: string;
  address: string;
  metaKey: string;
  template: string;
  relationship: string;
  user: string;
  role: string;
  webhook: string;
  /** B's own objects (the same in both sets). */
  userB: string;
}

interface RestRequest {
  params?: Record<string, string>;
  query?: string;
  body?: unknown;
  headers?: Record<string, string>;
}
type RestCase = { label: string; req: (o: Objects) => RestRequest };
/** Run as B after both calls of a case, once with A's objects and once with the ghosts. */
type RestCleanup = (o: Objects) => Array<[method: string, path: string, req: RestRequest]>;
const deleteOwnIdentities: RestCleanup = (o) =>
  [o.priv, o.pub].map((identity) => ["DELETE", "/twins/{twin}/identities/{identity}", { params: { twin: o.twin, identity } }]);

type Entry =
  /**
   * Compared: A's objects against the ghosts, answer by answer. `last`: the case may create B's own
   * data under A's names; `cleanup` then removes it again.
   */
  | { cases: RestCase[]; last?: boolean; cleanup?: RestCleanup }
  /** No object id of A's private objects in the route. */
  | { na: string }
  /** A list: 200, and not one of A's private objects in it. */
  | { list: RestCase[] }
  /** Twins are shared objects by spec (api-trustedtwin.md): the spec's answer for B is asserted. */
  | { shared: string; status: number; subcode?: number };

const c = (label: string, req: (o: Objects) => RestRequest): RestCase => ({ label, req });
const bodyless = { body: "" } as const;

const CONNECTOR: Record<string, Entry> = {
  "GET /Account/IdentityInfo": { na: "the caller's own identity" },
  "POST /Account/Sync": { na: "the caller's own sync" },
  "GET /Account/SyncInfo": { na: "the caller's own sync info" },
  "PUT /IdentityMetadata": {
    last: true,
    cases: [
      c("reference = A's address", (o) => ({ body: { reference: o.address, value: "b" } })),
      c("reference = A's address, key", (o) => ({ body: { reference: o.address, key: o.metaKey, value: "b" } })),
    ],
  },
  "GET /IdentityMetadata": {
    cases: [
      c("A's address", (o) => ({ query: `reference=${o.address}` })),
      c("A's address + key", (o) => ({ query: `reference=${o.address}&key=${o.metaKey}` })),
    ],
  },
  "DELETE /IdentityMetadata": {
    cases: [undefined, "1", "2"].flatMap((v) => [
      c(`A's address${v ? `, If-Match ${v}` : ""}`, (o) => ({ query: `reference=${o.address}`, headers: v ? { "if-match": `"${v}"` } : undefined })),
      c(`A's address + key${v ? `, If-Match ${v}` : ""}`, (o) => ({ query: `reference=${o.address}&key=${o.metaKey}`, headers: v ? { "if-match": `"${v}"` } : undefined })),
    ]),
  },
  "POST /RelationshipTemplates/Own": { na: "creates the caller's own template" },
  "GET /RelationshipTemplates/Own": {
    list: [c("all", () => ({})), c("createdBy = A", (o) => ({ query: `createdBy=${o.address}` }))],
  },
  "GET /RelationshipTemplates": {
    list: [c("all", () => ({})), c("createdBy = A", (o) => ({ query: `createdBy=${o.address}` }))],
  },
  "GET /RelationshipTemplates/Peer": {
    list: [c("all", () => ({})), c("createdBy = A", (o) => ({ query: `createdBy=${o.address}` }))],
  },
  "POST /RelationshipTemplates/Peer": {
    na: "takes a template/token reference, the capability its owner hands out on purpose (not an id)",
  },
  "GET /RelationshipTemplates/{id}": { cases: [c("A's template", (o) => ({ params: { id: o.template } }))] },
  "DELETE /RelationshipTemplates/{id}": { cases: [c("A's template", (o) => ({ params: { id: o.template } }))] },
  "POST /RelationshipTemplates/Own/{id}/Token": {
    cases: [
      c("A's template, bodyless", (o) => ({ params: { id: o.template }, ...bodyless })),
      c("A's template, {}", (o) => ({ params: { id: o.template }, body: {} })),
    ],
  },
  "PUT /Relationships/CanCreate": {
    cases: [c("A's template", (o) => ({ body: { templateId: o.template, creationContent: { "@type": "ArbitraryRelationshipCreationContent", value: {} } } }))],
  },
  "POST /Relationships": {
    cases: [c("A's template", (o) => ({ body: { templateId: o.template, creationContent: { "@type": "ArbitraryRelationshipCreationContent", value: {} } } }))],
  },
  "GET /Relationships": {
    list: [
      c("all", () => ({})),
      c("peer = A", (o) => ({ query: `peer=${o.address}` })),
      c("templateId = A's", (o) => ({ query: `templateId=${o.template}` })),
      c("template.id = A's", (o) => ({ query: `template.id=${o.template}` })),
    ],
  },
  "GET /Relationships/{id}": { cases: [c("A–C relationship", (o) => ({ params: { id: o.relationship } }))] },
  ...Object.fromEntries(
    ["DELETE /Relationships/{id}", ...["Accept", "Reject", "Revoke", "Terminate", "Reactivate", "Reactivate/Accept", "Reactivate/Reject", "Reactivate/Revoke"].map((a) => `PUT /Relationships/{id}/${a}`)].map(
      (route) => [route, { cases: [c("A–C relationship", (o) => ({ params: { id: o.relationship }, ...(route.startsWith("PUT") ? bodyless : {}) }))] }],
    ),
  ),
};

const TRUSTED_TWIN: Record<string, Entry> = {
  "GET /health": { na: "no object" },
  "GET /whoami": { na: "the caller itself" },
  "GET /account": { na: "the caller's own account" },
  "POST /users": { cases: [c("role = A's role", (o) => ({ body: { role: o.role, name: "Isolation" } }))] },
  "GET /users": { list: [c("all", () => ({}))] },
  "GET /users/{user}": { cases: [c("A's user", (o) => ({ params: { user: o.user } }))] },
  "PATCH /users/{user}": {
    cases: [
      c("A's user", (o) => ({ params: { user: o.user }, body: { name: "Isolation" } })),
      c("B's own user, role = A's role", (o) => ({ params: { user: o.userB }, body: { role: o.role } })),
    ],
  },
  "DELETE /users/{user}": { cases: [c("A's user", (o) => ({ params: { user: o.user } }))] },
  "POST /roles": { na: "creates the caller's own role" },
  "GET /roles": { list: [c("all", () => ({}))] },
  "GET /roles/{role}": { cases: [c("A's role", (o) => ({ params: { role: o.role } }))] },
  "PATCH /roles/{role}": { cases: [c("A's role", (o) => ({ params: { role: o.role }, body: { name: "Isolation" } }))] },
  "DELETE /roles/{role}": { cases: [c("A's role", (o) => ({ params: { role: o.role } }))] },
  "POST /users/{user}/secrets": { cases: [c("A's user", (o) => ({ params: { user: o.user } }))] },
  "GET /users/{user}/secrets": { cases: [c("A's user", (o) => ({ params: { user: o.user } }))] },
  "PATCH /users/{user}/secrets": { cases: [c("A's user", (o) => ({ params: { user: o.user }, body: { validity_ts: null } }))] },
  "DELETE /users/{user}/secrets": { cases: [c("A's user", (o) => ({ params: { user: o.user } }))] },
  "POST /secrets/{account}/{pin}": { cases: [c("A's account, a wrong PIN", (o) => ({ params: { account: o.account, pin: "ZZ99ZZ" } }))] },
  "POST /twins": { na: "creates the caller's own twin" },
  "GET /twins/{twin}": { shared: "twins are readable by every account (no twin rule)", status: 200 },
  "PATCH /twins/{twin}": { shared: "owner only → 403535 (spec)", status: 403, subcode: 403535 },
  "DELETE /twins/{twin}": { shared: "owner only → 403535 (spec)", status: 403, subcode: 403535 },
  "POST /twins/{twin}/identities": {
    last: true,
    cleanup: deleteOwnIdentities,
    cases: [
      c("A's private identity name", (o) => ({ params: { twin: o.twin }, body: { identities: { [o.priv]: {} } } })),
      c("A's public identity name", (o) => ({ params: { twin: o.twin }, body: { identities: { [o.pub]: {} } } })),
    ],
  },
  "GET /twins/{twin}/identities": {
    list: [
      c("default", (o) => ({ params: { twin: o.twin } })),
      c("show_foreign", (o) => ({ params: { twin: o.twin }, query: "show_foreign=true" })),
      c("everything", (o) => ({
        params: { twin: o.twin },
        query: "show_foreign=true&show_personal=true&show_expired=true&show_valid=true&show_public=true&show_private=true",
      })),
    ],
  },
  ...Object.fromEntries(
    ["GET", "PATCH", "DELETE"].map((m) => [
      `${m} /twins/{twin}/identities/{identity}`,
      {
        cases: (["priv", "pub"] as const).flatMap((k) => [
          c(`A's ${k} identity`, (o) => ({ params: { twin: o.twin, identity: o[k] }, ...(m === "PATCH" ? { body: {} } : {}) })),
          ...(m === "GET"
            ? []
            : [1, 2].map((version) =>
                c(`A's ${k} identity, If-Match "${version}"`, (o) => ({
                  params: { twin: o.twin, identity: o[k] },
                  headers: { "if-match": `"${version}"` },
                  ...(m === "PATCH" ? { body: {} } : {}),
                })),
              )),
        ]),
      },
    ]),
  ),
  "GET /resolve/{identity}": {
    list: [
      ...(["priv", "pub"] as const).flatMap((k) => [
        c(`${k}, personal`, (o) => ({ params: { identity: o[k] } })),
        c(`${k}, context=system`, (o) => ({ params: { identity: o[k] }, query: "context=system&details=true" })),
        c(`${k}, context=A`, (o) => ({ params: { identity: o[k] }, query: `context=${o.account}&details=true` })),
      ]),
    ],
  },
};

type TrpcInput = (o: Objects) => unknown;
type TrpcEntry = { cases: TrpcInput[]; last?: boolean; cleanup?: RestCleanup } | { na: string } | { list: TrpcInput[] } | { shared: string; code: string | null };
const creation = { "@type": "ArbitraryRelationshipCreationContent", value: {} };
const relationshipById = (): TrpcEntry => ({ cases: [(o) => ({ relationshipId: o.relationship })] });

const TRPC: Record<string, TrpcEntry> = {
  "health.check": { na: "no object" },
  "access.whoami": { na: "the caller itself" },
  "access.account.get": { na: "the caller's own account" },
  "access.account.identityInfo": { na: "the caller's own identity" },
  "access.users.create": { cases: [(o) => ({ role: o.role, name: "Isolation" })] },
  "access.users.list": { list: [() => undefined] },
  "access.users.get": { cases: [(o) => ({ id: o.user })] },
  "access.users.update": { cases: [(o) => ({ id: o.user, name: "Isolation" }), (o) => ({ id: o.userB, role: o.role })] },
  "access.users.delete": { cases: [(o) => ({ id: o.user })] },
  "access.roles.create": { na: "creates the caller's own role" },
  "access.roles.list": { list: [() => undefined] },
  "access.roles.get": { cases: [(o) => ({ id: o.role })] },
  "access.roles.update": { cases: [(o) => ({ id: o.role, name: "Isolation" })] },
  "access.roles.delete": { cases: [(o) => ({ id: o.role })] },
  "access.secrets.createPin": { cases: [(o) => ({ user: o.user })] },
  "access.secrets.get": { cases: [(o) => ({ user: o.user })] },
  "access.secrets.update": { cases: [(o) => ({ user: o.user, validityAt: null })] },
  "access.secrets.delete": { cases: [(o) => ({ user: o.user })] },
  "twins.create": { na: "creates the caller's own twin" },
  "twins.get": { shared: "twins are readable by every account", code: null },
  "twins.update": { shared: "owner only (spec)", code: "FORBIDDEN" },
  "twins.terminate": { shared: "owner only (spec)", code: "FORBIDDEN" },
  "twins.list": { list: [() => undefined, () => ({ status: "alive" })] },
  "identities.create": { last: true, cleanup: deleteOwnIdentities, cases: [(o) => ({ twin: o.twin, identities: [{ name: o.priv }] }), (o) => ({ twin: o.twin, identities: [{ name: o.pub }] })] },
  "identities.list": { list: [(o) => ({ twin: o.twin }), (o) => ({ twin: o.twin, showForeign: true, showExpired: true })] },
  "identities.get": { cases: [(o) => ({ twin: o.twin, name: o.priv }), (o) => ({ twin: o.twin, name: o.pub })] },
  "identities.update": {
    cases: (["priv", "pub"] as const).flatMap((k) => [undefined, 1, 2].map((v) => (o: Objects) => ({ twin: o.twin, name: o[k], expectedVersion: v }))),
  },
  "identities.delete": {
    cases: (["priv", "pub"] as const).flatMap((k) => [undefined, 1, 2].map((v) => (o: Objects) => ({ twin: o.twin, name: o[k], expectedVersion: v }))),
  },
  "identities.resolve": {
    list: (["priv", "pub"] as const).flatMap((k) => [
      (o: Objects) => ({ name: o[k] }),
      (o: Objects) => ({ name: o[k], context: "system", details: true }),
      (o: Objects) => ({ name: o[k], context: o.account, details: true }),
      (o: Objects) => ({ name: o[k], context: [o.account], details: true }),
    ]),
  },
  "relationshipTemplates.create": { na: "creates the caller's own template" },
  "relationshipTemplates.get": { cases: [(o) => ({ id: o.template })] },
  "relationshipTemplates.list": {
    list: [() => undefined, (o) => ({ query: { createdBy: o.address } }), () => ({ ownerRestriction: "o" }), () => ({ ownerRestriction: "p" })],
  },
  "relationshipTemplates.load": { na: "takes a template/token reference, the capability its owner hands out on purpose" },
  "relationshipTemplates.createToken": { cases: [(o) => ({ templateId: o.template })] },
  "relationshipTemplates.delete": { cases: [(o) => ({ templateId: o.template })] },
  "relationships.create": { cases: [(o) => ({ templateId: o.template, creationContent: creation })] },
  "relationships.get": { cases: [(o) => ({ id: o.relationship })] },
  "relationships.list": {
    list: [() => undefined, (o) => ({ query: { peer: o.address } }), (o) => ({ query: { templateId: o.template } })],
  },
  "relationships.canCreate": { cases: [(o) => ({ templateId: o.template, creationContent: creation })] },
  "relationships.accept": relationshipById(),
  "relationships.reject": relationshipById(),
  "relationships.revoke": relationshipById(),
  "relationships.terminate": relationshipById(),
  "relationships.reactivate": relationshipById(),
  "relationships.acceptReactivation": relationshipById(),
  "relationships.rejectReactivation": relationshipById(),
  "relationships.revokeReactivation": relationshipById(),
  "relationships.decompose": relationshipById(),
  "identityMetadata.upsert": {
    last: true,
    cases: [(o) => ({ reference: o.address, value: "b" }), (o) => ({ reference: o.address, key: o.metaKey, value: "b" })],
  },
  "identityMetadata.get": { cases: [(o) => ({ reference: o.address }), (o) => ({ reference: o.address, key: o.metaKey })] },
  "identityMetadata.delete": {
    cases: [undefined, 1, 2].flatMap((v) => [(o: Objects) => ({ reference: o.address, expectedVersion: v }), (o: Objects) => ({ reference: o.address, key: o.metaKey, expectedVersion: v })]),
  },
  "identityMetadata.list": { list: [() => undefined, (o) => ({ reference: o.address })] },
  "webhooks.create": { na: "creates the caller's own webhook" },
  "webhooks.list": { list: [() => undefined] },
  "webhooks.get": { cases: [(o) => ({ id: o.webhook })] },
  "webhooks.update": { cases: [(o) => ({ id: o.webhook, description: "Isolation" }), (o) => ({ id: o.webhook, enabled: false })] },
  "webhooks.delete": { cases: [(o) => ({ id: o.webhook })] },
  "webhooks.deliveries": { cases: [(o) => ({ webhook: o.webhook })] },
  "webhooks.redeliver": { cases: [(o) => ({ id: o.webhook }), (o) => ({ id: o.webhook, fromSeq: 1 })] },
  "webhooks.rotateSecret": { cases: [(o) => ({ id: o.webhook })] },
};

// --- helpers ---------------------------------------------------------------------------------

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const randomAlnum = (n: number) => Array.from(randomBytes(n), (b) => ALNUM[b % ALNUM.length]).join("");
const hex = (n: number) => randomBytes(Math.ceil(n / 2)).toString("hex").slice(0, n);

/** The answer with the compared objects' ids replaced by their role and volatile fields blanked. */
function signature(reply: Reply, o: Objects): unknown {
  let text = reply.text;
  const subs = Object.entries(o)
    .filter(([k]) => k !== "userB")
    .sort(([, a], [, b]) => b.length - a.length);
  for (const [key, value] of subs) text = text.split(value).join(`<${key}>`);
  let body: unknown = text;
  try {
    body = text === "" ? "" : JSON.parse(text);
  } catch {
    // not JSON
  }
  const walk = (v: unknown, key?: string): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    if (key === "trace" || key === "time" || /_ts$|At$/.test(key ?? "")) return "<volatile>";
    if (typeof v === "string" && /^ERR[A-Z0-9]{17}$/.test(v)) return "<error id>";
    return v;
  };
  return { status: reply.status, body: walk(body) };
}

const fillPath = (path: string, params: Record<string, string> = {}) =>
  path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (!(name in params)) throw new Error(`no value for {${name}} in ${path}`);
    return encodeURIComponent(params[name]!);
  });

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

function restEntry(method: string, path: string): Entry | undefined {
  const prefix = CONNECTOR_PREFIXES.find((p) => path.startsWith(`${p}/`));
  return prefix ? CONNECTOR[`${method} ${path.slice(prefix.length)}`] : TRUSTED_TWIN[`${method} ${path}`];
}

// quality.md, "Security" → "Permissions": for every action, a role lacking it (a statement denying
// exactly that action) gets 403 on every route whose action it is — Trusted Twin 403 / 403535,
// Connector 403 error.connector.forbidden, tRPC FORBIDDEN — while the Super Admin's same request is
// not a 403 (the route really is guarded by that action and nothing else).

/** The action each tRPC procedure needs; null: none. A new procedure without an entry fails. */
const TRPC_ACTION: Record<string, Action | null> = {
  "health.check": null,
  "access.whoami": null,
  "access.account.get": "get_account",
  "access.account.identityInfo": "get_identity_info",
  "access.users.create": "create_user",
  "access.users.list": "get_users",
  "access.users.get": "get_user",
  "access.users.update": "update_user",
  "access.users.delete": "delete_user",
  "access.roles.create": "create_user_role",
  "access.roles.list": "get_user_roles",
  "access.roles.get": "get_user_role",
  "access.roles.update": "update_user_role",
  "access.roles.delete": "delete_user_role",
  "access.secrets.createPin": "create_user_secret_pin",
  "access.secrets.get": "get_user_secret",
  "access.secrets.update": "update_user_secret",
  "access.secrets.delete": "delete_user_secret",
  "twins.create": "create_twin",
  "twins.get": "get_twin",
  "twins.update": "update_twin",
  "twins.terminate": "terminate_twin",
  "twins.list": "get_twin",
  "identities.create": "create_twin_identity",
  "identities.list": "get_twin_identities",
  "identities.get": "get_twin_identity",
  "identities.update": "update_twin_identity",
  "identities.delete": "delete_twin_identity",
  "identities.resolve": "resolve_twin_identity",
  "relationshipTemplates.create": "create_relationship_template",
  "relationshipTemplates.get": "get_relationship_templates",
  "relationshipTemplates.list": "get_relationship_templates",
  "relationshipTemplates.load": "load_relationship_template",
  "relationshipTemplates.createToken": "create_relationship_template",
  "relationshipTemplates.delete": "delete_relationship_template",
  "relationships.create": "create_relationship",
  "relationships.get": "get_relationships",
  "relationships.list": "get_relationships",
  "relationships.canCreate": "create_relationship",
  "relationships.accept": "accept_relationship",
  "relationships.reject": "reject_relationship",
  "relationships.revoke": "revoke_relationship",
  "relationships.terminate": "terminate_relationship",
  "relationships.reactivate": "reactivate_relationship",
  "relationships.acceptReactivation": "reactivate_relationship",
  "relationships.rejectReactivation": "reactivate_relationship",
  "relationships.revokeReactivation": "reactivate_relationship",
  "relationships.decompose": "decompose_relationship",
  "identityMetadata.upsert": "upsert_identity_metadata",
  "identityMetadata.get": "get_identity_metadata",
  "identityMetadata.delete": "delete_identity_metadata",
  "identityMetadata.list": "list_identity_metadata",
  "webhooks.create": "create_webhook",
  "webhooks.list": "get_webhooks",
  "webhooks.get": "get_webhooks",
  "webhooks.update": "update_webhook",
  "webhooks.delete": "delete_webhook",
  "webhooks.deliveries": "get_webhooks",
  "webhooks.redeliver": "update_webhook",
  "webhooks.rotateSecret": "update_webhook",
};

/**
 * Procedures that need a second action besides their own, on purpose: a webhook hands out the
 * account's change feed, so creating or changing one also needs `get_events` (no escalation).
 */
const ALSO_NEEDS: Record<string, Action[]> = {
  "webhooks.create": ["get_events"],
  "webhooks.update": ["get_events"],
  "webhooks.redeliver": ["get_events"],
  "webhooks.rotateSecret": ["get_events"],
};

/** REST routes that need no action (public, or the caller's own session); everything else must declare one. */
const NO_ACTION = new Set(["GET /health", "GET /whoami", "POST /secrets/{account}/{pin}", "POST /Account/Sync", "GET /Account/SyncInfo"]);

/** Actions no route or procedure uses yet (a route that starts using one must be covered above). */
const UNROUTED_ACTIONS = new Set<Action>(["get_log", "get_events"]);

const SAMPLE_PARAMS: Record<string, string> = {
  twin: "6f7b3c1e-2a4d-4e5f-8a9b-0c1d2e3f4a5b",
  identity: "RFID#permissions",
  user: "6f7b3c1e-2a4d-4e5f-8a9b-0c1d2e3f4a5c",
  role: "6f7b3c1e-2a4d-4e5f-8a9b-0c1d2e3f4a5d",
  id: "RELAAAAAAAAAAAAAAAAA",
};

describe("permissions matrix", () => {
  let server: TestServer;
  let admin: CreatedAccount;
  const lacking = new Map<Action, string>();

  const restTable = (): Array<{ method: string; path: string; action: Action | undefined; connector: boolean }> => [
    ...trustedTwinRoutes.map((r: AnyRoute) => ({ method: r.method.toUpperCase(), path: r.path, action: r.action, connector: false })),
    ...CONNECTOR_PREFIXES.flatMap((prefix) =>
      [...connectorRoutes, ...connectorRoutesFor(prefix)].map((r: AnyRoute) => ({
        method: r.method.toUpperCase(),
        path: prefix + r.path,
        action: r.action,
        connector: true,
      })),
    ),
  ];

  beforeAll(async () => {
    server = await startTestServer();
    admin = await server.createAccount("permissions");
    for (const action of ACTIONS) lacking.set(action, (await userWithStatement(server.http, admin.secret, { effect: "deny", actions: [action] })).secret);
  }, 60_000);
  afterAll(() => server?.stop());

  it("knows the action of every REST route and tRPC procedure, and every action is used", () => {
    const table = restTable();
    const problems: string[] = [];
    for (const [path, item] of Object.entries(OPENAPI.paths))
      for (const method of METHODS.filter((m) => m in item)) {
        const route = table.find((r) => r.method === method.toUpperCase() && r.path === path);
        const local = `${method.toUpperCase()} ${CONNECTOR_PREFIXES.reduce((p, prefix) => (p.startsWith(`${prefix}/`) ? p.slice(prefix.length) : p), path)}`;
        if (!route) {
          if (!NO_ACTION.has(local)) problems.push(`no route table entry for ${method.toUpperCase()} ${path}`);
        }
        else if (!route.action && !NO_ACTION.has(local)) problems.push(`no action for ${method.toUpperCase()} ${path}`);
      }
    for (const { path } of PROCEDURES) if (!(path in TRPC_ACTION)) problems.push(`no permission case for tRPC ${path}`);
    const used = new Set<string>([...table.map((r) => r.action), ...Object.values(TRPC_ACTION)].filter((a): a is Action => !!a));
    for (const action of ACTIONS) if (!used.has(action) && !UNROUTED_ACTIONS.has(action)) problems.push(`no route uses ${action}`);
    expect(problems).toEqual([]);
  });

  it("answers 403 on every route and procedure whose action the role lacks, and not 403 to the Super Admin", async () => {
    const problems: unknown[] = [];
    let checks = 0;
    for (const route of restTable()) {
      if (!route.action) continue;
      const url = fillPath(route.path, SAMPLE_PARAMS);
      const send = (secret: string) =>
        server.http(route.method, url, {
          headers: route.connector ? { "X-API-KEY": secret } : { authorization: secret },
          body: ["POST", "PUT", "PATCH"].includes(route.method) ? {} : undefined,
        });
      checks++;
      const denied = await send(lacking.get(route.action)!);
      const ok = route.connector
        ? denied.status === 403 && denied.body?.error?.code === "error.connector.forbidden"
        : denied.status === 403 && denied.body?.subcode === 403535;
      if (!ok) problems.push({ route: `${route.method} ${route.path}`, action: route.action, status: denied.status, text: denied.text });
      const allowed = await send(admin.secret);
      if (allowed.status === 403 && !/escalat|would permit/i.test(allowed.text)) problems.push({ route: `${route.method} ${route.path}`, problem: "403 for the Super Admin", text: allowed.text });
    }
    for (const { path, type } of PROCEDURES) {
      const action = TRPC_ACTION[path];
      if (!action) continue;
      const send = (secret: string) =>
        type === "query"
          ? server.http("GET", `/trpc/${path}?input=${encodeURIComponent("{}")}`, { headers: { authorization: secret } })
          : server.http("POST", `/trpc/${path}`, { headers: { authorization: secret }, body: {} });
      checks++;
      const denied = await send(lacking.get(action)!);
      if (denied.status !== 403 || denied.body?.error?.data?.code !== "FORBIDDEN") problems.push({ path, action, status: denied.status, text: denied.text });
      // and it is that action, not another one, the procedure needs
      for (const other of ACTIONS) {
        if (other === action || ALSO_NEEDS[path]?.includes(other)) continue;
        const answer = await send(lacking.get(other)!);
        if (answer.body?.error?.data?.domain?.code === "access.actionNotPermitted")
          problems.push({ path, action, problem: `also needs ${other}`, text: answer.text });
      }
    }
    console.info(`permissions matrix: ${checks} route×action checks`);
    expect(problems).toEqual([]);
  }, 120_000);
});
