import { ADDRESS_PATTERN } from "../../access/kernel.js";
import { MAX_PAGE_SIZE } from "../../shared/pagination.js";
import { runtimeSchema, type InputOf } from "../../shared/validation/index.js";
import { TEMPLATE_ID } from "../ids.js";
import type { Query } from "../query.js";

// The template use cases' request schemas, as the enmeshed runtime declares them; the input types
// are read off the schemas. What JSON schema cannot say (a future `expiresAt`, PIN digits, the
// content's type) the use cases check afterwards, in upstream's order.

/** ISO 8601 date-time as the runtime's request schemas accept it (date, optional time and zone). */
export const ISO_8601 = "\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}(:?\\d{2})?)?)?";
export const isoDateTime = { type: "string", pattern: ISO_8601, errorMessage: "must match ISO8601 datetime format" } as const;
const address = { type: "string", pattern: ADDRESS_PATTERN } as const;
const templateId = { type: "string", pattern: TEMPLATE_ID } as const;

const passwordProtection = {
  type: "object",
  properties: { password: { type: "string", minLength: 1 }, passwordIsPin: { type: "boolean", const: true } },
  required: ["password"],
  additionalProperties: false,
} as const;

export const createTemplateSchema = runtimeSchema({
  type: "object",
  properties: {
    expiresAt: isoDateTime,
    /** `{"@type": "ArbitraryRelationshipTemplateContent", value}` or a RelationshipTemplateContent (content.ts). */
    content: {},
    maxNumberOfAllocations: { type: "number", minimum: 1 },
    forIdentity: address,
    passwordProtection,
  },
  required: ["expiresAt", "content"],
  additionalProperties: false,
});
export const getTemplateSchema = runtimeSchema({
  type: "object",
  properties: { id: templateId },
  required: ["id"],
  additionalProperties: false,
});
export const deleteTemplateSchema = runtimeSchema({
  type: "object",
  properties: { templateId },
  required: ["templateId"],
  additionalProperties: false,
});
/** `query`: Connector-style filters (query.ts); `ownerRestriction`: `o` own only, `p` loaded peer templates only. */
export const listTemplatesSchema = runtimeSchema({
  type: "object",
  properties: {
    query: {},
    ownerRestriction: {},
    /** A previous page's `nextCursor`; `limit` 1–100, default 50. */
    cursor: { type: "string", maxLength: 200 },
    limit: { type: "integer", minimum: 1, maximum: MAX_PAGE_SIZE },
  },
  additionalProperties: false,
});
export const REFERENCE_INVALID = "token / relationship template reference invalid";
/** `reference`: a template or token truncated reference, or a 7.x reference URL. */
export const loadTemplateSchema = runtimeSchema({
  type: "object",
  properties: { reference: { type: "string" }, password: { type: "string" } },
  required: ["reference"],
  additionalProperties: false,
  errorMessage: REFERENCE_INVALID,
});
export const createTokenSchema = runtimeSchema({
  type: "object",
  properties: { templateId, expiresAt: isoDateTime, ephemeral: { type: "boolean" }, forIdentity: address, passwordProtection },
  required: ["templateId"],
  additionalProperties: false,
});

export type CreateRelationshipTemplateInput = InputOf<typeof createTemplateSchema>;
export type GetRelationshipTemplateInput = InputOf<typeof getTemplateSchema>;
export type DeleteRelationshipTemplateInput = InputOf<typeof deleteTemplateSchema>;
export type LoadRelationshipTemplateInput = InputOf<typeof loadTemplateSchema>;
export type CreateTemplateTokenInput = InputOf<typeof createTokenSchema>;
export type PasswordProtectionInput = NonNullable<CreateRelationshipTemplateInput["passwordProtection"]>;
/** The schema lets `query` and `ownerRestriction` through; the list use case checks them (upstream's order). */
export type ListRelationshipTemplatesInput = {
  query?: Query | undefined;
  ownerRestriction?: "o" | "p" | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
};
