import { z } from "@hono/zod-openapi";
import { IDENTITY_NAME, IDENTITY_NAME_MESSAGE, type CreateIdentitiesResult, type IdentityList, type TwinIdentity } from "@idhub/core";
import { route } from "../../http/route-table.js";
import { millis, queryBoolean, seconds, secondsOrNull, timestamp, uuidString as uuid } from "../wire.js";
import { twinParams } from "./twins.js";

// The name's pattern and message are declared once, in core (IDENTITY_NAME, IDENTITY_NAME_MESSAGE);
// this is the wire schema built from them, so the 400 for a malformed path names the parameter
// (`identity: …`) and the document publishes the pattern. It cannot be core's `identityName` itself:
// a schema created before @hono/zod-openapi is loaded has no `.openapi()` (core may load first; the
// load order is not ours — calling it crashed the server at start).
export const identityName = z
  .string()
  .regex(IDENTITY_NAME, IDENTITY_NAME_MESSAGE)
  .openapi({ description: "Identity name, percent-encoded in the path (`#` as %23).", example: "RFID#ae144bdc" });

const identityParams = twinParams.extend({ identity: identityName });

const validityTs = timestamp
  .nullable()
  .optional()
  .openapi({ description: "Expiry in epoch seconds (finite, ≥ 0; stored to the millisecond); null: never expires." });
const visibility = z
  .string()
  .nullable()
  .optional()
  .openapi({ description: "A rule (non-empty, ≤ 4096 characters) deciding who else sees it; null: private." });

export const identityObject = z
  .object({
    validity_ts: timestamp.nullable(),
    visibility: z.string().nullable(),
    updated_ts: timestamp,
    creation_certificate: z.object({ identity: z.string(), creator: z.string(), created_ts: timestamp }),
  })
  .openapi("TrustedTwinIdentity");

const identityFields = z.strictObject({ validity_ts: validityTs, visibility }).openapi("TrustedTwinIdentityFields");

const createBody = z
  .strictObject({
    identities: z
      .record(z.string(), identityFields)
      .openapi({ description: "1–100 identities by name; both fields are optional." }),
  })
  .openapi("TrustedTwinCreateIdentities");

const createResult = z
  .object({
    identities: z.record(z.string(), z.union([identityObject, z.object({ error: z.string() })])),
  })
  .openapi("TrustedTwinCreatedIdentities");

const listQuery = z.object({
  show_foreign: z
    .union([queryBoolean, uuid])
    .optional()
    .openapi({ description: "false (default), true, or an account UUID: other accounts' valid, public identities visible to the caller." }),
  show_personal: queryBoolean.optional().openapi({ description: "The caller's account's identities (default true)." }),
  show_expired: queryBoolean.optional().openapi({ description: "Personal identities with validity_ts <= now (default false)." }),
  show_valid: queryBoolean.optional().openapi({ description: "Personal identities not expired (default true)." }),
  show_public: queryBoolean.optional().openapi({ description: "Personal identities with a visibility rule (default true)." }),
  show_private: queryBoolean.optional().openapi({ description: "Personal identities without one (default true)." }),
});

const listEntry = z.object({ validity_ts: timestamp.nullable(), visibility: z.string().nullable(), created_ts: timestamp, updated_ts: timestamp });
const foreignEntry = z.object({ validity_ts: timestamp.nullable(), created_ts: timestamp, updated_ts: timestamp });
const identityList = z
  .object({
    identities: z.record(z.string(), listEntry),
    foreign: z
      .record(z.string(), z.record(z.string(), foreignEntry))
      .optional()
      .openapi({ description: "By owner account; only with show_foreign. Never their rule text." }),
  })
  .openapi("TrustedTwinIdentities");

export const renderIdentity = (i: TwinIdentity) => ({
  validity_ts: secondsOrNull(i.validityAt),
  visibility: i.visibility,
  updated_ts: seconds(i.updatedAt),
  creation_certificate: { identity: i.name, creator: i.creator, created_ts: seconds(i.createdAt) },
});

function renderCreated(names: string[]) {
  return (result: CreateIdentitiesResult) => {
    const created = new Map(result.created.map((i) => [i.name, renderIdentity(i)]));
    return {
      identities: Object.fromEntries(names.map((name) => [name, created.get(name) ?? { error: "Identity already exists." }])),
    };
  };
}

