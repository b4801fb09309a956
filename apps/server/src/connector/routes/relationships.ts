import { z } from "@hono/zod-openapi";
import type { AuditLogEntry, CanCreateResult, Relationship, RelationshipIdInput } from "@idhub/core";
import type { Action, Core, Principal } from "@idhub/core";
import { route, type AnyRoute } from "../../http/route-table.js";
import { documentedBody } from "../../http/documented-body.js";
import { allItems, capNote } from "../../http/list-cap.js";
import { renderTemplate, templateSchema, type ConnectorVersion } from "./relationship-templates.js";

// {P}/Relationships… — one shared record per relationship, rendered for the caller (peer = the
// other side). /api/v2 nests the caller's view of the template (Connector 6.x, `template`),
// /api/core/v1 names it (`templateId`, 7.x).

const iso = (ms: number) => new Date(ms).toISOString();

const status = z.enum(["Pending", "Active", "Rejected", "Revoked", "Terminated", "DeletionProposed"]);
const auditEntry = z
  .object({
    createdAt: z.string(),
    createdBy: z.string(),
    createdByDevice: z.string().optional(),
    reason: z.string(),
    oldStatus: status.optional(),
    newStatus: status,
  })
  .openapi("ConnectorRelationshipAuditLogEntry");
const peerIdentity = z.object({ address: z.string(), publicKey: z.string() });
const creationContent = z.record(z.string(), z.unknown()).openapi("ConnectorRelationshipCreationContent", {
  description: '`{"@type": "ArbitraryRelationshipCreationContent", "value": <any JSON>}`',
});
const common = {
  id: z.string().openapi({ example: "RELabcdefghijklmnopq" }),
  status,
  peer: z.string(),
  peerIdentity,
  auditLog: z.array(auditEntry),
  creationContent,
};
const relationshipV6 = z.object({ ...common, template: templateSchema("v6") }).openapi("ConnectorRelationshipV2");
const relationshipV7 = z.object({ ...common, templateId: z.string() }).openapi("ConnectorRelationship");

const canCreateResult = z
  .object({ isSuccess: z.boolean(), code: z.string().optional(), message: z.string().optional() })
  .openapi("ConnectorCanCreateRelationshipResponse");

const renderEntry = (e: AuditLogEntry) => ({
  createdAt: iso(e.createdAt),
  createdBy: e.createdBy,
  createdByDevice: e.createdByDevice,
  reason: e.reason,
  ...(e.oldStatus !== undefined ? { oldStatus: e.oldStatus } : {}),
  newStatus: e.newStatus,
});

export function renderRelationship(version: ConnectorVersion, r: Relationship) {
  return {
    id: r.id,
    ...(version === "v6" ? { template: renderTemplate("v6", r.template) } : { templateId: r.templateId }),
    status: r.status,
    peer: r.peer,
    peerIdentity: r.peerIdentity,
    auditLog: r.auditLog.map(renderEntry),
    creationContent: r.creationContent as Record<string, unknown>,
  };
}

const createBody = documentedBody("ConnectorCreateRelationshipRequest", {
  type: "object",
  properties: {
    templateId: { type: "string", pattern: "^RLT[A-Za-z0-9]{17}$", description: "An own-loaded peer template" },
    creationContent: { description: "ArbitraryRelationshipCreationContent" },
  },
  required: ["templateId", "creationContent"],
  additionalProperties: false,
});
const canCreateBody = documentedBody("ConnectorCanCreateRelationshipRequest", {
  type: "object",
  properties: {
    templateId: { type: "string", pattern: "^RLT[A-Za-z0-9]{17}$" },
    creationContent: { description: "Optional; checked when given" },
  },
  required: ["templateId"],
  additionalProperties: false,
});
const filter = (description: string) => z.unknown().optional().openapi({ type: "string", description });
const listQuery = z.looseObject({
  peer: filter("Peer address"),
  status: filter("Status; repeat for any of several"),
  templateId: filter("Template id (Connector 7.x name)"),
  "template.id": filter("Template id (Connector 6.x name)"),
});
const idParams = z.object({ id: z.string().openapi({ param: { name: "id", in: "path" }, example: "RELabcdefghijklmnopq" }) });

type Transition =
  | "accept"
  | "reject"
  | "revoke"
  | "terminate"
  | "reactivate"
  | "acceptReactivation"
  | "rejectReactivation"
  | "revokeReactivation";

