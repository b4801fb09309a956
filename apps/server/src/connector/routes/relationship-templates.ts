import { z } from "@hono/zod-openapi";
import {
  ADDRESS_PATTERN,
  type CreateTemplateTokenInput,
  type RelationshipTemplate,
  type RelationshipTemplateToken,
} from "@idhub/core";
import { route, type AnyRoute } from "../../http/route-table.js";
import { documentedBody } from "../../http/documented-body.js";
import { allItems, capNote } from "../../http/list-cap.js";

// {P}/RelationshipTemplates… — Connector 6.x shapes under /api/v2 (`truncatedReference`), 7.x
// shapes under /api/core/v1 (`reference {truncated, url}`), never mixed (the 6.7 SDK validates
// closed schemas). Inputs go to core unchanged; the request schemas only document.

/** Connector 6.x (`/api/v2`) or 7.x (`/api/core/v1`) DTO shapes. */
export type ConnectorVersion = "v6" | "v7";
export const connectorVersionOf = (prefix: string): ConnectorVersion => (prefix === "/api/v2" ? "v6" : "v7");

const iso = (ms: number) => new Date(ms).toISOString();

const passwordProtection = z.object({ password: z.string(), passwordIsPin: z.literal(true).optional() });
const content = z.record(z.string(), z.unknown()).openapi("ConnectorRelationshipTemplateContent", {
  description:
    '`{"@type": "ArbitraryRelationshipTemplateContent", "value": <any JSON>}` or a `RelationshipTemplateContent` ' +
    "(accepted structurally; relationships cannot be created from it here).",
});
const referenceObject = z.object({ truncated: z.string(), url: z.string() });

const templateFields = {
  id: z.string().openapi({ example: "RLTabcdefghijklmnopq" }),
  isOwn: z.boolean(),
  createdBy: z.string(),
  createdByDevice: z.string(),
  createdAt: z.string(),
  content,
  expiresAt: z.string().optional(),
  maxNumberOfAllocations: z.number().optional(),
  forIdentity: z.string().optional(),
  passwordProtection: passwordProtection.optional(),
};
const templateV6 = z
  .object({ ...templateFields, truncatedReference: z.string() })
  .openapi("ConnectorRelationshipTemplateV2");
const templateV7 = z.object({ ...templateFields, reference: referenceObject }).openapi("ConnectorRelationshipTemplate");
export const templateSchema = (version: ConnectorVersion) => (version === "v6" ? templateV6 : templateV7);

const tokenFields = {
  id: z.string().openapi({ example: "TOKabcdefghijklmnopq" }),
  createdBy: z.string(),
  createdByDevice: z.string(),
  content: z.record(z.string(), z.unknown()).openapi({ description: "TokenContentRelationshipTemplate" }),
  createdAt: z.string(),
  expiresAt: z.string(),
  isEphemeral: z.boolean(),
  forIdentity: z.string().optional(),
  passwordProtection: passwordProtection.optional(),
};
const tokenV6 = z.object({ ...tokenFields, truncatedReference: z.string() }).openapi("ConnectorTokenV2");
const tokenV7 = z.object({ ...tokenFields, isOwn: z.boolean(), reference: referenceObject }).openapi("ConnectorToken");

/** A template in the version's DTO shape: optional fields omitted, never null. */
export function renderTemplate(version: ConnectorVersion, t: RelationshipTemplate) {
  return {
    id: t.id,
    isOwn: t.isOwn,
    createdBy: t.createdBy,
    createdByDevice: t.createdByDevice,
    createdAt: iso(t.createdAt),
    // always a normalized content object (core's normalizeTemplateContent)
    content: t.content as Record<string, unknown>,
    expiresAt: iso(t.expiresAt),
    ...(t.maxNumberOfAllocations !== undefined ? { maxNumberOfAllocations: t.maxNumberOfAllocations } : {}),
    ...(t.forIdentity !== undefined ? { forIdentity: t.forIdentity } : {}),
    ...(t.passwordProtection !== undefined ? { passwordProtection: t.passwordProtection } : {}),
    ...(version === "v6" ? { truncatedReference: t.reference.truncated } : { reference: t.reference }),
  };
}

