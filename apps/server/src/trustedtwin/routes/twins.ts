import { z } from "@hono/zod-openapi";
import type { Twin } from "@idhub/core";
import { route } from "../../http/route-table.js";
import { jsonObject, queryBoolean, seconds, timestamp, uuidString as uuid } from "../wire.js";

export const twinParams = z.object({ twin: uuid.openapi({ description: "Twin UUID" }) });

export const twinObject = z
  .object({
    owner: z.string(),
    status: z.enum(["alive", "terminated"]),
    updated_ts: timestamp,
    creation_certificate: z.object({ uuid: z.string(), creator: z.string(), created_ts: timestamp }),
    description: jsonObject.optional().openapi({ description: "Left out when the twin has none." }),
    termination_certificate: z
      .object({ issuer: z.string(), terminated_ts: timestamp })
      .optional()
      .openapi({ description: "Only on terminated twins." }),
  })
  .openapi("TrustedTwinTwin");

const twinBody = z
  .strictObject({
    description: jsonObject
      .nullable()
      .optional()
      .openapi({ description: "Keys match ^[a-z_][0-9a-z_]{0,63}$, values any JSON; null clears it." }),
  })
  .openapi("TrustedTwinTwinBody");

const getQuery = z.object({
  show_terminated: queryBoolean.optional().openapi({ description: "Default true; false answers 404 for a terminated twin." }),
});

export const renderTwin = (t: Twin) => ({
  owner: t.owner,
  status: t.status,
  updated_ts: seconds(t.updatedAt),
  creation_certificate: { uuid: t.id, creator: t.creator, created_ts: seconds(t.createdAt) },
  ...(t.description !== null ? { description: t.description } : {}),
  ...(t.status === "terminated" && t.terminatedAt !== null
    ? { termination_certificate: { issuer: t.terminatedBy ?? t.owner, terminated_ts: seconds(t.terminatedAt) } }
    : {}),
});

const CONDITIONAL = "Send `If-Match: \"<version>\"` (the ETag of a GET) to change it only if unchanged since: else 412 / 412000.";

export const twinRoutes = [
  route({
    method: "post",
    path: "/twins",
    action: "create_twin",
    summary: "Create a twin",
    description: "The caller's account becomes the twin's owner and creator. The body and its description are optional.",
    body: twinBody,
    status: 201,
    response: twinObject,
    handle: ({ core, principal, body }) => core.twins.create(principal, body),
    render: renderTwin,
  }),
  route({
    method: "get",
    path: "/twins/{twin}",
    action: "get_twin",
    summary: "Get a twin",
    description:
      "Any account may get a twin by its UUID unless the caller's role `twin_rule` denies it (403). " +
      "Answers `ETag: \"<version>\"`.",
    params: twinParams,
    query: getQuery,
    status: 200,
    response: twinObject,
    handle: ({ core, principal, params, query }) =>
      core.twins.get(principal, { id: params.twin, showTerminated: query.show_terminated }),
    render: renderTwin,
    etag: true,
  }),
  route({
    method: "patch",
    path: "/twins/{twin}",
    action: "update_twin",
    summary: "Update a twin's description",
    description: `Owner only (403 otherwise), alive twins only (400897). The description replaces the whole description; null clears it. ${CONDITIONAL}`,
    params: twinParams,
    body: twinBody,
    status: 200,
    response: twinObject,
    ifMatch: true,
    handle: ({ core, principal, params, body, expectedVersion }) =>
      core.twins.update(principal, { id: params.twin, ...body, expectedVersion }),
    render: renderTwin,
    etag: true,
  }),
  route({
    method: "delete",
    path: "/twins/{twin}",
    action: "terminate_twin",
    summary: "Terminate a twin",
    description: `Owner only; permanent. Terminating again answers 400 / 400358 "Twin already terminated.". Identities stay attachable. ${CONDITIONAL}`,
    params: twinParams,
    status: 200,
    response: twinObject,
    ifMatch: true,
    handle: ({ core, principal, params, expectedVersion }) => core.twins.terminate(principal, { id: params.twin, expectedVersion }),
    render: renderTwin,
  }),
];
