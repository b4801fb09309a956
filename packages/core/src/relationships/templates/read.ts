import { authorize } from "../../access/kernel.js";
import type { Principal } from "../../access/kernel.js";
import type { CoreDeps } from "../../deps.js";
import { z } from "zod";
import { decodeCursor, DEFAULT_PAGE_SIZE, filteredPage, type ListPosition, type Page } from "../../shared/pagination.js";
import { invalidProperty, parseInput } from "../../shared/validation/index.js";
import { compileQuery, type Field } from "../query.js";
import { getTemplateSchema, listTemplatesSchema, type GetRelationshipTemplateInput, type ListRelationshipTemplatesInput } from "./inputs.js";
import { findVisibleTemplate } from "./lookup.js";
import type { RelationshipTemplate, RelationshipTemplateRecord, TemplateLoad } from "./template.js";
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

/**
 * Own templates (oldest first), then loaded peer templates (oldest load first), or only one kind;
 * filtered by the query and keyset-paginated: the cursor is [part, time, id], part 0 the own
 * templates by (createdAt, id), part 1 the loads by (load time, template id).
 */
export const listTemplates =
  (deps: CoreDeps) =>
  async (principal: Principal, raw: ListRelationshipTemplatesInput = {}): Promise<Page<RelationshipTemplate>> => {
    authorize(principal, "get_relationship_templates");
    const input = parseInput(listTemplatesSchema, raw ?? {});
    if (input.ownerRestriction !== undefined && input.ownerRestriction !== "o" && input.ownerRestriction !== "p") {
      throw invalidProperty("ownerRestriction must be equal to one of the allowed values");
    }
    const matches = compileQuery(input.query, TEMPLATE_FIELDS);
    const parts: Part[] = input.ownerRestriction === "o" ? [OWN] : input.ownerRestriction === "p" ? [LOADED] : [OWN, LOADED];
    const account = principal.account;
    const repo = deps.store.read.relationshipTemplates;
    const readPart = async (part: Part, after: ListPosition | undefined, limit: number): Promise<Row[]> =>
      part === OWN
        ? (await repo.listOwn(account, { after, limit })).map((template) => ({ key: [OWN, template.createdAt, template.id] as const, template }))
        : (await repo.listLoaded(account, { after, limit })).map(({ template, load }) => ({
            key: [LOADED, load.createdAt, template.id] as const,
            template,
            load,
          }));
    return filteredPage<Row, RelationshipTemplate, TemplateKey>({
      limit: input.limit ?? DEFAULT_PAGE_SIZE,
      after: input.cursor === undefined ? undefined : decodeTemplateCursor(input.cursor),
      async read(after, limit) {
        const rows: Row[] = [];
        for (const part of parts) {
          if (after && part < after[0]) continue;
          const from = after && part === after[0] ? { at: after[1], id: after[2] } : undefined;
          rows.push(...(await readPart(part, from, limit - rows.length)));
          if (rows.length >= limit) break;
        }
        return rows;
      },
      keyOf: (row) => row.key,
      view: async (rows) => rows.map((row) => templateView(deps, row.template, account, row.load)),
      matches,
    });
  };

const OWN = 0;
const LOADED = 1;
type Part = typeof OWN | typeof LOADED;
type TemplateKey = readonly [Part, number, string];
interface Row {
  key: TemplateKey;
  template: RelationshipTemplateRecord;
  load?: TemplateLoad;
}

const templateCursor = z.tuple([z.union([z.literal(OWN), z.literal(LOADED)]), z.number().int().nonnegative(), z.string().min(1).max(40)]);

function decodeTemplateCursor(cursor: string): TemplateKey {
  const parsed = templateCursor.safeParse(decodeCursor(cursor));
  if (!parsed.success) throw invalidProperty("cursor must be a cursor of this list");
  return parsed.data;
}