const renderList = (list: IdentityList) => ({
  identities: Object.fromEntries(
    list.personal.map((i) => [
      i.name,
      { validity_ts: secondsOrNull(i.validityAt), visibility: i.visibility, created_ts: seconds(i.createdAt), updated_ts: seconds(i.updatedAt) },
    ]),
  ),
  ...(list.foreign
    ? {
        foreign: Object.fromEntries(
          Object.entries(list.foreign).map(([owner, identities]) => [
            owner,
            Object.fromEntries(
              identities.map((i) => [
                i.name,
                { validity_ts: secondsOrNull(i.validityAt), created_ts: seconds(i.createdAt), updated_ts: seconds(i.updatedAt) },
              ]),
            ),
          ]),
        ),
      }
    : {}),
});

const OWNER_ONLY =
  "Only the caller's account's identity on that twin; anything else answers 404 / 404653 exactly like a name that exists nowhere.";
const CONDITIONAL = "Send `If-Match: \"<version>\"` (the ETag of a GET) to act only if unchanged since: else 412 / 412000.";

export const identityRoutes = [
  route({
    method: "post",
    path: "/twins/{twin}/identities",
    action: "create_twin_identity",
    summary: "Attach identities to a twin",
    description:
      "Creates 1–100 identities in one transaction, also on terminated twins. The whole body is validated first " +
      "(an invalid name or field: 400592, a rule that does not parse: 400589; nothing is created). Names the caller's " +
      "account already has on the twin answer `{\"error\": \"Identity already exists.\"}` and stay unchanged; when none " +
      "could be created: 400 / 400358.",
    params: twinParams,
    body: createBody,
    status: 201,
    response: createResult,
    handle: async ({ core, principal, params, body }) => {
      const names = Object.keys(body.identities);
      const result = await core.identities.create(principal, {
        twin: params.twin,
        identities: Object.entries(body.identities).map(([name, fields]) => ({
          name,
          validityAt: millis(fields.validity_ts),
          visibility: fields.visibility,
        })),
      });
      return renderCreated(names)(result);
    },
  }),
  route({
    method: "get",
    path: "/twins/{twin}/identities",
    action: "get_twin_identities",
    summary: "List a twin's identities",
    description:
      "The caller's account's identities, filtered by show_personal, show_expired, show_valid, show_public and " +
      "show_private; with show_foreign, other accounts' valid, public identities whose rule is true for the caller, by owner.",
    params: twinParams,
    query: listQuery,
    status: 200,
    response: identityList,
    handle: ({ core, principal, params, query }) =>
      core.identities.list(principal, {
        twin: params.twin,
        showForeign: query.show_foreign,
        showPersonal: query.show_personal,
        showExpired: query.show_expired,
        showValid: query.show_valid,
        showPublic: query.show_public,
        showPrivate: query.show_private,
      }),
    render: renderList,
  }),
  route({
    method: "get",
    path: "/twins/{twin}/identities/{identity}",
    action: "get_twin_identity",
    summary: "Get an identity",
    description: `${OWNER_ONLY} Expired identities are returned too. Answers \`ETag: "<version>"\`.`,
    params: identityParams,
    status: 200,
    response: identityObject,
    handle: ({ core, principal, params }) => core.identities.get(principal, { twin: params.twin, name: params.identity }),
    render: renderIdentity,
    etag: true,
  }),
  route({
    method: "patch",
    path: "/twins/{twin}/identities/{identity}",
    action: "update_twin_identity",
    summary: "Update an identity",
    description:
      `A merge patch: an absent field stays unchanged, a present one — explicit null included — replaces it; ` +
      `\`{}\` changes nothing but updated_ts. Unknown fields: 400592. ${OWNER_ONLY} Expired identities can be patched. ${CONDITIONAL}`,
    params: identityParams,
    body: identityFields,
    status: 200,
    response: identityObject,
    ifMatch: true,
    handle: ({ core, principal, params, body, expectedVersion }) =>
      core.identities.update(principal, {
        twin: params.twin,
        name: params.identity,
        ...(body.validity_ts !== undefined ? { validityAt: millis(body.validity_ts) } : {}),
        ...(body.visibility !== undefined ? { visibility: body.visibility } : {}),
        expectedVersion,
      }),
    render: renderIdentity,
    etag: true,
  }),
  route({
    method: "delete",
    path: "/twins/{twin}/identities/{identity}",
    action: "delete_twin_identity",
    summary: "Delete an identity",
    description: `Answers the deleted identity. ${OWNER_ONLY} ${CONDITIONAL}`,
    params: identityParams,
    status: 200,
    response: identityObject,
    ifMatch: true,
    handle: ({ core, principal, params, expectedVersion }) =>
      core.identities.delete(principal, { twin: params.twin, name: params.identity, expectedVersion }),
    render: renderIdentity,
  }),
];
