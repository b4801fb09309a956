import { MAX_PAGE_SIZE } from "../shared/pagination.js";
import { runtimeSchema, type InputOf } from "../shared/validation/index.js";
import { RELATIONSHIP_ID, TEMPLATE_ID } from "./ids.js";
import type { Query } from "./query.js";

// The relationship use cases' request schemas, as the enmeshed runtime declares them; the input
// types are read off the schemas. `creationContent` is checked afterwards (content.ts), as upstream
// does with ts-serval.

export const createRelationshipSchema = runtimeSchema({
  type: "object",
  properties: { templateId: { type: "string", pattern: TEMPLATE_ID }, creationContent: {} },
  required: ["templateId", "creationContent"],
  additionalProperties: false,
});
export const canCreateRelationshipSchema = runtimeSchema({
  type: "object",
  properties: { templateId: { type: "string", pattern: TEMPLATE_ID }, creationContent: {} },
  required: ["templateId"],
  additionalProperties: false,
});
export const getRelationshipSchema = runtimeSchema({
  type: "object",
  properties: { id: { type: "string", pattern: RELATIONSHIP_ID } },
  required: ["id"],
  additionalProperties: false,
});
export const relationshipIdSchema = runtimeSchema({
  type: "object",
  properties: { relationshipId: { type: "string", pattern: RELATIONSHIP_ID } },
  required: ["relationshipId"],
  additionalProperties: false,
});
/**
 * `query`: filters `peer`, `status`, `templateId` (alias `template.id`), Connector query semantics
 * (query.ts); `cursor` (a previous page's `nextCursor`) and `limit` (1–100, default 50) page the list.
 */
export const listRelationshipsSchema = runtimeSchema({
  type: "object",
  properties: { query: {}, cursor: { type: "string", maxLength: 200 }, limit: { type: "integer", minimum: 1, maximum: MAX_PAGE_SIZE } },
  additionalProperties: false,
});

export type CreateRelationshipInput = InputOf<typeof createRelationshipSchema>;
export type CanCreateRelationshipInput = InputOf<typeof canCreateRelationshipSchema>;
export type GetRelationshipInput = InputOf<typeof getRelationshipSchema>;
export type RelationshipIdInput = InputOf<typeof relationshipIdSchema>;
/** The schema lets any `query` through to compileQuery, which checks it field by field. */
export type ListRelationshipsInput = { query?: Query | undefined; cursor?: string | undefined; limit?: number | undefined };
