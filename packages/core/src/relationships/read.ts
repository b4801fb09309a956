import { authorize } from "../access/kernel.js";
import type { Principal } from "../access/kernel.js";
import type { CoreDeps } from "../deps.js";
import { parseInput } from "../shared/validation/index.js";
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

/** The caller's relationships (not decomposed by it), oldest first, filtered by the query. */
export const listRelationships =
  (deps: CoreDeps, templates: TemplateLookup) =>
  async (principal: Principal, raw: ListRelationshipsInput = {}): Promise<Relationship[]> => {
    authorize(principal, "get_relationships");
    const input = parseInput(listRelationshipsSchema, raw ?? {});
    const matches = compileQuery(input.query, RELATIONSHIP_FIELDS);
    const rels = await deps.store.read.relationships.listFor(principal.account);
    return (await viewsFor(templates, deps.store.read, principal.account, rels)).filter(matches);
  };
