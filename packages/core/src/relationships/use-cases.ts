import type { CoreDeps } from "../deps.js";
import { canCreateRelationship, createRelationship } from "./create.js";
import { decomposeRelationship } from "./decompose.js";
import { getRelationship, listRelationships } from "./read.js";
import { statusChanges } from "./change-status.js";
import type { TemplateLookup } from "./template-port.js";

/** The relationship use cases (a file per use case or small group), bound to their dependencies. */
export const relationshipUseCases = (deps: CoreDeps, templates: TemplateLookup) => ({
  create: createRelationship(deps, templates),
  canCreate: canCreateRelationship(deps, templates),
  get: getRelationship(deps, templates),
  list: listRelationships(deps, templates),
  ...statusChanges(deps, templates),
  decompose: decomposeRelationship(deps),
});
