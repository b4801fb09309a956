export * from "./relationship.js";
export * from "./repositories.js";
export * from "./templates/index.js";
export { deviceIdOf } from "./ids.js";
export { RECORD_NOT_FOUND } from "./errors.js";
export { STATUS_CHANGES, decide, type StatusChange, type StatusChangeName, type Side } from "./status.js";
export type { Query } from "./query.js";
export type {
  CreateRelationshipInput,
  CanCreateRelationshipInput,
  GetRelationshipInput,
  ListRelationshipsInput,
  RelationshipIdInput,
} from "./inputs.js";
export { relationshipUseCases } from "./use-cases.js";
export type { TemplateLookup } from "./template-port.js";
export { relationshipSeenBy } from "./views.js";
