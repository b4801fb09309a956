import { randomBytes } from "node:crypto";
import type { Reply } from "../support/http.js";
import { CONNECTOR_PREFIXES } from "../support/route-lists.js";

// The cases of the tenant isolation matrix (isolation-matrix.test.ts): for every REST route and tRPC
// procedure, how B reaches for one of A's private objects, and what counts as "not found".

/** The ids of A's private objects; `ghost` is the same shape, none of which exists. */
export interface Objects {
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

export interface RestRequest {
  params?: Record<string, string>;
  query?: string;
  body?: unknown;
  headers?: Record<string, string>;
}
export type RestCase = { label: string; req: (o: Objects) => RestRequest };
/** Run as B after both calls of a case, once with A's objects and once with the ghosts. */
export type RestCleanup = (o: Objects) => Array<[method: string, path: string, req: RestRequest]>;
const deleteOwnIdentities: RestCleanup = (o) =>
  [o.priv, o.pub].map((identity) => ["DELETE", "/twins/{twin}/identities/{identity}", { params: { twin: o.twin, identity } }]);

export type Entry =
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

export const CONNECTOR: Record<string, Entry> = {
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

export const TRUSTED_TWIN: Record<string, Entry> = {
  "GET /health": { na: "no object" },
  "GET /health/live": { na: "no object" },
  "GET /health/ready": { na: "no object" },
  "GET /whoami": { na: "the caller itself" },
  "GET /account": { na: "the caller's own account" },
  "GET /log": { list: [c("from the start", () => ({})), c("empty fragment", () => ({ query: "fragment=" }))] },
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
export type TrpcEntry = { cases: TrpcInput[]; last?: boolean; cleanup?: RestCleanup } | { na: string } | { list: TrpcInput[] } | { shared: string; code: string | null };
export const creation = { "@type": "ArbitraryRelationshipCreationContent", value: {} };
const relationshipById = (): TrpcEntry => ({ cases: [(o) => ({ relationshipId: o.relationship })] });

export const TRPC: Record<string, TrpcEntry> = {
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
  "events.list": { list: [() => undefined, () => ({ after: 0, limit: 500 }), () => ({ types: ["identity.*", "relationship.*"] })] },
  "events.subscribe": { na: "a stream of the caller's own feed (B never sees A's events: trpc/events.test.ts)" },
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
export const randomAlnum = (n: number) => Array.from(randomBytes(n), (b) => ALNUM[b % ALNUM.length]).join("");
export const hex = (n: number) => randomBytes(Math.ceil(n / 2)).toString("hex").slice(0, n);

/** The answer with the compared objects' ids replaced by their role and volatile fields blanked. */
export function signature(reply: Reply, o: Objects): unknown {
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

export function restEntry(method: string, path: string): Entry | undefined {
  const prefix = CONNECTOR_PREFIXES.find((p) => path.startsWith(`${p}/`));
  return prefix ? CONNECTOR[`${method} ${path.slice(prefix.length)}`] : TRUSTED_TWIN[`${method} ${path}`];
}
