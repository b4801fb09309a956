import type { CoreDeps } from "../../deps.js";
import { createTemplate } from "./create.js";
import { deleteTemplate } from "./delete.js";
import { loadTemplate } from "./load.js";
import { getTemplate, listTemplates } from "./read.js";
import { createTemplateToken } from "./token.js";

/** The relationship-template use cases (one file each), bound to their dependencies. */
export const relationshipTemplateUseCases = (deps: CoreDeps) => ({
  create: createTemplate(deps),
  get: getTemplate(deps),
  list: listTemplates(deps),
  load: loadTemplate(deps),
  createToken: createTemplateToken(deps),
  delete: deleteTemplate(deps),
});
