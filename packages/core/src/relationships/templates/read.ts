import { authorize } from "../../access/kernel.js";
import type { Principal } from "../../access/kernel.js";
import type { CoreDeps } from "../../deps.js";
import { invalidProperty, parseInput } from "../../shared/validation/index.js";
import { compileQuery, type Field } from "../query.js";
import { getTemplateSchema, listTemplatesSchema, type GetRelationshipTemplateInput, type ListRelationshipTemplatesInput } from "./inputs.js";
import { findVisibleTemplate } from "./lookup.js";
import type { RelationshipTemplate } from "./template.js";
import { templateView } from "./views.js";

const TEMPLATE_FIELDS: Record<string, Field<RelationshipTemplate>> = {
  isOwn: { get: (t) => t.isOwn },
  createdAt: { get: (t) => t.createdAt, date: true },
  expiresAt: { get: (t) => t.expiresAt, date: true },
  createdBy: { get: (t) => t.createdBy },
  createdByDevice: { get: (t) => t.createdByDevice },
  maxNumberOfAllocations: { get: (t) => t.maxNumberOfAllocations },
  forIdentity: { get: (t) => t.forIdentity },
  passwordProtection: { get: (t) => t.passwordProtection },
  "passwordProtection.password": { get: (t) => t.passwordProtection?.password },
  "passwordProtection.passwordIsPin": { get: (t) => t.passwordProtection?.passwordIsPin },
  "passwordProtection.passwordLocationIndicator": { get: () => undefined },
};

export const getTemplate =
  (deps: CoreDeps) =>
  async (principal: Principal, raw: GetRelationshipTemplateInput): Promise<RelationshipTemplate> => {
    authorize(principal, "get_relationship_templates");
    const { id } = parseInput(getTemplateSchema, raw);
    const { template, load } = await findVisibleTemplate(deps.store.read, principal.account, id);
    return templateView(deps, template, principal.account, load);
  };

/** Own and loaded templates (or only one kind), oldest first, filtered by the query. */
export const listTemplates =
  (deps: CoreDeps) =>
  async (principal: Principal, raw: ListRelationshipTemplatesInput = {}): Promise<RelationshipTemplate[]> => {
    authorize(principal, "get_relationship_templates");
    const input = parseInput(listTemplatesSchema, raw ?? {});
    if (input.ownerRestriction !== undefined && input.ownerRestriction !== "o" && input.ownerRestriction !== "p") {
      throw invalidProperty("ownerRestriction must be equal to one of the allowed values");
    }
    const matches = compileQuery(input.query, TEMPLATE_FIELDS);
    const repo = deps.store.read.relationshipTemplates;
    const [own, loaded] = await Promise.all([
      input.ownerRestriction === "p" ? [] : repo.listOwn(principal.account),
      input.ownerRestriction === "o" ? [] : repo.listLoaded(principal.account),
    ]);
    const views = [
      ...own.map((t) => templateView(deps, t, principal.account, undefined)),
      ...loaded.map(({ template, load }) => templateView(deps, template, principal.account, load)),
    ];
    return views.filter(matches);
  };
