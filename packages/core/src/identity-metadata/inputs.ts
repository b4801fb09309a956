import { ADDRESS_PATTERN } from "../access/kernel.js";
import { MAX_VERSION } from "../shared/names.js";
import { runtimeSchema, type InputOf } from "../shared/validation/index.js";

// The identity-metadata use cases' request schemas: the enmeshed runtime's (reference, key, value),
// plus our extensions `expectedVersion` (tRPC field; REST If-Match) and the list's paging. The
// input types are read off the schemas.

const reference = { type: "string", pattern: ADDRESS_PATTERN } as const;
/** Act only on the record at this version (declared last, so upstream's fields are reported first). */
const expectedVersion = { type: "integer", minimum: 1, maximum: MAX_VERSION } as const;

export const upsertMetadataSchema = runtimeSchema({
  type: "object",
  properties: { reference, key: { type: "string" }, value: {}, expectedVersion },
  required: ["reference", "value"],
  additionalProperties: false,
});
export const metadataKeySchema = runtimeSchema({
  type: "object",
  properties: { reference, key: { type: "string" } },
  required: ["reference"],
  additionalProperties: false,
});
export const deleteMetadataSchema = runtimeSchema({
  type: "object",
  properties: { reference, key: { type: "string" }, expectedVersion },
  required: ["reference"],
  additionalProperties: false,
});
/** `limit`: 1–100, default 50 (larger values are capped). */
export const listMetadataSchema = runtimeSchema({
  type: "object",
  properties: { reference, keyPrefix: { type: "string" }, cursor: { type: "string" }, limit: { type: "integer", minimum: 1 } },
  additionalProperties: false,
});

/** `value`: any JSON value, null included; `key` absent = no key, `""` is a key of its own. */
export type UpsertIdentityMetadataInput = InputOf<typeof upsertMetadataSchema>;
export type IdentityMetadataKeyInput = InputOf<typeof metadataKeySchema>;
export type DeleteIdentityMetadataInput = InputOf<typeof deleteMetadataSchema>;
export type ListIdentityMetadataInput = InputOf<typeof listMetadataSchema>;
