import type { CoreDeps } from "../../deps.js";
import type { Repositories } from "../../storage.js";
import { relationshipErrors as E } from "../errors.js";
import type { TemplateLookup } from "../template-port.js";
import type { RelationshipTemplateRecord, TemplateLoad } from "./template.js";
import { templateView } from "./views.js";

/** A template the account may see: its own (not deleted) or one it has loaded. */
export async function findVisibleTemplate(
  repos: Pick<Repositories, "relationshipTemplates">,
  account: string,
  id: string,
): Promise<{ template: RelationshipTemplateRecord; load: TemplateLoad | undefined }> {
  const template = await repos.relationshipTemplates.get(id);
  if (template && template.owner === account && template.deletedAt === null) return { template, load: undefined };
  if (template && template.owner !== account) {
    const load = await repos.relationshipTemplates.getLoad(account, id);
    if (load) return { template, load };
  }
  throw E.templateNotFound();
}

/** The templates area's side of the relationships' TemplateLookup port (wired in createCore). */
export const templateLookup = (deps: Pick<CoreDeps, "config">): TemplateLookup => ({
  findVisible: findVisibleTemplate,
  view: (template, viewer, load) => templateView(deps, template, viewer, load),
});