const TRANSITIONS: Array<{ path: string; use: Transition; action: Action; operationId: string; summary: string }> = [
  { path: "/Accept", use: "accept", action: "accept_relationship", operationId: "acceptRelationship", summary: "Accept a pending relationship (template owner only)" },
  { path: "/Reject", use: "reject", action: "reject_relationship", operationId: "rejectRelationship", summary: "Reject a pending relationship (template owner only)" },
  { path: "/Revoke", use: "revoke", action: "revoke_relationship", operationId: "revokeRelationship", summary: "Revoke a pending relationship (requester only)" },
  { path: "/Terminate", use: "terminate", action: "terminate_relationship", operationId: "terminateRelationship", summary: "Terminate an active relationship" },
  { path: "/Reactivate", use: "reactivate", action: "reactivate_relationship", operationId: "requestRelationshipReactivation", summary: "Request the reactivation of a terminated relationship" },
  { path: "/Reactivate/Accept", use: "acceptReactivation", action: "reactivate_relationship", operationId: "acceptRelationshipReactivation", summary: "Accept the peer's reactivation request" },
  { path: "/Reactivate/Reject", use: "rejectReactivation", action: "reactivate_relationship", operationId: "rejectRelationshipReactivation", summary: "Reject the peer's reactivation request" },
  { path: "/Reactivate/Revoke", use: "revokeReactivation", action: "reactivate_relationship", operationId: "revokeRelationshipReactivation", summary: "Revoke the own reactivation request" },
];

const ERRORS_NOTE =
  " Check order: unknown → 404 `error.runtime.recordNotFound`; wrong status → 400 `wrongRelationshipStatus`; open or " +
  "missing reactivation request → 400; wrong side → 400 `operationOnlyAllowedForPeer`. The body is ignored.";

export function relationshipRoutes(version: ConnectorVersion): AnyRoute[] {
  const relationship = version === "v6" ? relationshipV6 : relationshipV7;
  const render = (r: Relationship) => renderRelationship(version, r);
  const transition = (core: Core, principal: Principal, use: Transition, input: RelationshipIdInput) =>
    core.relationships[use](principal, input);
  return [
    route({
      method: "put",
      path: "/Relationships/CanCreate",
      action: "create_relationship",
      operationId: `canCreateRelationship`,
      summary: "Check whether a relationship can be created from a template",
      description: "Always 200 for a well-formed request: `{isSuccess: true}` or `{isSuccess: false, code, message}`.",
      body: canCreateBody,
      status: 200,
      response: canCreateResult,
      handle: ({ core, principal, body }) => core.relationships.canCreate(principal, body as never),
      render: (r: CanCreateResult) => r,
    }),
    route({
      method: "post",
      path: "/Relationships",
      action: "create_relationship",
      operationId: `createRelationship`,
      summary: "Create a relationship from a loaded peer template",
      description:
        "201, status Pending. The template must have been loaded (`POST …/RelationshipTemplates/Peer`); an open " +
        "relationship to its owner, an expired template or an own template → 400 with the Connector's codes.",
      body: createBody,
      status: 201,
      response: relationship,
      handle: ({ core, principal, body }) => core.relationships.create(principal, body as never),
      render,
    }),
    route({
      method: "get",
      path: "/Relationships",
      action: "get_relationships",
      operationId: `getRelationships`,
      summary: "List the account's relationships",
      description:
        "Every relationship this account is party to and has not decomposed. Filters `peer`, `status`, and both " +
        "`templateId` and `template.id`; other keys → 400 `query must NOT have additional properties`." +
        capNote("relationships", "relationships.list", "`error.runtime.list.tooLarge`"),
      query: listQuery,
      status: 200,
      response: z.array(relationship),
      handle: ({ core, principal, query }) =>
        allItems("relationships", (page) => core.relationships.list(principal, { query: query as Record<string, string | string[]>, ...page })),
      render: (items: Relationship[]) => items.map(render),
    }),
    route({
      method: "get",
      path: "/Relationships/{id}",
      action: "get_relationships",
      operationId: `getRelationship`,
      summary: "Get a relationship",
      description: "Malformed id → 400; unknown, another account's or decomposed by this account → 404 `error.runtime.recordNotFound`.",
      params: idParams,
      status: 200,
      response: relationship,
      handle: ({ core, principal, params }) => core.relationships.get(principal, { id: params.id }),
      render,
    }),
    ...TRANSITIONS.map((t) =>
      route({
        method: "put",
        path: `/Relationships/{id}${t.path}`,
        action: t.action,
        operationId: `${t.operationId}`,
        summary: t.summary,
        description: t.summary + "." + ERRORS_NOTE,
        params: idParams,
        status: 200,
        response: relationship,
        handle: ({ core, principal, params }) => transition(core, principal, t.use, { relationshipId: params.id }),
        render,
      }),
    ),
    route({
      method: "delete",
      path: "/Relationships/{id}",
      action: "decompose_relationship",
      operationId: `decomposeRelationship`,
      summary: "Decompose a terminated relationship (this side)",
      description:
        "204. Allowed from Terminated or DeletionProposed. This account no longer sees the relationship; the peer sees " +
        "DeletionProposed until it decomposes too. In the same transaction, all identity metadata of this account " +
        "about the peer is deleted.",
      params: idParams,
      status: 204,
      handle: ({ core, principal, params }) => core.relationships.decompose(principal, { relationshipId: params.id }),
    }),
  ];
}
