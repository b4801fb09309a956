import type { Repositories } from "../storage.js";
import type { RelationshipTemplate, RelationshipTemplateRecord, TemplateLoad } from "./templates/template.js";

/**
 * What the relationship use cases need of templates, as a port: createCore plugs in the templates
 * area's implementation (templates/lookup.ts), so relationships never reach into its internals.
 */
export interface TemplateLookup {
  /** A template the account may see — its own (not deleted) or one it has loaded — else the Connector's not-found. */
  findVisible(repos: Pick<Repositories, "relationshipTemplates">, account: string, id: string): Promise<{ template: RelationshipTemplateRecord; load: TemplateLoad | undefined }>;
  /** The template as `viewer` sees it. */
  view(template: RelationshipTemplateRecord, viewer: string, load: TemplateLoad | undefined): RelationshipTemplate;
}
