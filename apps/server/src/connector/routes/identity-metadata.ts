import { z } from "@hono/zod-openapi";
import { ADDRESS_PATTERN, type IdentityMetadata } from "@idhub/core";
import { route } from "../../http/route-table.js";
import { documentedBody } from "../../http/documented-body.js";

// PUT/GET/DELETE {P}/IdentityMetadata — the seed page of the Connector surface. The wire input is
// handed to core unchanged (core validates once, with upstream's messages), so the schemas below
// only document: they accept anything.

/** Any JSON value (documentation only; a named component so document generation does not recurse). */
export const anyJson = z
  .union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.unknown()), z.record(z.string(), z.unknown())])
  .openapi("ConnectorJsonValue", { description: "Any JSON value, `null` included." });
const jsonValue = anyJson;

const dto = z
  .object({
    reference: z.string().openapi({ example: "did:e:localhost:dids:0123456789abcdef012345" }),
    key: z.string().optional().openapi({ description: "Absent when the record has no key; `\"\"` is a key of its own." }),
    value: jsonValue,
  })
  .openapi("ConnectorIdentityMetadata");

const upsertBody = documentedBody("ConnectorUpsertIdentityMetadataRequest", {
  type: "object",
  properties: {
    reference: { type: "string", pattern: `^${ADDRESS_PATTERN}$`, example: "did:e:localhost:dids:0123456789abcdef012345" },
    key: { type: "string", description: "Optional; absent means no key, `\"\"` is a distinct key." },
    value: { description: "Any JSON value, `null` included (≤ 1 MB serialized)." },
  },
  required: ["reference", "value"],
  additionalProperties: false,
});

const lookup = z.object({
  reference: z
    .unknown()
    .optional()
    .openapi({ type: "string", description: "Address the metadata is about", param: { required: true } }),
  key: z.unknown().optional().openapi({ type: "string", description: "Omit for the record without key; `key=` is the key `\"\"`" }),
});

/** The Connector DTO: no `key` property when there is none, nothing of our extensions. */
export const renderIdentityMetadata = (m: IdentityMetadata): z.input<typeof dto> => ({
  reference: m.reference,
  ...(m.key !== undefined ? { key: m.key } : {}),
  value: m.value,
});

/** Only the two parameters the Connector reads; others are ignored, a repeated one stays an array. */
const keyOf = (query: { reference?: unknown; key?: unknown }) =>
  ({
    ...(query.reference !== undefined ? { reference: query.reference } : {}),
    ...(query.key !== undefined ? { key: query.key } : {}),
  }) as { reference: string; key?: string };

/**
 * `If-Match` becomes core's `expectedVersion` input field (reshaping only: core validates it with
 * the rest). `expectedVersion` is not a Connector body field: one sent in the body is handed on
 * under another name, so core refuses it as the unknown field it is ("must NOT have additional
 * properties", after the required fields — upstream's order). A body that is not a JSON object
 * goes to core as it is, to be refused there with upstream's message.
 */
function withExpectedVersion(input: unknown, expectedVersion: number | undefined): never {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return input as never;
  const { expectedVersion: sentInBody, ...fields } = input as Record<string, unknown>;
  return {
    ...fields,
    ...("expectedVersion" in input ? { "body.expectedVersion": sentInBody } : {}),
    ...(expectedVersion !== undefined ? { expectedVersion } : {}),
  } as never;
}

// Conditional requests (our extension, domain.md "Concurrency control"): answers carry
// `ETag: "<version>"`; `If-Match: "<version>"` on PUT/DELETE acts only on that version, else 412
// `error.connector.preconditionFailed`. Connector clients that send neither see no difference.

const CONDITIONAL =
  " Answers `ETag: \"<version>\"` (our extension); with `If-Match: \"<version>\"` the change happens only at that " +
  "version, else 412 `error.connector.preconditionFailed`.";

export const identityMetadataRoutes = [
  route({
    method: "put",
    path: "/IdentityMetadata",
    action: "upsert_identity_metadata",
    operationId: "upsertIdentityMetadata",
    summary: "Create or replace metadata about an identity",
    description:
      "Upserts the value stored for (reference, key): 200 for create and update alike. The reference must be the own " +
      "address or the peer of a relationship of this account (any status, not decomposed by this account), else 400 " +
      "`error.runtime.identityMetadata.unfamiliarReferencedIdentity`. `key` absent and `key: \"\"` are different records; " +
      "`key: null` is rejected. Unique per (reference, key) — enforced by the database." + CONDITIONAL,
    body: upsertBody,
    status: 200,
    response: dto,
    ifMatch: true,
    handle: ({ core, principal, body, expectedVersion }) => core.identityMetadata.upsert(principal, withExpectedVersion(body, expectedVersion)),
    render: renderIdentityMetadata,
    etag: true,
  }),
  route({
    method: "get",
    path: "/IdentityMetadata",
    action: "get_identity_metadata",
    operationId: "getIdentityMetadata",
    summary: "Read metadata about an identity",
    description:
      "Exact look-up by (reference, key); without `key` only the record without key matches. Missing → 404 " +
      "`error.runtime.identityMetadata.notFound` (Connector 7.x answers 400; its OpenAPI document says 404). " +
      "Answers `ETag: \"<version>\"` (our extension).",
    query: lookup,
    status: 200,
    response: dto,
    handle: ({ core, principal, query }) => core.identityMetadata.get(principal, keyOf(query)),
    render: renderIdentityMetadata,
    etag: true,
  }),
  route({
    method: "delete",
    path: "/IdentityMetadata",
    action: "delete_identity_metadata",
    operationId: "deleteIdentityMetadata",
    summary: "Delete metadata about an identity",
    description:
      "Deletes the record for exactly (reference, key): 204. Missing → 404 `error.runtime.identityMetadata.notFound`. " +
      "With `If-Match: \"<version>\"` (our extension) only at that version, else 412.",
    query: lookup,
    status: 204,
    ifMatch: true,
    handle: ({ core, principal, query, expectedVersion }) => core.identityMetadata.delete(principal, withExpectedVersion(keyOf(query), expectedVersion)),
  }),
];
