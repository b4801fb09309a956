export * from "./relationship.js";
export * from "./template.js";
export * from "./repositories.js";
export { deviceIdOf } from "./ids.js";
export { RECORD_NOT_FOUND } from "./errors.js";
export { INVALID_PROPERTY_VALUE, ADDRESS_PATTERN_SOURCE } from "./validation.js";
export type { References } from "./reference.js";
export type { Query } from "./query.js";
export type {
  CreateRelationshipTemplateInput,
  GetRelationshipTemplateInput,
  ListRelationshipTemplatesInput,
  LoadRelationshipTemplateInput,
  CreateTemplateTokenInput,
  DeleteRelationshipTemplateInput,
  PasswordProtectionInput,
} from "./templates.js";
export type {
  CreateRelationshipInput,
  CanCreateRelationshipInput,
  GetRelationshipInput,
  ListRelationshipsInput,
  RelationshipIdInput,
} from "./relationships.js";