function renderToken(version: ConnectorVersion, t: RelationshipTemplateToken) {
  return {
    id: t.id,
    createdBy: t.createdBy,
    createdByDevice: t.createdByDevice,
    content: t.content,
    createdAt: iso(t.createdAt),
    expiresAt: iso(t.expiresAt),
    isEphemeral: t.isEphemeral,
    ...(t.forIdentity !== undefined ? { forIdentity: t.forIdentity } : {}),
    ...(t.passwordProtection !== undefined ? { passwordProtection: t.passwordProtection } : {}),
    ...(version === "v6" ? { truncatedReference: t.reference.truncated } : { isOwn: t.isOwn, reference: t.reference }),
  };
}

const ADDRESS = `^${ADDRESS_PATTERN}$`;
const passwordProtectionJson = {
  type: "object" as const,
  properties: { password: { type: "string" as const, minLength: 1 }, passwordIsPin: { const: true } },
  required: ["password"],
  additionalProperties: false,
};
const createBody = documentedBody("ConnectorCreateOwnRelationshipTemplateRequest", {
  type: "object",
  properties: {
    expiresAt: { type: "string", format: "date-time", description: "ISO 8601, in the future" },
    content: { description: "ArbitraryRelationshipTemplateContent (or RelationshipTemplateContent)" },
    maxNumberOfAllocations: { type: "integer", minimum: 1, description: "Distinct identities that may load it" },
    forIdentity: { type: "string", pattern: ADDRESS, example: "did:e:localhost:dids:0123456789abcdef012345", description: "Only this identity may load it" },
    passwordProtection: passwordProtectionJson,
  },
  required: ["expiresAt", "content"],
  additionalProperties: false,
});
const tokenBody = documentedBody("ConnectorCreateTokenForOwnRelationshipTemplateRequest", {
  type: "object",
  properties: {
    expiresAt: { type: "string", format: "date-time", description: "Default: the template's expiry" },
    ephemeral: { type: "boolean", description: "Default true" },
    forIdentity: { type: "string", pattern: ADDRESS, example: "did:e:localhost:dids:0123456789abcdef012345", description: "Must equal the template's when it has one" },
    passwordProtection: passwordProtectionJson,
  },
  description: "Other fields are ignored. An empty body (any content type) is `{}`.",
});
const loadBody = documentedBody("ConnectorLoadPeerRelationshipTemplateRequest", {
  type: "object",
  properties: {
    reference: { type: "string", description: "A template (`UkxU…`) or token (`VE9L…`) truncated reference, or a 7.x reference URL" },
    password: { type: "string" },
  },
  required: ["reference"],
  additionalProperties: false,
});

const idParams = z.object({ id: z.string().openapi({ param: { name: "id", in: "path" }, example: "RLTabcdefghijklmnopq" }) });

const TEMPLATE_QUERY_KEYS = [
  "isOwn",
  "createdAt",
  "expiresAt",
  "createdBy",
  "createdByDevice",
  "maxNumberOfAllocations",
  "forIdentity",
  "passwordProtection",
  "passwordProtection.password",
  "passwordProtection.passwordIsPin",
] as const;
const listQuery = z.looseObject(
  Object.fromEntries(
    TEMPLATE_QUERY_KEYS.map((key) => [
      key,
      z.unknown().optional().openapi({
        type: "string",
        description: "Filter: `v`, `!v`, `>v`, `<v`, `>=v`, `<=v`, `^v`, `$v`, `~v`, empty = exists; repeat for any-of",
      }),
    ]),
  ),
);

const QUERY_NOTE = " Filters as the Connector's (unknown keys → 400 `query must NOT have additional properties`).";

