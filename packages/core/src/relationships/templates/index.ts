// The relationship-templates area, as the rest of core may use it: its types, its use cases and
// its side of the relationships' TemplateLookup port. Everything else in this folder is internal.
export * from "./template.js";
export type { References } from "./reference.js";
export type {
  CreateRelationshipTemplateInput,
  GetRelationshipTemplateInput,
  ListRelationshipTemplatesInput,
  LoadRelationshipTemplateInput,
  CreateTemplateTokenInput,
  DeleteRelationshipTemplateInput,
  PasswordProtectionInput,
} from "./inputs.js";
export { relationshipTemplateUseCases } from "./use-cases.js";
export { templateLookup } from "./lookup.js";
