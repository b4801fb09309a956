import { authorize } from "../access/kernel.js";
import type { Principal } from "../access/kernel.js";
import type { CoreDeps } from "../deps.js";
import { z } from "zod";
import { decodeCursor, DEFAULT_PAGE_SIZE, filteredPage, type Page } from "../shared/pagination.js";
import { invalidProperty, parseInput } from "../shared/validation/index.js";
import { getRelationshipSchema, listRelationshipsSchema, type GetRelationshipInput, type ListRelationshipsInput } from "./inputs.js";
import { compileQuery, type Field } from "./query.js";
import { findVisible } from "./records.js";
import type { Relationship } from "./relationship.js";
import type { TemplateLookup } from "./template-port.js";
import { viewFor, viewsFor } from "./views.js";

const RELATIONSHIP_FIELDS: Record<string, Field<Relationship>> = {
  peer: { get: (r) => r.peer },
  status: { get: (r) => r.status },
  templateId: { get: (r) => r.templateId },
  "template.id": { get: (r) => r.templateId },
};

export const getRelationship =
  (deps: CoreDeps, templates: TemplateLookup) =>
  async (principal: Principal, raw: GetRelationshipInput): Promise<Relationship> => {
    authorize(principal, "get_relationships");
    const { id } = parseInput(getRelationshipSchema, raw);
    const { rel } = await findVisible(deps.store.read, principal.account, id);
    return viewFor(templates, deps.store.read, principal.account, rel);
  };

/**
 * The caller's relationships (not decomposed by it), oldest first, filtered by the query,
 * keyset-paginated on (createdAt, id). The filters read the caller's view (peer, status), so they
 * run here, over chunks (shared/pagination.ts filteredPage: a page may hold fewer than `limit`).
 */
export const listRelationships =
  (deps: CoreDeps, templates: TemplateLookup) =>
  async (principal: Principal, raw: ListRelationshipsInput = {}): Promise<Page<Relationship>> => {
    authorize(principal, "get_relationships");
    const input = parseInput(listRelationshipsSchema, raw ?? {});
    const matches = compileQuery(input.query, RELATIONSHIP_FIELDS);
    const repos = deps.store.read;
    return filteredPage({
      limit: input.limit ?? DEFAULT_PAGE_SIZE,
      after: input.cursor === undefined ? undefined : decodePositionCursor(input.cursor),
      read: (after, limit) => repos.relationships.listFor(principal.account, { after: after && { at: after[0], id: after[1] }, limit }),
      keyOf: (r) => [r.createdAt, r.id] as const,
      view: (rels) => viewsFor(templates, repos, principal.account, rels),
      matches,
    });
  };

const positionCursor = z.tuple([z.number().int().nonnegative(), z.string().min(1).max(40)]);

/** A (time, id) cursor of a relationship or template list; anything else is a validation error. */
export function decodePositionCursor(cursor: string): readonly [number, string] {
  const parsed = positionCursor.safeParse(decodeCursor(cursor));
  if (!parsed.success) throw invalidProperty("cursor must be a cursor of this list");
  return parsed.data;
}