type Query = Record<string, string | string[]>;
const pick = (body: Record<string, unknown>, keys: readonly string[]) =>
  Object.fromEntries(keys.filter((k) => body[k] !== undefined).map((k) => [k, body[k]]));
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The template routes in one version's shapes. Literal segments (`Own`, `Peer`) come before `{id}`. */
export function relationshipTemplateRoutes(version: ConnectorVersion): AnyRoute[] {
  const template = templateSchema(version);
  const list = (ownerRestriction: "o" | "p" | undefined, path: string, operationId: string, summary: string) =>
    route({
      method: "get",
      path,
      action: "get_relationship_templates",
      operationId: `${operationId}`,
      summary,
      description: summary + "." + QUERY_NOTE + capNote("templates", "relationshipTemplates.list", "`error.runtime.list.tooLarge`"),
      query: listQuery,
      status: 200,
      response: z.array(template),
      handle: ({ core, principal, query }) =>
        allItems("templates", (page) =>
          core.relationshipTemplates.list(principal, { query: query as Query, ...(ownerRestriction ? { ownerRestriction } : {}), ...page }),
        ),
      render: (items: RelationshipTemplate[]) => items.map((t) => renderTemplate(version, t)),
    });

  const routes: AnyRoute[] = [
    route({
      method: "post",
      path: "/RelationshipTemplates/Own",
      action: "create_relationship_template",
      operationId: `createOwnRelationshipTemplate`,
      summary: "Create an own relationship template",
      description:
        "201 with the template and `Location: _`. `content` must be an ArbitraryRelationshipTemplateContent (or a " +
        "RelationshipTemplateContent, accepted structurally). `maxNumberOfAllocations` counts distinct loading identities.",
      body: createBody,
      status: 201,
      response: template,
      handle: ({ core, principal, body }) => core.relationshipTemplates.create(principal, body as never),
      render: (t: RelationshipTemplate) => renderTemplate(version, t),
    }),
    list(undefined, "/RelationshipTemplates", "getRelationshipTemplates", "List own and loaded peer relationship templates"),
    list("o", "/RelationshipTemplates/Own", "getOwnRelationshipTemplates", "List own relationship templates"),
    list("p", "/RelationshipTemplates/Peer", "getPeerRelationshipTemplates", "List loaded peer relationship templates"),
    route({
      method: "post",
      path: "/RelationshipTemplates/Peer",
      action: "load_relationship_template",
      operationId: `loadPeerRelationshipTemplate`,
      summary: "Load a peer's relationship template by reference",
      description:
        "201 (also when it was loaded before). The key inside the reference is verified: a wrong key looks like an " +
        "unknown template (404). Personalized templates load only for their identity; protected ones need `password`. " +
        "A new loading identity uses one of `maxNumberOfAllocations` (exhausted → 400).",
      body: loadBody,
      status: 201,
      response: template,
      handle: ({ core, principal, body }) => core.relationshipTemplates.load(principal, body as never),
      render: (t: RelationshipTemplate) => renderTemplate(version, t),
    }),
    route({
      method: "get",
      path: "/RelationshipTemplates/{id}",
      action: "get_relationship_templates",
      operationId: `getRelationshipTemplate`,
      summary: "Get an own or loaded relationship template",
      description: "Malformed id → 400; unknown (or another account's, not loaded) → 404 `error.runtime.recordNotFound`.",
      params: idParams,
      status: 200,
      response: template,
      handle: ({ core, principal, params }) => core.relationshipTemplates.get(principal, { id: params.id }),
      render: (t: RelationshipTemplate) => renderTemplate(version, t),
    }),
    route({
      method: "post",
      path: "/RelationshipTemplates/Own/{id}/Token",
      action: "create_relationship_template",
      operationId: `createTokenForOwnRelationshipTemplate`,
      summary: "Create a token for an own relationship template",
      description:
        "201 with the token; its reference loads the template. Personalization and password protection of the template " +
        "must be repeated. Expires with the template unless `expiresAt` says otherwise.",
      params: idParams,
      body: tokenBody,
      status: 201,
      response: version === "v6" ? tokenV6 : tokenV7,
      handle: ({ core, principal, params, body }) =>
        core.relationshipTemplates.createToken(principal, {
          ...(isObject(body) ? pick(body, ["expiresAt", "ephemeral", "forIdentity", "passwordProtection"]) : {}),
          templateId: params.id,
        } as CreateTemplateTokenInput),
      render: (t: RelationshipTemplateToken) => renderToken(version, t),
    }),
  ];
  if (version === "v7") {
    routes.push(
      route({
        method: "delete",
        path: "/RelationshipTemplates/{id}",
        action: "delete_relationship_template",
        operationId: "deleteRelationshipTemplate",
        summary: "Delete an own or loaded relationship template (Connector 7.x)",
        description:
          "204. An own template can no longer be loaded (relationships created from it keep it); a loaded peer " +
          "template is forgotten. Unknown → 404 `error.runtime.recordNotFound`.",
        params: idParams,
        status: 204,
        handle: ({ core, principal, params }) => core.relationshipTemplates.delete(principal, { templateId: params.id }),
      }),
    );
  }
  return routes;
}
